//! `errdex man [COMMAND]`: the manual page in roff, generated from the command line's own definition so it
//! never drifts from `--help`: errdex(1), whose SUBCOMMANDS section names errdex-COMMAND(1), the page
//! `errdex man COMMAND` prints.

use super::exit;
use std::io::Write;

pub fn run(
    command: Option<&str>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let cli = <crate::cli::Cli as clap::CommandFactory>::command();
    let page = match command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli
                .get_subcommands()
                .find(|s| s.get_name() == name && !s.is_hide_set())
            else {
                writeln!(
                    err,
                    "errdex: no command `{}` (see `errdex --help`)",
                    crate::text::sanitize_line(name)
                )?;
                return Ok(exit::USAGE);
            };
            // clap takes static names; this process prints one page and ends.
            let title: &'static str = Box::leak(format!("errdex-{name}").into_boxed_str());
            sub.clone()
                .name(title)
                .display_name(title)
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    clap_mangen::Man::new(page).render(out)?;
    Ok(exit::OK)
}
