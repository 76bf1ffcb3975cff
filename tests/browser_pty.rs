//! The real binary in a pseudo-terminal: typing, language, tabs, links, history, quitting, and a terminal
//! left as it was found (main screen, cursor visible).

mod common;

#[path = "pty/mod.rs"]
mod pty;

use pty::{Session, errdex_cmd};

#[test]
fn a_user_session_from_search_to_history_and_quit() {
    let mut s = pty::browse_fixture();
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
    s.wait_for_pane("git/merge-conflict");
    s.wait_for("Both sides changed the same lines");
    s.send("b");
    s.wait_for_pane("git/push-rejected");
    s.wait_for("git/not-in-this-catalogue");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn ctrl_c_quits_from_an_input_and_restores_the_terminal() {
    let mut s = pty::browse_fixture();
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
    let mut s = Session::start(pty::sh(&script));
    s.wait_for("Lookup results");
    s.wait_for("1/4");
    s.wait_for_pane("git/push-rejected");
    s.wait_for("error: failed to push some refs");
    s.wait_for("1 match");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn an_empty_standard_input_opens_the_plain_browser() {
    let script = format!(
        "{} --no-default -c tests/fixtures/browser.json < /dev/null",
        env!("CARGO_BIN_EXE_errdex")
    );
    let mut s = Session::start(pty::sh(&script));
    s.wait_for("4/4");
    assert!(
        pty::has_pane(&s.text(), "Search"),
        "search mode, not lookup:\n{}",
        s.text()
    );
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// A synthetic catalogue large enough that loading it takes a visible while (and that it is filtered in the
/// background). Debug builds load slower, so they get a smaller one. It is kept in Cargo's temporary directory
/// for tests and reused by later runs (synth is deterministic).
fn big_catalogue() -> &'static (std::path::PathBuf, usize) {
    static FILE: std::sync::OnceLock<(std::path::PathBuf, usize)> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let count = if cfg!(debug_assertions) {
            60_000
        } else {
            200_000
        };
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join(format!("synth-{count}.jsonl"));
        if !path.exists() {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_errdex"))
                .args(["synth", &count.to_string(), "--minimal"])
                .output()
                .expect("errdex synth");
            assert!(out.status.success());
            // Written aside and renamed, so an interrupted run never leaves half a catalogue to reuse.
            let partial = tempfile::NamedTempFile::new_in(dir).expect("temp file");
            std::fs::write(partial.path(), out.stdout).expect("write the catalogue");
            partial.persist(&path).expect("rename the catalogue");
        }
        (path, count)
    })
}

/// The browser loading the big catalogue through a named pipe the test holds: loading cannot finish before
/// `Held::release` writes the catalogue, however fast the machine is.
#[cfg(unix)]
fn browse_held() -> (Session, Held) {
    let (source, _) = big_catalogue();
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("held.jsonl");
    let c_path = std::ffi::CString::new(fifo.to_str().expect("utf-8 temp path")).expect("no NUL");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        fifo.to_str().expect("utf-8 temp path"),
    ]));
    let held = Held {
        _dir: dir,
        fifo,
        source: source.clone(),
    };
    (s, held)
}

/// The catalogue errdex is waiting to read.
#[cfg(unix)]
struct Held {
    _dir: tempfile::TempDir,
    fifo: std::path::PathBuf,
    source: std::path::PathBuf,
}

#[cfg(unix)]
impl Held {
    /// Writes the whole catalogue into the pipe and closes it: the load can now finish.
    fn release(&self) {
        let bytes = std::fs::read(&self.source).expect("read the catalogue");
        // Opening blocks until errdex has the pipe open for reading, which its loader does at once.
        let mut pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(&self.fifo)
            .expect("open the pipe");
        std::io::Write::write_all(&mut pipe, &bytes).expect("write the catalogue");
    }
}

/// The list's `shown/total` count, once no background filter is running.
fn list_count(text: &str, total: usize) -> Option<usize> {
    let line = text
        .lines()
        .find(|l| l.contains("┌ Records") || l.contains("┏ Records"))?;
    let at = line.find(&format!("/{total} "))?;
    let before = &line[..at];
    if before.contains('⋯') {
        return None;
    }
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    before[before.len() - digits..].parse().ok()
}

#[cfg(unix)]
#[test]
fn a_query_typed_while_loading_shows_at_once_and_filters_the_list_when_loaded() {
    let (_, total) = *big_catalogue();
    let (mut s, held) = browse_held();
    s.wait_for("Loading the catalogue");
    s.send("flask");
    s.send("\u{7f}k");
    // The typed text is on the loading screen while the catalogue is still loading.
    s.wait_until("the query on the loading screen", pty::PATIENCE, |t| {
        (t.contains("│flask") || t.contains("┃flask")) && t.contains("Loading the catalogue")
    });
    held.release();
    let text = s.wait_until("the filtered list", pty::PATIENCE, |t| {
        list_count(t, total).is_some_and(|n| n < total)
    });
    assert!(
        text.contains("│flask") || text.contains("┃flask"),
        "the query is in the search box:\n{text}"
    );
    let shown = list_count(&text, total).unwrap_or(0);
    assert!(shown > 0, "some records match flask:\n{text}");
    // The search box has the focus: typing goes on filtering.
    s.send("zzzzzz");
    s.wait_until("no match", pty::PATIENCE, |t| {
        list_count(t, total) == Some(0)
    });
    s.send("\u{3}");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[cfg(unix)]
#[test]
fn escape_while_loading_quits_at_once() {
    // The catalogue is never released: quitting must not wait for the load.
    let (mut s, _held) = browse_held();
    s.wait_for("Loading the catalogue");
    s.send("abc");
    s.send("\u{1b}");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(
        !raw.contains("Records"),
        "quit without waiting for the load"
    );
}

/// A piped message and no controlling terminal (`setsid`, a service): keys cannot be read, and errdex says
/// so instead of "No such device or address".
#[cfg(target_os = "linux")]
#[test]
fn without_a_controlling_terminal_the_browser_says_it_needs_one() {
    let script = format!(
        "echo 'exec /usr/bin/python3: exec format error' | setsid -w {} --no-default -c tests/fixtures/browser.json; echo \"exit=$?\"",
        env!("CARGO_BIN_EXE_errdex")
    );
    let mut s = Session::start(pty::sh(&script));
    s.wait_for("exit=2");
    assert!(
        s.text().contains("has no controlling terminal"),
        "{}",
        s.text()
    );
    s.wait_exit();
}
