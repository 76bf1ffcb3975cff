//! `errdex --print`: in `update`, Enter hands the choice back as an effect (the id, or the selected
//! workaround's commands) and Esc ends with none; the keys come from the one keymap table; and the real
//! binary in a pseudo-terminal draws on the terminal while standard output, redirected to a file, gets
//! only the choice (exit 0), or nothing (Esc: exit 130).

mod common;
mod home;
#[path = "pty/mod.rs"]
mod pty;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::{App, Effect, Focus, Pick};
use errdex::tui::keymap::{Context, action_for_picking};
use errdex::tui::update::update;

fn picking(pick: Pick) -> App {
    let mut app = App::new(
        common::browser_catalog(),
        errdex::tui::app::Options {
            pick: Some(pick),
            ..Default::default()
        },
    );
    update(
        &mut app,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    app.effects.clear();
    app
}

fn printed(app: &mut App) -> Vec<String> {
    std::mem::take(&mut app.effects)
        .into_iter()
        .filter_map(|e| match e {
            Effect::Print(text) => Some(text),
            _ => None,
        })
        .collect()
}

#[test]
fn enter_yields_the_record_id_as_an_effect_and_ends() {
    let mut app = picking(Pick::Id);
    update(&mut app, Action::Next);
    update(&mut app, Action::Accept);
    assert!(app.quit);
    assert_eq!(printed(&mut app), ["git/merge-conflict"]);
}

#[test]
fn commands_are_the_selected_workarounds_or_the_first() {
    let mut app = picking(Pick::Commands);
    update(&mut app, Action::Accept);
    assert_eq!(
        printed(&mut app),
        ["git pull --rebase origin main\ngit push origin main"]
    );

    let mut app = picking(Pick::Commands);
    update(&mut app, Action::Tab(Tab::Workarounds));
    update(&mut app, Action::EnterDetail);
    update(&mut app, Action::Next);
    assert_eq!(app.focus, Focus::Detail);
    update(&mut app, Action::Accept);
    assert_eq!(
        printed(&mut app),
        ["git pull --no-rebase origin main\ngit push"]
    );
    assert!(app.quit);
}

#[test]
fn a_record_without_workarounds_says_so_and_stays() {
    let mut app = App::new(
        common::load_lines(&[r#"{"id": "t/bare", "signature": "bare error", "regex": "bare"}"#]),
        errdex::tui::app::Options {
            pick: Some(Pick::Commands),
            ..Default::default()
        },
    );
    update(&mut app, Action::Accept);
    assert!(!app.quit);
    assert!(printed(&mut app).is_empty());
    assert!(app.message.is_some());
}

#[test]
fn esc_ends_without_a_choice_and_accept_needs_print_mode() {
    let mut app = picking(Pick::Id);
    update(&mut app, Action::Cancel);
    assert!(app.quit);
    assert!(printed(&mut app).is_empty());

    let mut app = common::app(120, 40);
    update(&mut app, Action::Accept);
    assert!(!app.quit);
    assert!(app.effects.is_empty());
}

#[test]
fn the_keymap_gives_enter_and_esc_their_print_meaning() {
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let cases = [
        (Context::List, KeyCode::Enter, Some(Action::Accept)),
        (Context::Search, KeyCode::Enter, Some(Action::Accept)),
        (Context::Detail, KeyCode::Enter, Some(Action::Accept)),
        (Context::List, KeyCode::Esc, Some(Action::Cancel)),
        (Context::Search, KeyCode::Esc, Some(Action::Cancel)),
        // In the detail pane Esc still leaves it; elsewhere the keys keep their meaning.
        (Context::Detail, KeyCode::Esc, Some(Action::Leave)),
        (Context::Overlay, KeyCode::Esc, Some(Action::Leave)),
        (Context::List, KeyCode::Char('j'), Some(Action::Next)),
    ];
    for (ctx, code, want) in cases {
        assert_eq!(
            action_for_picking(ctx, &key(code)),
            want,
            "{ctx:?} {code:?}"
        );
    }
}

/// `errdex --print[=WHAT]` on the fixture, its stdout redirected to a file, in a pseudo-terminal.
fn print_session(home: &home::Home, what: &str) -> (pty::Session, std::path::PathBuf) {
    let out = home.path().join("chosen.txt");
    let script = format!(
        "XDG_CONFIG_HOME='{}' XDG_DATA_HOME='{}' '{}' {what} --no-default -c tests/fixtures/browser.json > '{}'",
        home.path().join("config").display(),
        home.path().join("data").display(),
        env!("CARGO_BIN_EXE_errdex"),
        out.display()
    );
    let s = pty::Session::start(pty::sh(&script));
    s.wait_for("4/4");
    (s, out)
}

#[test]
fn print_draws_on_the_terminal_and_prints_only_the_id() {
    let home = home::Home::new();
    let (mut s, out) = print_session(&home, "--print");
    s.send("j");
    s.wait_for("┌ git/merge-conflict");
    s.send("\r");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        std::fs::read_to_string(&out).expect("stdout"),
        "git/merge-conflict\n"
    );
    s.assert_restored();
}

#[test]
fn print_commands_prints_the_selected_workaround() {
    let home = home::Home::new();
    let (mut s, out) = print_session(&home, "--print=commands");
    s.send("3");
    s.wait_for("git pull --no-rebase origin main");
    s.send("l");
    s.send("j");
    s.send("\r");
    assert!(s.wait_exit().success());
    assert_eq!(
        std::fs::read_to_string(&out).expect("stdout"),
        "git pull --no-rebase origin main\ngit push\n"
    );
}

#[test]
fn esc_prints_nothing_and_exits_130() {
    let home = home::Home::new();
    let (mut s, out) = print_session(&home, "--print");
    s.send("/");
    s.send("enospc");
    s.wait_for("1/4");
    s.send("\u{1b}");
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 130);
    assert_eq!(std::fs::read_to_string(&out).expect("stdout"), "");
    s.assert_restored();
}

/// `--print` hands back the browser's choice: with a command that opens no browser it is refused, not ignored.
#[test]
fn print_with_a_command_that_opens_no_browser_is_refused() {
    for args in [
        &["--print", "lookup", "ModuleNotFoundError"][..],
        &["--print=commands", "show", "python/module-not-found"],
        &["--print", "run", "--", "true"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_errdex"))
            .args(args)
            // Refused before any configuration or catalogue is read.
            .output()
            .expect("errdex runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--print applies to the browser"),
            "{args:?}: {err}"
        );
    }
    // `run -i` opens one (here it finds no terminal, which it says instead).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_errdex"))
        .args(["--print", "run", "-i", "--", "true"])
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("errdex-no-config"),
        )
        .stdin(std::process::Stdio::null())
        .output()
        .expect("errdex runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("--print applies"), "{err}");
}
