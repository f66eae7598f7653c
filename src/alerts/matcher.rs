//! A posting tokenized once ([`Doc`]), and the evaluation of a query on it.
//!
//! Input: a posting's title, company, locations, text and tags, its source
//! names and its typed [`Facts`]. Output: [`Query::matches`]. A doc keeps its distinct tokens interned
//! (with the fields each occurs in) for word lookups, and each field's token
//! ids in order for phrases, so matching many queries costs a few hash probes
//! per term and no allocation.

use std::cell::Cell;
use std::sync::OnceLock;

use super::ast::{Node, Term};
use super::facts::Facts;
use super::table::{TokenTable, hash_token};
use super::{Field, Query, words};
use crate::model::Posting;

/// Prefix lookups in one doc that scan before the vocabulary gets sorted.
const SCANS_BEFORE_SORTING: u32 = 4;

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
    /// What the typed filters read.
    facts: Facts,
    /// Token ids sorted by token, built once prefix terms ask often enough.
    sorted: OnceLock<Vec<u32>>,
    /// Prefix lookups answered by scanning the vocabulary.
    prefix_scans: Cell<u32>,
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

    /// The distinct words of each text field (title, company, location, text),
    /// space-separated: what a full-text index that only narrows searches
    /// needs, and tokenized exactly as queries are, so the index and the
    /// prefilter always agree.
    pub fn field_terms(&self) -> [String; 4] {
        let fields = [Field::Title, Field::Company, Field::Location, Field::Text];
        // Sized first: grown word by word, the text's line was reallocated
        // a dozen times per posting.
        let mut sizes = [0usize; 4];
        for (id, &mask) in self.masks.iter().enumerate() {
            let len = self.vocab.token(id as u32).len() + 1;
            for (field, size) in fields.iter().zip(sizes.iter_mut()) {
                if mask & field.bit() != 0 {
                    *size += len;
                }
            }
        }
        let mut out = sizes.map(String::with_capacity);
        for (id, &mask) in self.masks.iter().enumerate() {
            let token = self.vocab.token(id as u32);
            for (field, terms) in fields.iter().zip(out.iter_mut()) {
                if mask & field.bit() != 0 {
                    if !terms.is_empty() {
                        terms.push(' ');
                    }
                    terms.push_str(token);
                }
            }
        }
        out
    }

    /// Replaces the names of the sources that list it (only `source:` terms read them).
    pub fn set_sources(&mut self, sources: &[&str]) {
        self.sources = sources.iter().map(|s| s.to_lowercase()).collect();
    }

    /// Sets what the typed filters read (until then: nothing is known, see
    /// [`Facts::default`]).
    pub fn set_facts(&mut self, facts: Facts) {
        self.facts = facts;
    }

    /// The doc's facts.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The doc of a stored posting: locations joined by `"; "`, the text
    /// followed by the tags one per line, company `""` when unknown (the
    /// column values an FTS table should hold for [`Query::fts_prefilter`]).
    pub fn from_posting(p: &Posting, sources: &[&str]) -> Doc {
        let company = p.company.as_deref().unwrap_or("");
        let size = p.title.len() + company.len() + p.text.len() + 64;
        let mut doc = Doc::empty(size, sources);
        // About one token per 6 bytes of prose: the text's sequence is the
        // long one, and growing it by doubling costs a dozen copies.
        doc.seqs[seq_index(Field::Text)].reserve(p.text.len() / 6 + 8);
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
            masks: Vec::with_capacity(text_bytes / 8 + 8),
            seqs: Default::default(),
            sources: sources.iter().map(|s| s.to_lowercase()).collect(),
            facts: Facts::default(),
            sorted: OnceLock::new(),
            prefix_scans: Cell::new(0),
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

    /// Whether some token starting with `prefix` satisfies `f`. The first few
    /// lookups scan the vocabulary; after that its ids are sorted once, which
    /// pays off only when many alerts use prefixes.
    fn any_with_prefix(&self, prefix: &str, mut f: impl FnMut(u32) -> bool) -> bool {
        if self.sorted.get().is_none() && self.prefix_scans.get() < SCANS_BEFORE_SORTING {
            self.prefix_scans.set(self.prefix_scans.get() + 1);
            return (0..self.vocab.len() as u32)
                .any(|id| self.vocab.token(id).starts_with(prefix) && f(id));
        }
        let sorted = self.sorted.get_or_init(|| {
            let mut ids: Vec<u32> = (0..self.vocab.len() as u32).collect();
            ids.sort_unstable_by(|&a, &b| self.vocab.token(a).cmp(self.vocab.token(b)));
            ids
        });
        let start = sorted.partition_point(|&id| self.vocab.token(id) < prefix);
        sorted[start..]
            .iter()
            .copied()
            .take_while(|&id| self.vocab.token(id).starts_with(prefix))
            .any(f)
    }

    fn term_matches(&self, t: &Term) -> bool {
        let n = t.tokens.len();
        if n == 1 {
            return if t.prefix {
                self.any_with_prefix(&t.tokens[0], |id| self.masks[id as usize] & t.mask != 0)
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
        Node::Filter(f) => f.holds(&doc.facts),
        Node::Not(inner) => !eval(inner, doc),
        Node::And(nodes) => nodes.iter().all(|n| eval(n, doc)),
        Node::Or(nodes) => nodes.iter().any(|n| eval(n, doc)),
    }
}

#[cfg(test)]
mod tests;
