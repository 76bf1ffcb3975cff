//! The browser command (errdex with no subcommand, `errdex run -i`): checks there is a terminal to draw on
//! and keys to read, takes a piped standard input as the message to look up, reads the user's marks, and runs
//! the browser while the catalogue loads. With `--print` it draws on the terminal device and hands the choice
//! back for standard output.

use super::error::CommandError;
use crate::catalog::{Catalog, Lang};
use crate::tui::Loaded;
use crate::tui::app::App;
use crate::tui::layout::Panes;
use crate::tui::model::{Pick, Whole};
use crate::tui::theme::ThemeName;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// How many records the browser opens on while the rest of a large catalogue loads: more than a screen holds,
/// and built in milliseconds.
const PREVIEW: usize = 1_000;

/// From what size of its indexes a catalogue opens on its first records: 16 MiB is about 30,000 minimal
/// records (fewer full ones), which load in about 60 ms; 1,000,000 take two seconds. Checking whether the
/// indexes are current costs a walk of the sources (14 ms on the deadends corpus, 2 MiB of index), which a
/// smaller catalogue is spared.
const PREVIEW_FROM: u64 = 16 << 20;

/// How the browser looks and what it is for, as the flags, environment and configuration decided.
#[derive(Debug, Clone)]
pub struct Look {
    pub lang: Lang,
    pub theme: ThemeName,
    /// Whether colour is allowed at all (NO_COLOR, --color).
    pub colour: bool,
    pub panes: Panes,
    /// `--print`: what Enter hands back.
    pub pick: Option<Pick>,
    /// The environment lookups rank for.
    pub env: crate::search::lookup::LookupEnv,
    /// The configuration file if it exists: the layout the user chooses is remembered there.
    pub config_file: Option<PathBuf>,
    /// Problems found before the browser opened (a rebound key refused...), for the status bar.
    pub notes: Vec<String>,
}

/// How the browser ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Browsed {
    Quit,
    /// `--print`: the choice, for standard output.
    Printed(String),
    /// `--print` left without a choice (Esc): nothing printed, exit 130 as fzf.
    Cancelled,
}

/// Opens the browser on the catalogues (`default` adds the embedded one; `cache`, the persistent index's
/// directory, makes unchanged files load from there) until the user quits. `message` (from `errdex run -i`)
/// stands for a piped standard input.
pub fn run(
    default: bool,
    paths: Vec<PathBuf>,
    cache: Option<PathBuf>,
    look: Look,
    message: Option<String>,
    err: &mut impl Write,
) -> Result<Browsed, CommandError> {
    if look.pick.is_some() {
        crate::tui::terminal::use_tty().map_err(|e| CommandError::NoTerminalDevice(e.into()))?;
    } else if !std::io::stdout().is_terminal() {
        return Err(CommandError::NotATerminal);
    }
    let message = match message {
        Some(m) => Some(m),
        None if std::io::stdin().is_terminal() => None,
        None => {
            // Keys then come from the controlling terminal, which a process started with `setsid` or from a
            // service has none of.
            if cfg!(unix) && std::fs::File::open("/dev/tty").is_err() {
                return Err(CommandError::NoControllingTerminal);
            }
            let (text, cut) = crate::stdin::read_capped(std::io::stdin().lock())?;
            if cut {
                writeln!(err, "errdex: standard input was cut at 1 MiB")?;
            }
            // An empty stdin (`< /dev/null`, a finished pipe) is no message to look up.
            Some(text).filter(|t| !t.trim().is_empty())
        }
    };
    let (marks, outcomes_path, marks_notice) = read_marks();
    if let Some(notice) = &marks_notice {
        writeln!(err, "errdex: {notice}")?;
    }
    // The status bar has room for one: the first, and how many more were printed before the browser opened.
    let mut notes = look.notes;
    notes.extend(marks_notice);
    let notice = notes.first().map(|first| match notes.len() {
        1 => first.clone(),
        n => format!(
            "{first} (and {} more: see the terminal after quitting)",
            n - 1
        ),
    });
    let theme = crate::tui::theme::choose(
        look.theme,
        look.colour,
        crate::tui::probe::background_is_light,
    );
    let (lang, pick, panes, config_file, env) =
        (look.lang, look.pick, look.panes, look.config_file, look.env);
    // Diagnostics are counted in the status bar (`d` lists them); nothing is printed over the screen.
    // The load runs on its own thread while the loading screen takes keys, so it owns what it reads.
    let printed = crate::tui::run_loading(lang, theme, move |send| {
        let options = crate::tui::app::Options {
            lang,
            theme,
            panes,
            message,
            pick,
            marks,
            outcomes_path,
            config_file,
            env,
            notice,
            ..Default::default()
        };
        load(send, default, &paths, cache.as_deref(), options);
    })?;
    Ok(match (pick, printed) {
        (None, _) => Browsed::Quit,
        (Some(_), Some(text)) => Browsed::Printed(text),
        (Some(_), None) => Browsed::Cancelled,
    })
}

