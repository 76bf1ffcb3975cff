//! Embeds every record under `seeds/` into the binary, so an installed errdex works anywhere.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    let mut files = Vec::new();
    collect(Path::new("seeds"), &mut files);
    files.sort();
    let mut out = String::from(
        "/// Every seed file, as (path, text), in path order.\npub static SEEDS: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let rel = f.to_string_lossy().replace('\\', "/");
        let abs = fs::canonicalize(f).expect("seed path");
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            abs.to_string_lossy()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("seeds.rs");
    fs::write(dest, out).expect("write seeds.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}
