//! A real HTTP/1.1 server on 127.0.0.1 for the sync tests: a thread on a std TcpListener that serves one
//! catalogue at any path, honours If-None-Match and If-Modified-Since with 304, and can be told to answer an
//! error status, to hold a connection without ever answering (for timeouts), or to leave out Content-Length.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Serve,
    /// Accept, read the request, never answer.
    Hang,
    /// Answer with this status and no body.
    Status(u16),
    /// Serve the body without Content-Length, ended by closing the connection.
    NoLength,
}

#[derive(Debug, Clone)]
pub struct Served {
    pub body: Vec<u8>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub mode: Mode,
}

/// One request as the server saw it: its request line and headers (names lower-cased).
#[derive(Debug, Clone)]
pub struct Seen {
    pub line: String,
    pub headers: Vec<(String, String)>,
    pub status: u16,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Server {
    pub port: u16,
    state: Arc<Mutex<Served>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Connections held open by `Mode::Hang`, closed when the server is dropped.
    held: Arc<Mutex<Vec<TcpStream>>>,
}

impl Server {
    pub fn start(body: &[u8], etag: Option<&str>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(Served {
            body: body.to_vec(),
            etag: etag.map(str::to_string),
            last_modified: None,
            mode: Mode::Serve,
        }));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let held = Arc::new(Mutex::new(Vec::new()));
        let (s, v, h) = (state.clone(), seen.clone(), held.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // One connection at a time: errdex makes one request per source.
                let _ = handle(stream, &s, &v, &h);
            }
        });
        Server {
            port,
            state,
            seen,
            held,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    pub fn set(&self, change: impl FnOnce(&mut Served)) {
        change(&mut self.state.lock().expect("state"));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen").clone()
    }
}

fn handle(
    stream: TcpStream,
    state: &Mutex<Served>,
    seen: &Mutex<Vec<Seen>>,
    held: &Mutex<Vec<TcpStream>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((name, value)) = h.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let served = state.lock().expect("state").clone();
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let not_modified = served.etag.is_some() && header("if-none-match") == served.etag
        || served.last_modified.is_some() && header("if-modified-since") == served.last_modified;
    let status = match served.mode {
        Mode::Hang => 0,
        Mode::Status(s) => s,
        _ if not_modified => 304,
        _ => 200,
    };
    seen.lock().expect("seen").push(Seen {
        line: line.trim_end().to_string(),
        headers: headers.clone(),
        status,
    });
    let mut stream = stream;
    if served.mode == Mode::Hang {
        held.lock().expect("held").push(stream);
        return Ok(());
    }
    let mut head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    if let Some(etag) = &served.etag {
        head.push_str(&format!("ETag: {etag}\r\n"));
    }
    if let Some(lm) = &served.last_modified {
        head.push_str(&format!("Last-Modified: {lm}\r\n"));
    }
    let body: &[u8] = if status == 200 { &served.body } else { b"" };
    if served.mode != Mode::NoLength || status != 200 {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    // A client that stops reading (the size cap) is not an error of the server's.
    let _ = stream.write_all(body);
    stream.flush()
}

/// A port where nothing listens: bound, then released.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
