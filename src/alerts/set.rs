//! Many queries (the configured alerts) against one posting at a time.
//!
//! Input: the alert queries, then one [`Doc`] per new posting. Output: the
//! indexes of the queries that match it. Each query gets a trigger set: words
//! of which at least one occurs in every doc the query matches. Only queries
//! triggered by a word of the doc, plus those without a trigger set (pure
//! negations, prefixes, `source:`, filters alone), are evaluated; with a thousand alerts a
//! posting typically wakes a handful.

use std::cmp::Reverse;

use super::ast::Node;
use super::table::{TokenTable, hash_token};
use super::{Doc, Query};

/// A set of queries, indexed by trigger words for matching against docs.
#[derive(Debug, Clone)]
pub struct AlertSet {
    queries: Vec<Query>,
    /// The trigger words of all queries.
    triggers: TokenTable,
    /// Per trigger word id: the queries it wakes, ascending.
    wakes: Vec<Vec<u32>>,
    /// Bitset of the queries without trigger words, evaluated for every doc.
    always: Vec<u64>,
}

impl AlertSet {
    /// Indexes `queries`; their positions are the indexes [`AlertSet::matching`] returns.
    pub fn new(queries: Vec<Query>) -> AlertSet {
        let mut triggers = TokenTable::with_capacity(queries.len() * 2);
        let mut wakes: Vec<Vec<u32>> = Vec::new();
        let mut always = vec![0u64; queries.len().div_ceil(64)];
        for (i, q) in queries.iter().enumerate() {
            match trigger_words(&q.root) {
                Some(words) => {
                    for word in words {
                        let (id, new) = triggers.intern(word, hash_token(word));
                        if new {
                            wakes.push(Vec::new());
                        }
                        let list = &mut wakes[id as usize];
                        // A word may come twice from one query (`a OR (a b)`).
                        if list.last() != Some(&(i as u32)) {
                            list.push(i as u32);
                        }
                    }
                }
                None => always[i / 64] |= 1 << (i % 64),
            }
        }
        AlertSet {
            queries,
            triggers,
            wakes,
            always,
        }
    }

    /// Number of queries.
    pub fn len(&self) -> usize {
        self.queries.len()
    }

    /// Whether there are no queries.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Whether any query has a `source:` term, so that a posting's matches
    /// depend on which sources list it and not only on its content.
    pub fn uses_sources(&self) -> bool {
        self.queries.iter().any(|q| q.root.mentions_source())
    }

    /// Whether any query filters on what the store knows of a job seen
    /// before (`state:`, `posted`), so that a stored job's matches must be
    /// decided on its stored facts, not on a fresh posting's.
    pub fn uses_stored_facts(&self) -> bool {
        self.queries.iter().any(|q| q.root.mentions_stored_facts())
    }

    /// Indexes (ascending) of the queries that match `doc`. Evaluates only the
    /// queries whose trigger words occur in the doc, plus the ones that have none.
    pub fn matching(&self, doc: &Doc) -> Vec<usize> {
        let mut candidates = self.always.clone();
        let mut wake = |list: &[u32]| {
            for &q in list {
                candidates[q as usize / 64] |= 1 << (q % 64);
            }
        };
        // Probe the smaller vocabulary into the larger: either way finds the
        // trigger words the doc contains.
        let vocab = doc.vocab();
        if vocab.len() <= self.triggers.len() {
            for id in 0..vocab.len() as u32 {
                if let Some(t) = self.triggers.get(vocab.token(id), vocab.hash(id)) {
                    wake(&self.wakes[t as usize]);
                }
            }
        } else {
            for t in 0..self.triggers.len() as u32 {
                if vocab
                    .get(self.triggers.token(t), self.triggers.hash(t))
                    .is_some()
                {
                    wake(&self.wakes[t as usize]);
                }
            }
        }
        let mut out = Vec::new();
        for (w, &bits) in candidates.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if self.queries[i].matches(doc) {
                    out.push(i);
                }
            }
        }
        out
    }
}

