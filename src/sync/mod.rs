//! `errdex sync`'s engine: fetch a remote catalogue into the data directory so it loads by default. A sync
//! sends the stored validators (ETag, Last-Modified) so an unchanged catalogue costs one small request,
//! streams the body to a hidden temporary file beside the old copy (under a size cap), checks it with the
//! loader and rules `errdex check` uses, and only with no error renames it over the old copy: a failed sync
//! never loses the last good one.

pub mod state;
pub mod url;

use crate::catalog::{Catalog, Severity};
use crate::config::paths;
use crate::config::resolve::Source;
use state::State;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// A body larger than this is refused while it downloads.
pub const MAX_BYTES: u64 = 1 << 30;

/// How a sync talks to the server.
#[derive(Debug, Clone)]
pub struct Options {
    /// For connecting and for each read or write: a server that stops answering fails after this long.
    pub timeout: Duration,
    pub max_bytes: u64,
    /// Plain http to hosts other than localhost.
    pub allow_http: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timeout: Duration::from_secs(30),
            max_bytes: MAX_BYTES,
            allow_http: false,
        }
    }
}

/// What one source's sync did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub source: String,
    pub url: String,
    /// Records in the copy now in use.
    pub records: usize,
    /// Its size in bytes.
    pub bytes: u64,
    /// Whether the copy in use changed (false after a 304 or an identical body).
    pub changed: bool,
}

/// Why a sync failed; the old copy, if any, is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Url(#[from] url::UrlError),
    #[error("{url}: {reason}")]
    Http { url: String, reason: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the catalogue is over the {} limit; refused", size(*.limit))]
    TooLarge { url: String, limit: u64 },
    #[error(
        "{url}: refused, {errors} errors in the catalogue (first: {first}); the old copy is kept"
    )]
    Invalid {
        url: String,
        errors: usize,
        first: String,
    },
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
}

fn io_error(path: &Path, e: &std::io::Error) -> SyncError {
    SyncError::Io {
        path: path.display().to_string(),
        reason: crate::catalog::error::io_reason(e),
    }
}

/// Brings one source's copy up to date in `data` (`$XDG_DATA_HOME/errdex`). `progress` is told the bytes
/// received so far and the total when the server said it.
pub fn sync(
    source: &Source,
    data: &Path,
    options: &Options,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Outcome, SyncError> {
    let local = url::check(&source.url, options.allow_http)?;
    let target = paths::catalog_file(data, &source.name, &source.url);
    let state_file = state::file(data, &source.name);
    let old = State::read(&state_file).filter(|s| s.url == source.url && target.is_file());

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(options.timeout))
        .timeout_per_read(Some(options.timeout))
        .timeout_per_write(Some(options.timeout))
        .http_status_as_error(false)
        // Redirects may not leave https unless plain http was allowed for this URL.
        .https_only(!local && !options.allow_http)
        .user_agent(concat!("errdex/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent.get(&source.url);
    if let Some(old) = &old {
        if let Some(etag) = &old.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &old.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
    }
    let http = |e: ureq::Error| match e {
        ureq::Error::BodyExceedsLimit(_) => SyncError::TooLarge {
            url: source.url.clone(),
            limit: options.max_bytes,
        },
        e => SyncError::Http {
            url: source.url.clone(),
            reason: describe(&e),
        },
    };
    let mut response = request.call().map_err(http)?;
    let status = response.status().as_u16();
    if status == 304
        && let Some(mut old) = old
    {
        old.checked = state::now();
        // The validators stay as they were; failing to note the check time loses nothing.
        let _ = old.write(&state_file);
        return Ok(Outcome {
            source: source.name.clone(),
            url: source.url.clone(),
            records: old.records,
            bytes: old.bytes,
            changed: false,
        });
    }
    if status != 200 {
        return Err(SyncError::Status {
            url: source.url.clone(),
            status,
        });
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let total = header("content-length").and_then(|v| v.parse::<u64>().ok());
    if total.is_some_and(|t| t > options.max_bytes) {
        return Err(SyncError::TooLarge {
            url: source.url.clone(),
            limit: options.max_bytes,
        });
    }

    let dir = paths::catalogs_dir(data);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
    let ext = target
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("jsonl");
    // Hidden (the catalogue walker skips it) and in the same directory (so the rename is atomic).
    let mut part = tempfile::Builder::new()
        .prefix(&format!(".{}.", source.name))
        .suffix(&format!(".part.{ext}"))
        .tempfile_in(&dir)
        .map_err(|e| io_error(&dir, &e))?;
    let mut body = response
        .body_mut()
        .with_config()
        .limit(options.max_bytes)
        .reader();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                let e = e
                    .into_inner()
                    .and_then(|inner| inner.downcast::<ureq::Error>().ok());
                return Err(match e {
                    Some(e) => http(*e),
                    None => SyncError::Http {
                        url: source.url.clone(),
                        reason: "the connection failed while reading".into(),
                    },
                });
            }
        };
        part.write_all(&buf[..n])
            .map_err(|e| io_error(part.path(), &e))?;
        bytes += n as u64;
        progress(bytes, total);
    }
    part.as_file()
        .sync_all()
        .map_err(|e| io_error(part.path(), &e))?;

    let catalog = Catalog::load(false, &[part.path().to_path_buf()]);
    let mut diagnostics = catalog.diagnostics.clone();
    diagnostics.extend(crate::catalog::validate::validate(&catalog));
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first() {
        return Err(SyncError::Invalid {
            url: source.url.clone(),
            errors: errors.len(),
            // Named after the final file, not the temporary one that is about to disappear.
            first: crate::text::sanitize_line(&first.to_string())
                .replace(&part.path().display().to_string(), &source.url),
        });
    }
    let changed = !same_contents(&target, part.path());
    part.persist(&target)
        .map_err(|e| io_error(&target, &e.error))?;
    let now = state::now();
    let new = State {
        url: source.url.clone(),
        etag,
        last_modified,
        synced: now,
        checked: now,
        records: catalog.len(),
        bytes,
    };
    new.write(&state_file)
        .map_err(|e| io_error(&state_file, &e))?;
    Ok(Outcome {
        source: source.name.clone(),
        url: source.url.clone(),
        records: catalog.len(),
        bytes,
        changed,
    })
}

/// A size for people: `512 B`, `3.5 KiB`, `1024.0 MiB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Whether two files hold the same bytes (a server without validators sent the same catalogue again).
fn same_contents(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    ma.len() == mb.len() && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// A transport error in a few words, lower case like the loader's.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "no answer in time (timed out)".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Io(io) => crate::catalog::error::io_reason(io),
        e => crate::text::sanitize_line(&e.to_string()).into_owned(),
    }
}
