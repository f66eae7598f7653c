//! A posting's typed fields as the filters read them: pay per year, workplace,
//! contract, when it counts as posted, and its state.
//!
//! Input: a [`Posting`] (at ingest) or the stored columns (in a search).
//! Output: [`Facts`], one per [`super::Doc`]. Both paths derive the yearly pay
//! and the posting time with the same functions here, so a filter means the
//! same on a fresh posting and on a stored one.

use chrono::{DateTime, Utc};

use crate::model::{EmploymentType, Posting, SalaryPeriod, Workplace};
use crate::store::UserState;

/// Figures at or above this with no period are yearly: the rule the salary
/// parser applies to free text (`normalize::salary`), kept for structured
/// fields that give no period either.
const YEARLY_WITHOUT_PERIOD: f64 = 10_000.0;

/// What the typed filters (`salary>=`, `workplace:`, `type:`, `posted<`,
/// `state:`) read from a posting.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Pay per year, lowest and highest, in the posting's own currency.
    pub salary: Option<(f64, f64)>,
    /// Remote, hybrid, on-site, or `Unknown` (no filter matches it).
    pub workplace: Workplace,
    /// The kind of contract.
    pub employment: Option<EmploymentType>,
    /// When it counts as posted, in unix seconds (see [`posted_at`]).
    pub posted: Option<i64>,
    /// The time ages are measured at, in unix seconds.
    pub now: i64,
    /// Open, closed or reopened.
    pub lifecycle: Lifecycle,
    /// What the user made of it.
    pub mark: Option<Mark>,
}

/// A job's life on the boards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lifecycle {
    /// Listed, and never gone.
    #[default]
    Open,
    /// Gone from every board that can tell.
    Closed,
    /// Gone once, and listed again.
    Reopened,
}

/// The user's triage of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// Kept for later.
    Saved,
    /// Applied to.
    Applied,
    /// Not of interest.
    Dismissed,
}

impl Lifecycle {
    /// A stored job's lifecycle from its closed and reopened marks.
    pub fn of(closed: bool, reopened: bool) -> Lifecycle {
        match (closed, reopened) {
            (true, _) => Lifecycle::Closed,
            (false, true) => Lifecycle::Reopened,
            (false, false) => Lifecycle::Open,
        }
    }
}

impl From<UserState> for Mark {
    fn from(u: UserState) -> Mark {
        match u {
            UserState::Saved => Mark::Saved,
            UserState::Applied => Mark::Applied,
            UserState::Dismissed => Mark::Dismissed,
        }
    }
}

impl From<Mark> for UserState {
    fn from(m: Mark) -> UserState {
        match m {
            Mark::Saved => UserState::Saved,
            Mark::Applied => UserState::Applied,
            Mark::Dismissed => UserState::Dismissed,
        }
    }
}

impl Default for Facts {
    /// Nothing known: no filter but a negated one matches.
    fn default() -> Facts {
        Facts {
            salary: None,
            workplace: Workplace::Unknown,
            employment: None,
            posted: None,
            now: 0,
            lifecycle: Lifecycle::Open,
            mark: None,
        }
    }
}

impl Facts {
    /// The facts of a posting being stored now, first seen at `first_seen`:
    /// open, with no mark (a new job has none yet).
    pub fn of(p: &Posting, first_seen: DateTime<Utc>, now: DateTime<Utc>) -> Facts {
        let salary = p
            .salary
            .as_ref()
            .and_then(|s| yearly_salary(s.min, s.max, s.period));
        Facts {
            salary,
            workplace: p.workplace,
            employment: p.employment_type,
            posted: Some(posted_at(
                p.posted_at.map(|t| t.timestamp()),
                first_seen.timestamp(),
            )),
            now: now.timestamp(),
            lifecycle: Lifecycle::Open,
            mark: None,
        }
    }
}

/// A pay range scaled to a year: `(lowest, highest)`, a single figure being
/// both. Hours, days, weeks and months count 2080, 260, 52 and 12 to the year
/// ([`SalaryPeriod::per_year`]). Without a period, figures of 10,000 and more
/// are yearly and smaller ones say nothing comparable (`None`).
pub fn yearly_salary(
    min: Option<f64>,
    max: Option<f64>,
    period: Option<SalaryPeriod>,
) -> Option<(f64, f64)> {
    let lo = min.or(max)?;
    let hi = max.or(min)?;
    let per_year = match period {
        Some(p) => p.per_year(),
        None if hi >= YEARLY_WITHOUT_PERIOD => 1.0,
        None => return None,
    };
    let (lo, hi) = (lo * per_year, hi * per_year);
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// When a job counts as posted, for `posted<7d` as for `--since`: its posting
/// date, or when jobhound first saw it if the source gives none or a later
/// one (a future date is a source's error). Unix seconds.
pub fn posted_at(posted: Option<i64>, first_seen: i64) -> i64 {
    posted.unwrap_or(first_seen).min(first_seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salaries_scale_to_a_year() {
        use SalaryPeriod::*;
        let cases = [
            (
                Some(100_000.0),
                Some(150_000.0),
                Some(Year),
                Some((100_000.0, 150_000.0)),
            ),
            (
                Some(50.0),
                Some(60.0),
                Some(Hour),
                Some((104_000.0, 124_800.0)),
            ),
            (Some(400.0), None, Some(Day), Some((104_000.0, 104_000.0))),
            (
                None,
                Some(2_000.0),
                Some(Week),
                Some((104_000.0, 104_000.0)),
            ),
            (
                Some(8_000.0),
                Some(9_000.0),
                Some(Month),
                Some((96_000.0, 108_000.0)),
            ),
            (Some(90_000.0), None, None, Some((90_000.0, 90_000.0))),
            (Some(5_000.0), Some(6_000.0), None, None),
            (None, None, Some(Year), None),
        ];
        for (min, max, period, want) in cases {
            assert_eq!(
                yearly_salary(min, max, period),
                want,
                "{min:?}-{max:?}/{period:?}"
            );
        }
    }

    #[test]
    fn posting_time_is_never_after_first_seen() {
        assert_eq!(posted_at(Some(100), 200), 100);
        assert_eq!(posted_at(Some(300), 200), 200, "a future date");
        assert_eq!(posted_at(None, 200), 200, "undated");
    }
}
