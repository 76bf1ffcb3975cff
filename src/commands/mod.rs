//! One module per subcommand. Each returns the process exit code; output goes to the writers given.

pub mod check;
pub mod env;
pub mod lookup;
pub mod search;
pub mod show;

/// Exit codes, grep-like: 0 found/ok, 1 not found/problems, 2 usage or I/O trouble.
pub mod exit {
    pub const OK: u8 = 0;
    pub const PROBLEMS: u8 = 1;
    pub const USAGE: u8 = 2;
}