/// What the browser's loader thread does: sends the app; or, for a large catalogue whose indexes are current,
/// first an app on its first records, read from the indexes, then the whole catalogue.
fn load(
    send: &std::sync::mpsc::Sender<Loaded>,
    default: bool,
    paths: &[PathBuf],
    cache: Option<&std::path::Path>,
    options: crate::tui::app::Options,
) {
    let gate = std::env::var_os("ERRDEX_TEST_PREVIEW").map(PathBuf::from);
    let from = if gate.is_some() { 0 } else { PREVIEW_FROM };
    let preview = cache
        .filter(|dir| crate::catalog::index::size_of(paths, dir) >= from)
        .and_then(|dir| first_records(default, paths, dir));
    let previewed = preview.is_some();
    if let Some((first, total)) = preview {
        let app = App::preview(first, total, options.clone());
        let _ = send.send(Loaded::App(Box::new(app)));
        // Tests hold the whole back until they have seen the preview.
        while let Some(gate) = &gate
            && !gate.exists()
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    // Regexes are checked after the first frame (a third of the load time of a large catalogue).
    let load = crate::catalog::load::Options {
        check_regexes: false,
    };
    let catalog = match cache {
        Some(dir) => Catalog::load_cached(default, paths, &load, dir),
        None => Catalog::load_with(default, paths, &load),
    };
    // Records left in the indexes are looked up through them, as `errdex lookup` does.
    let narrowing = cache
        .and_then(|dir| crate::search::narrow::Narrowing::after_load(&catalog, default, paths, dir))
        .map(std::sync::Arc::new);
    let _ = send.send(match previewed {
        true => Loaded::Whole(Whole {
            narrowing,
            ..Whole::new(catalog)
        }),
        false => Loaded::App(Box::new(App::new(
            catalog,
            crate::tui::app::Options {
                narrowing,
                ..options
            },
        ))),
    });
}

/// The first records (`PREVIEW` of them) of a catalogue of more, and how many it has, when every source's
/// index in `cache` is current: read from the indexes in milliseconds at any size.
pub fn first_records(
    default: bool,
    paths: &[PathBuf],
    cache: &std::path::Path,
) -> Option<(Catalog, usize)> {
    let narrowing = crate::catalog::index::warm(default, paths, cache)
        .and_then(crate::search::narrow::Narrowing::new)?;
    (narrowing.len() > PREVIEW).then(|| (narrowing.first(PREVIEW), narrowing.len()))
}

/// The user's marks and where new ones go, and a note if the file had to be set aside or could not be read
/// (the browser then runs without the old marks; new ones still go to the file).
fn read_marks() -> (
    crate::outcomes::Marks,
    Option<std::path::PathBuf>,
    Option<String>,
) {
    let Some(path) = crate::outcomes::default_path() else {
        return (Default::default(), None, None);
    };
    match crate::outcomes::load(&path) {
        Ok(loaded) => {
            let notice = loaded.set_aside.map(|(aside, line, why)| {
                format!(
                    "{}: line {line} does not read ({why}); the file was kept as {} and its good lines carried over",
                    path.display(),
                    aside.display()
                )
            });
            (loaded.marks, Some(path), notice)
        }
        Err(e) => {
            let notice = format!("{}: {e}; earlier marks are not shown", path.display());
            (Default::default(), Some(path), Some(notice))
        }
    }
}
