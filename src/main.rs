//! The errdex binary: parse the command line, load catalogues, run one command, map the outcome to an exit code.

use clap::Parser;
use errdex::catalog::Catalog;
use errdex::cli::{Cli, Command, OutcomesAction};
use errdex::commands::error::CommandError;
use errdex::commands::{self, exit};
use errdex::report::Style;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut err = std::io::stderr();
    let outcome = run(&cli, &mut err);
    ExitCode::from(commands::error::exit_code(outcome, &mut err))
}

fn run(cli: &Cli, err: &mut std::io::Stderr) -> Result<u8, CommandError> {
    let lang = cli.lang();
    let Some(command) = &cli.command else {
        // The browser must not run under a held stdout lock: its signal thread restores the terminal
        // through stdout while the main thread waits for keys.
        return commands::browse::run(
            !cli.no_default,
            cli.catalog.clone(),
            lang,
            cli.theme.unwrap_or_default(),
            cli.browser_color(),
            err,
        );
    };
    // Not under a held stdout lock: the MCP server writes stdout from two threads (its replies, and the
    // errors for lines that are no message). Buffered, the lock is taken once per flush anyway.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let style = Style { color: cli.color() };
    let code = match command {
        Command::Check { paths, json } => {
            // Named paths are checked on their own; without them, the default catalogue is.
            let catalog = if paths.is_empty() {
                Catalog::load(!cli.no_default, &cli.catalog)
            } else {
                Catalog::load(false, paths)
            };
            commands::check::run(&catalog, *json, &mut out)
        }
        Command::Show { id, json } => {
            let catalog = load(cli, err);
            commands::show::run(&catalog, id, *json, lang, style, &mut out, err)
        }
        Command::Lookup {
            message,
            json,
            limit,
        } => {
            let catalog = load(cli, err);
            commands::lookup::run(
                &catalog,
                message.as_deref(),
                *json,
                *limit,
                lang,
                style,
                &mut out,
                err,
            )
        }
        Command::Search { query, json, limit } => {
            // Scored straight from the files: a catalogue and an index would be built for one query.
            let query = errdex::search::fuzzy::Query::parse(&query.join(" "));
            let found =
                errdex::search::scan::search(!cli.no_default, &cli.catalog, &query, lang, *limit);
            report_errors(found.errors, err);
            commands::search::run(&found.hits, &query, *json, lang, style, &mut out)
        }
        Command::Outcomes { action } => {
            let path = errdex::outcomes::default_path();
            match action {
                OutcomesAction::Export => {
                    Ok(commands::outcomes::export(path.as_deref(), &mut out, err)?)
                }
                OutcomesAction::Path => match &path {
                    Some(p) => writeln!(out, "{}", p.display()).map(|_| exit::OK),
                    None => writeln!(err, "errdex: no home directory: set XDG_STATE_HOME")
                        .map(|_| exit::USAGE),
                },
            }
        }
        Command::BenchLookup { rounds } => {
            let catalog = load(cli, err);
            bench_lookup(&catalog, *rounds, &mut out)
        }
        Command::Synth {
            count,
            seed,
            minimal,
        } => errdex::synth::write(&mut out, *count, *seed, *minimal).map(|_| exit::OK),
        #[cfg(feature = "mcp")]
        Command::Mcp => {
            // Tools default to English whatever the locale: agents read English best.
            let catalog = load(cli, err);
            return errdex::mcp::run(catalog, cli.lang.unwrap_or_default());
        }
    }?;
    out.flush()?;
    Ok(code)
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
    let catalog = Catalog::load_with(!cli.no_default, &cli.catalog, options);
    report_errors(catalog.count(errdex::catalog::Severity::Error), err);
    catalog
}

fn report_errors(errors: usize, err: &mut impl Write) {
    if errors > 0 {
        let _ = writeln!(
            err,
            "errdex: {errors} catalogue errors (run `errdex check` to list them)"
        );
    }
}
