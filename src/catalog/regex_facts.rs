//! What a catalogue regex tells without running it: the literal text every match contains, and how literal
//! the pattern is.
//!
//! Lookup compiles regexes case-insensitively with Unicode simple case folding. A required literal is
//! therefore kept in lower-case ASCII plus characters that have no case (CJK, Hangul, digits, punctuation):
//! a match shows those exactly, and the ASCII ones up to ASCII case. Characters with case variants outside
//! ASCII (`é`, Greek, Cyrillic) cut a literal. An ASCII letter also matches KELVIN SIGN (`k`) and LONG S (`s`);
//! the scan maps those two in the message to their ASCII twins (see `search::prefilter`).
//!
//! This file depends on `regex-syntax` and `regex` alone: `build.rs` includes it to analyse the embedded
//! catalogue's regexes at build time, so a one-off command parses none of them, and to compile them, so it
//! knows which do (`compile`).

use regex_syntax::hir::{Class, Hir, HirKind};

// A path of its own: `build.rs` includes this file by path, and a plain `mod` would be looked for elsewhere
// then.
#[path = "regex_simple.rs"]
mod simple;
#[doc(hidden)]
pub use simple::parse_simple;

/// Regexes deeper than this are refused before anything compiles them (a stack guard).
pub const REGEX_NEST_LIMIT: u32 = 100;

/// Compiled regexes may not exceed this (the regex crate's own default is 10 MiB).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a catalogue regex the way lookup does: case-insensitive, size-limited.
pub fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// `compile` without Unicode, for ASCII text only: the same matches there for the patterns
/// `search::matcher` lets through, compiled in a fraction of the time.
pub fn compile_ascii(pattern: &str) -> Result<regex::bytes::Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(pattern)
        .unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// Alternatives a required-literal set may hold before it is not worth scanning for.
const MAX_ALTERNATIVES: usize = 16;

/// Non-ASCII characters that a case-insensitive ASCII letter matches, with that letter.
pub const FOLDS_TO_ASCII: [(char, char); 2] = [('\u{212a}', 'k'), ('\u{17f}', 's')];

/// Literal text (lower-case) a match must contain.
pub type Literal = Vec<u8>;

/// What every match of a regex contains: for at least one branch, every literal of that branch (`(ssl.*error|
/// handshake)` is `[["error", "ssl"], ["handshake"]]`). Branches are never empty.
pub type Requirement = Vec<Vec<Literal>>;

/// What lookup needs to know about a regex that parses.
#[derive(Debug, Clone, PartialEq)]
pub struct RegexFacts {
    /// What every match contains; `None` when the pattern guarantees no literal text (`\d+`, an optional
    /// group).
    pub required: Option<Requirement>,
    /// How much literal text the pattern demands, in 0..=1.
    pub literalness: f64,
}

/// The facts of a pattern, or `None` when it does not parse (and so never compiles either).
pub fn facts(pattern: &str) -> Option<RegexFacts> {
    let hir = parse(pattern)?;
    Some(RegexFacts {
        required: required_of(&hir),
        literalness: literalness(&hir),
    })
}

/// A catalogue regex as lookup compiles it (before case folding), or `None` when it does not parse.
pub fn parse(pattern: &str) -> Option<Hir> {
    parse_simple(pattern).or_else(|| parse_in_full(pattern))
}

/// `parse` by regex_syntax alone, for every pattern: what the fast path (`parse_simple`) must equal.
#[doc(hidden)]
pub fn parse_in_full(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .ok()
}

/// What every match of `pattern` contains (see `Requirement`); `None` when the pattern guarantees no literal
/// text (`\d+`, an unparsable pattern).
pub fn required(pattern: &str) -> Option<Requirement> {
    required_of(&parse(pattern)?)
}

