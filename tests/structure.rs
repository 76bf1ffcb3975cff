//! The source files depend on each other top-down, with no cycles: a cycle means two files that can only be
//! read, changed and tested together. Edges are the `crate::`/`super::`/`self::` paths a file names outside its
//! test module; a path to an item re-exported by a `mod.rs` leads to the file that defines it, and a `mod.rs`'s
//! own `pub use` re-exports are not dependencies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A file's module path from the crate root: `src/tui/app.rs` is `["tui", "app"]`, `src/tui/mod.rs` `["tui"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments, string literals and the test module (which may reach anywhere).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_str = false;
        for c in line.chars() {
            if c == '"' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into full paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or("").to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |s| format!("{prefix}{s}")))
        .collect()
}

/// The paths a file names: whole use trees, and `crate::`/`super::` paths in expressions and types.
fn paths(code: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let after = &rest[at + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            let public = rest[..at].trim_end().ends_with("pub");
            out.extend(expand(&after[..end]).into_iter().map(|p| (public, p)));
        }
        rest = &after[end.min(after.len())..];
    }
    for (at, _) in code.match_indices("::") {
        let start = code[..at]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let end = code[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(code.len(), |i| at + i);
        let path = &code[start..end];
        // A path ending in `::` opens a use group, which the use trees above expand.
        if (path.starts_with("crate::") || path.starts_with("super::")) && !path.ends_with("::") {
            out.push((false, path.to_string()));
        }
    }
    out
}

struct Tree {
    /// Module path to file.
    modules: BTreeMap<Vec<String>, PathBuf>,
    /// A `mod.rs`'s re-exports: item name to the path it re-exports.
    reexports: BTreeMap<Vec<String>, BTreeMap<String, String>>,
}

impl Tree {
    /// The file a path (already made absolute) leads to: the deepest module it names, following a `mod.rs`'s
    /// re-export of the item after it.
    fn resolve(&self, path: &[String], hops: usize) -> Option<PathBuf> {
        let depth = (0..=path.len())
            .rev()
            .find(|&n| self.modules.contains_key(&path[..n]))?;
        let module = &path[..depth];
        let reexported = (path.get(depth), self.reexports.get(module));
        if let (Some(item), Some(re)) = reexported
            && let Some(target) = re.get(item)
            && hops < 8
        {
            return self.resolve(&absolute(module, target), hops + 1);
        }
        self.modules.get(module).cloned()
    }
}

/// A path as segments from the crate root, seen from `module`. `self` is the module, `super` its parent
/// (for `tui/app.rs` and `tui/mod.rs` alike); a path with neither names a child of the module, or another
/// crate (which then resolves to the module itself and is dropped).
fn absolute(module: &[String], path: &str) -> Vec<String> {
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut base = module.to_vec();
    if segments.peek() == Some(&"crate") {
        segments.next();
        base.clear();
    }
    while let Some(&s) = segments.peek() {
        match s {
            "self" => {}
            "super" => {
                base.pop();
            }
            _ => break,
        }
        segments.next();
    }
    base.extend(segments.map(str::to_string));
    base
}

fn graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    all.retain(|f| !f.ends_with("main.rs"));
    let mut tree = Tree {
        modules: BTreeMap::new(),
        reexports: BTreeMap::new(),
    };
    let mut sources = BTreeMap::new();
    for file in &all {
        let text = std::fs::read_to_string(file).expect("read a source file");
        let module = module_of(&src, file);
        let is_dir = file.ends_with("mod.rs") || file.ends_with("lib.rs");
        let code = code(&text);
        if is_dir {
            let re = tree.reexports.entry(module.clone()).or_default();
            for (public, path) in paths(&code) {
                if public && let Some(item) = path.rsplit("::").next() {
                    re.insert(item.to_string(), path.clone());
                }
            }
        }
        // Inline modules (`pub mod exit { .. }`) live in their file.
        for (at, _) in code.match_indices("mod ") {
            let rest = &code[at + 4..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if rest[name.len()..].trim_start().starts_with('{') {
                let mut inner = module.clone();
                inner.push(name);
                tree.modules.insert(inner, file.clone());
            }
        }
        tree.modules.insert(module.clone(), file.clone());
        sources.insert(file.clone(), (module, is_dir, code));
    }
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (file, (module, is_dir, code)) in &sources {
        let out = edges.entry(file.clone()).or_default();
        for (public, path) in paths(code) {
            if *is_dir && public {
                continue;
            }
            if let Some(to) = tree.resolve(&absolute(module, &path), 0)
                && &to != file
            {
                out.insert(to);
            }
        }
    }
    edges
}

/// A cycle through `from`, if any, as the files on it.
fn cycle(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    // Depth-first search with the path on a stack; a back edge closes a cycle.
    fn visit(
        node: &PathBuf,
        edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        stack: &mut Vec<PathBuf>,
        done: &mut BTreeSet<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut found = stack[at..].to_vec();
            found.push(node.clone());
            return Some(found);
        }
        if !done.insert(node.clone()) {
            return None;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, stack, done) {
                return Some(found);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        let mut stack = Vec::new();
        if let Some(found) = visit(node, edges, &mut stack, &mut done) {
            return Some(found);
        }
    }
    None
}

#[test]
fn no_file_under_src_depends_on_itself_through_others() {
    let mut edges = graph();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let shown = |p: &PathBuf| p.strip_prefix(&src).unwrap_or(p).display().to_string();
    // Every cycle, not only the first: each found is cut at its closing edge and the search runs again.
    let mut cycles = Vec::new();
    while let Some(found) = cycle(&edges) {
        let names: Vec<String> = found.iter().map(shown).collect();
        cycles.push(names.join(" -> "));
        if let [.., from, to] = found.as_slice()
            && let Some(out) = edges.get_mut(from)
        {
            out.remove(to);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_edge_list_sees_known_edges() {
    // The check is only as good as its parser: it must see edges that certainly exist.
    let edges = graph();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let has = |from: &str, to: &str| {
        edges
            .get(&src.join(from))
            .is_some_and(|e| e.contains(&src.join(to)))
    };
    assert!(has("tui/update.rs", "tui/app.rs"));
    assert!(
        has("tui/view/detail.rs", "catalog/record.rs"),
        "through catalog's re-export"
    );
    assert!(
        has("search/lookup.rs", "catalog/mod.rs"),
        "Catalog is defined in catalog/mod.rs"
    );
}

#[test]
fn a_cycle_is_found() {
    let a = PathBuf::from("a.rs");
    let b = PathBuf::from("b.rs");
    let edges = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([a.clone()])),
    ]);
    assert!(cycle(&edges).is_some());
    let edges = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b, BTreeSet::new()),
    ]);
    assert!(cycle(&edges).is_none());
}
