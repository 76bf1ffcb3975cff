//! Problems found while loading or checking a catalogue, each tied to a place in a file.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// `path:line:column: severity: message`, the form compilers use, so editors can jump to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(at: &Position, message: impl Into<String>) -> Self {
        Self::new(at, Severity::Error, message)
    }

    pub fn warning(at: &Position, message: impl Into<String>) -> Self {
        Self::new(at, Severity::Warning, message)
    }

    fn new(at: &Position, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            path: at.path.to_string(),
            line: at.line,
            column: at.column,
            severity,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path,
            self.line,
            self.column,
            self.severity.key(),
            self.message
        )
    }
}

/// A place in a catalogue file; lines and columns count from 1, columns in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub path: std::sync::Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The start of a file, for problems that concern the whole file.
    pub fn file(path: &std::sync::Arc<str>) -> Self {
        Position {
            path: path.clone(),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}
