//! The errdex binary: parse the command line, load catalogues, run one command, map the outcome to an exit code.

use clap::Parser;
use errdex::catalog::Catalog;
use errdex::cli::{Cli, Command, ConfigAction};
use errdex::commands::{self, exit};
use errdex::config::resolve::{self, Settings};
use errdex::report::Style;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut err = std::io::stderr();
    // Commands that read no configuration work even when it is broken (`config init --force` mends it).
    if let Some(code) = without_config(&cli) {
        return exit_code(code, &mut err);
    }
    let settings = match resolve::resolve(&cli.flags(), &resolve::process_env) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                err,
                "errdex: {}",
                errdex::text::sanitize_line(&e.to_string())
            );
            return ExitCode::from(exit::USAGE);
        }
    };
    for warning in &settings.warnings {
        let _ = writeln!(
            err,
            "errdex: warning: {}",
            errdex::text::sanitize_line(warning)
        );
    }
    let lang = settings.lang;
    let Some(command) = &cli.command else {
        // The browser must not run under a held stdout lock: its signal thread restores the terminal
        // through stdout while the main thread waits for keys.
        return browse_exit(browse(&cli, &settings, None, &mut err), &mut err);
    };
    // Not under a held stdout lock: the MCP server writes stdout from two threads (its replies, and the
    // errors for lines that are no message). Buffered, the lock is taken once per flush anyway.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let style = Style { color: cli.color() };
    let result = match command {
        Command::Check { paths, json } => {
            // Named paths are checked on their own; without them, the default catalogue is.
            let catalog = if paths.is_empty() {
                Catalog::load(settings.default, &settings.catalogs)
            } else {
                Catalog::load(false, paths)
            };
            commands::check::run(&catalog, *json, &mut out)
        }
        Command::Show { id, json } => {
            let catalog = load(&settings, &mut err);
            commands::show::run(&catalog, id, *json, lang, style, &mut out, &mut err)
        }
        Command::Lookup {
            message,
            json,
            limit,
        } => {
            let catalog = load(&settings, &mut err);
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
            let found = errdex::search::scan::search(
                settings.default,
                &settings.catalogs,
                &query,
                lang,
                *limit,
            );
            report_errors(found.errors, &mut err);
            commands::search::run(&found.hits, &query, *json, lang, style, &mut out)
        }
        Command::BenchLookup { rounds } => {
            let catalog = load(&settings, &mut err);
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
            let catalog = load(&settings, &mut err);
            errdex::mcp::run(catalog, cli.lang.unwrap_or_default())
        }
        Command::Sync {
            names,
            list,
            json,
            allow_http,
            timeout,
            max_bytes,
        } => {
            if *list {
                commands::sync::list(&settings, *json, &mut out)
            } else {
                let options = errdex::sync::Options {
                    timeout: std::time::Duration::from_secs(*timeout),
                    max_bytes: *max_bytes,
                    allow_http: *allow_http,
                };
                commands::sync::run(&settings, names, *json, &options, &mut out, &mut err)
            }
        }
        Command::Init { shell, key } => commands::init::run(
            *shell,
            key.as_deref(),
            settings.config.shell_key,
            &mut out,
            &mut err,
        ),
        Command::Run {
            interactive,
            command,
        } => {
            let _ = out.flush();
            return run_command(&cli, &settings, *interactive, command, &mut err);
        }
        Command::Ids => {
            let catalog = load(&settings, &mut err);
            commands::completions::ids(&catalog, &mut out)
        }
        // Handled by `without_config`.
        Command::Config { .. } | Command::Completions { .. } | Command::Man { .. } => Ok(exit::OK),
    };
    let code = result.and_then(|code| out.flush().map(|_| code));
    exit_code(code, &mut err)
}

/// The commands that need no configuration: `config`, `completions`, `man`.
fn without_config(cli: &Cli) -> Option<std::io::Result<u8>> {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr();
    let file = || {
        cli.config
            .clone()
            .or_else(errdex::config::paths::default_config_file)
    };
    let code = match cli.command.as_ref()? {
        Command::Config {
            action: ConfigAction::Path,
        } => commands::config::path(file().as_deref(), &mut out, &mut err),
        Command::Config {
            action: ConfigAction::Init { force },
        } => commands::config::init(file().as_deref(), *force, &mut out, &mut err),
        Command::Completions { shell } => commands::completions::run(*shell, &mut out),
        Command::Man { command } => commands::man::run(command.as_deref(), &mut out, &mut err),
        _ => return None,
    };
    Some(code.and_then(|c| out.flush().map(|_| c)))
}

