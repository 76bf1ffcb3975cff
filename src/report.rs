//! Records as plain text for the CLI (`show`, `lookup`), in the chosen language, colour optional.
//! Every catalogue string passes through `text::sanitize` here; only our own SGR codes reach the terminal.

use crate::catalog::localized::Field;
use crate::catalog::{Lang, Localized, Record, Resolvability};
use crate::i18n::t;
use crate::text::{percent, sanitize, sanitize_line};
use std::fmt::Write;

pub mod json;

/// Whether output carries colour codes (never when piped, never under NO_COLOR unless forced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn heading(self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn good(self, s: &str) -> String {
        self.paint("32", s)
    }
    pub fn bad(self, s: &str) -> String {
        self.paint("31", s)
    }
    pub fn code(self, s: &str) -> String {
        self.paint("36", s)
    }
}

/// How much of a record to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every section (`show`).
    Full,
    /// Root cause and the best few dead ends and workarounds (`lookup` hits).
    Summary(usize),
}

/// Localized text, sanitized, marked when it fell back to English.
fn loc(style: Style, lang: Lang, l: Localized) -> String {
    let text = sanitize(l.text);
    if l.fell_back {
        format!(
            "{} {text}",
            style.dim(&format!("[{}]", t(lang, "value.en_fallback")))
        )
    } else {
        text.into_owned()
    }
}

