//! The detail pane: tab bar and the current tab's content, pre-wrapped to the pane width so scrolling and
//! "keep the selected item in view" work in exact rows.

use super::bold;
use crate::catalog::localized::Field;
use crate::catalog::{Lang, Localized, Record, Transition};
use crate::i18n::t;
use crate::outcomes::{ItemKind, Marks, Verdict};
use crate::report::resolvable;
use crate::text::{percent, sanitize, sanitize_line, width, wrap};
use crate::tui::action::Tab;
use crate::tui::app::{App, Focus};
use crate::tui::layout::Areas;
use crate::tui::model::{DetailKey, DetailLayout};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The lines of the current tab and where each selectable item starts.
pub struct Content {
    pub lines: Vec<Line<'static>>,
    pub item_starts: Vec<usize>,
}

struct Builder {
    lines: Vec<Line<'static>>,
    item_starts: Vec<usize>,
    width: usize,
    lang: Lang,
    theme: Theme,
}

impl Builder {
    /// Wrapped text after an optional first-line prefix, each line indented by `indent` columns.
    fn text(&mut self, prefix: Vec<Span<'static>>, text: &str, indent: usize, style: Style) {
        let prefix_width: usize = prefix.iter().map(|s| width(&s.content)).sum();
        let room = self.width.saturating_sub(indent.max(prefix_width)).max(1);
        let text = crate::text::clip(text, crate::text::DISPLAY_MAX_CHARS);
        for (i, part) in wrap(&sanitize(&text), room).into_iter().enumerate() {
            let mut spans = if i == 0 { prefix.clone() } else { Vec::new() };
            let used = if i == 0 { prefix_width } else { 0 };
            spans.push(Span::raw(" ".repeat(indent.saturating_sub(used))));
            spans.push(Span::styled(part, style));
            self.lines.push(Line::from(spans));
        }
    }

    /// Localized text, marked when it fell back to English.
    fn localized(&mut self, l: Localized, indent: usize, style: Style) {
        let mut prefix = vec![Span::raw(" ".repeat(indent))];
        if l.fell_back {
            prefix.push(Span::styled(
                format!("[{}] ", t(self.lang, "value.en_fallback")),
                self.theme.dim,
            ));
        }
        self.text(prefix, l.text, indent, style);
    }

    fn heading(&mut self, key: &str) {
        if !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.lines.push(Line::styled(
            t(self.lang, key).to_string(),
            self.theme.title,
        ));
    }

    fn field(&mut self, key: &str, value: &str) {
        let label = Span::styled(format!("{}: ", t(self.lang, key)), self.theme.dim);
        let indent = width(&label.content);
        self.text(vec![label], value, indent, Style::new());
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }
}

pub fn content(app: &App, pane_width: u16) -> Content {
    let mut b = Builder {
        lines: Vec::new(),
        item_starts: Vec::new(),
        width: pane_width as usize,
        lang: app.lang,
        theme: app.theme,
    };
    if let Some(r) = app.current_record() {
        match app.detail.tab {
            Tab::Overview => overview(&mut b, r),
            Tab::DeadEnds => dead_ends(&mut b, r, &app.marks),
            Tab::Workarounds => workarounds(&mut b, r, &app.marks),
            Tab::Related => related(&mut b, r, app),
        }
    } else {
        b.lines.push(Line::styled(
            t(app.lang, "ui.no_selection").to_string(),
            app.theme.dim,
        ));
    }
    Content {
        lines: b.lines,
        item_starts: b.item_starts,
    }
}

