//! A small corpus and a spread of queries, shared by the FTS and alert-set
//! tests that compare a shortcut against plain evaluation.

use super::{Doc, Query};

/// (title, company, location, text, sources)
pub(crate) type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// Postings chosen to sit on either side of word boundaries and fields.
pub(crate) const ROWS: &[Row] = &[
    (
        "Senior Machine-Learning Engineer",
        "Acme Café",
        "Zürich; Remote",
        "PyTorch/JAX, C++ and node.js",
        &["wwr-programming"],
    ),
    (
        "ML Engineer",
        "Zeta",
        "Remote (EU)",
        "Deep learning, MLOps, Python",
        &["hn"],
    ),
    (
        "Frontend Developer",
        "Google",
        "Berlin",
        "HTML, CSS, e-commerce. Go is a plus.",
        &["remoteok"],
    ),
    (
        "Go Backend Engineer",
        "Gopher Inc",
        "Remote",
        "Golang, gRPC, Postgres",
        &["hn-jobs"],
    ),
    (
        "C# .NET Developer",
        "Contoso",
        "London",
        "C#, F#, Azure. Learning budget.",
        &["wwr-programming"],
    ),
    (
        "Data Scientist",
        "Ünicorn GmbH",
        "München",
        "machine\nlearning, statistics, R",
        &["arbeitnow"],
    ),
    (
        "Team Lead Platform",
        "Acme",
        "Remote",
        "Kubernetes, Rust; lead a team",
        &["hn"],
    ),
    (
        "Junior Rust Developer",
        "Ferrous",
        "Remote; Berlin",
        "Rust, tokio, async. No senior needed.",
        &["wwr_backend.v2"],
    ),
    (
        "Deep Learning Researcher",
        "Lab",
        "Paris",
        "Transformers; learner mindset",
        &["remoteok"],
    ),
    ("Product Designer", "", "", "Figma", &[]),
];

/// Queries covering every operator, field and term kind.
pub(crate) const QUERIES: &[&str] = &[
    "rust",
    "Rust -senior",
    "ML",
    "HTML",
    "Go",
    "go OR golang",
    "\"machine learning\"",
    "machine-learning",
    "title:(\"machine learning\" OR ML OR \"deep learning\") -senior location:remote",
    "title:(\"machine learning\" OR ML OR \"deep learning\")",
    "learn*",
    "title:learn*",
    "\"deep learn\"*",
    "c++",
    "C# OR F#",
    "node.js",
    "e-commerce",
    "cafe",
    "zurich OR munchen",
    "unicorn",
    "company:acme",
    "location:remote -location:berlin",
    "text:rust",
    "title:rust OR company:google",
    "-senior",
    "NOT (remote OR berlin)",
    "source:hn",
    "source:hn*",
    "source:wwr* rust",
    "source:hn OR rust",
    "engineer AND remote",
    "engineer OR developer remote",
    "(engineer OR developer) remote",
    "\"team lead\" OR -rust",
    "-\"team lead\" lead",
    "or",
    "NEAR",
    "figma",
    "python OR (go -google)",
];

/// The rows as docs.
pub(crate) fn docs() -> Vec<Doc> {
    ROWS.iter()
        .map(|r| Doc::new(r.0, r.1, r.2, r.3, r.4))
        .collect()
}

/// The queries, parsed.
pub(crate) fn queries() -> Vec<Query> {
    QUERIES
        .iter()
        .map(|q| Query::parse(q).unwrap_or_else(|e| panic!("{q:?}: {e}")))
        .collect()
}
