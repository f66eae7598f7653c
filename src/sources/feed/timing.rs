//! How long one large job feed takes to read both ways: the streaming reader
//! against feed-rs with the second pass for job fields. The body is built the
//! way `bench/gen_feeds.py` renders its RSS and Atom feeds (about 3 KB of HTML
//! per item, in CDATA or escaped, `job:` fields on every item), about 500 KB.
//! Ignored by default (a timing, not a check); run it in an optimized build:
//! `cargo test --release --lib feed::timing -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use url::Url;

use super::{fast, parse_with_feed_rs};

const RUNS: usize = 15;

fn description(i: usize) -> String {
    let mut s = format!(
        "<p><strong>Acme {i} Labs</strong> is hiring a <strong>Senior Rust Developer</strong> to join the \
         Platform team (Remote, Berlin, Germany).</p><p>We are a small, focused team building software \
         that thousands of businesses rely on every day.</p>"
    );
    for head in [
        "What you will do",
        "What we are looking for",
        "Benefits &amp; perks",
    ] {
        s.push_str(&format!("<h3>{head}</h3><ul>"));
        for k in 0..7 {
            s.push_str(&format!(
                "<li>Design, build &amp; operate services that handle millions of requests ({k})</li>"
            ));
        }
        s.push_str("</ul>");
    }
    s.push_str("<p><em>Compensation:</em> €90,000 – €120,000</p>");
    s.push_str(&format!(
        "<p><a href=\"https://careers.acme.example/jobs/{i}\">Apply on our careers page</a></p>"
    ));
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn rss(items: usize, cdata: bool) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:job=\"https://jobs.example/ns/job/1.0\">\n  <channel>\n\
         <title>Board — Engineering Jobs</title>\n<link>https://board.jobs.example/</link>\n\
         <description>Latest jobs</description>\n<lastBuildDate>Mon, 03 Jun 2024 12:00:00 +0000</lastBuildDate>\n\
         <atom:link href=\"http://127.0.0.1/feeds/feed-0001.rss\" rel=\"self\" type=\"application/rss+xml\"/>\n",
    );
    for i in 0..items {
        let d = description(i);
        let desc = if cdata {
            format!("<![CDATA[{d}]]>")
        } else {
            escape(&d)
        };
        s.push_str(&format!(
            "    <item>\n      <title>Senior Rust Developer (Remote) - Payments {i}</title>\n\
             <link>https://board.jobs.example/jobs/{i}?utm_source=board&amp;utm_medium=rss</link>\n\
             <guid isPermaLink=\"false\">board-{i}</guid>\n<pubDate>Sun, 02 Jun 2024 09:{:02}:00 +0000</pubDate>\n\
             <dc:creator>Acme {i} Labs</dc:creator>\n<category>Platform</category>\n<category>Remote</category>\n\
             <job:company>Acme {i} Labs</job:company>\n<job:location>Berlin, Germany</job:location>\n\
             <job:remote>Remote</job:remote>\n<job:employmentType>Full-time</job:employmentType>\n\
             <job:salary>€90,000 – €120,000</job:salary>\n<description>{desc}</description>\n    </item>\n",
            i % 60
        ));
    }
    s.push_str("  </channel>\n</rss>\n");
    s
}

fn atom(items: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" \
         xmlns:job=\"https://jobs.example/ns/job/1.0\">\n<title>Board Jobs</title>\n<id>tag:board,2024:feed</id>\n\
         <updated>2024-06-03T12:00:00Z</updated>\n<link rel=\"alternate\" href=\"https://board.jobs.example/\"/>\n",
    );
    for i in 0..items {
        s.push_str(&format!(
            "  <entry>\n<title>Senior Rust Developer {i}</title>\n<id>board-{i}</id>\n\
             <link rel=\"alternate\" href=\"https://board.jobs.example/jobs/{i}\"/>\n\
             <published>2024-06-02T09:00:00Z</published>\n<updated>2024-06-02T09:00:00Z</updated>\n\
             <author><name>Acme {i} Labs</name></author>\n<category term=\"Platform\"/>\n\
             <job:company>Acme {i} Labs</job:company>\n<job:location>Berlin, Germany</job:location>\n\
             <content type=\"html\">{}</content>\n  </entry>\n",
            escape(&description(i))
        ));
    }
    s.push_str("</feed>\n");
    s
}

fn median(f: &mut dyn FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

#[test]
#[ignore = "a timing: run with --ignored in an optimized build"]
fn one_large_feed_both_ways() {
    let url = Url::parse("http://127.0.0.1/feeds/feed-0001.rss").expect("url");
    for (name, doc) in [
        ("RSS, CDATA", rss(150, true)),
        ("RSS, escaped", rss(150, false)),
        ("Atom, escaped", atom(150)),
    ] {
        let bytes = doc.as_bytes();
        let fast_out = fast::parse(bytes, &url).expect("the fast path reads it");
        assert_eq!(
            fast_out,
            parse_with_feed_rs(bytes, &url).expect("feed-rs reads it")
        );
        let slow = median(&mut || {
            std::hint::black_box(parse_with_feed_rs(bytes, &url).ok());
        });
        let quick = median(&mut || {
            std::hint::black_box(fast::parse(bytes, &url));
        });
        println!(
            "{name}: {} KB, {} items: feed-rs + fields {:.2} ms, fast {:.2} ms, {:.2}x",
            bytes.len() / 1024,
            fast_out.len(),
            slow.as_secs_f64() * 1e3,
            quick.as_secs_f64() * 1e3,
            slow.as_secs_f64() / quick.as_secs_f64()
        );
    }
}
