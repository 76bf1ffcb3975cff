//! Why a command failed, as a type, and the one place that turns an outcome into an exit code and a message.
//! Commands return `Ok(code)` for what they found (grep-like, see `exit`) and `Err` for what stopped them.

use super::exit;
use crate::tui::error::TerminalError;
use std::io;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// Reading the input or writing the output failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Terminal(#[from] TerminalError),
    #[error(
        "the browser needs a terminal; for scripts use `errdex --print`, `lookup`, `search`, `show` or `check` (see --help)"
    )]
    NotATerminal,
    /// Keys come from the controlling terminal when stdin is piped, and a process started with `setsid` or
    /// from a service has none.
    #[error(
        "the browser reads keys from the terminal (/dev/tty), and this process has no controlling terminal; for scripts use `errdex lookup` (see --help)"
    )]
    NoControllingTerminal,
    /// `--print` draws on the terminal device, which this process cannot open.
    #[error("--print draws on the terminal (/dev/tty), which this process cannot open: {0}")]
    NoTerminalDevice(crate::catalog::error::ReadError),
    /// The configuration file or an environment variable is wrong (the message names file, line, column and
    /// key).
    #[error("{}", crate::text::sanitize_line(&.0.to_string()))]
    Config(#[from] crate::config::ConfigError),
    /// The MCP session broke off (a malformed exchange, the client went away mid-request).
    #[error("the MCP session failed: {0}")]
    Mcp(String),
}

impl CommandError {
    /// The exit code, or `None` when the error is not worth a message: a closed pipe (`errdex show x | head`)
    /// ends the output as the reader wanted.
    pub fn exit_code(&self) -> Option<u8> {
        match self {
            CommandError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe => None,
            _ => Some(exit::USAGE),
        }
    }
}

/// A command's outcome as the process's exit code; an error's message goes to `err`.
pub fn exit_code(outcome: Result<u8, CommandError>, err: &mut impl io::Write) -> u8 {
    match outcome {
        Ok(code) => code,
        Err(e) => match e.exit_code() {
            None => exit::OK,
            Some(code) => {
                let _ = writeln!(err, "errdex: {e}");
                code
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_success_without_a_message_and_other_errors_are_usage_errors() {
        let mut err = Vec::new();
        let pipe = CommandError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(exit_code(Err(pipe), &mut err), exit::OK);
        assert!(err.is_empty());
        assert_eq!(
            exit_code(Err(CommandError::NotATerminal), &mut err),
            exit::USAGE
        );
        assert!(String::from_utf8_lossy(&err).starts_with("errdex: the browser needs a terminal"));
        assert_eq!(
            exit_code(Ok(exit::PROBLEMS), &mut Vec::new()),
            exit::PROBLEMS
        );
        let loader = CommandError::from(TerminalError::LoaderPanicked);
        assert_eq!(loader.exit_code(), Some(exit::USAGE));
    }
}
