//! Which catalogue regexes can match a message, found without running them.
//!
//! Most catalogue regexes require some literal text (`ModuleNotFoundError: No module named '`), and a match
//! must contain it. One Aho-Corasick scan of the message for every such literal leaves only the records whose
//! literal occurs; records whose regex requires no literal are always candidates. Candidates are a superset
//! of the matching records (tested against running every regex), so lookup stays exact.
//!
//! Case: regexes are compiled case-insensitively with Unicode simple case folding, where an ASCII letter also
//! matches two non-ASCII characters (KELVIN SIGN matches `k`, LONG S matches `s`; tested against the regex
//! crate). The scan is ASCII case-insensitive over the message with those two characters mapped to their
//! ASCII twins, and literals are cut at non-ASCII characters, which keeps every real match visible.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_syntax::hir::{Hir, HirKind};
use std::borrow::Cow;

/// Alternatives a required-literal set may hold before it is not worth scanning for.
const MAX_ALTERNATIVES: usize = 16;

/// Non-ASCII characters that a case-insensitive ASCII letter matches, with that letter.
const FOLDS_TO_ASCII: [(char, char); 2] = [('\u{212a}', 'k'), ('\u{17f}', 's')];

pub struct Prefilter {
    /// Every distinct required literal, lower-cased; `None` when no record has one.
    scanner: Option<AhoCorasick>,
    /// For each literal of `scanner`, the records requiring it.
    owners: Vec<Vec<u32>>,
    /// Records whose regex requires no literal: candidates for every message.
    always: Vec<u32>,
}

impl Prefilter {
    /// `patterns` are the usable records' (index, regex) pairs.
    pub fn new<'a>(patterns: impl Iterator<Item = (usize, &'a str)>) -> Prefilter {
        Prefilter::of_required(patterns.map(|(record, p)| (record, required_literals(p))))
    }

    /// `required` are the usable records' indices with their regexes' `required_literals`.
    pub fn of_required(required: impl Iterator<Item = (usize, Option<Vec<Vec<u8>>>)>) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut slot: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut always = Vec::new();
        for (record, required) in required {
            let Some(required) = required else {
                always.push(record as u32);
                continue;
            };
            for literal in required {
                let next = literals.len();
                let at = *slot.entry(literal.clone()).or_insert(next);
                if at == next {
                    literals.push(literal);
                    owners.push(Vec::new());
                }
                if owners[at].last() != Some(&(record as u32)) {
                    owners[at].push(record as u32);
                }
            }
        }
        let scanner = if literals.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .ok()
        };
        if scanner.is_none() {
            // Without a scanner every record must be tried.
            always.extend(owners.iter().flatten().copied());
            always.sort_unstable();
            always.dedup();
            owners.clear();
        }
        Prefilter {
            scanner,
            owners,
            always,
        }
    }

    /// Records whose regex may match `message` (sorted, unique), excluding the `always` ones.
    pub fn candidates(&self, message: &str) -> Vec<usize> {
        let Some(scanner) = &self.scanner else {
            return Vec::new();
        };
        let haystack = ascii_twins(message);
        let mut seen = vec![false; self.owners.len()];
        let mut out: Vec<usize> = Vec::new();
        for m in scanner.find_overlapping_iter(haystack.as_bytes()) {
            let p = m.pattern().as_usize();
            if !std::mem::replace(&mut seen[p], true) {
                out.extend(self.owners[p].iter().map(|&r| r as usize));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Records that are candidates for every message.
    pub fn always(&self) -> impl Iterator<Item = usize> + '_ {
        self.always.iter().map(|&r| r as usize)
    }
}

/// The message with the characters that case-fold to ASCII letters replaced by those letters.
fn ascii_twins(message: &str) -> Cow<'_, str> {
    if message.is_ascii()
        || !message
            .chars()
            .any(|c| FOLDS_TO_ASCII.iter().any(|f| f.0 == c))
    {
        return Cow::Borrowed(message);
    }
    Cow::Owned(
        message
            .chars()
            .map(|c| FOLDS_TO_ASCII.iter().find(|f| f.0 == c).map_or(c, |f| f.1))
            .collect(),
    )
}

/// Literals (lower-case ASCII) of which every match of `pattern` contains at least one; `None` when the
/// pattern guarantees no literal text (`\d+`, `(?i)x`, an unparsable pattern).
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    required_literals_of(&parse(pattern)?)
}

