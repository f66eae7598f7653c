//! Property tests of the query language: the parser never panics, whatever
//! it is given; what it accepts prints back to a query that parses to the same
//! tree; the matcher and the FTS translation never panic and obey the
//! operators' logic. Case count: proptest's default (256) or `PROPTEST_CASES`.

use proptest::prelude::*;

use super::ast::Node;
use super::parser::{MAX_DEPTH, parse};
use super::testdata::docs;
use super::{Field, Query};

/// Pieces queries are made of, hostile ones included.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("*".to_string()),
        Just(" ".to_string()),
        Just("NOT ".to_string()),
        Just(" OR ".to_string()),
        Just(" AND ".to_string()),
        Just("title:".to_string()),
        Just("company:".to_string()),
        Just("location:".to_string()),
        Just("text:".to_string()),
        Just("source:".to_string()),
        Just("foo:".to_string()),
        Just("salary>=150k".to_string()),
        Just("salary<90000".to_string()),
        Just("salary>".to_string()),
        Just("salary>=".to_string()),
        Just("workplace:remote".to_string()),
        Just("workplace:onsite".to_string()),
        Just("workplace:".to_string()),
        Just("type:contract".to_string()),
        Just("type:full-time".to_string()),
        Just("posted<30d".to_string()),
        Just("posted>7d".to_string()),
        Just("posted<".to_string()),
        Just("state:saved".to_string()),
        Just("state:closed".to_string()),
        Just("state:open".to_string()),
        Just("state:".to_string()),
        "[a-zA-Z0-9]{1,6}",
        "[a-z]{1,4}[.+#/-][a-z]{0,3}",
        Just("Zürich".to_string()),
        Just("machine learning".to_string()),
        Just("rust".to_string()),
        Just("ml".to_string()),
        Just("hn".to_string()),
        any::<char>().prop_map(String::from),
    ]
}

fn query_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat())
}

/// The tree as query text: every group in parentheses, every term quoted.
fn print(node: &Node) -> String {
    match node {
        Node::Term(t) => {
            let field = t
                .field
                .map(|f| format!("{}:", f.as_str()))
                .unwrap_or_default();
            let star = if t.prefix { "*" } else { "" };
            format!("{field}\"{}\"{star}", t.tokens.join(" "))
        }
        Node::Source(s) => {
            let star = if s.prefix { "*" } else { "" };
            format!("{}:\"{}\"{star}", Field::Source.as_str(), s.name)
        }
        Node::Filter(f) => f.to_string(),
        Node::Not(inner) => format!("NOT {}", print(inner)),
        Node::And(nodes) => {
            let parts: Vec<String> = nodes.iter().map(print).collect();
            format!("({})", parts.join(" "))
        }
        Node::Or(nodes) => {
            let parts: Vec<String> = nodes.iter().map(print).collect();
            format!("({})", parts.join(" OR "))
        }
    }
}

proptest! {
    #[test]
    fn parsing_any_string_never_panics(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn parsing_query_like_strings_never_panics_and_errors_point_inside(s in query_text()) {
        match Query::parse(&s) {
            Ok(q) => {
                for doc in docs() {
                    let _ = q.matches(&doc);
                }
                let _ = q.fts_prefilter();
                prop_assert_eq!(q.as_str(), s.as_str());
            }
            Err(e) => {
                prop_assert!(e.position <= s.chars().count(), "{e} in {s:?}");
                let _ = e.caret();
            }
        }
    }

    #[test]
    fn printed_trees_parse_back_to_themselves(s in query_text()) {
        if let Ok(tree) = parse(&s) {
            let printed = print(&tree);
            // Printing adds a group per AND/OR; skip trees that then nest too deep.
            if let Ok(again) = parse(&printed) {
                prop_assert_eq!(again.to_string(), tree.to_string(), "{:?} printed {:?}", s, printed);
            } else {
                let depth = printed.chars().filter(|&c| c == '(').count();
                prop_assert!(depth > MAX_DEPTH || printed.len() > 4096, "{s:?} printed {printed:?}");
            }
        }
    }

    #[test]
    fn operators_follow_their_logic(a in query_text(), b in query_text()) {
        let (Ok(qa), Ok(qb)) = (Query::parse(&a), Query::parse(&b)) else {
            return Ok(());
        };
        let (pa, pb) = (print(&qa.root), print(&qb.root));
        let both = Query::parse(&format!("({pa}) ({pb})"));
        let either = Query::parse(&format!("({pa}) OR ({pb})"));
        let not_a = Query::parse(&format!("NOT ({pa})"));
        let (Ok(both), Ok(either), Ok(not_a)) = (both, either, not_a) else {
            return Ok(());
        };
        for doc in docs() {
            let (ma, mb) = (qa.matches(&doc), qb.matches(&doc));
            prop_assert_eq!(both.matches(&doc), ma && mb);
            prop_assert_eq!(either.matches(&doc), ma || mb);
            prop_assert_eq!(not_a.matches(&doc), !ma);
        }
    }
}

#[test]
fn deepest_accepted_trees_walk_without_overflow() {
    // Every walk recurses once per level; at the limit they must all finish.
    for q in [
        format!("{}rust{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH)),
        format!("{}rust", "NOT ".repeat(MAX_DEPTH)),
        format!("{}rust", "-(".repeat(MAX_DEPTH / 2)) + &")".repeat(MAX_DEPTH / 2),
    ] {
        let q = Query::parse(&q).expect("at the limit");
        for doc in docs() {
            let _ = q.matches(&doc);
        }
        let _ = q.fts_prefilter();
        let _ = q.root.to_string();
        let _ = super::AlertSet::new(vec![q.clone()]);
    }
}
