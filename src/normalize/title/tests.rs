use super::*;

#[test]
fn split_title_recovers_only_unambiguous_parts() {
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        // We Work Remotely.
        (
            "Acme: Senior Engineer",
            "Senior Engineer",
            Some("Acme"),
            None,
        ),
        (
            "Amplitude : Senior Engineer",
            "Senior Engineer",
            Some("Amplitude"),
            None,
        ),
        (
            "Acme: Senior ML Engineer (Remote, US)",
            "Senior ML Engineer",
            Some("Acme"),
            Some("Remote, US"),
        ),
        (
            "  Acme  Corp:   Data   Scientist ",
            "Data Scientist",
            Some("Acme Corp"),
            None,
        ),
        (
            "Big Co Inc.: Product Designer (Europe)",
            "Product Designer",
            Some("Big Co Inc."),
            Some("Europe"),
        ),
        // Python.org puts "Title, Company"; that stays whole.
        (
            "Backend Developer, Acme",
            "Backend Developer, Acme",
            None,
            None,
        ),
        // "at".
        (
            "Senior Engineer at Acme",
            "Senior Engineer",
            Some("Acme"),
            None,
        ),
        (
            "Data Engineer at Acme Labs (Remote)",
            "Data Engineer",
            Some("Acme Labs"),
            Some("Remote"),
        ),
        (
            "Engineer at the intersection of ML and biology",
            "Engineer at the intersection of ML and biology",
            None,
            None,
        ),
        (
            "Software Engineer at scale",
            "Software Engineer at scale",
            None,
            None,
        ),
        (
            "Look at Staff Engineer roles",
            "Look at Staff Engineer roles",
            None,
            None,
        ),
        // Trailing places.
        (
            "Backend Engineer (Remote)",
            "Backend Engineer",
            None,
            Some("Remote"),
        ),
        (
            "Backend Engineer (Berlin, Germany)",
            "Backend Engineer",
            None,
            Some("Berlin, Germany"),
        ),
        (
            "Backend Engineer (USA)",
            "Backend Engineer",
            None,
            Some("USA"),
        ),
        (
            "Backend Engineer (EU / UK)",
            "Backend Engineer",
            None,
            Some("EU / UK"),
        ),
        (
            "Backend Engineer (Hybrid)",
            "Backend Engineer",
            None,
            Some("Hybrid"),
        ),
        // Parentheses that are not places.
        (
            "Backend Engineer (Rust)",
            "Backend Engineer (Rust)",
            None,
            None,
        ),
        (
            "Backend Engineer (Contract)",
            "Backend Engineer (Contract)",
            None,
            None,
        ),
        (
            "Softwareentwickler (m/w/d)",
            "Softwareentwickler (m/w/d)",
            None,
            None,
        ),
        (
            "Data Scientist (f/m/d)",
            "Data Scientist (f/m/d)",
            None,
            None,
        ),
        ("Engineer (Rust, Go)", "Engineer (Rust, Go)", None, None),
        (
            "Engineer (Contract, 6 months)",
            "Engineer (Contract, 6 months)",
            None,
            None,
        ),
        ("(Remote)", "(Remote)", None, None),
        // Colons that are not companies.
        (
            "Senior Engineer: Payments",
            "Senior Engineer: Payments",
            None,
            None,
        ),
        (
            "Urgent: Rust Developer",
            "Urgent: Rust Developer",
            None,
            None,
        ),
        (
            "Remote: Rust Developer",
            "Remote: Rust Developer",
            None,
            None,
        ),
        (
            "Lead Engineer: Platform Team",
            "Lead Engineer: Platform Team",
            None,
            None,
        ),
        (
            "A very long company name that goes on and on: Engineer",
            "A very long company name that goes on and on: Engineer",
            None,
            None,
        ),
        (
            "Meeting at 10:30 daily",
            "Meeting at 10:30 daily",
            None,
            None,
        ),
        (
            "Analyst at Bank of America",
            "Analyst",
            Some("Bank of America"),
            None,
        ),
        ("Engineer at 1Password", "Engineer", Some("1Password"), None),
        // Unchanged.
        (
            "Staff Rust Developer II",
            "Staff Rust Developer II",
            None,
            None,
        ),
        (
            "Senior Machine Learning Engineer - Payments",
            "Senior Machine Learning Engineer - Payments",
            None,
            None,
        ),
        ("", "", None, None),
    ];
    for &(input, title, company, location) in cases {
        let got = split_title(input);
        assert_eq!(got.title, title, "title of {input:?}");
        assert_eq!(got.company.as_deref(), company, "company of {input:?}");
        assert_eq!(got.location.as_deref(), location, "location of {input:?}");
    }
}
