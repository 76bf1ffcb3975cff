//! UI strings in each language, from `assets/i18n/*.json` compiled into the binary.

use crate::catalog::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

static EN: &str = include_str!("../assets/i18n/en.json");
static ZH: &str = include_str!("../assets/i18n/zh.json");

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static TABLES: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        // Both files are ours and covered by tests; a broken one shows keys instead of crashing.
        let parse = |s: &str| serde_json::from_str(s).unwrap_or_default();
        [parse(EN), parse(ZH)]
    });
    &tables[lang as usize]
}

/// The UI string `key` in `lang`, else in English, else the key itself (so a gap is visible, not fatal).
pub fn t(lang: Lang, key: &str) -> &str {
    table(lang)
        .get(key)
        .or_else(|| table(Lang::En).get(key))
        .map_or(key, String::as_str)
}

/// Every key of a language's table (for tests that both languages agree).
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut keys: Vec<&str> = table(lang).keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        assert!(!keys(Lang::En).is_empty());
        assert_eq!(keys(Lang::En), keys(Lang::Zh));
    }

    #[test]
    fn lookup_falls_back_to_the_key() {
        assert_eq!(t(Lang::Zh, "tab.overview"), "概览");
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
    }
}
