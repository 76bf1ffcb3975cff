//! A large catalogue whose indexes are current opens on its first records while the whole loads
//! (`App::preview`, `Action::Loaded`): the list says it is loading, a query or lookup waits for the whole,
//! and the selection, tab and history stay where they were when the whole arrives. `update` without a
//! terminal, and the real binary in a pseudo-terminal, held before the whole loads.

mod common;

#[path = "pty/mod.rs"]
mod pty;

use errdex::catalog::Catalog;
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::{App, Focus, Options, Overlay};
use errdex::tui::model::Whole;
use errdex::tui::update::update;
use errdex::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The fixture catalogue's records at `places`, in that order, as a catalogue of their own.
fn records_at(places: &[usize]) -> Catalog {
    let text = std::fs::read_to_string(common::repo("tests/fixtures/browser.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let lines: Vec<String> = places.iter().map(|&i| all[i].to_string()).collect();
    common::load_lines(&lines)
}

/// A browser on the fixture's first two records (of four) at 120x40.
fn preview(options: Options) -> App {
    preview_of(&[0, 1], options)
}

fn preview_of(places: &[usize], options: Options) -> App {
    let mut app = App::preview(records_at(places), 4, options);
    update(
        &mut app,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    app
}

fn whole() -> Action {
    Action::Loaded(Whole::new(common::browser_catalog()))
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal.draw(|f| view::draw(app, f)).expect("draw");
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn current_id(app: &App) -> &str {
    app.current_record().map_or("", |r| r.id.as_str())
}

/// Whether the status bar's note says the catalogue is still loading.
fn says_still_loading(app: &App) -> bool {
    app.message
        .as_deref()
        .unwrap_or("")
        .contains("still loading")
}

fn type_query(app: &mut App, query: &str) {
    update(app, Action::FocusSearch);
    common::type_text(app, query);
}

#[test]
fn the_first_records_are_listed_and_the_count_says_the_rest_loads() {
    let app = preview(Options::default());
    assert_eq!(app.list.rows.len(), 2);
    assert_eq!(current_id(&app), "git/push-rejected");
    insta::assert_snapshot!("preview_120x40", screen(&app));
    let text = screen(&app);
    assert!(text.contains("⋯ 2/4 loading"), "{text}");
    assert!(
        text.contains(" 4 records"),
        "the status bar counts the whole: {text}"
    );
}

#[test]
fn a_query_typed_while_loading_is_listed_when_the_whole_arrives() {
    let mut app = preview(Options::default());
    // The second record matches, but the whole may list others first.
    type_query(&mut app, "conflict");
    assert!(app.list.rows.is_empty(), "not filtered over two records");
    for _ in 0.."conflict".len() {
        update(&mut app, Action::Edit(errdex::tui::action::Edit::Backspace));
    }
    assert_eq!(app.list.rows.len(), 2, "no query: the first records");
    common::type_text(&mut app, "enospc");
    assert!(app.list.rows.is_empty());
    let text = screen(&app);
    assert!(
        text.contains("Listed once the whole catalogue has loaded"),
        "{text}"
    );
    assert!(!text.contains("No records match"), "{text}");
    update(&mut app, whole());
    assert_eq!(app.loading, None);
    assert_eq!(app.list.rows.len(), 1);
    assert_eq!(current_id(&app), "node/enospc-watchers");
    assert_eq!(app.focus, Focus::Search, "still typing");
    assert!(screen(&app).contains(" 1/4 "));
}

#[test]
fn the_selection_tab_and_history_stay_when_the_whole_arrives() {
    let mut app = preview(Options::default());
    update(&mut app, Action::Next);
    update(&mut app, Action::Tab(Tab::DeadEnds));
    let before = current_id(&app).to_string();
    assert_eq!(before, "git/merge-conflict");
    update(&mut app, whole());
    assert_eq!(app.loading, None);
    assert_eq!(app.list.rows.len(), 4);
    assert_eq!(current_id(&app), before);
    assert_eq!(app.detail.tab, Tab::DeadEnds);
    assert!(screen(&app).contains(" 4/4 "));
    // The rest is listed now: moving goes past the first two.
    update(&mut app, Action::Last);
    assert_eq!(current_id(&app), "node/enospc-watchers");
}

#[test]
fn a_whole_that_lists_other_records_first_starts_over() {
    // As if a file changed between the two reads: the preview's second record is not the whole's.
    let mut app = preview_of(&[0, 2], Options::default());
    update(&mut app, Action::Next);
    assert_eq!(current_id(&app), "python/module-not-found");
    update(&mut app, whole());
    assert_eq!(app.list.selected, 0);
    assert_eq!(current_id(&app), "git/push-rejected");
    assert!(app.detail.history.back.is_empty());
    assert_eq!(app.list.rows.len(), 4);
}

#[test]
fn the_overview_waits_for_the_whole() {
    let mut app = preview(Options::default());
    update(&mut app, Action::ToggleOverview);
    assert_eq!(app.overlay, None, "two records' overview would be wrong");
    assert!(says_still_loading(&app));
    update(&mut app, whole());
    update(&mut app, Action::ToggleOverview);
    assert!(matches!(app.overlay, Some(Overlay::Overview { .. })));
    assert_eq!(app.stats.as_ref().map(|s| s.records), Some(4));
}

#[test]
fn the_whole_arrives_under_an_overlay() {
    let mut app = preview(Options::default());
    update(&mut app, Action::ToggleHelp);
    update(&mut app, whole());
    assert_eq!(app.loading, None);
    assert_eq!(app.list.rows.len(), 4);
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
}

#[test]
fn a_piped_message_is_looked_up_when_the_whole_arrives() {
    let mut app = preview(Options {
        message: Some(" ! [rejected]        main -> main (non-fast-forward)".into()),
        ..Default::default()
    });
    assert!(app.list.rows.is_empty(), "not looked up in two records");
    update(&mut app, whole());
    assert_eq!(current_id(&app), "git/push-rejected");
    assert!(app.list.lookup_mode);
}

/// Seconds past the index's margin for racy changes (2 s): a file changed within it is left out of the index.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_200));
}

#[test]
fn the_binary_opens_on_the_first_records_and_then_lists_the_whole() {
    opens_on_the_first_records_then_lists_the_whole(3_000, false);
}

/// From 50,000 records the browser filters on its background thread, which must then filter the whole
/// catalogue, not the first records it was started with.
#[test]
fn the_whole_is_filtered_in_the_background_when_large() {
    opens_on_the_first_records_then_lists_the_whole(60_000, true);
}

/// A source of `count` synthetic records (`minimal` ones: no details), indexed; the browser opens on its
/// first 1,000 records, held there (the test's hook) while a query is typed, then lists the whole's hits.
fn opens_on_the_first_records_then_lists_the_whole(count: usize, minimal: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, count, 11, minimal).unwrap();
    std::fs::write(dir.path().join("c.jsonl"), &text).unwrap();
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    let options = errdex::catalog::load::Options {
        check_regexes: false,
    };
    let whole = Catalog::load_cached(false, &paths, &options, &cache.path().join("errdex"));
    let dir_of_indexes = cache.path().join("errdex");
    assert!(errdex::catalog::index::warm(false, &paths, &dir_of_indexes).is_some());
    // What decides whether a browser opens on the first records without the test's hook: the index's size.
    let size = errdex::catalog::index::size_of(&paths, &dir_of_indexes);
    let file = errdex::catalog::index::file_for(&dir_of_indexes, &paths[0]);
    assert_eq!(size, std::fs::metadata(file).unwrap().len());
    assert_eq!(
        errdex::catalog::index::size_of(&[dir.path().join("absent")], &dir_of_indexes),
        0
    );
    // What the whole lists for the query typed while it loads.
    let query = "connection refused";
    let mut expected = App::new(
        whole,
        Options {
            // In the foreground here, so the rows are there at once.
            background_from: usize::MAX,
            ..Default::default()
        },
    );
    type_query(&mut expected, query);
    let hits = expected.list.rows.len();
    assert!(hits > count / 30, "{hits}");

    let gate = cache.path().join("gate");
    let mut cmd = pty::errdex_cmd(&["--no-default", "-c", dir.path().to_str().unwrap()]);
    cmd.env("XDG_CACHE_HOME", cache.path());
    cmd.env("ERRDEX_TEST_PREVIEW", &gate);
    let mut s = pty::Session::start(cmd);
    s.wait_for(&format!("⋯ 1000/{count} loading"));
    s.wait_for("synthetic-0000000");
    s.send("/");
    s.send(query);
    s.wait_for("Listed once the whole catalogue has loaded");
    std::fs::write(&gate, "").unwrap();
    s.wait_for(&format!(" {hits}/{count} "));
    assert!(!s.text().contains("loading"), "{}", s.text());
    s.send("\u{1b}");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn a_related_record_not_loaded_yet_is_not_called_missing() {
    let mut app = preview_of(&[0], Options::default());
    update(&mut app, Action::Tab(Tab::Related));
    let text = screen(&app);
    assert!(text.contains("perhaps among the records still"), "{text}");
    assert!(!text.contains("not in catalogue"), "{text}");
    update(&mut app, Action::EnterDetail);
    update(&mut app, Action::Follow);
    assert_eq!(current_id(&app), "git/push-rejected");
    assert!(says_still_loading(&app));
    update(&mut app, whole());
    let text = screen(&app);
    assert!(!text.contains("still loading)"), "laid out again: {text}");
    assert!(text.contains("not in catalogue"), "{text}");
    update(&mut app, Action::Follow);
    assert_eq!(current_id(&app), "git/merge-conflict");
}
