//! `update` without a terminal: every action changes state as the user expects.

mod common;

use common::{app, type_text};
use errdex::catalog::Lang;
use errdex::tui::action::{Action, Edit, Tab};
use errdex::tui::app::{App, Effect, Focus, Overlay, Sort};
use errdex::tui::background::{Job, Shared};
use errdex::tui::theme::Theme;
use errdex::tui::update::update;

fn current_id(app: &App) -> &str {
    app.current_record().map_or("", |r| r.id.as_str())
}

/// The browser's catalogue, filtered on the background thread as a large one is.
fn filtering_in_the_background() -> App {
    App::new(
        common::browser_catalog(),
        errdex::tui::app::Options {
            background_from: 0,
            ..Default::default()
        },
    )
}

fn run(app: &mut App, actions: impl IntoIterator<Item = Action>) {
    for a in actions {
        update(app, a);
    }
}

/// The background filters the app asked for since the last call: generation, query and language.
fn filter_requests(app: &mut App) -> Vec<(u64, errdex::search::fuzzy::Query, Lang)> {
    std::mem::take(&mut app.effects)
        .into_iter()
        .filter_map(|e| match e {
            Effect::Filter {
                generation,
                query,
                lang,
            } => Some((generation, query, lang)),
            _ => None,
        })
        .collect()
}

#[test]
fn navigation_moves_and_clamps_the_selection() {
    let mut a = app(120, 40);
    assert_eq!(current_id(&a), "git/push-rejected");
    run(&mut a, [Action::Next, Action::Next]);
    assert_eq!(current_id(&a), "python/module-not-found");
    run(&mut a, [Action::Last]);
    assert_eq!(current_id(&a), "node/enospc-watchers");
    run(&mut a, [Action::Next]);
    assert_eq!(a.list.selected, 3, "clamped at the end");
    run(&mut a, [Action::PageUp]);
    assert_eq!(a.list.selected, 0);
    run(&mut a, [Action::Prev, Action::First]);
    assert_eq!(a.list.selected, 0);
}

#[test]
fn search_filters_and_escape_clears() {
    let mut a = app(120, 40);
    run(&mut a, [Action::FocusSearch]);
    assert_eq!(a.focus, Focus::Search);
    type_text(&mut a, "enospc");
    assert_eq!(a.list.rows.len(), 1);
    assert_eq!(current_id(&a), "node/enospc-watchers");
    assert!(
        !a.match_positions(a.list.rows[0].index).is_empty(),
        "matched characters are reported for highlighting"
    );
    run(&mut a, [Action::Edit(Edit::Backspace)]);
    assert_eq!(a.search.value(), "enosp");
    run(&mut a, [Action::Leave]);
    assert_eq!(a.focus, Focus::List);
    assert_eq!(
        a.search.value(),
        "enosp",
        "Esc leaves the box and keeps the query"
    );
    run(&mut a, [Action::Leave]);
    assert_eq!(
        (a.search.value(), a.list.rows.len()),
        ("", 4),
        "Esc in the list clears the query"
    );
    assert_eq!(
        current_id(&a),
        "node/enospc-watchers",
        "the selection survives"
    );
}

#[test]
fn typing_a_query_selects_the_best_match() {
    let mut a = app(120, 40);
    run(&mut a, [Action::Next, Action::Next]);
    assert_eq!(current_id(&a), "python/module-not-found");
    run(&mut a, [Action::FocusSearch]);
    type_text(&mut a, "e");
    let was = a
        .list
        .rows
        .iter()
        .position(|r| a.catalog[r.index].id == "python/module-not-found");
    assert!(
        was.is_some_and(|p| p > 0),
        "the earlier selection still matches, lower down: {was:?}"
    );
    assert_eq!(a.list.selected, 0, "yet the best hit is selected");
    type_text(&mut a, "rge conflict");
    assert_eq!(a.list.selected, 0);
    assert_eq!(
        current_id(&a),
        "git/merge-conflict",
        "the best hit, not the record selected before"
    );
}

