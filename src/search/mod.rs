//! Search engines over the catalogue, shared by the browser and the CLI; no terminal here.
//!
//! - `fuzzy`: the list filter (fuzzy text plus `domain:`/`cat:`/`tier:` filters), by signature, aliases and id.
//! - `keylines`: which lines of a log carry the error.
//! - `lookup`: from an error message or a whole log to the records that explain it, best first.

pub mod fuzzy;
pub mod keylines;
pub mod lookup;
