//! Themes in the real binary on a pseudo-terminal: no colour for NO_COLOR, the light colours when asked for
//! them, and `auto` asking the terminal for its background (OSC 11) and reading the answer.

mod pty;

use pty::{Session, errdex_cmd};

const FIXTURE: [&str; 3] = ["--no-default", "-c", "tests/fixtures/browser.json"];

/// Whether the output sets any foreground or background colour: an SGR sequence (`ESC [ … m`) with a
/// colour parameter (30–37, 38, 40–47, 48, 90–97, 100–107; 39 and 49, the defaults, are no colour).
fn sets_colour(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b[").skip(1).any(|seq| {
        let end = seq.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        let Some(end) = end.filter(|&e| seq[e..].starts_with('m')) else {
            return false;
        };
        seq[..end]
            .split(';')
            .any(|p| matches!(p.parse::<u8>(), Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)))
    })
}

#[test]
fn the_colour_check_sees_colours_and_only_colours() {
    assert!(sets_colour(b"\x1b[0;1m\x1b[38;5;25mx"));
    assert!(sets_colour(b"\x1b[36mx"));
    assert!(!sets_colour(b"\x1b[38;1H\x1b[0;1;7m\x1b[39m\x1b[49m"));
}

fn quit(mut s: Session) {
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn no_color_draws_the_browser_without_colour() {
    let mut cmd = errdex_cmd(&FIXTURE);
    cmd.env("NO_COLOR", "1");
    let s = Session::start(cmd);
    s.wait_for("4/4");
    assert!(!sets_colour(&s.raw()), "a colour was set under NO_COLOR");
    // Focus is still shown: the list's border is thick.
    assert!(s.text().contains("┏ Records"), "{}", s.text());
    quit(s);
}

#[test]
fn the_light_theme_uses_its_own_colours() {
    let mut args = FIXTURE.to_vec();
    args.extend(["--theme", "light"]);
    let mut cmd = errdex_cmd(&args);
    cmd.env_remove("NO_COLOR");
    let s = Session::start(cmd);
    s.wait_for("4/4");
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    // The light theme's blue accent (cube colour 25); the dark theme's cyan is palette colour 6.
    // Foreground and background may share one sequence: `38;5;25;49m`.
    assert!(raw.contains("38;5;25"), "no light accent drawn");
    assert!(
        !raw.contains("38;5;6m") && !raw.contains("38;5;6;"),
        "the dark accent was drawn"
    );
    quit(s);
}

#[test]
fn auto_asks_the_terminal_and_a_white_background_gets_the_light_theme() {
    let mut cmd = errdex_cmd(&FIXTURE);
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("COLORFGBG");
    cmd.env_remove("ERRDEX_THEME");
    // The answer ends the wait; the patience only has to outlast a loaded machine.
    cmd.env("ERRDEX_TERMINAL_TIMEOUT_MS", "60000");
    let mut s = Session::start(cmd);
    // Answer as a terminal with a white background would, once asked.
    s.wait_until("the background question", pty::PATIENCE, |_| {
        String::from_utf8_lossy(&s.raw()).contains("\x1b]11;?")
    });
    s.send("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;c");
    s.wait_for("4/4");
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(raw.contains("38;5;25"), "not the light theme");
    quit(s);
}