#[test]
fn large_catalogues_filter_in_the_background_and_stale_results_are_dropped() {
    use errdex::search::fuzzy::Query;
    let mut a = filtering_in_the_background();
    run(
        &mut a,
        [
            Action::Resize {
                width: 120,
                height: 40,
            },
            Action::FocusSearch,
        ],
    );
    type_text(&mut a, "con");
    assert_eq!(
        a.list.rows.len(),
        4,
        "the keystroke returns before the filter runs"
    );
    let requests: Vec<(u64, Query)> = (filter_requests(&mut a).into_iter())
        .map(|(generation, query, _)| (generation, query))
        .collect();
    assert_eq!(requests.len(), 3, "one request per keystroke");
    let (last_gen, last_query) = requests.last().cloned().expect("request");
    assert_eq!(last_query.text, "con");
    assert_eq!(a.background.pending, Some(last_gen));
    // What the background thread computes for a request.
    let result = |q: &Query| Shared::of(&a).rows(&Job::Filter(q.clone(), Lang::En));
    let stale = result(&requests[0].1);
    let fresh = result(&last_query);
    run(
        &mut a,
        [Action::Filtered {
            generation: requests[0].0,
            rows: stale,
        }],
    );
    assert_eq!(a.list.rows.len(), 4, "an older generation is ignored");
    run(
        &mut a,
        [Action::Filtered {
            generation: last_gen,
            rows: fresh.clone(),
        }],
    );
    assert_eq!(a.list.rows, fresh);
    assert_eq!((a.background.pending, a.list.selected), (None, 0));
    assert_eq!(
        current_id(&a),
        a.catalog[fresh[0].index].id,
        "the best hit is selected"
    );
}

#[test]
fn tabs_switch_by_number_and_cycle() {
    let mut a = app(120, 40);
    run(&mut a, [Action::Tab(Tab::Workarounds)]);
    assert_eq!(a.detail.tab, Tab::Workarounds);
    run(&mut a, [Action::NextTab, Action::NextTab]);
    assert_eq!(a.detail.tab, Tab::Overview, "wraps around");
    run(&mut a, [Action::PrevTab]);
    assert_eq!(a.detail.tab, Tab::Related);
}

#[test]
fn detail_items_move_within_the_tab() {
    let mut a = app(120, 40);
    run(
        &mut a,
        [
            Action::Tab(Tab::Workarounds),
            Action::EnterDetail,
            Action::Next,
            Action::Next,
        ],
    );
    assert_eq!(
        (a.focus, a.detail.item),
        (Focus::Detail, 1),
        "clamped to the two workarounds"
    );
    run(&mut a, [Action::Leave]);
    assert_eq!(a.focus, Focus::List);
}

#[test]
fn language_toggle_switches_and_back() {
    let mut a = app(120, 40);
    run(&mut a, [Action::ToggleLang]);
    assert_eq!(a.lang, Lang::Zh);
    run(&mut a, [Action::FocusSearch]);
    type_text(&mut a, "非快进");
    assert!(
        a.list
            .rows
            .iter()
            .any(|r| a.catalog[r.index].id == "git/push-rejected"),
        "Chinese signatures are searched in Chinese"
    );
    run(&mut a, [Action::Leave, Action::ToggleLang]);
    assert_eq!(a.lang, Lang::En);
}

#[test]
fn following_a_link_pushes_history_and_back_and_forward_return() {
    let mut a = app(120, 40);
    run(
        &mut a,
        [
            Action::Tab(Tab::Related),
            Action::EnterDetail,
            Action::Follow,
        ],
    );
    assert_eq!(current_id(&a), "git/merge-conflict");
    assert_eq!(a.detail.tab, Tab::Overview);
    run(&mut a, [Action::Back]);
    assert_eq!(
        (current_id(&a), a.detail.tab),
        ("git/push-rejected", Tab::Related)
    );
    run(&mut a, [Action::Forward]);
    assert_eq!(current_id(&a), "git/merge-conflict");
    run(&mut a, [Action::Forward]);
    assert_eq!(
        current_id(&a),
        "git/merge-conflict",
        "nothing further forward"
    );
}

