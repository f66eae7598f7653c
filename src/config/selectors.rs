//! `[source.selectors]` of an `html` source: raw strings in, parsed CSS
//! selectors out. Every selector is parsed at config load, so a typo fails at
//! start-up with its key path (`source[2].selectors.title`), not at the first fetch.
//!
//! A selector is CSS, optionally followed by ` @attr` to read that attribute
//! instead of the element's text (`"time @datetime"`, `"a.title @href"`). A bare
//! `"@href"` reads the attribute of the item element itself.

use scraper::Selector;

use super::check::Checker;
use super::raw::RawSelectors;

/// One configured selector: which element, and what of it to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// The CSS as written, for messages; empty for the item element itself.
    pub css: String,
    /// The parsed CSS; `None` selects the item element itself.
    pub selector: Option<Selector>,
    /// The attribute to read instead of the text.
    pub attr: Option<String>,
}

impl Pick {
    /// The selector as the user wrote it (`time @datetime`), for messages.
    pub fn written(&self) -> String {
        match (&self.attr, self.css.is_empty()) {
            (Some(a), true) => format!("@{a}"),
            (Some(a), false) => format!("{} @{a}", self.css),
            (None, _) => self.css.clone(),
        }
    }
}

/// The validated `[source.selectors]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Selectors {
    /// One element per posting on the list page.
    pub item: Pick,
    /// The title, inside an item.
    pub title: Pick,
    /// The posting's link, inside an item (reads `href` unless an attribute is given).
    pub link: Pick,
    /// The company, inside an item.
    pub company: Option<Pick>,
    /// The location, inside an item.
    pub location: Option<Pick>,
    /// The posting date, inside an item.
    pub date: Option<Pick>,
    /// The description, inside an item (its HTML, or the attribute as text).
    pub description: Option<Pick>,
    /// The next-page link, anywhere on the list page (reads `href` unless an attribute is given).
    pub next: Option<Pick>,
    /// The description on each item's detail page; when set, every detail page is fetched.
    pub detail_description: Option<Pick>,
}

/// Checks `[source.selectors]` at `at` (`source[0].selectors`); `None` when it has problems.
pub(super) fn check(
    c: &mut Checker<'_>,
    at: &str,
    raw: Option<&RawSelectors>,
) -> Option<Selectors> {
    let Some(raw) = raw else {
        c.problem(
            at,
            "is required: a [source.selectors] table with at least item, title and link",
        );
        return None;
    };
    let item = required(c, at, "item", &raw.item);
    let title = required(c, at, "title", &raw.title);
    let link = required(c, at, "link", &raw.link);
    let company = optional(c, at, "company", &raw.company);
    let location = optional(c, at, "location", &raw.location);
    let date = optional(c, at, "date", &raw.date);
    let description = optional(c, at, "description", &raw.description);
    let next = optional(c, at, "next", &raw.next);
    let detail_description = optional(c, at, "detail_description", &raw.detail_description);
    let item = item?;
    if item.attr.is_some() || item.selector.is_none() {
        c.problem(
            format!("{at}.item"),
            "must be a CSS selector only: an item is an element, not an attribute",
        );
        return None;
    }
    Some(Selectors {
        item,
        title: title?,
        link: link?,
        company: company.ok()?,
        location: location.ok()?,
        date: date.ok()?,
        description: description.ok()?,
        next: next.ok()?,
        detail_description: detail_description.ok()?,
    })
}

/// A selector that must be set.
fn required(c: &mut Checker<'_>, at: &str, key: &str, value: &Option<String>) -> Option<Pick> {
    let path = format!("{at}.{key}");
    c.required(&path, value).and_then(|v| pick(c, &path, &v))
}

/// A selector that may be left out: `Ok(None)`; `Err` when set but invalid.
fn optional(
    c: &mut Checker<'_>,
    at: &str,
    key: &str,
    value: &Option<String>,
) -> Result<Option<Pick>, ()> {
    match value {
        None => Ok(None),
        Some(v) => pick(c, &format!("{at}.{key}"), v).map(Some).ok_or(()),
    }
}

