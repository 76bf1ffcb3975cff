//! Writes the browser's layout back into the configuration file, when there is one, so the panes the user
//! chose (T, Z, =) are there next time. The file is edited in place with `toml_edit`, keeping its comments
//! and every other key, and replaced atomically (a temporary file renamed over it).

use crate::tui::layout::{Panes, Split};
use std::path::Path;

/// Sets `[layout]` in the file at `path` to `panes`.
pub fn panes(path: &Path, panes: &Panes) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| std::io::Error::other(e.to_string()))?;
    let split = match panes.split {
        Split::Narrow => 30,
        Split::Default => 40,
        Split::Even => 50,
    };
    let layout = doc
        .entry("layout")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(table) = layout.as_table_mut() else {
        return Err(std::io::Error::other("`layout` is not a table"));
    };
    table["tester"] = toml_edit::value(panes.tester);
    table["detail"] = toml_edit::value(panes.detail);
    table["split"] = toml_edit::value(split);
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, doc.to_string())?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_written_in_place_keeping_comments_and_other_keys() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "# mine\nlang = \"zh\" # keep\n\n[layout]\nsplit = 30\n",
        )
        .expect("write");
        let chosen = Panes {
            tester: false,
            detail: true,
            split: Split::Even,
        };
        panes(&path, &chosen).expect("remember");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("# mine\nlang = \"zh\" # keep\n"), "{text}");
        let read = crate::config::parse(&text, dir.path()).expect("parses");
        assert_eq!(read.config.panes, Some(chosen));
        assert_eq!(read.config.lang, Some(crate::catalog::Lang::Zh));
    }
}