fn overview(b: &mut Builder, r: &Record) {
    let lang = b.lang;
    if let Some(sig) = r.text(Field::Signature, lang) {
        b.localized(sig, 0, bold());
    }
    if let Some(cause) = r.text(Field::RootCause, lang) {
        b.heading("field.root_cause");
        b.localized(cause, 0, Style::new());
    }
    b.blank();
    let class = [
        r.domain.as_deref(),
        r.category.as_deref(),
        r.subcategory.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" / ");
    b.field("field.domain", &class);
    let mut facts = Vec::new();
    if let Some(v) = r.details().resolvable {
        facts.push(format!(
            "{}: {}",
            t(lang, "field.resolvable"),
            resolvable(lang, v.level)
        ));
    }
    for (key, rate) in [
        ("field.fix_rate", r.fix_success_rate),
        ("field.confidence", r.confidence),
    ] {
        if let Some(x) = rate {
            facts.push(format!("{}: {}", t(lang, key), percent(x)));
        }
    }
    if !facts.is_empty() {
        b.text(Vec::new(), &facts.join("   "), 0, Style::new());
    }
    let optional: [(&str, Option<String>); 4] = [
        ("field.tier", r.verification_tier.clone()),
        (
            "field.evidence",
            r.details().evidence_count.map(|n| n.to_string()),
        ),
        ("field.error_code", r.details().error_code.clone()),
        (
            "field.tags",
            (!r.details().tags.is_empty()).then(|| r.details().tags.join(", ")),
        ),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            b.field(key, &v);
        }
    }
    if !r.details().versions.is_empty() {
        b.heading("field.versions");
        for v in &r.details().versions {
            let mut text = v.version.clone().unwrap_or_default();
            for (k, val) in v.details() {
                text.push_str(&format!(" · {k} {val}"));
            }
            b.text(vec![Span::raw("• ")], &text, 2, Style::new());
            if let Some(change) = &v.behavior_change {
                b.text(Vec::new(), change, 4, b.theme.dim);
            }
        }
    }
    if !r.details().os_specific.is_empty() {
        b.heading("field.os_notes");
        for (k, v) in &r.details().os_specific {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            b.text(
                vec![Span::styled(format!("{}: ", sanitize_line(k)), b.theme.dim)],
                &v,
                2,
                Style::new(),
            );
        }
    }
    if !r.aliases.is_empty() {
        b.heading("field.aliases");
        for a in &r.aliases {
            b.text(vec![Span::raw("• ")], a, 2, Style::new());
        }
    }
    b.heading("field.docs");
    match &r.details().official_doc_url {
        Some(url) => {
            let section = r
                .details()
                .official_doc_section
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            b.text(Vec::new(), &format!("{url}{section}"), 0, b.theme.link);
        }
        None => b.text(Vec::new(), t(lang, "value.none"), 0, b.theme.dim),
    }
    if let Some(url) = r.details().extra.get("url").and_then(|u| u.as_str()) {
        b.field("field.source", url);
    }
    let dates: Vec<String> = [
        ("field.first_seen", &r.details().first_seen),
        ("field.last_confirmed", &r.details().last_confirmed),
        ("field.last_updated", &r.last_updated),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{} {v}", t(lang, k))))
    .collect();
    if !dates.is_empty() {
        b.blank();
        b.field("field.dates", &dates.join(" · "));
    }
    b.field("field.id", &r.id);
}

/// A 10-cell bar for a rate in 0..1.
fn bar(rate: f64) -> String {
    let filled = (rate.clamp(0.0, 1.0) * 10.0).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

/// Where the selected item's marker goes; the draw puts it there, so the layout does not depend on the item.
const NO_MARKER: &str = "  ";

fn marker() -> Span<'static> {
    Span::raw(NO_MARKER)
}

/// The item's rate as a bar, and the user's own mark beside it ("92% works · you: worked"); the mark alone when
/// the catalogue gives no rate.
fn rate_line(
    b: &mut Builder,
    label_key: &str,
    rate: Option<f64>,
    style: Style,
    you: Option<Verdict>,
) {
    let mut spans = vec![Span::raw("    ")];
    if let Some(x) = rate {
        spans.push(Span::styled(bar(x), style));
        spans.push(Span::raw(format!(
            " {} {}",
            percent(x),
            t(b.lang, label_key)
        )));
    }
    if let Some(you) = you {
        let (key, mark_style) = match you {
            Verdict::Worked => ("mark.worked", b.theme.good),
            _ => ("mark.failed", b.theme.bad),
        };
        if rate.is_some() {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::styled(t(b.lang, key).to_string(), mark_style));
    }
    if spans.len() > 1 {
        b.lines.push(Line::from(spans));
    }
}

