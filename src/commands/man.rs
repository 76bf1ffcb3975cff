//! `errdex man`: the manual page in roff, generated from the command line's own definition (its
//! SUBCOMMANDS section lists every command with what it does), so it never drifts from `--help`.

use super::exit;
use std::io::Write;

pub fn run(out: &mut impl Write) -> std::io::Result<u8> {
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command).render(out)?;
    Ok(exit::OK)
}
