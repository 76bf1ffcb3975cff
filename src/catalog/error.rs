//! Why a catalogue file could not be read, as a type: the loader turns each into the file's diagnostic, and
//! the message says what to do about it.

/// A file the loader could not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", io_reason(.0))]
    Io(#[from] std::io::Error),
    #[error("not a regular file (a device, pipe or socket); skipped")]
    NotAFile,
    #[error(
        "file is {} MiB, over the {} MiB limit; skipped",
        .len.div_ceil(1024 * 1024),
        .limit / (1024 * 1024)
    )]
    TooBig { len: u64, limit: u64 },
}

/// An I/O error as a reason in a diagnostic: lower case, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(40) => "symlink loop".to_string(),
        _ => {
            let text = e.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_was_wrong_and_what_happened() {
        let big = ReadError::TooBig {
            len: 300 * 1024 * 1024 + 1,
            limit: 256 * 1024 * 1024,
        };
        assert_eq!(
            big.to_string(),
            "file is 301 MiB, over the 256 MiB limit; skipped"
        );
        let missing = ReadError::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(missing.to_string(), "entity not found");
        assert_eq!(
            ReadError::NotAFile.to_string(),
            "not a regular file (a device, pipe or socket); skipped"
        );
    }
}
