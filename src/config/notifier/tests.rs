//! Notifier validation: keys per kind, digest settings, secrets.

use std::path::Path;

use crate::config::{Config, Mode, NotifierKind};

fn parse(toml: &str, env: &[(&str, &str)]) -> Result<Config, String> {
    let lookup = |k: &str| {
        env.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    Config::parse(toml, Path::new("t.toml"), &lookup).map_err(|e| e.to_string())
}

#[test]
fn each_kind_takes_its_keys_and_rejects_the_others() {
    let cases: &[(&str, &str)] = &[
        (
            "kind = \"webhook\"\nurl = \"https://h/x\"\nsecret = \"s\"",
            "",
        ),
        (
            "kind = \"slack\"\nurl = \"https://hooks.slack.com/services/T/B/x\"",
            "",
        ),
        (
            "kind = \"discord\"\nurl = \"https://discord.com/api/webhooks/1/x\"",
            "",
        ),
        (
            "kind = \"slack\"\nurl = \"https://h/x\"\nsecret = \"s\"",
            "notifier[0].secret: not used by kind `slack`",
        ),
        (
            "kind = \"webhook\"\nurl = \"https://h/x\"\nto = [\"a@b.c\"]",
            "notifier[0].to: not used by kind `webhook`",
        ),
        ("kind = \"pager\"", "unknown kind `pager`"),
        ("kind = \"discord\"", "notifier[0].url: is required"),
        (
            "kind = \"slack\"\nurl = \"https://h/x\"\ntimezone = \"UTC\"",
            "notifier[0].timezone: only applies to a digest",
        ),
        (
            "kind = \"slack\"\nurl = \"https://h/x\"\nschedule = \"0 8 * * *\"\ntimezone = \"Mars/Olympus\"",
            "`Mars/Olympus` is not an IANA time zone",
        ),
        (
            "kind = \"slack\"\nurl = \"https://h/x\"\ndigest_max_per_alert = 5",
            "notifier[0].digest_max_per_alert: only applies to a digest",
        ),
        (
            "kind = \"slack\"\nurl = \"https://h/x\"\nschedule = \"0 8 * * *\"\ndigest_max_per_alert = 0",
            "notifier[0].digest_max_per_alert: 0 is out of range (1 to 10000)",
        ),
        (
            "kind = \"slack\"\nurl = \"https://h/x\"\nschedule = \"0 8 * * *\"\ndigest_max_per_alert = 9223372036854775807",
            "is out of range (1 to 10000)",
        ),
    ];
    for (body, want) in cases {
        let got = parse(&format!("[[notifier]]\nname = \"n\"\n{body}\n"), &[]);
        match (want.is_empty(), &got) {
            (true, Ok(_)) => {}
            (false, Err(e)) if e.contains(want) => {}
            _ => panic!("{body:?}: want {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn a_digest_reads_its_schedule_in_its_time_zone() {
    let c = parse(
        "[[notifier]]\nname = \"d\"\nkind = \"slack\"\nurl = \"https://h/x\"\n\
         schedule = \"0 8 * * 1-5\"\ntimezone = \"Europe/Berlin\"\nsend_empty = true\n\n\
         [[notifier]]\nname = \"e\"\nkind = \"slack\"\nurl = \"https://h/x\"\n\
         schedule = \"@daily\"\ndigest_max_per_alert = 7\n",
        &[],
    )
    .expect("valid");
    let Mode::Digest(e) = &c.notifiers[1].mode else {
        panic!("a digest")
    };
    assert_eq!(e.max_per_alert, 7);
    let Mode::Digest(d) = &c.notifiers[0].mode else {
        panic!("a digest")
    };
    assert_eq!(d.timezone, chrono_tz::Europe::Berlin);
    assert!(d.send_empty);
    assert_eq!(d.max_per_alert, 25, "the default cap");
    assert_eq!(d.schedule.as_str(), "0 8 * * 1-5");
}

#[test]
fn secrets_come_from_the_environment_and_never_show() {
    let toml =
        "[[notifier]]\nname = \"h\"\nkind = \"webhook\"\nurl = \"${HOOK}\"\nsecret = \"${SIG}\"\n";
    let c = parse(toml, &[("HOOK", "https://h/tok3n"), ("SIG", "hunter2")]).expect("valid");
    let NotifierKind::Webhook(w) = &c.notifiers[0].kind else {
        panic!("webhook")
    };
    assert_eq!(
        w.secret.as_ref().map(|s| s.expose().as_str()),
        Some("hunter2")
    );
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("tok3n"),
        "{shown}"
    );
    let err = parse(toml, &[]).expect_err("unset variables");
    assert!(err.contains("HOOK is not set"), "{err}");
    // Disabled: the variables need not be set.
    parse(&format!("{toml}enabled = false\n"), &[]).expect("disabled validates");
}
