//! What the browser draws, as text snapshots of a `TestBackend` (insta), at 120x40 and 80x24.

mod common;

use common::{app, type_text};
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::App;
use errdex::tui::update::update;
use errdex::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn render(app: &App) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(app.screen.width, app.screen.height)).expect("terminal");
    terminal.draw(|f| view::draw(app, f)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row (wide characters take their two cells once).
fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            out.push_str(sym);
        }
        out.push('\n');
    }
    out
}

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(name, screen(&render(app)));
}

fn at(width: u16, height: u16, actions: impl IntoIterator<Item = Action>) -> App {
    let mut a = app(width, height);
    for action in actions {
        update(&mut a, action);
    }
    a
}

#[test]
fn startup() {
    snap("startup_120x40", &at(120, 40, []));
    snap("startup_80x24", &at(80, 24, []));
}

#[test]
fn search_with_highlights() {
    let mut a = at(120, 40, [Action::FocusSearch]);
    type_text(&mut a, "conflict");
    snap("search_conflict_120x40", &a);
    // The matched characters of the first row are drawn in the match colour.
    let buf = render(&a);
    let areas = a.areas().expect("layout");
    let row = areas.list.y + 1;
    let highlighted: String = (areas.list.x + 1..areas.list.x + areas.list.width - 1)
        .filter(|&x| buf[(x, row)].fg == Color::Yellow)
        .map(|x| buf[(x, row)].symbol().to_string())
        .collect();
    assert_eq!(highlighted.to_lowercase(), "conflict");
}

#[test]
fn search_and_lists_at_80x24() {
    let mut a = at(80, 24, [Action::FocusSearch]);
    type_text(&mut a, "conflict");
    snap("search_conflict_80x24", &a);
    snap(
        "diagnostics_80x24",
        &at(80, 24, [Action::ToggleDiagnostics]),
    );
    snap(
        "tab_dead_ends_80x24",
        &at(80, 24, [Action::Tab(Tab::DeadEnds)]),
    );
    snap(
        "tab_related_80x24",
        &at(80, 24, [Action::Tab(Tab::Related), Action::EnterDetail]),
    );
    snap("chinese_overview_80x24", &at(80, 24, [Action::ToggleLang]));
    snap("help_80x24", &at(80, 24, [Action::ToggleHelp]));
}

#[test]
fn each_tab() {
    snap(
        "tab_dead_ends_120x40",
        &at(120, 40, [Action::Tab(Tab::DeadEnds)]),
    );
    snap(
        "tab_workarounds_120x40",
        &at(
            120,
            40,
            [
                Action::Tab(Tab::Workarounds),
                Action::EnterDetail,
                Action::Next,
            ],
        ),
    );
    snap(
        "tab_related_120x40",
        &at(120, 40, [Action::Tab(Tab::Related), Action::EnterDetail]),
    );
    // A record with what precedes it: the graph runs from it, through the record, to what follows.
    snap(
        "tab_related_preceded_120x40",
        &at(
            120,
            40,
            [Action::Next, Action::Tab(Tab::Related), Action::EnterDetail],
        ),
    );
    snap(
        "tab_workarounds_80x24",
        &at(80, 24, [Action::Tab(Tab::Workarounds)]),
    );
}

#[test]
fn chinese() {
    snap(
        "chinese_overview_120x40",
        &at(120, 40, [Action::ToggleLang]),
    );
    snap(
        "chinese_dead_ends_80x24",
        &at(80, 24, [Action::ToggleLang, Action::Tab(Tab::DeadEnds)]),
    );
    snap(
        "chinese_fallback_120x40",
        &at(
            120,
            40,
            [
                Action::ToggleLang,
                Action::Next,
                Action::Next,
                Action::Tab(Tab::DeadEnds),
            ],
        ),
    );
}

#[test]
fn help_overlay() {
    snap("help_120x40", &at(120, 40, [Action::ToggleHelp]));
    snap(
        "help_zh_80x24",
        &at(80, 24, [Action::ToggleLang, Action::ToggleHelp]),
    );
}

#[test]
fn diagnostics_list() {
    snap(
        "diagnostics_120x40",
        &at(120, 40, [Action::ToggleDiagnostics]),
    );
}

#[test]
fn tiny_terminals() {
    snap("tiny_1x1", &at(1, 1, []));
    snap("tiny_30x8", &at(30, 8, []));
    snap("tiny_59x40", &at(59, 40, []));
}

