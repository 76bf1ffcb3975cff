//! The errdex binary: parse the command line, load catalogues, run one command, map the outcome to an exit code.

use clap::Parser;
use errdex::catalog::Catalog;
use errdex::cli::{CacheAction, Cli, Command};
use errdex::commands::{self, exit};
use errdex::report::Style;
use std::io::Write;
// One-off commands never free their catalogue: the process ends right after, and freeing a catalogue's
// every string took longer than some lookups.
use std::mem::ManuallyDrop;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang();
    let Some(command) = &cli.command else {
        // The browser must not run under a held stdout lock: its signal thread restores the terminal
        // through stdout while the main thread waits for keys.
        return exit_code(
            browse(&cli, lang, &mut std::io::stderr()),
            &mut std::io::stderr(),
        );
    };
    // Not under a held stdout lock: the MCP server writes stdout from two threads (its replies, and the
    // errors for lines that are no message). Buffered, the lock is taken once per flush anyway.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut err = std::io::stderr();
    let style = Style { color: cli.color() };
    let result = match command {
        Command::Check { paths, json } => {
            // Named paths are checked on their own; without them, the default catalogue is.
            let catalog = ManuallyDrop::new(if paths.is_empty() {
                Catalog::load(!cli.no_default, &cli.catalog)
            } else {
                Catalog::load(false, paths)
            });
            commands::check::run(&catalog, *json, &mut out)
        }
        Command::Show { id, json } => {
            let catalog = ManuallyDrop::new(load(&cli, &mut err));
            commands::show::run(&catalog, id, *json, lang, style, &mut out, &mut err)
        }
        Command::Lookup {
            message,
            json,
            limit,
        } => {
            let catalog = ManuallyDrop::new(load(&cli, &mut err));
            commands::lookup::run(
                &catalog,
                message.as_deref(),
                *json,
                *limit,
                lang,
                style,
                &mut out,
                &mut err,
            )
        }
        Command::Search { query, json, limit } => {
            // Scored straight from the files: a catalogue and an index would be built for one query.
            let query = errdex::search::fuzzy::Query::parse(&query.join(" "));
            let found =
                errdex::search::scan::search(!cli.no_default, &cli.catalog, &query, lang, *limit);
            report_errors(found.errors, &mut err);
            commands::search::run(&found.hits, &query, *json, lang, style, &mut out)
        }
        Command::BenchLookup { rounds } => {
            let catalog = ManuallyDrop::new(load(&cli, &mut err));
            bench_lookup(&catalog, *rounds, &mut out)
        }
        Command::Cache { action } => cache(action, &mut out, &mut err),
        Command::Synth {
            count,
            seed,
            minimal,
        } => errdex::synth::write(&mut out, *count, *seed, *minimal).map(|_| exit::OK),
        #[cfg(feature = "mcp")]
        Command::Mcp => {
            // Tools default to English whatever the locale: agents read English best.
            let catalog = load(&cli, &mut err);
            errdex::mcp::run(catalog, cli.lang.unwrap_or_default())
        }
    };
    let code = result.and_then(|code| out.flush().map(|_| code));
    exit_code(code, &mut err)
}

