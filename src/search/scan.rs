//! `errdex search` without building a catalogue: one pass over the files parses and scores each record where
//! it lies, keeping only its score and a hash of its id; only the records shown are built (parsed again).
//! The browser needs every record and an index; a one-shot search needs neither, and building them was most
//! of its time (100,000 lean records: 0.23 s, where `fzf --filter` takes 0.06 s).
//!
//! A file the persistent index holds unchanged (`catalog::index`) is scored from there instead: its records'
//! fields are read in place from the mapped index, nothing parsed. A search reads an index but never writes
//! one (building it costs more than a search); the commands that load the catalogue do.
//!
//! The results are those of loading the catalogue and filtering it (tested), with or without an index: the
//! first record of each id, the same scores, the same order, the same count of catalogue errors.

use super::fuzzy::{self, Facets, Query, Scorer, searchable};
use crate::catalog::index::{self, ArchivedFileEntry, Index};
use crate::catalog::load::{self, Input, Loaded};
use crate::catalog::source::{self, Pieces};
use crate::catalog::view::View;
use crate::catalog::{Catalog, Diagnostic, Lang, Record, Severity, lean, parse};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

/// What a search found.
pub struct Found {
    /// At most `limit` records, best first (ties in catalogue order), with their scores.
    pub hits: Vec<(Record, i64)>,
    /// Catalogue errors met on the way: unreadable files, broken records.
    pub errors: usize,
    /// How many files were scored from the persistent index.
    pub indexed: usize,
}

/// A file to score: read (its pieces are split apart next), or its unchanged entry in the persistent index.
enum File<'a> {
    Read(Loaded),
    Indexed(&'a ArchivedFileEntry, &'a Path),
}

/// What one piece of a file gave: a record (its id's hash and its score, if it matched) or errors.
#[derive(Clone, Copy)]
struct Seen {
    record: Option<(u64, Option<i64>)>,
    errors: u32,
}

/// A matching record, by where it is.
#[derive(Clone, Copy)]
struct Hit {
    score: i64,
    /// Its place in the catalogue (counting every piece of every file).
    order: usize,
    file: usize,
    piece: usize,
    id: u64,
}

fn id_hash(id: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(id)
}

