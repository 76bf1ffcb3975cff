//! The real binary in a pseudo-terminal: typing, language, tabs, links, history, quitting, and a terminal
//! left as it was found (main screen, cursor visible).

mod common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// Runs `argv` (through `sh -c` when it is one string with a pipe) in a 120x40 terminal.
    fn start(cmd: CommandBuilder) -> Session {
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
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("writer");
        Session {
            output,
            writer,
            child,
            _master: pty.master,
        }
    }

    fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(40, 120, 0);
        parser.process(&self.output.lock().expect("lock"));
        parser
    }

    fn text(&self) -> String {
        self.screen().screen().contents()
    }

    /// Waits until the screen shows `want` (10 s at most: a loaded CI machine is slow, a hang still fails).
    fn wait_for(&self, want: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self.text().contains(want) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("screen never showed {want:?}; it shows:\n{}", self.text());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // A lone ESC followed at once by a key reads as Alt-key; real typing has gaps.
        std::thread::sleep(Duration::from_millis(if keys.starts_with('\u{1b}') {
            200
        } else {
            60
        }));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait().expect("wait") {
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("errdex did not exit; screen:\n{}", self.text());
    }

    /// The terminal is back to normal: main screen, cursor shown, and the last mode switch was the way out.
    fn assert_restored(&self) {
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
    }
}

fn errdex_cmd(args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_errdex"));
    cmd.args(args);
    cmd.cwd(common::repo(""));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd
}

#[test]
fn a_user_session_from_search_to_history_and_quit() {
    let mut s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
    ]));
    s.wait_for("4/4");
    s.wait_for("! [rejected] main -> main (non-fast-forward)");
    s.send("/");
    s.send("enospc");
    s.wait_for("1/4");
    s.wait_for("node/enospc-watchers");
    s.send("\u{1b}");
    s.send("L");
    s.wait_for("中文");
    s.wait_for("已达到文件监视器数量的系统上限");
    s.send("2");
    s.wait_for("清理磁盘空间");
    s.send("\u{1b}");
    s.wait_for("4/4");
    s.send("L");
    s.wait_for("Free disk space");
    s.send("g");
    s.send("4");
    s.wait_for("Leads to");
    s.send("l");
    s.send("\r");
    s.wait_for("┌ git/merge-conflict");
    s.wait_for("Both sides changed the same lines");
    s.send("b");
    s.wait_for("┌ git/push-rejected");
    s.wait_for("git/not-in-this-catalogue");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn ctrl_c_quits_from_an_input_and_restores_the_terminal() {
    let mut s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
    ]));
    s.wait_for("4/4");
    s.send("/");
    s.send("rejected");
    s.wait_for("1/4");
    s.send("\u{3}");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn a_piped_error_opens_the_browser_on_its_lookup() {
    let script = format!(
        "printf 'Pushing to github.com:me/app.git\\nTo github.com:me/app.git\\n ! [rejected]        main -> main (non-fast-forward)\\nerror: failed to push some refs\\n' | {} --no-default -c tests/fixtures/browser.json",
        env!("CARGO_BIN_EXE_errdex")
    );
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.cwd(common::repo(""));
    cmd.env("TERM", "xterm-256color");
    let mut s = Session::start(cmd);
    s.wait_for("Lookup results");
    s.wait_for("1/4");
    s.wait_for("┌ git/push-rejected");
    s.wait_for("error: failed to push some refs");
    s.wait_for("1 match");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}