fn exit_code(code: std::io::Result<u8>, err: &mut impl Write) -> ExitCode {
    match code {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (errdex show x | head) is not worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(exit::OK),
        Err(e) => {
            let _ = writeln!(err, "errdex: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

/// The browser, on a terminal only. A piped standard input is the error to look up (`cmd 2>&1 | errdex`);
/// keys then come from the terminal itself.
fn browse(cli: &Cli, lang: errdex::catalog::Lang, err: &mut impl Write) -> std::io::Result<u8> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        writeln!(
            err,
            "errdex: the browser needs a terminal; for scripts use `errdex lookup`, `search`, `show` or `check` (see --help)"
        )?;
        return Ok(exit::USAGE);
    }
    let message = if std::io::stdin().is_terminal() {
        None
    } else {
        // Keys then come from the controlling terminal, which a process started with `setsid` or from a
        // service has none of.
        if std::fs::File::open("/dev/tty").is_err() && cfg!(unix) {
            writeln!(
                err,
                "errdex: the browser reads keys from the terminal (/dev/tty), and this process has no controlling terminal; for scripts use `errdex lookup` (see --help)"
            )?;
            return Ok(exit::USAGE);
        }
        let (text, cut) = errdex::stdin::read_capped(std::io::stdin().lock())?;
        if cut {
            writeln!(err, "errdex: standard input was cut at 1 MiB")?;
        }
        // An empty stdin (`< /dev/null`, a finished pipe) is no message to look up.
        Some(text).filter(|t| !t.trim().is_empty())
    };
    // Diagnostics are counted in the status bar (`d` lists them); nothing is printed over the screen.
    // The load runs on its own thread while the loading screen takes keys, so it owns what it reads.
    let (default, paths) = (!cli.no_default, cli.catalog.clone());
    let cache_dir = cli.cache_dir();
    errdex::tui::run_loading(lang, move || {
        // Regexes are checked after the first frame (a third of the load time of a large catalogue).
        let options = errdex::catalog::load::Options {
            check_regexes: false,
        };
        let catalog = match &cache_dir {
            Some(dir) => Catalog::load_cached(default, &paths, &options, dir),
            None => Catalog::load_with(default, &paths, &options),
        };
        let options = errdex::tui::app::Options {
            lang,
            message,
            ..Default::default()
        };
        errdex::tui::app::App::new(catalog, options)
    })?;
    Ok(exit::OK)
}

/// Median time of one lookup per message over `rounds` rounds, index built once (as the browser does).
fn bench_lookup(catalog: &Catalog, rounds: usize, out: &mut impl Write) -> std::io::Result<u8> {
    let (text, _) = errdex::stdin::read_capped(std::io::stdin().lock())?;
    let messages: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let index = errdex::search::lookup::LookupIndex::new(catalog);
    let mut per_round = Vec::with_capacity(rounds);
    for _ in 0..rounds.max(1) {
        let start = std::time::Instant::now();
        for m in &messages {
            std::hint::black_box(index.lookup(catalog, m, 10));
        }
        per_round.push(start.elapsed().as_secs_f64() / messages.len().max(1) as f64);
    }
    per_round.sort_by(f64::total_cmp);
    let median = per_round[per_round.len() / 2];
    writeln!(
        out,
        "errdex per message: {:.3} ms (median of {} rounds, {} messages, {} records)",
        median * 1e3,
        per_round.len(),
        messages.len(),
        catalog.len()
    )?;
    Ok(exit::OK)
}

/// Loads the catalogues for a browsing command; load errors are summarized on stderr, not fatal. Regexes are
/// not checked: their warnings are not printed here (`check` lists them), and lookup parses every regex
/// anyway (checking them too took a third of `lookup`'s time at a million records).
fn load(cli: &Cli, err: &mut impl Write) -> Catalog {
    let options = errdex::catalog::load::Options {
        check_regexes: false,
    };
    load_with(cli, &options, err)
}

fn load_with(cli: &Cli, options: &errdex::catalog::load::Options, err: &mut impl Write) -> Catalog {
    let catalog = match cli.cache_dir() {
        Some(dir) => Catalog::load_cached(!cli.no_default, &cli.catalog, options, &dir),
        None => Catalog::load_with(!cli.no_default, &cli.catalog, options),
    };
    report_errors(catalog.count(errdex::catalog::Severity::Error), err);
    catalog
}

/// `errdex cache path|clear`.
fn cache(action: &CacheAction, out: &mut impl Write, err: &mut impl Write) -> std::io::Result<u8> {
    let Some(dir) = errdex::catalog::index::default_dir() else {
        writeln!(err, "errdex: this system has no cache directory")?;
        return Ok(exit::PROBLEMS);
    };
    match action {
        CacheAction::Path => writeln!(out, "{}", dir.display())?,
        CacheAction::Clear => {
            let mut removed = 0;
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    // Only what errdex writes there: index files and their temporary twins.
                    let ours = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(".idx") || n.contains(".tmp."));
                    if ours && std::fs::remove_file(&path).is_ok() {
                        removed += 1;
                    }
                }
            }
            writeln!(out, "removed {removed} index files from {}", dir.display())?;
        }
    }
    Ok(exit::OK)
}

fn report_errors(errors: usize, err: &mut impl Write) {
    if errors > 0 {
        let _ = writeln!(
            err,
            "errdex: {errors} catalogue errors (run `errdex check` to list them)"
        );
    }
}
