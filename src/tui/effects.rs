//! Carrying out what `update` asked for: the clipboard and the system URL opener.

use base64::Engine;
use std::io::Write;

/// OSC 52 sets the terminal's clipboard, locally or over SSH. The text was sanitized by `update`, and base64
/// cannot carry an escape sequence.
pub fn copy(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Opens an http(s) URL with the platform's opener, detached; its output never reaches our screen.
pub fn open(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_carries_base64() {
        let mut out = Vec::new();
        super::copy(&mut out, "docker buildx build --platform linux/arm64 .").expect("write");
        let s = String::from_utf8(out).expect("utf8");
        assert_eq!(
            s,
            "\x1b]52;c;ZG9ja2VyIGJ1aWxkeCBidWlsZCAtLXBsYXRmb3JtIGxpbnV4L2FybTY0IC4=\x07"
        );
    }
}