fn condition_and_sources(b: &mut Builder, cond: Option<Localized>, sources: &[String]) {
    if let Some(c) = cond {
        let label = format!("{}: ", t(b.lang, "field.condition"));
        let mut prefix = vec![Span::raw("    "), Span::styled(label, b.theme.dim)];
        if c.fell_back {
            prefix.push(Span::styled(
                format!("[{}] ", t(b.lang, "value.en_fallback")),
                b.theme.dim,
            ));
        }
        b.text(prefix, c.text, 4, Style::new());
    }
    for s in sources {
        b.text(vec![Span::raw("    ↗ ")], s, 6, b.theme.dim);
    }
}

fn dead_ends(b: &mut Builder, r: &Record, marks: &Marks) {
    if r.details().dead_ends.is_empty() {
        b.text(Vec::new(), t(b.lang, "note.no_dead_ends"), 0, b.theme.dim);
    }
    for (i, d) in r.details().dead_ends.iter().enumerate() {
        if i > 0 {
            b.blank();
        }
        b.item_starts.push(b.lines.len());
        let action = r
            .text(Field::DeadEndAction(i), b.lang)
            .unwrap_or(Localized {
                text: &d.action,
                fell_back: false,
            });
        let mut prefix = vec![marker(), Span::styled("✗ ", b.theme.bad)];
        if action.fell_back {
            prefix.push(Span::styled(
                format!("[{}] ", t(b.lang, "value.en_fallback")),
                b.theme.dim,
            ));
        }
        b.text(prefix, action.text, 4, bold());
        let you = marks.get(&r.id, ItemKind::DeadEnd, &d.action);
        rate_line(b, "rate.fails", d.fail_rate, b.theme.bad, you);
        if let Some(why) = r.text(Field::DeadEndWhy(i), b.lang) {
            b.localized(why, 4, Style::new());
        }
        condition_and_sources(b, r.text(Field::DeadEndCondition(i), b.lang), &d.sources);
    }
}

fn workarounds(b: &mut Builder, r: &Record, marks: &Marks) {
    if r.details().workarounds.is_empty() {
        b.text(Vec::new(), t(b.lang, "note.no_workarounds"), 0, b.theme.dim);
    }
    for (i, w) in r.details().workarounds.iter().enumerate() {
        if i > 0 {
            b.blank();
        }
        b.item_starts.push(b.lines.len());
        let action = r
            .text(Field::WorkaroundAction(i), b.lang)
            .unwrap_or(Localized {
                text: &w.action,
                fell_back: false,
            });
        let mut prefix = vec![marker(), Span::styled("✓ ", b.theme.good)];
        if action.fell_back {
            prefix.push(Span::styled(
                format!("[{}] ", t(b.lang, "value.en_fallback")),
                b.theme.dim,
            ));
        }
        b.text(prefix, action.text, 4, bold());
        let you = marks.get(&r.id, ItemKind::Workaround, &w.action);
        rate_line(b, "rate.works", w.success_rate, b.theme.good, you);
        if let Some(how) = r
            .text(Field::WorkaroundHow(i), b.lang)
            .filter(|h| h.text != action.text)
        {
            b.localized(how, 4, b.theme.command);
        }
        condition_and_sources(b, r.text(Field::WorkaroundCondition(i), b.lang), &w.sources);
    }
}

