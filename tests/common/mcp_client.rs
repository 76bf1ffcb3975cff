//! A minimal MCP client for tests and benchmarks: runs `errdex … mcp` and speaks JSON-RPC lines to it, as an
//! agent's client does. Shared by `tests/mcp.rs` and `benches/mcp.rs`.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long to wait for a line: far beyond any answer on a loaded machine; a test that hits it has hung.
pub const DEADLINE: Duration = Duration::from_secs(180);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Client {
    /// Starts `errdex ARGS mcp` with the locale cleared.
    pub fn start(binary: &str, args: &[&str]) -> Client {
        Client::start_with_cache(binary, args, "/nonexistent/errdex-test/cache")
    }

    /// `start`, the persistent index in `cache` (`XDG_CACHE_HOME`).
    pub fn start_with_cache(binary: &str, args: &[&str], cache: &str) -> Client {
        let mut child = Command::new(binary)
            .args(args)
            .arg("mcp")
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            // No configuration or settings of the developer's (see `common::isolate`).
            .env("XDG_CONFIG_HOME", "/nonexistent/errdex-test/config")
            .env("XDG_DATA_HOME", "/nonexistent/errdex-test/data")
            .env("XDG_CACHE_HOME", cache)
            .env_remove("ERRDEX_CONFIG")
            .env_remove("ERRDEX_CATALOG")
            .env_remove("ERRDEX_LANG")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start errdex mcp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        // A thread reads, so a wait for a line can have a deadline.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            lines,
            next_id: 1,
        }
    }

    /// Writes one raw line (a newline is added).
    pub fn send_raw(&mut self, line: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(line).expect("write");
        stdin.write_all(b"\n").expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    /// The next line the server writes, as JSON (every line it writes must be).
    pub fn next(&mut self) -> Value {
        match self.lines.recv_timeout(DEADLINE) {
            Ok(line) => serde_json::from_str(&line).unwrap_or_else(|e| {
                panic!("the server wrote a line that is not JSON ({e}): {line}")
            }),
            Err(RecvTimeoutError::Timeout) => panic!("no answer within {DEADLINE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns the whole response to it (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == json!(id) {
                return message;
            }
            // Notifications (logging, list changes) may come first.
            assert!(
                message.get("id").is_none(),
                "an answer to another request: {message}"
            );
        }
    }

    /// `initialize` then `notifications/initialized`; the server's `initialize` result.
    pub fn initialize(&mut self) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "errdex-tests", "version": "0"}
            }),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        result
    }

    /// `tools/call` of `name`; the whole response.
    pub fn call(&mut self, name: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": name, "arguments": arguments}))
    }

    /// Closes the server's input and waits for it to end.
    pub fn finish(mut self) -> ExitStatus {
        drop(self.stdin.take());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("the server did not end within {DEADLINE:?} of its input closing");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
