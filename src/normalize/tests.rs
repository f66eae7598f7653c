use super::*;
use crate::model::{SalaryOrigin, SalaryPeriod};

mod salary;

fn source() -> SourceName {
    SourceName("test".to_owned())
}

fn raw(title: &str) -> RawPosting {
    RawPosting {
        external_id: "42".to_owned(),
        title: title.to_owned(),
        ..RawPosting::default()
    }
}

#[test]
fn packed_title_fills_company_and_location_only_where_missing() {
    // (raw title, raw company, raw locations) → (title, company, locations, workplace)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        &'a [&'a str],
        &'a str,
        Option<&'a str>,
        &'a [&'a str],
        Workplace,
    );
    let cases: &[Case<'_>] = &[
        (
            "Acme: Senior ML Engineer (Remote, US)",
            None,
            &[],
            "Senior ML Engineer",
            Some("Acme"),
            &["Remote, US"],
            Workplace::Remote,
        ),
        (
            "Acme: Senior ML Engineer (Remote, US)",
            Some("Acme Inc."),
            &["Berlin, Germany"],
            "Senior ML Engineer",
            Some("Acme Inc."),
            &["Berlin, Germany"],
            Workplace::Remote,
        ),
        (
            "Data Engineer at Globex (Hybrid)",
            None,
            &[],
            "Data Engineer",
            Some("Globex"),
            &["Hybrid"],
            Workplace::Hybrid,
        ),
        (
            "Staff  Rust Developer II",
            None,
            &[],
            "Staff Rust Developer II",
            None,
            &[],
            Workplace::Unknown,
        ),
    ];
    for &(title, company, locations, want_title, want_company, want_locations, want_workplace) in
        cases
    {
        let mut r = raw(title);
        r.title_packs_fields = true;
        r.company = company.map(str::to_owned);
        r.locations = locations.iter().map(|s| s.to_string()).collect();
        let p = normalize(r, &source());
        assert_eq!(p.title, want_title, "title of {title:?}");
        assert_eq!(p.raw_title, title);
        assert_eq!(p.company.as_deref(), want_company, "company of {title:?}");
        assert_eq!(p.locations, want_locations, "locations of {title:?}");
        assert_eq!(p.workplace, want_workplace, "workplace of {title:?}");
    }
}

#[test]
fn titles_of_ordinary_sources_are_only_folded() {
    let p = normalize(raw("  Acme:  Backend Engineer (Remote) "), &source());
    assert_eq!(p.title, "Acme: Backend Engineer (Remote)");
    assert_eq!(p.company, None);
    assert_eq!(p.raw_title, "  Acme:  Backend Engineer (Remote) ");
    // A "(Remote)" group still says where the work is.
    assert_eq!(p.workplace, Workplace::Remote);
}

#[test]
fn workplace_prefers_the_source_field_then_locations_then_title() {
    let cases: &[(&str, Workplace, &[&str], Workplace)] = &[
        (
            "Engineer (Remote)",
            Workplace::Onsite,
            &["Remote"],
            Workplace::Onsite,
        ),
        (
            "Engineer",
            Workplace::Unknown,
            &["New York, NY", "Remote - US"],
            Workplace::Remote,
        ),
        (
            "Engineer (Remote)",
            Workplace::Unknown,
            &["Berlin"],
            Workplace::Remote,
        ),
        (
            "Engineer - Hybrid",
            Workplace::Unknown,
            &[],
            Workplace::Hybrid,
        ),
        (
            "Remote Sensing Scientist",
            Workplace::Unknown,
            &[],
            Workplace::Unknown,
        ),
        (
            "Engineer",
            Workplace::Unknown,
            &["Hybrid - London"],
            Workplace::Hybrid,
        ),
    ];
    for &(title, field, locations, want) in cases {
        let mut r = raw(title);
        r.workplace = field;
        r.locations = locations.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            normalize(r, &source()).workplace,
            want,
            "{title:?} {locations:?}"
        );
    }
}

#[test]
fn locations_are_cleaned_and_deduplicated_in_order() {
    let mut r = raw("Engineer");
    r.locations = [
        "Cammeray, ",
        "  ",
        "Petah Tikva, , Israel",
        "cammeray",
        "Berlin",
    ]
    .map(str::to_owned)
    .to_vec();
    r.tags = [" rust ", "Rust", "", "go"].map(str::to_owned).to_vec();
    let p = normalize(r, &source());
    assert_eq!(p.locations, ["Cammeray", "Petah Tikva, Israel", "Berlin"]);
    assert_eq!(p.tags, ["rust", "go"]);
}

#[test]
fn description_comes_from_html_or_from_plain_text() {
    let cases: &[(Option<&str>, Option<&str>, &str, &str)] = &[
        (
            Some("<p>Hi <b>there</b></p><script>x()</script>"),
            Some("ignored"),
            "Hi there",
            "<p>Hi <b>there</b></p>",
        ),
        (
            Some("   "),
            Some("Plain <text> & more"),
            "Plain <text> & more",
            "<p>Plain &lt;text&gt; &amp; more</p>",
        ),
        (
            None,
            Some(" a \r\n b\u{a0}c \n\n\n\n d "),
            "a\nb c\n\nd",
            "<p>a<br>b c</p><p>d</p>",
        ),
        (None, None, "", ""),
    ];
    for &(html, plain, want_text, want_html) in cases {
        let mut r = raw("Engineer");
        r.description_html = html.map(str::to_owned);
        r.description_text = plain.map(str::to_owned);
        let p = normalize(r, &source());
        assert_eq!(p.text, want_text, "html {html:?} plain {plain:?}");
        assert_eq!(
            p.description_html, want_html,
            "html {html:?} plain {plain:?}"
        );
    }
}

