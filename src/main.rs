//! The errdex binary: parse the command line, resolve the settings (flags, environment, configuration file),
//! run one command, map the outcome to an exit code (`commands::error::exit_code`, the one place that does).

use clap::Parser;
use errdex::catalog::Catalog;
use errdex::cli::{Cli, Command, ConfigAction, OutcomesAction};
use errdex::commands::browse::{Browsed, Look};
use errdex::commands::error::CommandError;
use errdex::commands::{self, exit};
use errdex::config::resolve::{self, Settings};
use errdex::report::Style;
use std::io::Write;
// One-off commands never free their catalogue: the process ends right after, and freeing a catalogue's
// every string took longer than some lookups.
use std::mem::ManuallyDrop;
use std::process::ExitCode;

// The system's allocator for small runs, mimalloc once catalogue files are parsed (src/allocator.rs).
#[global_allocator]
static ALLOCATOR: errdex::allocator::Hybrid = errdex::allocator::Hybrid;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `--print` hands back the browser's choice: with a command that opens no browser it would do nothing.
    if cli.print.is_some()
        && let Some(command) = &cli.command
        && !matches!(
            command,
            Command::Run {
                interactive: true,
                ..
            }
        )
    {
        use clap::CommandFactory;
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--print applies to the browser (errdex, or errdex run -i); this command opens none",
            )
            .exit();
    }
    let mut err = std::io::stderr();
    // A one-off command's index is written beside its lookup and printing. The browser and the MCP server
    // write theirs as they load: quitting would wait for a write in progress.
    if matches!(
        cli.command,
        Some(Command::Lookup { .. } | Command::Search { .. } | Command::Show { .. })
    ) {
        errdex::catalog::index::write_in_background();
    }
    let outcome = run(&cli, &mut err);
    errdex::catalog::index::wait_for_writes();
    ExitCode::from(commands::error::exit_code(outcome, &mut err))
}

fn run(cli: &Cli, err: &mut std::io::Stderr) -> Result<u8, CommandError> {
    // Commands that read no configuration work even when it is broken (`config init --force` mends it).
    if let Some(code) = without_config(cli) {
        return code;
    }
    let settings = resolve::resolve(&cli.flags(), &resolve::process_env)?;
    for warning in &settings.warnings {
        writeln!(
            err,
            "errdex: warning: {}",
            errdex::text::sanitize_line(warning)
        )?;
    }
    let lang = settings.lang;
    let Some(command) = &cli.command else {
        // The browser must not run under a held stdout lock: its signal thread restores the terminal
        // through stdout while the main thread waits for keys.
        return browse(cli, &settings, None, err);
    };
    // Not under a held stdout lock: the MCP server writes stdout from two threads (its replies, and the
    // errors for lines that are no message). Buffered, the lock is taken once per flush anyway.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let style = Style { color: cli.color() };
    let code = match command {
        Command::Check { paths, json } => {
            // Named paths are checked on their own; without them, the default catalogue is.
            let catalog = ManuallyDrop::new(if paths.is_empty() {
                Catalog::load(settings.default, &settings.catalogs)
            } else {
                Catalog::load(false, paths)
            });
            commands::check::run(&catalog, *json, &mut out)
        }
        Command::Show { id, json } => {
            // Through current indexes, only the record is built, or the ones "did you mean" names.
            let one = narrowing(&settings).map(|n| {
                n.with_id(id).unwrap_or_else(|| {
                    n.with_ids_where(commands::show::near(id), commands::show::NEAREST)
                })
            });
            let catalog = ManuallyDrop::new(match one {
                Some(catalog) => {
                    report_errors(catalog.count(errdex::catalog::Severity::Error), err);
                    catalog
                }
                None => load(&settings, err),
            });
            commands::show::run(&catalog, id, *json, lang, style, &mut out, err)
        }
        Command::Lookup {
            message,
            json,
            limit,
        } => {
            let options = commands::lookup::Options {
                json: *json,
                limit: *limit,
                lang,
                style,
                env: lookup_env(cli, &settings),
            };
            lookup(&settings, message.as_deref(), &options, &mut out, err)
        }
        Command::Env { json } => commands::env::run(&lookup_env(cli, &settings), *json, &mut out),
        Command::Search { query, json, limit } => {
            // Scored straight from the files: a catalogue and an index would be built for one query.
            let query = errdex::search::fuzzy::Query::parse(&query.join(" "));
            let found = errdex::search::scan::search(
                settings.default,
                &settings.catalogs,
                &query,
                lang,
                *limit,
                settings.cache_dir.as_deref(),
            );
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
            let catalog = ManuallyDrop::new(load(&settings, err));
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
            let catalog = load(&settings, err);
            // Records left in the indexes are looked up through them (see `lookup_catalog`).
            let narrowing = after_load(&settings, &catalog);
            return errdex::mcp::run(
                catalog,
                cli.lang.unwrap_or_default(),
                lookup_env(cli, &settings),
                narrowing,
            );
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
                commands::sync::run(&settings, names, *json, &options, &mut out, err)
            }
        }
        Command::Init { shell, key } => commands::init::run(
            *shell,
            key.as_deref(),
            settings.config.shell_key,
            &mut out,
            err,
        ),
        Command::Run {
            interactive,
            command,
        } => {
            out.flush()?;
            return run_command(cli, &settings, *interactive, command, err);
        }
        Command::Ids => {
            let catalog = load(&settings, err);
            commands::completions::ids(&catalog, &mut out)
        }
        // Handled by `without_config`.
        Command::Config { .. }
        | Command::Completions { .. }
        | Command::Man { .. }
        | Command::Cache { .. } => Ok(exit::OK),
    }?;
    out.flush()?;
    Ok(code)
}

