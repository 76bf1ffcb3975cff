//! `update`: the only place browser state changes. One action in, the state after it out; no I/O (side
//! effects are queued in `app.effects` for the event loop).

use super::action::{Action, Edit, Tab};
use super::app::{App, Effect, Focus, Overlay, Pick, Place, Row};
use super::layout::contains;
use super::view;
use crate::catalog::stats::Stats;
use crate::i18n::t;
use crate::outcomes::{ItemKind, Mark, Verdict};
use tui_input::InputRequest;

pub fn update(app: &mut App, action: Action) {
    // A note lasts until the user does something; what the terminal or the background thread sends is not
    // the user (the first resize would clear a note given at start).
    if !matches!(
        action,
        Action::Resize { .. }
            | Action::Filtered { .. }
            | Action::RegexesChecked(_)
            | Action::Loaded(_)
    ) {
        app.message = None;
    }
    if let Some(overlay) = app.overlay
        && !matches!(action, Action::Loaded(_))
    {
        return update_overlay(app, overlay, action);
    }
    match action {
        // Under an overlay too: the list behind it is what changes.
        Action::Loaded(whole) => loaded(app, whole),
        Action::Quit => app.quit = true,
        Action::Accept => accept(app),
        Action::Cancel => app.quit = true,
        Action::Next => step(app, 1),
        Action::Prev => step(app, -1),
        Action::PageDown => step(app, page(app)),
        Action::PageUp => step(app, -page(app)),
        Action::First => step(app, isize::MIN / 2),
        Action::Last => step(app, isize::MAX / 2),
        Action::NextTab => set_tab(app, app.detail.tab.offset(1)),
        Action::PrevTab => set_tab(app, app.detail.tab.offset(-1)),
        Action::Tab(tab) => set_tab(app, tab),
        Action::EnterDetail => {
            app.panes.detail = true;
            app.focus = Focus::Detail;
        }
        Action::Follow => follow(app),
        Action::Back => travel(app, true),
        Action::Forward => travel(app, false),
        Action::FocusSearch => {
            app.focus = Focus::Search;
            if app.list.lookup_mode {
                app.list.lookup_mode = false;
                app.refresh_rows(None);
            }
        }
        Action::FocusTester => {
            app.panes.tester = true;
            app.focus = Focus::TesterText;
        }
        Action::EditRegex => {
            app.panes.tester = true;
            app.focus = Focus::TesterRegex;
        }
        Action::ToggleTester => {
            app.panes.tester = !app.panes.tester;
            if matches!(app.focus, Focus::TesterText | Focus::TesterRegex) {
                app.focus = Focus::List;
            }
            app.keep_selection_visible();
            app.effects.push(Effect::SavePanes(app.panes));
        }
        Action::ToggleDetail => {
            app.panes.detail = !app.panes.detail;
            if app.focus == Focus::Detail {
                app.focus = Focus::List;
            }
            app.effects.push(Effect::SavePanes(app.panes));
        }
        Action::CycleSplit => {
            app.panes.split = app.panes.split.next();
            app.effects.push(Effect::SavePanes(app.panes));
        }
        Action::Leave => leave(app),
        Action::ToggleLang => {
            app.lang = app.lang.toggle();
            // Chinese searches the Chinese signatures too, so the list can change.
            app.refresh_rows(None);
        }
        Action::CycleSort => {
            app.list.sort = app.list.sort.next();
            app.refresh_rows(None);
            app.message = Some(format!(
                "{}: {}",
                t(app.lang, "sort.label"),
                t(app.lang, app.list.sort.label_key())
            ));
        }
        Action::Copy => copy(app),
        Action::OpenDocs => open_docs(app),
        Action::ToggleHelp => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::ToggleDiagnostics => app.overlay = Some(Overlay::Diagnostics { scroll: 0 }),
        Action::MarkWorked => mark(app, Verdict::Worked),
        Action::MarkFailed => mark(app, Verdict::Failed),
        Action::NotSaved(why) => {
            app.message = Some(format!("{}: {why}", t(app.lang, "msg.not_saved")));
        }
        // Counted over the first records alone it would be wrong.
        Action::ToggleOverview if app.loading.is_some() => {
            app.message = Some(t(app.lang, "msg.still_loading").to_string());
        }
        Action::ToggleOverview => {
            if app.stats.is_none() {
                app.stats = Some(Stats::of(&app.catalog, app.background.from));
            }
            app.overlay = Some(Overlay::Overview { selected: 0 });
        }
        Action::ToggleCase => {
            app.tester.case_insensitive = !app.tester.case_insensitive;
            app.evaluate_tester();
        }
        Action::ResetRegex => {
            let regex = app
                .current_record()
                .map(|r| r.regex.clone())
                .unwrap_or_default();
            app.tester.regex = tui_input::Input::new(regex);
            app.evaluate_tester();
        }
        Action::ToggleLookup => {
            app.list.lookup_mode = !app.list.lookup_mode;
            app.refresh_rows(None);
            if app.list.lookup_mode && app.tester.text.text().trim().is_empty() {
                app.message = Some(t(app.lang, "msg.lookup_empty").to_string());
            }
            selection_moved(app, None);
        }
        Action::Edit(edit) => edit_focused(app, &edit),
        Action::Paste(text) => paste(app, &text),
        Action::Click { column, row } => click(app, column, row),
        Action::Wheel { column, row, down } => wheel(app, column, row, down),
        Action::Resize { width, height } => {
            app.screen.width = width;
            app.screen.height = height;
            app.keep_selection_visible();
        }
        Action::RegexesChecked(warnings) => app.late_diagnostics = warnings,
        Action::Filtered { generation, rows } => filtered(app, generation, rows),
    }
}

