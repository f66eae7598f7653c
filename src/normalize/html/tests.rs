use super::*;

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
fn sanitized_html_keeps_only_the_allow_list() {
    let cases = [
        ("", ""),
        ("<p>a</p>", "<p>a</p>"),
        (
            "<p class=\"x\" style=\"color:red\" onclick=\"evil()\">a</p>",
            "<p>a</p>",
        ),
        ("<p>one<p>two", "<p>one</p><p>two</p>"),
        ("<p>a<ul><li>b</ul>", "<p>a</p><ul><li>b</li></ul>"),
        ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        (
            "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>",
            "<ul><li>a</li><li>b</li></ul>",
        ),
        (
            "<ul><li>a<ol><li>b</li></ol></li></ul>",
            "<ul><li>a<ol><li>b</li></ol></li></ul>",
        ),
        (
            "<b>bold <i>both</b> italic</i>",
            "<b>bold <i>both</i></b> italic",
        ),
        ("</p></div>text</li>", "text"),
        ("<div><span>x</span></div>", "<div><span>x</span></div>"),
        ("<section><h1>T</h1></section>", "<div><h3>T</h3></div>"),
        (
            "<h2>a</h2><h4>b</h4><h6>c</h6>",
            "<h4>a</h4><h6>b</h6><h6>c</h6>",
        ),
        ("<font color=red><center>x</center></font>", "x"),
        ("a<br>b<br/>c<hr>", "a<br>b<br>c<hr>"),
        (
            "<table><tr><td>1<td>2<tr><td>3</table>",
            "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>",
        ),
        (
            "<pre>  two  spaces\n  kept</pre>",
            "<pre>  two  spaces\n  kept</pre>",
        ),
        ("a  \n\t b", "a b"),
        (
            "5 < 6 & \"q\" 'r'",
            "5 &lt; 6 &amp; &quot;q&quot; &#39;r&#39;",
        ),
        (
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        (
            "<p>x<script>document.write('</p><p>')</script>y</p>",
            "<p>xy</p>",
        ),
        ("<p>a<!-- hidden -->b</p>", "<p>ab</p>"),
        ("<img src=x onerror=alert(1)>after", "after"),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ("<math><mi>x</mi></math>ok", "ok"),
        (
            "<form action=/x><input name=q><p>in form</p></form>ok",
            "ok",
        ),
        ("<style>body{}</style><p>ok", "<p>ok</p>"),
        ("<div><p>unclosed", "<div><p>unclosed</p></div>"),
        ("<p>a</p>\n<p>b</p>", "<p>a</p><p>b</p>"),
    ];
    for (input, want) in cases {
        assert_eq!(render_html(input).html, want, "input {input:?}");
    }
}

#[test]
fn sanitized_html_drops_empty_elements_but_keeps_spaces() {
    let cases = [
        ("<p></p><p> </p><p>\u{a0}</p><p>x</p>", "<p>x</p>"),
        ("<ul><li></li></ul><div><span></span></div>", ""),
        ("<p><b><i></i></b>x</p>", "<p>x</p>"),
        ("a<b> </b>c", "a c"),
        ("a<b> x</b>", "a<b> x</b>"),
        ("a <b>x</b>", "a <b>x</b>"),
        ("<b>x </b>y", "<b>x </b>y"),
        ("<p> x </p> <p> y</p>", "<p>x</p><p>y</p>"),
        ("<p>x<b> </b></p>", "<p>x</p>"),
        (
            "<table><tr><td></td><td>x</td></tr></table>",
            "<table><tr><td></td><td>x</td></tr></table>",
        ),
        ("<a href=\"https://x.com\"></a>after", "after"),
        ("<p><br></p>", "<p><br></p>"),
        // An empty block that vanishes leaves the words around it apart.
        ("a <table></table> b", "a b"),
        ("a <div><p> </p></div> b", "a b"),
        ("<p>a</p><div></div> b", "<p>a</p>b"),
    ];
    for (input, want) in cases {
        assert_eq!(render_html(input).html, want, "input {input:?}");
    }
}

#[test]
fn links_keep_only_safe_targets() {
    let cases = [
        (
            "<a href=\"https://x.com/a?b=1&amp;c=2\">x</a>",
            "<a href=\"https://x.com/a?b=1&amp;c=2\" rel=\"nofollow noopener\">x</a>",
        ),
        (
            "<a href='HTTP://x.com' target=_blank rel=opener>x</a>",
            "<a href=\"HTTP://x.com\" rel=\"nofollow noopener\">x</a>",
        ),
        (
            "<a href=\"mailto:jobs@x.com\">mail</a>",
            "<a href=\"mailto:jobs@x.com\" rel=\"nofollow noopener\">mail</a>",
        ),
        ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\" JavaScript:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"java\tscript:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<a>x</a>"),
        (
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<a>x</a>",
        ),
        ("<a href=\"vbscript:x\">x</a>", "<a>x</a>"),
        ("<a href=\"/relative/path\">x</a>", "<a>x</a>"),
        ("<a href=\"//evil.example/\">x</a>", "<a>x</a>"),
        ("<a href=\"https:\">x</a>", "<a>x</a>"),
        ("<a name=\"anchor\">x</a>", "<a>x</a>"),
        (
            "<a href='https://x.com/?q=\"a\"&apos;b&apos;'>q</a>",
            "<a href=\"https://x.com/?q=&quot;a&quot;&#39;b&#39;\" rel=\"nofollow noopener\">q</a>",
        ),
        (
            "<a href=\"https://x.com/\"onmouseover=\"alert(1)\">x</a>",
            "<a href=\"https://x.com/\" rel=\"nofollow noopener\">x</a>",
        ),
        (
            "<a href=https://a.com>a<a href=https://b.com>b</a>",
            "<a href=\"https://a.com\" rel=\"nofollow noopener\">a</a>\
             <a href=\"https://b.com\" rel=\"nofollow noopener\">b</a>",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(render_html(input).html, want, "input {input:?}");
    }
}

#[test]
fn sanitized_html_has_no_live_markup_left() {
    // Hostile inputs: whatever comes out must contain no tag other than the allow-list
    // and no attribute other than href/rel.
    let hostile = [
        "<scr<script>ipt>alert(1)</script>",
        "<<script>script>alert(1)<</script>/script>",
        "<p onclick=alert(1)>x",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<title><script>alert(1)</script></title>",
        "<textarea></textarea><script>alert(1)</script>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
        "<a href=\"https://ok.com\" <img src=x onerror=alert(1)>>x</a>",
        "<!--><img src=x onerror=alert(1)>-->",
        "<![CDATA[<img src=x onerror=alert(1)>]]>",
    ];
    for input in hostile {
        let html = render_html(input).html;
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script",
            "<img",
            "<style",
            "<iframe",
            "onerror",
            "onclick",
            "style=",
            "javascript:",
        ] {
            assert!(!lower.contains(bad), "{input:?} gave {html:?}");
        }
    }
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
