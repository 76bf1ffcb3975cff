//! The shipped catalogue (`seeds/`, embedded in the binary) keeps its promises: enough records in enough
//! domains, regexes that find their own errors without swallowing others, full Chinese twins, links that
//! resolve, ids that match file paths, and a clean `errdex check`.

mod common;

use errdex::catalog::{Catalog, ZhItem};
use std::collections::{HashMap, HashSet};

/// The reference record keeps every field of the published one unchanged (we only add `dead_ends_zh` and
/// `sources`), so it keeps the reference's gaps: no aliases, `how` repeating `action`.
const REFERENCE: &str = "docker/exec-format-error-arm64";

/// Realistic variants of the reference's message, which cannot be aliases (its fields stay as published).
const REFERENCE_VARIANTS: &[&str] = &[
    "exec /usr/local/bin/docker-entrypoint.sh: exec format error",
    "exec /app/server: exec format error",
];

fn seeds() -> Catalog {
    let c = Catalog::embedded();
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    c
}

fn case_sensitive(pattern: &str) -> regex::Regex {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

/// The catalogue may grow but never silently shrink below the promised breadth.
const MIN_RECORDS: usize = 450;
const MIN_DOMAINS: usize = 40;
/// A domain with fewer records than this answers too little of its tool's errors to be worth its name.
const MIN_PER_DOMAIN: usize = 5;

#[test]
fn the_catalogue_does_not_shrink() {
    let c = seeds();
    let mut domains: HashMap<&str, usize> = HashMap::new();
    for r in c.iter() {
        *domains.entry(r.domain()).or_default() += 1;
    }
    assert!(c.len() >= MIN_RECORDS, "{} records", c.len());
    assert!(
        domains.len() >= MIN_DOMAINS,
        "{} domains: {domains:?}",
        domains.len()
    );
    let thin: Vec<_> = domains
        .iter()
        .filter(|(_, n)| **n < MIN_PER_DOMAIN)
        .collect();
    assert!(
        thin.is_empty(),
        "domains under {MIN_PER_DOMAIN} records: {thin:?}"
    );
}

/// Every record says where its facts were verified: at least one http(s) source, the first for the exact
/// wording of its signature.
#[test]
fn every_record_cites_its_sources() {
    for r in seeds().iter() {
        assert!(!r.details().sources.is_empty(), "{}: no sources", r.id);
        for s in &r.details().sources {
            assert!(
                s.starts_with("https://") || s.starts_with("http://"),
                "{}: source {s:?} is no URL",
                r.id
            );
        }
    }
}

/// Each regex matches more than the one line it was written from: every record carries a realistic variant
/// (another path, name, number, quote style, version's wording) as an alias, and matches it.
#[test]
fn every_regex_matches_a_realistic_variant() {
    for r in seeds().iter() {
        let re = case_sensitive(&r.regex);
        let variants: Vec<&str> = if r.id == REFERENCE {
            REFERENCE_VARIANTS.to_vec()
        } else {
            r.aliases.iter().map(String::as_str).collect()
        };
        assert!(
            variants.iter().any(|v| *v != r.signature),
            "{}: no variant other than the signature",
            r.id
        );
        for v in variants {
            assert!(re.is_match(v), "{}: {:?} !~ variant {v:?}", r.id, r.regex);
        }
    }
}

#[test]
fn check_reports_nothing() {
    let c = seeds();
    let problems = errdex::commands::check::diagnostics(&c);
    assert!(
        problems.is_empty(),
        "{}",
        problems
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn ids_are_unique_and_match_their_paths() {
    let mut seen = HashSet::new();
    for (path, text, _) in errdex::catalog::embedded::SEEDS {
        let v: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let id = v["id"].as_str().unwrap_or_default();
        let want = path.trim_start_matches("seeds/").trim_end_matches(".json");
        assert_eq!(id, want, "{path}");
        assert_eq!(
            v["domain"].as_str(),
            want.split('/').next(),
            "{path}: domain is the directory"
        );
        assert!(seen.insert(id.to_string()), "duplicate id {id}");
    }
}

#[test]
fn every_regex_matches_its_signature_and_aliases_case_sensitively() {
    for r in seeds().iter() {
        let re = case_sensitive(&r.regex);
        assert!(
            re.is_match(&r.signature),
            "{}: {:?} !~ {:?}",
            r.id,
            r.regex,
            r.signature
        );
        for a in &r.aliases {
            assert!(re.is_match(a), "{}: {:?} !~ alias {a:?}", r.id, r.regex);
        }
    }
}

/// A record's family: records of its own domain, and records it links to or that link to it. A regex may
/// match inside its family (a more general error of the same tool), but matching the signatures of more
/// than three records outside it means it is too broad to identify anything.
#[test]
fn no_regex_is_over_broad() {
    let c = seeds();
    let mut linked: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in c.iter() {
        for (_, e) in r.details().transition_graph.edges() {
            linked.entry(&r.id).or_default().insert(&e.error_id);
            linked.entry(&e.error_id).or_default().insert(&r.id);
        }
    }
    let mut offenders = Vec::new();
    for r in c.iter() {
        let re = errdex::catalog::validate::compile(&r.regex).expect("compiles");
        let family = linked.get(r.id.as_str());
        let outside: Vec<&str> = c
            .iter()
            .filter(|o| {
                o.id != r.id
                    && o.domain() != r.domain()
                    && !family.is_some_and(|f| f.contains(o.id.as_str()))
            })
            .filter(|o| re.is_match(&o.signature))
            .map(|o| o.id.as_str())
            .collect();
        if outside.len() > 3 {
            offenders.push(format!("{} matches {outside:?}", r.id));
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_record_has_all_chinese_twins() {
    for r in seeds().iter() {
        assert!(
            r.signature_zh.as_deref().is_some_and(|s| !s.is_empty()),
            "{}: signature_zh",
            r.id
        );
        assert!(
            r.details()
                .root_cause_zh
                .as_deref()
                .is_some_and(has_chinese),
            "{}: root_cause_zh",
            r.id
        );
        assert_eq!(
            r.details().workarounds_zh.len(),
            r.details().workarounds.len(),
            "{}: workarounds_zh",
            r.id
        );
        assert_eq!(
            r.details().dead_ends_zh.len(),
            r.details().dead_ends.len(),
            "{}: dead_ends_zh",
            r.id
        );
        for z in r
            .details()
            .workarounds_zh
            .iter()
            .chain(&r.details().dead_ends_zh)
        {
            let text = match z {
                ZhItem::Text(t) => t.clone(),
                ZhItem::Fields(f) => format!(
                    "{}{}{}",
                    f.action.clone().unwrap_or_default(),
                    f.why_fails.clone().unwrap_or_default(),
                    f.how.clone().unwrap_or_default()
                ),
            };
            assert!(
                has_chinese(&text),
                "{}: a twin without Chinese: {text:?}",
                r.id
            );
        }
    }
}

#[test]
fn records_have_the_substance_the_browser_shows() {
    for r in seeds().iter() {
        if r.id == REFERENCE {
            continue;
        }
        assert!(r.details().dead_ends.len() >= 2, "{}: dead ends", r.id);
        assert!(r.details().workarounds.len() >= 2, "{}: workarounds", r.id);
        assert!(
            r.details()
                .dead_ends
                .iter()
                .all(|d| d.why_fails.is_some() && d.fail_rate.is_some()),
            "{}",
            r.id
        );
        assert!(
            r.details().workarounds.iter().all(
                |w| w.how.as_deref().is_some_and(|h| !h.is_empty()) && w.success_rate.is_some()
            ),
            "{}",
            r.id
        );
        assert!(
            r.details()
                .official_doc_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
            "{}: docs",
            r.id
        );
        assert!(!r.aliases.is_empty(), "{}: aliases", r.id);
    }
}

#[test]
fn links_resolve_and_are_plentiful() {
    let c = seeds();
    let mut edges = 0;
    for r in c.iter() {
        for (kind, e) in r.details().transition_graph.edges() {
            assert!(
                c.get(&e.error_id).is_some(),
                "{} {} -> {} does not resolve",
                r.id,
                kind.key(),
                e.error_id
            );
            assert_ne!(e.error_id, r.id, "{} links to itself", r.id);
            edges += 1;
        }
    }
    // One link per record on average at least (the goal for the full catalogue is 60 edges).
    assert!(
        edges >= c.len() / 2,
        "{edges} edges for {} records",
        c.len()
    );
}
