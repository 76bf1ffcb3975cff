//! The MCP tools as data: each tool's name, description (written for a coding agent) and argument type, whose
//! JSON schema `tools/list` publishes and whose deserializer checks `tools/call`. One table drives both, so a
//! listed tool is always a callable one. What each tool computes is in `answers`.

use super::answers::{self, Answer, Served};
pub use super::args::*;
use rmcp::handler::server::common::schema_for_input;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde::de::DeserializeOwned;

/// One tool: its name, title, description, argument schema, and what runs it.
struct Spec {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    schema: fn() -> Result<std::sync::Arc<JsonObject>, String>,
    run: fn(&Served, JsonObject) -> Result<Answer, ToolError>,
}

const SPECS: &[Spec] = &[
    Spec {
        name: "lookup_error",
        title: "Look up an error",
        description: "Call this first when a command fails: pass the error message or the whole log. Returns the catalogue records that explain it, best first, each with its root cause, the dead ends (fixes that do NOT work, with how often they fail: skip them), the workarounds (what works, with commands in `how` and success rates), and how it matched (`regex`: the record's pattern matched the message; `approximate`: shared words only, check the signature).",
        schema: schema_for_input::<LookupArgs>,
        run: |s, a| answers::lookup_error(s, args(a)?),
    },
    Spec {
        name: "get_error_detail",
        title: "One error record, every field",
        description: "Every field of one record by id: root cause, all dead ends and workarounds with conditions and sources, versions, OS notes, related errors, official docs, dates. In `zh`, the text fields are in Chinese where the record has it (English marked `[英]`).",
        schema: schema_for_input::<DetailArgs>,
        run: |s, a| answers::get_error_detail(s, args(a)?),
    },
    Spec {
        name: "search_errors",
        title: "Search the catalogue",
        description: "Fuzzy search over record signatures, aliases and ids (the errdex browser's search box), with optional domain, category and tier filters. Use it when you have words rather than an error message; use lookup_error for messages and logs.",
        schema: schema_for_input::<SearchArgs>,
        run: |s, a| answers::search_errors(s, args(a)?),
    },
    Spec {
        name: "list_error_domains",
        title: "List domains",
        description: "The catalogue's domains (docker, python, kubernetes, ...) with how many records each has and their average fix success rate.",
        schema: schema_for_input::<NoArgs>,
        run: |s, a| args(a).map(|NoArgs {}| answers::list_error_domains(s)),
    },
    Spec {
        name: "list_errors_by_domain",
        title: "List a domain's errors",
        description: "The records of one domain in catalogue order (id, signature, fix success rate), a page at a time (`limit`, `offset`; `next_offset` is set while more remain).",
        schema: schema_for_input::<DomainListArgs>,
        run: |s, a| answers::list_errors_by_domain(s, args(a)?),
    },
    Spec {
        name: "get_domain_stats",
        title: "Domain statistics",
        description: "Counts for one domain or the whole catalogue: records, average fix success rate, how many errors are resolvable (true, partial, false, unknown), dead ends and workarounds recorded.",
        schema: schema_for_input::<StatsArgs>,
        run: |s, a| answers::get_domain_stats(s, args(a)?),
    },
    Spec {
        name: "get_error_chain",
        title: "Errors around an error",
        description: "The transition graph around a record: the errors it leads to (often the next one you will hit after fixing it), the ones that precede it (the real cause may be earlier), and the ones it is frequently confused with, with probabilities and conditions, followed `depth` links outwards.",
        schema: schema_for_input::<ChainArgs>,
        run: |s, a| answers::get_error_chain(s, args(a)?),
    },
    Spec {
        name: "batch_lookup",
        title: "Look up several errors",
        description: "lookup_error for several messages at once: the best record for each (or null), in the order given.",
        schema: schema_for_input::<BatchArgs>,
        run: |s, a| answers::batch_lookup(s, args(a)?),
    },
];

/// Every tool, for `tools/list`. Read-only and closed-world: a lookup changes nothing and reaches nothing
/// beyond the catalogue loaded at start.
pub fn list() -> Vec<Tool> {
    SPECS
        .iter()
        .map(|s| {
            // The argument types are ours and tested to make object schemas; an empty object would still be
            // a valid schema.
            let schema = (s.schema)().unwrap_or_default();
            let mut tool = Tool::new(s.name, s.description, schema);
            tool.title = Some(s.title.to_string());
            tool.annotations = Some(
                ToolAnnotations::with_title(s.title)
                    .read_only(true)
                    .destructive(false)
                    .idempotent(true)
                    .open_world(false),
            );
            tool
        })
        .collect()
}

/// The arguments as `T`; the tool's name is filled in by `call`.
fn args<T: DeserializeOwned>(args: JsonObject) -> Result<T, ToolError> {
    serde_json::from_value(serde_json::Value::Object(args)).map_err(|e| ToolError::Arguments {
        tool: "",
        reason: e.to_string(),
    })
}

/// Runs tool `name` with `arguments` on the served catalogue.
pub fn call(served: &Served, name: &str, arguments: JsonObject) -> Result<Answer, ToolError> {
    let Some(spec) = SPECS.iter().find(|s| s.name == name) else {
        let names: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
        let shown = crate::text::clip(&crate::text::sanitize_line(name), 100).into_owned();
        return Err(ToolError::UnknownTool(shown, names.join(", ")));
    };
    match (spec.run)(served, arguments) {
        Ok(answer) => Ok(answer.sanitized()),
        Err(ToolError::Arguments { reason, .. }) => Err(ToolError::Arguments {
            tool: spec.name,
            reason,
        }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    #[test]
    fn every_tool_has_an_object_schema_and_a_branch() {
        let served = Served::new(crate::catalog::Catalog::default(), Lang::En);
        for tool in list() {
            assert_eq!(
                tool.input_schema.get("type"),
                Some(&serde_json::json!("object")),
                "{}",
                tool.name
            );
            // An empty argument object reaches the tool: it answers or names what is missing.
            match call(&served, &tool.name, JsonObject::new()) {
                Ok(_) => {}
                Err(ToolError::Arguments { reason, .. }) => {
                    assert!(reason.contains("missing field"), "{}: {reason}", tool.name)
                }
                Err(e) => panic!("{}: {e}", tool.name),
            }
        }
        assert_eq!(list().len(), 8);
        let e = call(&served, "lookup_error", JsonObject::new())
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid arguments for lookup_error: missing field `message`"
        );
    }

    #[test]
    fn arguments_are_checked_by_name_and_type() {
        let served = Served::new(crate::catalog::Catalog::default(), Lang::En);
        let call = |name, v: serde_json::Value| {
            let serde_json::Value::Object(o) = v else {
                panic!("object")
            };
            call(&served, name, o)
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        let e = call("lookup_error", serde_json::json!({"message": 42})).unwrap_err();
        assert!(
            e.contains("invalid type: integer `42`, expected a string"),
            "{e}"
        );
        let e = call("lookup_error", serde_json::json!({"msg": "x"})).unwrap_err();
        assert!(e.contains("unknown field `msg`"), "{e}");
        let e = call(
            "lookup_error",
            serde_json::json!({"message": "x", "lang": "fr"}),
        )
        .unwrap_err();
        assert!(e.contains("unknown variant `fr`"), "{e}");
        let e = call("nope\u{1b}[31m", serde_json::json!({})).unwrap_err();
        assert!(e.starts_with("unknown tool `nope`"), "{e}");
    }
}