#[test]
fn tester_states() {
    let paste = Action::Paste("remote: rejected\n ! [rejected]        main -> main (non-fast-forward)\nerror: failed to push".into());
    snap(
        "tester_match_120x40",
        &at(120, 40, [Action::FocusTester, paste.clone(), Action::Leave]),
    );
    let mut broken = at(
        120,
        40,
        [Action::FocusTester, paste.clone(), Action::EditRegex],
    );
    type_text(&mut broken, "(unclosed");
    snap("tester_compile_error_120x40", &broken);
    let mut huge = at(
        120,
        40,
        [
            Action::FocusTester,
            paste,
            Action::EditRegex,
            Action::Edit(errdex::tui::action::Edit::Clear),
        ],
    );
    type_text(&mut huge, r"(\w{100}){100}{100}");
    snap("tester_too_large_120x40", &huge);
    let mut lookup = at(80, 24, [Action::FocusTester]);
    type_text(&mut lookup, "CONFLICT (content): Merge conflict in app.py");
    update(&mut lookup, Action::ToggleLookup);
    snap("tester_lookup_80x24", &lookup);
}

/// The loading screen 1.5 s in, after typing `text`.
fn loading(
    lang: errdex::catalog::Lang,
    width: u16,
    height: u16,
    text: &str,
) -> Terminal<TestBackend> {
    use errdex::tui::loading::{Loading, update};
    let mut state = Loading::new(lang, errdex::tui::theme::Theme::dark());
    for c in text.chars() {
        update(
            &mut state,
            Action::Edit(errdex::tui::action::Edit::Insert(c)),
        );
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| view::loading::draw(&state, std::time::Duration::from_millis(1500), f))
        .expect("draw");
    terminal
}

#[test]
fn loading_screen() {
    use errdex::catalog::Lang;
    for (lang, name) in [(Lang::En, "loading_80x24"), (Lang::Zh, "loading_zh_80x24")] {
        let terminal = loading(lang, 80, 24, "");
        insta::assert_snapshot!(name, screen(terminal.backend().buffer()));
    }
    let mut typed = loading(Lang::En, 120, 40, "merge conf");
    insta::assert_snapshot!("loading_typed_120x40", screen(typed.backend().buffer()));
    // The cursor stands after the typed query, inside the search box.
    assert_eq!(
        typed.get_cursor_position().expect("cursor"),
        ratatui::layout::Position::new(1 + 10, 1)
    );
    // A query wider than the box keeps its end, where the cursor is, in view.
    let long = loading(Lang::En, 60, 16, &"abcdefghij".repeat(8));
    insta::assert_snapshot!("loading_long_query_60x16", screen(long.backend().buffer()));
    // Below the browser's minimum size there is no box, but the query and the progress still show.
    let small = loading(Lang::Zh, 30, 8, "错误");
    insta::assert_snapshot!("loading_zh_30x8", screen(small.backend().buffer()));
    loading(Lang::En, 1, 1, "x");
}

