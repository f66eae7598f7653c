//! Helpers shared by the remote job-board kinds (RemoteOK, Remotive, Jobicy,
//! Himalayas): finding the job list in an envelope and reading its jobs, and reading the loosely typed JSON values those APIs send
//! (ids and amounts as numbers or as strings, lists as arrays or one string).
//!
//! Input: `serde_json::Value`s cut from a response. Output: plain Rust values,
//! with "unknown" (null, empty, zero) as `None`.

use serde_json::Value;
use url::Url;

use super::SourceError;
use crate::model::{Salary, SalaryOrigin, SalaryPeriod};

/// The `jobs` array of an envelope object. A body without one (an error
/// object, a changed API) is a parse error that quotes the server's own
/// `error`/`message` when it sends one.
pub(super) fn jobs_of(body: Value, url: &Url) -> Result<Vec<Value>, SourceError> {
    let Value::Object(mut map) = body else {
        return Err(SourceError::parse(
            url,
            format!(
                "expected a JSON object with a `jobs` list, got {}",
                kind(&body)
            ),
        ));
    };
    match map.remove("jobs") {
        Some(Value::Array(jobs)) => Ok(jobs),
        Some(other) => Err(SourceError::parse(
            url,
            format!("`jobs` is {}, not a list", kind(&other)),
        )),
        None => {
            let said = ["error", "message"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str))
                .map(|m| format!(" (the server says: {m})"))
                .unwrap_or_default();
            Err(SourceError::parse(url, format!("no `jobs` list{said}")))
        }
    }
}

/// The jobs of an envelope's `jobs` list, each read as `J` and paired with
/// the id `id_of` finds in it. A job that does not read, or has no id, fails
/// the whole list with a parse error naming its index.
pub(super) fn jobs_with_ids<J: serde::de::DeserializeOwned>(
    body: Value,
    url: &Url,
    id_of: impl Fn(&J) -> Option<String>,
) -> Result<Vec<(J, String)>, SourceError> {
    let jobs = jobs_of(body, url)?;
    let mut out = Vec::with_capacity(jobs.len());
    for (i, item) in jobs.into_iter().enumerate() {
        let job: J = serde_json::from_value(item)
            .map_err(|e| SourceError::parse(url, format!("job {i} is malformed: {e}")))?;
        let Some(id) = id_of(&job) else {
            return Err(SourceError::parse(url, format!("job {i} has no id")));
        };
        out.push((job, id));
    }
    Ok(out)
}

