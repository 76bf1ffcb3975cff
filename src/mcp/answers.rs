//! What each MCP tool answers: JSON for the agent to read fields from, and a short text for people watching.
//!
//! Everything is computed by the engines the CLI and the browser use (`LookupIndex`, `FuzzyIndex`,
//! `report`), on a catalogue loaded and indexed once when the server starts.

use super::args::{
    BatchArgs, ChainArgs, DetailArgs, DomainListArgs, LangArg, LookupArgs, SearchArgs, StatsArgs,
    ToolError,
};
use crate::catalog::localized::Field;
use crate::catalog::{Catalog, Lang, Record, Resolvability};
use crate::report::{self, Detail, Style, json};
use crate::search::fuzzy::{FuzzyIndex, Query};
use crate::search::lookup::{LookupEnv, LookupIndex, MatchKind};
use crate::search::narrow::Narrowing;
use crate::stdin::MAX_STDIN_BYTES;
use crate::text::{percent, sanitize_line};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fmt::Write;

const PLAIN: Style = Style { color: false };

/// A tool's result: `json` becomes the structured content, `text` the text content.
#[derive(Debug)]
pub struct Answer {
    pub json: Value,
    pub text: String,
}

impl Answer {
    /// Every string sanitized, whatever field of a record it came from.
    pub fn sanitized(self) -> Answer {
        Answer {
            json: json::sanitized(self.json),
            text: crate::text::sanitize(&self.text).into_owned(),
        }
    }
}

/// The catalogue the server serves, with its indexes, built once.
pub struct Served {
    catalog: Catalog,
    /// The lookup index over the whole catalogue; none with `narrowing`.
    lookup: Option<LookupIndex>,
    /// Lookups through the indexes instead, for a catalogue whose records are left in them: the lookup index
    /// would build every record (a gigabyte at 1,000,000 records).
    narrowing: Option<Narrowing>,
    fuzzy: FuzzyIndex,
    /// The language when a call names none (the command line's `--lang`, else English).
    lang: Lang,
    /// The environment lookups rank for (the machine's, and `--env`).
    env: LookupEnv,
}

impl Served {
    pub fn new(catalog: Catalog, lang: Lang) -> Served {
        Served::with_env(catalog, lang, LookupEnv::default(), None)
    }

    /// Serves `catalog`, looking messages up through `narrowing` when given (its indexes, current).
    pub fn with_env(
        catalog: Catalog,
        lang: Lang,
        env: LookupEnv,
        narrowing: Option<Narrowing>,
    ) -> Served {
        let lookup = narrowing.is_none().then(|| LookupIndex::new(&catalog));
        let fuzzy = FuzzyIndex::new(&catalog);
        Served {
            catalog,
            lookup,
            narrowing,
            fuzzy,
            lang,
            env,
        }
    }