/// Words of which at least one occurs in every doc `node` matches; `None`
/// when no such set is known.
fn trigger_words(node: &Node) -> Option<Vec<&str>> {
    match node {
        Node::Term(t) => {
            // A prefix's last token is not a word of the doc; the others are.
            let exact = &t.tokens[..t.tokens.len() - usize::from(t.prefix)];
            // The longest word of a phrase is likely its rarest.
            let best = exact.iter().rev().max_by_key(|w| w.len())?;
            Some(vec![best.as_str()])
        }
        Node::Source(_) | Node::Filter(_) | Node::Not(_) => None,
        // Any child's set will do: take the smallest, then the longest words.
        Node::And(nodes) => nodes
            .iter()
            .filter_map(trigger_words)
            .min_by_key(|words| (words.len(), Reverse(shortest(words)))),
        Node::Or(nodes) => {
            let mut all = Vec::new();
            for n in nodes {
                all.extend(trigger_words(n)?);
            }
            all.sort_unstable();
            all.dedup();
            Some(all)
        }
    }
}

fn shortest(words: &[&str]) -> usize {
    words.iter().map(|w| w.len()).min().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{docs, queries};
    use super::*;

    #[test]
    fn trigger_words_are_needed_by_every_match() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("rust", Some(&["rust"])),
            ("\"machine learning\"", Some(&["learning"])),
            ("node.js", Some(&["node"])),
            ("\"deep learn\"*", Some(&["deep"])),
            ("learn*", None),
            ("-senior", None),
            ("source:hn", None),
            ("rust -senior", Some(&["rust"])),
            ("rust source:hn", Some(&["rust"])),
            ("go OR golang", Some(&["go", "golang"])),
            ("go OR -golang", None),
            ("(a OR b) kubernetes", Some(&["kubernetes"])),
            ("(ab OR cd) e", Some(&["e"])),
            (
                "(go OR rust) (python OR kotlin)",
                Some(&["kotlin", "python"]),
            ),
            ("title:ML location:remote", Some(&["remote"])),
            ("rust OR (rust tokio)", Some(&["rust", "tokio"])),
            ("salary>=100k", None),
            ("rust salary>=100k -state:dismissed", Some(&["rust"])),
            ("rust OR workplace:remote", None),
        ];
        for &(query, want) in cases {
            let q = Query::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
            assert_eq!(trigger_words(&q.root).as_deref(), want, "{query:?}");
        }
    }

    #[test]
    fn prefilter_never_changes_which_queries_match() {
        let queries = queries();
        let docs = docs();
        let set = AlertSet::new(queries.clone());
        assert_eq!(set.len(), queries.len());
        for (d, doc) in docs.iter().enumerate() {
            let want: Vec<usize> = (0..queries.len())
                .filter(|&i| queries[i].matches(doc))
                .collect();
            assert_eq!(set.matching(doc), want, "doc {d}");
        }
    }

    #[test]
    fn many_queries_probe_from_either_side() {
        // 200 queries make the trigger table larger than a doc's vocabulary,
        // which switches the probing direction.
        let words = ["rust", "go", "ml", "remote", "berlin", "acme", "learning"];
        let queries: Vec<Query> = (0..200)
            .map(|i| {
                let q = format!("{} OR w{i}", words[i % words.len()]);
                Query::parse(&q).expect("parses")
            })
            .collect();
        let set = AlertSet::new(queries.clone());
        for doc in docs() {
            let want: Vec<usize> = (0..200).filter(|&i| queries[i].matches(&doc)).collect();
            assert_eq!(set.matching(&doc), want);
        }
    }

    #[test]
    fn a_set_knows_whether_sources_matter() {
        let set = |qs: &[&str]| {
            AlertSet::new(
                qs.iter()
                    .map(|q| Query::parse(q).expect("parses"))
                    .collect(),
            )
        };
        assert!(!set(&["rust", "title:ML -senior"]).uses_sources());
        assert!(set(&["rust", "ML -source:hn*"]).uses_sources());
        assert!(set(&["(a OR source:wwr) b"]).uses_sources());
        assert!(!set(&["rust salary>=100k workplace:remote type:contract"]).uses_stored_facts());
        assert!(set(&["rust -state:dismissed"]).uses_stored_facts());
        assert!(set(&["rust OR posted<7d"]).uses_stored_facts());
    }

    #[test]
    fn empty_set_matches_nothing() {
        let set = AlertSet::new(Vec::new());
        assert!(set.is_empty());
        assert!(set.matching(&docs()[0]).is_empty());
    }
}
