//! The query language used by alerts and by search: parse → tree → matcher.
//!
//! Input: query strings from the config, the CLI or the API, and postings.
//! Output: whether a posting matches ([`Query::matches`] on a [`Doc`]), which
//! of many alerts match ([`AlertSet::matching`]), and an FTS5 `MATCH`
//! expression that narrows a search in the store ([`Query::fts_prefilter`]).
//! Pure: no I/O.
//!
//! # Language
//! - Terms: `rust`, `"machine learning"`, `learn*` (prefix). Case and
//!   diacritics do not matter; terms match whole words (`ML` does not match
//!   `HTML`), and `node.js` is the phrase `node js`.
//! - `a b` and `a AND b`; `a OR b`; `NOT a` and `-a`; parentheses. `NOT`
//!   binds tightest, then `AND`, then `OR`. Operators only in upper case.
//! - At most 4096 bytes, and groups, `NOT`s and fields nest at most 64 deep
//!   (the parser and every walk over the tree recurse once per level).
//! - Fields: `title:`, `company:`, `location:`, `text:` before a term or a
//!   group; unfielded terms look in all four. `source:name` matches a source
//!   name whole (`source:hn*` by prefix).
//! - Typed filters on the extracted fields ([`Facts`]): `salary>=150k` (also
//!   `>`, `<=`, `<`; yearly pay in the posting's currency), `workplace:remote`,
//!   `type:contract`, `posted<7d`, `state:saved` / `state:closed`. A posting
//!   without the field passes no filter on it.
//!
//! # Layout
//! `lexer` → `parser` → `ast` tree; `words` (with SQLite's folding in
//! `fold`) tokenizes documents and terms alike; `filter` reads and checks the
//! typed filters against a doc's `facts`; `matcher` evaluates the tree
//! on a [`Doc`], whose tokens `table` interns; `fts` turns the tree into an
//! FTS5 expression; `set` matches many queries against one doc; `highlight`
//! finds where a query's words occur in a text (for notifications).

mod ast;
mod error;
mod facts;
mod filter;
mod fold;
mod fts;
mod highlight;
mod lexer;
mod matcher;
mod parser;
#[cfg(test)]
mod props;
mod set;
mod table;
#[cfg(test)]
mod testdata;
mod words;

use std::fmt;
use std::str::FromStr;

pub use error::QueryError;
pub use facts::{Facts, Lifecycle, Mark, posted_at, yearly_salary};
pub use matcher::Doc;
pub use set::AlertSet;

/// A part of a posting a term can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The job title.
    Title,
    /// The hiring company.
    Company,
    /// The locations, joined.
    Location,
    /// The description and tags.
    Text,
    /// The names of the sources that listed it.
    Source,
}

impl Field {
    /// The name as written in queries.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Company => "company",
            Field::Location => "location",
            Field::Text => "text",
            Field::Source => "source",
        }
    }

    /// Reads a field name, in any case.
    pub fn parse(name: &str) -> Option<Field> {
        let field = match name.to_ascii_lowercase().as_str() {
            "title" => Field::Title,
            "company" => Field::Company,
            "location" => Field::Location,
            "text" => Field::Text,
            "source" => Field::Source,
            _ => return None,
        };
        Some(field)
    }

    /// The bit for this field in a doc's per-token field mask (`0` for source,
    /// which is not tokenized).
    pub(crate) fn bit(self) -> u8 {
        match self {
            Field::Title => 1,
            Field::Company => 2,
            Field::Location => 4,
            Field::Text => 8,
            Field::Source => 0,
        }
    }
}

/// The mask of the fields an unfielded term looks in.
pub(crate) const TEXT_FIELDS: u8 = 0b1111;

/// A parsed query: the tree plus the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    input: String,
    root: ast::Node,
}

impl Query {
    /// Parses a query, or says where and why it does not parse.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let root = parser::parse(input)?;
        Ok(Query {
            input: input.to_owned(),
            root,
        })
    }

    /// The query as it was written.
    pub fn as_str(&self) -> &str {
        &self.input
    }

    /// Whether it has words, phrases or prefixes (else it reads no text).
    pub fn reads_text(&self) -> bool {
        self.root.reads_text()
    }

    /// The triage state every match has, when the query requires one at its top.
    pub fn required_mark(&self) -> Option<Mark> {
        self.root.required_mark()
    }

    /// The ages (seconds since posted) every match lies within, when the
    /// query requires them at its top: `(at most, at least)`.
    pub fn required_ages(&self) -> (Option<u64>, Option<u64>) {
        self.root.required_ages()
    }

    /// Whether it names `state:closed`: such a query searches closed jobs
    /// too, as `--all` does (they are left out otherwise).
    pub fn mentions_closed(&self) -> bool {
        self.root.mentions_closed()
    }
}

impl FromStr for Query {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Query, QueryError> {
        Query::parse(s)
    }
}

/// Shows the query as it was written.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_read_in_any_case() {
        let cases = [
            ("title", Some(Field::Title)),
            ("TITLE", Some(Field::Title)),
            ("Company", Some(Field::Company)),
            ("location", Some(Field::Location)),
            ("text", Some(Field::Text)),
            ("source", Some(Field::Source)),
            ("foo", None),
        ];
        for (name, want) in cases {
            assert_eq!(Field::parse(name), want, "{name}");
        }
    }

    #[test]
    fn query_keeps_its_text_and_parses_from_str() {
        let q: Query = "title:(\"machine learning\" OR ML) -senior"
            .parse()
            .expect("parses");
        assert_eq!(q.as_str(), "title:(\"machine learning\" OR ML) -senior");
        assert_eq!(q.to_string(), q.as_str());
        let err = "a OR".parse::<Query>().expect_err("dangling OR");
        assert_eq!(err.position, 2);
        let err = "workplace:remot".parse::<Query>().expect_err("typo");
        assert_eq!(
            err.to_string(),
            "at column 11: unknown workplace 'remot': expected remote, hybrid or on-site"
        );
    }

    #[test]
    fn what_a_query_reads_and_requires() {
        let cases = [
            ("rust", true, None),
            ("state:saved", false, Some(Mark::Saved)),
            ("salary>=1k -state:dismissed source:hn", false, None),
            ("rust state:applied", true, Some(Mark::Applied)),
            ("rust OR state:applied", true, None),
            ("-(-rust) workplace:remote", true, None),
        ];
        for (query, text, mark) in cases {
            let q = Query::parse(query).expect("parses");
            assert_eq!((q.reads_text(), q.required_mark()), (text, mark), "{query}");
        }
        let ages = [
            ("rust", (None, None)),
            ("posted<7d", (Some(604_800), None)),
            (
                "posted<7d rust posted<=1d posted>1h",
                (Some(86_400), Some(3_600)),
            ),
            ("posted>=2d posted>1d", (None, Some(172_800))),
            ("posted<7d OR rust", (None, None)),
            ("-posted<7d", (None, None)),
        ];
        for (query, want) in ages {
            let q = Query::parse(query).expect("parses");
            assert_eq!(q.required_ages(), want, "{query}");
        }
    }

    #[test]
    fn queries_naming_closed_jobs_search_them() {
        let cases = [
            ("rust", false),
            ("state:closed", true),
            ("rust OR (x -state:closed)", true),
            ("state:open", false),
            ("state:reopened", false),
        ];
        for (query, want) in cases {
            let q = Query::parse(query).expect("parses");
            assert_eq!(q.mentions_closed(), want, "{query}");
        }
    }
}
