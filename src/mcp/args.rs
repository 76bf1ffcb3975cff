//! The arguments each MCP tool takes, and what a bad call is told: plain data that both the tool table
//! (`tools`, which publishes their schemas) and the answers (`answers`, which read them) use.

use crate::catalog::Lang;
use schemars::JsonSchema;
use serde::Deserialize;

/// What a bad `tools/call` is told (as a JSON-RPC invalid-params error).
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("unknown tool `{0}`; errdex's tools are: {1}")]
    UnknownTool(String, String),
    #[error("invalid arguments for {tool}: {reason}")]
    Arguments { tool: &'static str, reason: String },
    #[error("no record with id `{id}`{hint}")]
    UnknownId { id: String, hint: String },
    #[error("no domain `{domain}`; the domains are: {known}")]
    UnknownDomain { domain: String, known: String },
    #[error(
        "{what} is {bytes} bytes; at most 1 MiB ({max} bytes) is looked up, as `errdex lookup` reads of standard input: send the lines around the error"
    )]
    TooLong {
        what: String,
        bytes: usize,
        max: usize,
    },
}

/// `lang`: English, or Chinese where the record has it.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LangArg {
    En,
    Zh,
}

impl LangArg {
    pub fn or(lang: Option<LangArg>, default: Lang) -> Lang {
        match lang {
            Some(LangArg::En) => Lang::En,
            Some(LangArg::Zh) => Lang::Zh,
            None => default,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupArgs {
    // One line each: schemars keeps line breaks in the descriptions agents read.
    /// The error message, or a whole log (traceback, build or test output, `kubectl describe` events); at most 1 MiB.
    pub message: String,
    /// How many records, best first (1 or more; at most 20; default 3).
    #[schemars(range(min = 1))]
    pub limit: Option<usize>,
    /// Language of the record text: `en` (default) or `zh` (Chinese where the record has it; else English, marked `[英]`).
    pub lang: Option<LangArg>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailArgs {
    /// The record's id, e.g. `docker/exec-format-error-arm64` (as `lookup_error` or `search_errors` return).
    pub id: String,
    /// `en` (default) or `zh`.
    pub lang: Option<LangArg>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    /// Words to fuzzy-match against signatures, aliases and ids (`exec format`, `modnotfound`); inline filters too: `domain:docker`, `cat:network`, `tier:human`.
    pub query: String,
    /// Only records of this domain (prefix, case-insensitive: `dock` finds `docker`).
    pub domain: Option<String>,
    /// How many records (1 or more; at most 100; default 10).
    #[schemars(range(min = 1))]
    pub limit: Option<usize>,
    /// `en` (default) or `zh`.
    pub lang: Option<LangArg>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainListArgs {
    /// The domain, as `list_error_domains` names it (case-insensitive).
    pub domain: String,
    /// How many records (1 or more; at most 500; default 50).
    #[schemars(range(min = 1))]
    pub limit: Option<usize>,
    /// How many records to skip, for paging (default 0).
    pub offset: Option<usize>,
    /// `en` (default) or `zh`.
    pub lang: Option<LangArg>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsArgs {
    /// One domain (case-insensitive); without it, the whole catalogue and every domain.
    pub domain: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainArgs {
    /// The record to start from.
    pub id: String,
    /// How many links to follow outwards (1 or more; at most 3; default 1).
    #[schemars(range(min = 1))]
    pub depth: Option<usize>,
    /// `en` (default) or `zh`.
    pub lang: Option<LangArg>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchArgs {
    /// The error messages (1 to 50), each at most 1 MiB.
    #[schemars(length(min = 1, max = 50))]
    pub messages: Vec<String>,
    /// `en` (default) or `zh`.
    pub lang: Option<LangArg>,
}
