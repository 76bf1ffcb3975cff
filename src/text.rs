//! Text from a catalogue or a pasted log is untrusted: everything drawn or printed to a terminal passes
//! through `sanitize` first. Also width-aware helpers shared by CLI output and views.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const TAB_STOP: usize = 4;

/// Removes escape sequences (CSI, OSC, DCS, SOS, PM, APC, in their 7-bit and 8-bit forms), C0 and C1
/// controls other than newline, DEL, bidi overrides and zero-width characters; expands tabs. Newlines stay.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_care) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut column = 0;
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                out.push('\n');
                column = 0;
                continue;
            }
            '\t' => {
                let n = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
                continue;
            }
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if needs_care(c) => {}
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

/// `sanitize`, then newlines folded to spaces: for one-line places such as list rows.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    match sanitize(s) {
        Cow::Borrowed(b) if !b.contains('\n') => Cow::Borrowed(b),
        other => Cow::Owned(other.replace('\n', " ")),
    }
}

fn needs_care(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{200b}'..='\u{200f}' // zero-width space/joiners, LRM, RLM
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{061c}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Skips a control sequence's parameters and its final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Skips a control string up to its terminator: BEL, ST (ESC \) or 8-bit ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Text longer than this is cut for display: a 10 MB field must not cost every frame a 10 MB wrap.
pub const DISPLAY_MAX_CHARS: usize = 20_000;

/// Cuts text to `max` characters, saying how much was left out.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((i, _)) => Cow::Owned(format!(
            "{}… (+{} more characters)",
            &s[..i],
            s[i..].chars().count()
        )),
    }
}

/// JSON for a terminal: serde_json escapes C0 controls but passes C1 controls, bidi overrides, zero-width
/// characters and line separators through raw; those are escaped too (`\uXXXX`), which is still valid JSON
/// and reads back to the same value.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    let risky = |c: char| needs_care(c) || matches!(c, '\u{2028}' | '\u{2029}');
    if !json.chars().any(risky) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Display width in terminal columns (CJK counts two).
pub fn width(s: &str) -> usize {
    s.width()
}

/// Cuts `s` to at most `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.width() <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Wraps text to `max` columns: at spaces where it can, inside a word when a word is wider than a line
/// (CJK text has no spaces, so it breaks between characters). Newlines start new lines.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ') {
            let w = word.width();
            if used > 0 {
                if used + 1 + w <= max || (w > max && used + 1 < max) {
                    line.push(' ');
                    used += 1;
                } else {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
            if used + w <= max {
                line.push_str(word);
                used += w;
                continue;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > max && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        lines.push(line);
    }
    lines
}

/// Formats a rate in 0..1 as a whole percentage.
pub fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// Lower-case words of two or more characters (CJK characters count one by one).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, &mut String::new(), |w| out.push(w.to_string()));
    out
}

/// `words`, each lent to `f` in turn from `buf`, allocating nothing once `buf` is grown: building the index
/// allocated a string per word of every signature, most of its time.
pub fn each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    let mut chars = 0;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            buf.push(c.to_ascii_lowercase());
            chars += 1;
        } else if !c.is_ascii() && c.is_alphanumeric() && !is_cjk(c) {
            let before = buf.len();
            buf.extend(c.to_lowercase());
            chars += buf[before..].chars().count();
        } else {
            if chars >= 2 {
                f(buf);
            }
            buf.clear();
            chars = 0;
            if !c.is_ascii() && is_cjk(c) {
                f(c.encode_utf8(&mut [0; 4]));
            }
        }
    }
    if chars >= 2 {
        f(buf);
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3040}'..='\u{30ff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("plain 文本\nline"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_and_controls_are_removed() {
        let cases = [
            ("a\u{1b}[31mred\u{1b}[0m", "ared"),
            ("x\u{1b}]52;c;SGVsbG8=\u{7}y", "xy"),
            (
                "x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y",
                "xlinky",
            ),
            ("a\u{1b}P1$r\u{1b}\\b", "ab"),
            ("a\u{9b}2Jb", "ab"),
            ("a\u{9d}0;title\u{9c}b", "ab"),
            ("a\u{7}\u{8}\u{7f}\u{85}b\r", "ab"),
            ("a\u{202e}b\u{200b}c\u{feff}", "abc"),
            ("\u{1b}", ""),
            ("a\u{1b}[", "a"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "{input:?}");
        }
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize("a\tb"), "a   b");
        assert_eq!(sanitize("\tx\n\ty"), "    x\n    y");
    }

    #[test]
    fn line_form_folds_newlines() {
        assert_eq!(sanitize_line("a\nb"), "a b");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_or_cjk_words() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(
            wrap("容器镜像是为不同架构构建的", 8),
            ["容器镜像", "是为不同", "架构构建", "的"]
        );
        assert_eq!(wrap("a\n\nb", 5), ["a", "", "b"]);
        for line in wrap("混合 mixed 文本 text with 很长的中文句子没有空格", 7) {
            assert!(line.width() <= 7, "{line:?}");
        }
    }

    #[test]
    fn json_for_terminal_escapes_what_serde_leaves_raw_and_stays_valid() {
        let value = serde_json::json!({"s": "a\u{9b}31m\u{202e}b\u{1b}[0m\u{2028}"});
        let json = serde_json::to_string(&value).expect("json");
        let safe = json_for_terminal(&json);
        assert!(
            !safe
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}' || c == '\u{2028}'),
            "{safe}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).expect("valid"),
            value
        );
    }

    #[test]
    fn clip_says_how_much_was_cut() {
        assert_eq!(clip("abcdef", 3), "abc… (+3 more characters)");
        assert_eq!(clip("abc", 3), "abc");
    }

    #[test]
    fn truncate_counts_wide_characters() {
        assert_eq!(truncate("错误信息", 5), "错误…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
    }
}