/// A background filter's or lookup's result, under an overlay or not: the list takes it if it is the one
/// awaited, and a changed selection resets the detail and the tester as any other move does.
fn filtered(app: &mut App, generation: u64, rows: Vec<Row>) {
    let before = app.current();
    if app.apply_filtered(generation, rows) {
        selection_moved(app, before);
    }
}

/// The whole catalogue arrives after the first records: the list becomes the whole's (filtered now by a query
/// or lookup typed meanwhile), and the selection, history and detail stay where they were, as the whole lists
/// the same records first. Should it not (a file changed between the two reads), they start over.
fn loaded(app: &mut App, whole: super::model::Whole) {
    let Some(_) = app.loading.take() else {
        return;
    };
    // Through views: the whole's records may be left in its indexes, not built.
    let same = app.catalog.len() <= whole.catalog.len()
        && (0..app.catalog.len()).all(|i| app.catalog.view(i).id() == whole.catalog.view(i).id());
    let before = app.current();
    app.catalog = whole.catalog;
    app.fuzzy = whole.fuzzy;
    app.narrowing = whole.narrowing;
    app.reset_lookup();
    app.stats = None;
    if same {
        app.refresh_rows(None);
        selection_moved(app, before);
    } else {
        app.detail.history = Default::default();
        app.list.rows.clear();
        app.list.offset = 0;
        app.refresh_rows(None);
        app.record_changed();
    }
}

fn page(app: &App) -> isize {
    let rows = match (app.focus, app.areas()) {
        (Focus::Detail, Some(a)) => a.body.height as usize,
        (_, Some(a)) => a.list_rows(),
        (_, None) => 10,
    };
    rows.max(1) as isize
}

/// Moves the list selection, or in the detail pane the item (or the scroll where a tab has no items).
fn step(app: &mut App, by: isize) {
    if app.focus == Focus::Detail {
        let count = app.item_count();
        if count == 0 || by.abs() > 1 && app.detail.tab == Tab::Overview {
            scroll_detail(app, by);
        } else {
            app.detail.item = (app.detail.item as isize + by).clamp(0, count as isize - 1) as usize;
            show_item(app);
        }
        return;
    }
    if app.list.rows.is_empty() {
        return;
    }
    let before = app.current();
    app.list.selected =
        (app.list.selected as isize + by).clamp(0, app.list.rows.len() as isize - 1) as usize;
    app.keep_selection_visible();
    selection_moved(app, before);
}

fn selection_moved(app: &mut App, before: Option<usize>) {
    if app.current() != before {
        app.record_changed();
    }
}

fn scroll_detail(app: &mut App, by: isize) {
    app.detail.scroll.by(by);
}

/// Scrolls so the selected item's first lines are in view, at the next frame (which knows where it is).
fn show_item(app: &mut App) {
    app.detail.scroll.reveal.set(true);
}

fn set_tab(app: &mut App, tab: Tab) {
    if app.detail.tab != tab {
        app.detail.tab = tab;
        app.detail.item = 0;
        app.detail.scroll.reset();
    }
}

