//! A posting tokenized once ([`Doc`]), and the evaluation of a query on it.
//!
//! Input: a posting's title, company, locations, text and tags, and its source
//! names. Output: [`Query::matches`]. A doc keeps its distinct tokens interned
//! (with the fields each occurs in) for word lookups, and each field's token
//! ids in order for phrases, so matching many queries costs a few hash probes
//! per term and no allocation.

use std::sync::OnceLock;

use super::ast::{Node, Term};
use super::table::{TokenTable, hash_token};
use super::{Field, Query, words};
use crate::model::Posting;

/// A posting prepared for matching: tokenized once, matched against many queries.
#[derive(Debug, Clone)]
pub struct Doc {
    vocab: TokenTable,
    /// Per token id: the [`Field::bit`]s of the fields it occurs in.
    masks: Vec<u8>,
    /// Per text field (title, company, location, text): token ids in order.
    seqs: [Vec<u32>; 4],
    /// Source names, lower-cased.
    sources: Vec<String>,
    /// Token ids sorted by token, built the first time a prefix term needs it.
    sorted: OnceLock<Vec<u32>>,
}

impl Doc {
    /// Tokenizes the given fields; `sources` are the names of the sources that list it.
    pub fn new(title: &str, company: &str, location: &str, text: &str, sources: &[&str]) -> Doc {
        let size = title.len() + company.len() + location.len() + text.len();
        let mut doc = Doc::empty(size, sources);
        doc.add(Field::Title, title);
        doc.add(Field::Company, company);
        doc.add(Field::Location, location);
        doc.add(Field::Text, text);
        doc
    }

    /// Replaces the names of the sources that list it (only `source:` terms read them).
    pub fn set_sources(&mut self, sources: &[&str]) {
        self.sources = sources.iter().map(|s| s.to_lowercase()).collect();
    }

    /// The doc of a stored posting: locations joined by `"; "`, the text
    /// followed by the tags one per line, company `""` when unknown (the
    /// column values an FTS table should hold for [`Query::fts_prefilter`]).
    pub fn from_posting(p: &Posting, sources: &[&str]) -> Doc {
        let company = p.company.as_deref().unwrap_or("");
        let size = p.title.len() + company.len() + p.text.len() + 64;
        let mut doc = Doc::empty(size, sources);
        doc.add(Field::Title, &p.title);
        doc.add(Field::Company, company);
        // Adding the pieces one by one tokenizes exactly like the joined
        // string, since the joiners are separators; it saves the copies.
        for location in &p.locations {
            doc.add(Field::Location, location);
        }
        doc.add(Field::Text, &p.text);
        for tag in &p.tags {
            doc.add(Field::Text, tag);
        }
        doc
    }

    fn empty(text_bytes: usize, sources: &[&str]) -> Doc {
        Doc {
            // About one distinct token per 8 bytes of prose.
            vocab: TokenTable::with_capacity(text_bytes / 8 + 8),
            masks: Vec::new(),
            seqs: Default::default(),
            sources: sources.iter().map(|s| s.to_lowercase()).collect(),
            sorted: OnceLock::new(),
        }
    }

    fn add(&mut self, field: Field, text: &str) {
        let Doc {
            vocab, masks, seqs, ..
        } = self;
        let seq = &mut seqs[seq_index(field)];
        words::tokenize(text, |token| {
            let (id, new) = vocab.intern(token, hash_token(token));
            if new {
                masks.push(0);
            }
            masks[id as usize] |= field.bit();
            seq.push(id);
        });
    }

    /// The distinct tokens of the doc.
    pub(crate) fn vocab(&self) -> &TokenTable {
        &self.vocab
    }

