//! The parsed form of a query: a tree of terms under NOT / AND / OR.
//!
//! Input: built by [`super::parser`]. Output: read by the matcher, the FTS
//! translation and the alert-set prefilter. Terms carry their tokens and
//! token hashes, computed once at parse time so matching never re-tokenizes.
//!
//! Trees are built only by the parser, which refuses nesting deeper than
//! [`super::parser::MAX_DEPTH`]: the walks over them (matching, the FTS
//! translation, the prefilter, `Display`, even `Drop`) recurse once per level
//! and rely on that bound.

use std::fmt;

use super::Field;
use super::facts::{Lifecycle, Mark};
use super::filter::{Cmp, Filter};

/// A node of the query tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// Words that must occur (adjacent, in order) in a text field.
    Term(Term),
    /// A source name, or a prefix of one.
    Source(SourcePattern),
    /// A typed filter: salary, workplace, type, posting age, state.
    Filter(Filter),
    /// Matches when the inner node does not.
    Not(Box<Node>),
    /// Matches when every child does (two or more children).
    And(Vec<Node>),
    /// Matches when any child does (two or more children).
    Or(Vec<Node>),
}

impl Node {
    /// Whether a `source:` term occurs anywhere below this node.
    pub(crate) fn mentions_source(&self) -> bool {
        match self {
            Node::Term(_) | Node::Filter(_) => false,
            Node::Source(_) => true,
            Node::Not(inner) => inner.mentions_source(),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().any(Node::mentions_source),
        }
    }

    /// Whether a filter below this node satisfies `f`.
    pub(crate) fn mentions_filter(&self, f: &impl Fn(&Filter) -> bool) -> bool {
        match self {
            Node::Term(_) | Node::Source(_) => false,
            Node::Filter(filter) => f(filter),
            Node::Not(inner) => inner.mentions_filter(f),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().any(|n| n.mentions_filter(f)),
        }
    }

    /// Whether a word, phrase or prefix term occurs below this node.
    pub(crate) fn reads_text(&self) -> bool {
        match self {
            Node::Term(_) => true,
            Node::Source(_) | Node::Filter(_) => false,
            Node::Not(inner) => inner.reads_text(),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().any(Node::reads_text),
        }
    }

    /// A triage state every match must have: a `state:` filter on its own
    /// or directly in the top-level AND.
    pub(crate) fn required_mark(&self) -> Option<Mark> {
        let mark = |n: &Node| match n {
            Node::Filter(Filter::Mark(m)) => Some(*m),
            _ => None,
        };
        match self {
            Node::And(nodes) => nodes.iter().find_map(mark),
            node => mark(node),
        }
    }

    /// The ages every match lies within, in seconds, from `posted` filters
    /// on their own or directly in the top-level AND: at most (`posted<7d`)
    /// and at least (`posted>30d`), the tightest of each.
    pub(crate) fn required_ages(&self) -> (Option<u64>, Option<u64>) {
        let nodes = match self {
            Node::And(nodes) => nodes.as_slice(),
            node => std::slice::from_ref(node),
        };
        let (mut most, mut least) = (None::<u64>, None::<u64>);
        for n in nodes {
            if let Node::Filter(Filter::Posted { cmp, age }) = n {
                if matches!(cmp, Cmp::Lt | Cmp::Le) {
                    most = Some(most.map_or(*age, |m| m.min(*age)));
                } else {
                    least = Some(least.map_or(*age, |l| l.max(*age)));
                }
            }
        }
        (most, least)
    }

    /// Whether `state:closed` occurs below this node.
    pub(crate) fn mentions_closed(&self) -> bool {
        self.mentions_filter(&|f| *f == Filter::Lifecycle(Lifecycle::Closed))
    }

    /// Whether a filter reads what only the store knows of a job seen before:
    /// its state, or when it was first seen (`posted`).
    pub(crate) fn mentions_stored_facts(&self) -> bool {
        self.mentions_filter(&|f| {
            matches!(
                f,
                Filter::Lifecycle(_) | Filter::Mark(_) | Filter::Posted { .. }
            )
        })
    }
}

/// A word, phrase or prefix term, restricted to a field or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// The field named for it; `None` means any of title, company, location, text.
    pub(crate) field: Option<Field>,
    /// The fields it may match in, as a [`Field::bit`] mask.
    pub(crate) mask: u8,
    /// The term as written, without quotes or the trailing `*`.
    pub(crate) text: String,
    /// Its tokens (at least one); a phrase when more than one.
    pub(crate) tokens: Vec<String>,
    /// [`super::table::hash_token`] of each token.
    pub(crate) hashes: Vec<u64>,
    /// The last token is a prefix (`learn*`).
    pub(crate) prefix: bool,
}

/// `source:name` (whole name, case-insensitive) or `source:name*` (prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourcePattern {
    /// The name, lower-cased.
    pub(crate) name: String,
    /// Match names starting with `name`.
    pub(crate) prefix: bool,
}

impl SourcePattern {
    /// Whether a lower-cased source name fits the pattern.
    pub(crate) fn fits(&self, source: &str) -> bool {
        if self.prefix {
            source.starts_with(&self.name)
        } else {
            source == self.name
        }
    }
}

/// An s-expression of the tree, for tests and debugging:
/// `(and (or title:"machine learning" title:ml) (not senior))`.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, op: &str, nodes: &[Node]| {
            write!(f, "({op}")?;
            for n in nodes {
                write!(f, " {n}")?;
            }
            write!(f, ")")
        };
        match self {
            Node::Term(t) => {
                if let Some(field) = t.field {
                    write!(f, "{}:", field.as_str())?;
                }
                let words = t.tokens.join(" ");
                let star = if t.prefix { "*" } else { "" };
                if t.tokens.len() > 1 {
                    write!(f, "\"{words}\"{star}")
                } else {
                    write!(f, "{words}{star}")
                }
            }
            Node::Source(s) => {
                let star = if s.prefix { "*" } else { "" };
                write!(f, "source:{}{star}", s.name)
            }
            Node::Filter(filter) => write!(f, "{filter}"),
            Node::Not(n) => write!(f, "(not {n})"),
            Node::And(nodes) => list(f, "and", nodes),
            Node::Or(nodes) => list(f, "or", nodes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_pattern_fits_whole_names_or_prefixes() {
        let exact = SourcePattern {
            name: "hn".into(),
            prefix: false,
        };
        let prefix = SourcePattern {
            name: "hn".into(),
            prefix: true,
        };
        let cases = [
            (&exact, "hn", true),
            (&exact, "hn-jobs", false),
            (&prefix, "hn-jobs", true),
            (&prefix, "hn", true),
            (&prefix, "wwr", false),
        ];
        for (pattern, source, want) in cases {
            assert_eq!(pattern.fits(source), want, "{pattern:?} vs {source}");
        }
    }
}
