//! The terminal edge: raw mode and the alternate screen on the way in, always undone on the way out (normal
//! quit, panic, any signal that ends errdex), and a stop (Ctrl-Z, or SIGTSTP from outside) that gives the
//! shell its terminal back and takes it over again, redrawn in full, when the process continues. The screen is
//! standard output, or the terminal device itself under `errdex --print` (standard output is then the
//! script's: only the choice goes there).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, OnceLock};

pub type Term = Terminal<CrosstermBackend<Screen>>;

/// The terminal device, when the screen is drawn there rather than on standard output (`use_tty`).
static TTY: OnceLock<std::fs::File> = OnceLock::new();

/// Held while a frame is written and while the terminal is handed back on a stop, so the two never interleave.
static WRITING: Mutex<()> = Mutex::new(());

/// Draws on the terminal device from now on, leaving standard output to the caller (`errdex --print`).
pub fn use_tty() -> io::Result<()> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(if cfg!(windows) { "CONOUT$" } else { "/dev/tty" })?;
    let _ = TTY.set(tty);
    Ok(())
}

/// Where the screen goes: standard output, or the terminal device after `use_tty`. Frames are buffered and
/// written in one go on flush.
#[derive(Default)]
pub struct Screen {
    buf: Vec<u8>,
}

impl Write for Screen {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _held = WRITING.lock().unwrap_or_else(|p| p.into_inner());
        write_raw(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

/// Writes straight to the screen's device, unbuffered and without taking `WRITING` (for `restore`, which
/// may run from a panic hook or a signal thread while a frame is being written).
fn write_raw(data: &[u8]) -> io::Result<()> {
    match TTY.get() {
        Some(mut tty) => {
            tty.write_all(data)?;
            tty.flush()
        }
        None => {
            let mut out = io::stdout();
            out.write_all(data)?;
            out.flush()
        }
    }
}

/// A writer for `execute!` that goes straight to the screen's device.
struct Raw;

impl Write for Raw {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        write_raw(data)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Puts the terminal in browser mode; `restore` (or dropping the guard) puts it back.
pub struct Guard {
    pub terminal: Term,
}

impl Guard {
    pub fn enter() -> io::Result<Guard> {
        install_panic_hook();
        enter_modes()?;
        let terminal = Terminal::new(CrosstermBackend::new(Screen::default()))?;
        Ok(Guard { terminal })
    }

    /// After a stop: a fresh terminal redraws everything on the next frame. `Terminal::clear` would query the
    /// cursor position, which some terminals never answer.
    pub fn redraw_all(&mut self) -> io::Result<()> {
        execute!(
            Raw,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        self.terminal = Terminal::new(CrosstermBackend::new(Screen::default()))?;
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
/// for a SIGTSTP from outside (a shell's job control, `kill -TSTP`), so both leave the terminal alike. The
/// screen stays locked meanwhile, so a frame being drawn cannot interleave with the mode switches.
pub fn stop_and_resume() {
    let _held = WRITING.lock().unwrap_or_else(|p| p.into_inner());
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
        Raw,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Undoes everything `enter_modes` did. Safe to call twice; errors are ignored (nothing more can be done).
pub fn restore() {
    let _ = execute!(
        Raw,
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