/// What a JSON value is, for error messages.
pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A trimmed string, `None` when absent or blank.
pub(super) fn text(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// An id sent as a string or as an integer; `None` when absent or blank.
pub(super) fn id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => text(Some(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A positive amount sent as a number or a numeric string; zero, negative,
/// null and anything else are unknown.
pub(super) fn amount(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }?;
    (n.is_finite() && n > 0.0).then_some(n)
}

/// An epoch timestamp sent as a number or digits (seconds or milliseconds,
/// decided by magnitude), or a timestamp string in any form `parse_time` reads.
pub(super) fn time(v: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .and_then(crate::normalize::from_epoch),
        Value::String(s) => crate::normalize::parse_time(s),
        _ => None,
    }
}

/// A list of strings sent as an array (non-strings and blanks skipped) or as
/// one string.
pub(super) fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(|i| text(i.as_str())).collect(),
        Value::String(s) => text(Some(s)).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A pay period as the boards write it ("yearly", "annual", "monthly",
/// "hourly", …); `None` for anything else.
pub(super) fn period(s: &str) -> Option<SalaryPeriod> {
    Some(match s.trim().to_lowercase().as_str() {
        "year" | "yearly" | "annual" | "annually" | "per year" => SalaryPeriod::Year,
        "month" | "monthly" | "per month" => SalaryPeriod::Month,
        "week" | "weekly" | "per week" => SalaryPeriod::Week,
        "day" | "daily" | "per day" => SalaryPeriod::Day,
        "hour" | "hourly" | "per hour" => SalaryPeriod::Hour,
        _ => return None,
    })
}

/// A structured salary from the fields a board sends; `None` when neither
/// bound is known (both missing or zero).
pub(super) fn salary(
    min: Option<f64>,
    max: Option<f64>,
    currency: Option<&str>,
    period_text: Option<&str>,
) -> Option<Salary> {
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Salary {
        min,
        max,
        currency: text(currency).map(|c| c.to_uppercase()),
        period: period_text.and_then(period),
        origin: SalaryOrigin::Structured,
        text: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jobs_of_finds_the_list_or_says_what_came_instead() {
        let url = Url::parse("https://example.com/api").expect("url");
        assert_eq!(
            jobs_of(json!({"jobs": [1, 2]}), &url).expect("jobs").len(),
            2
        );
        let cases = [
            (
                json!([]),
                "expected a JSON object with a `jobs` list, got a list",
            ),
            (json!({"jobs": {}}), "`jobs` is an object, not a list"),
            (json!({"count": 0}), "no `jobs` list"),
            (
                json!({"success": false, "error": "Invalid count"}),
                "no `jobs` list (the server says: Invalid count)",
            ),
        ];
        for (body, want) in cases {
            let err = jobs_of(body, &url).expect_err("not a job list").to_string();
            assert_eq!(err, format!("https://example.com/api: {want}"));
        }
    }

    #[test]
    fn loose_values_read_as_their_meaning_or_unknown() {
        assert_eq!(id(&json!("1136719")), Some("1136719".into()));
        assert_eq!(id(&json!(2090903)), Some("2090903".into()));
        assert_eq!(id(&json!("  ")), None);
        assert_eq!(id(&json!(null)), None);
        let amounts = [
            (json!(150000), Some(150000.0)),
            (json!(72.5), Some(72.5)),
            (json!("220000"), Some(220000.0)),
            (json!(0), None),
            (json!("0"), None),
            (json!(-5), None),
            (json!(null), None),
            (json!("competitive"), None),
        ];
        for (v, want) in amounts {
            assert_eq!(amount(&v), want, "{v}");
        }
        assert_eq!(strings(&json!(["a", " ", 3, "b "])), ["a", "b"]);
        assert_eq!(strings(&json!("Full-Time")), ["Full-Time"]);
        assert!(strings(&json!(null)).is_empty());
    }

    #[test]
    fn times_come_from_seconds_millis_or_text() {
        let want = chrono::DateTime::from_timestamp(1_786_813_232, 0);
        assert_eq!(time(&json!(1_786_813_232)), want);
        assert_eq!(time(&json!(1_786_813_232_000_i64)), want);
        assert_eq!(time(&json!(1_786_813_232.0)), want);
        assert_eq!(time(&json!("2026-08-15T17:00:32+00:00")), want);
        assert_eq!(time(&json!(0)), None);
        assert_eq!(time(&json!(null)), None);
    }

    #[test]
    fn salary_keeps_known_parts_and_drops_an_empty_range() {
        use SalaryPeriod::*;
        let periods = [
            ("yearly", Some(Year)),
            ("annual", Some(Year)),
            ("Monthly", Some(Month)),
            ("weekly", Some(Week)),
            ("daily", Some(Day)),
            ("hourly", Some(Hour)),
            ("per-task", None),
            ("", None),
        ];
        for (s, want) in periods {
            assert_eq!(period(s), want, "{s}");
        }
        assert_eq!(salary(None, None, Some("USD"), Some("yearly")), None);
        let s = salary(Some(90000.0), None, Some("usd"), None).expect("salary");
        assert_eq!(
            (s.min, s.max, s.currency.as_deref(), s.period, s.origin),
            (
                Some(90000.0),
                None,
                Some("USD"),
                None,
                SalaryOrigin::Structured
            )
        );
    }
}
