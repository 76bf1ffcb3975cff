//! `errdex mcp` as an agent's client meets it: the real binary, JSON-RPC lines on its stdin and stdout. The
//! handshake, the tool list with schemas, every tool on a catalogue written here and on the embedded one,
//! each kind of bad input answered with an error (never a crash, never silence), and a clean exit when
//! input closes.

#[path = "common/mcp_client.rs"]
mod client;
mod common;

use client::Client;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_errdex");

/// Linked records: a Python error with Chinese text for part of it, a generic one that also matches it, a
/// git error leading to another (which leads to one not in the catalogue), and hostile text.
const CATALOGUE: &str = r#"[
  {"id": "python/module-not-found", "signature": "ModuleNotFoundError: No module named 'requests'",
   "signature_zh": "ModuleNotFoundError：找不到模块 'requests'",
   "regex": "ModuleNotFoundError: No module named '[^']+'", "domain": "python", "category": "import_error",
   "root_cause": "The package is not installed in the interpreter that runs the script.",
   "fix_success_rate": 0.9, "resolvable": "true",
   "dead_ends": [{"action": "Reinstall Python", "why_fails": "The package is still not installed in the active environment.", "fail_rate": 0.9}],
   "workarounds": [{"action": "Install the package into the interpreter that runs the script", "how": "python -m pip install requests", "success_rate": 0.95}],
   "workarounds_zh": [{"action": "把包装进运行脚本的解释器", "how": "python -m pip install requests"}],
   "transition_graph": {"frequently_confused_with": [{"error_id": "python/generic-error", "probability": 0.2, "condition": "when the traceback is cut"}]}},
  {"id": "python/generic-error", "signature": "Error: something failed", "regex": "error",
   "domain": "python", "category": "runtime_error", "fix_success_rate": 0.5, "resolvable": "partial"},
  {"id": "git/merge-conflict", "signature": "CONFLICT (content): Merge conflict in src/main.py",
   "signature_zh": "冲突（内容）：src/main.py 中的合并冲突",
   "regex": "CONFLICT \\(content\\): Merge conflict in \\S+", "domain": "git", "category": "sync_error",
   "fix_success_rate": 0.97, "resolvable": false,
   "dead_ends": [{"action": "git push --force", "why_fails": "The conflict is local; pushing does not resolve it.", "fail_rate": 0.8}],
   "workarounds": [{"action": "Edit the file, keep the right lines, mark it resolved", "how": "git add src/main.py && git commit", "success_rate": 0.97}],
   "transition_graph": {"leads_to": [{"error_id": "git/rebase-in-progress", "probability": 0.4, "condition": "after a rebase"}]}},
  {"id": "git/rebase-in-progress", "signature": "fatal: It seems that there is already a rebase-merge directory",
   "regex": "already a rebase-merge directory", "domain": "git",
   "transition_graph": {"leads_to": ["git/not-in-this-catalogue"]}},
  {"id": "term/hostile", "signature": "\u001b]52;c;SGVsbG8=\u0007clipboard \u001b[31mhijack\u001b[0m warning \u202eevil",
   "regex": "clipboard hijack", "domain": "term", "root_cause": "bell\u0007 and \u009b2J erase",
   "workarounds": [{"action": "\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\ here"}]}
]"#;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: common::catalogue_dir(CATALOGUE),
        }
    }

    /// A server on this catalogue alone, initialized.
    fn server(&self) -> Client {
        let path = self.dir.path().join("catalogue.json");
        let mut c = Client::start(BIN, &["--no-default", "-c", path.to_str().expect("utf-8")]);
        c.initialize();
        c
    }
}

/// The structured content of a successful `tools/call`, after checking its text content is there too.
fn structured(response: &Value) -> &Value {
    let result = &response["result"];
    assert!(
        result.get("error").is_none() && response.get("error").is_none(),
        "{response}"
    );
    assert_eq!(result["isError"], json!(false), "{response}");
    let text = result["content"][0]["text"].as_str().unwrap_or("");
    assert!(!text.is_empty(), "a text rendering too: {response}");
    &result["structuredContent"]
}

