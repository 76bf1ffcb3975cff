//! Both input formats map onto the model: the reference seed record field by field, and the real deadends.dev
//! corpus when `../shared` is present.

mod common;

use errdex::catalog::localized::Field;
use errdex::catalog::record::Format;
use errdex::catalog::{Catalog, Lang, Resolvability, Severity, ZhItem};
use serde_json::Value;

const REFERENCE: &str = "seeds/docker/exec-format-error-arm64.json";

#[test]
fn the_reference_record_loads_with_every_field_equal_to_the_file() {
    let path = common::repo(REFERENCE);
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let c = Catalog::load(false, &[path]);
    assert_eq!(c.diagnostics, []);
    let r = &c[0];
    // Every field of the file, typed, serializes back to exactly the file (keys, order and values).
    assert_eq!(serde_json::to_value(r).expect("serialize"), file);
    assert_eq!(
        serde_json::to_string(r).expect("serialize"),
        serde_json::to_string(&file).expect("serialize"),
        "key order is kept"
    );
    assert_eq!(r.format, Format::Seed);
    assert_eq!(r.id, "docker/exec-format-error-arm64");
    assert_eq!(
        r.signature_zh.as_deref(),
        Some("执行 /usr/bin/python3：执行格式错误")
    );
    assert_eq!(r.details().versions.len(), 3);
    assert_eq!(
        r.details().versions[1].version.as_deref(),
        Some("containerd 1.7.10")
    );
    assert_eq!(r.details().versions[1].status.as_deref(), Some("active"));
    assert_eq!(r.details().dead_ends.len(), 3);
    assert_eq!(r.details().dead_ends[1].fail_rate, Some(0.8));
    assert_eq!(r.details().workarounds[1].success_rate, Some(0.85));
    assert!(
        matches!(&r.details().workarounds_zh[0], ZhItem::Text(t) if t.starts_with("拉取正确架构的镜像"))
    );
    assert_eq!(
        r.details().resolvable.map(|v| v.level),
        Some(Resolvability::Yes)
    );
    assert_eq!(r.details().evidence_count, Some(1));
    assert_eq!(r.fix_success_rate, Some(0.92));
    assert_eq!(
        r.details().official_doc_url.as_deref(),
        Some("https://docs.docker.com/build/building/multi-platform/")
    );
    assert!(
        r.details().extra.is_empty(),
        "every field of the reference is a model field"
    );
}

/// Our copy of the reference keeps every field of the shared one, in order and unchanged, and adds only our
/// documented extensions (`dead_ends_zh`, `sources`).
#[test]
fn the_embedded_copy_of_the_reference_keeps_every_field_unchanged() {
    let ours = std::fs::read(common::repo(REFERENCE)).expect("read ours");
    if let Some(theirs) = common::shared("seeds/docker-exec-format-error-arm64.json") {
        let parse = |b: &[u8]| -> serde_json::Map<String, serde_json::Value> {
            serde_json::from_slice(b).expect("the reference is JSON")
        };
        let (ours, theirs) = (
            parse(&ours),
            parse(&std::fs::read(theirs).expect("read shared")),
        );
        let kept: Vec<&String> = ours.keys().filter(|k| theirs.contains_key(*k)).collect();
        assert_eq!(
            kept,
            theirs.keys().collect::<Vec<_>>(),
            "same fields, same order"
        );
        for (k, v) in &theirs {
            assert_eq!(&ours[k], v, "field {k} unchanged");
        }
        for k in ours.keys().filter(|k| !theirs.contains_key(*k)) {
            assert!(
                ["dead_ends_zh", "sources"].contains(&k.as_str()),
                "added {k}"
            );
        }
    }
    let embedded = errdex::catalog::embedded::SEEDS
        .iter()
        .find(|(name, _, _)| *name == REFERENCE)
        .expect("reference is embedded");
    assert_eq!(embedded.1.as_bytes(), ours);
}

#[test]
fn localized_text_falls_back_to_english_and_says_so() {
    // The reference as published, without our `dead_ends_zh`.
    let mut reference: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(common::repo(REFERENCE)).expect("read"))
            .expect("JSON");
    reference.remove("dead_ends_zh");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("reference.json");
    std::fs::write(&path, serde_json::to_vec(&reference).expect("JSON")).expect("write");
    let c = Catalog::load(false, &[path]);
    let r = &c[0];
    let sig = r.text(Field::Signature, Lang::Zh).expect("signature");
    assert!(!sig.fell_back);
    assert!(sig.text.starts_with("执行"));
    let why = r.text(Field::DeadEndWhy(0), Lang::Zh).expect("why");
    assert!(why.fell_back, "no dead_ends_zh");
    assert_eq!(
        why.text,
        r.details().dead_ends[0]
            .why_fails
            .as_deref()
            .unwrap_or_default()
    );
    // The one-string twin translates the action, and `how` too where it repeats the action.
    let how = r.text(Field::WorkaroundHow(0), Lang::Zh).expect("how");
    assert!(!how.fell_back && how.text.starts_with("拉取"));
    let en = r.text(Field::RootCause, Lang::En).expect("root cause");
    assert!(!en.fell_back && en.text.starts_with("The container image"));
    assert_eq!(r.text(Field::WorkaroundAction(9), Lang::Zh), None);
}

