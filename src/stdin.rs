//! Reading piped standard input: capped, so `errdex` on an endless stream neither hangs nor fills memory.

use std::io::Read;

/// At most this much of standard input is read.
pub const MAX_STDIN_BYTES: u64 = 1024 * 1024;

/// Reads up to `MAX_STDIN_BYTES`; returns the text (invalid UTF-8 replaced) and whether input was cut.
pub fn read_capped(input: impl Read) -> std::io::Result<(String, bool)> {
    let mut bytes = Vec::new();
    input.take(MAX_STDIN_BYTES + 1).read_to_end(&mut bytes)?;
    let cut = bytes.len() as u64 > MAX_STDIN_BYTES;
    bytes.truncate(MAX_STDIN_BYTES as usize);
    // A cut may split a character; lossy decoding turns the stub into one replacement character.
    Ok((String::from_utf8_lossy(&bytes).into_owned(), cut))
}

#[cfg(test)]
mod tests {
    #[test]
    fn input_is_capped_and_says_so() {
        let big = vec![b'a'; super::MAX_STDIN_BYTES as usize + 10];
        let (text, cut) = super::read_capped(&big[..]).expect("read");
        assert!(cut);
        assert_eq!(text.len() as u64, super::MAX_STDIN_BYTES);
        let (text, cut) = super::read_capped(&b"small"[..]).expect("read");
        assert_eq!((text.as_str(), cut), ("small", false));
    }
}
