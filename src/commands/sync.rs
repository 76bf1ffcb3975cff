//! `errdex sync [NAME...]` and `errdex sync --list`: bring the remote catalogues up to date, or show them.
//! A failing source is one line on stderr and exit 1; the others still sync, and its last good copy stays
//! in use.

use super::exit;
use crate::config::resolve::{Settings, Source};
use crate::sync::state::{self, State};
use crate::sync::{self, Options, Outcome, size};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn run(
    settings: &Settings,
    names: &[String],
    json: bool,
    options: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let Some(data) = settings.data_dir.as_deref() else {
        writeln!(
            err,
            "errdex: no home directory, so nowhere to keep synced catalogues"
        )?;
        return Ok(exit::USAGE);
    };
    let Some(sources) = selected(&settings.sources, names, err)? else {
        return Ok(exit::USAGE);
    };
    let show_progress = std::io::stderr().is_terminal();
    let mut code = exit::OK;
    let mut summary = Vec::new();
    for source in sources {
        let mut bar = Progress::new(&source.name, show_progress);
        let result = sync::sync(source, data, options, &mut |done, total| {
            bar.show(done, total)
        });
        bar.clear();
        match result {
            Ok(outcome) => {
                if !json {
                    writeln!(out, "{}", describe(&outcome))?;
                }
                summary.push(serde_json::to_value(&outcome).unwrap_or_default());
            }
            Err(e) => {
                code = exit::PROBLEMS;
                let message = crate::text::sanitize_line(&e.to_string()).into_owned();
                let kept = if paths_present(data, source) {
                    "; the last good copy is still used"
                } else {
                    ""
                };
                writeln!(err, "errdex: sync {}: {message}{kept}", source.name)?;
                summary.push(serde_json::json!({
                    "source": source.name, "url": source.url, "error": message,
                }));
            }
        }
    }
    if json {
        let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
        writeln!(out, "{}", crate::text::json_for_terminal(&text))?;
    }
    Ok(code)
}

fn paths_present(data: &Path, source: &Source) -> bool {
    crate::config::paths::catalog_file(data, &source.name, &source.url).is_file()
}

/// The sources named (all of them when none is); an unknown name is a usage error.
fn selected<'a>(
    sources: &'a [Source],
    names: &[String],
    err: &mut impl Write,
) -> std::io::Result<Option<Vec<&'a Source>>> {
    if names.is_empty() {
        return Ok(Some(sources.iter().collect()));
    }
    let mut chosen = Vec::new();
    for name in names {
        match sources.iter().find(|s| &s.name == name) {
            Some(s) => chosen.push(s),
            None => {
                let known: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
                writeln!(
                    err,
                    "errdex: no source named `{}` (known: {}; add [sources.NAME] url = \"...\" to the config)",
                    crate::text::sanitize_line(name),
                    known.join(", ")
                )?;
                return Ok(None);
            }
        }
    }
    Ok(Some(chosen))
}

fn describe(o: &Outcome) -> String {
    let what = if o.changed { "updated" } else { "unchanged" };
    format!(
        "{}: {what}, {} records, {}",
        o.source,
        o.records,
        size(o.bytes)
    )
}

/// `errdex sync --list`: every source, the age of its copy and its record count.
pub fn list(settings: &Settings, json: bool, out: &mut impl Write) -> std::io::Result<u8> {
    let now = state::now();
    let rows: Vec<(&Source, Option<State>, Option<String>)> = settings
        .sources
        .iter()
        .map(|s| {
            let data = settings.data_dir.as_deref();
            let file = data.map(|d| crate::config::paths::catalog_file(d, &s.name, &s.url));
            let present = file.as_ref().filter(|f| f.is_file());
            let st = data
                .and_then(|d| State::read(&state::file(d, &s.name)))
                .filter(|_| present.is_some());
            (s, st, present.map(|f| f.display().to_string()))
        })
        .collect();
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(s, st, file)| {
                serde_json::json!({
                    "source": s.name,
                    "url": s.url,
                    "file": file,
                    "records": st.as_ref().map(|st| st.records),
                    "bytes": st.as_ref().map(|st| st.bytes),
                    "synced": st.as_ref().map(|st| st.synced),
                    "checked": st.as_ref().map(|st| st.checked),
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&items).unwrap_or_default();
        writeln!(out, "{}", crate::text::json_for_terminal(&text))?;
        return Ok(exit::OK);
    }
    for (s, st, _) in &rows {
        let status = match st {
            Some(st) => format!(
                "{} records, {}, fetched {} ago, checked {} ago",
                st.records,
                size(st.bytes),
                state::age(now.saturating_sub(st.synced)),
                state::age(now.saturating_sub(st.checked)),
            ),
            None => "never synced".into(),
        };
        writeln!(
            out,
            "{:<12} {status}\n{:<12} {}",
            s.name,
            "",
            crate::text::sanitize_line(&s.url)
        )?;
    }
    Ok(exit::OK)
}

/// A one-line progress bar on stderr, drawn only on a terminal and at most once per percent or 256 KiB.
struct Progress<'a> {
    name: &'a str,
    on: bool,
    drawn: Option<u64>,
}

impl<'a> Progress<'a> {
    fn new(name: &'a str, on: bool) -> Self {
        Progress {
            name,
            on,
            drawn: None,
        }
    }

    fn show(&mut self, done: u64, total: Option<u64>) {
        if !self.on {
            return;
        }
        let step = total.map_or(256 * 1024, |t| (t / 100).max(1));
        if self
            .drawn
            .is_some_and(|d| done < d + step && Some(done) != total)
        {
            return;
        }
        self.drawn = Some(done);
        let line = match total {
            Some(t) if t > 0 => {
                let filled = (done.min(t) * 30 / t) as usize;
                format!(
                    "{} [{}{}] {} / {}",
                    self.name,
                    "█".repeat(filled),
                    "░".repeat(30 - filled),
                    size(done),
                    size(t)
                )
            }
            _ => format!("{} {}", self.name, size(done)),
        };
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
    }

    fn clear(&mut self) {
        if self.on && self.drawn.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
