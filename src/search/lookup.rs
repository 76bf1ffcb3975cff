//! From an error message, or a whole log, to the records that explain it, best first.
//!
//! Candidates are the records whose regex matches (case-insensitive, size-limited, compiled the first time
//! a lookup needs it). One scan finds the literals the regexes require (`prefilter`), so only the regexes
//! whose literal occurs are run (and compiled);
//! the few that require no literal are checked in chunks as `RegexSet`s. Candidates are ranked by how
//! specifically they explain the message: the weight of the line the match sits on (`keylines`), how much of
//! that line the match covers, how literal the regex is (a long literal pattern says more than `error`), and
//! how alike the record's signature and that line are (`similarity`). Records that share words with the key
//! lines but whose regex does not match compete too, scaled down and marked approximate.

use super::closeness;
use super::environment::Environment;
use super::keylines::{KeyLine, key_lines};
use super::matcher::Matcher;
use super::prefilter::{Mode, Prefilter};
use super::similarity::WordIndex;
use crate::catalog::regex_facts::{self, RegexFacts};
use crate::catalog::{Catalog, validate};
use rayon::prelude::*;
use regex::{RegexSet, RegexSetBuilder};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Patterns per `RegexSet`: big enough to share one scan, small enough that the lazy DFA's cache holds.
const SET_CHUNK: usize = 64;

/// Records sharing less than this similarity with the key lines are not considered at all.
pub const APPROXIMATE_FLOOR: f64 = 0.25;

/// An approximate hit (no regex matched) is an answer from this similarity up; below, it is only listed as
/// "nearest, unrelated?" when nothing answers. Chosen from the data: see BENCHMARKS.md, "Honest misses".
pub const ANSWER_SIMILARITY: f64 = 0.35;

/// How many "nearest" records a lookup without an answer lists.
pub const NEAREST: usize = 3;

/// Score weights: the line's weight, the match's coverage of it, the regex's literalness, word similarity,
/// closeness (near-verbatim signature), and the environment (-1..=1 times this).
const W_LINE: f64 = 0.3;
const W_COVERAGE: f64 = 0.2;
const W_LITERAL: f64 = 0.2;
const W_SIMILARITY: f64 = 0.3;
const W_CLOSENESS: f64 = 0.2;
const W_ENVIRONMENT: f64 = 0.3;
/// A regex match at least this close to its signature (numbers, paths, names aside) is "near-verbatim" and
/// ranks above the other regex matches whatever their scores.
const NEAR_VERBATIM: f64 = 0.9;
/// A fit earns this share of the environment weight; a contradiction costs all of it.
const FIT_SHARE: f64 = 0.5;

/// The environment's share of a score: a contradiction costs much, a fit earns a little.
fn environment_term(fit: f64) -> f64 {
    if fit < 0.0 {
        W_ENVIRONMENT * fit
    } else {
        FIT_SHARE * W_ENVIRONMENT * fit
    }
}

/// The order of a lookup's hits. Tiers before scores: answers first; among them, records whose environment
/// contradicts the lookup's last; then a regex match whose signature is nearly the line itself; then the
/// score; then catalogue order.
pub fn ranking(a: &LookupHit, b: &LookupHit) -> std::cmp::Ordering {
    let contradicts = |h: &LookupHit| h.parts.environment < 0.0;
    let verbatim = |h: &LookupHit| h.kind == MatchKind::Regex && h.parts.closeness >= NEAR_VERBATIM;
    b.kind
        .answers()
        .cmp(&a.kind.answers())
        .then(contradicts(a).cmp(&contradicts(b)))
        .then(verbatim(b).cmp(&verbatim(a)))
        .then(b.score.total_cmp(&a.score))
        .then(a.index.cmp(&b.index))
}

