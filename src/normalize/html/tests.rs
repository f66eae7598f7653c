use super::*;

mod sanitized;

#[test]
fn text_follows_block_structure() {
    let cases = [
        ("", ""),
        ("plain", "plain"),
        ("  a \n\t b  ", "a b"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<h2>Role</h2><p>Build things.</p>", "Role\n\nBuild things."),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("a<br><br><br><br>b", "a\n\nb"),
        ("<p>a</p>\n\n<p></p><p> </p>\n<p>b</p>", "a\n\nb"),
        ("<b>Hello</b>, <i>world</i>", "Hello, world"),
        ("We<b>ll</b>", "Well"),
        (
            "Intro:<ul><li>one</li><li>two</li></ul>Outro",
            "Intro:\n- one\n- two\nOutro",
        ),
        (
            "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>",
            "- a\n  - b\n  - c\n- d",
        ),
        (
            "<ol><li><p>first</p></li><li><p>second</p></li></ol>",
            "- first\n- second",
        ),
        (
            "<ul><li>a<li>b</ul><p>after</p><p>more</p>",
            "- a\n- b\n\nafter\n\nmore",
        ),
        // Lever sends bare items with no list around them.
        ("<li>x</li><li>y</li>", "- x\n- y"),
        ("<ul><li></li><li> </li></ul><p>z</p>", "z"),
        (
            "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
            "A B\n1 2",
        ),
        ("<blockquote>q</blockquote>after", "q\n\nafter"),
        ("<pre>line 1\nline 2</pre>", "line 1\nline 2"),
        ("a<hr>b", "a\n\nb"),
        (
            "<section><header>H</header><article>A</article></section>",
            "H\nA",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(html_to_text(input), want, "input {input:?}");
        assert_eq!(render_html(input).text, want, "render_html({input:?}).text");
    }
}

#[test]
fn text_decodes_entities_and_drops_invisible_content() {
    let cases = [
        ("Fish &amp; Chips", "Fish & Chips"),
        ("a&nbsp;&nbsp;b\u{a0}c", "a b c"),
        (
            "https:&#x2F;&#x2F;example.com&#x2F;jobs",
            "https://example.com/jobs",
        ),
        ("it&#x27;s &lt;great&gt;", "it's <great>"),
        ("AT&T R&D", "AT&T R&D"),
        ("a<script>var s = '</p><b>x</b>';</script>b", "ab"),
        ("a<style>p { color: red }</style>b", "ab"),
        ("a<noscript><p>enable js</p></noscript>b", "ab"),
        ("a<template><p>t</p></template>b", "ab"),
        ("a<iframe src=x><p>no</p></iframe>b", "ab"),
        ("a<object><p>o</p></object>b", "ab"),
        ("a<svg><text>s</text></svg>b", "ab"),
        ("a<form><button>Go</button><input value=v></form>b", "ab"),
        ("a<img src=\"x.png\" alt=\"pic\">b", "ab"),
        ("a<!-- comment <p>x</p> -->b", "ab"),
        ("<![CDATA[<p>Hi &amp; bye</p>]]>", "Hi & bye"),
        ("a<?php echo 1 ?>b", "ab"),
        (
            "<!DOCTYPE html><html><head><title>T</title></head><body><p>B</p></body></html>",
            "B",
        ),
        ("zero\u{200b}width", "zerowidth"),
    ];
    for (input, want) in cases {
        assert_eq!(html_to_text(input), want, "input {input:?}");
    }
}

#[test]
fn hacker_news_paragraph_separators_render_as_paragraphs() {
    let input = "Acme | Rust Engineer | Remote<p>We build things.<p>Apply: \
                 <a href=\"https:&#x2F;&#x2F;acme.example&#x2F;jobs\" rel=\"nofollow\">\
                 https:&#x2F;&#x2F;acme.example&#x2F;jobs</a>";
    let got = render_html(input);
    assert_eq!(
        got.text,
        "Acme | Rust Engineer | Remote\n\nWe build things.\n\nApply: https://acme.example/jobs"
    );
    assert_eq!(
        got.html,
        "Acme | Rust Engineer | Remote<p>We build things.</p><p>Apply: \
         <a href=\"https://acme.example/jobs\" rel=\"nofollow noopener\">\
         https://acme.example/jobs</a></p>"
    );
}

#[test]
fn greenhouse_content_decodes_then_renders() {
    let wire = "&lt;div class=&quot;content-intro&quot;&gt;&lt;p&gt;&lt;strong&gt;Who are we?&amp;nbsp;\
                &lt;/strong&gt;We&#39;re hiring.&lt;/p&gt;&lt;/div&gt;";
    let html = decode_entities(wire);
    assert_eq!(
        html,
        "<div class=\"content-intro\"><p><strong>Who are we?&nbsp;</strong>We're hiring.</p></div>"
    );
    let got = render_html(&html);
    assert_eq!(got.text, "Who are we? We're hiring.");
    assert_eq!(
        got.html,
        "<div><p><strong>Who are we? </strong>We&#39;re hiring.</p></div>"
    );
}

#[test]
fn arbeitnow_malformed_footer_is_repaired() {
    let input = "<p>Job text</p><p>Find <a href=\"https://www.arbeitnow.com\">Jobs in Germany</a> on Arbeitnow</a>";
    let got = render_html(input);
    assert_eq!(got.text, "Job text\n\nFind Jobs in Germany on Arbeitnow");
    assert_eq!(
        got.html,
        "<p>Job text</p><p>Find <a href=\"https://www.arbeitnow.com\" rel=\"nofollow noopener\">\
         Jobs in Germany</a> on Arbeitnow</p>"
    );
}

#[test]
fn escape_html_escapes_the_five_specials() {
    let cases = [
        ("", ""),
        ("plain", "plain"),
        ("a<b>&\"'", "a&lt;b&gt;&amp;&quot;&#39;"),
        ("café €", "café €"),
    ];
    for (input, want) in cases {
        assert_eq!(escape_html(input), want, "input {input:?}");
    }
}

#[test]
fn decode_entities_decodes_once() {
    let cases = [
        ("&lt;p&gt;", "<p>"),
        ("&amp;nbsp;", "&nbsp;"),
        ("&#39;", "'"),
        ("&#x2F;", "/"),
        ("no entities", "no entities"),
    ];
    for (input, want) in cases {
        assert_eq!(decode_entities(input), want, "input {input:?}");
    }
}

#[test]
fn dropping_an_element_keeps_the_text_around_it() {
    // (input, text, html)
    let cases = [
        ("<p>a</p><svg/><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><math/><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("a<iframe/>b", "ab", "ab"),
        ("a<noscript/>b", "ab", "ab"),
        ("a<textarea/>b", "ab", "ab"),
        ("a<template/>b", "ab", "ab"),
        ("a<object/>b", "ab", "ab"),
        (
            "<p>a</p><svg><circle/></svg><p>b</p>",
            "a\n\nb",
            "<p>a</p><p>b</p>",
        ),
        // Unclosed: the rest is read again without the element's tags.
        ("<p>a</p><form><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><button>b", "a\n\nb", "<p>a</p>b"),
        ("<p>a</p><select><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><template><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><object><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        (
            "<p>a</p><form><form></form><p>b</p>",
            "a\n\nb",
            "<p>a</p><p>b</p>",
        ),
        ("<p>a</p><textarea><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><iframe><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><noscript><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        ("<p>a</p><title>b", "a\n\nb", "<p>a</p>b"),
        ("<p>a</p><xmp><p>b</p>", "a\n\nb", "<p>a</p><p>b</p>"),
        (
            "<p>a</p><form><textarea><b>b</b>",
            "a\n\nb",
            "<p>a</p><b>b</b>",
        ),
        // Closed ones inside an unclosed one still go.
        (
            "<p>a</p><form><script>x()</script><p>b</p>",
            "a\n\nb",
            "<p>a</p><p>b</p>",
        ),
        // HTML elements end an SVG or MathML island, as in browsers.
        ("a<svg><p>b</p></svg>c", "a\n\nb\n\nc", "a<p>b</p>c"),
        ("a<math><mi>x</mi><div>b</div>", "a\nb", "a<div>b</div>"),
        // Code left open is never shown, as in a browser.
        ("<p>a</p><script>x()", "a", "<p>a</p>"),
        ("<p>a</p><style>p{}", "a", "<p>a</p>"),
        (
            "<p>a</p><script/>x()</script><p>b</p>",
            "a\n\nb",
            "<p>a</p><p>b</p>",
        ),
    ];
    for (input, text, html) in cases {
        let r = render_html(input);
        assert_eq!(
            (r.text.as_str(), r.html.as_str()),
            (text, html),
            "{input:?}"
        );
    }
}
