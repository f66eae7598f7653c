//! A deterministic synthetic corpus of job postings and alerts for the
//! benchmarks: job-board titles, companies and places, and descriptions whose
//! words follow a Zipf-like distribution over a 20,000-word vocabulary mixed
//! with the domain terms people search for, so the full-text index and the
//! matcher see realistic word frequencies.

use chrono::{DateTime, Duration, TimeZone, Utc};
use jobhound::model::{
    EmploymentType, Posting, Salary, SalaryOrigin, SalaryPeriod, SourceName, Workplace,
};

const SENIORITY: &[&str] = &[
    "",
    "",
    "Junior ",
    "Senior ",
    "Senior ",
    "Staff ",
    "Principal ",
    "Lead ",
];
const ROLES: &[&str] = &[
    "Machine Learning Engineer",
    "Backend Engineer",
    "Frontend Engineer",
    "Full Stack Developer",
    "Site Reliability Engineer",
    "Data Engineer",
    "Data Scientist",
    "Data Analyst",
    "Product Manager",
    "Product Designer",
    "Security Engineer",
    "Platform Engineer",
    "iOS Engineer",
    "Android Developer",
    "MLOps Engineer",
    "Research Scientist",
    "Computer Vision Engineer",
    "NLP Engineer",
    "Analytics Engineer",
    "Engineering Manager",
    "Rust Developer",
    "Go Developer",
    "Solutions Architect",
    "Deep Learning Researcher",
    "Applied Scientist",
    "Search Engineer",
    "Technical Writer",
];
const QUALIFIERS: &[&str] = &[
    "",
    "",
    "",
    " - Payments",
    " (Python)",
    " - Ranking",
    ", Growth",
    " (Contract)",
    " - LLM Platform",
];
const CO_A: &[&str] = &[
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Aperture",
    "Tyrell",
    "Monarch",
    "Nakatomi",
    "Sirius",
    "Lumen",
    "Quanta",
];
const CO_B: &[&str] = &[
    "Labs",
    "AI",
    "Analytics",
    "Robotics",
    "Systems",
    "Health",
    "Payments",
    "Cloud",
    "Bio",
    "Security",
    "Games",
    "Energy",
];
const PLACES: &[&str] = &[
    "Berlin, Germany",
    "London, UK",
    "Amsterdam, Netherlands",
    "Paris, France",
    "Zürich, Switzerland",
    "New York, NY",
    "San Francisco, CA",
    "Austin, TX",
    "Seattle, WA",
    "Toronto, ON",
    "Bengaluru, India",
    "Singapore",
    "Remote (US)",
    "Remote (EU)",
    "Remote",
    "Lisbon, Portugal",
    "Tokyo, Japan",
];
const DOMAIN: &[&str] = &[
    "python",
    "rust",
    "go",
    "java",
    "kubernetes",
    "terraform",
    "pytorch",
    "tensorflow",
    "jax",
    "spark",
    "kafka",
    "postgres",
    "sql",
    "aws",
    "gcp",
    "azure",
    "docker",
    "llm",
    "transformers",
    "nlp",
    "recommendations",
    "ranking",
    "search",
    "embeddings",
    "cuda",
    "inference",
    "training",
    "mlops",
    "airflow",
    "dbt",
    "react",
    "typescript",
    "grpc",
    "linux",
    "security",
    "payments",
    "remote",
];
const PHRASES: &[&str] = &[
    "machine learning",
    "deep learning",
    "computer vision",
    "distributed systems",
    "data pipelines",
    "large language models",
    "feature store",
    "on call",
    "fully remote",
    "equal opportunity employer",
];

/// A deterministic source of postings and queries.
pub struct Corpus {
    rng: fastrand::Rng,
    vocab: Vec<String>,
    /// Cumulative Zipf weights over `vocab`.
    cdf: Vec<f64>,
    epoch: DateTime<Utc>,
    /// Description length in words: at least the first, plus up to the second.
    words: (usize, usize),
}

impl Corpus {
    /// A corpus generator with a fixed seed.
    pub fn new(seed: u64) -> Corpus {
        let mut rng = fastrand::Rng::with_seed(seed);
        let syllables = [
            "ka", "lo", "mi", "ren", "to", "va", "shi", "der", "pla", "nor", "ex", "qui", "sta",
            "ber", "lin", "gor",
        ];
        let mut vocab = Vec::with_capacity(20_000);
        while vocab.len() < 20_000 {
            let n = 2 + rng.usize(0..3);
            let w: String = (0..n)
                .map(|_| syllables[rng.usize(0..syllables.len())])
                .collect();
            vocab.push(w);
        }
        let mut acc = 0.0;
        let cdf = (1..=vocab.len())
            .map(|r| {
                acc += 1.0 / (r as f64).powf(1.07);
                acc
            })
            .collect();
        let epoch = Utc
            .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
            .single()
            .expect("valid date");
        Corpus {
            rng,
            vocab,
            cdf,
            epoch,
            words: (150, 250),
        }
    }

