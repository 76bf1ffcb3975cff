//! Property tests: arbitrary input never panics the loader, sanitized text never carries a control
//! character, and drawing at any size with arbitrary records never panics.

use errdex::catalog::load::parse_bytes;
use errdex::catalog::source::Layout;
use errdex::catalog::{Catalog, Position, Record};
use errdex::text::{sanitize, sanitize_line};
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::{App, Options};
use errdex::tui::update::update;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for layout in [Layout::Json, Layout::JsonLines] {
            let parsed = parse_bytes(&"fuzz.json".into(), &bytes, layout);
            for d in &parsed.diagnostics {
                prop_assert!(d.line >= 1 && d.column >= 1);
            }
        }
    }

    #[test]
    fn json_shaped_input_never_panics_the_loader(s in r#"[\[\]{}",:0-9a-z\\ \n-]{0,300}"#) {
        let wrapped = format!(r#"{{"id": "x/y", "signature": "s", "regex": "s", "extra": {s}}}"#);
        let _ = parse_bytes(&"fuzz.json".into(), wrapped.as_bytes(), Layout::Json);
        let _ = parse_bytes(&"fuzz.jsonl".into(), s.as_bytes(), Layout::JsonLines);
    }

    #[test]
    fn sanitized_text_has_no_control_characters(s in any::<String>()) {
        let clean = sanitize(&s);
        prop_assert!(!clean.chars().any(|c| c.is_control() && c != '\n'), "{:?}", clean);
        let invisible = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{feff}');
        prop_assert!(!clean.chars().any(invisible), "{:?}", clean);
        prop_assert!(!sanitize_line(&s).contains('\n'));
    }
}

fn arbitrary_record() -> impl Strategy<Value = Record> {
    (any::<String>(), any::<String>(), ".{0,40}", any::<String>(), proptest::collection::vec(any::<String>(), 0..4), any::<Option<f64>>())
        .prop_map(|(id, sig, regex, cause, items, rate)| {
            let mut r = Record::new(format!("p/{id}"), sig, regex);
            r.details_mut().root_cause = Some(cause.clone());
            r.signature_zh = Some(cause);
            r.fix_success_rate = rate;
            for (i, item) in items.iter().enumerate() {
                r.details_mut().dead_ends.push(serde_json::from_value(serde_json::json!({"action": item, "why_fails": item, "fail_rate": i as f64 / 3.0})).expect("dead end"));
                r.details_mut().workarounds.push(serde_json::from_value(serde_json::json!({"action": item, "how": item})).expect("workaround"));
                r.details_mut().transition_graph.leads_to.push(serde_json::from_value(serde_json::json!(item)).expect("edge"));
            }
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn drawing_at_any_size_never_panics(
        records in proptest::collection::vec(arbitrary_record(), 0..6),
        width in 1u16..300,
        height in 1u16..100,
        tab in 0usize..4,
        steps in 0usize..5,
        zh in any::<bool>(),
    ) {
        let mut catalog = Catalog::default();
        let path: std::sync::Arc<str> = "prop.json".into();
        for r in records {
            catalog.add(r, Position::file(&path));
        }
        let mut app = App::new(catalog, Options::default());
        update(&mut app, Action::Resize { width, height });
        update(&mut app, Action::Tab(Tab::ALL[tab]));
        if zh {
            update(&mut app, Action::ToggleLang);
        }
        update(&mut app, Action::EnterDetail);
        for _ in 0..steps {
            update(&mut app, Action::Next);
        }
        update(&mut app, Action::ToggleHelp);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|f| errdex::tui::view::draw(&app, f)).expect("draw");
        update(&mut app, Action::Leave);
        update(&mut app, Action::FocusTester);
        update(&mut app, Action::Paste("x\ny".into()));
        terminal.draw(|f| errdex::tui::view::draw(&app, f)).expect("draw");
    }
}
