//! The identifiers a source kind splices into its endpoint URL (a board token,
//! an account slug, a subdomain, a collection id), checked by one rule per place
//! they go, so that no value can change the URL's structure.

use super::super::check::Checker;

/// What an identifier may look like: the characters it may use and what the
/// problem says when it uses another.
pub(super) struct Ident {
    /// Whether surrounding spaces are dropped first; otherwise they are
    /// rejected like any other character the rule does not allow.
    trim: bool,
    /// Whether a character may appear in the identifier.
    allows: fn(char) -> bool,
    /// What the problem says after the rejected value (which it quotes).
    says: &'static str,
}

/// A name that becomes one path segment, given as it appears in the board's
/// URL (Greenhouse board tokens, Lever sites, Ashby boards).
pub(super) const BOARD_NAME: Ident = Ident {
    trim: true,
    allows: |ch| !(ch.is_whitespace() || matches!(ch, '/' | '?' | '#' | '%')),
    says: ": give the name as it appears in the board's URL (no '/', '?', '#', '%' or spaces)",
};

/// A slug that becomes one path segment (Workable accounts, SmartRecruiters companies).
pub(super) const PATH_SAFE: Ident = Ident {
    trim: false,
    allows: |ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_'),
    says: ": use only letters, digits, '-' and '_'",
};

/// A name that becomes a host name's first label (Recruitee companies).
pub(super) const HOST_LABEL: Ident = Ident {
    trim: false,
    allows: |ch| ch.is_ascii_alphanumeric() || ch == '-',
    says: ": use only letters, digits and '-'",
};

/// A Getro collection: a number.
pub(super) const GETRO_COLLECTION: Ident = Ident {
    trim: true,
    allows: |ch| ch.is_ascii_digit(),
    says: " is not a Getro collection id (a number, e.g. \"1625\")",
};

impl Ident {
    /// The required identifier at `path`; `None` (with a problem recorded)
    /// when it is missing, blank, or uses a character the rule does not allow.
    pub(super) fn check(
        &self,
        c: &mut Checker<'_>,
        path: &str,
        value: &Option<String>,
    ) -> Option<String> {
        let v = c.required(path, value)?;
        let v = if self.trim { v.trim().to_string() } else { v };
        if v.chars().all(self.allows) {
            Some(v)
        } else {
            c.problem(path, format!("`{v}`{}", self.says));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_accepts_its_characters_only() {
        // (rule, value, accepted as)
        let cases: &[(&str, &Ident, &str, Option<&str>)] = &[
            ("board", &BOARD_NAME, "lumenai", Some("lumenai")),
            ("board", &BOARD_NAME, " lumen.ai ", Some("lumen.ai")),
            ("board", &BOARD_NAME, "acme/jobs", None),
            ("board", &BOARD_NAME, "a b", None),
            ("board", &BOARD_NAME, "50%", None),
            (
                "path",
                &PATH_SAFE,
                "northwind-vision_2",
                Some("northwind-vision_2"),
            ),
            ("path", &PATH_SAFE, " northwind", None),
            ("path", &PATH_SAFE, "a/../b", None),
            ("path", &PATH_SAFE, "a.b", None),
            ("host", &HOST_LABEL, "tide-water", Some("tide-water")),
            ("host", &HOST_LABEL, "tide_water", None),
            ("host", &HOST_LABEL, "tidewater ", None),
            ("getro", &GETRO_COLLECTION, " 1625 ", Some("1625")),
            ("getro", &GETRO_COLLECTION, "greylock", None),
            ("getro", &GETRO_COLLECTION, "１６２５", None),
        ];
        for (what, rule, value, want) in cases {
            let env = |_: &str| None;
            let mut c = Checker::new(&env);
            let got = rule.check(&mut c, "p", &Some(value.to_string()));
            assert_eq!(got.as_deref(), *want, "{what}: {value:?}");
            assert_eq!(c.problems().is_empty(), want.is_some(), "{what}: {value:?}");
        }
    }

    #[test]
    fn a_rejected_value_is_quoted_before_the_rule() {
        let env = |_: &str| None;
        let mut c = Checker::new(&env);
        assert_eq!(HOST_LABEL.check(&mut c, "p", &Some("a_b".into())), None);
        assert_eq!(BOARD_NAME.check(&mut c, "q", &None), None);
        assert_eq!(
            c.problems(),
            [
                (
                    "p".to_string(),
                    "`a_b`: use only letters, digits and '-'".to_string()
                ),
                ("q".to_string(), "is required".to_string()),
            ]
        );
    }
}