#[test]
fn external_id_falls_back_to_url_then_title_hash() {
    let mut r = raw("Engineer");
    r.external_id = "  abc-1 \n".to_owned();
    assert_eq!(normalize(r, &source()).external_id, "abc-1");

    let mut r = raw("Engineer");
    r.external_id = " ".to_owned();
    r.url = Some("https://Example.com/jobs/1/?utm_source=x".to_owned());
    assert_eq!(
        normalize(r, &source()).external_id,
        "https://example.com/jobs/1"
    );

    let hashed = |title: &str, company: Option<&str>| {
        let mut r = raw(title);
        r.external_id = String::new();
        r.company = company.map(str::to_owned);
        normalize(r, &source()).external_id
    };
    let a = hashed("Engineer", Some("Acme"));
    assert!(
        a.starts_with("title:") && a.len() == "title:".len() + 16,
        "{a}"
    );
    assert_eq!(
        a,
        hashed(" Engineer ", Some("Acme")),
        "stable and whitespace-insensitive"
    );
    assert_ne!(a, hashed("Engineer", Some("Globex")));
    assert_ne!(a, hashed("Designer", Some("Acme")));
    // Pinned so that a change of hash function (which would duplicate every stored
    // posting without an id) is noticed.
    assert_eq!(hashed("Engineer", None), "title:f2e8dfee6a0d3aa5");
}

#[test]
fn fields_are_trimmed_mapped_and_passed_through() {
    let posted = from_epoch(1_773_619_203);
    let mut r = raw("Engineer");
    r.company = Some("  Veeam   Software ".to_owned());
    r.department = Some("   ".to_owned());
    r.employment_type = Some("fulltime_permanent".to_owned());
    r.url = Some("https://remoteOK.com/remote-jobs/x-1130787".to_owned());
    r.apply_url = Some("javascript:apply()".to_owned());
    r.author = Some(" whoishiring ".to_owned());
    r.posted_at = posted;
    let p = normalize(r, &source());
    assert_eq!(p.source, source());
    assert_eq!(p.company.as_deref(), Some("Veeam Software"));
    assert_eq!(p.department, None);
    assert_eq!(p.employment_type, Some(EmploymentType::FullTime));
    assert_eq!(
        p.url.as_deref(),
        Some("https://remoteok.com/remote-jobs/x-1130787")
    );
    assert_eq!(p.apply_url, None);
    assert_eq!(p.author.as_deref(), Some("whoishiring"));
    assert_eq!(p.posted_at, posted);
    assert_eq!(p.updated_at, None);
}

#[test]
fn control_and_bidi_chars_never_survive_normalization() {
    let evil = "\u{1b}]8;;http://x\u{7}\u{1b}[2J\r\u{202E}\u{2066}\u{200F}\u{61C}\u{85}\u{0}";
    let with = |s: &str| format!("{s}{evil}");
    let hostile = RawPosting {
        external_id: with("id"),
        title: with("Title"),
        url: Some(with("https://jobs.example/a")),
        apply_url: Some(with("https://jobs.example/b")),
        company: Some(with("Acme")),
        department: Some(with("Dept")),
        locations: vec![with("Berlin, Germany")],
        employment_type: Some(with("full-time")),
        salary: Some(Salary {
            min: Some(1.0),
            max: None,
            currency: Some(with("EUR")),
            period: None,
            text: Some(with("pay")),
            origin: SalaryOrigin::Structured,
        }),
        description_html: Some(with("<p>Line one</p><pre>a\tb\nc</pre>")),
        tags: vec![with("rust")],
        author: Some(with("someone")),
        ..RawPosting::default()
    };
    let p = normalize(hostile, &source());
    let salary = p.salary.clone().expect("salary");
    let fields = [
        p.external_id.as_str(),
        &p.title,
        &p.raw_title,
        p.company.as_deref().unwrap_or(""),
        p.department.as_deref().unwrap_or(""),
        &p.locations.join(";"),
        &p.tags.join(";"),
        p.author.as_deref().unwrap_or(""),
        p.url.as_deref().unwrap_or(""),
        p.apply_url.as_deref().unwrap_or(""),
        salary.currency.as_deref().unwrap_or(""),
        salary.text.as_deref().unwrap_or(""),
        &p.text,
        &p.description_html,
    ];
    for f in fields {
        assert!(
            !f.chars().any(text::is_unsafe_char),
            "{f:?} keeps an unsafe char"
        );
    }
    assert_eq!(p.title, "Title");
    assert_eq!(p.raw_title, "Title  ", "CR and NEL become spaces");
    assert_eq!(p.company.as_deref(), Some("Acme"));
    assert_eq!(p.locations, ["Berlin, Germany"]);
    assert_eq!(p.text, "Line one\n\na b\nc");

    let entities = normalize(
        RawPosting {
            description_html: Some("<p>a&#x202E;b&#27;c&#x1b;[2Jd</p>".into()),
            ..raw("x")
        },
        &source(),
    );
    assert!(!entities.text.chars().any(text::is_unsafe_char));
    assert!(!entities.description_html.chars().any(text::is_unsafe_char));

    let plain = normalize(
        RawPosting {
            description_text: Some(with("first\n\nsecond\tcolumn")),
            ..raw("x")
        },
        &source(),
    );
    assert!(!plain.text.chars().any(text::is_unsafe_char));
    assert!(
        plain.text.starts_with("first\n\nsecond column"),
        "{:?}",
        plain.text
    );
}
