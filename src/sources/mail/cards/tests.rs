use super::*;

#[test]
fn lines_are_read_by_what_they_look_like() {
    assert!(looks_like_salary("$150K/yr - $180K/yr"));
    assert!(looks_like_salary("$60 - $70 an hour"));
    assert!(looks_like_salary("€70,000 a year"));
    assert!(!looks_like_salary("Boston, MA"));
    assert!(!looks_like_salary("Acme $ Co"));
    assert_eq!(age_of("21h"), Some(Duration::from_secs(21 * 3600)));
    assert_eq!(age_of("7d"), Some(Duration::from_secs(7 * 86_400)));
    assert_eq!(
        age_of("30+ days ago"),
        Some(Duration::from_secs(30 * 86_400))
    );
    assert_eq!(
        age_of("Posted 1 week ago"),
        Some(Duration::from_secs(7 * 86_400))
    );
    assert_eq!(age_of("Just posted"), Some(Duration::ZERO));
    assert_eq!(age_of("Boston"), None);
    assert_eq!(age_of("99999999999999 days ago"), None);
    assert!(is_noise("3.7 ★"));
    assert!(is_noise("2 connections"));
    assert!(is_noise("1 school alum"));
    assert!(!is_noise("Acme Robotics"));
    assert_eq!(strip_rating("Acme Corp 3.9 ★"), "Acme Corp");
    assert_eq!(strip_rating("Area 51"), "Area 51");
    assert_eq!(
        split_line("Leidos • Aldie, VA • On-site"),
        ["Leidos", "Aldie, VA", "On-site"]
    );
}

#[test]
fn a_card_is_the_largest_element_around_one_jobs_links() {
    let html = r#"<html><body><p>Your job alert for ML engineer</p><table>
            <tr><td><a href="https://www.linkedin.com/comm/jobs/view/4011100001/?trackingId=a"><img alt="Acme"></a></td>
                <td><a href="https://www.linkedin.com/comm/jobs/view/4011100001/?trackingId=b">ML Engineer</a>
                <p>Acme · Boston, MA (Hybrid)</p><p>$150K/yr - $180K/yr</p><p>2 connections</p><p>3d</p></td></tr>
            <tr><td><a href="https://www.linkedin.com/comm/jobs/view/4022200002/?trackingId=c">Data Scientist</a>
                <p>Brightwater</p><p>Remote</p><p>Easy Apply</p></td></tr>
            </table><p>Unsubscribe</p></body></html>"#;
    let received = chrono::DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
        .expect("time")
        .with_timezone(&Utc);
    let jobs = from_html(html, Board::LinkedIn, Some(received));
    let got: Vec<_> = jobs
        .iter()
        .map(|p| {
            (
                p.external_id.as_str(),
                p.title.as_str(),
                p.company.as_deref(),
                p.locations.clone(),
                p.workplace,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "https://www.linkedin.com/jobs/view/4011100001",
                "ML Engineer",
                Some("Acme"),
                vec!["Boston, MA (Hybrid)".to_string()],
                Workplace::Unknown
            ),
            (
                "https://www.linkedin.com/jobs/view/4022200002",
                "Data Scientist",
                Some("Brightwater"),
                vec!["Remote".to_string()],
                Workplace::Remote
            ),
        ]
    );
    assert_eq!(jobs[0].salary_text.as_deref(), Some("$150K/yr - $180K/yr"));
    assert_eq!(
        jobs[0].posted_at.map(|t| t.to_rfc3339()),
        Some("2026-11-27T08:00:00+00:00".into())
    );
}
