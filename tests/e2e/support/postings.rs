//! Reading postings as the CLI prints them (JSON): finding one, checking its fields.

use serde_json::Value;

/// The posting listed under `external_id`.
pub fn by_id<'a>(postings: &'a [Value], external_id: &str) -> &'a Value {
    postings
        .iter()
        .find(|p| p["external_id"] == external_id)
        .unwrap_or_else(|| panic!("no posting {external_id}"))
}

/// Asserts each `(key, value)` of `want` on a posting, naming the key on failure.
pub fn assert_fields(p: &Value, want: &[(&str, Value)]) {
    for (key, value) in want {
        assert_eq!(&p[*key], value, "{key} of {}", p["external_id"]);
    }
}