    /// The same corpus with descriptions of about `average` words (275 by default).
    pub fn with_words(mut self, average: usize) -> Corpus {
        self.words = (average / 2, (average - average / 2).max(1) * 2 - 1);
        self
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.usize(0..list.len())]
    }

    fn word(&mut self) -> &str {
        let total = *self.cdf.last().unwrap_or(&1.0);
        let x = self.rng.f64() * total;
        let i = self
            .cdf
            .partition_point(|&c| c < x)
            .min(self.vocab.len() - 1);
        &self.vocab[i]
    }

    /// A description of about `words` words in paragraphs and list items.
    fn text(&mut self, words: usize) -> String {
        let mut out = String::with_capacity(words * 7);
        for i in 0..words {
            if i % 40 == 0 && i > 0 {
                out.push_str("\n\n");
            } else if i % 12 == 0 && i > 0 {
                out.push_str(".\n- ");
            } else if i > 0 {
                out.push(' ');
            }
            match self.rng.u32(0..100) {
                0..=5 => out.push_str(self.pick(DOMAIN)),
                6 => out.push_str(self.pick(PHRASES)),
                _ => {
                    let w = self.word().to_string();
                    out.push_str(&w);
                }
            }
        }
        out
    }

    /// The `i`-th posting, listed by `source`.
    pub fn posting(&mut self, i: usize, source: &SourceName) -> Posting {
        let title = format!(
            "{}{}{}",
            self.pick(SENIORITY),
            self.pick(ROLES),
            self.pick(QUALIFIERS)
        );
        let company = format!("{} {}", self.pick(CO_A), self.pick(CO_B));
        let place = self.pick(PLACES).to_string();
        let workplace = if place.starts_with("Remote") {
            Workplace::Remote
        } else {
            [Workplace::Onsite, Workplace::Hybrid, Workplace::Unknown][self.rng.usize(0..3)]
        };
        let words = self.words.0 + self.rng.usize(0..self.words.1);
        let text = self.text(words);
        let html = format!(
            "<p>{}</p>",
            text.replace("\n\n", "</p><p>").replace('\n', "<br>")
        );
        // Spread over the last 400 days, so --since filters something.
        let posted = self.epoch - Duration::minutes(self.rng.i64(0..400 * 24 * 60));
        Posting {
            source: source.clone(),
            external_id: format!("job-{i}"),
            title: title.clone(),
            raw_title: title,
            company: Some(company),
            department: None,
            locations: vec![place],
            workplace,
            employment_type: Some(employment(i)),
            salary: salary(i),
            posted_at: Some(posted),
            updated_at: None,
            url: Some(format!("https://jobs.example/{i}")),
            apply_url: None,
            description_html: html,
            text,
            tags: vec![self.pick(DOMAIN).to_string()],
            author: None,
        }
    }

    /// An alert query built from the same vocabulary: fielded words and
    /// phrases, ORs, negations and the odd prefix.
    pub fn query(&mut self) -> String {
        let a = self.pick(DOMAIN);
        let b = self.pick(DOMAIN);
        let role = self.pick(&[
            "engineer",
            "scientist",
            "developer",
            "researcher",
            "analyst",
            "manager",
        ]);
        match self.rng.u32(0..8) {
            0 => format!("title:{role} {a}"),
            1 => format!("title:(\"{}\" OR {a}) -senior", self.pick(PHRASES)),
            2 => format!("{a} {b} location:remote"),
            3 => format!("\"{}\" -{b}", self.pick(PHRASES)),
            4 => format!(
                "title:({a} OR {b}) location:({})",
                self.pick(&["berlin", "london", "remote", "paris", "toronto"])
            ),
            5 => format!("company:{} {a}", self.pick(CO_A).to_lowercase()),
            6 => format!("{a} OR {b} OR {}", self.word()),
            _ => format!(
                "title:{role} -title:(staff OR principal) {}*",
                &a[..a.len().min(4)]
            ),
        }
    }
}

/// The `i`-th posting's contract: mostly full-time. Derived from `i`, not
/// drawn from the generator, so the words of the corpus stay what they were.
fn employment(i: usize) -> EmploymentType {
    match i % 20 {
        0..=13 => EmploymentType::FullTime,
        14 | 15 => EmploymentType::Contract,
        16 => EmploymentType::PartTime,
        17 => EmploymentType::Internship,
        18 => EmploymentType::Temporary,
        _ => EmploymentType::Freelance,
    }
}

/// The `i`-th posting's pay: none for a third of them, a yearly range for
/// most of the rest (40k to 250k), a monthly or hourly one for a few.
fn salary(i: usize) -> Option<Salary> {
    // A multiplicative hash spreads consecutive postings over the range.
    let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    let (min, period) = match i % 6 {
        0 | 3 => return None,
        4 => (3_000 + (h % 9_000) as i64, SalaryPeriod::Month),
        5 if i % 12 == 5 => (20 + (h % 100) as i64, SalaryPeriod::Hour),
        _ => (40_000 + (h % 210_000) as i64, SalaryPeriod::Year),
    };
    let min = (min / 10 * 10) as f64;
    Some(Salary {
        min: Some(min),
        max: (!i.is_multiple_of(5)).then_some(min * 1.25),
        currency: Some(["USD", "EUR", "GBP"][i % 3].to_string()),
        period: Some(period),
        origin: SalaryOrigin::Structured,
        text: None,
    })
}
