//! The streaming reader against feed-rs: for every feed fixture and a set of
//! hand-written documents in the shapes that trip readers up, the fast path
//! gives exactly the postings of the feed-rs path (job fields included), or
//! declines. The documents it must accept are listed, so a reader that
//! declined everything would fail here.

use url::Url;

use super::{fast, parse_with_feed_rs};
use crate::model::RawPosting;

const URL: &str = "http://feeds.example/jobs/feed.xml";

/// Both paths on one document: `Some` when the fast path accepted it (and
/// then agreed with feed-rs), `None` when it declined.
pub(super) fn agree(doc: &[u8]) -> Option<Vec<RawPosting>> {
    let url = Url::parse(URL).expect("url");
    let fast = fast::parse(doc, &url)?;
    match parse_with_feed_rs(doc, &url) {
        Ok(slow) => assert_eq!(
            fast,
            slow,
            "fast path differs from feed-rs on:\n{}",
            String::from_utf8_lossy(doc)
        ),
        Err(e) => panic!(
            "fast path accepted what feed-rs rejects ({e}):\n{}",
            String::from_utf8_lossy(doc)
        ),
    }
    Some(fast)
}

fn rss(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:job=\"https://jobs.example/ns/job/1.0\"><channel><title>Jobs</title>\
         <link>https://board.example/</link><description>d</description>\
         <atom:link href=\"https://board.example/feed\" rel=\"self\"/>\n{items}\n</channel></rss>\n"
    )
}

fn atom(entries: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" \
         xmlns:job=\"https://jobs.example/ns/job/1.0\"><title>Jobs</title><id>tag:f</id>\
         <updated>2026-11-30T10:00:00Z</updated><link href=\"https://board.example/\"/>\n{entries}\n</feed>\n"
    )
}

#[test]
fn every_feed_fixture_reads_the_same_both_ways() {
    let accepted = [
        "fixtures/feed/atom.xml",
        "fixtures/feed/rss2-cdata-entities.rss",
        "fixtures/feed/wwr-programming.rss",
        "fixtures/identity/wwr.rss",
    ];
    for path in accepted {
        let doc = std::fs::read(path).expect("fixture");
        let got = agree(&doc).unwrap_or_else(|| panic!("{path}: the fast path declined"));
        assert!(!got.is_empty(), "{path}");
    }
    for path in [
        "fixtures/feed/rss1.rdf",
        "fixtures/feed/jsonfeed.json",
        "fixtures/feed/malformed.rss",
    ] {
        let doc = std::fs::read(path).expect("fixture");
        assert!(agree(&doc).is_none(), "{path}: left to feed-rs");
    }
}

