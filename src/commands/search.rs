//! `errdex search QUERY`: the browser's fuzzy search from the command line.

use crate::catalog::{Catalog, Lang};
use crate::report::Style;
use std::io::Write;

pub fn run(
    _catalog: &Catalog,
    _query: &str,
    _json: bool,
    _limit: usize,
    _lang: Lang,
    _style: Style,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    writeln!(out, "search is not built yet")?;
    Ok(super::exit::USAGE)
}