#[test]
fn diagnostics_count_the_regexes_lookup_skipped_without_building_its_index() {
    let catalog = common::load_lines(&[
        r#"{"id":"t/ok","signature":"z here","regex":"z"}"#,
        r#"{"id":"t/big","signature":"big","regex":"(\\w{100}){100}{100}"}"#,
    ]);
    let mut a = App::new(catalog, Default::default());
    update(
        &mut a,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    let skipped = "regexes could not be compiled";
    update(&mut a, Action::ToggleDiagnostics);
    assert!(!screen(&render(&a)).contains(skipped));
    assert!(a.built_lookup_index().is_none(), "drawing built no index");
    update(&mut a, Action::ToggleDiagnostics);
    update(&mut a, Action::FocusTester);
    type_text(&mut a, "z");
    update(&mut a, Action::ToggleLookup);
    update(&mut a, Action::ToggleDiagnostics);
    assert!(
        screen(&render(&a)).contains(&format!("1 {skipped}")),
        "{}",
        screen(&render(&a))
    );
}

#[test]
fn the_diagnostics_overlay_scrolls_through_thousands() {
    let lines: Vec<String> = (0..3000)
        .map(|i| format!(r#"{{"id":"x/r{i}","signature":"sig {i}","regex":"(unclosed"}}"#))
        .collect();
    let catalog = common::load_lines(&lines);
    assert_eq!(catalog.diagnostics.len(), 3000);
    let mut a = App::new(catalog, Default::default());
    update(
        &mut a,
        Action::Resize {
            width: 200,
            height: 40,
        },
    );
    update(&mut a, Action::ToggleDiagnostics);
    let shows = |a: &App, id: &str| screen(&render(a)).contains(&format!("`{id}`"));
    assert!(shows(&a, "x/r0") && !shows(&a, "x/r2999"));
    for _ in 0..100 {
        update(&mut a, Action::PageDown);
    }
    // Scrolled by 1,000 lines, one a diagnostic here.
    assert!(
        shows(&a, "x/r1000") && !shows(&a, "x/r999"),
        "{}",
        screen(&render(&a))
    );
    for _ in 0..1000 {
        update(&mut a, Action::PageDown);
    }
    // Past the end: the last page.
    assert!(shows(&a, "x/r2999") && !shows(&a, "x/r2950"));
}

#[test]
fn the_detail_is_laid_out_once_per_record_tab_and_width_not_per_key() {
    let mut a = app(120, 40);
    let built = |a: &App| a.detail.cache.built.get();
    render(&a);
    assert_eq!(built(&a), 1);
    let moves = [
        Action::Tab(Tab::Workarounds),
        Action::EnterDetail,
        Action::Next,
        Action::Next,
        Action::Prev,
    ];
    let mut last = String::new();
    for (i, action) in moves.into_iter().enumerate() {
        update(&mut a, action);
        last = screen(&render(&a));
        // The tab switch lays the new tab out once; moving between items re-lays nothing.
        assert_eq!(built(&a), 2, "after key {i}");
    }
    assert!(last.contains('▶'), "the selected item is marked:\n{last}");
    update(&mut a, Action::PageDown);
    render(&a);
    assert_eq!(built(&a), 2, "scrolling re-lays nothing");
    update(
        &mut a,
        Action::Resize {
            width: 100,
            height: 40,
        },
    );
    render(&a);
    assert_eq!(built(&a), 3, "a new width is a new layout");
}

#[test]
fn layouts_the_user_controls() {
    snap(
        "layout_no_tester_120x40",
        &at(120, 40, [Action::ToggleTester]),
    );
    snap(
        "layout_list_only_120x40",
        &at(120, 40, [Action::ToggleDetail]),
    );
    snap(
        "layout_even_split_120x40",
        &at(120, 40, [Action::CycleSplit, Action::CycleSplit]),
    );
    // Narrow terminals stack the list above the detail.
    snap("layout_stacked_70x30", &at(70, 30, []));
    // Asking for a hidden pane shows it again.
    let back = at(
        120,
        40,
        [
            Action::ToggleTester,
            Action::ToggleDetail,
            Action::FocusTester,
            Action::EnterDetail,
        ],
    );
    assert!(back.panes.tester && back.panes.detail);
}

#[test]
fn the_catalogue_overview_and_a_domain_chosen_from_it() {
    snap("overview_120x40", &at(120, 40, [Action::ToggleOverview]));
    snap(
        "overview_zh_80x24",
        &at(
            80,
            24,
            [Action::ToggleLang, Action::ToggleOverview, Action::Next],
        ),
    );
    // Enter on the second domain lists its records, through the search box.
    let chosen = at(
        120,
        40,
        [Action::ToggleOverview, Action::Next, Action::Follow],
    );
    assert_eq!(chosen.overlay, None);
    let name = chosen.stats.as_ref().expect("counted").domains[1]
        .name
        .clone();
    assert_eq!(chosen.search.value(), format!("domain:{name}"));
    assert!(!chosen.list.rows.is_empty());
    for row in &chosen.list.rows {
        assert_eq!(chosen.catalog[row.index].domain(), name);
    }
}

/// A lookup that matches no record lists the nearest ones under a heading saying they may be unrelated, each
/// marked `?`.
#[test]
fn lookup_without_an_answer_shows_the_nearest_under_a_heading() {
    let mut lookup = at(80, 24, [Action::FocusTester]);
    type_text(
        &mut lookup,
        "the file watchers are fine today but the deploy broke for some other reasons entirely, see the attached log",
    );
    update(&mut lookup, Action::ToggleLookup);
    assert!(
        lookup.list.rows.iter().all(|r| r.nearest),
        "{:?}",
        lookup.list.rows
    );
    assert!(!lookup.list.rows.is_empty());
    snap("lookup_nearest_unrelated_80x24", &lookup);
}