fn related(b: &mut Builder, r: &Record, app: &App) {
    let g = &r.details().transition_graph;
    if g.is_empty() {
        b.text(Vec::new(), t(b.lang, "note.no_related"), 0, b.theme.dim);
        return;
    }
    // Drawn top to bottom as the errors happen: what comes before, this record, what follows; then what it is
    // mistaken for. Each link is a selectable line, in `edges()` order, so Enter follows the one marked.
    // An arrow down to what follows, named beside its head.
    let down = |b: &mut Builder, label: Option<&str>| {
        b.lines.push(Line::styled("    │", b.theme.dim));
        let mut head = vec![Span::styled("    ▼", b.theme.dim)];
        if let Some(key) = label {
            head.push(Span::styled(format!(" {}", t(b.lang, key)), b.theme.title));
        }
        b.lines.push(Line::from(head));
    };
    let last = |list: &[Transition], i: usize| i + 1 == list.len();
    if !g.preceded_by.is_empty() {
        b.heading("rel.preceded_by");
        for (i, e) in g.preceded_by.iter().enumerate() {
            link(
                b,
                app,
                if last(&g.preceded_by, i) {
                    "└─ "
                } else {
                    "├─ "
                },
                e,
            );
        }
        down(b, None);
    } else {
        b.blank();
    }
    this_box(b, &r.id);
    if !g.leads_to.is_empty() {
        down(b, Some("rel.leads_to"));
        for (i, e) in g.leads_to.iter().enumerate() {
            link(
                b,
                app,
                if last(&g.leads_to, i) {
                    "└▶ "
                } else {
                    "├▶ "
                },
                e,
            );
        }
    }
    if !g.frequently_confused_with.is_empty() {
        b.heading("rel.confused_with");
        for e in &g.frequently_confused_with {
            link(b, app, "≈ ", e);
        }
    }
}

/// The record itself, boxed, between what precedes and what follows it.
fn this_box(b: &mut Builder, id: &str) {
    let id = crate::text::truncate(&sanitize_line(id), b.width.saturating_sub(6)).into_owned();
    let rule = "━".repeat(width(&id) + 2);
    for line in [
        format!("  ┏{rule}┓"),
        format!("  ┃ {id} ┃"),
        format!("  ┗{rule}┛"),
    ] {
        b.lines.push(Line::styled(line, b.theme.title));
    }
}

/// One link of the graph: the branch, the target's id and probability (a link if the catalogue has it), then its
/// signature and the condition under it.
fn link(b: &mut Builder, app: &App, branch: &str, e: &Transition) {
    b.item_starts.push(b.lines.len());
    let p = e
        .probability
        .map(|p| format!("  {}", percent(p)))
        .unwrap_or_default();
    let target = app.catalog.get(&e.error_id);
    let id_style = if target.is_some() {
        b.theme.link
    } else if app.loading.is_some() {
        b.theme.dim
    } else {
        b.theme.bad
    };
    b.text(
        vec![marker(), Span::styled(branch.to_string(), b.theme.dim)],
        &format!("{}{p}", e.error_id),
        5,
        id_style,
    );
    match target {
        Some(t_rec) => {
            if let Some(sig) = t_rec.text(Field::Signature, b.lang) {
                b.localized(sig, 6, Style::new());
            }
        }
        // Perhaps among the records still loading.
        None if app.loading.is_some() => b.text(
            Vec::new(),
            &format!("({})", t(b.lang, "rel.loading")),
            6,
            b.theme.dim,
        ),
        None => b.text(
            Vec::new(),
            &format!("({})", t(b.lang, "rel.missing")),
            6,
            b.theme.bad,
        ),
    }
    if let Some(note) = e.note() {
        b.text(Vec::new(), note, 6, b.theme.dim);
    }
}

/// Tab labels as drawn in `room` columns: with item counts when they fit, without when not, and cut to
/// equal shares as a last resort.
fn tab_labels(app: &App, room: usize) -> Vec<(Tab, String)> {
    let r = app.current_record();
    let count = |tab| {
        r.and_then(|r| match tab {
            Tab::Overview => None,
            Tab::DeadEnds => Some(r.details().dead_ends.len()),
            Tab::Workarounds => Some(r.details().workarounds.len()),
            Tab::Related => Some(r.details().transition_graph.len()),
        })
    };
    let make = |with_counts: bool, with_numbers: bool| -> Vec<(Tab, String)> {
        Tab::ALL
            .iter()
            .map(|&tab| {
                let label = t(app.lang, tab.label_key());
                let number = if with_numbers {
                    format!("{} ", tab.index() + 1)
                } else {
                    String::new()
                };
                let text = match count(tab).filter(|_| with_counts) {
                    Some(n) => format!(" {number}{label} ({n}) "),
                    None => format!(" {number}{label} "),
                };
                (tab, text)
            })
            .collect()
    };
    let total = |labels: &[(Tab, String)]| labels.iter().map(|(_, l)| width(l) + 1).sum::<usize>();
    for (counts, numbers) in [(true, true), (false, true), (false, false)] {
        let labels = make(counts, numbers);
        if total(&labels) <= room + 1 {
            return labels;
        }
    }
    let short = make(false, false);
    let share = (room / Tab::ALL.len()).saturating_sub(1).max(2);
    short
        .into_iter()
        .map(|(tab, l)| (tab, crate::text::truncate(&l, share).into_owned()))
        .collect()
}