#[test]
fn following_a_filtered_out_record_clears_the_search() {
    let mut a = app(120, 40);
    run(&mut a, [Action::FocusSearch]);
    type_text(&mut a, "rejected");
    run(
        &mut a,
        [
            Action::Leave,
            Action::Tab(Tab::Related),
            Action::EnterDetail,
            Action::Follow,
        ],
    );
    assert_eq!(current_id(&a), "git/merge-conflict");
    assert_eq!(a.search.value(), "");
}

#[test]
fn a_missing_link_is_reported_not_followed() {
    let mut a = app(120, 40);
    run(
        &mut a,
        [
            Action::Tab(Tab::Related),
            Action::EnterDetail,
            Action::Next,
            Action::Follow,
        ],
    );
    assert_eq!(current_id(&a), "git/push-rejected");
    assert!(
        a.message
            .as_deref()
            .is_some_and(|m| m.contains("git/not-in-this-catalogue"))
    );
    assert!(a.detail.history.back.is_empty());
}

#[test]
fn copy_queues_the_selected_workaround_for_the_clipboard() {
    let mut a = app(120, 40);
    run(&mut a, [Action::Copy]);
    assert!(
        a.effects.is_empty(),
        "nothing to copy outside the Workarounds tab"
    );
    run(
        &mut a,
        [
            Action::Tab(Tab::Workarounds),
            Action::EnterDetail,
            Action::Next,
            Action::Copy,
        ],
    );
    assert_eq!(
        a.effects,
        [Effect::Copy(
            "git pull --no-rebase origin main\ngit push".into()
        )]
    );
}

#[test]
fn open_docs_only_for_web_urls() {
    let mut a = app(120, 40);
    run(&mut a, [Action::OpenDocs]);
    assert_eq!(
        a.effects,
        [Effect::Open("https://git-scm.com/docs/git-push".into())]
    );
    assert!(errdex::tui::update::is_web_url("http://example.com/x"));
    assert!(!errdex::tui::update::is_web_url("file:///etc/passwd"));
    assert!(!errdex::tui::update::is_web_url(
        "https://a.b/\u{1b}]52;c;x"
    ));
}

#[test]
fn sort_cycles_through_orders() {
    let mut a = app(120, 40);
    run(&mut a, [Action::CycleSort]);
    assert_eq!(a.list.sort, Sort::FixRate);
    let ids: Vec<&str> = a
        .list
        .rows
        .iter()
        .map(|r| a.catalog[r.index].id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "git/merge-conflict",
            "node/enospc-watchers",
            "git/push-rejected",
            "python/module-not-found"
        ]
    );
    run(&mut a, [Action::CycleSort, Action::CycleSort]);
    assert_eq!(a.list.sort, Sort::LastUpdated);
    assert_eq!(
        current_id(&a),
        "git/push-rejected",
        "sorting keeps the selected record"
    );
    run(&mut a, [Action::CycleSort]);
    assert_eq!(a.list.sort, Sort::Default);
}

#[test]
fn overlays_open_scroll_and_close() {
    let mut a = app(120, 40);
    run(&mut a, [Action::ToggleHelp, Action::Next, Action::Next]);
    assert_eq!(a.overlay, Some(Overlay::Help { scroll: 2 }));
    run(&mut a, [Action::Leave]);
    assert_eq!(a.overlay, None);
    run(&mut a, [Action::ToggleDiagnostics]);
    assert_eq!(a.overlay, Some(Overlay::Diagnostics { scroll: 0 }));
    run(&mut a, [Action::Next, Action::ToggleDiagnostics]);
    assert_eq!(a.overlay, None);
    assert_eq!(
        current_id(&a),
        "git/push-rejected",
        "keys in an overlay do not move the list"
    );
}

