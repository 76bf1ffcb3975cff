//! Search engines over the catalogue, shared by the browser and the CLI; no terminal here.
pub mod fuzzy;
pub mod lookup;