fn text(response: &Value) -> &str {
    response["result"]["content"][0]["text"]
        .as_str()
        .expect("text content")
}

/// The JSON-RPC error of a response: its code and message.
fn error(response: &Value) -> (i64, String) {
    let e = &response["error"];
    assert!(e.is_object(), "an error, not a result: {response}");
    (
        e["code"].as_i64().expect("code"),
        e["message"].as_str().expect("message").to_string(),
    )
}

/// Every string in `v` (keys too), for checks on all of an answer.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strings).collect(),
        Value::Object(o) => o
            .iter()
            .flat_map(|(k, v)| std::iter::once(k.clone()).chain(strings(v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A tool's name, required arguments, and some arguments with their JSON type.
type Expected = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

#[test]
fn the_handshake_names_errdex_and_lists_every_tool_with_its_schema() {
    let fx = Fixture::new();
    let path = fx.dir.path().join("catalogue.json");
    let mut c = Client::start(BIN, &["--no-default", "-c", path.to_str().expect("utf-8")]);
    let init = c.initialize();
    let info = &init["result"]["serverInfo"];
    assert_eq!(info["name"], "errdex", "{init}");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"), "{init}");
    assert!(
        init["result"]["capabilities"]["tools"].is_object(),
        "{init}"
    );
    assert!(
        init["result"]["instructions"]
            .as_str()
            .is_some_and(|i| i.contains("lookup_error")),
        "{init}"
    );

    let list = c.request("tools/list", json!({}));
    let tools = list["result"]["tools"].as_array().expect("tools");
    let mut names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "batch_lookup",
            "get_domain_stats",
            "get_error_chain",
            "get_error_detail",
            "list_error_domains",
            "list_errors_by_domain",
            "lookup_error",
            "search_errors",
        ]
    );
    let tool = |name: &str| {
        tools
            .iter()
            .find(|t| t["name"] == name)
            .expect("listed")
            .clone()
    };
    // Each schema: an object, with what is required and the types an agent must send.
    let expect: [Expected; 8] = [
        (
            "lookup_error",
            &["message"],
            &[("message", "string"), ("limit", "integer")],
        ),
        ("get_error_detail", &["id"], &[("id", "string")]),
        (
            "search_errors",
            &["query"],
            &[("query", "string"), ("limit", "integer")],
        ),
        ("list_error_domains", &[], &[]),
        (
            "list_errors_by_domain",
            &["domain"],
            &[("domain", "string"), ("offset", "integer")],
        ),
        ("get_domain_stats", &[], &[("domain", "string")]),
        (
            "get_error_chain",
            &["id"],
            &[("id", "string"), ("depth", "integer")],
        ),
        ("batch_lookup", &["messages"], &[("messages", "array")]),
    ];
    for (name, required, types) in expect {
        let t = tool(name);
        let schema = &t["inputSchema"];
        assert_eq!(schema["type"], "object", "{t}");
        assert!(
            t["description"].as_str().is_some_and(|d| d.len() > 40),
            "{t}"
        );
        assert_eq!(t["annotations"]["readOnlyHint"], true, "{t}");
        let req: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert_eq!(req, required, "{name}: {schema}");
        for (prop, ty) in types {
            let p = &schema["properties"][prop];
            let kinds = strings(&p["type"]);
            assert!(kinds.iter().any(|k| k == ty), "{name}.{prop}: {p}");
            let description = p["description"].as_str().unwrap_or("");
            assert!(
                !description.is_empty() && !description.contains('\n'),
                "{name}.{prop}: {p}"
            );
        }
    }
    // `lang` is en or zh, wherever it is taken.
    let lang = serde_json::to_string(&tool("lookup_error")["inputSchema"]).expect("json");
    assert!(lang.contains("\"en\"") && lang.contains("\"zh\""), "{lang}");
    assert_eq!(
        tool("lookup_error")["inputSchema"]["properties"]["limit"]["minimum"],
        1
    );
    assert_eq!(
        tool("batch_lookup")["inputSchema"]["properties"]["messages"]["maxItems"],
        50
    );
    assert!(c.finish().success());
}

#[test]
fn every_tool_answers_from_the_catalogue() {
    let fx = Fixture::new();
    let mut c = fx.server();

    let r = c.call(
        "lookup_error",
        json!({"message": "Traceback (most recent call last):\n  File \"a.py\", line 1\nModuleNotFoundError: No module named 'numpy'"}),
    );
    let v = structured(&r);
    assert_eq!(v["matches"][0]["id"], "python/module-not-found", "{r}");
    assert_eq!(v["matches"][0]["match"], "regex");
    assert_eq!(
        v["matches"][0]["dead_ends"][0]["action"],
        "Reinstall Python"
    );
    assert_eq!(v["matches"][0]["dead_ends"][0]["fail_rate"], 0.9);
    assert_eq!(
        v["matches"][0]["workarounds"][0]["how"],
        "python -m pip install requests"
    );
    assert_eq!(v["matches"][0]["workarounds"][0]["success_rate"], 0.95);
    assert!(v["matches"][0]["root_cause"].is_string());
    assert_eq!(
        v["matches"][1]["id"], "python/generic-error",
        "ranked after"
    );
    assert!(text(&r).contains("python/module-not-found"));
    assert!(text(&r).contains("Reinstall Python"));

    let r = c.call(
        "lookup_error",
        json!({"message": "ModuleNotFoundError: No module named 'x'", "limit": 1, "lang": "zh"}),
    );
    let hit = &structured(&r)["matches"][0];
    assert_eq!(structured(&r)["matches"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        hit["signature"],
        "ModuleNotFoundError：找不到模块 'requests'"
    );
    assert_eq!(hit["workarounds"][0]["action"], "把包装进运行脚本的解释器");
    assert_eq!(
        hit["root_cause"],
        "[英] The package is not installed in the interpreter that runs the script."
    );

    let r = c.call("lookup_error", json!({"message": "backoff restarting pod"}));
    assert_eq!(structured(&r)["matches"], json!([]), "{r}");
    assert_eq!(structured(&r)["regex_matched"], false);

    // Words in common, but too few to be an answer: no match, the nearest record apart and labelled.
    let message =
        "the deploy broke for some reasons entirely, a conflict somewhere in the attached log";
    let r = c.call("lookup_error", json!({"message": message}));
    assert_eq!(structured(&r)["matches"], json!([]), "{r}");
    let nearest = &structured(&r)["nearest_unrelated"];
    assert_eq!(nearest[0]["id"], "git/merge-conflict", "{r}");
    assert_eq!(nearest[0]["match"], "nearest");
    assert!(text(&r).contains("No record explains this message."));
    assert!(text(&r).contains("Nearest, unrelated?"), "{}", text(&r));

    let r = c.call("get_error_detail", json!({"id": "git/merge-conflict"}));
    let record = &structured(&r)["record"];
    assert_eq!(
        record["regex"],
        "CONFLICT \\(content\\): Merge conflict in \\S+"
    );
    assert_eq!(record["category"], "sync_error");
    assert_eq!(
        record["signature_zh"],
        "冲突（内容）：src/main.py 中的合并冲突"
    );
    assert_eq!(
        record["transition_graph"]["leads_to"][0]["error_id"],
        "git/rebase-in-progress"
    );
    assert!(text(&r).contains("git push --force"));
    let r = c.call(
        "get_error_detail",
        json!({"id": "python/module-not-found", "lang": "zh"}),
    );
    let record = &structured(&r)["record"];
    assert_eq!(
        record["workarounds"][0]["action"],
        "把包装进运行脚本的解释器"
    );
    assert_eq!(record["workarounds"][0]["success_rate"], 0.95);
    assert_eq!(record["dead_ends"][0]["action"], "[英] Reinstall Python");
    assert!(record.get("workarounds_zh").is_none(), "{record}");

    let r = c.call("search_errors", json!({"query": "merge conf"}));
    assert_eq!(
        structured(&r)["results"][0]["id"],
        "git/merge-conflict",
        "{r}"
    );
    let r = c.call("search_errors", json!({"query": "", "domain": "PY"}));
    let ids: Vec<String> = structured(&r)["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|h| h["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, ["python/module-not-found", "python/generic-error"]);

    let r = c.call("list_error_domains", json!({}));
    assert_eq!(
        structured(&r)["domains"],
        json!([
            {"domain": "git", "records": 2, "avg_fix_success_rate": 0.97},
            {"domain": "python", "records": 2, "avg_fix_success_rate": 0.7},
            {"domain": "term", "records": 1, "avg_fix_success_rate": null},
        ])
    );

    let r = c.call(
        "list_errors_by_domain",
        json!({"domain": "Python", "limit": 1}),
    );
    let v = structured(&r);
    assert_eq!(
        (
            &v["domain"],
            &v["total"],
            &v["next_offset"],
            &v["records"][0]["id"]
        ),
        (
            &json!("python"),
            &json!(2),
            &json!(1),
            &json!("python/module-not-found")
        )
    );
    let r = c.call(
        "list_errors_by_domain",
        json!({"domain": "python", "offset": 1}),
    );
    assert_eq!(structured(&r)["records"][0]["id"], "python/generic-error");
    assert_eq!(structured(&r)["next_offset"], Value::Null);

    let r = c.call("get_domain_stats", json!({"domain": "python"}));
    let v = structured(&r);
    assert_eq!(v["records"], 2);
    assert_eq!(v["avg_fix_success_rate"], 0.7);
    assert_eq!(
        v["resolvable"],
        json!({"true": 1, "partial": 1, "false": 0, "unknown": 0})
    );
    assert_eq!((&v["dead_ends"], &v["workarounds"]), (&json!(1), &json!(1)));
    let r = c.call("get_domain_stats", json!({}));
    let v = structured(&r);
    assert_eq!(v["total"]["records"], 5);
    assert_eq!(
        v["total"]["resolvable"],
        json!({"true": 1, "partial": 1, "false": 1, "unknown": 2})
    );
    assert_eq!(v["domains"].as_array().map(Vec::len), Some(3));

    let r = c.call(
        "get_error_chain",
        json!({"id": "git/merge-conflict", "depth": 2}),
    );
    let v = structured(&r);
    assert_eq!(
        v["edges"],
        json!([
            {"from": "git/merge-conflict", "to": "git/rebase-in-progress", "relation": "leads_to",
             "probability": 0.4, "condition": "after a rebase"},
            {"from": "git/rebase-in-progress", "to": "git/not-in-this-catalogue", "relation": "leads_to",
             "probability": null, "condition": null},
        ])
    );
    assert_eq!(v["nodes"][2]["in_catalogue"], false, "{v}");
    let r = c.call("get_error_chain", json!({"id": "git/merge-conflict"}));
    assert_eq!(
        structured(&r)["nodes"].as_array().map(Vec::len),
        Some(2),
        "depth 1 by default"
    );
    let r = c.call("get_error_chain", json!({"id": "python/module-not-found"}));
    assert_eq!(
        structured(&r)["edges"][0]["relation"],
        "frequently_confused_with"
    );

    let r = c.call(
        "batch_lookup",
        json!({"messages": ["CONFLICT (content): Merge conflict in a.rs", "nothing at all", "clipboard hijack"]}),
    );
    let v = structured(&r);
    assert_eq!(v["results"][0]["best"]["id"], "git/merge-conflict", "{v}");
    assert_eq!(v["results"][1]["best"], Value::Null);
    assert_eq!(v["results"][2]["best"]["id"], "term/hostile");
    assert!(c.finish().success());
}

#[test]
fn record_text_reaches_the_agent_sanitized() {
    let fx = Fixture::new();
    let mut c = fx.server();
    let answers = [
        c.call("lookup_error", json!({"message": "clipboard hijack"})),
        c.call("get_error_detail", json!({"id": "term/hostile"})),
        c.call("search_errors", json!({"query": "clipboard"})),
        c.call("batch_lookup", json!({"messages": ["clipboard hijack"]})),
    ];
    for r in &answers {
        let v = structured(r);
        assert!(v.to_string().contains("hijack"), "{r}");
        for s in strings(&r["result"]) {
            assert!(
                !s.chars()
                    .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
                "{s:?} in {r}"
            );
        }
    }
    assert!(c.finish().success());
}

#[test]
fn the_embedded_catalogue_finds_exec_format_error_in_english_and_chinese() {
    let mut c = Client::start(BIN, &[]);
    c.initialize();
    let message = "exec /usr/bin/python3: exec format error";
    let r = c.call("lookup_error", json!({"message": message}));
    let hit = &structured(&r)["matches"][0];
    assert_eq!(hit["id"], "docker/exec-format-error-arm64", "{r}");
    assert_eq!(hit["match"], "regex");
    assert_eq!(hit["matched_text"], message);

    let seed: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("seeds/docker/exec-format-error-arm64.json"),
        )
        .expect("seed"),
    )
    .expect("json");
    let r = c.call("lookup_error", json!({"message": message, "lang": "zh"}));
    let hit = &structured(&r)["matches"][0];
    assert_eq!(hit["root_cause"], seed["root_cause_zh"], "{r}");
    assert_eq!(hit["signature"], seed["signature_zh"]);
    assert!(text(&r).contains(seed["root_cause_zh"].as_str().expect("zh")));

    let r = c.call("list_error_domains", json!({}));
    assert!(
        structured(&r)["domains"]
            .as_array()
            .is_some_and(|d| d.len() >= 20),
        "{r}"
    );
    assert!(c.finish().success());
}

