//! `errdex env`: the environment lookup ranks for (the platform detected, with `--env` on top).

use super::exit;
use crate::search::lookup::LookupEnv;
use crate::text::sanitize_line;
use std::io::Write;

pub fn run(env: &LookupEnv, json: bool, out: &mut impl Write) -> std::io::Result<u8> {
    let env = env.machine.overridden_by(&env.given);
    if json {
        let text = serde_json::to_string_pretty(&env).unwrap_or_default();
        writeln!(out, "{}", crate::text::json_for_terminal(&text))?;
    } else {
        for (k, v) in env.lines() {
            writeln!(out, "{k:<13} {}", sanitize_line(&v))?;
        }
        writeln!(
            out,
            "\nLookup also reads the log itself (a C:\\ or /Users/ path, a WSL kernel, `Python 3.11`), and --env KEY=VALUE,... overrides both."
        )?;
    }
    Ok(exit::OK)
}
