//! One cron field's text → the set of values it names, or an error in the
//! user's terms: the field's name and the token as written
//! ("minute `61` is out of range 0–59").

/// One of the five fields: its name in messages, its range, its names.
pub(super) struct Field {
    name: &'static str,
    lo: u32,
    hi: u32,
    /// The last value `*` and `N/step` reach (day-of-week: 6; 7 is Sunday again).
    star_hi: u32,
    /// Three-letter names for `lo`, `lo + 1`, …, matched without regard to case.
    names: &'static [&'static str],
    /// What a name in this field is, for messages.
    what: &'static str,
    /// Whether `?` may stand for `*` (the day fields, as Quartz-style schedules write them).
    question_mark: bool,
}

pub(super) const MINUTE: Field = Field {
    name: "minute",
    lo: 0,
    hi: 59,
    star_hi: 59,
    names: &[],
    what: "",
    question_mark: false,
};
pub(super) const HOUR: Field = Field {
    name: "hour",
    lo: 0,
    hi: 23,
    star_hi: 23,
    names: &[],
    what: "",
    question_mark: false,
};
pub(super) const DAY: Field = Field {
    name: "day-of-month",
    lo: 1,
    hi: 31,
    star_hi: 31,
    names: &[],
    what: "",
    question_mark: true,
};
pub(super) const MONTH: Field = Field {
    name: "month",
    lo: 1,
    hi: 12,
    star_hi: 12,
    names: &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
    what: "month name (jan–dec)",
    question_mark: false,
};
pub(super) const WEEKDAY: Field = Field {
    name: "day-of-week",
    lo: 0,
    hi: 7,
    star_hi: 6,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    what: "day name (sun–sat)",
    question_mark: true,
};

impl Field {
    /// The set of values `text` (a comma-separated list of `*`, `N`, `N-M`,
    /// each optionally `/step`) names, or what is wrong with it, in the user's terms.
    pub(super) fn parse(&self, text: &str) -> Result<u64, String> {
        let name = self.name;
        let mut set = 0u64;
        for item in text.split(',') {
            if item.is_empty() {
                return Err(format!("{name} `{text}` has an empty item in its list"));
            }
            let (range, step) = match item.split_once('/') {
                Some((range, step)) => (range, Some(self.step(item, step)?)),
                None => (item, None),
            };
            let (lo, hi) = if range == "*" || (range == "?" && self.question_mark) {
                (self.lo, self.star_hi)
            } else if let Some((a, b)) = range.split_once('-') {
                if a.is_empty() || b.is_empty() || b.contains('-') {
                    return Err(format!("{name} `{item}` is not a range (write `N-M`)"));
                }
                let (a, b) = (self.value(a)?, self.value(b)?);
                // Sunday is 7 as well as 0, so `fri-sun` is Friday to Sunday.
                let b = if self.hi == 7 && b == 0 && a > 0 {
                    7
                } else {
                    b
                };
                if a > b {
                    let (lo, hi) = (self.lo, self.hi);
                    let upper = if a == hi {
                        a.to_string()
                    } else {
                        format!("{a}-{hi}")
                    };
                    let lower = if b == lo {
                        b.to_string()
                    } else {
                        format!("{lo}-{b}")
                    };
                    return Err(format!(
                        "{name} range `{range}` runs backwards (write it as a list, e.g. `{upper},{lower}`)"
                    ));
                }
                (a, b)
            } else {
                let v = self.value(range)?;
                // `N/step` runs from N to the end of the field, as with `*/step`.
                (
                    v,
                    if step.is_some() {
                        self.star_hi.max(v)
                    } else {
                        v
                    },
                )
            };
            let step = step.unwrap_or(1);
            let mut v = lo;
            while v <= hi {
                set |= 1 << v;
                v += step;
            }
        }
        Ok(set)
    }

    /// A step (`*/step`) between 1 and the number of values the field has.
    fn step(&self, item: &str, step: &str) -> Result<u32, String> {
        let name = self.name;
        let count = self.star_hi - self.lo + 1;
        if step.is_empty() || !step.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{name} step `{step}` in `{item}` is not a number"));
        }
        match step.parse::<u32>() {
            Ok(n) if (1..=count).contains(&n) => Ok(n),
            _ => Err(format!(
                "{name} step `{step}` in `{item}` is out of range 1–{count}"
            )),
        }
    }

    /// A single number or name of the field.
    fn value(&self, token: &str) -> Result<u32, String> {
        let (name, lo, hi) = (self.name, self.lo, self.hi);
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            return match token.parse::<u32>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                _ => Err(format!("{name} `{token}` is out of range {lo}–{hi}")),
            };
        }
        if let Some(i) = self
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(token))
        {
            return u32::try_from(i).map(|i| i + lo).map_err(|e| e.to_string());
        }
        if self.names.is_empty() {
            Err(format!("{name} `{token}` is not a number ({lo}–{hi})"))
        } else {
            Err(format!(
                "{name} `{token}` is not a {} or a number {lo}–{hi}",
                self.what
            ))
        }
    }
}
