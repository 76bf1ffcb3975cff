//! `errdex run [-i] -- CMD ARGS...`: run a command with its output shown as it comes (stdout to stdout,
//! stderr to stderr) and kept; if it fails, look the output up and print what the catalogue knows about it
//! (on stderr, so the command's stdout stays its own), or open the browser on it (`-i`). errdex exits with
//! the command's status.

use super::exit;
use crate::catalog::{Catalog, Lang};
use crate::report::{self, Detail, Style};
use crate::search::lookup::{LookupIndex, MatchKind};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// The output kept for the lookup: its last 1 MiB (an error is usually near the end).
const KEEP: usize = 1 << 20;

/// A finished command: its exit status as a shell reports it, and its output interleaved as it came.
pub struct Ran {
    pub status: u8,
    pub output: String,
}

/// Runs `command`, copying its stdout and stderr through as they arrive. A command that cannot start is
/// status 127 (not found) or 126, as in a shell; one ended by a signal is 128 + the signal.
pub fn execute(command: &[OsString], err: &mut impl Write) -> std::io::Result<Ran> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| std::io::Error::other("no command given"))?;
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            let status = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            writeln!(
                err,
                "errdex: cannot run {}: {}",
                crate::text::sanitize_line(&program.to_string_lossy()),
                crate::catalog::error::io_reason(&e)
            )?;
            return Ok(Ran {
                status,
                output: String::new(),
            });
        }
    };
    // Ctrl-C reaches the command and errdex alike; errdex waits for the command and reports its status.
    let _ignored = ignore_interrupts();
    let kept = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().map(|s| tee(s, std::io::stdout, &kept));
    let stderr = child.stderr.take().map(|s| tee(s, std::io::stderr, &kept));
    let status = child.wait()?;
    for t in [stdout, stderr].into_iter().flatten() {
        let _ = t.join();
    }
    let bytes = std::mem::take(&mut *kept.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(Ran {
        status: status_code(&status),
        output: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// Copies `from` to the stream `to` gives, chunk by chunk as it comes, keeping the last `KEEP` bytes.
fn tee<W: Write + 'static>(
    mut from: impl Read + Send + 'static,
    to: fn() -> W,
    kept: &Arc<Mutex<Vec<u8>>>,
) -> std::thread::JoinHandle<()> {
    let kept = Arc::clone(kept);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut out = to();
            // A closed output (`errdex run -- cmd | head`) stops the copy, not the command.
            let _ = out.write_all(&buf[..n]).and_then(|_| out.flush());
            let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > 2 * KEEP {
                let cut = kept.len() - KEEP;
                kept.drain(..cut);
            }
        }
    })
}

fn status_code(status: &std::process::ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return (128 + sig).clamp(0, 255) as u8;
        }
    }
    status.code().map_or(1, |c| (c & 0xff) as u8)
}

/// While alive, SIGINT and SIGQUIT only set a flag in errdex (the command still gets them and ends).
fn ignore_interrupts() -> Vec<signal_hook::SigId> {
    #[cfg(unix)]
    {
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        [signal_hook::consts::SIGINT, signal_hook::consts::SIGQUIT]
            .into_iter()
            .filter_map(|s| signal_hook::flag::register(s, Arc::clone(&flag)).ok())
            .collect()
    }
    #[cfg(not(unix))]
    Vec::new()
}

/// After a failure: the best record for the output, with its dead ends and workarounds, on `err`.
pub fn explain(
    catalog: &Catalog,
    ran: &Ran,
    lang: Lang,
    style: Style,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let index = LookupIndex::new(catalog);
    let hits = index.lookup(catalog, &ran.output, 1);
    // Only a regex match is worth printing under every failure; near ones are a `lookup` away.
    let Some(hit) = hits.first().filter(|h| h.kind == MatchKind::Regex) else {
        writeln!(
            err,
            "errdex: the command failed (status {}); no record matches its output (`errdex lookup` lists near ones)",
            ran.status
        )?;
        return Ok(exit::PROBLEMS);
    };
    writeln!(
        err,
        "\n{} (status {}) · {}",
        style.heading("errdex: the command failed"),
        ran.status,
        style.good("regex match")
    )?;
    write!(
        err,
        "{}",
        report::record(&catalog[hit.index], lang, style, Detail::Summary(3))
    )?;
    Ok(exit::OK)
}
