use super::*;

fn locs(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}

#[test]
fn company_keys_ignore_legal_forms_spacing_and_case() {
    for (a, b) in [
        ("Hugging Face", "HuggingFace"),
        ("Hugging Face, Inc.", "hugging face"),
        ("Mistral AI SAS", "Mistral AI"),
        ("The Browser Company", "Browser Company"),
        ("Acme Co., Ltd.", "ACME"),
        ("Foo B.V.", "Foo"),
        ("Deutsche Bahn AG", "deutsche bahn"),
        ("Larkspur AI, Inc.", "LarkspurAI"),
        ("Quillon Labs", "Quillon"),
        ("Brightwater Health", "brightwater"),
    ] {
        assert_eq!(company_key(a), company_key(b), "{a} = {b}");
    }
    assert_ne!(company_key("Anthropic"), company_key("OpenAI"));
    assert_eq!(company_key("Co").as_deref(), Some("co"));
    assert_eq!(company_key(" , "), None);
}

#[test]
fn title_keys_equate_spellings_of_one_title() {
    let none: Vec<String> = Vec::new();
    for (a, b) in [
        ("Sr. ML Engineer", "Senior Machine Learning Engineer"),
        (
            "Senior Machine Learning Engineer (Remote)",
            "Senior Machine Learning Engineer",
        ),
        (
            "Machine Learning Engineer, Senior",
            "Senior Machine Learning Engineer",
        ),
        (
            "Senior ML Engineer - Remote (US)",
            "Senior Machine Learning Engineer",
        ),
        ("Software Engineer (m/f/d)", "SWE"),
        ("[Remote] Data Scientist", "Data Scientist"),
        (
            "Remote - Staff Engineer, Inference",
            "Staff Engineer, Inference",
        ),
        ("MLE II", "Machine Learning Engineer II"),
    ] {
        assert_eq!(title_key(a, &none), title_key(b, &none), "{a} = {b}");
    }
    let sf = locs(&["San Francisco, CA"]);
    assert_eq!(
        title_key("ML Engineer (San Francisco)", &sf),
        title_key("ML Engineer", &sf)
    );
    assert_eq!(
        title_key("ML Engineer - San Francisco, CA", &sf),
        title_key("ML Engineer", &sf)
    );
}

#[test]
fn title_keys_keep_levels_and_specialisations_apart() {
    let none: Vec<String> = Vec::new();
    for (a, b) in [
        ("ML Engineer II", "Senior ML Engineer"),
        (
            "Research Engineer, Pretraining",
            "Research Engineer, Inference",
        ),
        (
            "Research Engineer (Pretraining)",
            "Research Engineer (Inference)",
        ),
        ("Machine Learning Engineer", "Machine Learning Scientist"),
        ("Staff Engineer", "Senior Staff Engineer"),
        ("Engineering Manager", "Engineer"),
    ] {
        assert_ne!(title_key(a, &none), title_key(b, &none), "{a} ≠ {b}");
    }
}

#[test]
fn locations_compatible_unless_two_specific_places_differ() {
    let w = |l: &[&str]| places(&locs(l));
    assert!(locations_compatible(
        &w(&["San Francisco, CA"]),
        &w(&["San Francisco"])
    ));
    assert!(locations_compatible(
        &w(&["San Francisco, CA"]),
        &w(&["Remote"])
    ));
    assert!(locations_compatible(&w(&["London, UK"]), &w(&[])));
    assert!(locations_compatible(
        &w(&["Paris", "London"]),
        &w(&["London"])
    ));
    assert!(!locations_compatible(
        &w(&["San Francisco, CA"]),
        &w(&["New York, NY"])
    ));
    assert!(!locations_compatible(
        &w(&["Paris, France"]),
        &w(&["London, UK"])
    ));
}

const TEXT: &str = "We are looking for a machine learning engineer to join our inference team. \
You will build and operate the systems that serve our largest models to millions of users, \
work closely with researchers on new architectures, profile GPU kernels, and make training and \
serving faster and cheaper. You have shipped production ML systems, know PyTorch well, and enjoy \
debugging distributed systems. Benefits include equity, health insurance and a learning budget.";

#[test]
fn sketches_see_a_truncated_or_wrapped_copy_as_contained() {
    let full = sketch(TEXT);
    let cut = sketch(&TEXT[..TEXT.len() * 2 / 3]);
    let wrapped = sketch(&format!(
        "Apply now via our partner board! {TEXT} Posted on RemoteBoard — mention us when applying."
    ));
    assert!(containment(&full, &cut).expect("long enough") > 0.9);
    assert!(containment(&full, &wrapped).expect("long enough") > 0.8);
    let other = sketch(
        "Our sales team is growing and we need an account executive who loves closing deals with \
         enterprise customers across Europe, building pipeline, running demos, negotiating \
         contracts and working with marketing on campaigns that bring in qualified leads every week.",
    );
    assert!(containment(&full, &other).expect("long enough") < 0.1);
    assert_eq!(containment(&full, &sketch("too short to say")), None);
    assert_eq!(sketch_from_bytes(&sketch_bytes(&full)), full);
}

