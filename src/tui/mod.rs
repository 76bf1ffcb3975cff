//! The full-screen browser. State and `update` are pure (`app`, `update`); keys become actions through
//! `keymap`; `view` draws; `loading` is the state of the loading screen, which already takes the query while the
//! catalogue loads on a thread of its own; this module runs the loops and the terminal edge.

pub mod action;
pub mod app;
pub mod background;
pub mod edit;
pub mod effects;
pub mod error;
pub mod keymap;
pub mod layout;
pub mod loading;
pub mod model;
pub mod probe;
pub mod remap;
pub mod rows;
pub mod terminal;
pub mod textbuf;
pub mod theme;
pub mod update;
pub mod view;

use action::Action;
use app::{App, Effect};
use crossterm::event::{self, Event, KeyCode, KeyModifiers, MouseButton, MouseEventKind};
use error::TerminalError;
use std::io;
use std::time::Duration;

/// Turns a terminal event into an action for the app's current focus.
pub fn action_for_event(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if app.pick.is_some() => keymap::action_for_picking(app.context(), k),
        Event::Key(k) => keymap::action_for(app.context(), k),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Action::Wheel {
                column: m.column,
                row: m.row,
                down: m.kind == MouseEventKind::ScrollDown,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Signals that end a process by default restore the terminal and end errdex, and SIGTSTP stops it with the
/// terminal given back (`terminal::stop_and_resume`), from a thread of their own: the main thread may be busy
/// (a paste, a filter) or inside crossterm's read, which spins forever once the terminal has hung up. For the
/// same reason, a terminal that disappears without a signal ends the process too.
fn spawn_watchdogs() -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{
            SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2,
        };
        let mut signals = signal_hook::iterator::Signals::new([
            SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGTSTP,
        ])?;
        std::thread::spawn(move || {
            for sig in signals.forever() {
                if sig == SIGTSTP {
                    terminal::stop_and_resume();
                    continue;
                }
                terminal::restore();
                std::process::exit(128 + sig);
            }
        });
    }
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            if crossterm::terminal::size().is_err() {
                terminal::restore();
                std::process::exit(129);
            }
        }
    });
    Ok(())
}

/// Runs the browser until the user quits (or a signal or hang-up ends the process; see `spawn_watchdogs`).
/// Returns what `--print` chose, if anything.
pub fn run(app: App) -> Result<Option<String>, TerminalError> {
    let theme = app.theme;
    run_loading(crate::catalog::Lang::En, theme, move |send| {
        let _ = send.send(Loaded::App(Box::new(app)));
    })
}

/// What the loader thread sends: the app; or first an app on a large catalogue's first records
/// (`App::preview`), then the whole catalogue.
pub enum Loaded {
    App(Box<App>),
    Whole(model::Whole),
}

