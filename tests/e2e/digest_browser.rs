//! The digest mail's HTML in a real headless Chromium at a phone's width
//! (375 CSS pixels): nothing is wider than the screen and the page requests
//! nothing but itself, for a realistic digest and for the golden digest of
//! hostile, long and right-to-left postings. The checks are shown to catch
//! what they look for on a page that does overflow and load an image. In
//! dark mode its cards, text and highlights turn dark. The
//! realistic digest's screenshot is the README's picture: `JOBHOUND_BLESS=1`
//! writes it to docs/digest.png.

use chrono::{DateTime, Duration, TimeZone, Utc};
use jobhound::alerts::Query;
use jobhound::model::{
    EmploymentType, Posting, PostingId, Salary, SalaryOrigin, SalaryPeriod, SourceName, Workplace,
};
use jobhound::notify::email;
use jobhound::notify::render::{Batch, DigestTime, Item, View};
use jobhound::store::{JobState, StoredPosting};

use crate::support::browser::{Chromium, Pages, Tab};

const PHONE: u32 = 375;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0)
        .single()
        .expect("time")
}

/// (title, company, locations, workplace, salary (min, max, currency, period), type, days ago, boards, text)
type Sample = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Workplace,
    Option<(f64, f64, &'static str, SalaryPeriod)>,
    Option<EmploymentType>,
    i64,
    usize,
    &'static str,
);

const SAMPLES: &[Sample] = &[
    (
        "Research Engineer, Machine Learning Systems",
        "Anthropic",
        &["San Francisco, CA", "New York, NY"],
        Workplace::Hybrid,
        Some((300e3, 405e3, "USD", SalaryPeriod::Year)),
        Some(EmploymentType::FullTime),
        1,
        3,
        "You will build the infrastructure that trains and evaluates large models: \
         distributed training, fast inference and the tooling researchers use every day.",
    ),
    (
        "Machine Learning Engineer, Inference",
        "Mistral AI",
        &["Paris, France"],
        Workplace::Onsite,
        Some((60e3, 75e3, "EUR", SalaryPeriod::Year)),
        Some(EmploymentType::FullTime),
        3,
        2,
        "Make our open-weight models fast on every accelerator. You know PyTorch, CUDA and \
         quantization, and you care about latency and cost.",
    ),
    (
        "ML Engineer — Open Source Libraries",
        "Hugging Face",
        &["Remote (Europe)"],
        Workplace::Remote,
        None,
        Some(EmploymentType::FullTime),
        4,
        1,
        "Maintain transformers and diffusers with the community: review pull requests, \
         ship releases and write the docs people learn machine learning from.",
    ),
    (
        "Contract Data Scientist (ML forecasting)",
        "Northwind Analytics",
        &["Austin, TX"],
        Workplace::Remote,
        Some((85.0, 85.0, "USD", SalaryPeriod::Hour)),
        Some(EmploymentType::Contract),
        6,
        1,
        "Six-month engagement building demand forecasts with gradient boosting and \
         probabilistic ML models for a retail client.",
    ),
];

/// A digest of realistic postings, as the mail of a notifier with two alerts.
fn sample() -> Batch {
    let items = SAMPLES
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (title, company, locations, workplace, salary, kind, days, boards, text) = *s;
            let posted = at() - Duration::days(days);
            let posting = Posting {
                source: SourceName("wwr".into()),
                external_id: format!("s{i}"),
                title: title.into(),
                raw_title: title.into(),
                company: Some(company.into()),
                department: None,
                locations: locations.iter().map(|l| l.to_string()).collect(),
                workplace,
                employment_type: kind,
                salary: salary.map(|(min, max, currency, period)| Salary {
                    min: Some(min),
                    max: Some(max),
                    currency: Some(currency.into()),
                    period: Some(period),
                    origin: SalaryOrigin::Structured,
                    text: None,
                }),
                posted_at: Some(posted),
                updated_at: None,
                url: Some(format!("https://jobs.example/{i}")),
                apply_url: None,
                description_html: String::new(),
                text: text.into(),
                tags: vec![],
                author: None,
            };
            Item {
                delivery_id: i as i64 + 1,
                alert: "ml".into(),
                posting: StoredPosting {
                    id: PostingId(i as i64 + 1),
                    posting,
                    sources: (0..boards).map(|b| format!("board-{b}")).collect(),
                    first_seen: posted,
                    last_seen: posted,
                    changed_at: posted,
                    state: JobState::Open,
                    closed_at: None,
                    reopened_at: None,
                    sightings: vec![],
                    user_state: None,
                },
            }
        })
        .collect();
    Batch {
        key: "jobhound-m1-1795993200".into(),
        digest: Some(DigestTime {
            at: at(),
            timezone: chrono_tz::Europe::Berlin,
        }),
        at: at(),
        view: View {
            queries: [(
                "ml".to_string(),
                Query::parse(r#""machine learning" OR ml"#).expect("query"),
            )]
            .into_iter()
            .collect(),
            max_per_alert: Some(3),
            web: None,
        },
        items,
    }
}