/// The commands that need no configuration: `config`, `completions`, `man`, `cache`.
fn without_config(cli: &Cli) -> Option<Result<u8, CommandError>> {
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
        Command::Cache { action } => commands::cache::run(action, &mut out, &mut err),
        _ => return None,
    };
    Some(
        code.and_then(|c| out.flush().map(|_| c))
            .map_err(CommandError::from),
    )
}

/// `errdex run`: the command's status is errdex's, whatever the lookup finds.
fn run_command(
    cli: &Cli,
    settings: &Settings,
    interactive: bool,
    command: &[std::ffi::OsString],
    err: &mut std::io::Stderr,
) -> Result<u8, CommandError> {
    let ran = commands::run::execute(command, err)?;
    if ran.status != 0 && !ran.output.trim().is_empty() {
        if interactive {
            // The browser's own problems are reported; the status stays the command's.
            if let Err(e) = browse(cli, settings, Some(ran.output.clone()), err) {
                commands::error::exit_code(Err(e), err);
            }
        } else {
            use std::io::IsTerminal;
            // What the failure's output needs: its best hit, in no particular environment (`explain`).
            let env = errdex::search::lookup::LookupEnv::default();
            let catalog = lookup_catalog(settings, &ran.output, 1, &env, err);
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
    Ok(ran.status)
}

/// The browser, and its exit: with `--print`, the choice on stdout and 0, or nothing and 130 (as fzf).
fn browse(
    cli: &Cli,
    settings: &Settings,
    message: Option<String>,
    err: &mut std::io::Stderr,
) -> Result<u8, CommandError> {
    // Rebound keys take effect before the first key is read; what is refused is said now (it scrolls off
    // behind the browser, so the status bar says it too).
    let mut notes = Vec::new();
    for problem in errdex::tui::remap::install(&settings.config.keys) {
        let shown = settings
            .config_file
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let note = format!("{shown}: keys: {problem}");
        writeln!(err, "errdex: warning: {note}")?;
        notes.push(note);
    }
    let look = Look {
        lang: settings.lang,
        // --theme over ERRDEX_THEME over the configuration file (`settings` holds the latter two).
        theme: cli.theme.unwrap_or(settings.theme),
        colour: cli.browser_color(),
        panes: settings.config.panes.unwrap_or_default(),
        pick: cli.print,
        env: lookup_env(cli, settings),
        config_file: settings.config_file.clone().filter(|f| f.is_file()),
        notes,
    };
    let browsed = commands::browse::run(
        settings.default,
        settings.catalogs.clone(),
        settings.cache_dir.clone(),
        look,
        message,
        err,
    )?;
    Ok(match browsed {
        Browsed::Quit => exit::OK,
        Browsed::Printed(text) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
            out.flush()?;
            exit::OK
        }
        Browsed::Cancelled => 130,
    })
}

/// The environment lookups rank for: `--env`, else the configuration's `env`, over what errdex detects.
fn lookup_env(cli: &Cli, settings: &Settings) -> errdex::search::lookup::LookupEnv {
    let given = cli.env.clone().or_else(|| settings.config.env.clone());
    errdex::search::lookup::LookupEnv::detected(given.unwrap_or_default())
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
    let catalog = match &settings.cache_dir {
        Some(dir) => Catalog::load_cached(settings.default, &settings.catalogs, &options, dir),
        None => Catalog::load_with(settings.default, &settings.catalogs, &options),
    };
    report_errors(catalog.count(errdex::catalog::Severity::Error), err);
    catalog
}

/// Lookups through the indexes, when every source's is current.
fn narrowing(settings: &Settings) -> Option<errdex::search::narrow::Narrowing> {
    let dir = settings.cache_dir.as_ref()?;
    errdex::catalog::index::warm(settings.default, &settings.catalogs, dir)
        .and_then(errdex::search::narrow::Narrowing::new)
}

/// `errdex lookup`: through the indexes when they are all current (only the records the message can reach
/// are built), else over the whole catalogue loaded.
fn lookup(
    settings: &Settings,
    message: Option<&str>,
    options: &commands::lookup::Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let message = commands::lookup::message_from(message, err)?;
    let catalog = ManuallyDrop::new(lookup_catalog(
        settings,
        &message,
        options.limit,
        &options.env,
        err,
    ));
    commands::lookup::run(&catalog, &message, options, out, err)
}

/// The catalogue a lookup of `message` (its best `limit` hits, in `env`) needs: through the indexes when they
/// are all current (only the records the message can reach are built), else the whole catalogue loaded.
fn lookup_catalog(
    settings: &Settings,
    message: &str,
    limit: usize,
    env: &errdex::search::lookup::LookupEnv,
    err: &mut impl Write,
) -> Catalog {
    if let Some(narrowing) = narrowing(settings) {
        let catalog = narrowing.catalog(message, limit, env);
        report_errors(catalog.count(errdex::catalog::Severity::Error), err);
        return catalog;
    }
    let loaded = load(settings, err);
    // A large file met for the first time was parsed into its index and left there: through the indexes,
    // now current, the lookup builds only the records the message reaches.
    match after_load(settings, &loaded) {
        Some(narrowing) => {
            drop(loaded);
            narrowing.catalog(message, limit, env)
        }
        None => loaded,
    }
}

/// `Narrowing::after_load` for the catalogue `load` gave.
fn after_load(settings: &Settings, loaded: &Catalog) -> Option<errdex::search::narrow::Narrowing> {
    let cache = settings.cache_dir.as_ref()?;
    errdex::search::narrow::Narrowing::after_load(
        loaded,
        settings.default,
        &settings.catalogs,
        cache,
    )
}

fn report_errors(errors: usize, err: &mut impl Write) {
    if errors > 0 {
        let _ = writeln!(
            err,
            "errdex: {errors} catalogue errors (run `errdex check` to list them)"
        );
    }
}
