//! Where a query's words occur in a text: the byte ranges a notification
//! highlights to show why a job matched.
//!
//! Input: a parsed [`Query`], the field a text belongs to, the text. Output:
//! sorted, non-overlapping byte ranges. Only positive terms count (a word
//! under `NOT` is why a job would *not* match), and a term restricted to
//! another field is not shown here. The text is tokenized by the same
//! tokenizer, with the same folding, as matching uses, so `Café` is marked
//! for `cafe` and `HTML` is not marked for `ML`: what is highlighted is what
//! matched.

use std::ops::Range;

use super::ast::{Node, Term};
use super::{Field, Query, words};

impl Query {
    /// The byte ranges of `text`, a posting's `field`, that the query's
    /// positive terms match; sorted, merged where they overlap.
    pub fn highlights(&self, field: Field, text: &str) -> Vec<Range<usize>> {
        let mut terms = Vec::new();
        positive_terms(&self.root, &mut terms);
        terms.retain(|t| t.mask & field.bit() != 0);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut tokens: Vec<(Range<usize>, String)> = Vec::new();
        words::tokenize_spans(text, |span, t| tokens.push((span, t.to_owned())));
        let mut out = Vec::new();
        for t in terms {
            let n = t.tokens.len();
            for start in 0..tokens.len() {
                let Some(window) = tokens.get(start..start.saturating_add(n)) else {
                    break;
                };
                let fits = window
                    .iter()
                    .zip(&t.tokens)
                    .enumerate()
                    .all(|(k, (w, want))| {
                        if t.prefix && k + 1 == n {
                            w.1.starts_with(want.as_str())
                        } else {
                            w.1 == *want
                        }
                    });
                if fits {
                    out.push(window[0].0.start..window[n - 1].0.end);
                }
            }
        }
        merge(out)
    }
}

/// The terms outside any `NOT`. Recurses once per level: trees are at most
/// [`super::parser::MAX_DEPTH`] deep.
fn positive_terms<'q>(node: &'q Node, out: &mut Vec<&'q Term>) {
    match node {
        Node::Term(t) => out.push(t),
        Node::And(nodes) | Node::Or(nodes) => {
            for n in nodes {
                positive_terms(n, out);
            }
        }
        // `NOT` subtrees say why a job would not match; filters name no words.
        _ => {}
    }
}

/// Sorts ranges and joins those that overlap.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(query: &str, field: Field, text: &str) -> Vec<String> {
        let q = Query::parse(query).expect("query");
        q.highlights(field, text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn marks_what_matching_matches_and_nothing_else() {
        let cases: &[(&str, Field, &str, &[&str])] = &[
            ("ml", Field::Title, "ML Engineer", &["ML"]),
            ("ml", Field::Title, "HTML Engineer", &[]),
            (
                "\"machine learning\"",
                Field::Title,
                "Machine-Learning Engineer, machine learning",
                &["Machine-Learning", "machine learning"],
            ),
            ("\"machine learning\"", Field::Title, "Machine vision", &[]),
            (
                "learn*",
                Field::Text,
                "Learning to learn",
                &["Learning", "learn"],
            ),
            ("cafe", Field::Text, "Café Zürich", &["Café"]),
            (
                "c++ OR rust",
                Field::Title,
                "C++ / Rust dev",
                &["C++", "Rust"],
            ),
            ("rust -senior", Field::Title, "Senior Rust", &["Rust"]),
            ("NOT (rust OR go)", Field::Title, "Rust", &[]),
            ("title:ml", Field::Text, "ml everywhere", &[]),
            ("company:ml", Field::Title, "ML", &[]),
            ("text:ml", Field::Text, "an ML role", &["ML"]),
            ("source:hn ml", Field::Title, "ML hn", &["ML"]),
            ("\"ml ml\" ml", Field::Title, "ml ml ml", &["ml ml ml"]),
            ("rust", Field::Title, "مهندس Rust في دبي", &["Rust"]),
            ("مهندس", Field::Title, "مهندس Rust", &["مهندس"]),
        ];
        for (query, field, text, want) in cases {
            assert_eq!(marked(query, *field, text), *want, "{query} on {text:?}");
        }
    }

    #[test]
    fn spans_cover_exactly_the_tokens_matching_sees() {
        for text in [
            "Machine Learning, C++ & F#; node.js — Zürich 東京 office",
            "cafe\u{301}s ML+AI c++11",
            "",
        ] {
            let mut spans = Vec::new();
            words::tokenize_spans(text, |r, t| {
                spans.push((text[r].to_string(), t.to_string()))
            });
            let folded: Vec<String> = spans.iter().map(|(_, t)| t.clone()).collect();
            assert_eq!(folded, words::tokens(text), "{text}");
            for (raw, token) in &spans {
                assert_eq!(
                    words::tokens(raw),
                    std::slice::from_ref(token),
                    "{raw:?} in {text}"
                );
            }
        }
    }
}
