//! The fast reader against html5ever: whatever the input, when the fast
//! reader accepts it, both give the same text and the same HTML. Inputs: every
//! description-like string in the fixtures, hand-written documents in the
//! shapes that decide where html5ever cuts its character runs, and generated
//! ones. The documents it must accept are listed, so a reader that declined
//! everything would fail here.
//! Case count: proptest's default (256) or `PROPTEST_CASES`.

use std::path::Path;

use proptest::prelude::*;

use super::{Rendered, decode_entities, fast, slow, unwrap_cdata};

/// Both readers on `input`: `true` when the fast one accepted it (and then
/// agreed with html5ever), `false` when it declined.
fn agree(input: &str) -> bool {
    let input = unwrap_cdata(input);
    let Ok(fast) = fast::render(&input, true) else {
        return false;
    };
    let slow = slow(&input, true);
    assert_eq!(
        fast, slow,
        "the fast reader differs from html5ever on:\n{input:?}"
    );
    let text_only = fast::render(&input, false).ok().map(|r| r.text);
    assert_eq!(
        text_only.as_ref(),
        Some(&slow.text),
        "text-only render of {input:?}"
    );
    true
}

/// Descriptions in the shapes boards send, each of which the fast reader
/// must read itself.
const ACCEPTED: &[&str] = &[
    "",
    "plain text",
    "<p><strong>Acme</strong> is hiring a <strong>Junior Go Developer - Payments</strong> to \
     join the Ranking team (Hybrid, London, UK).</p>\n<p>We are a small team.</p>\n<h3>What you \
     will do</h3>\n<ul><li>Ship</li><li>Learn</li></ul>",
    "<div class=\"content-intro\"><p>About us</p></div>\n<div><h2>The role</h2>\n<ul>\n<li>Build \
     models</li>\n<li>Deploy them</li>\n</ul></div>",
    "<p>Apply at <a href=\"https://jobs.example/apply?id=7\" target=\"_blank\" rel=noopener>our \
     site</a> or <a href='mailto:jobs@acme.example'>mail us</a>.</p>",
    "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n",
    "<ul><b>x</b>\ny</ul>",
    "<table>\n<tr><td>1</td>\n<td>2</td></tr>\n</table>",
    "<table><tr><td>&amp;\n x</td></tr></table><ul>&amp;\n<li>i</li></ul>",
    "R&amp;D &amp; ops &lt;3 &gt; &quot;q&quot; &apos;a&apos; &nbsp;x&nbsp;\ny",
    "<ul>&nbsp;\n<li>a</li>&amp; <li>b</li></ul>",
    // html5ever hands the space after a reference out alone, and the HTML
    // writer drops it as whitespace in a list: "&y", not "& y".
    "<ul>&amp; y</ul>",
    "Salary &#163;80,000&#x2013;&#X20AC;90k &#39;ok&#39; &#10;&#x9;tab",
    "a & b && c &; &<b>d</b> &",
    "<br/><br /><hr>line<BR>Upper <P CLASS=x>case</P>",
    "<h1>One</h1><h4>Four</h4><pre>  keep\n   this\n</pre><blockquote>q</blockquote>",
    "\u{e9}t\u{e9} \u{201c}quoted\u{201d} \u{2014} 日本語 🤖",
    "<p>a\n\n\nb</p>\n\n<p>\n</p>",
    "<a href=https://x.example/a/b>x</a> <a href=\"javascript:alert(1)\">bad</a>",
    "<span data-x=\"1\" hidden>s</span><img src=\"https://x.example/i.png\" alt=\"\">",
    "&rsquo;&lsquo;&ldquo;&rdquo;&hellip;&ndash;&mdash;&bull;&middot;&copy;&reg;&trade;&euro;\
     &pound;&eacute;",
];

/// Inputs html5ever must read: the fast reader declines them.
const DECLINED: &[&str] = &[
    "<!-- c -->x",
    "<!DOCTYPE html><p>x",
    "<script>alert(1)</script>x",
    "<p>x</script>",
    "<textarea>x",
    "<svg/>x",
    "a\r\nb",
    "a\0b",
    "\u{feff}x",
    "&ampx",
    "&amp",
    "&unknownname;",
    "&#;",
    "&#x110000;",
    "&#128;",
    "&#0;",
    "a < b",
    "<3",
    "</>",
    "</ p>",
    "<p-x>a</p-x>",
    "<p:x>",
    "<a href=\"x&amp;y\">l</a>",
    "<a href=\"x\"title=y>l</a>",
    "<a href=>l</a>",
    "<a href=\"x",
    "<p",
    "<br/x>",
    "<plaintext>x",
    "<p \u{e9}=1>x</p>",
];

