//! The catalogue compiled into the binary from `seeds/`, with what `build.rs` read of it in advance, so a
//! one-off command neither parses 4 MB of seeds nor any of their regexes: each record's list fields as a
//! one-line JSON object (parsed by the usual parser), where the record is in its seed file (its details are
//! parsed from there when shown), and what its regex requires.

/// What the build read of one seed file.
pub struct Prebuilt {
    /// One JSON object a line, each record's fields minus those only details read, in file order.
    pub lean: &'static str,
    /// Each record, in the same order.
    pub records: &'static [Seed],
}

/// One record of a seed file.
pub struct Seed {
    /// Where its object is in the seed file's text (bytes).
    pub start: usize,
    pub end: usize,
    /// Where the object starts (1-based), for diagnostics and `origins`.
    pub line: usize,
    pub column: usize,
    pub facts: Facts,
}

/// What the build knew of the record's regex (`regex_facts::facts`).
pub enum Facts {
    /// No regex string to read: the loader finds out itself.
    Unknown,
    /// The regex does not parse.
    Unparsable,
    Known {
        /// Branches of literals (`regex_facts::Requirement`).
        required: Option<&'static [&'static [&'static [u8]]]>,
        literalness: f64,
    },
}

impl Facts {
    /// The facts as `regex_facts::facts` gives them; `None` inside for a regex that does not parse, and
    /// `None` outside when not known.
    pub fn get(&self) -> Option<Option<super::regex_facts::RegexFacts>> {
        match self {
            Facts::Unknown => None,
            Facts::Unparsable => Some(None),
            Facts::Known {
                required,
                literalness,
            } => Some(Some(super::regex_facts::RegexFacts {
                required: required.map(|branches| {
                    branches
                        .iter()
                        .map(|b| b.iter().map(|l| l.to_vec()).collect())
                        .collect()
                }),
                literalness: *literalness,
            })),
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));

/// Whether `pattern` is one of the seeds' regexes that the build found ASCII and compiling as lookup compiles
/// it (`regex_facts::compile`): a regex lookup may then compile for ASCII text alone (`search::matcher`).
pub fn compiles_ascii(pattern: &str) -> bool {
    ASCII_COMPILING.binary_search(&pattern).is_ok()
}
