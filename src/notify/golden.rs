//! Golden files: every channel's rendering of fixed postings (all facts, none,
//! each missing alone, a long title, right-to-left text, hostile strings),
//! compared byte for byte with `src/notify/golden/`. After an intended
//! change, `JOBHOUND_BLESS=1 cargo test --lib notify::golden` rewrites them;
//! review the diff like code.
//!
//! Beside them, properties no fixture list can cover: every combination of
//! missing facts leaves no stray separator or empty line, and 50 jobs make
//! an HTML part under 100 KB.

use std::path::PathBuf;

use chrono::Duration;

use super::render::Batch;
use super::render::tests::{batch, job, viewed, written};
use super::{discord, email, slack, webhook};
use crate::model::{EmploymentType, Salary, SalaryOrigin, SalaryPeriod, Workplace};
use crate::store::{Sighting, StoredPosting};

/// A fact of a job that can be missing.
const FACTS: [&str; 8] = [
    "company",
    "location",
    "workplace",
    "salary",
    "employment",
    "posted",
    "link",
    "description",
];

/// A job with every fact known: two boards, an apply page, a typed salary.
fn full() -> StoredPosting {
    let mut p = job(
        1,
        "Senior Machine Learning Engineer, Inference",
        Some("Mistral AI"),
    );
    let post = &mut p.posting;
    post.locations = vec!["Paris, France".into(), "London, UK".into()];
    post.workplace = Workplace::Hybrid;
    post.employment_type = Some(EmploymentType::FullTime);
    post.salary = Some(Salary {
        min: Some(120_000.0),
        max: Some(160_000.0),
        currency: Some("EUR".into()),
        period: Some(SalaryPeriod::Year),
        origin: SalaryOrigin::Structured,
        text: Some("- Salary: €120k–€160k".into()),
    });
    post.posted_at = Some(written() - Duration::days(3));
    post.apply_url = Some("https://jobs.mistral.example/apply/42".into());
    post.text = "You will make large language models fast: batching, quantization and \
                 kernels for machine learning inference at scale. You know PyTorch and \
                 CUDA, and you care about latency. We offer equity and a relocation package."
        .into();
    p.sources = vec!["wwr".into(), "greenhouse-mistral".into()];
    p.sightings = vec![sighting("wwr", "https://jobs.example/1")];
    p
}

fn sighting(source: &str, url: &str) -> Sighting {
    Sighting {
        source: source.into(),
        external_id: "x".into(),
        url: Some(url.into()),
        first_seen: written(),
        last_seen: written(),
        reason: "first".into(),
        detail: None,
        closed_at: None,
    }
}

/// `full()` without the facts whose bits are set in `missing` (see [`FACTS`]).
fn without(missing: u32, id: i64) -> StoredPosting {
    let mut p = full();
    p.id = crate::model::PostingId(id);
    let post = &mut p.posting;
    let gone = |i: usize| missing & (1 << i) != 0;
    if gone(0) {
        post.company = None;
    }
    if gone(1) {
        post.locations.clear();
    }
    if gone(2) {
        post.workplace = Workplace::Unknown;
    }
    if gone(3) {
        post.salary = None;
    }
    if gone(4) {
        post.employment_type = None;
    }
    if gone(5) {
        post.posted_at = None;
    }
    if gone(6) {
        post.url = None;
        post.apply_url = None;
        p.sightings.clear();
    }
    if gone(7) {
        post.text.clear();
        post.description_html.clear();
    }
    p
}

