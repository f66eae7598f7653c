use super::*;

/// HTML in; title, company, locations, workplace and salary text out.
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    Workplace,
    Option<&'static str>,
);

fn h(html: &str) -> Header {
    parse(html)
}

#[test]
fn the_convention_is_read_in_any_order() {
    let cases: &[Case] = &[
        (
            "Acme AI | Senior ML Engineer | San Francisco, CA | ONSITE | $190k-$240k<p>More",
            "Senior ML Engineer",
            Some("Acme AI"),
            &["San Francisco, CA"],
            Workplace::Onsite,
            Some("$190k-$240k"),
        ),
        (
            "Acme AI | Boston, MA or Remote (US) | Computer Vision Engineer | VISA",
            "Computer Vision Engineer",
            Some("Acme AI"),
            &["Boston, MA or Remote (US)"],
            Workplace::Remote,
            None,
        ),
        (
            "Northwind | Applied Scientist (NLP) | London, UK | Hybrid | £85k-£110k",
            "Applied Scientist (NLP)",
            Some("Northwind"),
            &["London, UK"],
            Workplace::Hybrid,
            Some("£85k-£110k"),
        ),
        (
            "Kestrel | REMOTE | Full-time | Head of Data",
            "Head of Data",
            Some("Kestrel"),
            &[],
            Workplace::Remote,
            None,
        ),
        (
            "Tidewater | Data Scientist | NYC | REMOTE or ONSITE | $90&#x2F;hr",
            "Data Scientist",
            Some("Tidewater"),
            &["NYC"],
            Workplace::Remote,
            Some("$90/hr"),
        ),
    ];
    for (html, title, company, locations, workplace, salary) in cases {
        let got = h(html);
        assert_eq!(got.title, *title, "{html}");
        assert_eq!(got.company.as_deref(), *company, "{html}");
        assert_eq!(got.locations, *locations, "{html}");
        assert_eq!(got.workplace, *workplace, "{html}");
        assert_eq!(got.salary_text.as_deref(), *salary, "{html}");
    }
}

#[test]
fn unclear_lines_leave_fields_unknown() {
    // No pipes: the line is the title, and nothing says which words are the company.
    let got = h("We&#x27;re hiring ML engineers at Quillstone. Remote within the EU.<p>Details");
    assert_eq!(
        got.title,
        "We're hiring ML engineers at Quillstone. Remote within the EU."
    );
    assert_eq!(got.company, None);
    assert_eq!(got.workplace, Workplace::Unknown);
    assert!(got.locations.is_empty());

    // No field looks like a role: the whole line is the title, the company stays first.
    let got = h("Orbital Dynamics | Series B | Remote (EU)");
    assert_eq!(got.title, "Orbital Dynamics | Series B | Remote (EU)");
    assert_eq!(got.company.as_deref(), Some("Orbital Dynamics"));
    assert_eq!(got.locations, ["Remote (EU)"]);

    // The role comes first: which field is the company cannot be told.
    let got = h("Senior ML Engineer | Helix Bio | Remote");
    assert_eq!(got.title, "Senior ML Engineer");
    assert_eq!(got.company, None);

    // Industry words and benefits are not places.
    let got = h("Helix | ML Engineer | Healthcare AI | Equity | Python, PyTorch");
    assert!(got.locations.is_empty(), "{:?}", got.locations);
    assert_eq!(got.salary_text, None);

    assert_eq!(h(""), Header::default());
    assert_eq!(h("<p><p>"), Header::default());
}

#[test]
fn links_are_read_from_href_not_from_the_shortened_text() {
    let got = h(
        "Lumenpath (<a href=\"https:&#x2F;&#x2F;lumenpath.ai\" rel=\"nofollow\">https:&#x2F;&#x2F;lumenpath.ai</a>) \
         | ML Research Scientist | REMOTE (US, Canada) | Full-time | \
         <a href=\"https:&#x2F;&#x2F;jobs.ashbyhq.com&#x2F;lumenpath&#x2F;3f2c9a1e-5b7d-4c21-9f0e-8d7c6b5a4e3f\" rel=\"nofollow\">\
         https:&#x2F;&#x2F;jobs.ashbyhq.com&#x2F;lumenpath&#x2F;3f2c9a1e-5b7d-4c...</a><p>Rest",
    );
    assert_eq!(got.company.as_deref(), Some("Lumenpath"));
    assert_eq!(got.title, "ML Research Scientist");
    assert_eq!(
        got.apply_url.as_deref(),
        Some("https://jobs.ashbyhq.com/lumenpath/3f2c9a1e-5b7d-4c21-9f0e-8d7c6b5a4e3f")
    );
    assert_eq!(got.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(got.locations, ["REMOTE (US, Canada)"]);
    assert_eq!(got.workplace, Workplace::Remote);
}

#[test]
fn a_paragraph_long_first_line_is_cut_at_a_word() {
    let long = "word ".repeat(60);
    let got = h(&long);
    assert!(got.title.ends_with('…'), "{}", got.title);
    assert!(got.title.chars().count() <= MAX_TITLE + 1);
}
