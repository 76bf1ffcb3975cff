//! JSON-RPC over standard input and output, one message a line, for the MCP server.
//!
//! rmcp's own stdio transport drops a line that is not JSON without a word, so an agent (or a person typing)
//! waits forever for an answer. Here a thread reads standard input a line at a time (at most `MAX_LINE`
//! bytes, so an endless line cannot fill memory) and answers what it cannot pass on with a JSON-RPC error: a
//! parse error for a line that is not JSON, an invalid request for JSON that is no message, and a line too
//! long. Messages go to the server through a channel; the end of input closes it, which ends the server.
//! Every reply is written whole, as one line, under the standard output lock.

use rmcp::RoleServer;
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{Value, json};
use std::io::{BufRead, Read, Write};
use tokio::sync::mpsc;

/// The longest line read: a 10 MB log in a message still reaches the tool, which says what it accepts.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

pub struct Stdio {
    incoming: mpsc::Receiver<RxJsonRpcMessage<RoleServer>>,
}

impl Stdio {
    /// Starts reading standard input on a thread of its own.
    pub fn start() -> std::io::Result<Stdio> {
        let (tx, incoming) = mpsc::channel(16);
        std::thread::Builder::new()
            .name("mcp-stdin".into())
            .spawn(move || {
                read_messages(
                    std::io::stdin().lock(),
                    |m| tx.blocking_send(m).is_ok(),
                    |reply| {
                        let _ = write_line(reply);
                    },
                )
            })?;
        Ok(Stdio { incoming })
    }
}

/// One JSON value as one line on standard output, flushed at once: the client waits for it.
fn write_line(value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    let mut out = std::io::stdout().lock();
    out.write_all(&line)?;
    out.flush()
}

impl Transport<RoleServer> for Stdio {
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        // Written before returning: replies keep the order they were sent in.
        std::future::ready(write_line(&item))
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        self.incoming.recv().await
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.incoming.close();
        Ok(())
    }
}

/// What one line of input was.
enum Line {
    Message(Box<RxJsonRpcMessage<RoleServer>>),
    /// Nothing to do: a blank line, or a notification that needs no answer.
    Skip,
    Reply(Value),
}

fn error(id: Value, code: i32, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Reads messages from `input` until it ends or `deliver` refuses one (the server has gone); what is not a
/// message is answered through `reply`.
pub fn read_messages(
    mut input: impl BufRead,
    mut deliver: impl FnMut(RxJsonRpcMessage<RoleServer>) -> bool,
    mut reply: impl FnMut(&Value),
) {
    let mut buf = Vec::new();
    // Until the client has said `initialize`, a notification would end rmcp's handshake with an error.
    let mut initialized = false;
    loop {
        buf.clear();
        let read = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = if buf.len() > MAX_LINE && !buf.ends_with(b"\n") {
            if skip_line(&mut input).is_err() {
                return;
            }
            Line::Reply(error(
                Value::Null,
                -32600,
                format!("request line over {MAX_LINE} bytes; it was skipped"),
            ))
        } else {
            parse(&buf, initialized)
        };
        match line {
            Line::Message(m) => {
                if is_initialize(&m) {
                    initialized = true;
                }
                if !deliver(*m) {
                    return;
                }
            }
            Line::Skip => {}
            Line::Reply(r) => reply(&r),
        }
    }
}

/// Reads up to the end of the current line and drops it.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', available) {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = available.len();
                input.consume(n);
            }
        }
    }
}

fn is_initialize(m: &RxJsonRpcMessage<RoleServer>) -> bool {
    matches!(
        m,
        rmcp::model::JsonRpcMessage::Request(r)
            if matches!(r.request, rmcp::model::ClientRequest::InitializeRequest(_))
    )
}

fn parse(line: &[u8], initialized: bool) -> Line {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Line::Skip;
    }
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => {
            return Line::Reply(error(
                Value::Null,
                -32700,
                format!(
                    "parse error: this line is not JSON ({e}); send one JSON-RPC message a line"
                ),
            ));
        }
    };
    let id = value.get("id").cloned();
    let has_method = value.get("method").is_some();
    let is_request = id.is_some() && has_method;
    let is_notification = id.is_none() && has_method;
    let is_response = id.is_some()
        && !has_method
        && (value.get("result").is_some() || value.get("error").is_some());
    // JSON-RPC answers no notification and no response, even a malformed one.
    if (is_notification || is_response) && !initialized {
        return Line::Skip;
    }
    match serde_json::from_value::<RxJsonRpcMessage<RoleServer>>(value) {
        Ok(m) => Line::Message(Box::new(m)),
        Err(_) if is_notification || is_response => Line::Skip,
        Err(e) => Line::Reply(error(
            id.unwrap_or(Value::Null),
            -32600,
            if is_request {
                format!("invalid request: {e}")
            } else {
                format!("invalid request: not a JSON-RPC 2.0 request ({e})")
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_messages` made of `input`: the methods delivered and the error codes replied, in order.
    fn run(input: &[u8]) -> Vec<String> {
        let seen = std::cell::RefCell::new(Vec::new());
        read_messages(
            input,
            |m| {
                let v = serde_json::to_value(&m).expect("json");
                seen.borrow_mut()
                    .push(v["method"].as_str().unwrap_or("?").to_string());
                true
            },
            |r| {
                seen.borrow_mut()
                    .push(format!("error {}", r["error"]["code"]))
            },
        );
        seen.into_inner()
    }

    const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}"#;
    const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

    #[test]
    fn lines_that_are_no_message_are_answered_and_reading_goes_on() {
        let input = format!(
            "not json\n\n{INITIALIZED}\n[1]\r\n{INIT}\n{{\"id\":2,\"method\":\"ping\"\n{INITIALIZED}\n{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}}"
        );
        assert_eq!(
            run(input.as_bytes()),
            [
                "error -32700",
                "error -32600",
                "initialize",
                "error -32700",
                "notifications/initialized",
                "ping"
            ],
            "a notification before `initialize` is dropped; the last line needs no newline"
        );
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_with_an_error() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.push(b'\n');
        input.extend_from_slice(INIT.as_bytes());
        assert_eq!(run(&input), ["error -32600", "initialize"]);
    }
}
