//! Kind-specific keys through the whole config check: what each kind
//! accepts, and the problems it reports.

use crate::config::{Config, SourceKind};

fn kinds(toml: &str) -> Result<Vec<SourceKind>, Vec<(String, String)>> {
    let text = format!("[[source]]\nname = \"s\"\n{toml}\n");
    Config::parse(&text, std::path::Path::new("t.toml"), &|_| None)
        .map(|c| c.sources.into_iter().map(|s| s.kind).collect())
        .map_err(|e| {
            e.problems
                .into_iter()
                .map(|p| (p.path, p.message))
                .collect()
        })
}

#[test]
fn remote_board_kinds_take_their_optional_keys() {
    let s = |v: &str| Some(v.to_string());
    let cases = [
        ("kind = \"remoteok\"", SourceKind::RemoteOk { tag: None }),
        (
            "kind = \"remoteok\"\ntag = \"ml\"",
            SourceKind::RemoteOk { tag: s("ml") },
        ),
        (
            "kind = \"remotive\"\ncategory = \"software-dev\"\nsearch = \"pytorch\"",
            SourceKind::Remotive {
                category: s("software-dev"),
                search: s("pytorch"),
            },
        ),
        (
            "kind = \"jobicy\"\ntag = \"python\"\nregion = \"usa\"\ncategory = \"data-science\"",
            SourceKind::Jobicy {
                tag: s("python"),
                region: s("usa"),
                category: s("data-science"),
            },
        ),
        ("kind = \"himalayas\"\nmax_pages = 3", SourceKind::Himalayas),
    ];
    for (toml, want) in cases {
        assert_eq!(kinds(toml), Ok(vec![want]), "{toml}");
    }
}

#[test]
fn remote_board_kinds_reject_keys_they_do_not_use_and_blank_values() {
    let cases = [
        (
            "kind = \"remoteok\"\nsearch = \"ml\"",
            "source[0].search",
            "not used by kind `remoteok` (it uses: tag)",
        ),
        (
            "kind = \"remoteok\"\nmax_pages = 2",
            "source[0].max_pages",
            "not used by kind `remoteok` (it uses: tag)",
        ),
        (
            "kind = \"remotive\"\ntag = \"ml\"",
            "source[0].tag",
            "not used by kind `remotive` (it uses: category, search)",
        ),
        (
            "kind = \"remotive\"\nsearch = \" \"",
            "source[0].search",
            "must not be empty (leave it out instead)",
        ),
        (
            "kind = \"jobicy\"\ntag = \"ml\"",
            "source[0].tag",
            "Jobicy accepts a tag of 3 to 50 characters",
        ),
        (
            "kind = \"jobicy\"\nsearch = \"ml\"",
            "source[0].search",
            "not used by kind `jobicy` (it uses: tag, region, category)",
        ),
        (
            "kind = \"himalayas\"\nurl = \"https://himalayas.app/jobs/api\"",
            "source[0].url",
            "not used by kind `himalayas` (it uses: max_pages)",
        ),
    ];
    for (toml, path, message) in cases {
        let problems = kinds(toml).expect_err(toml);
        assert!(
            problems.contains(&(path.to_string(), message.to_string())),
            "{toml}: {problems:?}"
        );
    }
}

#[test]
fn ats_kinds_take_a_url_safe_identifier_and_only_their_keys() {
    use crate::config::Config;
    let cases: Vec<(&str, Result<SourceKind, &str>)> = vec![
        (
            "kind = \"workable\"\naccount = \"northwind-vision\"",
            Ok(SourceKind::Workable {
                account: "northwind-vision".into(),
            }),
        ),
        (
            "kind = \"smartrecruiters\"\ncompany = \"HelixDynamics\"\nmax_pages = 3",
            Ok(SourceKind::SmartRecruiters {
                company: "HelixDynamics".into(),
            }),
        ),
        (
            "kind = \"recruitee\"\ncompany = \"tidewater\"",
            Ok(SourceKind::Recruitee {
                company: "tidewater".into(),
            }),
        ),
        ("kind = \"workable\"", Err("source[0].account: is required")),
        (
            "kind = \"workable\"\naccount = \"a/../b\"",
            Err("source[0].account: `a/../b`: use only letters, digits, '-' and '_'"),
        ),
        (
            "kind = \"smartrecruiters\"\ncompany = \" \"",
            Err("source[0].company: must not be empty"),
        ),
        (
            "kind = \"recruitee\"\ncompany = \"tide_water\"",
            Err("source[0].company: `tide_water`: use only letters, digits and '-'"),
        ),
        (
            "kind = \"recruitee\"\ncompany = \"tidewater\"\nmax_pages = 2",
            Err("source[0].max_pages: not used by kind `recruitee` (it uses: company)"),
        ),
        (
            "kind = \"workable\"\naccount = \"x\"\nsplit_title = true",
            Err("source[0].split_title: not used by kind `workable` (it uses: account)"),
        ),
    ];
    for (toml, want) in cases {
        let text = format!("[[source]]\nname = \"s\"\n{toml}\n");
        let got = Config::parse(&text, std::path::Path::new("j.toml"), &|_| None);
        match (got, want) {
            (Ok(cfg), Ok(kind)) => assert_eq!(cfg.sources[0].kind, kind, "{toml}"),
            (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{toml}: {e}"),
            (got, want) => panic!("{toml}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn board_kinds_take_their_identifier_and_reject_bad_ones() {
    let cases: &[(&str, Result<SourceKind, &str>)] = &[
        (
            "kind = \"greenhouse\"\nboard = \"lumenai\"",
            Ok(SourceKind::Greenhouse {
                board: "lumenai".into(),
            }),
        ),
        (
            "kind = \"lever\"\nsite = \"parallax\"",
            Ok(SourceKind::Lever {
                site: "parallax".into(),
                eu: false,
            }),
        ),
        (
            "kind = \"lever\"\nsite = \"parallax\"\nregion = \"EU\"",
            Ok(SourceKind::Lever {
                site: "parallax".into(),
                eu: true,
            }),
        ),
        (
            "kind = \"ashby\"\nboard = \"halcyon\"",
            Ok(SourceKind::Ashby {
                board: "halcyon".into(),
            }),
        ),
        ("kind = \"greenhouse\"", Err("source[0].board: is required")),
        (
            "kind = \"greenhouse\"\nboard = \"acme/jobs\"",
            Err("source[0].board: `acme/jobs`: give the name"),
        ),
        (
            "kind = \"lever\"\nsite = \"parallax\"\nregion = \"us\"",
            Err("source[0].region: `us`: the only region is \"eu\""),
        ),
        (
            "kind = \"ashby\"\nboard = \"halcyon\"\nsite = \"x\"",
            Err("source[0].site: not used by kind `ashby` (it uses: board)"),
        ),
        (
            "kind = \"greenhouse\"\nboard = \"x\"\nmax_pages = 3",
            Err("source[0].max_pages: not used by kind `greenhouse`"),
        ),
    ];
    for (block, want) in cases {
        let text = format!("[[source]]\nname = \"s\"\n{block}\n");
        let got = Config::parse(&text, std::path::Path::new("t.toml"), &|_| None);
        match (got, want) {
            (Ok(c), Ok(kind)) => assert_eq!(&c.sources[0].kind, kind, "{block}"),
            (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{block}: {e}"),
            (Ok(c), Err(msg)) => panic!("{block}: want {msg:?}, got {:?}", c.sources[0].kind),
            (Err(e), Ok(_)) => panic!("{block}: {e}"),
        }
    }
}
