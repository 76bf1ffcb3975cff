//! Search engines over the catalogue, shared by the browser and the CLI; no terminal here.
//!
//! - `closeness`: how nearly a log line is a signature word for word, names and numbers aside.
//! - `environment`: where a lookup runs (platform, container, runtime versions) and how a record fits it.
//! - `fields`: records' searchable fields packed into one string (what the fuzzy filter reads).
//! - `fuzzy`: the list filter (fuzzy text plus `domain:`/`cat:`/`tier:` filters), by signature, aliases and id.
//! - `keylines`: which lines of a log carry the error.
//! - `narrow`: the records a lookup through current indexes needs, built alone.
//! - `narrowing`: the fuzzy filter's memory between keystrokes (survivors by chunk) and its invariant.
//! - `query`: a search taken apart into fuzzy terms and field filters.
//! - `matcher`: a catalogue regex compiled for matching (for ASCII text alone when that matches the same).
//! - `lookup`: from an error message or a whole log to the records that explain it, best first.
//! - `prefilter`: which regexes can match a message, from the literals they require (lookup's first step).
//! - `score`: the fuzzy score of one field for one term (SkimMatcherV2's, computed without allocation).
//! - `similarity`: IDF-weighted word overlap of a record and a line (lookup's ranking and fallback).

pub mod closeness;
pub mod environment;
mod fields;
pub mod fuzzy;
#[cfg(test)]
mod fuzzy_reference;
pub mod keylines;
pub mod lookup;
pub mod matcher;
pub mod narrow;
mod narrowing;
pub mod prefilter;
pub mod query;
pub mod scan;
pub mod score;
pub mod similarity;