/// The hit of record `index` found by word similarity alone, its environment fitting by `environment`.
pub fn approximate_hit(index: usize, similarity: f64, environment: f64) -> LookupHit {
    LookupHit {
        index,
        score: 0.85 * similarity + environment_term(environment),
        kind: if similarity >= ANSWER_SIMILARITY {
            MatchKind::Approximate
        } else {
            MatchKind::Nearest
        },
        matched: None,
        parts: ScoreParts {
            similarity,
            environment,
            ..ScoreParts::default()
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Regex,
    /// No regex matched, but the record's signature shares enough words with the log to be an answer.
    Approximate,
    /// Not an answer: the closest records when nothing answers, shown as "nearest, unrelated?".
    Nearest,
}

impl MatchKind {
    /// Whether the hit answers the message (a regex match, or an approximate one close enough).
    pub fn answers(self) -> bool {
        self != MatchKind::Nearest
    }
}

/// What a hit's score is made of, each in 0..=1 (environment in -1..=1), so a user can see why it ranked
/// where it did.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct ScoreParts {
    /// How literal the regex is (0 for an approximate hit).
    pub regex: f64,
    /// How strongly the matched line looks like the error itself.
    pub line_weight: f64,
    /// How much of that line the match covers.
    pub coverage: f64,
    /// IDF-weighted word similarity of signature and line.
    pub similarity: f64,
    /// How nearly the line is the signature (or an alias) word for word, names and numbers aside.
    pub closeness: f64,
    /// -1 when the record's environment contradicts the lookup's, up to 1 the more it fits.
    pub environment: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LookupHit {
    pub index: usize,
    pub score: f64,
    pub kind: MatchKind,
    /// The byte span of the regex match the ranking used.
    pub matched: Option<Range<usize>>,
    pub parts: ScoreParts,
}

struct Chunk {
    records: Vec<usize>,
    set: Option<RegexSet>,
}

pub struct LookupIndex {
    /// Each record's regex, compiled the first time the prefilter lets it through, as most never are
    /// (compiling every one took 12 s and 2 GB at 100,000 records); `None` inside when it does not compile.
    regexes: Vec<OnceLock<Option<Arc<Matcher>>>>,
    /// The regexes compiled so far by pattern: records often share one (a canon for each environment of
    /// one error), and compiling is the dearest step of a lookup (a Unicode `\w` costs over a millisecond).
    /// One `Regex` a pattern, shared: a clone would keep a matching cache of its own (megabytes for a regex
    /// with Unicode classes; 500 MB for a lookup at 1,000,000 records).
    compiled: std::sync::Mutex<HashMap<String, Option<Arc<Matcher>>>>,
    /// Built for one message that is all ASCII (`for_message`): regexes may be compiled for ASCII text.
    ascii_text: bool,
    /// How many of `regexes` are known not to compile.
    failed: AtomicUsize,
    /// How much literal text each regex requires, in 0..=1.
    literal: Vec<f64>,
    prefilter: Prefilter,
    /// The records the prefilter cannot rule out for any message, as `RegexSet`s.
    chunks: Vec<Chunk>,
    /// Signature and alias words, for similarity.
    words: WordIndex,
    /// Each record's signature and aliases as normalised words (`closeness`), made when first compared.
    shapes: Vec<OnceLock<Vec<Vec<String>>>>,
}

/// The environment a lookup ranks for: the machine's (detected, or none in tests) and what the user said
/// (`--env`). What the message shows of its own environment sits between the two: a log pasted from another
/// machine tells more than this one, and the user's word more than both.
#[derive(Debug, Clone, Default)]
pub struct LookupEnv {
    pub machine: Environment,
    pub given: Environment,
}

impl LookupEnv {
    /// The machine detected, with `given` on top.
    pub fn detected(given: Environment) -> LookupEnv {
        LookupEnv {
            machine: Environment::detected().clone(),
            given,
        }
    }

    /// The environment for one message.
    pub fn for_message(&self, message: &str) -> Environment {
        self.machine
            .overridden_by(&Environment::from_log(message))
            .overridden_by(&self.given)
    }
}

impl LookupIndex {
    /// Reads every regex once (parsed, not compiled) for the literals it requires and how literal it is,
    /// unless the catalogue knows that already (the embedded one does, from the build). For many lookups:
    /// the browser, the MCP server.
    pub fn new(catalog: &Catalog) -> Self {
        Self::build(catalog, Mode::Automaton, false)
    }

    /// An index for looking up one message once (`errdex lookup`): literals are searched in the message
    /// directly, and regexes without one are compiled alone, when no automaton or `RegexSet` would pay for
    /// its building; for an ASCII message, regexes are compiled for ASCII text where that matches the same
    /// (`Matcher`). Finds what `new` finds (tested); looks up `message` alone.
    pub fn for_message(catalog: &Catalog, message: &str) -> Self {
        // Past this, one automaton pass beats a search per literal.
        const DIRECT_UP_TO: usize = 64 * 1024;
        let mode = if message.len() <= DIRECT_UP_TO {
            Mode::Direct
        } else {
            Mode::Automaton
        };
        Self::build(catalog, mode, message.is_ascii())
    }

    fn build(catalog: &Catalog, mode: Mode, ascii_text: bool) -> Self {
        // A few records (a lookup through the indexes) are quicker on this thread than the thread pool is to
        // start (two threads, and their spinning while idle).
        let alone = catalog.len() < 1024;
        let facts = |(i, r): (usize, &crate::catalog::Record)| match catalog.regex_facts(i) {
            Some(known) => known,
            None => regex_facts::facts(&r.regex),
        };
        let parsed: Vec<Option<RegexFacts>> = match alone {
            true => catalog.iter().enumerate().map(facts).collect(),
            false => (catalog.par_iter().enumerate())
                .with_min_len(256)
                .map(facts)
                .collect(),
        };
        let literal = parsed
            .iter()
            .map(|p| p.as_ref().map_or(0.0, |p| p.literalness))
            .collect();
        // A regex that does not parse does not compile either: known now.
        let regexes: Vec<OnceLock<Option<Arc<Matcher>>>> = parsed
            .iter()
            .map(|p| match p {
                Some(_) => OnceLock::new(),
                None => OnceLock::from(None),
            })
            .collect();
        let failed = AtomicUsize::new(parsed.iter().filter(|p| p.is_none()).count());
        // The literal scanner and the word index are each built on one core: side by side, not in turn.
        let scanner = || {
            let prefilter = Prefilter::of_required(
                parsed
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, p)| Some((i, p?.required))),
                mode,
            );
            let chunks = match mode {
                Mode::Automaton => Self::sets(catalog, &prefilter),
                Mode::Direct => vec![Chunk {
                    records: prefilter.always().collect(),
                    set: None,
                }],
            };
            (prefilter, chunks)
        };
        let words = || {
            WordIndex::weighted(
                catalog.iter().map(|r| {
                    std::iter::once(r.signature.as_str())
                        .chain(r.aliases.iter().map(String::as_str))
                }),
                catalog.weights.clone(),
            )
        };
        let ((prefilter, chunks), words) = match alone {
            true => (scanner(), words()),
            false => rayon::join(scanner, words),
        };
        let shapes = (0..catalog.len()).map(|_| OnceLock::new()).collect();
        LookupIndex {
            regexes,
            compiled: Default::default(),
            ascii_text,
            failed,
            literal,
            prefilter,
            chunks,
            words,
            shapes,
        }
    }

    /// The regexes the prefilter cannot rule out for any message, in `RegexSet`s of `SET_CHUNK`.
    fn sets(catalog: &Catalog, prefilter: &Prefilter) -> Vec<Chunk> {
        let always: Vec<usize> = prefilter.always().collect();
        always
            .par_chunks(SET_CHUNK)
            .map(|records| {
                let patterns = records.iter().map(|&i| catalog[i].regex.as_str());
                let set = RegexSetBuilder::new(patterns)
                    .case_insensitive(true)
                    .size_limit(validate::REGEX_SIZE_LIMIT * 8)
                    .dfa_size_limit(validate::REGEX_SIZE_LIMIT * 8)
                    .build()
                    .ok();
                Chunk {
                    records: records.to_vec(),
                    set,
                }
            })
            .collect()
    }

    /// Record i's regex, compiled now if it was not yet; `None` when it does not compile (or is too big).
    fn regex(&self, catalog: &Catalog, i: usize) -> Option<&Matcher> {
        self.regexes[i]
            .get_or_init(|| {
                let pattern = &catalog[i].regex;
                let known = self
                    .compiled
                    .lock()
                    .ok()
                    .and_then(|c| c.get(pattern).cloned());
                let re = known.unwrap_or_else(|| {
                    let re = Matcher::compile(pattern, self.ascii_text).map(Arc::new);
                    if let Ok(mut c) = self.compiled.lock() {
                        c.insert(pattern.clone(), re.clone());
                    }
                    re
                });
                if re.is_none() {
                    self.failed.fetch_add(1, Ordering::Relaxed);
                }
                re
            })
            .as_deref()
    }

    /// Records whose regex does not compile (or is too big) and so never matches, as far as known: those that
    /// do not parse from the start, the others once a lookup needed them.
    pub fn skipped(&self) -> usize {
        self.failed.load(Ordering::Relaxed)
    }

    /// `lookup_in` knowing nothing of the machine: only what the message itself shows of its environment.
    pub fn lookup(&self, catalog: &Catalog, message: &str, limit: usize) -> Vec<LookupHit> {
        self.lookup_in(catalog, message, limit, &LookupEnv::default())
    }

    /// The records that explain `message`, best first, at most `limit`. Regex matches and word-similarity
    /// candidates compete in one ranking; a record found both ways counts as a regex match. When nothing
    /// answers, the `NEAREST` closest records come back marked `Nearest`; otherwise none of them do.
    pub fn lookup_in(
        &self,
        catalog: &Catalog,
        message: &str,
        limit: usize,
        env: &LookupEnv,
    ) -> Vec<LookupHit> {
        if message.trim().is_empty() || limit == 0 {
            return Vec::new();
        }
        let env = env.for_message(message);
        let lines = key_lines(message);
        let shapes: Vec<std::cell::OnceCell<Vec<String>>> =
            lines.iter().map(|_| std::cell::OnceCell::new()).collect();
        let candidates = self.candidates(catalog, message);
        // Compiling is most of a lookup's own time (a regex with Unicode `\w` takes over a millisecond):
        // the candidates' regexes are compiled side by side. Not one or two: starting the thread pool costs
        // about as much.
        if candidates.len() > 2 {
            candidates.par_iter().for_each(|&i| {
                self.regex(catalog, i);
            });
        }
        let mut hits: Vec<LookupHit> = candidates
            .into_iter()
            .filter_map(|i| self.rank(catalog, i, message, &lines, &shapes, &env))
            .collect();
        let found: std::collections::HashSet<usize> = hits.iter().map(|h| h.index).collect();
        hits.extend(
            self.approximate(catalog, &lines, &env)
                .into_iter()
                .filter(|h| !found.contains(&h.index)),
        );
        hits.sort_by(ranking);
        if hits.first().is_some_and(|h| h.kind.answers()) {
            hits.retain(|h| h.kind.answers());
        } else {
            hits.truncate(NEAREST);
        }
        hits.truncate(limit);
        hits
    }

    /// The records whose regex matches `message`, in catalogue order (what the regex tester's lookup mode
    /// lists before ranking). The same as running every regex, but most are never run.
    pub fn regex_matches(&self, catalog: &Catalog, message: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .candidates(catalog, message)
            .into_iter()
            .filter(|&i| self.regex(catalog, i).is_some_and(|r| r.is_match(message)))
            .collect();
        out.sort_unstable();
        out
    }

    /// Records whose regex may match: the prefilter's, which still have to be run, and the always-candidates
    /// whose `RegexSet` did match.
    fn candidates(&self, catalog: &Catalog, message: &str) -> Vec<usize> {
        assert!(
            !self.ascii_text || message.is_ascii(),
            "an index for one ASCII message looked up other text"
        );
        let mut out = self.prefilter.candidates(message);
        for chunk in &self.chunks {
            match &chunk.set {
                Some(set) => out.extend(set.matches(message).into_iter().map(|k| chunk.records[k])),
                None => {
                    let matches =
                        |&i: &usize| self.regex(catalog, i).is_some_and(|r| r.is_match(message));
                    // As for the candidates' regexes below: not the thread pool for one or two.
                    match chunk.records.len() > 2 {
                        true => out.par_extend(chunk.records.par_iter().copied().filter(matches)),
                        false => out.extend(chunk.records.iter().copied().filter(matches)),
                    }
                }
            }
        }
        out
    }

    /// The score of a regex candidate: its best match over the message's lines.
    fn rank(
        &self,
        catalog: &Catalog,
        i: usize,
        message: &str,
        lines: &[KeyLine<'_>],
        shapes: &[std::cell::OnceCell<Vec<String>>],
        env: &Environment,
    ) -> Option<LookupHit> {
        let re = self.regex(catalog, i)?;
        let environment = env.fit(&catalog[i].environment);
        let mut best: Option<(f64, Range<usize>, ScoreParts)> = None;
        // An empty match (`x*`, `(foo)?`) explains nothing: such a regex would match every message.
        for m in re.find_iter(message).filter(|m| !m.is_empty()).take(32) {
            let at = lines.iter().rposition(|l| l.start <= m.start);
            let line = at.map_or(
                KeyLine {
                    start: 0,
                    text: message,
                    weight: 0.5,
                },
                |k| lines[k].clone(),
            );
            // Each line's words are normalised once per lookup, whatever the number of candidates on it.
            let line_shape = match at {
                Some(k) => std::borrow::Cow::Borrowed(
                    shapes[k].get_or_init(|| closeness::tokens(line.text)),
                ),
                None => std::borrow::Cow::Owned(closeness::tokens(line.text)),
            };
            let line_len = line.text.trim().chars().count().max(1) as f64;
            let covered = message[m.clone()].chars().count() as f64;
            let coverage = (covered / line_len).min(1.0);
            let similarity = self.words.similarity(i, &self.words.text(line.text));
            let parts = ScoreParts {
                regex: self.literal[i],
                line_weight: line.weight,
                coverage,
                similarity,
                closeness: self.closeness(catalog, i, &line_shape),
                environment,
            };
            let score = W_LINE * parts.line_weight
                + W_COVERAGE * parts.coverage
                + W_LITERAL * parts.regex
                + W_SIMILARITY * parts.similarity
                + W_CLOSENESS * parts.closeness
                + environment_term(parts.environment);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, m, parts));
            }
        }
        best.map(|(score, range, parts)| LookupHit {
            index: i,
            score,
            kind: MatchKind::Regex,
            matched: Some(range),
            parts,
        })
    }

    /// How nearly `line` is record i's signature or one of its aliases (`closeness`).
    fn closeness(&self, catalog: &Catalog, i: usize, line: &[String]) -> f64 {
        let shapes = self.shapes[i].get_or_init(|| {
            let r = &catalog[i];
            std::iter::once(&r.signature)
                .chain(&r.aliases)
                .map(|s| closeness::tokens(s))
                .collect()
        });
        shapes
            .iter()
            .map(|s| closeness::closeness(line, s))
            .fold(0.0, f64::max)
    }

    /// Records sharing words with the message's weightiest lines, by similarity alone (marked approximate,
    /// and scaled below a regex match of the same similarity).
    fn approximate(
        &self,
        catalog: &Catalog,
        lines: &[KeyLine<'_>],
        env: &Environment,
    ) -> Vec<LookupHit> {
        let max = lines.iter().map(|l| l.weight).fold(0.0, f64::max);
        let mut best: HashMap<usize, f64> = HashMap::new();
        for line in lines.iter().filter(|l| l.weight >= max) {
            for (i, s) in self
                .words
                .similar(&self.words.text(line.text), APPROXIMATE_FLOOR)
            {
                let b = best.entry(i).or_insert(0.0);
                *b = b.max(s);
            }
        }
        best.into_iter()
            .map(|(index, similarity)| {
                approximate_hit(index, similarity, env.fit(&catalog[index].environment))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Position, Record};

    fn catalog(records: &[(&str, &str, &str)]) -> Catalog {
        let mut c = Catalog::default();
        let path: std::sync::Arc<str> = "t.json".into();
        for (id, sig, re) in records {
            c.add(Record::new(*id, *sig, *re), Position::file(&path));
        }
        c
    }

    fn ids(c: &Catalog, hits: &[LookupHit]) -> Vec<String> {
        hits.iter().map(|h| c[h.index].id.clone()).collect()
    }

    #[test]
    fn the_specific_record_beats_the_generic_one() {
        let c = catalog(&[
            ("generic/error", "Error: something failed", "error"),
            (
                "python/module",
                "ModuleNotFoundError: No module named 'x'",
                r"ModuleNotFoundError: No module named '[^']+'",
            ),
            (
                "python/import",
                "ImportError: cannot import",
                r"Error: No module",
            ),
        ]);
        let idx = LookupIndex::new(&c);
        let log = "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nModuleNotFoundError: No module named 'torch'\n";
        let hits = idx.lookup(&c, log, 10);
        assert_eq!(ids(&c, &hits)[0], "python/module");
        assert!(hits.iter().all(|h| h.kind == MatchKind::Regex));
        assert_eq!(hits.len(), 3);
        let m = hits[0].matched.clone().expect("span");
        assert!(log[m].starts_with("ModuleNotFoundError"));
    }

    #[test]
    fn a_match_on_the_error_line_beats_one_on_a_stack_frame() {
        let c = catalog(&[
            ("a/frame", "in handler", "handler"),
            ("b/error", "connection refused", "connection refused"),
        ]);
        let idx = LookupIndex::new(&c);
        let log = "Traceback (most recent call last):\n  File \"handler.py\", line 9, in handler\nConnectionRefusedError: [Errno 111] Connection refused";
        assert_eq!(ids(&c, &idx.lookup(&c, log, 10)), ["b/error", "a/frame"]);
    }

    #[test]
    fn no_regex_match_falls_back_to_approximate_hits() {
        let c = catalog(&[
            (
                "k8s/crash",
                "Back-off restarting failed container in pod",
                "CrashLoopBackOff",
            ),
            (
                "db/lock",
                "Deadlock found when trying to get lock",
                "Deadlock found",
            ),
        ]);
        let idx = LookupIndex::new(&c);
        let hits = idx.lookup(
            &c,
            "Warning BackOff: back-off restarting failed container app",
            10,
        );
        assert_eq!(ids(&c, &hits), ["k8s/crash"]);
        assert_eq!(hits[0].kind, MatchKind::Approximate);
        assert!(idx.lookup(&c, "completely unrelated words", 10).is_empty());
    }

    fn env(text: &str) -> LookupEnv {
        LookupEnv {
            machine: Environment::default(),
            given: Environment::parse_overrides(text).expect("valid"),
        }
    }

    /// The issue's case, the WSL2 Docker Desktop record against the Linux one: on plain Linux the Linux record
    /// comes first, on WSL the WSL one, and a log showing a WSL kernel decides on a machine that says nothing.
    #[test]
    fn the_environment_decides_between_the_wsl2_and_the_linux_docker_records() {
        use crate::catalog::environment::{Platforms, RecordEnvironment};
        // Docker prints the same line on both; only where it runs tells the records apart.
        let line = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
        let regex =
            r"Cannot connect to the Docker daemon at unix://\S+\. Is the docker daemon running\?";
        let mut c = catalog(&[
            ("docker/daemon-not-running/docker27-wsl2", line, regex),
            ("docker/daemon-not-running/docker27-linux", line, regex),
        ]);
        c[0].environment = RecordEnvironment {
            only: Platforms::WSL,
            ..Default::default()
        };
        c[1].environment = RecordEnvironment {
            only: Platforms::LINUX,
            ..Default::default()
        };
        let idx = LookupIndex::new(&c);
        let log = "$ docker ps\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
        let first = |e: &LookupEnv, log: &str| ids(&c, &idx.lookup_in(&c, log, 10, e))[0].clone();
        assert_eq!(
            first(&env("os=linux"), log),
            "docker/daemon-not-running/docker27-linux"
        );
        assert_eq!(
            first(&env("os=wsl"), log),
            "docker/daemon-not-running/docker27-wsl2"
        );
        let hits = idx.lookup_in(&c, log, 10, &env("os=linux"));
        assert_eq!(
            hits[1].parts.environment, -1.0,
            "the WSL record contradicts plain Linux"
        );
        let from_wsl = format!("Linux pc 5.15.153.1-microsoft-standard-WSL2\n{log}");
        assert_eq!(
            first(&LookupEnv::default(), &from_wsl),
            "docker/daemon-not-running/docker27-wsl2"
        );
        // The user's word beats what the log shows.
        assert_eq!(
            first(&env("os=linux,wsl=no"), &from_wsl),
            "docker/daemon-not-running/docker27-linux"
        );
    }

    /// A version in the log rules out a record seen only with other versions.
    #[test]
    fn a_version_in_the_log_counts_as_environment() {
        use crate::catalog::environment::{RecordEnvironment, Runtime};
        let mut c = catalog(&[
            (
                "python/x/py311-linux",
                "TypeError: unsupported operand",
                "TypeError: unsupported operand",
            ),
            (
                "python/x/py39-linux",
                "TypeError: unsupported operand",
                "TypeError: unsupported operand",
            ),
        ]);
        c[0].environment = RecordEnvironment {
            runtime: Runtime::parse("python", ">=3.11,<3.13").map(Box::new),
            ..Default::default()
        };
        c[1].environment = RecordEnvironment {
            runtime: Runtime::parse("python", ">=3.8,<3.10").map(Box::new),
            ..Default::default()
        };
        let idx = LookupIndex::new(&c);
        let log = "  File \"/usr/lib/python3.9/x.py\", line 1\nTypeError: unsupported operand";
        assert_eq!(ids(&c, &idx.lookup(&c, log, 10))[0], "python/x/py39-linux");
        let log = "Python 3.12.1\nTypeError: unsupported operand";
        assert_eq!(ids(&c, &idx.lookup(&c, log, 10))[0], "python/x/py311-linux");
    }

    /// The issue's near tie: `zsh: command not found: conda` is the conda record's signature word for word; the
    /// generic record's regex matches as well and its alias differs only by the name.
    #[test]
    fn a_near_verbatim_signature_ranks_first() {
        let mut c = catalog(&[
            (
                "linux/command-not-found",
                "bash: foo: command not found",
                r"(?:command not found|not found: \w+)",
            ),
            (
                "conda/command-not-found",
                "zsh: command not found: conda",
                r"command not found: conda",
            ),
        ]);
        c[0].aliases = vec!["zsh: command not found: foo".into()];
        let idx = LookupIndex::new(&c);
        let hits = idx.lookup_in(&c, "zsh: command not found: conda", 10, &env("os=linux"));
        assert_eq!(
            ids(&c, &hits),
            ["conda/command-not-found", "linux/command-not-found"]
        );
        assert_eq!(hits[0].parts.closeness, 1.0);
        assert!(hits[1].parts.closeness < 0.9);
    }

    /// The tiers hold whatever the scores: a record whose environment contradicts the lookup's ranks below
    /// one that says nothing even when its regex is far more literal, and a near-verbatim signature ranks
    /// above a regex match whose other parts score higher.
    #[test]
    fn a_contradicting_record_and_a_loose_match_rank_below_whatever_their_scores() {
        use crate::catalog::environment::{Platforms, RecordEnvironment};
        let line = "fatal: unable to access 'https://example.com/r.git/': SSL certificate problem";
        let mut c = catalog(&[
            (
                "git/ssl/windows",
                line,
                r"fatal: unable to access '\S+': SSL certificate problem",
            ),
            ("git/ssl/generic", "SSL problem somewhere", r"SSL"),
        ]);
        c[0].environment = RecordEnvironment {
            only: Platforms::WINDOWS,
            ..Default::default()
        };
        let idx = LookupIndex::new(&c);
        let hits = idx.lookup_in(&c, line, 10, &env("os=linux"));
        assert!(
            hits[1].score > hits[0].score,
            "the test needs the contradicting record to score higher"
        );
        assert_eq!(ids(&c, &hits), ["git/ssl/generic", "git/ssl/windows"]);
        // Without the contradiction the near-verbatim record leads.
        let hits = idx.lookup_in(&c, line, 10, &env("os=windows"));
        assert_eq!(ids(&c, &hits)[0], "git/ssl/windows");
    }

    /// Below `ANSWER_SIMILARITY` an approximate hit is no answer: it comes back as `Nearest`, at most
    /// `NEAREST` of them, and only when nothing answers.
    #[test]
    fn weak_approximate_hits_are_nearest_not_answers() {
        let c = catalog(&[
            ("a/one", "disk quota exceeded on volume", "quota exceeded"),
            ("b/two", "volume mount failed permission", "mount failed"),
            ("c/three", "volume driver missing plugin", "driver missing"),
            ("d/four", "volume is busy cannot remove", "volume is busy"),
            ("e/five", "connection reset by peer", "reset by peer"),
        ]);
        let idx = LookupIndex::new(&c);
        let hits = idx.lookup(
            &c,
            "Access-Control-Allow-Origin missing on the volume endpoint response header",
            10,
        );
        assert!(!hits.is_empty() && hits.len() <= NEAREST, "{hits:?}");
        assert!(
            hits.iter()
                .all(|h| h.kind == MatchKind::Nearest && h.parts.similarity < ANSWER_SIMILARITY)
        );
        let hits = idx.lookup(&c, "umount: volume is busy\nconnection reset by peer", 10);
        assert!(hits.iter().all(|h| h.kind.answers()), "{hits:?}");
    }

    #[test]
    fn a_regex_that_only_matches_the_empty_string_matches_nothing() {
        let c = catalog(&[
            ("a/optional", "optional thing", "(optional thing)?"),
            ("b/star", "x", "x*"),
        ]);
        let idx = LookupIndex::new(&c);
        assert!(idx.lookup(&c, "connection reset", 10).is_empty());
        let hits = idx.lookup(&c, "an optional thing broke", 10);
        assert_eq!(ids(&c, &hits), ["a/optional"]);
        assert_eq!(hits[0].kind, MatchKind::Regex);
    }

    /// The prefilter must not lose a match: `regex_matches` equals running every regex, on messages that are
    /// signatures, shouted, with KELVIN SIGN for `k`, and glued into a log.
    #[test]
    fn candidate_selection_equals_running_every_regex() {
        let path: std::sync::Arc<str> = "synthetic.jsonl".into();
        let mut c = crate::synth::catalog(1500, 7, false);
        for (id, re) in [
            ("x/digits", r"\d+ failed"),
            ("x/ci", "(?i)kill"),
            ("x/ci-class", "[Ss]egmentation (?i:FAULT)"),
            ("x/cjk", "(?i)找不到模块 '[^']+'"),
            ("x/alt", "(EPERM|eacces)"),
            // Branches of several literals: all of one branch's must be in the message.
            ("x/and", r"SSL.*handshake"),
            (
                "x/and-alt",
                r"(cert.*has expired|PKIX path \w+|Ssl\d+Error)",
            ),
        ] {
            c.add(Record::new(id, id, re), Position::file(&path));
        }
        let idx = LookupIndex::new(&c);
        let direct = LookupIndex::build(&c, Mode::Direct, false);
        let compiled: Vec<Option<regex::Regex>> =
            c.iter().map(|r| validate::compile(&r.regex).ok()).collect();
        let naive = |m: &str| -> Vec<usize> {
            (0..compiled.len())
                .filter(|&i| compiled[i].as_ref().is_some_and(|r| r.is_match(m)))
                .collect()
        };
        let mut messages: Vec<String> = c.iter().step_by(5).map(|r| r.signature.clone()).collect();
        messages.extend(messages.clone().iter().map(|m| m.to_uppercase()));
        messages.extend(
            messages
                .clone()
                .iter()
                .map(|m| m.replace(['k', 'K'], "\u{212a}")),
        );
        messages.push(messages.join("\n"));
        messages.extend([
            "3 failed".into(),
            "SIGKILL".into(),
            "Segmentation fault (core dumped)".into(),
            "\u{17f}egmentation fault".into(),
            "找不到模块 'x'".into(),
            "找不到模 'x'".into(),
            "EACCES".into(),
            "ssl: bad handshake".into(),
            "handshake failed".into(),
            "certificate has expired".into(),
            "has expired".into(),
            "PKIX path building failed".into(),
            "ssl3Error".into(),
            "SSL3 error".into(),
            String::new(),
        ]);
        let mut matched = 0;
        for m in &messages {
            let want = naive(m);
            matched += want.len();
            assert_eq!(idx.regex_matches(&c, m), want, "{m:?}");
            assert_eq!(direct.regex_matches(&c, m), want, "{m:?}");
        }
        assert!(
            matched > messages.len(),
            "the messages must match something"
        );
    }

    /// A one-off lookup (literals searched directly, facts from the build) finds what the browser's index
    /// finds, on the embedded catalogue.
    #[test]
    fn one_off_lookups_equal_the_reusable_index() {
        let c = Catalog::embedded();
        assert!(c.regex_facts(0).is_some(), "the build knows the facts");
        let idx = LookupIndex::new(&c);
        let mut messages: Vec<String> = c
            .iter()
            .step_by(3)
            .flat_map(|r| {
                [
                    r.signature.clone(),
                    r.signature_zh.clone().unwrap_or_default(),
                ]
            })
            .collect();
        messages.push(messages[..40].join("\n"));
        messages.push(
            "Traceback (most recent call last):\nModuleNotFoundError: No module named 'x'".into(),
        );
        let mut regex_hits = 0;
        for m in &messages {
            let want = idx.lookup(&c, m, 10);
            regex_hits += want.iter().filter(|h| h.kind == MatchKind::Regex).count();
            assert_eq!(
                LookupIndex::for_message(&c, m).lookup(&c, m, 10),
                want,
                "{m:?}"
            );
        }
        assert!(regex_hits > messages.len() / 2, "{regex_hits}");
    }

    #[test]
    fn broken_regexes_are_skipped_and_counted() {
        let c = catalog(&[
            ("a/bad", "x", "(unclosed"),
            ("b/big", "y", r"(\w{100}){100}{100}"),
            ("c/ok", "z", "z"),
        ]);
        let idx = LookupIndex::new(&c);
        assert_eq!(
            idx.skipped(),
            1,
            "the one that does not parse, before any lookup"
        );
        assert_eq!(ids(&c, &idx.lookup(&c, "z", 10)), ["c/ok"]);
        assert_eq!(
            idx.skipped(),
            2,
            "and the one too big once a lookup tried it"
        );
        idx.lookup(&c, "y z", 10);
        assert_eq!(idx.skipped(), 2, "each counted once");
    }

    #[test]
    fn literalness_rewards_specific_patterns() {
        let literalness = |p| regex_facts::literalness(&regex_facts::parse(p).expect("parses"));
        assert!(literalness("exec .*: exec format error") > literalness("error"));
        assert_eq!(literalness(r"\d+"), 0.0);
        assert_eq!(literalness("(a|bc)d"), 2.0 / 40.0);
    }
}