    /// The best `limit` hits for `message`, and the catalogue they point into.
    fn look_up(&self, message: &str, limit: usize) -> Looked<'_> {
        match (&self.narrowing, &self.lookup) {
            (Some(narrowing), _) => {
                let (some, hits) = narrowing.lookup(message, limit, &self.env);
                Looked {
                    some: Some(some),
                    whole: &self.catalog,
                    hits,
                }
            }
            (None, Some(lookup)) => Looked {
                some: None,
                whole: &self.catalog,
                hits: lookup.lookup_in(&self.catalog, message, limit, &self.env),
            },
            (None, None) => unreachable!("a lookup index where there is no narrowing"),
        }
    }

    fn lang(&self, lang: Option<LangArg>) -> Lang {
        LangArg::or(lang, self.lang)
    }

    fn record(&self, id: &str) -> Result<&Record, ToolError> {
        self.catalog.get(id).ok_or_else(|| {
            let near = crate::commands::show::nearest_ids(&self.catalog, id, 3);
            ToolError::UnknownId {
                id: crate::text::clip(&sanitize_line(id), 200).into_owned(),
                hint: if near.is_empty() {
                    "; search_errors finds records by words".into()
                } else {
                    format!("; did you mean: {}", near.join(", "))
                },
            }
        })
    }

    /// The records of the domain named `name` (case-insensitive), or what the domains are.
    fn domain(&self, name: &str) -> Result<(String, Vec<&Record>), ToolError> {
        let records: Vec<&Record> = self
            .catalog
            .iter()
            .filter(|r| r.domain().eq_ignore_ascii_case(name.trim()))
            .collect();
        match records.first() {
            Some(r) => Ok((r.domain().to_string(), records)),
            None => Err(ToolError::UnknownDomain {
                domain: crate::text::clip(&sanitize_line(name), 100).into_owned(),
                known: domains(&self.catalog)
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

/// `limit` when given (0 refused), else `default`; at most `max`.
fn limit(given: Option<usize>, default: usize, max: usize) -> Result<usize, ToolError> {
    match given {
        Some(0) => Err(ToolError::Arguments {
            tool: "",
            reason: "limit 0 would return nothing; give 1 or more".into(),
        }),
        Some(n) => Ok(n.min(max)),
        None => Ok(default),
    }
}

fn check_size(what: impl FnOnce() -> String, message: &str) -> Result<(), ToolError> {
    let max = MAX_STDIN_BYTES as usize;
    if message.len() > max {
        return Err(ToolError::TooLong {
            what: what(),
            bytes: message.len(),
            max,
        });
    }
    Ok(())
}

fn match_label(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Regex => "regex match",
        MatchKind::Approximate => "approximate (no regex matched)",
        MatchKind::Nearest => "nearest, unrelated? (not an answer)",
    }
}

/// A lookup's hits, and the catalogue they point into: the whole, or the records reached through the indexes.
struct Looked<'a> {
    some: Option<Catalog>,
    whole: &'a Catalog,
    hits: Vec<crate::search::lookup::LookupHit>,
}

impl Looked<'_> {
    fn catalog(&self) -> &Catalog {
        self.some.as_ref().unwrap_or(self.whole)
    }
}

pub fn lookup_error(s: &Served, a: LookupArgs) -> Result<Answer, ToolError> {
    check_size(|| "message".into(), &a.message)?;
    let (n, lang) = (limit(a.limit, 3, 20)?, s.lang(a.lang));
    let looked = s.look_up(&a.message, n);
    let (catalog, hits) = (looked.catalog(), &looked.hits);
    let (answers, nearest): (Vec<_>, Vec<_>) = hits.iter().partition(|h| h.kind.answers());
    let mut text = String::new();
    let matches: Vec<Value> = answers
        .iter()
        .enumerate()
        .map(|(rank, h)| {
            let r = &catalog[h.index];
            if rank > 0 {
                text.push('\n');
            }
            let _ = writeln!(
                text,
                "#{} {} · score {:.2}",
                rank + 1,
                match_label(h.kind),
                h.score
            );
            text.push_str(&report::record(r, lang, PLAIN, Detail::Summary(3)));
            json::hit(r, &a.message, rank, h, lang, usize::MAX)
        })
        .collect();
    if matches.is_empty() {
        text.push_str("No record explains this message.\n");
    }
    // Not answers: what is closest, for an agent to judge, under a heading that says so.
    let nearest: Vec<Value> = nearest
        .iter()
        .enumerate()
        .map(|(rank, h)| {
            let r = &catalog[h.index];
            if rank == 0 {
                text.push_str(
                    "\nNearest, unrelated? (no record matched; these only share words):\n",
                );
            }
            let _ = writeln!(
                text,
                "- {} · {} · similarity {:.2}",
                sanitize_line(&r.id),
                json::text(r, Field::Signature, lang).unwrap_or_default(),
                h.parts.similarity
            );
            json::hit(r, &a.message, rank, h, lang, 0)
        })
        .collect();
    Ok(Answer {
        json: json!({
            "lang": lang.code(),
            "regex_matched": hits.iter().any(|h| h.kind == MatchKind::Regex),
            "matches": matches,
            "nearest_unrelated": nearest,
        }),
        text,
    })
}

pub fn get_error_detail(s: &Served, a: DetailArgs) -> Result<Answer, ToolError> {
    let (r, lang) = (s.record(&a.id)?, s.lang(a.lang));
    let mut record = serde_json::to_value(r).unwrap_or(Value::Null);
    if lang == Lang::Zh
        && let Value::Object(fields) = &mut record
    {
        // The Chinese twins become the fields themselves (English marked where there is none).
        for twin in [
            "signature_zh",
            "root_cause_zh",
            "dead_ends_zh",
            "workarounds_zh",
        ] {
            fields.remove(twin);
        }
        fields.insert(
            "signature".into(),
            json!(json::text(r, Field::Signature, lang)),
        );
        fields.insert(
            "root_cause".into(),
            json!(json::text(r, Field::RootCause, lang)),
        );
        let items =
            |key: &str, localized: Vec<Value>, fields: &mut serde_json::Map<String, Value>| {
                if let Some(Value::Array(list)) = fields.get_mut(key) {
                    for (item, l) in list.iter_mut().zip(localized) {
                        if let (Value::Object(item), Value::Object(l)) = (item, l) {
                            item.extend(l.into_iter().filter(|(_, v)| !v.is_null()));
                        }
                    }
                }
            };
        items("dead_ends", json::dead_ends(r, lang, usize::MAX), fields);
        items(
            "workarounds",
            json::workarounds(r, lang, usize::MAX),
            fields,
        );
    }
    Ok(Answer {
        json: json!({"lang": lang.code(), "record": record}),
        text: report::record(r, lang, PLAIN, Detail::Full),
    })
}

pub fn search_errors(s: &Served, a: SearchArgs) -> Result<Answer, ToolError> {
    let (n, lang) = (limit(a.limit, 10, 100)?, s.lang(a.lang));
    let mut query = Query::parse(&a.query);
    if let Some(d) = a.domain.filter(|d| !d.trim().is_empty()) {
        query.domain = Some(d.trim().to_lowercase());
    }
    let hits = s.fuzzy.filter(&s.catalog, &query, lang);
    let mut text = String::new();
    let results: Vec<Value> = hits
        .iter()
        .take(n)
        .map(|h| {
            let r = &s.catalog[h.index];
            let sig = json::text(r, Field::Signature, lang).unwrap_or_default();
            let _ = writeln!(text, "{}  {}", sanitize_line(&r.id), sanitize_line(&sig));
            json::search_hit(r, h.score, lang)
        })
        .collect();
    if results.is_empty() {
        text.push_str("No record matches this search.\n");
    }
    Ok(Answer {
        json: json!({"lang": lang.code(), "total": hits.len(), "results": results}),
        text,
    })
}

/// Each domain's records, in catalogue order, by domain name.
fn domains(catalog: &Catalog) -> BTreeMap<String, Vec<&Record>> {
    let mut by: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
    for r in catalog.iter().filter(|r| !r.domain().is_empty()) {
        by.entry(r.domain().to_string()).or_default().push(r);
    }
    by
}

/// The mean of the fix success rates that are known, rounded to three places.
fn average_fix_rate(records: &[&Record]) -> Option<f64> {
    let rates: Vec<f64> = records.iter().filter_map(|r| r.fix_success_rate).collect();
    (!rates.is_empty())
        .then(|| (rates.iter().sum::<f64>() / rates.len() as f64 * 1000.0).round() / 1000.0)
}

pub fn list_error_domains(s: &Served) -> Answer {
    let mut text = String::new();
    let list: Vec<Value> = domains(&s.catalog)
        .into_iter()
        .map(|(domain, records)| {
            let fix = average_fix_rate(&records);
            let _ = writeln!(
                text,
                "{domain}: {} records{}",
                records.len(),
                fix.map(|f| format!(", fix rate {}", percent(f)))
                    .unwrap_or_default()
            );
            json!({"domain": domain, "records": records.len(), "avg_fix_success_rate": fix})
        })
        .collect();
    Answer {
        json: json!({"total_records": s.catalog.len(), "domains": list}),
        text,
    }
}

pub fn list_errors_by_domain(s: &Served, a: DomainListArgs) -> Result<Answer, ToolError> {
    let (n, lang) = (limit(a.limit, 50, 500)?, s.lang(a.lang));
    let (domain, records) = s.domain(&a.domain)?;
    let offset = a.offset.unwrap_or(0);
    let mut text = String::new();
    let page: Vec<Value> = records
        .iter()
        .skip(offset)
        .take(n)
        .map(|r| {
            let sig = json::text(r, Field::Signature, lang);
            let _ = writeln!(
                text,
                "{}  {}",
                sanitize_line(&r.id),
                sanitize_line(sig.as_deref().unwrap_or(""))
            );
            json!({
                "id": r.id,
                "signature": sig,
                "category": r.category,
                "fix_success_rate": r.fix_success_rate,
            })
        })
        .collect();
    let next = offset.saturating_add(page.len());
    Ok(Answer {
        json: json!({
            "domain": domain,
            "lang": lang.code(),
            "total": records.len(),
            "offset": offset,
            "records": page,
            "next_offset": (next < records.len()).then_some(next),
        }),
        text,
    })
}

/// Counts over some records: how many, the average fix rate, resolvability, dead ends and workarounds.
fn stats(records: &[&Record]) -> Value {
    let mut resolvable =
        BTreeMap::from([("true", 0), ("partial", 0), ("false", 0), ("unknown", 0)]);
    let (mut dead_ends, mut workarounds) = (0, 0);
    for r in records {
        let key = match r.details().resolvable.map(|v| v.level) {
            Some(Resolvability::Yes) => "true",
            Some(Resolvability::Partial) => "partial",
            Some(Resolvability::No) => "false",
            None => "unknown",
        };
        *resolvable.entry(key).or_default() += 1;
        dead_ends += r.details().dead_ends.len();
        workarounds += r.details().workarounds.len();
    }
    json!({
        "records": records.len(),
        "avg_fix_success_rate": average_fix_rate(records),
        "resolvable": resolvable,
        "dead_ends": dead_ends,
        "workarounds": workarounds,
    })
}

fn stats_line(name: &str, v: &Value) -> String {
    let fix = v["avg_fix_success_rate"]
        .as_f64()
        .map(|f| format!(", fix rate {}", percent(f)))
        .unwrap_or_default();
    let r = &v["resolvable"];
    format!(
        "{name}: {} records{fix}; resolvable {} yes, {} partial, {} no, {} unknown; {} dead ends, {} workarounds\n",
        v["records"],
        r["true"],
        r["partial"],
        r["false"],
        r["unknown"],
        v["dead_ends"],
        v["workarounds"]
    )
}

pub fn get_domain_stats(s: &Served, a: StatsArgs) -> Result<Answer, ToolError> {
    if let Some(name) = a.domain.filter(|d| !d.trim().is_empty()) {
        let (domain, records) = s.domain(&name)?;
        let mut v = stats(&records);
        v["domain"] = json!(domain);
        return Ok(Answer {
            text: stats_line(&domain, &v),
            json: v,
        });
    }
    let all: Vec<&Record> = s.catalog.iter().collect();
    let total = stats(&all);
    let mut text = stats_line("all", &total);
    let per: Vec<Value> = domains(&s.catalog)
        .into_iter()
        .map(|(domain, records)| {
            let mut v = stats(&records);
            text.push_str(&stats_line(&domain, &v));
            v["domain"] = json!(domain);
            v
        })
        .collect();
    Ok(Answer {
        json: json!({"total": total, "domains": per}),
        text,
    })
}

pub fn get_error_chain(s: &Served, a: ChainArgs) -> Result<Answer, ToolError> {
    let root = s.record(&a.id)?;
    let lang = s.lang(a.lang);
    let depth = match a.depth {
        Some(0) => {
            return Err(ToolError::Arguments {
                tool: "",
                reason: "depth 0 would follow no link; give 1 or more".into(),
            });
        }
        d => d.unwrap_or(1).min(3),
    };
    let (mut nodes, mut edges, mut text) = (Vec::new(), Vec::new(), String::new());
    let mut seen: HashSet<&str> = HashSet::from([root.id.as_str()]);
    let mut queue: VecDeque<(&str, usize)> = VecDeque::from([(root.id.as_str(), 0)]);
    // Breadth first, so each record is listed at its shortest distance from the root.
    while let Some((id, level)) = queue.pop_front() {
        let Some(r) = s.catalog.get(id) else {
            nodes.push(json!({"id": id, "depth": level, "in_catalogue": false}));
            continue;
        };
        let sig = json::text(r, Field::Signature, lang);
        let _ = writeln!(
            text,
            "{}{}  {}",
            "  ".repeat(level),
            sanitize_line(id),
            sanitize_line(sig.as_deref().unwrap_or(""))
        );
        nodes.push(json!({
            "id": id,
            "depth": level,
            "in_catalogue": true,
            "signature": sig,
            "domain": r.domain(),
            "fix_success_rate": r.fix_success_rate,
        }));
        if level == depth {
            continue;
        }
        for (kind, t) in r.details().transition_graph.edges() {
            let _ = writeln!(
                text,
                "{}  {} → {}{}{}",
                "  ".repeat(level),
                kind.key(),
                sanitize_line(&t.error_id),
                t.probability
                    .map(|p| format!(" ({})", percent(p)))
                    .unwrap_or_default(),
                t.note()
                    .map(|n| format!(": {}", sanitize_line(n)))
                    .unwrap_or_default()
            );
            edges.push(json!({
                "from": id,
                "to": t.error_id,
                "relation": kind.key(),
                "probability": t.probability,
                "condition": t.note(),
            }));
            if seen.insert(t.error_id.as_str()) {
                queue.push_back((t.error_id.as_str(), level + 1));
            }
        }
    }
    if edges.is_empty() {
        text.push_str("No related errors are recorded.\n");
    }
    Ok(Answer {
        json: json!({"root": root.id, "depth": depth, "lang": lang.code(), "nodes": nodes, "edges": edges}),
        text,
    })
}

pub fn batch_lookup(s: &Served, a: BatchArgs) -> Result<Answer, ToolError> {
    if a.messages.is_empty() || a.messages.len() > 50 {
        return Err(ToolError::Arguments {
            tool: "",
            reason: format!("messages holds {}; give 1 to 50 messages", a.messages.len()),
        });
    }
    for (i, m) in a.messages.iter().enumerate() {
        check_size(|| format!("messages[{i}]"), m)?;
    }
    let lang = s.lang(a.lang);
    let mut text = String::new();
    let results: Vec<Value> = a
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let looked = s.look_up(m, 1);
            let best = (looked.hits.iter()).find(|h| h.kind.answers());
            let best = best.map(|h| {
                let r = &looked.catalog()[h.index];
                let _ = writeln!(
                    text,
                    "{}. {} ({})",
                    i + 1,
                    sanitize_line(&r.id),
                    match_label(h.kind)
                );
                json::hit(r, m, 0, h, lang, 3)
            });
            if best.is_none() {
                let _ = writeln!(text, "{}. no record explains this message", i + 1);
            }
            json!({"index": i, "best": best})
        })
        .collect();
    Ok(Answer {
        json: json!({"lang": lang.code(), "results": results}),
        text,
    })
}
