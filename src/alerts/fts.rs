//! Query tree → an SQLite FTS5 `MATCH` expression that narrows a search.
//!
//! Input: a parsed [`Query`]. Output: an expression over the store's search
//! index (one column; each field's words, and the title's, company's and
//! location's again behind their marks: see
//! [`SearchTerms`](crate::store::SearchTerms)) with tokenizer
//! `unicode61 remove_diacritics 2`, that selects a superset of the postings
//! the query matches; the matcher then decides on each row. SQLite's
//! tokenizer splits `c++` to `c` and folds case and diacritics exactly as ours
//! does, so quoting each of a term's tokens keeps the superset (`words` notes
//! the one kind of text where the tokenizers differ). A field term looks up
//! its marked words (`title:ml` → `"\u{E001}ml"`); `text:` looks up the plain
//! words, which every field's words are among. A phrase becomes the AND of
//! its words: the index keeps no positions (`detail=none`), and the matcher
//! checks adjacency. Negations, `source:` terms and typed filters cannot
//! narrow the text index and drop out: an AND keeps its other side (so `rust
//! salary>=100k` is still an indexed search for `rust`), an OR with such a
//! branch narrows nothing.
//!
//! A prefix becomes the OR of the words the index holds with it, when the
//! caller can list them ([`Query::fts_prefilter_with`]; the store reads them
//! from the index, see `store::words`): the same rows, read faster.

use super::ast::Node;
use super::{Field, Query};
use crate::store::{COMPANY_MARK, LOCATION_MARK, TITLE_MARK};

impl Query {
    /// An FTS5 MATCH expression over the store's search index that selects a
    /// superset of the postings this query matches; `None` when nothing
    /// narrows it (a pure negation, only `source:` terms, or an OR with such
    /// a branch).
    pub fn fts_prefilter(&self) -> Option<String> {
        self.fts_prefilter_with(&mut |_| None)
    }

    /// [`Query::fts_prefilter`] with each prefix token (`embed` of `embed*`)
    /// replaced by the OR of the words `words` lists for it (asked with the
    /// field's mark in front, as the index holds it), when it lists some:
    /// the same postings when those are all the index's words with that
    /// prefix, but FTS5 streams an OR newest first where it merges a prefix's
    /// whole document lists before the first row.
    pub fn fts_prefilter_with(
        &self,
        words: &mut dyn FnMut(&str) -> Option<Vec<String>>,
    ) -> Option<String> {
        match translate(&self.root, words) {
            Fts::All => None,
            Fts::Expr { text, .. } => Some(text),
        }
    }
}

/// A translated node: everything, or an expression.
enum Fts {
    All,
    /// `compound` when it has a top-level operator and needs parentheses
    /// inside another one.
    Expr {
        text: String,
        compound: bool,
    },
}

fn translate(node: &Node, expand: &mut dyn FnMut(&str) -> Option<Vec<String>>) -> Fts {
    match node {
        Node::Term(t) => {
            let mark = t.field.and_then(mark);
            let indexed = |w: &str| match mark {
                Some(m) => format!("{m}{w}"),
                None => w.to_string(),
            };
            // Each token quoted, so `OR`, `NEAR` or `-` in a term stay words.
            let last = t.tokens.len().saturating_sub(1);
            let words: Vec<String> = t
                .tokens
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let w = indexed(w);
                    if !(t.prefix && i == last) {
                        return quote(&w);
                    }
                    match expand(&w) {
                        Some(list) if list.len() == 1 => quote(&list[0]),
                        Some(list) if !list.is_empty() => {
                            let list: Vec<String> = list.iter().map(|w| quote(w)).collect();
                            format!("({})", list.join(" OR "))
                        }
                        _ => format!("{} *", quote(&w)),
                    }
                })
                .collect();
            let several = words.len() > 1;
            let mut text = words.join(" AND ");
            if several {
                text = format!("({text})");
            }
            Fts::Expr {
                text,
                compound: false,
            }
        }
        Node::Source(_) | Node::Filter(_) | Node::Not(_) => Fts::All,
        Node::And(nodes) => {
            let parts: Vec<Fts> = nodes
                .iter()
                .map(|n| translate(n, expand))
                .filter(|f| matches!(f, Fts::Expr { .. }))
                .collect();
            join(parts, " AND ")
        }
        Node::Or(nodes) => {
            let parts: Vec<Fts> = nodes.iter().map(|n| translate(n, expand)).collect();
            if parts.iter().any(|f| matches!(f, Fts::All)) {
                return Fts::All;
            }
            join(parts, " OR ")
        }
    }
}