    /// Ids of the tokens starting with `prefix`.
    fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let sorted = self.sorted.get_or_init(|| {
            let mut ids: Vec<u32> = (0..self.vocab.len() as u32).collect();
            ids.sort_unstable_by(|&a, &b| self.vocab.token(a).cmp(self.vocab.token(b)));
            ids
        });
        let start = sorted.partition_point(|&id| self.vocab.token(id) < prefix);
        sorted[start..]
            .iter()
            .copied()
            .take_while(move |&id| self.vocab.token(id).starts_with(prefix))
    }

    fn term_matches(&self, t: &Term) -> bool {
        let n = t.tokens.len();
        if n == 1 {
            return if t.prefix {
                self.with_prefix(&t.tokens[0])
                    .any(|id| self.masks[id as usize] & t.mask != 0)
            } else {
                self.vocab
                    .get(&t.tokens[0], t.hashes[0])
                    .is_some_and(|id| self.masks[id as usize] & t.mask != 0)
            };
        }
        // A phrase: every exact word must occur, in a field they share.
        let exact = if t.prefix { n - 1 } else { n };
        let mut mask = t.mask;
        let mut first = 0;
        for k in 0..exact {
            let Some(id) = self.vocab.get(&t.tokens[k], t.hashes[k]) else {
                return false;
            };
            mask &= self.masks[id as usize];
            if mask == 0 {
                return false;
            }
            if k == 0 {
                first = id;
            }
        }
        [Field::Title, Field::Company, Field::Location, Field::Text]
            .into_iter()
            .filter(|f| mask & f.bit() != 0)
            .any(|f| self.phrase_in(&self.seqs[seq_index(f)], first, t))
    }

    /// Whether `seq` has the phrase `t` (whose first token has id `first`).
    fn phrase_in(&self, seq: &[u32], first: u32, t: &Term) -> bool {
        let n = t.tokens.len();
        seq.windows(n).any(|w| {
            w[0] == first
                && (1..n).all(|k| {
                    let word = self.vocab.token(w[k]);
                    if t.prefix && k == n - 1 {
                        word.starts_with(t.tokens[k].as_str())
                    } else {
                        self.vocab.hash(w[k]) == t.hashes[k] && word == t.tokens[k]
                    }
                })
        })
    }
}

fn seq_index(field: Field) -> usize {
    match field {
        Field::Title => 0,
        Field::Company => 1,
        Field::Location => 2,
        Field::Text | Field::Source => 3,
    }
}

impl Query {
    /// Whether the doc matches the query.
    pub fn matches(&self, doc: &Doc) -> bool {
        eval(&self.root, doc)
    }
}

