use super::*;

#[test]
fn parses_into_the_expected_tree() {
    let cases = [
        ("rust", "rust"),
        ("Rust Engineer", "(and rust engineer)"),
        ("a AND b", "(and a b)"),
        ("a OR b c", "(or a (and b c))"),
        ("a b OR c", "(or (and a b) c)"),
        ("(a OR b) c", "(and (or a b) c)"),
        ("a (b c)", "(and a b c)"),
        ("a OR (b OR c)", "(or a b c)"),
        ("NOT a b", "(and (not a) b)"),
        ("NOT a OR b", "(or (not a) b)"),
        ("-senior", "(not senior)"),
        ("-\"team lead\"", "(not \"team lead\")"),
        ("-(a OR b)", "(not (or a b))"),
        ("a or b", "(and a or b)"),
        ("learn*", "learn*"),
        ("\"machine learn\"*", "\"machine learn\"*"),
        ("node.js", "\"node js\""),
        (
            "e-commerce pytorch/jax",
            "(and \"e commerce\" \"pytorch jax\")",
        ),
        ("C++ C# F#", "(and c++ c# f#)"),
        ("Zürich", "zurich"),
        ("TITLE:ml", "title:ml"),
        ("company:\"Acme Corp\"", "company:\"acme corp\""),
        ("title:(a OR location:b)", "(or title:a location:b)"),
        ("title:-senior", "(not title:senior)"),
        ("source:WWR-Programming", "source:wwr-programming"),
        ("source:hn*", "source:hn*"),
        ("source:(hn OR wwr_x.y)", "(or source:hn source:wwr_x.y)"),
        ("salary>=150k", "salary>=150000"),
        ("-state:dismissed", "(not state:dismissed)"),
        (
            "(workplace:remote OR location:berlin) salary>=120k",
            "(and (or workplace:remote location:berlin) salary>=120000)",
        ),
        (
            "rust type:contract posted<7d -state:closed",
            "(and rust type:contract posted<604800s (not state:closed))",
        ),
        (
            "title:(ml OR workplace:remote)",
            "(or title:ml workplace:remote)",
        ),
        (
            "title:(\"machine learning\" OR ML OR \"deep learning\") -senior location:remote",
            "(and (or title:\"machine learning\" title:ml title:\"deep learning\") \
             (not senior) location:remote)",
        ),
    ];
    for (input, want) in cases {
        let tree = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(tree.to_string(), want, "parse({input:?})");
    }
}

#[test]
fn errors_point_at_the_offending_char() {
    let cases = [
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ("\"machine", 0, "unterminated quote"),
        ("a \"\"", 2, "empty phrase"),
        ("\" - \"", 0, "empty phrase"),
        ("(a OR b", 0, "unclosed '('"),
        ("a (", 2, "unclosed '('"),
        ("a (b (c)", 2, "unclosed '('"),
        ("a OR b)", 6, "unmatched ')'"),
        (")", 0, "unmatched ')'"),
        ("()", 0, "empty parentheses"),
        ("a OR", 2, "after OR"),
        ("a AND", 2, "after AND"),
        ("a NOT", 2, "after NOT"),
        ("a -", 2, "right after '-'"),
        ("a OR OR b", 5, "after OR"),
        ("a OR )", 5, "after OR"),
        ("(a OR) b", 5, "after OR"),
        ("OR a", 0, "OR needs a term before it"),
        ("AND a", 0, "AND needs a term before it"),
        ("(OR a)", 1, "after '('"),
        ("title:", 6, "right after 'title:'"),
        ("title: ML", 6, "right after 'title:'"),
        ("title:OR", 6, "after 'title:'"),
        (
            "foo:bar",
            0,
            "unknown field 'foo:' (fields: title, company, location, text, source; \
             filters: salary, posted, workplace, type, state)",
        ),
        ("rust --", 5, "'--' has no letters or digits"),
        ("a *", 2, "'*' has no letters or digits"),
        ("source:\"\"", 7, "expected a source name"),
        (
            "workplace:remot",
            10,
            "unknown workplace 'remot': expected remote, hybrid or on-site",
        ),
        ("a OR -salary>=x", 14, "'x' is not a salary"),
    ];
    let deep_groups = format!("{}a{}", "(".repeat(65), ")".repeat(65));
    let unclosed = "(".repeat(10_000);
    let nots = format!("{}a", "NOT ".repeat(65));
    let minuses = format!("{}a", "-(".repeat(65));
    let long = format!("{} x", "a ".repeat(2100));
    let long_multibyte = "é".repeat(3000);
    let cases = cases
        .into_iter()
        .map(|(i, p, m)| (i.to_owned(), p, m))
        .chain([
            (deep_groups, 64, "nested too deeply"),
            (unclosed, 4096, "longer than 4096 bytes"),
            (nots, 256, "nested too deeply"),
            (minuses, 64, "nested too deeply"),
            (long, 4096, "longer than 4096 bytes"),
            (long_multibyte, 2048, "longer than 4096 bytes"),
        ]);
    for (input, pos, msg) in cases {
        let input = input.as_str();
        let err = parse(input).expect_err(input);
        assert_eq!(
            (err.position, err.input.as_str()),
            (pos, input),
            "{input:?}: {err}"
        );
        assert!(err.message.contains(msg), "{input:?}: {err}");
    }
}

#[test]
fn nesting_up_to_the_limit_parses() {
    let groups = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(parse(&groups).map(|n| n.to_string()), Ok("a".into()));
    let nots = format!("{}a", "NOT ".repeat(MAX_DEPTH));
    assert!(parse(&nots).is_ok());
    let filters = format!(
        "{}salary>=1k{}",
        "(".repeat(MAX_DEPTH),
        ")".repeat(MAX_DEPTH)
    );
    assert!(parse(&filters).is_ok());
    let too_deep = format!("{}state:saved", "-(".repeat(MAX_DEPTH + 1));
    assert!(parse(&too_deep).is_err());
    // Long flat lists are not nesting: they build one AND / OR node.
    let flat = ["a"; 800].join(" OR ");
    assert!(parse(&flat).is_ok());
}