/// `errdex run`: the command's status is errdex's, whatever the lookup finds.
fn run_command(
    cli: &Cli,
    settings: &Settings,
    interactive: bool,
    command: &[std::ffi::OsString],
    err: &mut impl Write,
) -> ExitCode {
    let ran = match commands::run::execute(command, err) {
        Ok(ran) => ran,
        Err(e) => return exit_code(Err(e), err),
    };
    if ran.status != 0 && !ran.output.trim().is_empty() {
        if interactive {
            let _ = browse(cli, settings, Some(ran.output.clone()), err);
        } else {
            use std::io::IsTerminal;
            let catalog = load(settings, err);
            let style = Style {
                color: match cli.color {
                    errdex::cli::ColorWhen::Always => true,
                    errdex::cli::ColorWhen::Never => false,
                    errdex::cli::ColorWhen::Auto => {
                        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                            && std::io::stderr().is_terminal()
                    }
                },
            };
            let _ = commands::run::explain(&catalog, &ran, settings.lang, style, err);
        }
    }
    ExitCode::from(ran.status)
}

/// The browser's exit: with `--print`, the choice on stdout and 0, or nothing and 130 (as fzf).
fn browse_exit(result: std::io::Result<Option<Browsed>>, err: &mut impl Write) -> ExitCode {
    match result {
        Ok(None) => ExitCode::from(exit::OK),
        Ok(Some(Browsed::Usage)) => ExitCode::from(exit::USAGE),
        Ok(Some(Browsed::Printed(text))) => {
            let mut out = std::io::stdout().lock();
            let printed = writeln!(out, "{text}").and_then(|_| out.flush());
            exit_code(printed.map(|_| exit::OK), err)
        }
        Ok(Some(Browsed::Cancelled)) => ExitCode::from(130),
        Err(e) => exit_code(Err(e), err),
    }
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

/// How the browser ended, when that is more than "quit": a usage problem, or `--print`'s outcome.
enum Browsed {
    Usage,
    Printed(String),
    Cancelled,
}

/// The browser, on a terminal only. A piped standard input is the error to look up (`cmd 2>&1 | errdex`);
/// keys then come from the terminal itself. `message` (from `errdex run -i`) stands for standard input.
/// With `--print`, the screen is the terminal device and standard output gets only the choice.
fn browse(
    cli: &Cli,
    settings: &Settings,
    message: Option<String>,
    err: &mut impl Write,
) -> std::io::Result<Option<Browsed>> {
    use std::io::IsTerminal;
    let pick = cli.print;
    if pick.is_some() {
        if let Err(e) = errdex::tui::terminal::use_tty() {
            writeln!(
                err,
                "errdex: --print draws on the terminal (/dev/tty), which this process cannot open: {}",
                errdex::catalog::error::io_reason(&e)
            )?;
            return Ok(Some(Browsed::Usage));
        }
    } else if !std::io::stdout().is_terminal() {
        writeln!(
            err,
            "errdex: the browser needs a terminal; for scripts use `errdex --print`, `lookup`, `search`, `show` or `check` (see --help)"
        )?;
        return Ok(Some(Browsed::Usage));
    }
    let message = if message.is_some() {
        message
    } else if std::io::stdin().is_terminal() {
        None
    } else {
        // Keys then come from the controlling terminal, which a process started with `setsid` or from a
        // service has none of.
        if std::fs::File::open("/dev/tty").is_err() && cfg!(unix) {
            writeln!(
                err,
                "errdex: the browser reads keys from the terminal (/dev/tty), and this process has no controlling terminal; for scripts use `errdex lookup` (see --help)"
            )?;
            return Ok(Some(Browsed::Usage));
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
    let (default, paths, lang) = (settings.default, settings.catalogs.clone(), settings.lang);
    let printed = errdex::tui::run_loading(lang, move || {
        // Regexes are checked after the first frame (a third of the load time of a large catalogue).
        let options = errdex::catalog::load::Options {
            check_regexes: false,
        };
        let catalog = Catalog::load_with(default, &paths, &options);
        let options = errdex::tui::app::Options {
            lang,
            message,
            pick,
            ..Default::default()
        };
        errdex::tui::app::App::new(catalog, options)
    })?;
    Ok(match (pick, printed) {
        (None, _) => None,
        (Some(_), Some(text)) => Some(Browsed::Printed(text)),
        (Some(_), None) => Some(Browsed::Cancelled),
    })
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
fn load(settings: &Settings, err: &mut impl Write) -> Catalog {
    let options = errdex::catalog::load::Options {
        check_regexes: false,
    };
    let catalog = Catalog::load_with(settings.default, &settings.catalogs, &options);
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