/// Hand-written documents the fast path must read, each like feed-rs.
fn accepted() -> Vec<(&'static str, String)> {
    vec![
        (
            "cdata and escaped html",
            rss(
                "<item><title>A</title><guid>1</guid><description><![CDATA[<p>R&amp;D &euro; <b>x</b>]]></description></item>\
            <item><title>B</title><guid>2</guid><description>&lt;p&gt;a &amp;amp; b&lt;/p&gt; &#233;&#x263A;</description></item>",
            ),
        ),
        (
            "entities in titles",
            rss(
                "<item><title>R&amp;D &lt;Lead&gt; &quot;x&quot; &apos;y&apos; &#169; &nbsp; caf&#xe9;</title><guid>t</guid></item>",
            ),
        ),
        (
            "missing guid",
            rss(
                "<item><title>No guid</title><link>https://board.example/j/1</link></item>\
            <item><title>Nothing but a title</title></item><item><link> /relative/2 </link></item>",
            ),
        ),
        (
            "guid not a permalink",
            rss(
                "<item><title>G</title><guid isPermaLink=\"false\">  acme-7  </guid><link>https://board.example/j/7</link></item>",
            ),
        ),
        (
            "standard dates",
            rss(
                "<item><title>D1</title><guid>d1</guid><pubDate> Mon, 30 Nov 2026 10:00:00 GMT </pubDate></item>\
            <item><title>D2</title><guid>d2</guid><pubDate>30 Nov 2026 10:00:00 +0100</pubDate><atom:updated>2026-12-01T08:00:00Z</atom:updated></item>\
            <item><title>D3</title><guid>d3</guid><dc:date>2026-11-30T10:00:00-05:00</dc:date></item>\
            <item><title>D5</title><guid>d5</guid><pubDate>Mon, 30 Nov 2026 10:00:00 -0000</pubDate><pubDate></pubDate></item>",
            ),
        ),
        (
            "namespaced extensions",
            rss(
                "<item><title>N</title><guid>n</guid><job:company>R&amp;D <![CDATA[Labs & Co]]></job:company>\
            <job:location> Berlin </job:location><job:salary>&#8364;80k</job:salary><type>Full-Time</type>\
            <dc:creator>Hiring Team</dc:creator>\
            <content:encoded><![CDATA[  <p>full</p>  ]]></content:encoded><description>short</description></item>",
            ),
        ),
        (
            "empty items",
            rss(
                "<item><title></title><guid>e1</guid><description/></item><item><title/><link>https://board.example/e2</link></item>",
            ),
        ),
        (
            "nested unknown elements",
            rss(
                "<item><title>U</title><guid>u</guid><source url=\"https://x.example\">X</source>\
            <enclosure url=\"https://x.example/a.png\" type=\"image/png\"/><job:meta><job:a><b>deep</b></job:a></job:meta><!-- c --></item>",
            ),
        ),
        (
            "comments links",
            rss(
                "<item><title>C</title><comments>https://board.example/j/9</comments><link>https://board.example/j/9</link></item>\
            <item><title>C2</title><guid>c2</guid><comments>https://board.example/c/2</comments><link>https://board.example/j/2</link></item>",
            ),
        ),
        (
            "categories and authors",
            rss(
                "<item><title>K</title><guid>k</guid><category domain=\"d\"> ML </category><category></category>\
            <category>  </category><dc:creator>  </dc:creator><dc:creator>Acme</dc:creator></item>",
            ),
        ),
        (
            "wwr-like fields",
            rss(
                "<item><title>Acme: Engineer</title><guid>https://board.example/w/1</guid><link>https://board.example/w/1</link>\
            <region>Anywhere in the World</region><country></country><state>Berlin</state><skills>Rust, Go ,</skills><company_name>Acme</company_name></item>\
            <item><title>Dup</title><guid>https://board.example/w/1</guid><region>USA Only</region></item>",
            ),
        ),
        (
            "atom link rels",
            atom(
                "<entry><title>L</title><id>l1</id><link rel=\"self\" href=\"https://board.example/self\"/>\
            <link rel=\"alternate\" type=\"text/html\" href=\"/jobs/l1\"/><link href=\"https://board.example/other\"/><updated>2026-11-30T10:00:00Z</updated></entry>\
            <entry><title>L2</title><id>l2</id><link rel=\"enclosure\" href=\"https://board.example/e.png\"/></entry>",
            ),
        ),
        (
            "atom content types",
            atom(
                "<entry><title type=\"html\">A &amp;amp; B &lt;i&gt;x&lt;/i&gt;</title><id>c1</id>\
            <content type=\"html\">&lt;p&gt;html&lt;/p&gt;</content><summary>s</summary></entry>\
            <entry><title type=\"text\">T</title><id>c2</id><content type=\"text\">plain &amp; text</content></entry>\
            <entry><title>T3</title><id>c3</id><content>  </content><summary type=\"html\">&lt;p&gt;only summary&lt;/p&gt;</summary></entry>\
            <entry><title type=\"text/html\">T4</title><id>c4</id><content type=\"text/html\"><![CDATA[<p>cdata</p>]]></content></entry>",
            ),
        ),
        (
            "atom summary only and persons",
            atom(
                "<entry><title>S</title><id>  s1  </id><summary>Only a summary</summary>\
            <author><name>  </name></author><author><email>a@b.example</email></author><author><name>Acme</name><uri>https://a.example</uri></author>\
            <contributor><name>C</name></contributor><category term=\" ml \"/><category term=\"x\" label=\"Machine Learning\"/><category label=\"no term\"/>\
            <published>2026-11-29T08:00:00+01:00</published><rights>r</rights></entry>\
            <entry><title>No id</title><link href=\"https://board.example/n\"/><job:company>Acme</job:company><job:location>Oslo</job:location></entry>",
            ),
        ),
        (
            "xml declaration with encoding",
            format!(
                "<?xml version='1.0' encoding='utf-8' standalone='yes'?>{}",
                &rss("<item><title>Z&#252;rich</title><guid>z</guid></item>")[39..]
            ),
        ),
        (
            "dtd and processing instructions",
            format!(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE rss>\n<?xml-stylesheet href=\"s.xsl\"?>{}",
                &rss("<item><title>P</title><guid>p</guid></item>")[39..]
            ),
        ),
        (
            "byte order mark",
            format!(
                "\u{feff}{}",
                rss("<item><title>B</title><guid>b</guid></item>")
            ),
        ),
        (
            "crlf line ends",
            rss(
                "<item>\r\n<title>Line\r\nends</title>\r\n<guid>crlf</guid>\r\n<description>a\r\nb</description></item>",
            ),
        ),
    ]
}

