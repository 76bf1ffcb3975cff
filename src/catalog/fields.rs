//! Typed reading of one raw field, with errors that point into the file.

use super::diagnostic::Diagnostic;
use super::source::Text;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// Parses a field's raw text as `T`; the error names the field and its exact position.
pub fn value<T: DeserializeOwned>(text: &Text, key: &str, raw: &RawValue) -> Result<T, Diagnostic> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let mut d = text.parse_error(raw.get(), &e);
        d.message = format!("field `{key}`: {}", d.message);
        d
    })
}

/// A list field, where `null` means empty.
pub fn list<T: DeserializeOwned>(
    text: &Text,
    key: &str,
    raw: &RawValue,
) -> Result<Vec<T>, Diagnostic> {
    Ok(value::<Option<Vec<T>>>(text, key, raw)?.unwrap_or_default())
}

/// A map field, where `null` means empty.
pub fn map(
    text: &Text,
    key: &str,
    raw: &RawValue,
) -> Result<serde_json::Map<String, serde_json::Value>, Diagnostic> {
    Ok(value::<Option<_>>(text, key, raw)?.unwrap_or_default())
}