fn indent(s: &str, pad: &str) -> String {
    s.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The record as readable text.
pub fn record(r: &Record, lang: Lang, style: Style, detail: Detail) -> String {
    let mut o = String::new();
    let tr = |k| t(lang, k);
    let text = |f| r.text(f, lang).map(|l| loc(style, lang, l));
    let _ = writeln!(o, "{}", style.heading(&sanitize_line(&r.id)));
    if let Some(sig) = text(Field::Signature) {
        let _ = writeln!(o, "{sig}");
    }
    let facts: Vec<String> = [
        ("field.domain", r.domain.clone()),
        ("field.category", r.category.clone()),
        (
            "field.resolvable",
            r.details()
                .resolvable
                .map(|v| resolvable(lang, v.level).to_string()),
        ),
        ("field.fix_rate", r.fix_success_rate.map(percent)),
        ("field.confidence", r.confidence.map(percent)),
        ("field.tier", r.verification_tier.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{}: {}", tr(k), sanitize_line(&v))))
    .collect();
    if !facts.is_empty() {
        let _ = writeln!(o, "{}", style.dim(&facts.join(" · ")));
    }
    if let Some(cause) = text(Field::RootCause) {
        let _ = writeln!(
            o,
            "\n{}\n{}",
            style.heading(tr("field.root_cause")),
            indent(&cause, "  ")
        );
    }
    let limit = match detail {
        Detail::Full => usize::MAX,
        Detail::Summary(n) => n,
    };
    if !r.details().dead_ends.is_empty() {
        let _ = writeln!(o, "\n{}", style.heading(tr("tab.dead_ends")));
        for (i, d) in r.details().dead_ends.iter().enumerate().take(limit) {
            let rate = d
                .fail_rate
                .map(|x| format!(" ({} {})", tr("rate.fails"), percent(x)))
                .unwrap_or_default();
            let action = text(Field::DeadEndAction(i)).unwrap_or_default();
            let _ = writeln!(o, "  {} {action}{}", style.bad("✗"), style.dim(&rate));
            if let Some(why) = text(Field::DeadEndWhy(i)) {
                let _ = writeln!(o, "{}", indent(&why, "    "));
            }
            if detail == Detail::Full {
                condition_and_sources(
                    &mut o,
                    lang,
                    style,
                    text(Field::DeadEndCondition(i)),
                    &d.sources,
                );
            }
        }
    }
    if !r.details().workarounds.is_empty() {
        let _ = writeln!(o, "\n{}", style.heading(tr("tab.workarounds")));
        for (i, w) in r.details().workarounds.iter().enumerate().take(limit) {
            let rate = w
                .success_rate
                .map(|x| format!(" ({} {})", tr("rate.works"), percent(x)))
                .unwrap_or_default();
            let action = text(Field::WorkaroundAction(i)).unwrap_or_default();
            let _ = writeln!(o, "  {} {action}{}", style.good("✓"), style.dim(&rate));
            if let Some(how) = text(Field::WorkaroundHow(i)).filter(|h| *h != action) {
                let _ = writeln!(o, "{}", style.code(&indent(&how, "    ")));
            }
            if detail == Detail::Full {
                condition_and_sources(
                    &mut o,
                    lang,
                    style,
                    text(Field::WorkaroundCondition(i)),
                    &w.sources,
                );
            }
        }
    }
    if detail == Detail::Full {
        details(&mut o, r, lang, style);
    }
    o
}

fn condition_and_sources(
    o: &mut String,
    lang: Lang,
    style: Style,
    cond: Option<String>,
    sources: &[String],
) {
    if let Some(c) = cond {
        let _ = writeln!(o, "    {}: {c}", style.dim(t(lang, "field.condition")));
    }
    for s in sources {
        let _ = writeln!(o, "    {}", style.dim(&sanitize_line(s)));
    }
}

/// The sections only `show` prints: related errors, versions, OS notes, docs, dates, tags, aliases, sources.
fn details(o: &mut String, r: &Record, lang: Lang, style: Style) {
    let tr = |k| t(lang, k);
    let g = &r.details().transition_graph;
    if !g.is_empty() {
        let _ = writeln!(o, "\n{}", style.heading(tr("tab.related")));
        for (label, list) in [
            ("rel.leads_to", &g.leads_to),
            ("rel.preceded_by", &g.preceded_by),
            ("rel.confused_with", &g.frequently_confused_with),
        ] {
            for e in list {
                let p = e
                    .probability
                    .map(|p| format!(" ({})", percent(p)))
                    .unwrap_or_default();
                let note = e
                    .note()
                    .map(|n| format!(": {}", sanitize_line(n)))
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "  {} → {}{p}{note}",
                    tr(label),
                    sanitize_line(&e.error_id)
                );
            }
        }
    }
    if !r.details().versions.is_empty() {
        let _ = writeln!(o, "\n{}", style.heading(tr("field.versions")));
        for v in &r.details().versions {
            let parts: Vec<String> = v
                .details()
                .into_iter()
                .map(|(k, val)| format!("{k} {}", sanitize_line(val)))
                .collect();
            let name = v.version.as_deref().map(sanitize_line).unwrap_or_default();
            let extra = if parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", parts.join(", "))
            };
            let _ = writeln!(o, "  - {name}{extra}");
            if let Some(b) = &v.behavior_change {
                let _ = writeln!(o, "    {}", sanitize_line(b));
            }
        }
    }
    if !r.details().os_specific.is_empty() {
        let _ = writeln!(o, "\n{}", style.heading(tr("field.os_notes")));
        for (k, v) in &r.details().os_specific {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let _ = writeln!(o, "  {}: {}", sanitize_line(k), sanitize_line(&v));
        }
    }
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(code) = &r.details().error_code {
        facts.push(("field.error_code", code.clone()));
    }
    if let Some(url) = &r.details().official_doc_url {
        let section = r
            .details()
            .official_doc_section
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        facts.push(("field.docs", format!("{url}{section}")));
    }
    if let Some(url) = r.details().extra.get("url").and_then(|u| u.as_str()) {
        facts.push(("field.source", url.to_string()));
    }
    let dates: Vec<String> = [
        ("field.first_seen", &r.details().first_seen),
        ("field.last_confirmed", &r.details().last_confirmed),
        ("field.last_updated", &r.last_updated),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{} {v}", tr(k))))
    .collect();
    if !dates.is_empty() {
        facts.push(("field.dates", dates.join(" · ")));
    }
    if let Some(n) = r.details().evidence_count {
        facts.push(("field.evidence", n.to_string()));
    }
    if !r.details().tags.is_empty() {
        facts.push(("field.tags", r.details().tags.join(", ")));
    }
    facts.push(("field.regex", r.regex.clone()));
    let _ = writeln!(o);
    for (k, v) in facts {
        let _ = writeln!(o, "{}: {}", style.heading(tr(k)), sanitize_line(&v));
    }
    for (key, list) in [
        ("field.aliases", &r.aliases),
        ("field.sources", &r.details().sources),
    ] {
        if !list.is_empty() {
            let _ = writeln!(o, "{}:", style.heading(tr(key)));
            for a in list {
                let _ = writeln!(o, "  - {}", sanitize_line(a));
            }
        }
    }
}

pub fn resolvable(lang: Lang, level: Resolvability) -> &'static str {
    t(
        lang,
        match level {
            Resolvability::Yes => "value.yes",
            Resolvability::Partial => "value.partial",
            Resolvability::No => "value.no",
        },
    )
}