#[test]
fn bad_input_gets_a_json_rpc_error_and_the_server_carries_on() {
    let fx = Fixture::new();
    let mut c = fx.server();
    let invalid_params = |r: &Value, want: &str| {
        let (code, message) = error(r);
        assert_eq!(code, -32602, "{r}");
        assert!(message.contains(want), "{message:?} lacks {want:?}");
    };

    let r = c.call("drop_tables", json!({}));
    invalid_params(
        &r,
        "unknown tool `drop_tables`; errdex's tools are: lookup_error",
    );
    invalid_params(
        &c.call("lookup_error", json!({})),
        "invalid arguments for lookup_error: missing field `message`",
    );
    invalid_params(
        &c.request("tools/call", json!({"name": "get_error_detail"})),
        "missing field `id`",
    );
    invalid_params(
        &c.call("lookup_error", json!({"message": ["a"]})),
        "invalid type: sequence, expected a string",
    );
    invalid_params(
        &c.call("lookup_error", json!({"message": "x", "limit": "3"})),
        "invalid type: string \"3\"",
    );
    invalid_params(
        &c.call("lookup_error", json!({"message": "x", "limit": 0})),
        "limit 0",
    );
    invalid_params(
        &c.call("search_errors", json!({"query": "x", "lang": "fr"})),
        "unknown variant `fr`, expected `en` or `zh`",
    );
    invalid_params(
        &c.call("get_error_detail", json!({"id": "git/merge"})),
        "no record with id `git/merge`; did you mean: git/merge-conflict",
    );
    invalid_params(
        &c.call("get_error_chain", json!({"id": "nope/\u{1b}[2Jnothing"})),
        "no record with id `nope/nothing`",
    );
    invalid_params(
        &c.call("list_errors_by_domain", json!({"domain": "cobol"})),
        "no domain `cobol`; the domains are: git, python, term",
    );
    invalid_params(
        &c.call("batch_lookup", json!({"messages": []})),
        "give 1 to 50 messages",
    );

    // 10 MB in one message: refused with the cap, as `lookup` caps its standard input.
    let big = "ModuleNotFoundError: No module named 'x'\n".repeat(10_000_000 / 41);
    invalid_params(
        &c.call("lookup_error", json!({"message": big})),
        "at most 1 MiB (1048576 bytes)",
    );
    invalid_params(
        &c.call("batch_lookup", json!({"messages": ["ok", big]})),
        "messages[1] is",
    );

    // Lines that are no JSON, or JSON that is no message: answered, with no id to answer to when none is known.
    c.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": \"tools/ca");
    let r = c.next();
    assert_eq!(error(&r).0, -32700, "{r}");
    assert_eq!(r["id"], Value::Null);
    assert!(error(&r).1.contains("not JSON"), "{r}");
    c.send_raw(b"\xff\xfe not even text");
    assert_eq!(error(&c.next()).0, -32700);
    c.send_raw(b"[1, 2, 3]");
    let r = c.next();
    assert_eq!(error(&r).0, -32600, "{r}");
    c.send(&json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": "lookup"}));
    let r = c.next();
    assert_eq!((error(&r).0, &r["id"]), (-32600, &json!(7)), "{r}");
    c.send(&json!({"jsonrpc": "2.0", "id": 8, "method": "no/such/method"}));
    let r = c.next();
    assert_eq!((error(&r).0, &r["id"]), (-32601, &json!(8)), "{r}");
    // A notification gets no answer, even an unknown one: the next line answers the next request.
    c.send(&json!({"jsonrpc": "2.0", "method": "notifications/whatever"}));
    c.send_raw(b"");

    // Still serving.
    let r = c.call(
        "lookup_error",
        json!({"message": "CONFLICT (content): Merge conflict in x"}),
    );
    assert_eq!(structured(&r)["matches"][0]["id"], "git/merge-conflict");
    let status = c.finish();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn closing_input_before_anything_ends_the_server_cleanly() {
    let c = Client::start(BIN, &["--no-default"]);
    assert_eq!(c.finish().code(), Some(0));
    // And with a line that is no message in between.
    let mut c = Client::start(BIN, &["--no-default"]);
    c.send_raw(b"hello?");
    assert_eq!(error(&c.next()).0, -32700);
    c.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    c.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}));
    assert_eq!(c.next()["id"], 1);
    assert_eq!(c.finish().code(), Some(0));
}

