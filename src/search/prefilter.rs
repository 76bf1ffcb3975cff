//! Which catalogue regexes can match a message, found without running them.
//!
//! Most catalogue regexes require some literal text (`ModuleNotFoundError: No module named '`), and a match
//! must contain it (`catalog::regex_facts`): all the literals of one of the regex's branches. The longest
//! literal of each branch is its key: finding every key in the message leaves only the records whose key
//! occurs, and of those, a record whose branches ask for more than their key is kept only when one branch has
//! all its literals in the message (`ssl.*error` is no candidate for a message that only says "error").
//! Records whose regex requires no literal are always candidates. Candidates are a superset of the matching
//! records (tested against running every regex), so lookup stays exact.
//!
//! Two ways to find the literals: one Aho-Corasick scan of the message for all of them (built once, for the
//! browser and the MCP server, which look up many messages), or, for one message looked up once, each
//! literal searched in the message directly: building the automaton took longer than the lookup.
//!
//! Case: regexes are compiled case-insensitively with Unicode simple case folding, where an ASCII letter also
//! matches two non-ASCII characters (KELVIN SIGN matches `k`, LONG S matches `s`; tested against the regex
//! crate). The search is ASCII case-insensitive over the message with those two characters mapped to their
//! ASCII twins, and literals hold only ASCII and characters without case, which keeps every real match
//! visible.

use crate::catalog::regex_facts::FOLDS_TO_ASCII;
pub use crate::catalog::regex_facts::{Requirement, parse, required, required_of};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::borrow::Cow;

pub struct Prefilter {
    /// Every distinct required literal (lower-case), and how they are looked for.
    scan: Scan,
    /// For each literal, the records requiring it.
    owners: Vec<Vec<u32>>,
    /// The requirements of the records whose branches hold more than their key, checked whole.
    whole: std::collections::HashMap<u32, Requirement, foldhash::fast::RandomState>,
    /// Records whose regex requires no literal: candidates for every message.
    always: Vec<u32>,
}

enum Scan {
    /// No record requires a literal.
    Nothing,
    Automaton(AhoCorasick),
    /// Each literal searched for in the message, one after the other.
    Direct(Vec<Vec<u8>>),
}

/// How a `Prefilter` will look for its literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Build an automaton: for many messages.
    Automaton,
    /// Search each literal: for one message.
    Direct,
}

impl Prefilter {
    /// `patterns` are the usable records' (index, regex) pairs.
    pub fn new<'a>(patterns: impl Iterator<Item = (usize, &'a str)>) -> Prefilter {
        Prefilter::of_required(
            patterns.map(|(record, p)| (record, required(p))),
            Mode::Automaton,
        )
    }

    /// `required` are the usable records' indices with their regexes' requirements (`regex_facts::required`).
    pub fn of_required(
        required: impl Iterator<Item = (usize, Option<Requirement>)>,
        mode: Mode,
    ) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut slot: std::collections::HashMap<Vec<u8>, usize, foldhash::fast::RandomState> =
            Default::default();
        let mut whole = std::collections::HashMap::default();
        let mut always = Vec::new();
        for (record, required) in required {
            let Some(required) = required else {
                always.push(record as u32);
                continue;
            };
            // Each branch's longest literal (the rarest, most likely).
            let keys: Vec<Vec<u8>> = required
                .iter()
                .filter_map(|branch| {
                    let longest = (0..branch.len()).max_by_key(|&i| branch[i].len())?;
                    Some(branch[longest].clone())
                })
                .collect();
            if required.iter().any(|b| b.len() > 1) {
                whole.insert(record as u32, required);
            }
            for literal in keys {
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
        let scan = if literals.is_empty() {
            Scan::Nothing
        } else if mode == Mode::Direct {
            Scan::Direct(literals)
        } else {
            match AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&literals)
            {
                Ok(ac) => Scan::Automaton(ac),
                Err(_) => Scan::Direct(literals),
            }
        };
        Prefilter {
            scan,
            owners,
            whole,
            always,
        }
    }

    /// Records whose regex may match `message` (sorted, unique), excluding the `always` ones.
    pub fn candidates(&self, message: &str) -> Vec<usize> {
        let haystack = ascii_twins(message);
        let mut out: Vec<usize> = Vec::new();
        match &self.scan {
            Scan::Nothing => return out,
            Scan::Automaton(scanner) => {
                let mut seen = vec![false; self.owners.len()];
                for m in scanner.find_overlapping_iter(haystack.as_bytes()) {
                    let p = m.pattern().as_usize();
                    if !std::mem::replace(&mut seen[p], true) {
                        out.extend(self.owners[p].iter().map(|&r| r as usize));
                    }
                }
            }
            Scan::Direct(literals) => {
                let lower = haystack.to_ascii_lowercase();
                for (p, literal) in literals.iter().enumerate() {
                    if memchr::memmem::find(lower.as_bytes(), literal).is_some() {
                        out.extend(self.owners[p].iter().map(|&r| r as usize));
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        if !self.whole.is_empty() {
            let lower = haystack.to_ascii_lowercase();
            let found = |l: &Vec<u8>| memchr::memmem::find(lower.as_bytes(), l).is_some();
            out.retain(|&r| {
                self.whole
                    .get(&(r as u32))
                    .is_none_or(|branches| branches.iter().any(|b| b.iter().all(found)))
            });
        }
        out
    }

    /// Records that are candidates for every message.
    pub fn always(&self) -> impl Iterator<Item = usize> + '_ {
        self.always.iter().map(|&r| r as usize)
    }
}

/// The message with the characters that case-fold to ASCII letters replaced by those letters.
pub fn ascii_twins(message: &str) -> Cow<'_, str> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_the_records_whose_literal_occurs() {
        let patterns = [
            (0, r"No module named '\w+'"),
            (1, r"\d+ errors?"),
            (2, r"(EACCES|permission denied)"),
            (3, r"[0-9]+"),
            (4, r"(ssl.*handshake|PKIX)"),
        ];
        for mode in [Mode::Automaton, Mode::Direct] {
            let p =
                Prefilter::of_required(patterns.into_iter().map(|(r, p)| (r, required(p))), mode);
            assert_eq!(p.always().collect::<Vec<_>>(), [3]);
            assert_eq!(p.candidates("PERMISSION DENIED, 2 Errors"), [1, 2]);
            assert_eq!(p.candidates("no module NAMED 'x'"), [0]);
            assert!(p.candidates("all good").is_empty());
            // Every literal of one branch, not only its key.
            assert!(p.candidates("handshake failed").is_empty());
            assert_eq!(p.candidates("SSL: bad handshake"), [4]);
            assert_eq!(p.candidates("pkix"), [4]);
            // KELVIN SIGN and LONG S match `k` and `s` case-insensitively, so they count as those letters.
            assert_eq!(
                p.candidates("No module named 'x'".replace('s', "\u{17f}").as_str()),
                [0]
            );
            assert_eq!(p.candidates("eacce\u{17f}"), [2]);
        }
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
