use super::*;

fn problems(text: &str) -> Vec<(String, Option<usize>, String)> {
    let err = parse(text, Path::new("j.toml"), &|_| None, Secrets::Required).expect_err("invalid");
    err.problems
        .into_iter()
        .map(|p| (p.path, p.line, p.message))
        .collect()
}

#[test]
fn numbers_out_of_range_name_their_key_and_line() {
    let text = "[http]\ntimeout = \"18446744073709551615s1s\"\n\
                connect_timeout = \"307445734561825861m\"\nconcurrency = -1\n\
                max_body_size = \"2GB\"\n\
                [scheduler]\nretry_base = \"100000000d\"\njitter = \"2d\"\n\
                [delivery]\nretry_base = \"2h\"\nretry_max = \"1h\"\n\
                max_attempts = 4294967297\n\
                [[source]]\nname = \"a\"\nkind = \"hn_whoishiring\"\nmonths = 99999999999\n\
                page_delay = \"1d\"\n";
    let got = problems(text);
    let want = [
        (
            "http.timeout",
            2,
            "`18446744073709551615s1s` is out of range (1ms to 1h)",
        ),
        (
            "http.connect_timeout",
            3,
            "`307445734561825861m` is out of range (1ms to 1h)",
        ),
        ("http.concurrency", 4, "-1 is out of range (1 to 256)"),
        (
            "http.max_body_size",
            5,
            "`2GB` is out of range (1KB to 1GB)",
        ),
        (
            "scheduler.retry_base",
            7,
            "`100000000d` is out of range (0s to 30d)",
        ),
        ("scheduler.jitter", 8, "`2d` is out of range (0s to 1d)"),
        (
            "delivery.retry_base",
            10,
            "`2h` is longer than delivery.retry_max (`1h`)",
        ),
        (
            "delivery.max_attempts",
            12,
            "4294967297 is out of range (1 to 1000)",
        ),
        (
            "source[0].months",
            16,
            "99999999999 is out of range (1 to 12)",
        ),
        (
            "source[0].page_delay",
            17,
            "`1d` is out of range (0s to 10m)",
        ),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((path, line, message), (want_path, want_line, want_msg)) in got.iter().zip(want) {
        assert_eq!(
            (path.as_str(), *line),
            (want_path, Some(want_line)),
            "{message}"
        );
        assert!(message.contains(want_msg), "{path}: {message}");
    }
}

#[test]
fn unknown_keys_type_errors_and_semantic_problems_come_in_one_report() {
    let text = "[http]\nbogus = 1\ntimeout = \"never\"\n\
                [[source]]\nname = 5\nkind = \"feed\"\nurl = \"https://x.example/f\"\n\
                [[source]]\nname = \"b\"\nkind = \"feed\"\nurl = \"not a url\"\n\
                schedule = \"* *\"\n";
    let got: Vec<(String, Option<usize>)> =
        problems(text).into_iter().map(|(p, l, _)| (p, l)).collect();
    let want = [
        ("http.bogus", 2),
        ("http.timeout", 3),
        ("source[0].name", 5),
        ("source[1].url", 11),
        ("source[1].schedule", 12),
    ];
    let want: Vec<(String, Option<usize>)> = want
        .iter()
        .map(|(p, l)| (p.to_string(), Some(*l)))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn relative_paths_start_at_the_config_files_directory() {
    let text = "[database]\npath = \"state/j.db\"\n";
    let c = parse(
        text,
        Path::new("/etc/jobhound/j.toml"),
        &|_| None,
        Secrets::Required,
    )
    .expect("valid");
    assert_eq!(c.database.path, Path::new("/etc/jobhound/state/j.db"));
    let abs = "[database]\npath = \"/var/lib/j.db\"\n";
    let c = parse(
        abs,
        Path::new("/etc/jobhound/j.toml"),
        &|_| None,
        Secrets::Required,
    )
    .expect("valid");
    assert_eq!(c.database.path, Path::new("/var/lib/j.db"));
    let c = parse(
        "",
        Path::new("/etc/jobhound/j.toml"),
        &|_| None,
        Secrets::Required,
    )
    .expect("valid");
    assert_eq!(c.database.path, Path::new("/etc/jobhound/jobhound.db"));
}

#[test]
fn secret_files_are_found_beside_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("token"), "s3cret\n").expect("write");
    std::fs::write(dir.path().join("pw"), "hunter2\n").expect("write");
    let text = "[server]\nlisten = \"0.0.0.0:1\"\ntoken_file = \"token\"\n\
                [[notifier]]\nname = \"mail\"\nkind = \"email\"\nsmtp_url = \"smtps://m.example\"\n\
                username = \"u\"\npassword_file = \"pw\"\nfrom = \"a@x.example\"\n\
                to = [\"b@x.example\"]\n";
    // Parsed from another working directory than the config's.
    let c = parse(
        text,
        &dir.path().join("j.toml"),
        &|_| None,
        Secrets::Required,
    )
    .expect("valid");
    let token = c.server.and_then(|s| s.token).expect("token");
    assert_eq!(token.expose(), "s3cret");
    let Some(crate::config::NotifierKind::Email(e)) = c.notifiers.first().map(|n| &n.kind) else {
        panic!("an email notifier");
    };
    assert_eq!(
        e.password.as_ref().map(|p| p.expose().as_str()),
        Some("hunter2")
    );
}

#[test]
fn read_commands_need_no_delivery_secrets() {
    let text = "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"${HOOK_URL}\"\n\
                [[notifier]]\nname = \"mail\"\nkind = \"email\"\nsmtp_url = \"smtps://m.example\"\n\
                username = \"u\"\npassword_file = \"/nonexistent/pw\"\nfrom = \"a@x.example\"\n\
                to = [\"b@x.example\"]\n\
                [server]\nlisten = \"0.0.0.0:1\"\ntoken = \"${TOKEN}\"\n";
    let file = Path::new("/etc/j.toml");
    let strict = parse(text, file, &|_| None, Secrets::Required).expect_err("secrets unset");
    let paths: Vec<&str> = strict.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "notifier[0].url",
            "notifier[1].password_file",
            "server.token"
        ]
    );
    let read = parse(text, file, &|_| None, Secrets::Optional).expect("valid to read");
    // Nothing can be sent through placeholders: such notifiers count as disabled.
    assert!(read.notifiers.iter().all(|n| !n.enabled), "{read:?}");
    let hook = |_: &str| Some("https://hooks.example/x".to_string());
    let with = parse(text, file, &hook, Secrets::Optional).expect("valid");
    assert!(with.notifier("hook").is_some_and(|n| n.enabled));
    // Only secrets are optional: everything else is still checked.
    let broken = format!("{text}[[alert]]\nname = \"a\"\nquery = \"(\"\n");
    assert!(parse(&broken, file, &|_| None, Secrets::Optional).is_err());
}

#[test]
fn retry_delays_stay_within_a_month() {
    let got = problems("[scheduler]\nretry_max = \"31d\"\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].2.contains("out of range (0s to 30d)"), "{got:?}");
    let ok = "[scheduler]\nretry_base = \"0s\"\nretry_max = \"30d\"\n";
    assert!(parse(ok, Path::new("j.toml"), &|_| None, Secrets::Required).is_ok());
}