/// The fixed digest the golden files render.
fn digest() -> Batch {
    let mut items: Vec<(&str, StoredPosting)> = vec![("ml", full())];
    for (i, _) in FACTS.iter().enumerate() {
        items.push(("ml", without(1 << i, 10 + i as i64)));
    }
    items.push(("ml", without(u32::MAX, 30)));
    // The oldest: past the cap, so the group says how to see it.
    let mut old = full();
    old.id = crate::model::PostingId(34);
    old.posting.posted_at = Some(written() - Duration::days(40));
    items.push(("ml", old));
    let mut long = full();
    long.id = crate::model::PostingId(31);
    long.posting.title = format!(
        "Staff Machine Learning Engineer {} and {} Platform",
        "— Distributed Training, Evaluation Infrastructure, Reinforcement Learning from Human Feedback ".repeat(3),
        "Supercalifragilisticexpialidocious".repeat(5)
    );
    long.posting.company = Some(
        "The Extremely Long Company Name Incorporated International Holdings GmbH & Co. KG".into(),
    );
    long.posting.url = Some(format!("https://jobs.example/{}", "a".repeat(300)));
    long.posting.apply_url = None;
    items.push(("research", long));
    let mut rtl = full();
    rtl.id = crate::model::PostingId(32);
    rtl.posting.title = "مهندس تعلم الآلة (Machine Learning) — דובאי".into();
    rtl.posting.company = Some("شركة الذكاء الاصطناعي".into());
    rtl.posting.locations = vec!["دبي، الإمارات".into(), "תל אביב".into()];
    rtl.posting.text = "نبحث عن مهندس machine learning للعمل على النماذج اللغوية.".into();
    items.push(("research", rtl));
    let mut evil = full();
    evil.id = crate::model::PostingId(33);
    evil.posting.title =
        "<script>alert('x')</script> ML \"><img src=x onerror=alert(1)> *bold* _it_ @everyone <!channel> \u{202e}gnp.exe\r\nBcc: x@example.com".into();
    evil.posting.company = Some("A & B <i>Co</i> | [link](javascript:alert(1)) ` ~~x~~ #h".into());
    evil.posting.locations = vec!["<b>Remote</b>\u{0}\u{7}".into()];
    evil.posting.url = Some("javascript:alert(document.cookie)".into());
    evil.posting.apply_url = Some("https://evil.example/a\"onmouseover=\"alert(1)".into());
    evil.posting.text =
        "<style>body{display:none}</style> &amp; ML <a href=\"javascript:x\">click</a> @here"
            .into();
    evil.posting.salary = Some(Salary {
        min: None,
        max: None,
        currency: Some("<b>".into()),
        period: None,
        origin: SalaryOrigin::Text,
        text: Some("<img src=//evil.example/p.gif> $1,000,000".into()),
    });
    evil.sources = vec!["<hn>".into()];
    items.push(("<ml> & co", evil));
    let b = batch(&items, true);
    viewed(
        b,
        &[
            ("ml", r#"title:("machine learning" OR ml) -intern"#),
            ("research", "machine learning OR learn*"),
            ("<ml> & co", "ml"),
        ],
        Some(10),
    )
}

/// Compares `got` with the golden file `name`, or writes it when blessing.
fn golden(name: &str, got: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/notify/golden")
        .join(name);
    if std::env::var_os("JOBHOUND_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("golden dir");
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (JOBHOUND_BLESS=1 writes it)", path.display()));
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  golden: {:?}\n  now:    {:?}\n\
             (JOBHOUND_BLESS=1 rewrites it after an intended change)",
            line + 1,
            want.lines().nth(line),
            got.lines().nth(line)
        );
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("json") + "\n"
}

#[test]
fn every_channel_renders_the_fixed_digest_as_its_golden_file() {
    let b = digest();
    golden("digest.html", &email::html(&b));
    golden("digest.txt", &b.text());
    golden("digest.subject.txt", &(b.subject() + "\n"));
    golden("digest.webhook.json", &pretty(&webhook::payload(&b)));
    // The chat channels carry at most their capacity per message.
    let chat = |n: usize| {
        let mut c = b.clone();
        c.items.truncate(n);
        c
    };
    golden("digest.slack.json", &pretty(&slack::message(&chat(20))));
    golden("digest.discord.json", &pretty(&discord::message(&chat(10))));
    let one = batch(&[("ml", full())], false);
    let one = viewed(one, &[("ml", r#"title:("machine learning" OR ml)"#)], None);
    golden("immediate.html", &email::html(&one));
    golden("immediate.txt", &one.text());
    golden("immediate.slack.json", &pretty(&slack::message(&one)));
    golden("immediate.discord.json", &pretty(&discord::message(&one)));
    golden("immediate.webhook.json", &pretty(&webhook::payload(&one)));
}

#[test]
fn hostile_strings_never_reach_any_channel_raw() {
    let b = digest();
    let html = email::html(&b);
    // Parsed as a browser would: only our own tags and attributes, links
    // only to the web, nothing that loads a resource.
    let doc = scraper::Html::parse_document(&html);
    let tags = [
        "html", "head", "meta", "title", "style", "body", "div", "table", "tr", "td", "a", "span",
        "code", "tbody",
    ];
    let attrs = [
        "lang",
        "charset",
        "name",
        "content",
        "class",
        "style",
        "role",
        "width",
        "cellpadding",
        "cellspacing",
        "border",
        "align",
        "href",
        "dir",
    ];
    let mut links = 0;
    for node in doc.root_element().descendants() {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        assert!(tags.contains(&e.name()), "<{}> in the HTML", e.name());
        for (name, value) in e.attrs() {
            assert!(attrs.contains(&name), "{name}={value:?} on <{}>", e.name());
            assert!(!value.contains("url("), "{name}={value:?}");
            if name == "href" {
                links += 1;
                assert!(
                    value.starts_with("https://") || value.starts_with("http://"),
                    "{value}"
                );
            }
        }
    }
    assert!(links > 5, "{links} links");
    let styles: Vec<_> = doc
        .select(&scraper::Selector::parse("style").expect("selector"))
        .collect();
    assert_eq!(styles.len(), 1, "only our own style block");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "),
        "shown, escaped"
    );
    assert!(!html.contains('\u{202e}'), "no bidi override from a source");
    let text = b.text();
    assert!(!text.contains('\r') && !text.contains('\u{0}'), "{text}");
    let slack = slack::message(&b).to_string();
    assert!(
        !slack.contains("<script") && !slack.contains("<!channel>"),
        "{slack}"
    );
    // A lone hostile job: its title is the subject, and the subject Slack's `text`.
    let evil = b
        .items
        .iter()
        .find(|i| i.alert == "<ml> & co")
        .expect("the hostile job");
    assert!(evil.posting.posting.title.contains("<!channel>"));
    let slack = slack::message(&batch(&[("ml", evil.posting.clone())], false));
    // mrkdwn parses `<!channel>`; the plain_text header shows it as written.
    for mrkdwn in [&slack["text"], &slack["blocks"][3]["text"]["text"]] {
        let t = mrkdwn.as_str().expect("text");
        assert!(!t.contains("<!channel>") && !t.contains("<script"), "{t}");
    }
    assert_eq!(slack["blocks"][0]["text"]["type"], "plain_text");
    let discord = discord::message(&b);
    assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]));
}

