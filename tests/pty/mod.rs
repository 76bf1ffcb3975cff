//! A pseudo-terminal session with the real binary, read through a vt100 parser.
#![allow(dead_code)]

// Some tests use `pty` without `common`: the file is included here too (a separate copy where both are).
#[allow(clippy::duplicate_mod)]
#[path = "../common/home.rs"]
mod home;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any wait for the terminal may take before the test fails with the screen: far beyond what a
/// loaded machine needs, so only a hang reaches it. Waits end as soon as the state shows.
pub const PATIENCE: Duration = Duration::from_secs(60);

pub struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    /// Set when the terminal has nothing more to read: every process on it has ended.
    drained: Arc<std::sync::atomic::AtomicBool>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// Runs `argv` (through `sh -c` when it is one string with a pipe) in a 120x40 terminal.
    pub fn start(cmd: CommandBuilder) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let done = Arc::clone(&drained);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let writer = pty.master.take_writer().expect("writer");
        Session {
            output,
            drained,
            writer,
            child,
            _master: pty.master,
        }
    }

    pub fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(40, 120, 0);
        parser.process(&self.output.lock().expect("lock"));
        parser
    }

    /// Every byte the program wrote to the terminal.
    pub fn raw(&self) -> Vec<u8> {
        self.output.lock().expect("lock").clone()
    }

    pub fn text(&self) -> String {
        self.screen().screen().contents()
    }

    /// Waits until the screen shows `want` (`PATIENCE` at most: a loaded CI machine is slow, a hang still
    /// fails).
    pub fn wait_for(&self, want: &str) {
        self.wait_until(want, PATIENCE, |text| text.contains(want));
    }

    /// Waits for a pane titled `title`, focused (thick border) or not.
    pub fn wait_for_pane(&self, title: &str) {
        self.wait_until(&format!("a pane titled {title}"), PATIENCE, |text| {
            has_pane(text, title)
        });
    }

    /// Waits until `ok` holds for the screen's text, or fails after `limit` naming `what` was awaited.
    pub fn wait_until(&self, what: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        while start.elapsed() < limit {
            let text = self.text();
            if ok(&text) {
                return text;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("screen never showed {what:?}; it shows:\n{}", self.text());
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // A lone ESC followed at once by a key reads as Alt-key; real typing has gaps.
        std::thread::sleep(Duration::from_millis(if keys.starts_with('\u{1b}') {
            200
        } else {
            60
        }));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Everything it wrote is read once the terminal reports its end (bounded, not assumed).
                let drain = Instant::now();
                while !self.drained.load(std::sync::atomic::Ordering::SeqCst)
                    && drain.elapsed() < PATIENCE
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("errdex did not exit; screen:\n{}", self.text());
    }

    /// The screen is back to normal: main screen, cursor shown, mouse reporting off, and the last mode switch
    /// was the way out.
    pub fn assert_screen_restored(&self) {
        let parser = self.screen();
        assert!(
            !parser.screen().alternate_screen(),
            "left the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor visible");
        let raw = self.output.lock().expect("lock").clone();
        let last = |pat: &[u8]| raw.windows(pat.len()).rposition(|w| w == pat);
        assert!(
            last(b"\x1b[?1049l") > last(b"\x1b[?1049h"),
            "alternate screen left after entered"
        );
        assert!(last(b"\x1b[?25h").is_some(), "cursor shown");
        assert!(
            last(b"\x1b[?1000l") >= last(b"\x1b[?1000h"),
            "mouse reporting left on"
        );
    }

    /// `assert_screen_restored`, and every mode and the termios as they were, for a program run straight in
    /// the terminal (under an interactive shell, the shell's line editor sets its own).
    pub fn assert_restored(&self) {
        self.assert_screen_restored();
        assert!(
            self.modes_off(),
            "mouse reporting, bracketed paste or the alternate screen left on"
        );
        #[cfg(unix)]
        assert!(self.canonical(), "the terminal is left in raw mode");
    }

    /// Whether every mode errdex turns on was last turned off: the alternate screen, mouse reporting,
    /// bracketed paste, and the hidden cursor shown again.
    pub fn modes_off(&self) -> bool {
        let raw = self.output.lock().expect("lock").clone();
        let last = |pat: &[u8]| raw.windows(pat.len()).rposition(|w| w == pat);
        [
            (&b"\x1b[?1049l"[..], &b"\x1b[?1049h"[..]),
            (b"\x1b[?1000l", b"\x1b[?1000h"),
            (b"\x1b[?2004l", b"\x1b[?2004h"),
            (b"\x1b[?25h", b"\x1b[?25l"),
        ]
        .iter()
        .all(|(off, on)| last(off) >= last(on))
    }

    /// Whether errdex's modes are on again: the alternate screen, mouse reporting and bracketed paste were
    /// last turned on.
    pub fn modes_on(&self) -> bool {
        let raw = self.output.lock().expect("lock").clone();
        let last = |pat: &[u8]| raw.windows(pat.len()).rposition(|w| w == pat);
        [
            (&b"\x1b[?1049h"[..], &b"\x1b[?1049l"[..]),
            (b"\x1b[?1000h", b"\x1b[?1000l"),
            (b"\x1b[?2004h", b"\x1b[?2004l"),
        ]
        .iter()
        .all(|(on, off)| last(on) > last(off))
    }

    /// Whether the terminal is in canonical (cooked) mode with echo, as a shell expects it, read from the
    /// pseudo-terminal's termios.
    #[cfg(unix)]
    pub fn canonical(&self) -> bool {
        let fd = self._master.as_raw_fd().expect("master fd");
        // SAFETY: termios is plain data, filled by tcgetattr on a descriptor we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }
}

pub fn errdex_cmd(args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_errdex"));
    cmd.args(args);
    cmd.cwd(concat!(env!("CARGO_MANIFEST_DIR")));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    isolate(&mut cmd);
    cmd
}

/// A shell script run in the terminal from the repository's root (pipes, redirections, `setsid`).
pub fn sh(script: &str) -> CommandBuilder {
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", script]);
    cmd.cwd(concat!(env!("CARGO_MANIFEST_DIR")));
    cmd.env("TERM", "xterm-256color");
    isolate(&mut cmd);
    cmd
}

/// No configuration, synced catalogues or marks of the developer's: the XDG directories point into a
/// directory that is never created (a test that needs a home sets its own after this), and the `ERRDEX_*`
/// settings are cleared.
pub fn isolate(cmd: &mut CommandBuilder) {
    for var in home::EMPTY_HOME_VARS {
        cmd.env(var, home::empty_home().join(var.to_lowercase()));
    }
    for var in home::ERRDEX_VARS {
        cmd.env_remove(var);
    }
}

/// The browser on the four-record fixture catalogue, once it shows all four.
pub fn browse_fixture() -> Session {
    let s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
    ]));
    s.wait_for("4/4");
    s
}

/// Whether the screen shows a pane titled `title`, focused (thick border) or not.
pub fn has_pane(text: &str, title: &str) -> bool {
    text.contains(&format!("┌ {title}")) || text.contains(&format!("┏ {title}"))
}