/// Follows the selected link of the Related tab, pushing the current place on the history.
fn follow(app: &mut App) {
    if app.detail.tab != Tab::Related {
        return;
    }
    let Some(r) = app.current_record() else {
        return;
    };
    let Some((_, edge)) = r.details().transition_graph.edges().nth(app.detail.item) else {
        return;
    };
    let Some(target) = app.catalog.index_of(&edge.error_id) else {
        let why = match app.loading {
            Some(_) => "rel.loading",
            None => "rel.missing",
        };
        app.message = Some(format!("{}: {}", edge.error_id, t(app.lang, why)));
        return;
    };
    if let Some(here) = app.here() {
        app.detail.history.back.push(here);
        app.detail.history.forward.clear();
    }
    go_to(
        app,
        Place {
            record: target,
            tab: Tab::Overview,
            item: 0,
        },
    );
}

fn travel(app: &mut App, back: bool) {
    let (from, to) = if back {
        (
            &mut app.detail.history.back,
            &mut app.detail.history.forward,
        )
    } else {
        (
            &mut app.detail.history.forward,
            &mut app.detail.history.back,
        )
    };
    let Some(place) = from.pop() else { return };
    if let Some(here) = app.list.rows.get(app.list.selected).map(|r| Place {
        record: r.index,
        tab: app.detail.tab,
        item: app.detail.item,
    }) {
        to.push(here);
    }
    go_to(app, place);
}

/// Shows a place: selects its record in the list, clearing the search when the record is filtered out.
fn go_to(app: &mut App, place: Place) {
    if !app.list.rows.iter().any(|r| r.index == place.record) {
        app.search.clear();
        app.list.lookup_mode = false;
    }
    app.refresh_rows(Some(place.record));
    app.record_changed();
    app.detail.tab = place.tab;
    app.detail.item = place.item;
    show_item(app);
}

fn leave(app: &mut App) {
    match app.focus {
        Focus::List if !app.search.value().is_empty() => {
            app.search.clear();
            let before = app.current();
            app.refresh_rows(None);
            selection_moved(app, before);
        }
        Focus::List => {}
        _ => app.focus = Focus::List,
    }
}

fn edit_focused(app: &mut App, edit: &Edit) {
    match app.focus {
        Focus::Search => {
            // Moving the cursor changes no result: only a new value filters again.
            if let Some(req) = input_request(edit)
                && app.search.handle(req)
            {
                results_changed(app);
            }
        }
        Focus::TesterRegex => {
            if let Some(req) = input_request(edit) {
                app.tester.regex.handle(req);
                app.evaluate_tester();
            }
        }
        Focus::TesterText => {
            app.tester.text.edit(edit);
            tester_text_changed(app);
        }
        Focus::List | Focus::Detail => {}
    }
}

fn tester_text_changed(app: &mut App) {
    app.evaluate_tester();
    if app.list.lookup_mode {
        results_changed(app);
    }
}

/// A new query or message: the list is ranked anew and the best hit is selected, as in fzf. Large catalogues
/// are filtered in the background so the keystroke returns at once.
fn results_changed(app: &mut App) {
    if app.lists_in_background() {
        return app.request_rows(None);
    }
    let before = app.current();
    app.refresh_rows(None);
    app.list.selected = 0;
    app.list.offset = 0;
    selection_moved(app, before);
}

/// Single-line inputs take a paste's first line break as a space; the tester text takes it whole.
fn paste(app: &mut App, text: &str) {
    match app.focus {
        Focus::TesterText => {
            if !app.tester.text.insert(text) {
                app.message = Some(t(app.lang, "msg.paste_cut").to_string());
            }
            tester_text_changed(app);
        }
        // One insertion, then one filter or compile: a keystroke's worth of work, not one per character.
        Focus::Search => {
            let mut input = app.search.input().clone();
            if !paste_line(&mut input, text) {
                app.message = Some(t(app.lang, "msg.paste_cut_line").to_string());
            }
            app.search.set(input);
            results_changed(app);
        }
        Focus::TesterRegex => {
            if !paste_line(&mut app.tester.regex, text) {
                app.message = Some(t(app.lang, "msg.paste_cut_line").to_string());
            }
            app.evaluate_tester();
        }
        // Pasting while browsing means "look this up": it goes to the tester, in lookup mode.
        Focus::List | Focus::Detail => {
            app.tester.text = super::textbuf::TextBuf::new(text);
            app.panes.tester = true;
            app.list.lookup_mode = true;
            app.focus = Focus::TesterText;
            tester_text_changed(app);
        }
    }
}