#[test]
fn every_combination_of_missing_facts_reads_cleanly() {
    for missing in 0..(1u32 << FACTS.len()) {
        let b = viewed(
            batch(&[("ml", without(missing, 1))], true),
            &[("ml", "machine learning")],
            None,
        );
        let gone: Vec<&str> = (0..FACTS.len())
            .filter(|i| missing & (1 << i) != 0)
            .map(|i| FACTS[i])
            .collect();
        let text = b.text();
        for bad in [" ·  ·", "·  ", " · \n", "\n  ·", "\n  \n", "::"] {
            assert!(!text.contains(bad), "missing {gone:?}: {bad:?} in\n{text}");
        }
        let html = email::html(&b);
        for bad in ["\"></div>", ">· ", " ·<", "<a href=\"\""] {
            assert!(!html.contains(bad), "missing {gone:?}: {bad:?} in the HTML");
        }
        let slack = slack::message(&b).to_string();
        assert!(
            !slack.contains("\\n\\n") && !slack.contains("\\n·"),
            "missing {gone:?}: {slack}"
        );
        let discord = discord::message(&b);
        let d = discord["embeds"][0]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            !d.contains("\n\n") && !d.starts_with('\n'),
            "missing {gone:?}: {d:?}"
        );
        assert_eq!(
            discord["embeds"][0].get("url").is_some(),
            !gone.contains(&"link")
        );
    }
}

#[test]
fn fifty_jobs_make_an_html_part_under_100_kb() {
    let items: Vec<(&str, StoredPosting)> = (0..50)
        .map(|i| {
            let mut p = full();
            p.id = crate::model::PostingId(i);
            p.posting.text = "Machine learning engineers build, train and ship models. ".repeat(40);
            ("ml", p)
        })
        .collect();
    let b = viewed(batch(&items, true), &[("ml", "machine learning")], Some(50));
    let html = email::html(&b);
    assert_eq!(
        html.matches("jh-card").count(),
        50 + 1,
        "every job shown (and the dark-mode rule)"
    );
    assert!(html.len() < 100 * 1024, "{} bytes", html.len());
    eprintln!("50 jobs: {} bytes of HTML", html.len());
}