/// Opens `html` as `name` and checks it fits the phone and loads nothing else.
async fn fits_and_loads_only_itself(
    chrome: &Chromium,
    pages: &Pages,
    name: &str,
    html: &str,
) -> Tab {
    let url = pages.add(name, html);
    let opened = chrome.open(&url).await;
    let layout = opened.layout().await;
    assert_eq!(layout.width, f64::from(PHONE), "{name}: the phone's width");
    assert!(
        layout.scroll_width <= f64::from(PHONE) && layout.wider.is_empty(),
        "{name}: {} px wide; wider than the screen: {:#?}",
        layout.scroll_width,
        layout.wider
    );
    assert_eq!(
        opened.requests,
        [url],
        "{name}: requested nothing but itself"
    );
    opened
}

#[tokio::test(flavor = "multi_thread")]
async fn the_digest_fits_a_phone_and_loads_nothing_but_itself() {
    let Some(chrome) = Chromium::phone(PHONE).await else {
        return;
    };
    let pages = Pages::start().await;

    // The checks catch what they look for.
    let bad = pages.add(
        "bad.html",
        "<!DOCTYPE html><html><head><meta name=\"viewport\" content=\"width=device-width\"></head>\
         <body><div style=\"width:500px\">wide</div><img src=\"/pixel.png\"></body></html>",
    );
    let opened = chrome.open(&bad).await;
    let layout = opened.layout().await;
    assert!(layout.scroll_width > f64::from(PHONE), "{layout:?}");
    assert!(
        layout.wider.iter().any(|w| w.starts_with("DIV")),
        "{layout:?}"
    );
    assert_eq!(opened.requests.len(), 2, "{:?}", opened.requests);
    assert!(pages.seen().contains(&"/pixel.png".to_string()));

    let sample = sample();
    let html = email::html(&sample);
    let opened = fits_and_loads_only_itself(&chrome, &pages, "digest.html", &html).await;
    let png = opened.screenshot().await;
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
    if std::env::var_os("JOBHOUND_BLESS").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/digest.png");
        std::fs::create_dir_all(path.parent().expect("docs")).expect("docs dir");
        std::fs::write(&path, &png).expect("screenshot written");
    }
    // In dark mode the cards, text and highlights turn dark (colours only: the layout is the same).
    let light = (
        opened.style(".jh-card", "background-color").await,
        opened.style(".jh-text", "color").await,
    );
    assert_eq!(
        light,
        ("rgb(255, 255, 255)".into(), "rgb(29, 35, 48)".into())
    );
    opened.prefer_dark().await;
    assert_eq!(
        opened.style(".jh-card", "background-color").await,
        "rgb(26, 31, 39)"
    );
    assert_eq!(
        opened.style(".jh-text", "color").await,
        "rgb(231, 234, 238)"
    );
    assert_eq!(
        opened.style(".jh-mark", "background-color").await,
        "rgb(107, 82, 0)"
    );
    // The golden digest: hostile strings, a 300-character URL, a title of long words, Arabic and Hebrew.
    let golden = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/notify/golden/digest.html"),
    )
    .expect("golden digest");
    fits_and_loads_only_itself(&chrome, &pages, "golden.html", &golden).await;

    let seen = pages.seen();
    assert_eq!(
        seen,
        ["/bad.html", "/pixel.png", "/digest.html", "/golden.html"],
        "the server saw only the pages"
    );
    chrome.close().await;
}