/// On a large catalogue file (its records left in the persistent index), lookups go through the indexes and
/// answer what the server without an index answers, record for record; the first server writes the index.
#[test]
fn lookups_through_the_indexes_answer_what_the_whole_catalogue_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 12_000, 23, true).unwrap();
    let file = dir.path().join("big.jsonl");
    std::fs::write(&file, &text).unwrap();
    common::age(dir.path());
    let signatures: Vec<String> = String::from_utf8(text)
        .unwrap()
        .lines()
        .step_by(1_500)
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["signature"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let cache = tempfile::tempdir().expect("cache");
    let args = ["--no-default", "-c", file.to_str().expect("utf-8")];
    let answers = |c: &mut Client| -> Vec<Value> {
        let mut out: Vec<Value> = (signatures.iter())
            .map(|m| {
                structured(&c.call("lookup_error", json!({"message": m, "limit": 20}))).clone()
            })
            .collect();
        let many = json!({"messages": signatures});
        out.push(structured(&c.call("batch_lookup", many)).clone());
        out
    };
    let mut uncached = Client::start(BIN, &[&["--no-cache"][..], &args].concat());
    uncached.initialize();
    let whole = answers(&mut uncached);
    assert!(
        whole[0]["matches"].as_array().is_some_and(|m| m.len() > 1),
        "{}",
        whole[0]
    );
    for _ in 0..2 {
        let mut c = Client::start_with_cache(BIN, &args, cache.path().to_str().unwrap());
        c.initialize();
        assert_eq!(answers(&mut c), whole);
    }
}
