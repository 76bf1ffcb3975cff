//! What lists, searches, filters and sorts read of a record, from wherever the record is: built, or still
//! only an entry of a mapped index (a large file's records are built only when one of them is read whole;
//! see `shelf`). A scan over every record through views builds none.

use super::Record;
use super::index::ArchivedRecordEntry;

#[derive(Clone, Copy)]
pub enum View<'a> {
    Record(&'a Record),
    Entry(&'a ArchivedRecordEntry),
}

/// A record's aliases, from either place.
#[derive(Clone)]
pub enum Aliases<'a> {
    Record(std::slice::Iter<'a, String>),
    Entry(std::slice::Iter<'a, rkyv::string::ArchivedString>),
}

impl<'a> Iterator for Aliases<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Aliases::Record(i) => i.next().map(String::as_str),
            Aliases::Entry(i) => i.next().map(|a| a.as_str()),
        }
    }
}

/// An optional text field of a record, from either place.
macro_rules! text {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        pub fn $name(self) -> Option<&'a str> {
            match self {
                View::Record(r) => r.$name.as_deref(),
                View::Entry(e) => e.$name.as_ref().map(|s| s.as_str()),
            }
        }
    )*};
}

impl<'a> View<'a> {
    pub fn id(self) -> &'a str {
        match self {
            View::Record(r) => &r.id,
            View::Entry(e) => e.id.as_str(),
        }
    }

    pub fn signature(self) -> &'a str {
        match self {
            View::Record(r) => &r.signature,
            View::Entry(e) => e.signature.as_str(),
        }
    }

    pub fn regex(self) -> &'a str {
        match self {
            View::Record(r) => &r.regex,
            View::Entry(e) => e.regex.as_str(),
        }
    }

    text!(
        signature_zh,
        domain,
        category,
        subcategory,
        verification_tier,
        last_updated
    );

    pub fn confidence(self) -> Option<f64> {
        match self {
            View::Record(r) => r.confidence,
            View::Entry(e) => e.confidence.as_ref().map(|c| c.to_native()),
        }
    }

    pub fn fix_success_rate(self) -> Option<f64> {
        match self {
            View::Record(r) => r.fix_success_rate,
            View::Entry(e) => e.fix_success_rate.as_ref().map(|c| c.to_native()),
        }
    }

    pub fn aliases(self) -> Aliases<'a> {
        match self {
            View::Record(r) => Aliases::Record(r.aliases.iter()),
            View::Entry(e) => Aliases::Entry(e.aliases.iter()),
        }
    }

    /// Whether the regex is known to parse (an index entry knows); `None` when it is not known.
    pub fn regex_parses(self) -> Option<bool> {
        match self {
            View::Record(_) => None,
            View::Entry(e) => Some(e.required.is_some()),
        }
    }
}
