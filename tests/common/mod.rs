//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared` beside the project, which developers and CI have and users do not. Tests that need it print
/// a notice and pass when it is absent.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(sub);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("notice: {} is absent; skipping this test", path.display());
        None
    }
}

/// `text` as `catalogue.json` in a new temporary directory (removed when the directory is dropped).
pub fn catalogue_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("catalogue.json"), text).expect("write");
    dir
}

pub fn repo(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(sub)
}

/// The browser fixture: four linked records, one without Chinese, one link to a missing record.
pub fn browser_catalog() -> errdex::catalog::Catalog {
    errdex::catalog::Catalog::load(false, &[repo("tests/fixtures/browser.json")])
}

/// A browser on the fixture catalogue at a given size.
pub fn app(width: u16, height: u16) -> errdex::tui::app::App {
    use errdex::tui::action::Action;
    let mut app =
        errdex::tui::app::App::new(browser_catalog(), errdex::tui::app::Options::default());
    errdex::tui::update::update(&mut app, Action::Resize { width, height });
    app
}

/// Types a string into whatever input has focus.
pub fn type_text(app: &mut errdex::tui::app::App, text: &str) {
    use errdex::tui::action::{Action, Edit};
    for c in text.chars() {
        errdex::tui::update::update(app, Action::Edit(Edit::Insert(c)));
    }
}

/// A catalogue loaded (regexes checked) from a JSONL file of these lines, written to a directory that is gone
/// once it is read (records keep their file's bytes, not its path).
pub fn load_lines(lines: &[impl AsRef<str>]) -> errdex::catalog::Catalog {
    let dir = tempfile::tempdir().expect("temp dir");
    let text: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    std::fs::write(dir.path().join("a.jsonl"), text.join("\n")).expect("write");
    errdex::catalog::Catalog::load(false, &[dir.path().to_path_buf()])
}

/// The app drawn on a test terminal of its size, as text (rows joined by newlines).
pub fn screen_text(app: &errdex::tui::app::App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        app.screen.width,
        app.screen.height,
    ))
    .expect("terminal");
    terminal
        .draw(|f| errdex::tui::view::draw(app, f))
        .expect("draw");
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

mod home;
pub use home::{EMPTY_HOME_VARS, empty_home};

/// Points the command at `empty_home` and clears the `ERRDEX_*` variables.
pub fn isolate(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    for var in EMPTY_HOME_VARS {
        cmd.env(var, empty_home().join(var.to_lowercase()));
    }
    for var in home::ERRDEX_VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// Sets the time of `path` and everything under it to an hour ago. The persistent index leaves out what
/// changed within seconds of its writing, and fixtures are that new.
#[allow(dead_code)]
pub fn age(path: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            age(&entry.unwrap().path());
        }
    }
    std::fs::File::open(path)
        .unwrap()
        .set_modified(past)
        .unwrap();
}