/// Searches the catalogue `Catalog::load(embedded, paths)` would load, without loading it; with `cache`, the
/// persistent index's directory, files it holds unchanged are scored from there.
pub fn search(
    embedded: bool,
    paths: &[PathBuf],
    query: &Query,
    lang: Lang,
    limit: usize,
    cache: Option<&Path>,
) -> Found {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let indexes: Vec<Option<Index>> = paths
        .iter()
        .map(|p| Index::open(&index::file_for(cache?, p)))
        .collect();
    let mut listings: Vec<load::Listings> = indexes
        .iter()
        .map(|i| index::listings(i.as_ref()))
        .collect();
    let mut inputs = Catalog::embedded_inputs(embedded);
    let own = inputs.len();
    let (found, ranges) = load::discover_each(paths, &mut listings, &mut diagnostics);
    inputs.extend(found);
    // Each input's unchanged index entry, if any.
    let mut entries: Vec<Option<&ArchivedFileEntry>> = vec![None; inputs.len()];
    for (index, range) in indexes.iter().zip(ranges) {
        let Some(index) = index else { continue };
        let files = index.files();
        for i in range.start + own..range.end + own {
            if let Input::File {
                path,
                pipe: false,
                stamp,
                ..
            } = &inputs[i]
                && let Some(entry) = path.to_str().and_then(|p| files.get(p))
                && entry.is_current(*stamp)
            {
                entries[i] = Some(*entry);
            }
        }
    }
    let read: Vec<Option<Result<Loaded, Diagnostic>>> = inputs
        .par_iter()
        .zip(&entries)
        .map(|(input, entry)| entry.is_none().then(|| load::read(input)))
        .collect();
    let mut errors = count_errors(&diagnostics);
    let mut indexed = 0;
    let files: Vec<File> = read
        .into_iter()
        .zip(&entries)
        .zip(&inputs)
        .filter_map(|((read, entry), input)| match (read, entry, input) {
            (None, Some(entry), Input::File { path, .. }) => {
                indexed += 1;
                errors += entry.errors();
                Some(File::Indexed(entry, path))
            }
            (Some(Ok(f)), _, _) => Some(File::Read(f)),
            _ => {
                errors += 1;
                None
            }
        })
        .collect();
    let split: Vec<Option<Pieces>> = files
        .par_iter()
        .map(|f| match f {
            File::Read(f) => {
                let mut found = Vec::new();
                let pieces = source::split(&f.name, &f.bytes, f.layout, &mut found);
                Some((pieces, count_errors(&found)))
            }
            File::Indexed(..) => None,
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|s| {
            s.map(|(pieces, e)| {
                errors += e;
                pieces
            })
        })
        .collect();
    let scorer = Scorer::new(query, lang);
    let seen: Vec<Vec<Seen>> = files
        .par_iter()
        .zip(&split)
        .map(|(f, pieces)| match (f, pieces) {
            (File::Read(f), Some(pieces)) => {
                let seen = load::each_piece(&f.name, &f.bytes, pieces, |piece, lean| match lean {
                    Some(l) => look_lean(&scorer, &l),
                    None => look_general(&scorer, piece),
                });
                seen.into_iter().flatten().collect::<Vec<Seen>>()
            }
            // By number, not chunk by chunk: an indexed iterator collects in place (collecting a flat
            // map's parts and joining them faulted in twice the memory).
            (File::Indexed(entry, _), _) => (0..entry.record_count())
                .into_par_iter()
                .with_min_len(4096)
                .map(|i| look_indexed(&scorer, entry.entry(i)))
                .collect(),
            (File::Read(_), None) => Vec::new(),
        })
        .collect();
    errors += seen
        .iter()
        .flatten()
        .map(|s| s.errors as usize)
        .sum::<usize>();

    let mut hits = Vec::new();
    let mut order = 0;
    for (file, pieces) in seen.iter().enumerate() {
        for (piece, s) in pieces.iter().enumerate() {
            if let Some((id, Some(score))) = s.record {
                hits.push(Hit {
                    score,
                    order,
                    file,
                    piece,
                    id,
                });
            }
            order += 1;
        }
    }
    hits.sort_unstable_by_key(|h| (std::cmp::Reverse(h.score), h.order));

    let record_at = |file: usize, piece: usize| -> Option<Record> {
        let (f, pieces) = match (&files[file], &split[file]) {
            (File::Read(f), Some(pieces)) => (f, pieces),
            (File::Indexed(entry, path), _) => return entry.record(path, piece),
            (File::Read(_), None) => return None,
        };
        if let Some((text, prebuilt)) = f.seeds {
            // The list fields were scored; the record shown is read whole from the seed text.
            let seed = prebuilt.records.get(piece)?;
            let raw = text.get(seed.start..seed.end)?;
            let text = source::Text::new(f.name.clone(), raw, seed.line);
            return parse::record(&text, raw, false, &mut Vec::new())
                .ok()
                .map(|(r, _)| r);
        }
        load::with_piece(&f.name, pieces, piece, |p| {
            let (text, raw) = p.ok()?;
            parse::record(text, raw, false, &mut Vec::new())
                .ok()
                .map(|(r, _)| r)
        })
    };
    let kept = first_of_each_id(&hits, &seen, limit, |file, piece| {
        record_at(file, piece).map(|r| r.id)
    });
    let hits = kept
        .into_iter()
        .filter_map(|h| Some((record_at(h.file, h.piece)?, h.score)))
        .collect();
    Found {
        hits,
        errors,
        indexed,
    }
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fn look_lean(scorer: &Scorer, l: &lean::Lean) -> Seen {
    let facets = Facets {
        domain: l.domain(),
        category: l.category(),
        subcategory: l.subcategory(),
        tier: l.verification_tier(),
    };
    let fields = searchable(l.signature(), l.signature_zh(), l.aliases(), l.id());
    Seen {
        record: Some((id_hash(l.id()), scorer.score(&facets, fields))),
        errors: 0,
    }
}

/// Scores a record as the persistent index holds it, its strings read in place.
fn look_indexed(scorer: &Scorer, e: &index::ArchivedRecordEntry) -> Seen {
    fn text(s: &rkyv::Archived<Option<String>>) -> Option<&str> {
        s.as_ref().map(|s| s.as_str())
    }
    let facets = Facets {
        domain: text(&e.domain),
        category: text(&e.category),
        subcategory: text(&e.subcategory),
        tier: text(&e.verification_tier),
    };
    let fields = searchable(
        e.signature.as_str(),
        text(&e.signature_zh),
        e.aliases.iter().map(|a| a.as_str()),
        e.id.as_str(),
    );
    Seen {
        record: Some((id_hash(e.id.as_str()), scorer.score(&facets, fields))),
        errors: 0,
    }
}

/// Parses and scores one piece that is not a lean record.
fn look_general(scorer: &Scorer, piece: Result<(&source::Text, &str), Diagnostic>) -> Seen {
    let Ok((text, raw)) = piece else {
        return Seen {
            record: None,
            errors: 1,
        };
    };
    let mut found = Vec::new();
    let parsed = parse::general(text, raw, false, &mut found);
    let errors = count_errors(&found) as u32;
    match parsed {
        Ok((r, _)) => Seen {
            record: Some((
                id_hash(&r.id),
                scorer.score(&Facets::of(View::Record(&r)), fuzzy::fields(&r)),
            )),
            errors,
        },
        Err(_) => Seen {
            record: None,
            errors: errors + 1,
        },
    }
}

/// The first `limit` ranked hits that are the first record of their id in the catalogue (a later record
/// with the same id is skipped when loading). Ids are compared by hash over every record, and exactly
/// (`id_at` parses the record again) only when the hashes say a record comes after one with the same id.
fn first_of_each_id(
    ranked: &[Hit],
    seen: &[Vec<Seen>],
    limit: usize,
    id_at: impl Fn(usize, usize) -> Option<String>,
) -> Vec<Hit> {
    let mut kept = Vec::new();
    let mut next = 0;
    while kept.len() < limit && next < ranked.len() {
        // A batch of candidates, a little more than still needed in case some are duplicates.
        let want = (limit - kept.len()).saturating_mul(2).max(16);
        let batch = &ranked[next..ranked.len().min(next.saturating_add(want))];
        next += batch.len();
        // Where each candidate's id hash occurs, in catalogue order.
        let mut places: HashMap<u64, Vec<(usize, usize, usize)>> =
            batch.iter().map(|h| (h.id, Vec::new())).collect();
        let mut order = 0;
        for (file, pieces) in seen.iter().enumerate() {
            for (piece, s) in pieces.iter().enumerate() {
                if let Some((id, _)) = s.record
                    && let Some(at) = places.get_mut(&id)
                {
                    at.push((order, file, piece));
                }
                order += 1;
            }
        }
        for h in batch {
            let earlier = places[&h.id].iter().take_while(|(o, _, _)| *o < h.order);
            let mut earlier = earlier.peekable();
            let duplicate = earlier.peek().is_some() && {
                let mine = id_at(h.file, h.piece);
                earlier.any(|&(_, file, piece)| id_at(file, piece) == mine)
            };
            if !duplicate && kept.len() < limit {
                kept.push(*h);
            }
        }
    }
    kept
}
