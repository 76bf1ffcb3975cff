//! `errdex lookup [MESSAGE]`: the records that explain an error message or log.

use crate::catalog::{Catalog, Lang};
use crate::report::Style;
use std::io::Write;

#[allow(clippy::too_many_arguments)]
pub fn run(
    _catalog: &Catalog,
    _message: Option<&str>,
    _json: bool,
    _limit: usize,
    _lang: Lang,
    _style: Style,
    _out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    writeln!(err, "errdex: lookup is not built yet")?;
    Ok(super::exit::USAGE)
}
