use super::*;

#[test]
fn links_become_canonical_job_urls() {
    let cases: &[(Board, &str, Option<&str>)] = &[
        (
            Board::LinkedIn,
            "https://www.linkedin.com/comm/jobs/view/4012345678/?trackingId=abc%3D%3D&refId=x&lipi=urn%3Ali&midToken=AQ",
            Some("https://www.linkedin.com/jobs/view/4012345678"),
        ),
        (
            Board::LinkedIn,
            "https://uk.linkedin.com/jobs/view/senior-ml-engineer-at-acme-4012345678?trk=x",
            Some("https://www.linkedin.com/jobs/view/4012345678"),
        ),
        (
            Board::LinkedIn,
            "https://www.linkedin.com/comm/jobs/search?keywords=ml",
            None,
        ),
        (
            Board::LinkedIn,
            "https://linkedin.com.evil.example/jobs/view/4012345678",
            None,
        ),
        (
            Board::Indeed,
            "https://www.indeed.com/rc/clk?jk=a1b2c3d4e5f60718&from=ja&qd=x&rd=y&tk=1h",
            Some("https://www.indeed.com/viewjob?jk=a1b2c3d4e5f60718"),
        ),
        (
            Board::Indeed,
            "https://cts.indeed.com/v3/H4sI?url=https%3A%2F%2Fwww.indeed.com%2Frc%2Fclk%3Fjk%3Da1b2c3d4e5f60718%26from%3Dja",
            Some("https://www.indeed.com/viewjob?jk=a1b2c3d4e5f60718"),
        ),
        (
            Board::Indeed,
            "https://uk.indeed.com/viewjob?jk=0F0E0D0C0B0A0908&from=ja",
            Some("https://uk.indeed.com/viewjob?jk=0f0e0d0c0b0a0908"),
        ),
        (
            Board::Indeed,
            "https://www.indeed.com/jobs?q=ml&l=Boston",
            None,
        ),
        (
            Board::Glassdoor,
            "https://www.glassdoor.com/partner/jobListing.htm?pos=101&ao=1136043&s=353&guid=0000&src=GD_JOB_AD&t=JA&jobListingId=1009633080810&jrtk=5-yul1",
            Some("https://www.glassdoor.com/job-listing/j?jl=1009633080810"),
        ),
        (
            Board::Glassdoor,
            "https://www.glassdoor.com/job-listing/ml-engineer-acme-JV_IC1154532_KO0,11_KE12,16.htm?jl=1009633080811&utm_source=jobalert",
            Some("https://www.glassdoor.com/job-listing/j?jl=1009633080811"),
        ),
        (
            Board::Glassdoor,
            "https://www.glassdoor.com/Job/boston-ml-jobs-SRCH.htm",
            None,
        ),
        (
            Board::Glassdoor,
            "https://glassdoor.evil.example/job-listing/x.htm?jl=1009633080811",
            None,
        ),
        (
            Board::Indeed,
            "https://www.indeed.co.uk/rc/clk?jk=a1b2c3d4e5f60718",
            Some("https://www.indeed.co.uk/viewjob?jk=a1b2c3d4e5f60718"),
        ),
        (
            Board::Wellfound,
            "https://wellfound.com/jobs/2747178-machine-learning-engineer?utm_source=email&utm_campaign=job_alert",
            Some("https://wellfound.com/jobs/2747178"),
        ),
        (
            Board::Wellfound,
            "https://wellfound.com/company/tidewater/jobs/3011223-ml-platform-engineer",
            Some("https://wellfound.com/jobs/3011223"),
        ),
        (Board::Wellfound, "https://wellfound.com/jobs?role=ml", None),
        (
            Board::ZipRecruiter,
            "https://www.ziprecruiter.com/c/Leidos/Job/Senior-ML-Engineer/-in-Aldie,VA?jid=a1b2c3d4e5f6a7b8&lvk=x&tsid=y",
            Some(
                "https://www.ziprecruiter.com/c/Leidos/Job/Senior-ML-Engineer/-in-Aldie,VA?jid=a1b2c3d4e5f6a7b8",
            ),
        ),
        (
            Board::ZipRecruiter,
            "https://www.ziprecruiter.com/ekm/AAHc_Oka10?utm_source=zr",
            Some("https://www.ziprecruiter.com/ekm/AAHc_Oka10"),
        ),
        (
            Board::ZipRecruiter,
            "https://www.ziprecruiter.com/candidate/search?search=ml",
            None,
        ),
    ];
    for (board, href, want) in cases {
        assert_eq!(canonical(*board, href).as_deref(), *want, "{href}");
    }
}

#[test]
fn alerts_are_told_from_other_mail_of_the_same_board() {
    let cases = [
        (
            Board::LinkedIn,
            "jobalerts-noreply@linkedin.com",
            "“machine learning engineer”: Acme - ML Engineer and more",
            true,
        ),
        (
            Board::LinkedIn,
            "jobs-noreply@linkedin.com",
            "Your application was viewed by Acme",
            false,
        ),
        (
            Board::LinkedIn,
            "messages-noreply@linkedin.com",
            "New message from Jane",
            false,
        ),
        (
            Board::LinkedIn,
            "newsletters-noreply@linkedin.com",
            "The week in AI",
            false,
        ),
        (
            Board::Indeed,
            "alert@indeed.com",
            "ML Engineer at Acme and 29 more jobs in Boston for you!",
            true,
        ),
        (
            Board::Indeed,
            "donotreply@jobalert.indeed.com",
            "Acme is hiring",
            true,
        ),
        (
            Board::Indeed,
            "indeedapply@indeed.com",
            "Indeed Application: ML Engineer",
            false,
        ),
        (
            Board::Glassdoor,
            "noreply@glassdoor.com",
            "ML Engineer at Acme and 12 more jobs",
            true,
        ),
        (
            Board::Glassdoor,
            "noreply@glassdoor.com",
            "Your weekly Glassdoor community highlights",
            false,
        ),
        (
            Board::Wellfound,
            "team@hi.wellfound.com",
            "New jobs: ML Engineer at Tidewater and 9 more jobs",
            true,
        ),
        (
            Board::ZipRecruiter,
            "alerts@ziprecruiter.com",
            "Today's top jobs",
            true,
        ),
        (
            Board::ZipRecruiter,
            "phil@ziprecruiter.com",
            "Acme viewed your profile",
            false,
        ),
    ];
    for (board, from, subject, want) in cases {
        assert_eq!(is_alert(board, from, subject), want, "{from}: {subject}");
    }
}

#[test]
fn senders_are_matched_by_domain_not_by_name() {
    let all = Board::ALL;
    assert_eq!(
        board_of("jobalerts-noreply@linkedin.com", &all),
        Some(Board::LinkedIn)
    );
    assert_eq!(
        board_of("team@hi.wellfound.com", &all),
        Some(Board::Wellfound)
    );
    assert_eq!(board_of("x@notlinkedin.com", &all), None);
    assert_eq!(board_of("x@linkedin.com.evil.example", &all), None);
    assert_eq!(board_of("alert@indeed.com", &[Board::LinkedIn]), None);
}