/// `required` of a parsed pattern: literals lower-cased, each branch sorted, no branch implied by another.
pub fn required_of(hir: &Hir) -> Option<Requirement> {
    let mut branches = requirement(hir)?;
    for branch in &mut branches {
        for literal in branch.iter_mut() {
            literal.make_ascii_lowercase();
        }
        branch.sort_unstable();
        branch.dedup();
        // A literal inside another of the branch is found with it (`exec .*: exec format error`).
        let inside: Vec<bool> = (0..branch.len())
            .map(|i| {
                (0..branch.len()).any(|j| {
                    j != i && branch[j].len() > branch[i].len() && contains(&branch[j], &branch[i])
                })
            })
            .collect();
        let mut i = 0;
        branch.retain(|_| {
            i += 1;
            !inside[i - 1]
        });
    }
    branches.sort_unstable();
    branches.dedup();
    // A branch that asks for all of another's literals adds nothing to it (`a` or `a and b` is `a`).
    let weaker: Vec<bool> = (0..branches.len())
        .map(|i| {
            (0..branches.len()).any(|j| {
                // Branch i asks for all of branch j's literals (as they are, or inside longer ones).
                j != i
                    && branches[j]
                        .iter()
                        .all(|l| branches[i].iter().any(|m| contains(m, l)))
                    && (branches[i] != branches[j] || j < i)
            })
        })
        .collect();
    let mut i = 0;
    branches.retain(|_| {
        i += 1;
        !weaker[i - 1]
    });
    Some(branches)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Literal characters a pattern demands, saturating at 40 (a whole error sentence), in 0..=1.
pub fn literalness(h: &Hir) -> f64 {
    fn count(h: &Hir) -> usize {
        match h.kind() {
            HirKind::Literal(l) => String::from_utf8_lossy(&l.0).chars().count(),
            HirKind::Concat(parts) => parts.iter().map(count).sum(),
            HirKind::Capture(c) => count(&c.sub),
            HirKind::Alternation(alts) => alts.iter().map(count).min().unwrap_or(0),
            HirKind::Repetition(r) if r.min > 0 => count(&r.sub),
            _ => 0,
        }
    }
    (count(h).min(40)) as f64 / 40.0
}

/// The branches of `Requirement`, before they are tidied; `None` when one branch would be empty (nothing is
/// required).
fn requirement(hir: &Hir) -> Option<Requirement> {
    match hir.kind() {
        HirKind::Capture(c) => requirement(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => requirement(&r.sub),
        HirKind::Literal(_) | HirKind::Class(_) | HirKind::Concat(_) => {
            // Runs of text that must appear contiguously, and the requirements of the parts that are not
            // text: all of them are required.
            let mut runs = Runs::default();
            let mut others = Vec::new();
            match hir.kind() {
                HirKind::Concat(parts) => {
                    for part in parts {
                        if !runs.push(part) {
                            runs.cut();
                            others.extend(requirement(part));
                        }
                    }
                }
                _ => {
                    runs.push(hir);
                }
            }
            runs.cut();
            let mut branches = vec![runs.done];
            for other in others {
                // A part with alternatives multiplies the branches; past the cap it is left out, which only
                // asks less of a match.
                if branches.len() * other.len() > MAX_ALTERNATIVES {
                    continue;
                }
                branches = branches
                    .iter()
                    .flat_map(|b| other.iter().map(move |o| [&b[..], &o[..]].concat()))
                    .collect();
            }
            (!branches.iter().any(Vec::is_empty)).then_some(branches)
        }
        // Every branch must require something; the match satisfies one branch's requirement.
        HirKind::Alternation(alts) => {
            let mut union = Vec::new();
            for alt in alts {
                union.extend(requirement(alt)?);
            }
            if union.len() <= MAX_ALTERNATIVES {
                Some(union)
            } else {
                weaken(union)
            }
        }
        _ => None,
    }
}

/// Too many branches to scan for, asking less: the literals every branch asks for (`(a|b|c).*brazil|brazil.*
/// (d|e)` asks for `brazil`), else each branch's longest literal alone, else nothing.
fn weaken(branches: Requirement) -> Option<Requirement> {
    let (first, rest) = branches.split_first()?;
    let common: Vec<Literal> = first
        .iter()
        .filter(|l| rest.iter().all(|b| b.contains(l)))
        .cloned()
        .collect();
    if !common.is_empty() {
        return Some(vec![common]);
    }
    let mut keys: Vec<Literal> = branches
        .into_iter()
        .filter_map(|b| b.into_iter().max_by_key(Vec::len))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    (keys.len() <= MAX_ALTERNATIVES).then(|| keys.into_iter().map(|k| vec![k]).collect())
}

/// Contiguous literal text met along a concatenation: the run being read, and those finished.
#[derive(Default)]
struct Runs {
    current: Vec<u8>,
    done: Vec<Vec<u8>>,
}

impl Runs {
    /// Adds a part that matches exactly one text (up to case), cutting where a character with case variants
    /// outside ASCII stands; `false` (nothing added) for any other part.
    fn push(&mut self, part: &Hir) -> bool {
        match part.kind() {
            // Zero-width: the text on both sides is still contiguous.
            HirKind::Look(_) => true,
            HirKind::Literal(l) => {
                match std::str::from_utf8(&l.0) {
                    Ok(text) => {
                        for c in text.chars() {
                            if c.is_ascii() || caseless(c) {
                                let mut buf = [0u8; 4];
                                self.current
                                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            } else {
                                self.cut();
                            }
                        }
                    }
                    // Bytes that are not UTF-8 (only in byte-oriented patterns): the ASCII ones, cut elsewhere.
                    Err(_) => {
                        for &b in &l.0 {
                            if b.is_ascii() {
                                self.current.push(b);
                            } else {
                                self.cut();
                            }
                        }
                    }
                }
                true
            }
            HirKind::Class(class) => match one_letter(class) {
                Some(letter) => {
                    self.current.push(letter);
                    true
                }
                None => false,
            },
            HirKind::Capture(c) if exact(&c.sub) => self.push(&c.sub),
            HirKind::Concat(parts) if parts.iter().all(exact) => {
                parts.iter().for_each(|p| {
                    self.push(p);
                });
                true
            }
            _ => false,
        }
    }

    fn cut(&mut self) {
        if !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
        }
    }
}

/// Whether `Runs::push` takes the part whole.
fn exact(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(_) | HirKind::Literal(_) => true,
        HirKind::Class(class) => one_letter(class).is_some(),
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Concat(parts) => parts.iter().all(exact),
        _ => false,
    }
}

