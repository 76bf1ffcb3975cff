//! Why the browser could not run or stopped early, as a type: the command layer maps it to a message and an
//! exit code (`commands::error`).

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// Raw mode, the alternate screen or the signal thread could not be set up.
    #[error("cannot take over the terminal: {0}")]
    Setup(#[source] io::Error),
    /// Drawing or reading keys failed after start (the terminal went away, a write failed).
    #[error("the terminal stopped working: {0}")]
    Io(#[from] io::Error),
    /// The thread loading the catalogue panicked; the panic hook has restored the terminal and said why.
    #[error("loading the catalogue failed (see the message above)")]
    LoaderPanicked,
}