#[test]
fn fields_zh_twins_and_bare_transition_ids_are_read() {
    let text = r#"{"id": "x/a", "signature": "s", "regex": "s", "resolvable": false,
        "dead_ends": [{"action": "A", "why_fails": "W", "fail_rate": 0.5}],
        "dead_ends_zh": [{"action": "甲", "why_fails": "因为"}],
        "transition_graph": {"leads_to": ["x/b", {"error_id": "x/c", "probability": 0.25, "condition": "when"}]},
        "custom": {"kept": [1, 2]}}"#;
    let p = errdex::catalog::load::parse_bytes(
        &"t.json".into(),
        text.as_bytes(),
        errdex::catalog::source::Layout::Json,
    );
    assert_eq!(p.diagnostics, []);
    let r = &p.records[0].0;
    assert_eq!(
        r.text(Field::DeadEndWhy(0), Lang::Zh).map(|l| l.text),
        Some("因为")
    );
    let edges = &r.details().transition_graph.leads_to;
    assert!(edges[0].bare && edges[0].error_id == "x/b");
    assert_eq!(
        (edges[1].probability, edges[1].note()),
        (Some(0.25), Some("when"))
    );
    assert_eq!(
        r.details().resolvable.map(|v| v.level),
        Some(Resolvability::No)
    );
    let back = serde_json::to_value(r).expect("serialize");
    assert_eq!(back["transition_graph"]["leads_to"][0], "x/b");
    assert_eq!(back["resolvable"], false);
    assert_eq!(back["custom"]["kept"][1], 2);
}

#[test]
fn the_deadends_corpus_loads_without_errors() {
    let Some(dir) = common::shared("corpus/deadends") else {
        return;
    };
    let c = Catalog::load(false, &[dir]);
    let errors: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(c.len() > 2000, "{} records", c.len());
    assert_eq!(c.files, c.len(), "one canon per file");
    let r = c
        .get("docker/bind-address-already-in-use/docker27-linux")
        .expect("spot record");
    assert_eq!(r.format, Format::Canon);
    assert_eq!(
        r.signature,
        "Bind for 0.0.0.0:PORT failed: port is already allocated"
    );
    assert_eq!(r.domain.as_deref(), Some("docker"));
    assert_eq!(r.category.as_deref(), Some("network_error"));
    assert_eq!(
        r.details().root_cause.as_deref(),
        Some("Port is already in use by another container or host process.")
    );
    assert_eq!(
        r.details().versions[0].version.as_deref(),
        Some("docker >=27,<28")
    );
    assert_eq!(r.details().os_specific["os"], "linux");
    assert_eq!(r.verification_tier.as_deref(), Some("auto_generated"));
    assert_eq!(r.fix_success_rate, Some(0.92));
    assert_eq!(
        r.details().resolvable.map(|v| v.level),
        Some(Resolvability::Yes)
    );
    let lead = &r.details().transition_graph.leads_to[0];
    assert_eq!(lead.error_id, "python/connectionrefusederror/py311-linux");
    assert_eq!(lead.probability, Some(0.2));
    assert_eq!(
        lead.note(),
        Some("Changed port but application still connects to old port")
    );
    assert_eq!(
        r.details().extra["url"],
        "https://deadends.dev/docker/bind-address-already-in-use/docker27-linux"
    );
    assert_eq!(r.details().extra["schema_version"], "1.0.0");
    assert_eq!(
        r.details().workarounds[0].how.as_deref(),
        Some("lsof -i :PORT or docker ps --filter publish=PORT")
    );
    let confused = &c
        .get("docker/build-arg-not-set/docker24-linux")
        .expect("spot")
        .details()
        .transition_graph;
    assert!(
        confused.frequently_confused_with[0]
            .note()
            .is_some_and(|n| n.starts_with("'WARNING' is a build error"))
    );
    let partial = c
        .iter()
        .filter(|r| r.details().resolvable.map(|v| v.level) == Some(Resolvability::Partial))
        .count();
    assert!(partial > 100, "resolvable \"partial\" is read ({partial})");
}