#[test]
fn the_tester_follows_the_record_and_keeps_the_last_good_result_on_errors() {
    let mut a = app(120, 40);
    assert_eq!(a.tester.regex.value(), a.catalog[0].regex);
    run(&mut a, [Action::FocusTester]);
    run(
        &mut a,
        [Action::Paste(
            "To github.com:me/repo.git\n ! [rejected]        main -> main (non-fast-forward)\n"
                .into(),
        )],
    );
    assert_eq!(a.tester.evaluation.matches.len(), 1);
    let good = a.tester.evaluation.clone();
    run(&mut a, [Action::EditRegex]);
    assert_eq!(a.focus, Focus::TesterRegex);
    run(&mut a, [Action::Edit(Edit::Insert('('))]);
    assert!(a.tester.error.is_some());
    assert_eq!(a.tester.evaluation, good, "the previous good result stays");
    run(&mut a, [Action::ResetRegex]);
    assert!(a.tester.error.is_none());
    run(&mut a, [Action::Edit(Edit::Clear)]);
    type_text(&mut a, "MAIN");
    assert_eq!(
        a.tester.evaluation.matches.len(),
        2,
        "case-insensitive by default"
    );
    run(&mut a, [Action::ToggleCase]);
    assert_eq!(a.tester.evaluation.matches.len(), 0);
    run(&mut a, [Action::Leave, Action::Next]);
    assert_eq!(
        a.tester.regex.value(),
        a.catalog[1].regex,
        "a new record brings its own regex"
    );
}

#[test]
fn lookup_mode_lists_the_records_matching_the_tester_text() {
    let mut a = app(120, 40);
    run(&mut a, [Action::FocusTester]);
    type_text(
        &mut a,
        "Error: ENOSPC: System limit for number of file watchers reached, watch '/app'",
    );
    run(&mut a, [Action::ToggleLookup]);
    assert!(a.list.lookup_mode);
    assert_eq!(current_id(&a), "node/enospc-watchers");
    run(&mut a, [Action::ToggleLookup]);
    assert_eq!(a.list.rows.len(), 4);
}

#[test]
fn pasting_while_browsing_looks_the_text_up() {
    let mut a = app(120, 40);
    run(
        &mut a,
        [Action::Paste(
            "CONFLICT (content): Merge conflict in lib/x.rs".into(),
        )],
    );
    assert!(a.list.lookup_mode);
    assert_eq!(a.focus, Focus::TesterText);
    assert_eq!(current_id(&a), "git/merge-conflict");
}

#[test]
fn clicks_select_rows_and_tabs_and_the_wheel_scrolls() {
    let mut a = app(120, 40);
    let areas = a.areas().expect("layout");
    run(
        &mut a,
        [Action::Click {
            column: areas.list.x + 3,
            row: areas.list.y + 3,
        }],
    );
    assert_eq!(a.list.selected, 2);
    run(
        &mut a,
        [Action::Click {
            column: areas.tabs.x + 20,
            row: areas.tabs.y,
        }],
    );
    assert_eq!(a.detail.tab, Tab::DeadEnds);
    run(
        &mut a,
        [Action::Wheel {
            column: areas.list.x + 3,
            row: areas.list.y + 3,
            down: true,
        }],
    );
    assert_eq!(a.list.selected, 3);
    run(
        &mut a,
        [Action::Click {
            column: areas.search.x + 3,
            row: areas.search.y + 1,
        }],
    );
    assert_eq!(a.focus, Focus::Search);
}

#[test]
fn resize_to_tiny_and_back_is_harmless() {
    let mut a = app(120, 40);
    run(
        &mut a,
        [
            Action::Resize {
                width: 1,
                height: 1,
            },
            Action::Next,
            Action::PageDown,
            Action::Click { column: 0, row: 0 },
        ],
    );
    run(
        &mut a,
        [Action::Resize {
            width: 80,
            height: 24,
        }],
    );
    assert_eq!(a.areas().map(|x| x.list.width), Some(32));
}

