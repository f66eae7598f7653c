//! Matching tests: words, phrases, prefixes, fields and sources on two postings.
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
fn prefix_answers_agree_before_and_after_the_vocabulary_is_sorted() {
    // One doc, many prefix lookups: the first scan, the later ones sort.
    let d = doc(ML_JOB);
    let cases = [
        ("learn*", true),
        ("earn*", false),
        ("typ*", false),
        ("pyt*", true),
        ("zz*", false),
    ];
    for round in 0..3 {
        for (query, want) in cases {
            let q = Query::parse(query).expect("parses");
            assert_eq!(q.matches(&d), want, "{query:?} in round {round}");
        }
    }
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

#[test]
fn field_terms_list_each_fields_distinct_words_once() {
    let d = Doc::new(
        "ML Engineer, ML",
        "Ácme",
        "Berlin; Remote",
        "Go go GO. C++ and Rust",
        &[],
    );
    assert_eq!(
        d.field_terms(),
        [
            "ml engineer".to_string(),
            "acme".to_string(),
            "berlin remote".to_string(),
            "go c++ and rust".to_string()
        ]
    );
}

#[test]
fn filters_combine_with_words_and_operators() {
    use crate::alerts::testdata::{FACTS_ROWS, docs};
    let docs = docs();
    assert_eq!(docs.len(), FACTS_ROWS, "every test row has its facts");
    let cases: &[(&str, &[usize])] = &[
        ("salary>=150k", &[0, 6]),
        ("salary>=149999", &[0, 3, 6]),
        ("salary>150k", &[0, 6]),
        ("salary<100k", &[1, 4]),
        ("salary<=60", &[4]),
        ("-salary>=1", &[2, 5, 8, 9]),
        ("workplace:remote", &[0, 1, 3, 6]),
        ("workplace:onsite", &[2, 8]),
        ("-workplace:remote", &[2, 4, 5, 7, 8, 9]),
        ("type:full-time", &[0, 3, 7]),
        ("type:contract OR type:internship", &[1, 5]),
        ("posted<7d", &[0, 2, 5, 7]),
        ("posted<=7d", &[0, 2, 5, 6, 7]),
        ("posted>30d", &[1, 4, 8]),
        ("-posted<7d", &[1, 3, 4, 6, 8, 9]),
        ("state:saved", &[1, 6]),
        ("-state:dismissed", &[0, 1, 2, 4, 5, 6, 7, 8, 9]),
        ("state:closed", &[2, 6]),
        ("state:reopened", &[3]),
        ("state:open", &[0, 1, 3, 4, 5, 7, 8, 9]),
        ("rust salary>=120k", &[6, 7]),
        (
            "(workplace:remote OR location:berlin) salary>=120k",
            &[0, 3, 6, 7],
        ),
        ("engineer -type:full-time", &[1]),
        ("title:(ml OR workplace:hybrid)", &[1, 4, 7]),
    ];
    for &(query, want) in cases {
        let q = Query::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
        let got: Vec<usize> = (0..docs.len()).filter(|&i| q.matches(&docs[i])).collect();
        assert_eq!(got, want, "{query:?}");
    }
}
