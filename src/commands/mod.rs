//! One module per subcommand. Each returns the process exit code; output goes to the writers given. What
//! stops a command is a `CommandError`, which `error::exit_code` turns into the exit code and a message.

pub mod browse;
pub mod cache;
pub mod check;
pub mod completions;
pub mod config;
pub mod env;
pub mod error;
pub mod init;
pub mod lookup;
pub mod man;
pub mod outcomes;
pub mod run;
pub mod search;
pub mod show;
pub mod sync;

/// Exit codes, grep-like: 0 found/ok, 1 not found/problems, 2 usage or I/O trouble.
pub mod exit {
    pub const OK: u8 = 0;
    pub const PROBLEMS: u8 = 1;
    pub const USAGE: u8 = 2;
}