#[test]
fn quit_from_anywhere() {
    let mut a = app(120, 40);
    run(&mut a, [Action::FocusSearch, Action::Quit]);
    assert!(a.quit);
}

/// What the loading screen holds after typing `text` (and Enter when `enter`).
fn typed_while_loading(text: &str, enter: bool) -> errdex::tui::loading::Loading {
    use errdex::tui::loading::{Loading, update};
    let mut state = Loading::new(Lang::En, Theme::default());
    for c in text.chars() {
        update(&mut state, Action::Edit(Edit::Insert(c)));
    }
    if enter {
        update(&mut state, Action::Leave);
    }
    state
}

#[test]
fn a_query_typed_while_loading_opens_the_list_filtered_in_the_search_box() {
    let mut a = app(120, 40);
    typed_while_loading("enospc", false).apply(&mut a);
    assert_eq!(a.search.value(), "enospc");
    assert_eq!(a.focus, Focus::Search);
    assert_eq!(a.list.rows.len(), 1);
    assert_eq!(current_id(&a), "node/enospc-watchers");
    type_text(&mut a, " x");
    assert_eq!(
        a.search.value(),
        "enospc x",
        "typing goes on where it stopped"
    );

    let mut done = app(120, 40);
    typed_while_loading("enospc", true).apply(&mut done);
    assert_eq!(
        (done.focus, done.search.value(), done.list.rows.len()),
        (Focus::List, "enospc", 1),
        "Enter while loading opens on the filtered list"
    );

    let mut nothing = app(120, 40);
    typed_while_loading("", false).apply(&mut nothing);
    assert_eq!((nothing.focus, nothing.list.rows.len()), (Focus::List, 4));
}

#[test]
fn a_query_typed_while_a_large_catalogue_loads_is_one_background_filter() {
    let mut a = filtering_in_the_background();
    typed_while_loading("rejected", false).apply(&mut a);
    let requests: Vec<(u64, String)> = (filter_requests(&mut a).into_iter())
        .map(|(generation, query, _)| (generation, query.text))
        .collect();
    assert_eq!(requests.len(), 1, "the whole query at once: {requests:?}");
    assert_eq!(requests[0].1, "rejected");
    assert_eq!(a.background.pending, Some(requests[0].0));
    assert_eq!(a.search.value(), "rejected");
}

#[test]
fn a_paste_into_an_input_is_one_filter_or_compile() {
    let mut a = filtering_in_the_background();
    run(
        &mut a,
        [Action::FocusSearch, Action::Paste("merge\nconf".into())],
    );
    assert_eq!(a.search.value(), "merge conf");
    let filters = a
        .effects
        .iter()
        .filter(|e| matches!(e, Effect::Filter { .. }))
        .count();
    assert_eq!(filters, 1);
    let mut b = app(120, 40);
    run(&mut b, [Action::EditRegex, Action::Edit(Edit::Clear)]);
    run(&mut b, [Action::Paste("(unclosed".into())]);
    assert_eq!(b.tester.regex.value(), "(unclosed");
    assert!(b.tester.error.is_some(), "the pasted pattern is compiled");
}

#[test]
fn regex_warnings_checked_after_start_up_join_the_diagnostics() {
    use errdex::catalog::load::Options;
    use errdex::catalog::{Catalog, Severity};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.jsonl"),
        concat!(
            r#"{"id":"t/good","signature":"good","regex":"good \\d+"}"#,
            "\n",
            r#"{"id":"t/bad","signature":"bad","regex":"(unclosed"}"#,
            "\n{ broken\n",
            r#"{"id":"t/bad2","signature":"bad two","regex":"x{2,1}","root_cause":"r"}"#,
            "\n"
        ),
    )
    .unwrap();
    let paths = [dir.path().to_path_buf()];
    let checked = Catalog::load(false, &paths);
    let deferred = Catalog::load_with(
        false,
        &paths,
        &Options {
            check_regexes: false,
        },
    );
    assert!(checked.regexes_checked && !deferred.regexes_checked);
    let warnings: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    assert_eq!(warnings.len(), 2);
    assert_eq!(
        deferred.regex_warnings(),
        warnings,
        "the same warnings, later"
    );

    let later = deferred.regex_warnings();
    let mut a = App::new(deferred, Default::default());
    assert_eq!(a.diagnostics().count(), 1, "only the broken line so far");
    run(
        &mut a,
        [Action::ToggleDiagnostics, Action::RegexesChecked(later)],
    );
    assert!(a.overlay.is_some());
    assert_eq!(
        a.diagnostics().count(),
        3,
        "arrives even with an overlay open"
    );
    assert_eq!(a.diagnostics().filter(|d| d.is_error()).count(), 1);
}

