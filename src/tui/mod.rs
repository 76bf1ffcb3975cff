//! The full-screen browser. State and `update` are pure (`app`, `update`); keys become actions through
//! `keymap`; `view` draws; this module runs the loop and the terminal edge.

pub mod action;
pub mod app;
pub mod background;
pub mod effects;
pub mod keymap;
pub mod layout;
pub mod terminal;
pub mod textbuf;
pub mod update;
pub mod view;

use action::Action;
use app::{App, Effect};
use crossterm::event::{self, Event, KeyCode, KeyModifiers, MouseButton, MouseEventKind};
use std::io;
use std::time::Duration;

/// Turns a terminal event into an action for the app's current focus.
pub fn action_for_event(app: &App, ev: &Event) -> Option<Action> {
    match ev {
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

/// SIGTERM, SIGHUP and SIGINT restore the terminal and end the process, from a thread of their own: the main
/// thread may be inside crossterm's read, which spins forever once the terminal has hung up. For the same
/// reason, a terminal that disappears without a signal ends the process too.
fn spawn_watchdogs() -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
        std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
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
pub fn run(app: App) -> io::Result<()> {
    run_loading(crate::catalog::Lang::En, || app)
}

/// Like `run`, but takes over the terminal first and shows a loading screen while `load` builds the app, so a
/// large catalogue shows progress instead of a silent prompt.
pub fn run_loading(lang: crate::catalog::Lang, load: impl FnOnce() -> App) -> io::Result<()> {
    spawn_watchdogs()?;
    let mut guard = terminal::Guard::enter()?;
    guard.terminal.draw(|f| view::loading(lang, f))?;
    let mut app = load();
    let size = guard.terminal.size()?;
    update::update(
        &mut app,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    // Lets the tests prove a panic restores the terminal; nothing else sets it.
    let panic_for_tests = std::env::var_os("ERRDEX_TEST_PANIC").is_some();
    let filter = background::Filter::spawn(&app);
    while !app.quit {
        guard.terminal.draw(|f| view::draw(&app, f))?;
        assert!(!panic_for_tests, "ERRDEX_TEST_PANIC is set");
        // While a background filter runs, wake often to show its result as soon as it is ready.
        let wait = if app.pending.is_some() { 15 } else { 100 };
        let ready = event::poll(Duration::from_millis(wait))?;
        for action in filter.finished() {
            update::update(&mut app, action);
        }
        if !ready {
            continue;
        }
        let ev = event::read()?;
        if let Event::Key(k) = &ev
            && k.code == KeyCode::Char('z')
            && k.modifiers.contains(KeyModifiers::CONTROL)
        {
            guard.suspend()?;
            continue;
        }
        if let Some(action) = action_for_event(&app, &ev) {
            update::update(&mut app, action);
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Copy(text) => effects::copy(guard.terminal.backend_mut(), &text)?,
                Effect::Open(url) => effects::open(&url),
                Effect::Filter {
                    generation,
                    query,
                    lang,
                } => filter.request(generation, query, lang),
            }
        }
    }
    drop(guard);
    Ok(())
}
