//! The browser command (errdex with no subcommand): checks there is a terminal to draw on and keys to read,
//! takes a piped standard input as the message to look up, and runs the browser while the catalogue loads.

use super::error::CommandError;
use super::exit;
use crate::catalog::{Catalog, Lang};
use crate::tui::theme::ThemeName;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Opens the browser on the catalogues (`default` adds the embedded one) until the user quits.
pub fn run(
    default: bool,
    paths: Vec<PathBuf>,
    lang: Lang,
    theme: ThemeName,
    colour: bool,
    err: &mut impl Write,
) -> Result<u8, CommandError> {
    if !std::io::stdout().is_terminal() {
        return Err(CommandError::NotATerminal);
    }
    // A piped standard input is the error to look up (`cmd 2>&1 | errdex`); keys then come from the terminal.
    let message = if std::io::stdin().is_terminal() {
        None
    } else {
        if cfg!(unix) && std::fs::File::open("/dev/tty").is_err() {
            return Err(CommandError::NoControllingTerminal);
        }
        let (text, cut) = crate::stdin::read_capped(std::io::stdin().lock())?;
        if cut {
            writeln!(err, "errdex: standard input was cut at 1 MiB")?;
        }
        // An empty stdin (`< /dev/null`, a finished pipe) is no message to look up.
        Some(text).filter(|t| !t.trim().is_empty())
    };
    // Diagnostics are counted in the status bar (`d` lists them); nothing is printed over the screen.
    // The load runs on its own thread while the loading screen takes keys, so it owns what it reads.
    let (marks, outcomes_path, notice) = read_marks();
    if let Some(notice) = &notice {
        writeln!(err, "errdex: {notice}")?;
    }
    let theme = crate::tui::theme::choose(theme, colour, crate::tui::probe::background_is_light);
    crate::tui::run_loading(lang, theme, move || {
        // Regexes are checked after the first frame (a third of the load time of a large catalogue).
        let options = crate::catalog::load::Options {
            check_regexes: false,
        };
        let catalog = Catalog::load_with(default, &paths, &options);
        let options = crate::tui::app::Options {
            lang,
            theme,
            message,
            marks,
            outcomes_path,
            notice,
            ..Default::default()
        };
        crate::tui::app::App::new(catalog, options)
    })?;
    Ok(exit::OK)
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
