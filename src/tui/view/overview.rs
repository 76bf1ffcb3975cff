//! The catalogue overview (`D`): what the catalogue covers, as bars. Summary lines first (records, Chinese,
//! resolvability, verification), then one line a domain with its records and average fix rate; the selected
//! domain's records are one Enter away.

use crate::catalog::stats::Stats;
use crate::i18n::t;
use crate::text::{percent, sanitize_line, truncate, width};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// A bar of `cells` cells for `part` of `whole`, in eighths of a cell.
fn bar(part: f64, whole: f64, cells: usize) -> String {
    if whole <= 0.0 || cells == 0 {
        return String::new();
    }
    let eighths = ((part / whole).clamp(0.0, 1.0) * cells as f64 * 8.0).round() as usize;
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8];
    format!("{}{partial}", "█".repeat(eighths / 8))
}

/// `text` padded with spaces to `columns` terminal columns (wide characters count two).
fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// `label n%` shares of a total, joined: `yes 80% · partly 15%`.
fn shares(parts: &[(String, usize)], total: usize) -> String {
    parts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{label} {}", percent(*n as f64 / total.max(1) as f64)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn summary(app: &App, stats: &Stats) -> Vec<Line<'static>> {
    let lang = app.lang;
    let total = stats.records;
    let label = |key: &str| Span::styled(pad(t(lang, key), 14), app.theme.title);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(
                "{total} {} · {} {}",
                t(lang, "ov.records"),
                stats.domains.len(),
                t(lang, "ov.domains")
            ),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!(
            " · {} {}",
            t(lang, "ov.chinese"),
            percent(stats.chinese as f64 / total.max(1) as f64)
        )),
    ])];
    let resolvable = match stats.resolvable {
        Some([yes, partial, no, unknown]) => shares(
            &[
                (t(lang, "ov.yes").to_string(), yes),
                (t(lang, "ov.partial").to_string(), partial),
                (t(lang, "ov.no").to_string(), no),
                (t(lang, "ov.unknown").to_string(), unknown),
            ],
            total,
        ),
        None => t(lang, "ov.resolvable_skipped").to_string(),
    };
    lines.push(Line::from(vec![
        label("ov.resolvable"),
        Span::raw(resolvable),
    ]));
    let tiers: Vec<(String, usize)> = stats
        .tiers
        .iter()
        .map(|(tier, n)| {
            let name = if tier.is_empty() {
                t(lang, "ov.none").to_string()
            } else {
                sanitize_line(tier).into_owned()
            };
            (name, *n)
        })
        .collect();
    lines.push(Line::from(vec![
        label("ov.tiers"),
        Span::raw(shares(&tiers, total)),
    ]));
    lines.push(Line::default());
    lines
}

/// One domain: name, record count with a bar scaled to the largest domain, average fix rate with its bar.
fn domain_line(app: &App, stats: &Stats, i: usize, selected: bool, room: usize) -> Line<'static> {
    let d = &stats.domains[i];
    let most = stats.domains.first().map_or(1, |d| d.records) as f64;
    let name_width = 14;
    let rate_width = 5 + 1 + 10;
    let count = format!("{:>5} ", d.records);
    let bar_cells = room.saturating_sub(2 + name_width + count.len() + rate_width + 2);
    let name = truncate(
        &sanitize_line(if d.name.is_empty() { "—" } else { &d.name }),
        name_width,
    )
    .into_owned();

    let records_bar = bar(d.records as f64, most, bar_cells);
    let records_pad = " ".repeat(bar_cells.saturating_sub(width(&records_bar)));
    let (rate, rate_bar) = d.fix_rate.map_or(("  —".to_string(), String::new()), |r| {
        (percent(r), bar(r, 1.0, 10))
    });
    let marker = if selected { "▶ " } else { "  " };
    let line = Line::from(vec![
        Span::styled(marker.to_string(), app.theme.title),
        Span::styled(pad(&name, name_width), app.theme.accent),
        Span::raw(count),
        Span::styled(format!("{records_bar}{records_pad}  "), app.theme.accent),
        Span::raw(format!("{rate:>5} ")),
        Span::styled(rate_bar, app.theme.good),
    ]);
    if selected {
        line.patch_style(Style::new().add_modifier(Modifier::REVERSED))
    } else {
        line
    }
}

pub fn draw(app: &App, frame: &mut Frame, selected: usize) {
    let Some(stats) = &app.stats else {
        return;
    };
    let screen = frame.area();
    let w = (screen.width * 9 / 10).max(screen.width.min(50));
    let h = (screen.height * 9 / 10).max(screen.height.min(12));
    let area = Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {} ", t(app.lang, "ui.overview_title")))
        .title_bottom(format!(" {} ", t(app.lang, "ov.hint")))
        .border_type(BorderType::Thick)
        .border_style(app.theme.accent);
    let inner = block.inner(area);
    let room = inner.width as usize;
    let mut lines = summary(app, stats);
    // Column heads over the name, the count and its bar, and the rate at the right.
    let left = format!(
        "  {}{}",
        pad(t(app.lang, "ov.domain"), 14),
        t(app.lang, "ov.records")
    );
    let right = t(app.lang, "ov.fix_rate");
    let gap = room.saturating_sub(width(&left) + width(right) + 1);
    lines.push(Line::styled(
        format!("{left}{}{right}", " ".repeat(gap)),
        app.theme.dim,
    ));
    // The domain lines scroll so the selected one stays in view under the fixed summary.
    let rows = (inner.height as usize).saturating_sub(lines.len()).max(1);
    let first = selected.saturating_sub(rows - 1);
    for i in (first..stats.domains.len()).take(rows) {
        lines.push(domain_line(app, stats, i, i == selected, room));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