#[test]
fn the_fast_reader_reads_the_usual_shapes_as_html5ever_does() {
    for input in ACCEPTED {
        assert!(agree(input), "the fast reader declined {input:?}");
    }
}

#[test]
fn the_fast_reader_leaves_the_rest_to_html5ever() {
    for input in DECLINED {
        assert!(
            fast::render(input, true).is_err(),
            "the fast reader accepted {input:?}"
        );
        // And rendering still works, through html5ever.
        let _: Rendered = super::render_html(input);
    }
}

/// Every string in the fixtures that may be a description: JSON string
/// values, CDATA sections and whole files, each as stored and with its
/// character references decoded once (as the boards that escape HTML need).
#[test]
fn every_fixture_reads_the_same_both_ways() {
    let mut inputs = Vec::new();
    collect(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut inputs,
    );
    let (mut accepted, total) = (0, inputs.len());
    for input in &inputs {
        for candidate in [input.clone(), decode_entities(input)] {
            accepted += usize::from(agree(&candidate));
        }
    }
    // The fixtures hold hundreds of descriptions; most are plain markup.
    assert!(total > 300, "only {total} inputs found");
    assert!(accepted > total / 2, "accepted {accepted} of {}", 2 * total);
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures directory")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
            strings(&json, out);
        }
        let mut rest = text.as_str();
        while let Some(start) = rest.find("<![CDATA[") {
            let inner = &rest[start + "<![CDATA[".len()..];
            let end = inner.find("]]>").unwrap_or(inner.len());
            out.push(inner[..end].to_owned());
            rest = &inner[end..];
        }
        out.push(text);
    }
}

fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.len() >= 16 => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Pieces of descriptions, weighted toward what the fast reader accepts,
/// with whitespace and references where html5ever's runs are cut.
fn piece() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("p"),
        Just("ul"),
        Just("ol"),
        Just("li"),
        Just("table"),
        Just("tr"),
        Just("td"),
        Just("b"),
        Just("a"),
        Just("br"),
        Just("pre"),
        Just("h2"),
        Just("div"),
        Just("span"),
        Just("img"),
        Just("LI"),
        Just("script"),
    ];
    let attr = prop_oneof![
        Just(""),
        Just(" href=\"https://ok.example/a\""),
        Just(" href='mailto:a@b.example'"),
        Just(" href=https://ok.example/u"),
        Just(" href=\"javascript:x\""),
        Just(" class=\"c\" href=\"https://first.example/\" href=\"https://second.example/\""),
        Just(" hidden"),
        Just(" data-x = 'y' "),
        Just(" title=\"a&amp;b\""),
    ];
    prop_oneof![
        3 => (name.clone(), attr, any::<bool>())
            .prop_map(|(n, a, sc)| format!("<{n}{a}{}>", if sc { "/" } else { "" })),
        2 => name.prop_map(|n| format!("</{n}>")),
        2 => Just("\n".to_string()),
        2 => Just(" ".to_string()),
        1 => Just("\n  ".to_string()),
        1 => Just("\t".to_string()),
        2 => prop_oneof![
            Just("&amp;"),
            Just("&nbsp;"),
            Just("&lt;"),
            Just("&#39;"),
            Just("&#x20AC;"),
            Just("&"),
            Just("& "),
            Just("&copy"),
            Just("&#10;"),
        ]
        .prop_map(str::to_string),
        4 => "[a-z]{1,6}( [a-z]{1,6}){0,3}",
        1 => "[a-z\u{e9}\u{2014}\u{1f916}]{1,4}",
        1 => Just("<!-- c -->".to_string()),
        1 => any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #[test]
    fn generated_descriptions_read_the_same_both_ways(
        pieces in prop::collection::vec(piece(), 0..40)
    ) {
        agree(&pieces.concat());
    }

    #[test]
    fn arbitrary_strings_read_the_same_both_ways(input in any::<String>()) {
        agree(&input);
    }
}