/// The ASCII letter (lower-case) that a class stands for when it holds nothing but that letter's cases (and
/// KELVIN SIGN or LONG S for `k` and `s`): what `(?i)a` or `[Aa]` parse to.
fn one_letter(class: &Class) -> Option<u8> {
    let mut letter = None;
    let mut each = |c: char| -> bool {
        let c = FOLDS_TO_ASCII.iter().find(|f| f.0 == c).map_or(c, |f| f.1);
        if !c.is_ascii_alphabetic() {
            return false;
        }
        let lower = c.to_ascii_lowercase() as u8;
        *letter.get_or_insert(lower) == lower
    };
    let all = match class {
        Class::Unicode(u) => u.ranges().iter().all(|r| {
            // A range of a letter's cases is at most two characters wide (`K-k` never occurs: that is a
            // range of many letters, and the letter test fails on the first other one).
            (r.start()..=r.end()).take(4).all(&mut each) && (r.end() as u32 - r.start() as u32) < 4
        }),
        Class::Bytes(b) => b.ranges().iter().all(|r| {
            (r.start()..=r.end()).take(4).all(|b| each(b as char)) && r.end() - r.start() < 4
        }),
    };
    if all { letter } else { None }
}

/// Whether a character has no case variant under simple case folding (so a case-insensitive regex matches
/// it only as itself): CJK, Hangul, most symbols.
fn caseless(c: char) -> bool {
    let mut class =
        regex_syntax::hir::ClassUnicode::new([regex_syntax::hir::ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class.ranges().len() == 1 && class.ranges()[0].start() == class.ranges()[0].end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The requirement's literals, when every branch is one literal.
    fn lits(pattern: &str) -> Option<Vec<String>> {
        required(pattern).map(|branches| {
            branches
                .into_iter()
                .map(|b| {
                    assert_eq!(b.len(), 1, "{pattern}: {b:?}");
                    String::from_utf8_lossy(&b[0]).into_owned()
                })
                .collect()
        })
    }

    /// The requirement as text: branches of literals.
    fn branches(pattern: &str) -> Option<Vec<Vec<String>>> {
        required(pattern).map(|branches| {
            branches
                .into_iter()
                .map(|b| {
                    b.into_iter()
                        .map(|l| String::from_utf8_lossy(&l).into_owned())
                        .collect()
                })
                .collect()
        })
    }

    fn one(s: &str) -> Option<Vec<String>> {
        Some(vec![s.to_string()])
    }

    #[test]
    fn required_literals_of_typical_catalogue_regexes() {
        assert_eq!(
            lits(r"ModuleNotFoundError: No module named '[^']+'"),
            one("modulenotfounderror: no module named '")
        );
        assert_eq!(
            lits(r"exec .*: exec format error"),
            one(": exec format error")
        );
        assert_eq!(
            lits(r"(ENOSPC|no space left)").as_deref(),
            Some(&["enospc".to_string(), "no space left".to_string()][..])
        );
        assert_eq!(lits(r"\d+"), None);
        assert_eq!(lits(r"(optional)?"), None);
        assert_eq!(lits(r"(a|\d)"), None, "one branch requires nothing");
        assert_eq!(lits("(unclosed"), None);
    }

    #[test]
    fn case_insensitive_letters_and_caseless_scripts_are_literals() {
        assert_eq!(lits(r"(?i)ab"), one("ab"));
        assert_eq!(
            branches(r"(?i)Kill \d+ at"),
            Some(vec![vec![" at".into(), "kill ".into()]]),
            "k is [Kk\u{212a}]"
        );
        assert_eq!(lits(r"[Ee]rror: (?i:disk) full"), one("error: disk full"));
        assert_eq!(lits(r"\bconnection\b refused"), one("connection refused"));
        assert_eq!(
            branches(r"(?i)(foo|bar)x"),
            Some(vec![
                vec!["bar".into(), "x".into()],
                vec!["foo".into(), "x".into()]
            ])
        );
        assert_eq!(
            branches(r"找不到模块 'x(y)+'"),
            Some(vec![vec!["y".into(), "找不到模块 'x".into()]])
        );
        assert_eq!(lits(r"(?i)找不到模块"), one("找不到模块"));
        assert_eq!(
            lits(r"컨테이너를 찾을 수 없습니다"),
            one("컨테이너를 찾을 수 없습니다")
        );
        // Characters with case variants outside ASCII cut a literal.
        assert_eq!(
            branches(r"café crashed"),
            Some(vec![vec![" crashed".into(), "caf".into()]])
        );
        assert_eq!(lits(r"(?i)ΣΦάλμα error"), one(" error"));
        // Classes of several letters are no literal.
        assert_eq!(lits(r"[ab]cd"), one("cd"));
        assert_eq!(lits(r"[a-z]"), None);
    }

    /// Every part a match must contain counts, not only the most telling one: `ssl.*error` asks for both
    /// words, so a message with only "error" in it is no candidate.
    #[test]
    fn a_match_must_contain_every_literal_of_one_branch() {
        let b = |v: &[&[&str]]| -> Option<Vec<Vec<String>>> {
            Some(
                v.iter()
                    .map(|b| b.iter().map(|l| l.to_string()).collect())
                    .collect(),
            )
        };
        assert_eq!(branches(r"SSL.*error"), b(&[&["error", "ssl"]]));
        assert_eq!(
            branches(r"(ssl.*error|PKIX path)"),
            b(&[&["error", "ssl"], &["pkix path"]])
        );
        assert_eq!(
            branches(r"(ab|cd)\d+(ef|gh)"),
            b(&[&["ab", "ef"], &["ab", "gh"], &["cd", "ef"], &["cd", "gh"]])
        );
        // A branch that asks for more than another adds nothing.
        assert_eq!(branches(r"(error|fatal error.*x)"), b(&[&["error"]]));
        assert_eq!(branches(r"x(\d|yz)"), b(&[&["x"]]));
        assert_eq!(branches(r"\d+(ab|\d)"), None);
        // Past the cap on branches, what they all ask for.
        assert_eq!(
            branches(
                r"(weed|cannabis|maconha|marijuana).{0,20}(legal|illegal|decriminal).{0,20}brazil|brazil.{0,20}(weed|cannabis|maconha).{0,20}(legal|illegal)"
            ),
            b(&[&["brazil"]])
        );
        assert_eq!(
            branches(r"(a1|a2|a3|a4|a5|a6|a7|a8|a9)x(b1|b2)|(c1|c2|c3|c4|c5|c6|c7|c8|c9)"),
            None,
            "nothing common and too many keys"
        );
    }

    #[test]
    fn only_caseless_characters_stay_in_literals() {
        for c in ['找', '컨', '1', ':', ' ', '—'] {
            assert!(caseless(c), "{c}");
        }
        for c in ['é', 'Σ', 'ß', 'k', '\u{212a}', 'ǅ'] {
            assert!(!caseless(c), "{c}");
        }
    }

    #[test]
    fn literalness_rewards_specific_patterns() {
        let literalness = |p| literalness(&parse(p).expect("parses"));
        assert!(literalness("exec .*: exec format error") > literalness("error"));
        assert_eq!(literalness(r"\d+"), 0.0);
        assert_eq!(literalness("(a|bc)d"), 2.0 / 40.0);
    }
}