#[test]
fn the_cursor_moved_while_loading_stays_where_it_was_and_moving_it_filters_nothing() {
    let mut state = typed_while_loading("enospc", false);
    for _ in 0..2 {
        errdex::tui::loading::update(&mut state, Action::Edit(Edit::Left));
    }
    let mut a = filtering_in_the_background();
    state.apply(&mut a);
    assert_eq!((a.search.value(), a.search.input().cursor()), ("enospc", 4));
    let filters = |a: &App| {
        a.effects
            .iter()
            .filter(|e| matches!(e, Effect::Filter { .. }))
            .count()
    };
    assert_eq!(
        filters(&a),
        1,
        "the query filtered once, the cursor moves not at all"
    );
    run(&mut a, [Action::Edit(Edit::Home), Action::Edit(Edit::End)]);
    assert_eq!(filters(&a), 1);
    run(&mut a, [Action::Edit(Edit::Insert('x'))]);
    assert_eq!((a.search.value(), filters(&a)), ("enospcx", 2));
}

#[test]
fn lookup_mode_on_a_large_catalogue_looks_up_in_the_background() {
    let mut a = filtering_in_the_background();
    let mut small = app(120, 40);
    let message = a.catalog[0].signature.clone();
    for x in [&mut a, &mut small] {
        run(x, [Action::FocusTester]);
        type_text(x, &message);
        run(x, [Action::ToggleLookup]);
        type_text(x, " ");
    }
    assert!(
        !small.list.rows.is_empty(),
        "the small catalogue looked it up at once"
    );
    let lookups: Vec<(u64, String)> = std::mem::take(&mut a.effects)
        .into_iter()
        .filter_map(|e| match e {
            Effect::Lookup {
                generation,
                message,
            } => Some((generation, message)),
            _ => None,
        })
        .collect();
    assert_eq!(lookups.len(), 2, "entering lookup mode, then the keystroke");
    let (generation, asked) = lookups.last().cloned().expect("a lookup");
    assert_eq!(
        (asked, a.background.pending),
        (format!("{message} "), Some(generation))
    );
    assert!(
        a.built_lookup_index().is_none(),
        "the UI thread built no index"
    );

    let shared = Shared::of(&a);
    assert!(shared.rows(&Job::Lookup(" \n".into())).is_empty());
    assert!(
        a.built_lookup_index().is_none(),
        "a blank message builds no index"
    );
    let rows = shared.rows(&Job::Lookup(format!("{message} ")));
    assert!(
        a.built_lookup_index().is_some(),
        "the thread built the shared index"
    );
    run(&mut a, [Action::Filtered { generation, rows }]);
    assert_eq!(a.list.rows, small.list.rows);
    assert_eq!(
        (a.background.pending, current_id(&a)),
        (None, current_id(&small))
    );
}