/// The tab under a column of the tab bar (mouse clicks).
pub fn tab_at(app: &App, bar: Rect, column: u16) -> Option<Tab> {
    let mut x = bar.x as usize;
    for (tab, label) in tab_labels(app, bar.width as usize) {
        let w = width(&label) + 1;
        if (column as usize) < x + w {
            return Some(tab);
        }
        x += w;
    }
    None
}

pub fn draw(app: &App, frame: &mut Frame, areas: &Areas) {
    let focused = app.focus == Focus::Detail;
    let title = app
        .current_record()
        .map(|r| sanitize_line(&r.id).into_owned())
        .unwrap_or_default();
    let block = super::framed(
        Block::bordered().title(format!(
            " {} ",
            crate::text::truncate(&title, areas.detail.width.saturating_sub(4) as usize)
        )),
        &app.theme,
        focused,
    );
    frame.render_widget(block, areas.detail);
    let mut spans = Vec::new();
    for (tab, label) in tab_labels(app, areas.tabs.width as usize) {
        let style = if tab == app.detail.tab {
            app.theme.tab_selected
        } else {
            app.theme.dim
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("│"));
    }
    spans.pop();
    frame.render_widget(Paragraph::new(Line::from(spans)), areas.tabs);
    let rule = Rect {
        y: areas.tabs.y + 1,
        ..areas.tabs
    };
    frame.render_widget(
        Paragraph::new("─".repeat(rule.width as usize)).style(app.theme.dim),
        rule,
    );
    let cache = laid_out(app, areas.body.width);
    let Some(layout) = cache.as_ref() else {
        return;
    };
    let height = areas.body.height as usize;
    let mut top = app.detail.scroll.top.get();
    if app.detail.scroll.reveal.take()
        && let Some(&start) = layout.item_starts.get(app.detail.item)
    {
        let end =
            (layout.item_starts.get(app.detail.item + 1).copied()).unwrap_or(layout.lines.len());
        if start < top {
            top = start;
        } else if end > top + height {
            top = end.saturating_sub(height).min(start);
        }
    }
    let max = layout.lines.len().saturating_sub(height);
    let top = top.min(max);
    app.detail.scroll.top.set(top);
    app.detail.scroll.max_top.set(Some(max));
    let selected = (app.focus == Focus::Detail)
        .then(|| layout.item_starts.get(app.detail.item).copied())
        .flatten();
    let visible: Vec<Line> = (layout.lines.iter().enumerate())
        .skip(top)
        .take(height)
        .map(|(at, line)| {
            let mut line = line.clone();
            if Some(at) == selected
                && let Some(first) = line.spans.first_mut()
                && first.content == NO_MARKER
            {
                *first = Span::styled("▶ ", app.theme.title);
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), areas.body);
}

/// The current tab laid out at `width`: the last layout if nothing it depends on changed, else a new one.
fn laid_out(app: &App, width: u16) -> std::cell::Ref<'_, Option<DetailLayout>> {
    let key = DetailKey {
        record: app.current(),
        tab: app.detail.tab,
        lang: app.lang,
        width,
        marks: app.marks.version(),
        loading: app.loading.is_some(),
    };
    let cache = &app.detail.cache;
    let fresh = cache.layout.borrow().as_ref().is_some_and(|l| l.key == key);
    if !fresh {
        let Content { lines, item_starts } = content(app, width);
        cache.built.set(cache.built.get() + 1);
        *cache.layout.borrow_mut() = Some(DetailLayout {
            key,
            lines,
            item_starts,
        });
    }
    cache.layout.borrow()
}
