//! Search engines over the catalogue, shared by the browser and the CLI; no terminal here.
//!
//! - `fuzzy`: the list filter (fuzzy text plus `domain:`/`cat:`/`tier:` filters), by signature, aliases and id.
//! - `lookup`: from an error message or a whole log to the records that explain it, best first.