#[test]
fn sorting_by_last_update_leaves_the_details_in_the_file() {
    let record = |id: &str, updated: &str| {
        format!(
            r#"{{"id":"t/{id}","signature":"sig {id}","regex":"sig","root_cause":"cause {id}","last_updated":"{updated}"}}"#
        )
    };
    let lines = [
        record("old", "2025-01-02"),
        record("new", "2026-11-30"),
        record("mid", "2026-03-04"),
    ];
    let catalog = common::load_lines(&lines);
    assert!(catalog.iter().all(|r| r.details_deferred()));
    let mut a = App::new(catalog, Default::default());
    run(
        &mut a,
        [Action::CycleSort, Action::CycleSort, Action::CycleSort],
    );
    assert_eq!(a.list.sort, Sort::LastUpdated);
    let order: Vec<&str> = (a.list.rows.iter())
        .map(|r| a.catalog[r.index].id.as_str())
        .collect();
    assert_eq!(order, ["t/new", "t/mid", "t/old"]);
    assert!(
        a.catalog.iter().all(|r| r.details_deferred()),
        "sorting parsed no record's details"
    );
}

#[test]
fn on_a_large_catalogue_a_language_switch_or_a_sort_filters_in_the_background_keeping_the_record() {
    let mut a = filtering_in_the_background();
    run(&mut a, [Action::FocusSearch]);
    type_text(&mut a, "e");
    let requests = |a: &mut App| -> Vec<(u64, Lang)> {
        (filter_requests(a).into_iter())
            .map(|(generation, _, lang)| (generation, lang))
            .collect()
    };
    let (generation, _) = requests(&mut a)[0];
    let rows = Shared::of(&a).rows(&Job::Filter(
        errdex::search::fuzzy::Query::parse("e"),
        Lang::En,
    ));
    assert!(rows.len() >= 2, "the fixture has two records with an e");
    run(
        &mut a,
        [
            Action::Filtered { generation, rows },
            Action::Leave,
            Action::Next,
        ],
    );
    let second = a.list.rows[1].index;
    assert_eq!(a.current(), Some(second));

    run(&mut a, [Action::ToggleLang]);
    let asked = requests(&mut a);
    assert_eq!(asked.len(), 1, "the switch filters once, in the background");
    let (generation, lang) = asked[0];
    assert_eq!((lang, a.background.pending), (Lang::Zh, Some(generation)));
    assert_eq!(
        a.current(),
        Some(second),
        "the record stays selected meanwhile"
    );
    let rows = Shared::of(&a).rows(&Job::Filter(
        errdex::search::fuzzy::Query::parse("e"),
        Lang::Zh,
    ));
    run(&mut a, [Action::Filtered { generation, rows }]);
    assert_eq!(
        a.current(),
        Some(second),
        "and after, as it is still listed"
    );

    run(&mut a, [Action::CycleSort]);
    assert_eq!(requests(&mut a).len(), 1, "a sort too");
}

#[test]
fn a_background_result_that_arrives_under_an_overlay_moves_the_tester_with_the_record() {
    let mut a = filtering_in_the_background();
    run(
        &mut a,
        [
            Action::Resize {
                width: 120,
                height: 40,
            },
            Action::Tab(Tab::Workarounds),
            Action::EnterDetail,
            Action::Next,
            Action::FocusSearch,
        ],
    );
    let first = a.current().expect("a record");
    type_text(&mut a, "enospc");
    let (generation, query, lang) = filter_requests(&mut a).pop().expect("a request");
    let rows = Shared::of(&a).rows(&Job::Filter(query, lang));
    let hit = rows[0].index;
    assert_ne!(hit, first, "the result selects another record");
    run(
        &mut a,
        [
            Action::ToggleHelp,
            Action::Filtered { generation, rows },
            Action::Leave,
        ],
    );
    assert_eq!(a.current(), Some(hit));
    assert_eq!(
        (a.tester.regex.value(), a.detail.item),
        (a.catalog[hit].regex.as_str(), 0),
        "the tester and the item follow the new record"
    );
}

#[test]
fn a_background_filter_superseded_by_a_newer_request_sends_nothing() {
    let a = filtering_in_the_background();
    let shared = Shared::of(&a);
    let job = || Job::Filter(errdex::search::fuzzy::Query::parse("e"), Lang::En);
    assert!(shared.rows_until(&job(), &|| true).is_none());
    assert_eq!(
        shared.rows_until(&job(), &|| false),
        Some(shared.rows(&job())),
        "a pass nobody superseded lists what it always did"
    );
}
