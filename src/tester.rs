//! The regex tester's engine: compile a pattern under the catalogue's limits and report every match and its
//! capture groups in a test text. Pure; the browser draws what this returns.

use crate::catalog::parse::REGEX_NEST_LIMIT;
use crate::catalog::validate::REGEX_SIZE_LIMIT;
use std::ops::Range;

/// At most this many matches are reported; a pasted log can hold thousands.
pub const MAX_MATCHES: usize = 200;

/// What a pattern found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evaluation {
    pub matches: Vec<Match>,
    /// More matches existed than `MAX_MATCHES`.
    pub truncated: bool,
    /// Group names by index (index 0 is the whole match and has none).
    pub group_names: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Byte spans of each group, index 0 the whole match; `None` for a group that did not take part.
    pub groups: Vec<Option<Range<usize>>>,
}

impl Match {
    pub fn span(&self) -> Range<usize> {
        self.groups[0].clone().unwrap_or(0..0)
    }
}

/// Why a pattern could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompileError {
    /// A syntax error, with the character column (from 1) where it is.
    Syntax { column: usize, message: String },
    /// The compiled program would exceed the size limit: a pathological pattern, refused before it costs memory.
    TooLarge { limit: usize },
}

/// Compiles `pattern` with the limits lookup uses, case-insensitively if asked.
pub fn compile(pattern: &str, case_insensitive: bool) -> Result<regex::Regex, CompileError> {
    // regex-syntax gives the error's position; the regex crate's own error only has text.
    if let Err(e) = regex_syntax::ParserBuilder::new()
        .nest_limit(REGEX_NEST_LIMIT)
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
    {
        let (offset, message) = match &e {
            regex_syntax::Error::Parse(p) => (p.span().start.offset, p.kind().to_string()),
            regex_syntax::Error::Translate(t) => (t.span().start.offset, t.kind().to_string()),
            _ => (0, e.to_string()),
        };
        let column = pattern.get(..offset).map_or(1, |p| p.chars().count() + 1);
        return Err(CompileError::Syntax { column, message });
    }
    regex::RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => CompileError::TooLarge { limit },
            other => CompileError::Syntax {
                column: 1,
                message: crate::catalog::parse::one_line(&other.to_string()),
            },
        })
}

/// Every match of `re` in `text`, with groups, up to `MAX_MATCHES`.
pub fn evaluate(re: &regex::Regex, text: &str) -> Evaluation {
    let mut matches = Vec::new();
    let mut truncated = false;
    for caps in re.captures_iter(text) {
        if matches.len() == MAX_MATCHES {
            truncated = true;
            break;
        }
        matches.push(Match {
            groups: (0..caps.len())
                .map(|i| caps.get(i).map(|m| m.range()))
                .collect(),
        });
    }
    Evaluation {
        matches,
        truncated,
        group_names: re.capture_names().map(|n| n.map(str::to_string)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_and_groups_are_reported() {
        let re = compile(r"exec (?P<path>\S+): exec (format) error", false).expect("compiles");
        let ev = evaluate(&re, "x\nexec /usr/bin/python3: exec format error\n");
        assert_eq!(ev.matches.len(), 1);
        let m = &ev.matches[0];
        assert_eq!(m.span(), 2..42);
        assert_eq!(m.groups[1], Some(7..23));
        assert_eq!(ev.group_names, [None, Some("path".to_string()), None]);
    }

    #[test]
    fn case_insensitivity_is_a_switch() {
        assert!(
            !compile("exec FORMAT", false)
                .expect("ok")
                .is_match("exec format")
        );
        assert!(
            compile("exec FORMAT", true)
                .expect("ok")
                .is_match("exec format")
        );
    }

    #[test]
    fn syntax_errors_carry_their_column() {
        let err = compile("abc(def", false).unwrap_err();
        assert!(
            matches!(err, CompileError::Syntax { column: 4, ref message } if message.contains("unclosed group")),
            "{err:?}"
        );
        let err = compile("中文[", false).unwrap_err();
        assert!(
            matches!(err, CompileError::Syntax { column: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn pathological_patterns_are_refused_quickly() {
        for p in [
            r"(\w{100}){100}{100}",
            r"\w{1000}{1000}",
            r"(((a{100}){100}){100})",
        ] {
            assert!(
                matches!(compile(p, true), Err(CompileError::TooLarge { .. })),
                "{p}"
            );
        }
        let deep = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        assert!(matches!(
            compile(&deep, false),
            Err(CompileError::Syntax { .. })
        ));
    }

    #[test]
    fn matches_are_capped() {
        let re = compile("a", false).expect("ok");
        let ev = evaluate(&re, &"a".repeat(1000));
        assert_eq!(ev.matches.len(), MAX_MATCHES);
        assert!(ev.truncated);
    }
}
