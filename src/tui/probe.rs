//! Asks the terminal for its background colour (OSC 11), to pick the light theme on a light background.
//!
//! The question is followed by a device-attributes request (DA1), which every terminal answers, so a terminal
//! that ignores OSC 11 costs one round trip rather than the whole timeout. `COLORFGBG` (set by rxvt and
//! Konsole) answers without asking.

use std::time::Duration;

/// How long to wait for the answers: a local terminal answers in a few milliseconds, ssh in a round trip.
/// `ERRDEX_TERMINAL_TIMEOUT_MS` sets it for slow links (and for tests, which answer by hand).
fn patience() -> Duration {
    std::env::var("ERRDEX_TERMINAL_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_millis(150), Duration::from_millis)
}

/// Whether the terminal's background is light; false when it cannot tell.
pub fn background_is_light() -> bool {
    if let Some(light) = std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| colorfgbg_is_light(&v))
    {
        return light;
    }
    ask_terminal()
        .and_then(|answer| osc11_luminance(&answer))
        .is_some_and(|l| l > 0.5)
}

/// `COLORFGBG` is `fg;bg` (sometimes `fg;default;bg`) in palette numbers: 7 and 9 to 15 are light
/// backgrounds except 8 (grey).
fn colorfgbg_is_light(value: &str) -> Option<bool> {
    let bg: u8 = value.rsplit(';').next()?.parse().ok()?;
    Some(bg == 7 || (9..=15).contains(&bg))
}

/// The relative luminance (0 to 1) of an OSC 11 answer: `ESC ] 11 ; rgb:RRRR/GGGG/BBBB` with 1 to 4 hex
/// digits a channel, ended by BEL or ST.
fn osc11_luminance(answer: &[u8]) -> Option<f64> {
    let text = String::from_utf8_lossy(answer);
    let start = text.find("]11;rgb:")? + "]11;rgb:".len();
    let rest = &text[start..];
    let end = rest.find(['\x07', '\x1b']).unwrap_or(rest.len());
    let channels: Vec<f64> = rest[..end]
        .split('/')
        .map(|c| {
            let digits = c.get(..c.len().min(4))?;
            let max = (1u32 << (4 * digits.len() as u32)) - 1;
            u32::from_str_radix(digits, 16)
                .ok()
                .map(|v| v as f64 / max as f64)
        })
        .collect::<Option<_>>()?;
    let [r, g, b] = channels[..] else {
        return None;
    };
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b)
}

/// Writes the two questions to the controlling terminal in raw mode and reads until the DA1 answer ends
/// (`ESC [ ? ... c`) or the patience runs out. Unix only.
#[cfg(unix)]
fn ask_terminal() -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    crossterm::terminal::enable_raw_mode().ok()?;
    let answer = (|| {
        tty.write_all(b"\x1b]11;?\x1b\\\x1b[c").ok()?;
        tty.flush().ok()?;
        let deadline = std::time::Instant::now() + patience();
        let mut answer = Vec::new();
        let mut buf = [0u8; 256];
        while !da1_ended(&answer) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            let mut poll = libc::pollfd {
                fd: tty.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, for the length given.
            let ready = unsafe { libc::poll(&mut poll, 1, left.as_millis() as libc::c_int) };
            if ready <= 0 {
                break;
            }
            let n = tty.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        Some(answer)
    })();
    let _ = crossterm::terminal::disable_raw_mode();
    answer
}

#[cfg(not(unix))]
fn ask_terminal() -> Option<Vec<u8>> {
    None
}

/// Whether the bytes hold a complete DA1 answer, `ESC [ ? digits and ; c`.
fn da1_ended(bytes: &[u8]) -> bool {
    let Some(at) = bytes.windows(3).rposition(|w| w == b"\x1b[?") else {
        return false;
    };
    bytes[at + 3..]
        .iter()
        .find(|b| !b.is_ascii_digit() && **b != b';')
        == Some(&b'c')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_whatever_their_digits_and_terminator() {
        let white = osc11_luminance(b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;c").unwrap();
        assert!((white - 1.0).abs() < 1e-9);
        let black = osc11_luminance(b"\x1b]11;rgb:0000/0000/0000\x07").unwrap();
        assert!(black.abs() < 1e-9);
        // Solarized light's base3 in two-digit channels.
        let solarized = osc11_luminance(b"\x1b]11;rgb:fd/f6/e3\x07").unwrap();
        assert!(solarized > 0.9);
        assert_eq!(osc11_luminance(b"\x1b[?1;2c"), None);
        assert_eq!(osc11_luminance(b"\x1b]11;rgb:zz/00/00\x07"), None);
    }

    #[test]
    fn the_device_attributes_answer_ends_the_wait() {
        assert!(da1_ended(
            b"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?64;1;2;6;22c"
        ));
        assert!(!da1_ended(b"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?64;1"));
        assert!(!da1_ended(b""));
    }

    #[test]
    fn colorfgbg_names_the_background_last() {
        assert_eq!(colorfgbg_is_light("0;15"), Some(true));
        assert_eq!(colorfgbg_is_light("15;0"), Some(false));
        assert_eq!(colorfgbg_is_light("0;default;7"), Some(true));
        assert_eq!(colorfgbg_is_light("15;8"), Some(false));
        assert_eq!(colorfgbg_is_light("x"), None);
    }
}
