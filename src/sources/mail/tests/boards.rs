//! What each board's alert email yields: titles, companies, places, pay,
//! workplace and canonical URLs, from HTML, plain text and base64 bodies.

use super::*;
use crate::model::Workplace;

#[test]
fn linkedin_alert_html_gives_each_job_with_its_canonical_url() {
    let (postings, state, alert) = read("linkedin-alert.eml");
    assert!(alert);
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.linkedin.com/jobs/view/4088112233",
                "Machine Learning Engineer, Inference",
                Some("Lumen AI"),
                vec!["New York, NY (Hybrid)".to_string()],
                Some("$185K/yr - $230K/yr"),
            ),
            (
                "https://www.linkedin.com/jobs/view/4088114455",
                "Senior Applied Scientist – Ranking",
                Some("Quillon Labs"),
                vec!["New York, United States (On-site)".to_string()],
                None,
            ),
            (
                "https://www.linkedin.com/jobs/view/4088116677",
                "ML Platform Engineer",
                Some("Halden Robotics"),
                vec!["United States (Remote)".to_string()],
                None,
            ),
        ]
    );
    assert_eq!(
        (state.read, state.alerts, state.skipped, state.jobs),
        (1, 1, 0, 3)
    );
    assert!(state.warnings.is_empty(), "{:?}", state.warnings);
    let last = state.last_email.expect("last email");
    assert_eq!(last.from, "linkedin");
    assert_eq!(last.date, at("2026-11-29T14:02:11+00:00"));
    assert!(
        postings
            .iter()
            .all(|p| p.url.as_ref() == Some(&p.external_id))
    );
    assert!(postings.iter().all(|p| p.tags == ["linkedin"]));
}

#[test]
fn linkedin_plain_text_alert_is_read_when_there_is_no_html() {
    let (postings, state, _) = read("linkedin-alert-text.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.linkedin.com/jobs/view/4077001122",
                "Computer Vision Engineer",
                Some("Okapi Bio"),
                vec!["Cambridge, MA".to_string()],
                None,
            ),
            (
                "https://www.linkedin.com/jobs/view/4077003344",
                "Staff ML Engineer",
                Some("Brightwater"),
                vec!["Remote".to_string()],
                None,
            ),
        ]
    );
    assert_eq!(state.jobs, 2);
}

#[test]
fn indeed_alert_in_base64_with_a_wrapped_link() {
    let (postings, state, _) = read("indeed-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.indeed.com/viewjob?jk=a1b2c3d4e5f60718",
                "Machine Learning Engineer",
                Some("Northbeam Analytics"),
                vec!["Boston, MA 02110".to_string()],
                Some("$150,000 - $185,000 a year"),
            ),
            (
                "https://www.indeed.com/viewjob?jk=0f0e0d0c0b0a0908",
                "Applied ML Scientist",
                Some("Tessellate Systems"),
                vec!["Hybrid work in Cambridge, MA".to_string()],
                None,
            ),
            (
                "https://www.indeed.com/viewjob?jk=5c6d7e8f90a1b2c3",
                "MLOps Engineer",
                Some("Okapi Bio"),
                vec!["Remote".to_string()],
                Some("$70 - $85 an hour"),
            ),
        ]
    );
    assert!(state.warnings.is_empty(), "{:?}", state.warnings);
    // "Just posted" in an email of 2026-11-29 11:30 UTC; "2 days ago" two days before.
    let posted: Vec<Option<String>> = postings
        .iter()
        .map(|p| p.posted_at.map(|t| t.to_rfc3339()))
        .collect();
    assert_eq!(
        posted,
        vec![
            at("2026-11-29T11:30:00+00:00"),
            at("2026-11-27T11:30:00+00:00"),
            at("2026-10-30T11:30:00+00:00"),
        ]
    );
}

#[test]
fn glassdoor_cards_put_the_company_first() {
    let (postings, _, _) = read("glassdoor-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.glassdoor.com/job-listing/j?jl=1009633080810",
                "Machine Learning Engineer",
                Some("Brightwater"),
                vec!["New York, NY".to_string()],
                Some("$160K - $210K"),
            ),
            (
                "https://www.glassdoor.com/job-listing/j?jl=1009633080877",
                "Senior Data Scientist, NLP",
                Some("Larkspur Health"),
                vec!["Remote".to_string()],
                Some("$145K - $190K"),
            ),
        ]
    );
    assert_eq!(
        postings[0].posted_at.map(|t| t.to_rfc3339()),
        at("2026-11-28T15:45:00+00:00"),
        "21h before 07:45 -05:00"
    );
}

#[test]
fn wellfound_alert_reads_place_pay_and_workplace_from_one_line() {
    let (postings, _, _) = read("wellfound-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://wellfound.com/jobs/3011223",
                "Machine Learning Engineer",
                Some("Tidewater"),
                vec!["Remote".to_string()],
                Some("$140k – $180k"),
            ),
            (
                "https://wellfound.com/jobs/3011987",
                "Founding ML Engineer",
                Some("Halden Robotics"),
                vec!["San Francisco".to_string()],
                Some("$170k – $220k"),
            ),
        ]
    );
    assert_eq!(postings[0].workplace, Workplace::Remote);
}

#[test]
fn ziprecruiter_alert_splits_the_bullet_line() {
    let (postings, _, _) = read("ziprecruiter-alert.eml");
    assert_eq!(
        rows(&postings),
        vec![
            (
                "https://www.ziprecruiter.com/ekm/AAHc_Oka10Xx8Q2vLw9bYt4",
                "Machine Learning Engineer",
                Some("Quillon Labs"),
                vec!["Austin, TX".to_string()],
                Some("$135K - $175K/yr"),
            ),
            (
                "https://www.ziprecruiter.com/c/Morrow-Face/Job/Computer-Vision-Engineer/-in-Denver,CO?jid=7c1f0e2a3b4d5e6f",
                "Computer Vision Engineer",
                Some("Morrow Face"),
                vec!["Denver, CO".to_string()],
                Some("$54 - $74/hr"),
            ),
        ]
    );
    assert_eq!(postings[0].workplace, Workplace::Onsite);
    assert_eq!(postings[1].workplace, Workplace::Remote);
}
