//! A catalogue regex compiled for matching. As lookup compiles every regex (`regex_facts::compile`:
//! case-insensitive, Unicode classes), or, for a one-off lookup of ASCII text, without Unicode when that
//! finds exactly the same matches: compiling a Unicode `\w` or `[^']` case-insensitively took two thirds of
//! the compile, and the compile a fifth of a one-off lookup in the embedded catalogue.
//!
//! On ASCII text, an ASCII pattern finds the same matches either way: Unicode's `\w`, `\d`, `\s`, `\b` and
//! case folding differ from ASCII's only on other characters (an ASCII letter also folds to the Kelvin sign
//! or the long s, absent from ASCII text). A non-ASCII pattern may not (the Kelvin sign in a pattern matches
//! `k`), and a pattern whose Unicode classes pass the size limit compiles in ASCII but not with Unicode: so
//! only patterns the build compiled with Unicode (`embedded::compiles_ascii`) are compiled for ASCII.

use crate::catalog::{embedded, regex_facts};
use std::ops::Range;

pub enum Matcher {
    Unicode(regex::Regex),
    /// For ASCII text only.
    Ascii(regex::bytes::Regex),
}

impl Matcher {
    /// `pattern` compiled for text that is all ASCII when `ascii_text`, for any text otherwise; `None` when
    /// it does not compile (as lookup compiles it).
    pub fn compile(pattern: &str, ascii_text: bool) -> Option<Matcher> {
        if ascii_text && embedded::compiles_ascii(pattern) {
            // `\p{..}` and the like do not compile without Unicode: compiled with it, then.
            if let Ok(re) = regex_facts::compile_ascii(pattern) {
                return Some(Matcher::Ascii(re));
            }
        }
        regex_facts::compile(pattern).ok().map(Matcher::Unicode)
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Unicode(re) => re.is_match(text),
            Matcher::Ascii(re) => {
                debug_assert!(text.is_ascii());
                re.is_match(text.as_bytes())
            }
        }
    }

    /// Where the successive matches are in `text`, as byte ranges.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> Box<dyn Iterator<Item = Range<usize>> + 't> {
        match self {
            Matcher::Unicode(re) => Box::new(re.find_iter(text).map(|m| m.range())),
            Matcher::Ascii(re) => {
                debug_assert!(text.is_ascii());
                Box::new(re.find_iter(text.as_bytes()).map(|m| m.range()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn ranges(m: &Matcher, text: &str) -> Vec<Range<usize>> {
        m.find_iter(text).collect()
    }

    /// Every seed regex compiled for ASCII finds what it finds compiled with Unicode, on ASCII text: the
    /// seeds' signatures and aliases as written, in upper and lower case, and with a word or two around.
    #[test]
    fn seed_regexes_match_the_same_for_ascii_text() {
        let c = Catalog::embedded();
        let texts: Vec<String> = c
            .iter()
            .flat_map(|r| std::iter::once(&r.signature).chain(&r.aliases))
            .filter(|t| t.is_ascii())
            .flat_map(|t| {
                [
                    t.clone(),
                    t.to_uppercase(),
                    t.to_lowercase(),
                    format!("error: {t}\n\tat x (y.js:1:2)"),
                ]
            })
            .collect();
        let mut ascii = 0;
        for (k, r) in c.iter().enumerate() {
            let Some(fast @ Matcher::Ascii(_)) = Matcher::compile(&r.regex, true) else {
                continue;
            };
            ascii += 1;
            let unicode = Matcher::compile(&r.regex, false).expect("compiles");
            assert!(matches!(unicode, Matcher::Unicode(_)));
            // Each regex on its own texts and on a stride of the others'.
            for text in texts.iter().skip(k % 7).step_by(7) {
                assert_eq!(
                    ranges(&fast, text),
                    ranges(&unicode, text),
                    "{:?} on {text:?}",
                    r.regex
                );
                assert_eq!(fast.is_match(text), unicode.is_match(text));
            }
        }
        assert!(ascii > 500, "{ascii} seed regexes compiled for ASCII");
    }

    /// Only a regex the build compiled with Unicode is compiled for ASCII: a Unicode class can pass the size
    /// limit where the ASCII one does not, and a non-ASCII letter can match an ASCII one.
    #[test]
    fn other_regexes_are_compiled_with_unicode() {
        let too_big = r"(?:\w+\s){50}x";
        assert!(
            regex_facts::compile_ascii(too_big).is_ok(),
            "fits without Unicode"
        );
        assert!(Matcher::compile(too_big, true).is_none());
        let kelvin = Matcher::compile("\u{212a}elvin", true).expect("compiles");
        assert!(matches!(kelvin, Matcher::Unicode(_)));
        assert_eq!(ranges(&kelvin, "a kelvin"), vec![(2..8)]);
        let seed =
            r"ModuleNotFoundError: No module named '[^']+'|ImportError: No module named '?[\w.]+";
        assert!(matches!(
            Matcher::compile(seed, true),
            Some(Matcher::Ascii(_))
        ));
        assert!(matches!(
            Matcher::compile(seed, false),
            Some(Matcher::Unicode(_))
        ));
    }
}