fn eval(node: &Node, doc: &Doc) -> bool {
    match node {
        Node::Term(t) => doc.term_matches(t),
        Node::Source(s) => doc.sources.iter().any(|name| s.fits(name)),
        Node::Not(inner) => !eval(inner, doc),
        Node::And(nodes) => nodes.iter().all(|n| eval(n, doc)),
        Node::Or(nodes) => nodes.iter().any(|n| eval(n, doc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (title, company, location, text, sources)
    type Fields = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
    );

    const ML_JOB: Fields = (
        "Senior Machine-Learning Engineer (C++)",
        "Acme Café",
        "Zürich; Remote",
        "You know PyTorch/JAX and node.js.\nmachine\nlearning at scale. C#, F#.",
        &["wwr-programming", "HN_Jobs"],
    );
    const WEB_JOB: Fields = (
        "Frontend Developer",
        "Google",
        "Berlin",
        "HTML, CSS, e-commerce. Learning culture. Go is a plus? No: TypeScript+React.",
        &["remoteok"],
    );

    fn doc(f: Fields) -> Doc {
        Doc::new(f.0, f.1, f.2, f.3, f.4)
    }

    fn check(cases: &[(&str, Fields, bool)]) {
        for &(query, fields, want) in cases {
            let q = Query::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
            assert_eq!(q.matches(&doc(fields)), want, "{query:?} on {:?}", fields.0);
        }
    }

    #[test]
    fn words_match_whole_tokens_only() {
        check(&[
            ("ML", WEB_JOB, false),
            ("HTML", WEB_JOB, true),
            ("Go", WEB_JOB, true),
            ("Go", ML_JOB, false),
            ("goo", WEB_JOB, false),
            ("google", WEB_JOB, true),
            ("engineer", ML_JOB, true),
            ("engineers", ML_JOB, false),
            ("typescript", WEB_JOB, true),
            ("react", WEB_JOB, true),
        ]);
    }

    #[test]
    fn phrases_match_adjacent_tokens_across_punctuation() {
        check(&[
            ("\"machine learning\"", ML_JOB, true),
            ("\"learning machine\"", ML_JOB, false),
            ("\"learning at scale\"", ML_JOB, true),
            ("node.js", ML_JOB, true),
            ("\"node js\"", ML_JOB, true),
            ("pytorch/jax", ML_JOB, true),
            ("e-commerce", WEB_JOB, true),
            ("\"ecommerce\"", WEB_JOB, false),
            ("\"engineer c++\"", ML_JOB, true),
            // Fields are separate texts: no phrase across them.
            ("\"engineer acme\"", ML_JOB, false),
            ("\"zurich remote\"", ML_JOB, true),
        ]);
    }

    #[test]
    fn plus_and_hash_languages_are_their_own_words() {
        check(&[
            ("C++", ML_JOB, true),
            ("c", ML_JOB, false),
            ("C#", ML_JOB, true),
            ("F#", ML_JOB, true),
            ("f", ML_JOB, false),
            ("TypeScript+React", WEB_JOB, true),
        ]);
    }

    #[test]
    fn case_and_diacritics_fold() {
        check(&[
            ("cafe", ML_JOB, true),
            ("CAFÉ", ML_JOB, true),
            ("zurich", ML_JOB, true),
            ("Zürich", ML_JOB, true),
            ("zuerich", ML_JOB, false),
        ]);
    }

    #[test]
    fn prefixes_match_token_starts() {
        check(&[
            ("learn*", ML_JOB, true),
            ("learn*", WEB_JOB, true),
            ("title:learn*", ML_JOB, true),
            ("title:learn*", WEB_JOB, false),
            ("earn*", ML_JOB, false),
            ("\"machine learn\"*", ML_JOB, true),
            ("\"machine lean\"*", ML_JOB, false),
            ("typ*", WEB_JOB, true),
            ("zz*", WEB_JOB, false),
        ]);
    }

    #[test]
    fn fields_restrict_where_terms_look() {
        check(&[
            ("title:engineer", ML_JOB, true),
            ("company:engineer", ML_JOB, false),
            ("company:acme", ML_JOB, true),
            ("location:remote", ML_JOB, true),
            ("location:remote", WEB_JOB, false),
            ("text:pytorch", ML_JOB, true),
            ("title:pytorch", ML_JOB, false),
            ("title:(\"machine learning\" OR ML)", ML_JOB, true),
            ("title:(\"machine learning\" OR ML)", WEB_JOB, false),
            ("title:\"learning at\"", ML_JOB, false),
            // Sources are not text: an unfielded term never matches them.
            ("remoteok", WEB_JOB, false),
        ]);
    }

    #[test]
    fn source_matches_whole_names_case_insensitively() {
        check(&[
            ("source:wwr-programming", ML_JOB, true),
            ("source:WWR-Programming", ML_JOB, true),
            ("source:wwr", ML_JOB, false),
            ("source:wwr*", ML_JOB, true),
            ("source:hn_jobs", ML_JOB, true),
            ("source:hn*", WEB_JOB, false),
            ("source:(remoteok OR hn*)", WEB_JOB, true),
            ("-source:remoteok", WEB_JOB, false),
        ]);
    }

    #[test]
    fn operators_combine_with_not_over_and_over_or() {
        check(&[
            ("-senior", ML_JOB, false),
            ("-senior", WEB_JOB, true),
            ("NOT senior", WEB_JOB, true),
            ("-\"machine learning\"", ML_JOB, false),
            ("-(google OR acme)", WEB_JOB, false),
            ("-(berlin OR acme) html", WEB_JOB, false),
            ("frontend AND berlin", WEB_JOB, true),
            ("frontend berlin zurich", WEB_JOB, false),
            // `a OR b c` is `a OR (b AND c)`.
            ("frontend OR pytorch senior", WEB_JOB, true),
            ("frontend OR pytorch senior", ML_JOB, true),
            ("(frontend OR pytorch) senior", WEB_JOB, false),
            ("zurich OR pytorch senior", WEB_JOB, false),
            ("a or b", WEB_JOB, false),
            (
                "title:(\"machine learning\" OR ML OR \"deep learning\") -senior location:remote",
                ML_JOB,
                false,
            ),
            (
                "title:(\"machine learning\" OR ML OR \"deep learning\") -junior location:remote",
                ML_JOB,
                true,
            ),
        ]);
    }

    #[test]
    fn from_posting_joins_locations_and_appends_tags() {
        let posting: Posting = serde_json::from_value(serde_json::json!({
            "source": "acme", "external_id": "1", "title": "Rust Engineer",
            "raw_title": "Rust Engineer", "company": null, "department": null,
            "locations": ["Berlin", "Remote (EU)"], "workplace": "remote",
            "employment_type": null, "salary": null, "posted_at": null,
            "updated_at": null, "url": null, "apply_url": null,
            "description_html": "", "text": "Write C++", "tags": ["Go", "Machine Learning"],
            "author": null,
        }))
        .expect("a posting");
        let from_posting = Doc::from_posting(&posting, &["acme"]);
        let joined = Doc::new(
            "Rust Engineer",
            "",
            "Berlin; Remote (EU)",
            "Write C++\nGo\nMachine Learning",
            &["acme"],
        );
        for query in [
            "location:\"berlin remote\"",
            "text:c++",
            "text:go",
            "\"machine learning\"",
            "source:acme",
            "company:acme",
        ] {
            let q = Query::parse(query).expect("parses");
            assert_eq!(q.matches(&from_posting), q.matches(&joined), "{query}");
        }
        assert_eq!(from_posting.seqs, joined.seqs);
    }
}