#[test]
fn description_links_are_canonical_and_deduplicated() {
    let html = r#"<p>Apply at <a href="https://boards.greenhouse.io/acme/jobs/1?utm_source=x">here</a>
        or <a href="https://boards.greenhouse.io/acme/jobs/1">here</a>, see <a href="mailto:a@b.c">mail</a>
        and <a href="https://acme.com/?a=1&amp;b=2">site</a></p>"#;
    assert_eq!(
        description_links(html),
        vec![
            "https://boards.greenhouse.io/acme/jobs/1".to_string(),
            "https://acme.com/?a=1&b=2".to_string()
        ]
    );
}

// Found by the labelled set (fixtures/identity): RemoteOK's "SF Bay Area" for
// a job Greenhouse lists in "San Francisco, CA" shares no place word with it,
// so the two read as two cities and the listing stays apart.
#[test]
fn locations_compatible_across_spellings_of_one_city() {
    let a = places(&locs(&["SF Bay Area"]));
    let b = places(&locs(&["San Francisco, CA"]));
    assert!(locations_compatible(&a, &b));
}

// Found by the labelled set: Remotive's "Senior Front End Engineer" for the
// ATS's "Senior Frontend Engineer".
#[test]
fn title_keys_equate_split_and_joined_compounds() {
    assert_eq!(
        title_key("Senior Front End Engineer", &[]),
        title_key("Senior Frontend Engineer", &[])
    );
}

proptest::proptest! {
    #[test]
    fn smallest_distinct_is_the_sorted_deduplicated_head(
        // Few distinct values among many: the picked head may repeat itself.
        v in proptest::collection::vec(0u32..300, 0..2_000),
        k in 1usize..100,
    ) {
        let mut naive = v.clone();
        naive.sort_unstable();
        naive.dedup();
        naive.truncate(k);
        proptest::prop_assert_eq!(smallest_distinct(v, k), naive);
    }
}

/// The sketch as first written (a string of chars, a list of word hashes):
/// stored sketches were made this way, so the byte-wise one must agree.
fn sketch_by_chars(text: &str) -> Vec<u32> {
    let mut words: Vec<u64> = Vec::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut in_word = false;
    let step = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &b in l.encode_utf8(&mut buf).as_bytes() {
                    h = step(h, b);
                }
            }
            in_word = true;
        } else if in_word {
            words.push(h);
            h = 0xcbf2_9ce4_8422_2325;
            in_word = false;
        }
    }
    let grams: Vec<u32> = words
        .windows(3)
        .map(|w| {
            let m = w[0]
                .rotate_left(21)
                .wrapping_mul(0x0000_0100_0000_01b3)
                .wrapping_add(w[1].rotate_left(42))
                .wrapping_mul(0x0000_0100_0000_01b3)
                .wrapping_add(w[2]);
            ((m ^ (m >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as u32
        })
        .collect();
    super::sketch::smallest_distinct(grams, SKETCH_SIZE)
}

#[test]
fn sketches_hash_words_as_stored_sketches_did() {
    let texts = [
        TEXT.to_string(),
        String::new(),
        "one two".into(),
        "one two three".into(),
        "  Ünïcödé İstanbul ΣΊΣΥΦΟΣ straße — naïve café, 東京 の エンジニア; x86_64 C++ 3.5M€ "
            .repeat(9),
        "tabs\tand\nnewlines\r\nand\u{a0}no-break spaces, ß and ǅ and ﬁ ligatures".repeat(12),
        format!("{TEXT} {}", "é".repeat(70)),
    ];
    for text in &texts {
        assert_eq!(sketch(text), sketch_by_chars(text), "{text:?}");
    }
}

#[test]
fn places_are_stored_as_cities_hash_regions_and_read_back() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "#"),
        (&["Remote"], "#"),
        (
            &["San Francisco, CA", "Berlin, Germany"],
            "berlin|san francisco#ca|germany",
        ),
        (&["Paris"], "paris#"),
    ];
    for (l, stored) in cases {
        let p = places(&locs(l));
        assert_eq!(p.to_text(), *stored, "{l:?}");
        assert_eq!(Places::from_text(stored), p, "{l:?}");
    }
}
