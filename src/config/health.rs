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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, EXAMPLE};

    #[test]
    fn the_examples_commented_health_section_parses_when_uncommented() {
        let text = EXAMPLE
            .replace("# [health]\n", "[health]\n")
            .replace("# notifiers = [\"hook\"]\n", "notifiers = [\"hook\"]\n")
            .replace("# after_failures = 3\n", "after_failures = 3\n");
        assert_ne!(text, EXAMPLE, "the example carries a [health] section");
        let c = Config::parse(&text, Path::new("example.toml"), &|_| Some("x".into()))
            .expect("the example parses");
        let h = c.health.expect("[health]");
        assert_eq!(
            (h.notifiers, h.after_failures),
            (vec!["hook".to_string()], 3)
        );
        let without = Config::parse(EXAMPLE, Path::new("example.toml"), &|_| Some("x".into()))
            .expect("the example parses");
        assert!(without.health.is_none(), "no section, no reports");
    }

    #[test]
    fn bad_health_sections_name_their_keys() {
        let base =
            "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/h\"\n";
        for (health, want) in [
            (
                "notifiers = [\"nope\"]",
                "health.notifiers[0]: no [[notifier]] is named `nope`",
            ),
            (
                "notifiers = []",
                "health.notifiers: name at least one [[notifier]]",
            ),
            (
                "notifiers = [\"hook\"]\nafter_failures = 0",
                "health.after_failures: 0 is out of range (1 to 1000)",
            ),
        ] {
            let text = format!("{base}[health]\n{health}\n");
            let err = Config::parse(&text, Path::new("c.toml"), &|_| None)
                .expect_err(health)
                .to_string();
            assert!(err.contains(want), "{health}: {err}");
        }
    }
}
