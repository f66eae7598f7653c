//! The sanitized half of rendering: only allow-listed elements, no empty
//! ones, only checked link targets, and no live markup left whatever the input.

use super::*;

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