/// Parses one selector; records a problem at `path` when it is not valid CSS.
pub(super) fn pick(c: &mut Checker<'_>, path: &str, value: &str) -> Option<Pick> {
    let (css, attr) = split_attr(value);
    let selector = if css.is_empty() {
        None
    } else {
        match Selector::parse(css) {
            Ok(s) => Some(s),
            Err(e) => {
                c.problem(path, format!("`{css}` is not a valid CSS selector: {e}"));
                return None;
            }
        }
    };
    if selector.is_none() && attr.is_none() {
        c.problem(path, "must not be empty");
        return None;
    }
    Some(Pick {
        css: css.to_string(),
        selector,
        attr: attr.map(str::to_string),
    })
}

/// Splits `"a.title @href"` into the CSS and the attribute name. The `@` must
/// start the value or follow a space, and the name must look like an attribute
/// name, so an `@` inside CSS (`a[href^="mailto:x@y"]`) stays CSS.
fn split_attr(value: &str) -> (&str, Option<&str>) {
    let value = value.trim();
    if let Some((css, attr)) = value.rsplit_once('@')
        && (css.is_empty() || css.ends_with(char::is_whitespace))
        && !attr.is_empty()
        && attr
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | ':'))
    {
        return (css.trim(), Some(attr));
    }
    (value, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_attr_reads_a_trailing_attribute_only() {
        let cases = [
            ("h3.title", ("h3.title", None)),
            ("time @datetime", ("time", Some("datetime"))),
            ("  a.title   @href ", ("a.title", Some("href"))),
            ("@href", ("", Some("href"))),
            ("div @data-job-id", ("div", Some("data-job-id"))),
            (
                r#"a[href^="mailto:x@y"]"#,
                (r#"a[href^="mailto:x@y"]"#, None),
            ),
            ("a@href", ("a@href", None)),
        ];
        for (input, want) in cases {
            assert_eq!(split_attr(input), want, "{input}");
        }
    }

    fn parse(selectors: &str) -> Result<crate::config::Config, crate::config::ConfigError> {
        let text = format!(
            "[[source]]\nname = \"board\"\nkind = \"html\"\nurl = \"https://jobs.example/ml\"\n{selectors}"
        );
        crate::config::Config::parse(&text, std::path::Path::new("j.toml"), &|_| None)
    }

    #[test]
    fn a_complete_table_parses_with_attributes() {
        let config = parse(
            "[source.selectors]\nitem = \"li.job\"\ntitle = \"a.title\"\nlink = \"a.title\"\n\
             date = \"time @datetime\"\nnext = \"a[rel=next]\"\n",
        )
        .expect("valid config");
        let crate::config::SourceKind::Html { selectors, .. } = &config.sources[0].kind else {
            panic!("an html source");
        };
        assert_eq!(selectors.item.css, "li.job");
        assert_eq!(
            selectors.link.attr, None,
            "link reads href by default at fetch time"
        );
        let date = selectors.date.as_ref().expect("date");
        assert_eq!(
            (date.css.as_str(), date.attr.as_deref()),
            ("time", Some("datetime"))
        );
        assert_eq!(date.written(), "time @datetime");
        assert!(selectors.company.is_none());
    }

    #[test]
    fn bad_or_missing_selectors_are_config_errors_naming_their_key() {
        let cases = [
            (
                "[source.selectors]\nitem = \"li\"\ntitle = \"h3..x\"\nlink = \"a\"\n",
                "source[0].selectors.title: `h3..x` is not a valid CSS selector",
            ),
            (
                "[source.selectors]\nitem = \"li\"\nlink = \"a\"\n",
                "source[0].selectors.title: is required",
            ),
            (
                "[source.selectors]\nitem = \"li @id\"\ntitle = \"h3\"\nlink = \"a\"\n",
                "source[0].selectors.item: must be a CSS selector only",
            ),
            (
                "[source.selectors]\nitem = \"li\"\ntitle = \"h3\"\nlink = \"a\"\nnext = \"a[rel=\"\n",
                "source[0].selectors.next: `a[rel=` is not a valid CSS selector",
            ),
            (
                "[source.selectors]\nitem = \"li\"\ntitle = \"h3\"\nlink = \"a\"\nsalary = \"b\"\n",
                "unknown field `salary`",
            ),
            ("", "source[0].selectors: is required"),
        ];
        for (toml, want) in cases {
            let err = parse(toml).expect_err(toml).to_string();
            assert!(err.contains(want), "{toml}\nwant {want}\ngot {err}");
        }
    }
}
