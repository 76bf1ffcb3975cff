//! `errdex check`: load, validate, print every diagnostic and a summary.

use super::exit;
use crate::catalog::validate::validate;
use crate::catalog::{Catalog, Diagnostic, Severity};
use crate::text::sanitize_line;
use std::io::Write;

/// The load diagnostics plus the validation ones, errors and warnings in file order.
pub fn diagnostics(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut all = catalog.diagnostics.clone();
    all.extend(validate(catalog));
    all
}

pub fn run(catalog: &Catalog, json: bool, out: &mut impl Write) -> std::io::Result<u8> {
    let all = diagnostics(catalog);
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    if json {
        let report = serde_json::json!({
            "records": catalog.len(),
            "files": catalog.files,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": all,
        });
        writeln!(
            out,
            "{}",
            crate::text::json_for_terminal(
                &serde_json::to_string_pretty(&report).unwrap_or_default()
            )
        )?;
    } else {
        for d in &all {
            writeln!(out, "{}", sanitize_line(&d.to_string()))?;
        }
        writeln!(
            out,
            "{} records from {} files: {errors} errors, {warnings} warnings",
            catalog.len(),
            catalog.files
        )?;
    }
    Ok(if errors > 0 { exit::PROBLEMS } else { exit::OK })
}
