//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` beside the project, which developers and CI have and users do not. Tests that need it print
/// a notice and pass when it is absent.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(sub);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("notice: {} is absent; skipping this test", path.display());
        None
    }
}

pub fn repo(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(sub)
}
