//! Reading postings as the CLI prints them (JSON).

use serde_json::Value;

/// The posting listed under `external_id`.
pub fn by_id<'a>(postings: &'a [Value], external_id: &str) -> &'a Value {
    postings
        .iter()
        .find(|p| p["external_id"] == external_id)
        .unwrap_or_else(|| panic!("no posting {external_id}"))
}