/// Documents the fast path leaves to feed-rs; feed-rs's answer stands.
fn declined() -> Vec<(&'static str, String)> {
    vec![
        // Dates real feeds get wrong, which feed-rs repairs its own way.
        (
            "a weekday spelled out",
            rss(
                "<item><title>D</title><guid>d</guid><pubDate>Thurs, 3 December 2026 7:05:00 UTC</pubDate></item>",
            ),
        ),
        (
            "an offset without its colon",
            rss(
                "<item><title>D</title><guid>d</guid><pubDate>2026-11-30T10:00:00+0100</pubDate></item>",
            ),
        ),
        (
            "a day without a time",
            rss(
                "<item><title>D</title><guid>d</guid><atom:updated>2026-12-01</atom:updated></item>",
            ),
        ),
        (
            "no date at all",
            rss("<item><title>D</title><guid>d</guid><pubDate>someday</pubDate></item>"),
        ),
        (
            "an author with an address",
            rss(
                "<item><title>A</title><guid>a</guid><author>jobs@acme.example (Acme)</author></item>",
            ),
        ),
        (
            "a creator with an address",
            rss(
                "<item><title>A</title><guid>a</guid><dc:creator>Hiring &lt;jobs@acme.example&gt;</dc:creator></item>",
            ),
        ),
        (
            "latin-1 declaration",
            rss("<item><title>L</title><guid>l</guid></item>").replace("UTF-8", "ISO-8859-1"),
        ),
        (
            "xml:base",
            atom(
                "<entry xml:base=\"https://other.example/x/\"><title>X</title><id>x</id><link href=\"rel\"/></entry>",
            ),
        ),
        (
            "xhtml content",
            atom(
                "<entry><title>X</title><id>x</id><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p></div></content></entry>",
            ),
        ),
        (
            "out-of-line content",
            atom("<entry><title>X</title><id>x</id><content src=\"https://x.example/c\"/></entry>"),
        ),
        (
            "unknown text type",
            atom("<entry><title type=\"markdown\">X</title><id>x</id></entry>"),
        ),
        (
            "raw html in description",
            rss("<item><title>R</title><guid>r</guid><description><p>raw</p></description></item>"),
        ),
        (
            "media elements",
            rss(
                "<item><title>M</title><guid>m</guid><media:content xmlns:media=\"http://search.yahoo.com/mrss/\" url=\"https://x.example/a.png\"/></item>",
            ),
        ),
        (
            "no id, link or title",
            rss("<item><description>only</description></item>"),
        ),
        (
            "rss without version",
            rss("<item><title>V</title><guid>v</guid></item>").replace(" version=\"2.0\"", ""),
        ),
        (
            "item outside the channel",
            rss("<item><title>I</title><guid>i</guid></item>").replace(
                "</channel></rss>",
                "</channel><item><guid>o</guid></item></rss>",
            ),
        ),
        (
            "truncated",
            rss("<item><title>T</title><guid>t</guid></item>")[..300].to_string(),
        ),
        ("no channel", rss("").replace("channel>", "chanel>")),
        (
            "utf-16 without a byte-order mark",
            rss("<item><title>U</title><guid>u</guid></item>")
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .map(char::from)
                .collect(),
        ),
        (
            "bad character reference",
            rss("<item><title>&#xZZ;</title><guid>b</guid></item>"),
        ),
    ]
}

#[test]
fn tricky_documents_read_the_same_or_are_declined() {
    for (name, doc) in accepted() {
        let got = agree(doc.as_bytes())
            .unwrap_or_else(|| panic!("{name}: the fast path declined:\n{doc}"));
        assert!(!got.is_empty(), "{name}");
    }
    for (name, doc) in declined() {
        assert!(
            agree(doc.as_bytes()).is_none(),
            "{name}: the fast path should leave it to feed-rs"
        );
    }
}

#[test]
fn job_fields_and_standard_fields_come_from_one_pass() {
    let doc = rss(
        "<item><title>Acme: ML Engineer</title><guid isPermaLink=\"false\">g1</guid>\
        <link>https://board.example/j/1</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>\
        <job:company>Acme &amp; Co</job:company><job:location>Berlin, Germany</job:location>\
        <job:salary>&#8364;80k</job:salary><description><![CDATA[<p>Hi</p>]]></description></item>",
    );
    let got = agree(doc.as_bytes()).expect("accepted");
    let p = &got[0];
    assert_eq!(p.external_id, "g1");
    assert_eq!(p.company.as_deref(), Some("Acme & Co"));
    assert_eq!(p.locations, ["Berlin, Germany"]);
    assert_eq!(p.salary_text.as_deref(), Some("€80k"));
    assert_eq!(p.description_html.as_deref(), Some("<p>Hi</p>"));
    assert_eq!(
        p.posted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-30T10:00:00+00:00")
    );
}