/// Like `run`, but takes over the terminal first and builds the app with `load` on a thread of its own, so a
/// large catalogue shows a live loading screen that already takes the search query (or, sooner, its first
/// records, which `load` sends first when it can). Returns the text of the
/// last `Effect::Print` (the `--print` choice), for the caller to print once the terminal is restored.
pub fn run_loading(
    lang: crate::catalog::Lang,
    theme: theme::Theme,
    load: impl FnOnce(&std::sync::mpsc::Sender<Loaded>) + Send + 'static,
) -> Result<Option<String>, TerminalError> {
    spawn_watchdogs().map_err(TerminalError::Setup)?;
    let mut guard = terminal::Guard::enter().map_err(TerminalError::Setup)?;
    let Some((mut app, typed, loader)) = wait_for_load(&mut guard, lang, theme, load)? else {
        // Quit while loading: the loader thread is abandoned; the process ends with this function's caller.
        return Ok(None);
    };
    let size = guard.terminal.size()?;
    update::update(
        &mut app,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    typed.apply(&mut app);
    // Lets the tests prove a panic restores the terminal; nothing else sets it.
    let panic_for_tests = std::env::var_os("ERRDEX_TEST_PANIC").is_some();
    let mut filter = background::Filter::spawn(&app);
    if app.loading.is_none() {
        filter.check_regexes(&app);
    }
    let mut printed = None;
    loop {
        if app.loading.is_some() {
            match loader.try_recv() {
                Ok(Loaded::Whole(whole)) => {
                    update::update(&mut app, Action::Loaded(whole));
                    // The filter thread reads the catalogue it was given: a new one for the whole.
                    filter = background::Filter::spawn(&app);
                    filter.check_regexes(&app);
                }
                Ok(Loaded::App(_)) | Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    return Err(TerminalError::LoaderPanicked);
                }
            }
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Print(text) => printed = Some(text),
                Effect::Copy(text) => effects::copy(guard.terminal.backend_mut(), &text)?,
                Effect::Open(url) => effects::open(&url),
                Effect::Filter {
                    generation,
                    query,
                    lang,
                } => filter.request(generation, background::Job::Filter(query, lang)),
                Effect::Lookup {
                    generation,
                    message,
                } => filter.request(generation, background::Job::Lookup(message)),
                Effect::SavePanes(panes) => {
                    if let Some(path) = app.config_file.clone()
                        && let Err(e) = crate::config::remember::panes(&path, &panes)
                    {
                        update::update(
                            &mut app,
                            Action::NotSaved(format!("{}: {e}", path.display())),
                        );
                    }
                }
                Effect::SaveMark(mark) => {
                    if let Some(path) = app.outcomes_path.clone()
                        && let Err(e) = crate::outcomes::append(&path, &mark)
                    {
                        update::update(&mut app, Action::NotSaved(e.to_string()));
                    }
                }
            }
        }
        if app.quit {
            break;
        }
        guard.redraw_if_resumed()?;
        guard.terminal.draw(|f| view::draw(&app, f))?;
        assert!(!panic_for_tests, "ERRDEX_TEST_PANIC is set");
        // While a background filter runs or the catalogue loads, wake often to show the result as soon as it is
        // ready.
        let wait = if app.background.pending.is_some() || app.loading.is_some() {
            15
        } else {
            100
        };
        let ready = event::poll(Duration::from_millis(wait))?;
        for action in filter.finished() {
            update::update(&mut app, action);
        }
        if !ready {
            continue;
        }
        let ev = event::read()?;
        if is_suspend(&ev) {
            terminal::stop_and_resume();
            continue;
        }
        if let Some(action) = action_for_event(&app, &ev) {
            update::update(&mut app, action);
        }
    }
    drop(guard);
    Ok(printed)
}

/// Runs `load` on another thread and keeps the loading screen live meanwhile: it redraws every frame and turns
/// keys into edits of the pending query. Returns the app (perhaps a preview, `App::loading`), what was typed and
/// where the whole catalogue will come from, or `None` if the user quit first.
#[allow(clippy::type_complexity)]
fn wait_for_load(
    guard: &mut terminal::Guard,
    lang: crate::catalog::Lang,
    theme: theme::Theme,
    load: impl FnOnce(&std::sync::mpsc::Sender<Loaded>) + Send + 'static,
) -> Result<Option<(App, loading::Loading, std::sync::mpsc::Receiver<Loaded>)>, TerminalError> {
    let (done, loaded) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("errdex-load".into())
        // Nobody waits any more if the user quit; what it sends is simply dropped.
        .spawn(move || load(&done))?;
    let started = std::time::Instant::now();
    let mut state = loading::Loading::new(lang, theme);
    loop {
        match loaded.try_recv() {
            Ok(Loaded::App(app)) => return Ok(Some((*app, state, loaded))),
            // Only ever after an app.
            Ok(Loaded::Whole(_)) => {}
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            // The loader panicked (the panic hook has restored the terminal and printed why).
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                return Err(TerminalError::LoaderPanicked);
            }
        }
        guard.redraw_if_resumed()?;
        guard
            .terminal
            .draw(|f| view::loading::draw(&state, started.elapsed(), f))?;
        // 25 ms: the spinner stays smooth, and a finished load is picked up within a frame.
        if !event::poll(Duration::from_millis(25))? {
            continue;
        }
        let ev = event::read()?;
        if is_suspend(&ev) {
            terminal::stop_and_resume();
            continue;
        }
        let action = match &ev {
            Event::Key(k) => keymap::action_for(state.context(), k),
            Event::Paste(text) => Some(Action::Paste(text.clone())),
            // A resize needs no action: the next draw fits the new size.
            _ => None,
        };
        if let Some(action) = action {
            loading::update(&mut state, action);
        }
        if state.quit {
            return Ok(None);
        }
    }
}

/// Ctrl-Z, handled at the terminal edge rather than as an action: it stops the process.
fn is_suspend(ev: &Event) -> bool {
    matches!(ev, Event::Key(k)
        if k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL))
}
