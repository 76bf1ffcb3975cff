//! Which URLs a sync may fetch: https, or plain http to this machine (localhost, 127.0.0.1, ::1) or when the
//! user asked for it (`--allow-http`).

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("{0}: not a URL")]
    Invalid(String),
    #[error("{0}: only https:// and http:// URLs can be synced")]
    Scheme(String),
    #[error("{0}: plain http is only used for localhost; use https, or pass --allow-http")]
    PlainHttp(String),
}

/// Checks `url`; `Ok(true)` when it is plain http to this machine.
pub fn check(url: &str, allow_http: bool) -> Result<bool, UrlError> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| UrlError::Invalid(url.to_string()))?;
    let host = uri
        .host()
        .ok_or_else(|| UrlError::Invalid(url.to_string()))?;
    match uri.scheme_str() {
        Some("https") => Ok(false),
        Some("http") => {
            let local = matches!(
                host.trim_start_matches('[').trim_end_matches(']'),
                "localhost" | "127.0.0.1" | "::1"
            );
            if local || allow_http {
                Ok(local)
            } else {
                Err(UrlError::PlainHttp(url.to_string()))
            }
        }
        _ => Err(UrlError::Scheme(url.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_locally() {
        assert_eq!(
            check("https://deadends.dev/api/v1/errors.ndjson", false),
            Ok(false)
        );
        assert_eq!(check("http://127.0.0.1:8080/x.jsonl", false), Ok(true));
        assert_eq!(check("http://localhost/x.jsonl", false), Ok(true));
        assert_eq!(check("http://[::1]:9/x.jsonl", false), Ok(true));
        assert!(matches!(
            check("http://example.com/x.jsonl", false),
            Err(UrlError::PlainHttp(_))
        ));
        assert_eq!(check("http://example.com/x.jsonl", true), Ok(false));
        assert!(matches!(
            check("ftp://example.com/x", false),
            Err(UrlError::Scheme(_))
        ));
        assert!(matches!(
            check("not a url", false),
            Err(UrlError::Invalid(_))
        ));
        // A user name that looks like localhost does not make the host local.
        assert!(matches!(
            check("http://localhost@example.com/x", false),
            Err(UrlError::PlainHttp(_))
        ));
    }
}
