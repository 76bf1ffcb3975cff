//! `errdex check`'s rules beyond what loading already reports.
//!
//! Errors are data that is wrong (a rate outside 0..1, a regex over the size limit that nothing can use);
//! warnings are data that is weak (a regex that misses its own signature, a link to a record that is not there,
//! a missing Chinese twin).

use super::Catalog;
use super::diagnostic::{Diagnostic, Position};
use super::record::{Format, Record, ZhItem};
use rayon::prelude::*;

pub use super::regex_facts::{REGEX_SIZE_LIMIT, compile};

/// Every problem `check` reports for the loaded records, in catalogue order.
pub fn validate(catalog: &Catalog) -> Vec<Diagnostic> {
    catalog
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, r)| record(catalog, r, &catalog.origins.get(i)))
        .collect()
}

fn record(catalog: &Catalog, r: &Record, at: &Position) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let id = &r.id;
    let mut warn = |m: String| out.push(Diagnostic::warning(at, format!("record `{id}`: {m}")));
    match compile(&r.regex) {
        Ok(re) => {
            if !re.is_match(&r.signature) {
                warn("regex does not match the record's own signature".into());
            }
            for alias in r.aliases.iter().filter(|a| !re.is_match(a)) {
                warn(format!("regex does not match alias {alias:?}"));
            }
        }
        // Syntax errors were reported when the record loaded; only the size limit is new here.
        Err(regex::Error::CompiledTooBig(limit)) => warn(format!(
            "regex exceeds the compile size limit ({limit} bytes); lookup skips it"
        )),
        Err(_) => {}
    }
    for (kind, t) in r.details().transition_graph.edges() {
        if catalog.index_of(&t.error_id).is_none() {
            warn(format!(
                "{} links to `{}`, which is not in the catalogue",
                kind.key(),
                t.error_id
            ));
        }
    }
    if r.format == Format::Seed {
        for m in missing_chinese(r) {
            warn(m);
        }
    }
    for (what, rate) in rates(r) {
        if !(0.0..=1.0).contains(&rate) {
            out.push(Diagnostic::error(
                at,
                format!("record `{id}`: {what} is {rate}, outside 0..1"),
            ));
        }
    }
    out
}

/// Every rate and probability of a record, named for the message.
fn rates(r: &Record) -> Vec<(String, f64)> {
    let mut all = Vec::new();
    let mut push = |what: String, v: Option<f64>| all.extend(v.map(|v| (what, v)));
    push("confidence".into(), r.confidence);
    push("fix_success_rate".into(), r.fix_success_rate);
    for (i, d) in r.details().dead_ends.iter().enumerate() {
        push(format!("dead_ends[{i}].fail_rate"), d.fail_rate);
    }
    for (i, w) in r.details().workarounds.iter().enumerate() {
        push(format!("workarounds[{i}].success_rate"), w.success_rate);
    }
    for (kind, t) in r.details().transition_graph.edges() {
        push(
            format!("{} `{}` probability", kind.key(), t.error_id),
            t.probability,
        );
    }
    all
}

/// Chinese twins a seed record lacks. `dead_ends_zh` is our extension and optional, but once present it must
/// cover every dead end, like `workarounds_zh`.
fn missing_chinese(r: &Record) -> Vec<String> {
    let mut out = Vec::new();
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&r.signature_zh) {
        out.push("missing signature_zh".to_string());
    }
    if !blank(&r.details().root_cause) && blank(&r.details().root_cause_zh) {
        out.push("missing root_cause_zh".to_string());
    }
    let twins = [
        (
            "workarounds_zh",
            "workarounds",
            &r.details().workarounds_zh,
            r.details().workarounds.len(),
            true,
        ),
        (
            "dead_ends_zh",
            "dead_ends",
            &r.details().dead_ends_zh,
            r.details().dead_ends.len(),
            !r.details().dead_ends_zh.is_empty(),
        ),
    ];
    for (name, of, zh, len, required) in twins {
        if required && zh.len() != len {
            out.push(format!("{name} has {} entries for {len} {of}", zh.len()));
        }
        if zh.iter().any(|z| match z {
            ZhItem::Text(t) => t.trim().is_empty(),
            ZhItem::Fields(f) => f.action.as_deref().is_none_or(|a| a.trim().is_empty()),
        }) {
            out.push(format!("{name} has an empty entry"));
        }
    }
    out
}
