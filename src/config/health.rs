//! `[health]`: where to report sources that stop working, and after how many
//! passes. Absent: no health reports. A source is reported once when it has
//! failed `after_failures` passes in a row (or, having listed postings
//! before, listed none for as many passes), and once more when it works again.

use super::check::Checker;
use super::raw::RawHealth;

/// `[health]`: source health reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The notifiers the reports go through (disabled ones are skipped).
    pub notifiers: Vec<String>,
    /// Consecutive failed (or empty) passes before a source is reported.
    pub after_failures: u32,
}

/// The default of `after_failures`.
pub const AFTER_FAILURES: u32 = 3;

/// Validates `[health]`; `declared` are the names of the `[[notifier]]`s.
pub(super) fn check(
    c: &mut Checker<'_>,
    raw: &RawHealth,
    declared: &std::collections::HashSet<&str>,
) -> Option<Health> {
    let after_failures = c.number(
        "health.after_failures",
        raw.after_failures,
        AFTER_FAILURES,
        1,
        1000,
    );
    let notifiers = raw.notifiers.clone().unwrap_or_default();
    if notifiers.is_empty() {
        c.problem(
            "health.notifiers",
            "name at least one [[notifier]] to report to (or leave [health] out)",
        );
        return None;
    }
    let mut ok = true;
    for (j, n) in notifiers.iter().enumerate() {
        if !declared.contains(n.as_str()) {
            c.problem(
                format!("health.notifiers[{j}]"),
                format!("no [[notifier]] is named `{n}`"),
            );
            ok = false;
        }
    }
    ok.then_some(Health {
        notifiers,
        after_failures,
    })
}