/// The mark a field's words carry in the index; the plain words hold every
/// field's, so `text:` (and a term without a field) reads those.
fn mark(field: Field) -> Option<char> {
    match field {
        Field::Title => Some(TITLE_MARK),
        Field::Company => Some(COMPANY_MARK),
        Field::Location => Some(LOCATION_MARK),
        Field::Text | Field::Source => None,
    }
}

/// Word `w` as an FTS5 string.
fn quote(w: &str) -> String {
    format!("\"{}\"", w.replace('"', "\"\""))
}

/// Joins expressions with `op`, parenthesizing compound ones; one part
/// stays as it is, none means everything.
fn join(mut parts: Vec<Fts>, op: &str) -> Fts {
    if parts.len() <= 1 {
        return parts.pop().unwrap_or(Fts::All);
    }
    let texts: Vec<String> = parts
        .into_iter()
        .filter_map(|f| match f {
            Fts::All => None,
            Fts::Expr { text, compound } if compound => Some(format!("({text})")),
            Fts::Expr { text, .. } => Some(text),
        })
        .collect();
    Fts::Expr {
        text: texts.join(op),
        compound: true,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rusqlite::Connection;

    use super::super::testdata::{QUERIES, docs, queries};
    use super::*;

    #[test]
    fn translates_terms_fields_and_operators() {
        let cases = [
            ("rust", Some("\"rust\"")),
            ("title:ML", Some("\"\u{E001}ml\"")),
            ("learn*", Some("\"learn\" *")),
            (
                "\"machine learning\"",
                Some("(\"machine\" AND \"learning\")"),
            ),
            ("\"machine learn\"*", Some("(\"machine\" AND \"learn\" *)")),
            ("node.js C++", Some("(\"node\" AND \"js\") AND \"c++\"")),
            ("a OR b c", Some("\"a\" OR (\"b\" AND \"c\")")),
            ("(a OR b) c", Some("(\"a\" OR \"b\") AND \"c\"")),
            ("or NEAR", Some("\"or\" AND \"near\"")),
            ("text:(a OR b)", Some("\"a\" OR \"b\"")),
            ("company:(a OR b)", Some("\"\u{E002}a\" OR \"\u{E002}b\"")),
            ("-senior", None),
            ("NOT (a OR b)", None),
            ("source:hn", None),
            ("source:hn OR rust", None),
            ("rust OR -senior", None),
            ("rust -senior", Some("\"rust\"")),
            ("rust source:hn*", Some("\"rust\"")),
            ("(a -b) OR c", Some("\"a\" OR \"c\"")),
            ("rust salary>=100k", Some("\"rust\"")),
            (
                "-state:dismissed workplace:remote title:ml",
                Some("\"\u{E001}ml\""),
            ),
            (
                "(go OR rust) posted<7d type:contract",
                Some("\"go\" OR \"rust\""),
            ),
            ("salary>=100k", None),
            ("rust OR workplace:remote", None),
            (
                "title:(\"machine learning\" OR ML OR \"deep learning\") -senior location:remote",
                Some(
                    "((\"\u{E001}machine\" AND \"\u{E001}learning\") OR \"\u{E001}ml\" OR \
                     (\"\u{E001}deep\" AND \"\u{E001}learning\")) AND \"\u{E003}remote\"",
                ),
            ),
        ];
        for (query, want) in cases {
            let q = Query::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
            assert_eq!(q.fts_prefilter().as_deref(), want, "{query:?}");
        }
    }

    #[test]
    fn prefixes_become_the_words_listed_for_them() {
        let listed = |w: &str| -> Option<Vec<String>> {
            match w {
                "embed" => Some(vec!["embedded".into(), "embeddings".into()]),
                "\u{E001}eng" => Some(vec![
                    "\u{E001}engineer".into(),
                    "\u{E001}engineering".into(),
                ]),
                "learn" => Some(vec!["learn".into(), "learning".into()]),
                "pyt" => Some(vec!["python".into()]),
                "zz" => Some(vec![]),
                _ => None,
            }
        };
        let cases = [
            ("embed*", "(\"embedded\" OR \"embeddings\")"),
            ("pyt*", "\"python\""),
            ("zz*", "\"zz\" *"),
            ("other*", "\"other\" *"),
            ("embed", "\"embed\""),
            (
                "title:eng* -senior",
                "(\"\u{E001}engineer\" OR \"\u{E001}engineering\")",
            ),
            (
                "\"machine learn\"*",
                "(\"machine\" AND (\"learn\" OR \"learning\"))",
            ),
            ("rust OR pyt*", "\"rust\" OR \"python\""),
            ("-embed* rust", "\"rust\""),
        ];
        for (query, want) in cases {
            let q = Query::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
            let got = q.fts_prefilter_with(&mut |w: &str| listed(w));
            assert_eq!(got.as_deref(), Some(want), "{query:?}");
        }
    }

    #[test]
    fn expanded_prefixes_select_what_the_prefixes_select_in_real_fts5() {
        let conn = fts_table();
        conn.execute_batch("CREATE VIRTUAL TABLE vocab USING fts5vocab(postings, row);")
            .expect("vocab table");
        let all: Vec<String> = conn
            .prepare("SELECT term FROM vocab")
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("vocabulary");
        let mut expanded = 0;
        for (query, q) in QUERIES.iter().zip(queries()) {
            let Some(plain) = q.fts_prefilter() else {
                continue;
            };
            let mut listed = |w: &str| -> Option<Vec<String>> {
                Some(all.iter().filter(|t| t.starts_with(w)).cloned().collect())
            };
            let words = q.fts_prefilter_with(&mut listed).expect("narrows");
            if words != plain {
                expanded += 1;
            }
            assert_eq!(
                fts_rows(&conn, &words),
                fts_rows(&conn, &plain),
                "{query:?}: {words:?} against {plain:?}"
            );
        }
        assert!(
            expanded >= 3,
            "only {expanded} queries had a prefix to expand"
        );
    }

    /// The rows as the store indexes them: one column, each field's words
    /// and the marked title, company and location words.
    fn fts_table() -> Connection {
        let conn = Connection::open_in_memory().expect("in-memory db");
        conn.execute_batch(
            "CREATE VIRTUAL TABLE postings USING fts5(words, \
             detail = none, tokenize = 'unicode61 remove_diacritics 2');",
        )
        .expect("fts5 table");
        for (i, d) in docs().iter().enumerate() {
            let [title, company, location, text] = d.field_terms();
            let terms = crate::store::SearchTerms {
                title,
                company,
                location,
                text,
            };
            conn.execute(
                "INSERT INTO postings (rowid, words) VALUES (?1, ?2)",
                rusqlite::params![i as i64, terms.line()],
            )
            .expect("insert");
        }
        conn
    }

    fn fts_rows(conn: &Connection, expr: &str) -> BTreeSet<usize> {
        let mut stmt = conn
            .prepare("SELECT rowid FROM postings WHERE postings MATCH ?1")
            .expect("prepare");
        let rows = stmt
            .query_map([expr], |row| row.get::<_, i64>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .unwrap_or_else(|e| panic!("FTS5 rejects {expr:?}: {e}"));
        rows.into_iter().map(|id| id as usize).collect()
    }

    #[test]
    fn prefilter_selects_a_superset_of_matches_in_real_fts5() {
        let conn = fts_table();
        let docs = docs();
        let mut narrowed = 0;
        for (query, q) in QUERIES.iter().zip(queries()) {
            let matched: BTreeSet<usize> =
                (0..docs.len()).filter(|&i| q.matches(&docs[i])).collect();
            let Some(expr) = q.fts_prefilter() else {
                continue;
            };
            let selected = fts_rows(&conn, &expr);
            assert!(
                selected.is_superset(&matched),
                "{query:?} → {expr:?}: FTS {selected:?} misses some of {matched:?}"
            );
            if selected.len() < docs.len() {
                narrowed += 1;
            }
        }
        assert!(
            narrowed >= 25,
            "only {narrowed} queries narrowed the search"
        );
    }

    #[test]
    fn prefilter_is_exact_for_plain_words() {
        let conn = fts_table();
        let docs = docs();
        for query in [
            "rust",
            "ML",
            "Go",
            "\"machine learning\"",
            "company:acme",
            "zurich",
        ] {
            let q = Query::parse(query).expect("parses");
            let matched: BTreeSet<usize> =
                (0..docs.len()).filter(|&i| q.matches(&docs[i])).collect();
            let expr = q.fts_prefilter().expect("narrows");
            assert_eq!(fts_rows(&conn, &expr), matched, "{query:?}");
        }
    }
}
