//! A small corpus and a spread of queries, shared by the FTS and alert-set
//! tests that compare a shortcut against plain evaluation.

use super::{Doc, Facts, Lifecycle, Mark, Query};
use crate::model::{EmploymentType, Workplace};

/// The time the docs' ages are measured at.
pub(crate) const NOW: i64 = 1_800_000_000;

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
    "salary>=150k",
    "salary>=85",
    "salary<100k",
    "rust salary>=120k",
    "workplace:remote",
    "-workplace:remote",
    "(workplace:remote OR location:berlin) salary>=120k",
    "type:contract OR type:internship",
    "engineer -type:full-time",
    "posted<7d",
    "posted>30d",
    "state:saved",
    "-state:dismissed",
    "state:closed OR state:reopened",
    "state:open ml",
];

/// How many rows have typed fields (all of them).
pub(crate) const FACTS_ROWS: usize = FACTS.len();

/// The typed fields of each row: (yearly pay, workplace, type, age in days,
/// lifecycle, mark).
#[allow(clippy::type_complexity)]
const FACTS: &[(
    Option<(f64, f64)>,
    Workplace,
    Option<EmploymentType>,
    Option<i64>,
    Lifecycle,
    Option<Mark>,
)] = &[
    (
        Some((150_000.0, 180_000.0)),
        Workplace::Remote,
        Some(EmploymentType::FullTime),
        Some(2),
        Lifecycle::Open,
        None,
    ),
    (
        Some((90_000.0, 90_000.0)),
        Workplace::Remote,
        Some(EmploymentType::Contract),
        Some(40),
        Lifecycle::Open,
        Some(Mark::Saved),
    ),
    (
        None,
        Workplace::Onsite,
        None,
        Some(6),
        Lifecycle::Closed,
        None,
    ),
    (
        Some((120_000.0, 149_999.0)),
        Workplace::Remote,
        Some(EmploymentType::FullTime),
        None,
        Lifecycle::Reopened,
        Some(Mark::Dismissed),
    ),
    (
        Some((60.0, 84.0)),
        Workplace::Hybrid,
        Some(EmploymentType::PartTime),
        Some(31),
        Lifecycle::Open,
        Some(Mark::Applied),
    ),
    (
        None,
        Workplace::Unknown,
        Some(EmploymentType::Internship),
        Some(0),
        Lifecycle::Open,
        None,
    ),
    (
        Some((200_000.0, 200_000.0)),
        Workplace::Remote,
        None,
        Some(7),
        Lifecycle::Closed,
        Some(Mark::Saved),
    ),
    (
        Some((100_000.0, 130_000.0)),
        Workplace::Hybrid,
        Some(EmploymentType::FullTime),
        Some(1),
        Lifecycle::Open,
        None,
    ),
    (
        None,
        Workplace::Onsite,
        Some(EmploymentType::Temporary),
        Some(100),
        Lifecycle::Open,
        None,
    ),
    (None, Workplace::Unknown, None, None, Lifecycle::Open, None),
];

/// The rows as docs, with their facts.
pub(crate) fn docs() -> Vec<Doc> {
    ROWS.iter()
        .zip(FACTS)
        .map(|(r, f)| {
            let mut doc = Doc::new(r.0, r.1, r.2, r.3, r.4);
            doc.set_facts(Facts {
                salary: f.0,
                workplace: f.1,
                employment: f.2,
                posted: f.3.map(|days| NOW - days * 86_400),
                now: NOW,
                lifecycle: f.4,
                mark: f.5,
            });
            doc
        })
        .collect()
}

/// The queries, parsed.
pub(crate) fn queries() -> Vec<Query> {
    QUERIES
        .iter()
        .map(|q| Query::parse(q).unwrap_or_else(|e| panic!("{q:?}: {e}")))
        .collect()
}