/// The longest search query or regex: far beyond any real one, small enough that filtering and compiling
/// stay quick.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Inserts pasted text at a one-line input's cursor in one go (control characters become spaces), up to
/// `MAX_LINE_BYTES`; returns whether all of it fit. tui-input inserts a character at a time, rescanning the
/// value each time: a 1 MB paste took minutes.
fn paste_line(input: &mut tui_input::Input, text: &str) -> bool {
    let value = input.value();
    let at = value
        .char_indices()
        .nth(input.cursor())
        .map_or(value.len(), |(i, _)| i);
    let room = MAX_LINE_BYTES.saturating_sub(value.len());
    let mut take = text.len().min(room);
    while !text.is_char_boundary(take) {
        take -= 1;
    }
    let pasted: String = text[..take]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cursor = input.cursor() + pasted.chars().count();
    let mut joined = String::with_capacity(value.len() + pasted.len());
    joined.push_str(&value[..at]);
    joined.push_str(&pasted);
    joined.push_str(&value[at..]);
    *input = tui_input::Input::new(joined).with_cursor(cursor);
    take == text.len()
}

fn input_request(edit: &Edit) -> Option<InputRequest> {
    Some(match edit {
        Edit::Insert(c) => InputRequest::InsertChar(*c),
        Edit::Backspace => InputRequest::DeletePrevChar,
        Edit::Delete => InputRequest::DeleteNextChar,
        Edit::Left => InputRequest::GoToPrevChar,
        Edit::Right => InputRequest::GoToNextChar,
        Edit::Home => InputRequest::GoToStart,
        Edit::End => InputRequest::GoToEnd,
        Edit::DeleteWord => InputRequest::DeletePrevWord,
        Edit::Clear => InputRequest::DeleteLine,
        Edit::Newline | Edit::Up | Edit::Down => return None,
    })
}

fn copy(app: &mut App) {
    let how = (app.detail.tab == Tab::Workarounds)
        .then(|| app.current_record())
        .flatten()
        .and_then(|r| {
            let w = r.details().workarounds.get(app.detail.item)?;
            Some(
                w.how
                    .clone()
                    .filter(|h| !h.trim().is_empty())
                    .unwrap_or_else(|| w.action.clone()),
            )
        });
    match how {
        Some(text) => {
            app.effects
                .push(Effect::Copy(crate::text::sanitize(&text).into_owned()));
            app.message = Some(t(app.lang, "msg.copied").to_string());
        }
        None => app.message = Some(t(app.lang, "msg.copy_where").to_string()),
    }
}

/// Marks the selected dead end or workaround for the user (the same mark again takes it back), shows it,
/// and asks the edge to append it to the outcomes file.
fn mark(app: &mut App, verdict: Verdict) {
    let item = app.current_record().and_then(|r| {
        let d = r.details();
        let (kind, action) = match app.detail.tab {
            Tab::DeadEnds => (ItemKind::DeadEnd, &d.dead_ends.get(app.detail.item)?.action),
            Tab::Workarounds => (
                ItemKind::Workaround,
                &d.workarounds.get(app.detail.item)?.action,
            ),
            _ => return None,
        };
        Some((r.id.clone(), kind, action.clone()))
    });
    let Some((record_id, kind, action)) = item.filter(|_| app.focus == Focus::Detail) else {
        app.message = Some(t(app.lang, "msg.mark_where").to_string());
        return;
    };
    let again = app.marks.get(&record_id, kind, &action) == Some(verdict);
    let outcome = if again { Verdict::Cleared } else { verdict };
    let mark = Mark {
        record_id,
        kind,
        index: app.detail.item,
        action,
        outcome,
        errdex_version: env!("CARGO_PKG_VERSION").to_string(),
        date: crate::outcomes::today(),
    };
    app.marks.record(mark.clone());
    app.effects.push(Effect::SaveMark(mark));
    let key = match outcome {
        Verdict::Worked => "msg.marked_worked",
        Verdict::Failed => "msg.marked_failed",
        Verdict::Cleared => "msg.mark_cleared",
    };
    app.message = Some(t(app.lang, key).to_string());
}

/// `--print`: the current record's id, or its workaround's commands (the one selected in the Workarounds tab,
/// else the first), become an effect for the edge to print once the terminal is restored.
fn accept(app: &mut App) {
    let Some(pick) = app.pick else { return };
    let Some(record) = app.current_record() else {
        return;
    };
    let text = match pick {
        Pick::Id => Some(record.id.clone()),
        Pick::Commands => {
            let at = if app.detail.tab == Tab::Workarounds && app.focus == Focus::Detail {
                app.detail.item
            } else {
                0
            };
            record.details().workarounds.get(at).map(|w| {
                w.how
                    .clone()
                    .filter(|h| !h.trim().is_empty())
                    .unwrap_or_else(|| w.action.clone())
            })
        }
    };
    match text {
        Some(text) => {
            app.effects
                .push(Effect::Print(crate::text::sanitize(&text).into_owned()));
            app.quit = true;
        }
        None => app.message = Some(t(app.lang, "msg.no_commands").to_string()),
    }
}

