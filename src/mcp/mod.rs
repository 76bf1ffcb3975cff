//! `errdex mcp`: the catalogue as tools for coding agents, over the Model Context Protocol on stdio.
//!
//! Agents call a tool when a command fails and read the dead ends before trying a fix. The server is
//! rmcp's, driven by hand rather than by its macros: a bad argument must come back as a JSON-RPC error
//! (the macros turn it into a tool result), and the tool table (`tools`) is plain data tested on its own.
//! The async runtime exists only here, on the calling thread: no other command starts it.
//!
//! - `tools`: names, descriptions, argument schemas, dispatch and the errors a bad call gets.
//! - `answers`: what each tool computes, with the engines the CLI and the browser use.
//! - `transport`: JSON-RPC lines on stdin/stdout, answering malformed lines instead of dropping them.

mod answers;
pub mod args;
pub mod tools;
pub mod transport;

use crate::catalog::{Catalog, Lang};
use crate::commands::error::CommandError;
use answers::Served;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::{RequestContext, ServiceExt};
use rmcp::{ErrorData, RoleServer, ServerHandler};

const INSTRUCTIONS: &str = "errdex explains error messages from a catalogue of known errors. When a command \
fails, call lookup_error with the message (or the whole log) before trying fixes: each record lists dead ends \
(fixes that do not work, with fail rates: do not try them) and workarounds (commands with success rates). \
get_error_chain tells which error usually comes next. lang `zh` gives Chinese text.";

struct Server {
    served: Served,
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build());
        let mut errdex = Implementation::new("errdex", env!("CARGO_PKG_VERSION"));
        errdex.title = Some("errdex".into());
        errdex.description = Some(env!("CARGO_PKG_DESCRIPTION").into());
        info.server_info = errdex;
        info.with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::list()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.unwrap_or_default();
        let answer = tools::call(&self.served, &request.name, arguments)
            .map_err(|e| ErrorData::invalid_params(e.to_string(), None))?;
        let mut result = CallToolResult::structured(answer.json);
        result.content = vec![ContentBlock::text(answer.text)];
        Ok(result.into())
    }
}

/// Serves `catalog` until standard input ends; the exit code.
pub fn run(
    catalog: Catalog,
    lang: Lang,
    env: crate::search::lookup::LookupEnv,
    narrowing: Option<crate::search::narrow::Narrowing>,
) -> Result<u8, CommandError> {
    // rmcp times its requests out, so the runtime needs its timer; no I/O driver: a thread reads stdin.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let server = Server {
        served: Served::with_env(catalog, lang, env, narrowing),
    };
    let transport = transport::Stdio::start()?;
    runtime.block_on(async move {
        match server.serve(transport).await {
            Ok(running) => running
                .waiting()
                .await
                .map(|_| crate::commands::exit::OK)
                .map_err(|e| CommandError::Mcp(e.to_string())),
            // Input ended before the client said `initialize`: nothing was asked, nothing failed.
            Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => {
                Ok(crate::commands::exit::OK)
            }
            Err(e) => Err(CommandError::Mcp(e.to_string())),
        }
    })
}
