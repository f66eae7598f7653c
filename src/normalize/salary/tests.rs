use super::*;
use SalaryPeriod::{Day, Hour, Month, Week, Year};

type Want = (
    Option<f64>,
    Option<f64>,
    Option<&'static str>,
    Option<SalaryPeriod>,
);

#[test]
fn parse_salary_reads_amounts_ranges_currencies_and_periods() {
    let cases: &[(&str, Want)] = &[
        // Ashby summaries.
        (
            "$150k–$200k",
            (Some(150_000.0), Some(200_000.0), Some("USD"), Some(Year)),
        ),
        (
            "$150K - $200K",
            (Some(150_000.0), Some(200_000.0), Some("USD"), Some(Year)),
        ),
        (
            "$150K – $200K • 0.25% – 0.5%",
            (Some(150_000.0), Some(200_000.0), Some("USD"), Some(Year)),
        ),
        (
            "$250K – $350K • 0.25% – 0.5%",
            (Some(250_000.0), Some(350_000.0), Some("USD"), Some(Year)),
        ),
        (
            "$150,000 - $200,000 a year",
            (Some(150_000.0), Some(200_000.0), Some("USD"), Some(Year)),
        ),
        (
            "€80.000–100.000",
            (Some(80_000.0), Some(100_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "£60k",
            (Some(60_000.0), Some(60_000.0), Some("GBP"), Some(Year)),
        ),
        ("$90/hr", (Some(90.0), Some(90.0), Some("USD"), Some(Hour))),
        (
            "150-180k USD",
            (Some(150_000.0), Some(180_000.0), Some("USD"), Some(Year)),
        ),
        (
            "up to $200k",
            (None, Some(200_000.0), Some("USD"), Some(Year)),
        ),
        (
            "Up to €90,000 per year",
            (None, Some(90_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "CHF 120'000",
            (Some(120_000.0), Some(120_000.0), Some("CHF"), Some(Year)),
        ),
        (
            "CHF 120’000 - 140’000",
            (Some(120_000.0), Some(140_000.0), Some("CHF"), Some(Year)),
        ),
        (
            "From $120k",
            (Some(120_000.0), None, Some("USD"), Some(Year)),
        ),
        (
            "Starting at $95,000",
            (Some(95_000.0), None, Some("USD"), Some(Year)),
        ),
        ("$120k+", (Some(120_000.0), None, Some("USD"), Some(Year))),
        // Remotive.
        (
            "$31,2k- $52k",
            (Some(31_200.0), Some(52_000.0), Some("USD"), Some(Year)),
        ),
        (
            "OTE $25k - $35k",
            (Some(25_000.0), Some(35_000.0), Some("USD"), Some(Year)),
        ),
        (
            "$18 - $22/hr",
            (Some(18.0), Some(22.0), Some("USD"), Some(Hour)),
        ),
        (
            "Compensation is $18- $22 an hour and a max of 40 hours a week.",
            (Some(18.0), Some(22.0), Some("USD"), Some(Hour)),
        ),
        (
            "€68k–€86k",
            (Some(68_000.0), Some(86_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "USD 100,000 – 120,000 per annum",
            (Some(100_000.0), Some(120_000.0), Some("USD"), Some(Year)),
        ),
        (
            "$5,000/month",
            (Some(5_000.0), Some(5_000.0), Some("USD"), Some(Month)),
        ),
        (
            "£400 per day",
            (Some(400.0), Some(400.0), Some("GBP"), Some(Day)),
        ),
        (
            "120k-150k EUR",
            (Some(120_000.0), Some(150_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "80–100k €",
            (Some(80_000.0), Some(100_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "80 000 € – 95 000 €",
            (Some(80_000.0), Some(95_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "60.000 - 70.000 EUR brutto/Jahr",
            (Some(60_000.0), Some(70_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "Salary (EUR): 60.000 - 70.000",
            (Some(60_000.0), Some(70_000.0), Some("EUR"), Some(Year)),
        ),
        (
            "CA$120k – CA$140k",
            (Some(120_000.0), Some(140_000.0), Some("CAD"), Some(Year)),
        ),
        (
            "C$90,000",
            (Some(90_000.0), Some(90_000.0), Some("CAD"), Some(Year)),
        ),
        (
            "A$150k",
            (Some(150_000.0), Some(150_000.0), Some("AUD"), Some(Year)),
        ),
        (
            "AU$150k",
            (Some(150_000.0), Some(150_000.0), Some("AUD"), Some(Year)),
        ),
        (
            "$120k CAD",
            (Some(120_000.0), Some(120_000.0), Some("CAD"), Some(Year)),
        ),
        (
            "$18.50/hour",
            (Some(18.5), Some(18.5), Some("USD"), Some(Hour)),
        ),
        (
            "$25 hourly",
            (Some(25.0), Some(25.0), Some("USD"), Some(Hour)),
        ),
        (
            "Hourly rate: $20-25",
            (Some(20.0), Some(25.0), Some("USD"), Some(Hour)),
        ),
        (
            "Annual base salary: $150k",
            (Some(150_000.0), Some(150_000.0), Some("USD"), Some(Year)),
        ),
        (
            "£3,000 monthly",
            (Some(3_000.0), Some(3_000.0), Some("GBP"), Some(Month)),
        ),
        (
            "$1,200 per week",
            (Some(1_200.0), Some(1_200.0), Some("USD"), Some(Week)),
        ),
        (
            "$1,200/wk",
            (Some(1_200.0), Some(1_200.0), Some("USD"), Some(Week)),
        ),
        (
            "£55k p.a.",
            (Some(55_000.0), Some(55_000.0), Some("GBP"), Some(Year)),
        ),
        (
            "£45,000 - £55,000 pa",
            (Some(45_000.0), Some(55_000.0), Some("GBP"), Some(Year)),
        ),
        (
            "$100k to $120k",
            (Some(100_000.0), Some(120_000.0), Some("USD"), Some(Year)),
        ),
        (
            "between $100k and $120k",
            (Some(100_000.0), Some(120_000.0), Some("USD"), Some(Year)),
        ),
        ("$5,000", (Some(5_000.0), Some(5_000.0), Some("USD"), None)),
        ("$150", (Some(150.0), Some(150.0), Some("USD"), None)),
        // Intern stipend data-entry oddity seen at Ashby: read as written.
        ("$150.00", (Some(150.0), Some(150.0), Some("USD"), None)),
        // No currency, but an explicit period right after the figures.
        ("25-30 per hour", (Some(25.0), Some(30.0), None, Some(Hour))),
        (
            "80,000 - 95,000 per year",
            (Some(80_000.0), Some(95_000.0), None, Some(Year)),
        ),
        (
            "3+ years of experience; $140k-$160k",
            (Some(140_000.0), Some(160_000.0), Some("USD"), Some(Year)),
        ),
        (
            "2023-2024, then $120k",
            (Some(120_000.0), Some(120_000.0), Some("USD"), Some(Year)),
        ),
        // A dedicated salary string may be a budget; parse_salary cannot tell.
        (
            "Home-office budget of €1,800 per year",
            (Some(1_800.0), Some(1_800.0), Some("EUR"), Some(Year)),
        ),
    ];
    for &(input, (min, max, currency, period)) in cases {
        let got = parse_salary(input).unwrap_or_else(|| panic!("no salary in {input:?}"));
        assert_eq!(got.min, min, "min of {input:?}");
        assert_eq!(got.max, max, "max of {input:?}");
        assert_eq!(got.currency.as_deref(), currency, "currency of {input:?}");
        assert_eq!(got.period, period, "period of {input:?}");
        assert_eq!(got.origin, SalaryOrigin::Text);
        assert_eq!(got.text.as_deref(), Some(input));
    }
}

#[test]
fn parse_salary_ignores_numbers_that_are_not_pay() {
    let cases = [
        "",
        "Competitive",
        "Pay per task",
        "DOE",
        "401(k) matching",
        "3+ years",
        "30 days of paid time off",
        "team of 50",
        "Series B, $20M raised",
        "We raised $1.5B",
        "$3 million seed round",
        "2024",
        "Parental leave of 13 weeks",
        "40 hours a week",
        "2 days a week in the office",
        "150-180k",
        "0.25% – 0.5% equity",
        "$200k - $150k",
        "$0",
        "$0 - $0",
        "Salary: negotiable",
    ];
    for input in cases {
        assert_eq!(parse_salary(input), None, "input {input:?}");
    }
}

#[test]
fn tokens_resolve_separators_and_suffixes() {
    use lex::{Tok, tokens};
    let num = |value: f64, k: bool| Tok::Num {
        value,
        k,
        big: false,
    };
    let cases: &[(&str, Vec<Tok<'_>>)] = &[
        ("150,000", vec![num(150_000.0, false)]),
        ("80.000", vec![num(80_000.0, false)]),
        ("1.000.000", vec![num(1_000_000.0, false)]),
        ("31,2k", vec![num(31.2, true)]),
        ("18.50", vec![num(18.5, false)]),
        ("120'000", vec![num(120_000.0, false)]),
        ("150km", vec![num(150.0, false), Tok::Word("km")]),
        (
            "$20M",
            vec![
                Tok::Cur(lex::DOLLAR),
                Tok::Num {
                    value: 20.0,
                    k: false,
                    big: true,
                },
            ],
        ),
        ("US$5", vec![Tok::Cur("USD"), num(5.0, false)]),
        (
            "CA $5",
            vec![Tok::Word("CA"), Tok::Cur(lex::DOLLAR), num(5.0, false)],
        ),
        ("eur 5", vec![Tok::Cur("EUR"), num(5.0, false)]),
    ];
    for (input, want) in cases {
        assert_eq!(&tokens(input), want, "input {input:?}");
    }
}