fn open_docs(app: &mut App) {
    let url = app.current_record().and_then(|r| {
        r.details().official_doc_url.clone().or_else(|| {
            r.details()
                .extra
                .get("url")
                .and_then(|u| u.as_str())
                .map(str::to_string)
        })
    });
    match url {
        Some(u) if is_web_url(&u) => {
            app.message = Some(format!(
                "{} {}",
                t(app.lang, "msg.opening"),
                crate::text::sanitize_line(&u)
            ));
            app.effects.push(Effect::Open(u));
        }
        Some(_) => app.message = Some(t(app.lang, "msg.not_web").to_string()),
        None => app.message = Some(t(app.lang, "msg.no_docs").to_string()),
    }
}

/// Only http(s) URLs without spaces or controls are handed to the system opener.
pub fn is_web_url(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn click(app: &mut App, column: u16, row: u16) {
    let Some(a) = app.areas() else { return };
    if contains(a.search, column, row) {
        app.focus = Focus::Search;
    } else if contains(a.list, column, row) {
        app.focus = Focus::List;
        let offset = row.saturating_sub(a.list.y + 1) as usize;
        if row > a.list.y
            && offset < a.list_rows()
            && app.list.offset + offset < app.list.rows.len()
        {
            let before = app.current();
            app.list.selected = app.list.offset + offset;
            selection_moved(app, before);
        }
    } else if contains(a.tabs, column, row) {
        if let Some(tab) = view::detail::tab_at(app, a.tabs, column) {
            set_tab(app, tab);
        }
    } else if contains(a.detail, column, row) {
        app.focus = Focus::Detail;
    } else if contains(a.tester, column, row) {
        app.focus = Focus::TesterText;
    }
}

fn wheel(app: &mut App, column: u16, row: u16, down: bool) {
    let Some(a) = app.areas() else { return };
    let by = if down { 3 } else { -3 };
    if contains(a.list, column, row) {
        let before = app.current();
        let last = app.list.rows.len().saturating_sub(1) as isize;
        app.list.selected = (app.list.selected as isize + by).clamp(0, last.max(0)) as usize;
        app.keep_selection_visible();
        selection_moved(app, before);
    } else if contains(a.detail, column, row) {
        scroll_detail(app, by);
    }
}

fn update_overlay(app: &mut App, overlay: Overlay, action: Action) {
    let scroll = |s: usize, by: isize| (s as isize + by).max(0) as usize;
    let by = match action {
        Action::Quit => return app.quit = true,
        Action::Leave | Action::ToggleHelp | Action::ToggleDiagnostics | Action::ToggleOverview => {
            return app.overlay = None;
        }
        Action::Follow => {
            if let Overlay::Overview { selected } = overlay {
                filter_domain(app, selected);
            }
            return;
        }
        Action::Next => 1,
        Action::Prev => -1,
        Action::PageDown => 10,
        Action::PageUp => -10,
        Action::Wheel { down, .. } => {
            if down {
                3
            } else {
                -3
            }
        }
        Action::Resize { width, height } => {
            app.screen.width = width;
            app.screen.height = height;
            return;
        }
        Action::Filtered { generation, rows } => return filtered(app, generation, rows),
        Action::RegexesChecked(warnings) => {
            app.late_diagnostics = warnings;
            return;
        }
        _ => return,
    };
    app.overlay = Some(match overlay {
        Overlay::Help { scroll: s } => Overlay::Help {
            scroll: scroll(s, by),
        },
        Overlay::Diagnostics { scroll: s } => Overlay::Diagnostics {
            scroll: scroll(s, by),
        },
        Overlay::Overview { selected } => {
            let last = app
                .stats
                .as_ref()
                .map_or(0, |s| s.domains.len().saturating_sub(1));
            Overlay::Overview {
                selected: scroll(selected, by).min(last),
            }
        }
    });
}

/// The overview's Enter: the list shows the selected domain's records (`domain:NAME` in the search box).
fn filter_domain(app: &mut App, selected: usize) {
    let Some(name) = (app.stats.as_ref())
        .and_then(|s| s.domains.get(selected))
        .map(|d| d.name.clone())
    else {
        return;
    };
    app.overlay = None;
    app.list.lookup_mode = false;
    app.focus = Focus::List;
    let text = format!("domain:{name}");
    let cursor = text.chars().count();
    app.search
        .set(tui_input::Input::new(text).with_cursor(cursor));
    results_changed(app);
}
