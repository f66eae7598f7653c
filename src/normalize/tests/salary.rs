//! Where a posting's salary comes from: the source's fields, then its salary
//! text, then the title, then pay lines in the description; one-sided ranges
//! keep the side that is known.

use super::*;

#[test]
fn salary_comes_from_fields_then_salary_text_then_title_then_pay_lines() {
    let structured = Salary {
        min: Some(100.0),
        max: Some(120.0),
        currency: Some("USD".to_owned()),
        period: Some(SalaryPeriod::Hour),
        origin: SalaryOrigin::Structured,
        text: None,
    };
    let unknown = Salary {
        min: Some(0.0),
        max: Some(0.0),
        ..structured.clone()
    };
    type Case<'a> = (
        Option<&'a Salary>,
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
        Option<(f64, f64)>,
    );
    let cases: &[Case<'_>] = &[
        (
            Some(&structured),
            Some("$1 - $2"),
            "Eng ($5k)",
            None,
            Some((100.0, 120.0)),
        ),
        (
            Some(&unknown),
            Some("$150k - $200k"),
            "Eng",
            None,
            Some((150_000.0, 200_000.0)),
        ),
        (Some(&unknown), None, "Eng", None, None),
        (
            None,
            Some("Competitive"),
            "Engineer ($90k-$110k)",
            None,
            Some((90_000.0, 110_000.0)),
        ),
        (
            None,
            None,
            "Engineer",
            Some("<p>About us</p><p>Salary: €60k–€70k</p>"),
            Some((60_000.0, 70_000.0)),
        ),
        (
            None,
            None,
            "Engineer",
            Some("<p><u>Compensation</u><br><br>It is $18- $22 an hour.</p>"),
            Some((18.0, 22.0)),
        ),
        (
            None,
            None,
            "Engineer",
            Some(
                "<h3>Benefits</h3><ul><li>Home-office budget of €1,800 per year</li><li>30 days PTO</li></ul>",
            ),
            None,
        ),
        (
            None,
            None,
            "Engineer",
            Some("<p>We raised $20M. Team of 50.</p>"),
            None,
        ),
        (
            None,
            None,
            "Engineer",
            Some("<p>Salary: competitive</p><ul><li>Budget of €1,800 per year</li></ul>"),
            None,
        ),
        (
            None,
            None,
            "Engineer",
            Some("<h3>Compensation:</h3><p>$120k - $140k + equity</p>"),
            Some((120_000.0, 140_000.0)),
        ),
    ];
    for &(field, salary_text, title, description, want) in cases {
        let mut r = raw(title);
        r.salary = field.cloned();
        r.salary_text = salary_text.map(str::to_owned);
        r.description_html = description.map(str::to_owned);
        let got = normalize(r, &source()).salary;
        let got = got.and_then(|s| s.min.zip(s.max));
        assert_eq!(
            got, want,
            "title {title:?}, text {salary_text:?}, description {description:?}"
        );
    }
}

#[test]
fn one_sided_structured_salary_keeps_the_known_side() {
    let mut r = raw("Engineer");
    r.salary = Some(Salary {
        min: Some(0.0),
        max: Some(90_000.0),
        currency: Some("USD".to_owned()),
        period: Some(SalaryPeriod::Year),
        origin: SalaryOrigin::Structured,
        text: None,
    });
    let s = normalize(r, &source()).salary.expect("salary");
    assert_eq!((s.min, s.max), (None, Some(90_000.0)));
    assert_eq!(s.origin, SalaryOrigin::Structured);
}
