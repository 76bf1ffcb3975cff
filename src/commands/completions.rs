//! `errdex completions SHELL`: a completion script generated from the command line's own definition, so it
//! never drifts from it. Record ids are not completed: the script would have to load the catalogue on every
//! Tab, or embed thousands of ids that go stale after `errdex sync`.

use super::exit;
use std::io::Write;

pub fn run(shell: clap_complete::Shell, out: &mut impl Write) -> std::io::Result<u8> {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "errdex", out);
    Ok(exit::OK)
}