/// A catalogue regex as lookup compiles it (before case folding), or `None` when it does not parse.
pub fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .nest_limit(crate::catalog::parse::REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .ok()
}

/// `required_literals` of a parsed pattern.
pub fn required_literals_of(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut set = required(hir)?;
    for literal in &mut set {
        literal.make_ascii_lowercase();
    }
    set.sort_unstable();
    set.dedup();
    Some(set)
}

fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(l) => longest_ascii_run(&l.0).map(|run| vec![run]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => required(&r.sub),
        // Any one part's literal is required; the part whose shortest alternative is longest filters best.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required)
            .max_by_key(|set| set.iter().map(Vec::len).min().unwrap_or(0)),
        // Every branch must require something; the match contains one branch's literal.
        HirKind::Alternation(alts) => {
            let mut union = Vec::new();
            for alt in alts {
                union.extend(required(alt)?);
            }
            (union.len() <= MAX_ALTERNATIVES).then_some(union)
        }
        _ => None,
    }
}

/// The longest run of ASCII characters of a literal (a match shows that run up to ASCII case).
fn longest_ascii_run(bytes: &[u8]) -> Option<Vec<u8>> {
    bytes
        .split(|b| !b.is_ascii())
        .max_by_key(|run| run.len())
        .filter(|run| !run.is_empty())
        .map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .collect()
        })
    }

    #[test]
    fn required_literals_of_typical_catalogue_regexes() {
        assert_eq!(
            lits(r"ModuleNotFoundError: No module named '[^']+'").as_deref(),
            Some(&["modulenotfounderror: no module named '".to_string()][..])
        );
        assert_eq!(
            lits(r"exec .*: exec format error").as_deref(),
            Some(&[": exec format error".to_string()][..])
        );
        assert_eq!(
            lits(r"(ENOSPC|no space left)").as_deref(),
            Some(&["enospc".to_string(), "no space left".to_string()][..])
        );
        assert_eq!(lits(r"\d+"), None);
        assert_eq!(lits(r"(optional)?"), None);
        assert_eq!(lits(r"(a|\d)"), None, "one branch requires nothing");
        assert_eq!(lits(r"(?i)ab"), None, "case classes are not literals");
        assert_eq!(
            lits(r"找不到模块 'x(y)+'").as_deref(),
            Some(&[" 'x".to_string()][..])
        );
        assert_eq!(lits("(unclosed"), None);
    }

    #[test]
    fn candidates_are_the_records_whose_literal_occurs() {
        let patterns = [
            (0, r"No module named '\w+'"),
            (1, r"\d+ errors?"),
            (2, r"(EACCES|permission denied)"),
            (3, r"[0-9]+"),
        ];
        let p = Prefilter::new(patterns.into_iter());
        assert_eq!(p.always().collect::<Vec<_>>(), [3]);
        assert_eq!(p.candidates("PERMISSION DENIED, 2 Errors"), [1, 2]);
        assert_eq!(p.candidates("no module NAMED 'x'"), [0]);
        assert!(p.candidates("all good").is_empty());
        // KELVIN SIGN and LONG S match `k` and `s` case-insensitively, so they count as those letters.
        assert_eq!(
            p.candidates("No module named 'x'".replace('s', "\u{17f}").as_str()),
            [0]
        );
        assert_eq!(p.candidates("eacce\u{17f}"), [2]);
    }

    /// The folding assumption, checked against the regex crate itself: the only non-ASCII characters a
    /// case-insensitive ASCII letter matches are the two in `FOLDS_TO_ASCII`.
    #[test]
    fn only_kelvin_and_long_s_fold_to_ascii_letters() {
        let letters = regex::RegexBuilder::new("^[a-z]$")
            .case_insensitive(true)
            .build()
            .expect("regex");
        let mut buf = [0u8; 4];
        let found: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| letters.is_match(c.encode_utf8(&mut buf)))
            .collect();
        let mut expected: Vec<char> = FOLDS_TO_ASCII.iter().map(|f| f.0).collect();
        expected.sort_unstable();
        assert_eq!(found, expected);
        for (c, ascii) in FOLDS_TO_ASCII {
            let re = regex::RegexBuilder::new(&ascii.to_string())
                .case_insensitive(true)
                .build()
                .expect("regex");
            assert!(re.is_match(c.encode_utf8(&mut buf)));
        }
    }
}
