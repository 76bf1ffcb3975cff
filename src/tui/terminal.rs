//! The terminal edge: raw mode and the alternate screen on the way in, always undone on the way out (normal
//! quit, panic, any signal that ends errdex), and a stop (Ctrl-Z, or SIGTSTP from outside) that gives the
//! shell its terminal back and takes it over again, redrawn in full, when the process continues.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal in browser mode; `restore` (or dropping the guard) puts it back.
pub struct Guard {
    pub terminal: Term,
}

impl Guard {
    pub fn enter() -> io::Result<Guard> {
        install_panic_hook();
        enter_modes()?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(Guard { terminal })
    }

    /// After a stop: a fresh terminal redraws everything on the next frame. `Terminal::clear` would query the
    /// cursor position, which some terminals never answer.
    pub fn redraw_all(&mut self) -> io::Result<()> {
        execute!(
            io::stdout(),
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(())
    }

    /// Redraws in full if the process was stopped and continued since the last call.
    pub fn redraw_if_resumed(&mut self) -> io::Result<()> {
        if RESUMED.swap(false, Ordering::SeqCst) {
            self.redraw_all()?;
        }
        Ok(())
    }
}

/// Set when the process continues after a stop; the drawing loop then redraws everything.
static RESUMED: AtomicBool = AtomicBool::new(false);

/// Gives the shell its terminal back, stops the process as SIGTSTP would, and on SIGCONT takes the terminal
/// over again and asks the drawing loop for a full redraw. Called by the Ctrl-Z key and by the signal thread
/// for a SIGTSTP from outside (a shell's job control, `kill -TSTP`), so both leave the terminal alike. Stdout
/// stays locked meanwhile, so a frame being drawn cannot interleave with the mode switches.
pub fn stop_and_resume() {
    let stdout = io::stdout();
    let _held = stdout.lock();
    restore();
    #[cfg(unix)]
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
    let _ = enter_modes();
    RESUMED.store(true, Ordering::SeqCst);
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn enter_modes() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Undoes everything `enter_modes` did. Safe to call twice; errors are ignored (nothing more can be done).
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// A panic restores the terminal before the message prints, so the message is readable and the shell usable.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
