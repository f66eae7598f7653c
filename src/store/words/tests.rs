use std::collections::BTreeSet;

use rusqlite::Connection;

use super::*;

#[test]
fn varints_read_as_sqlite_writes_them() {
    let cases: [(&[u8], _); 6] = [
        (&[0x05], Some((5, 1))),
        (&[0x81, 0x00], Some((128, 2))),
        (&[0xff, 0x7f, 0x33], Some((16_383, 2))),
        (&[0xff; 9], Some((u64::MAX, 9))),
        (&[0x81], None),
        (&[], None),
    ];
    for (bytes, want) in cases {
        assert_eq!(varint(bytes), want, "{bytes:?}");
    }
}

#[test]
fn a_leaf_lists_its_terms_and_a_damaged_one_none() {
    // Header, "0abc" in full, a two-byte doclist, then "0abde" sharing 3
    // bytes; the offsets 4 and +7 at the end.
    let mut page = vec![0, 0, 0, 15, 4, b'0', b'a', b'b', b'c', 0x05, 0x00];
    page.extend_from_slice(&[3, 2, b'd', b'e', 4, 7]);
    assert_eq!(
        leaf_terms(&page),
        Some(vec![b"0abc".to_vec(), b"0abde".to_vec()])
    );
    // A leaf with no term (a document list running on) lists none.
    assert_eq!(leaf_terms(&[0, 4, 0, 6, 0x05, 0x00]), Some(vec![]));
    let mut past_the_end = page.clone();
    past_the_end[3] = 40;
    let mut shares_too_much = page.clone();
    shares_too_much[11] = 9;
    let mut runs_off = page.clone();
    runs_off[12] = 9;
    for (what, bad) in [
        ("content past the page", past_the_end),
        ("more shared bytes than the term before", shares_too_much),
        ("a term running off the content", runs_off),
        ("no header", vec![0, 0]),
    ] {
        assert_eq!(leaf_terms(&bad), None, "{what}");
    }
}

/// A contentless FTS5 table shaped like `postings_fts` (one column, no
/// column lists), with small pages so that document lists run over many
/// leaves and segments have many pages.
fn index() -> Connection {
    let conn = Connection::open_in_memory().expect("in-memory db");
    conn.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5(words, content = '', contentless_delete = 1,
             detail = none, tokenize = 'unicode61 remove_diacritics 2');
         INSERT INTO t (t, rank) VALUES ('pgsz', 128);
         INSERT INTO t (t, rank) VALUES ('automerge', 0);
         CREATE VIRTUAL TABLE v USING fts5vocab(t, row);",
    )
    .expect("fts5 table");
    conn
}

/// Document `i`: words from a few syllables (so prefixes have from none to
/// hundreds of words), one word in every document (a long document list)
/// and one word of its own.
fn document(rng: &mut fastrand::Rng, i: usize) -> (String, String) {
    const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "ren", "to", "ex", "é", "qui"];
    let mut word = || -> String {
        (0..1 + rng.usize(0..4))
            .map(|_| SYLLABLES[rng.usize(0..SYLLABLES.len())])
            .collect()
    };
    let title = format!("{} engineer", word());
    let text: Vec<String> = (0..12).map(|_| word()).collect();
    (title, format!("{} common own{i}", text.join(" ")))
}

fn insert(conn: &Connection, rng: &mut fastrand::Rng, rows: std::ops::Range<usize>) {
    let tx = conn.unchecked_transaction().expect("begin");
    for i in rows {
        let (title, text) = document(rng, i);
        let terms = crate::store::SearchTerms {
            title,
            text,
            ..Default::default()
        };
        tx.execute(
            "INSERT INTO t (rowid, words) VALUES (?1, ?2)",
            params![i as i64, terms.line()],
        )
        .expect("insert");
    }
    tx.commit().expect("commit");
}

/// The vocabulary table's words that start with `prefix`: every word a
/// live row holds.
fn vocabulary(conn: &Connection, prefix: &str) -> BTreeSet<String> {
    let mut stmt = conn.prepare("SELECT term FROM v").expect("vocab");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<Result<BTreeSet<_>, _>>())
        .expect("vocab rows")
        .into_iter()
        .filter(|w| w.starts_with(prefix))
        .collect()
}

fn prefixes(conn: &Connection) -> BTreeSet<String> {
    let mut all: BTreeSet<String> = vocabulary(conn, "")
        .into_iter()
        .flat_map(|w| {
            let chars: Vec<char> = w.chars().collect();
            (1..=chars.len().min(5))
                .map(|n| chars[..n].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    all.extend(["", "zz", "own1", "commo", "common", "commons"].map(String::from));
    all
}

fn listed(conn: &Connection, prefix: &str) -> BTreeSet<String> {
    words(conn, "t", prefix, usize::MAX)
        .expect("read the index")
        .unwrap_or_else(|| panic!("{prefix:?}: a page did not read"))
        .into_iter()
        .collect()
}

#[test]
fn lists_the_words_the_vocabulary_table_lists_across_segments_and_merges() {
    let conn = index();
    let mut rng = fastrand::Rng::with_seed(13);
    // Several commits, a segment each (no automatic merges).
    for batch in 0..9 {
        insert(&conn, &mut rng, batch * 150..(batch + 1) * 150);
    }
    let segments: i64 = conn
        .query_row("SELECT count(DISTINCT segid) FROM t_idx", [], |r| r.get(0))
        .expect("segments");
    assert!(segments > 1, "{segments} segment(s)");
    for prefix in prefixes(&conn) {
        assert_eq!(
            listed(&conn, &prefix),
            vocabulary(&conn, &prefix),
            "{prefix:?}"
        );
    }

    // Deleted rows, then merges stopped halfway (which cut the first pages
    // off their input segments), then more rows.
    let mut ever = vocabulary(&conn, "");
    conn.execute("DELETE FROM t WHERE rowid % 3 = 0", [])
        .expect("delete");
    for _ in 0..3 {
        conn.execute("INSERT INTO t (t, rank) VALUES ('merge', 5)", [])
            .expect("merge step");
    }
    insert(&conn, &mut rng, 2_000..2_300);
    // Segments whose first leaf is gone: merges did stop halfway.
    let trimmed: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT segid FROM t_idx) s
             WHERE (SELECT min(id) FROM t_data
                    WHERE id >= s.segid << 37 AND id < (s.segid << 37) + (1 << 31))
                   > (s.segid << 37) + 1",
            [],
            |r| r.get(0),
        )
        .expect("trimmed segments");
    assert!(trimmed > 0, "no merge stopped halfway");
    ever.extend(vocabulary(&conn, ""));
    for prefix in prefixes(&conn) {
        let got = listed(&conn, &prefix);
        let live = vocabulary(&conn, &prefix);
        assert!(
            got.is_superset(&live),
            "{prefix:?}: misses {:?}",
            live.difference(&got).collect::<Vec<_>>()
        );
        // Words of deleted rows only may stay listed; nothing else may.
        assert!(got.iter().all(|w| ever.contains(w)), "{prefix:?}: {got:?}");
    }

    // Everything merged into one segment: exactly the live words again.
    conn.execute("INSERT INTO t (t) VALUES ('optimize')", [])
        .expect("optimize");
    for prefix in prefixes(&conn) {
        assert_eq!(
            listed(&conn, &prefix),
            vocabulary(&conn, &prefix),
            "{prefix:?} after optimize"
        );
    }
}

#[test]
fn more_words_than_the_limit_list_none() {
    let conn = index();
    let mut rng = fastrand::Rng::with_seed(7);
    insert(&conn, &mut rng, 0..400);
    let all = vocabulary(&conn, "ka");
    assert!(all.len() > 20, "{} words", all.len());
    let max = all.len();
    assert_eq!(
        words(&conn, "t", "ka", max).expect("read").map(|w| w.len()),
        Some(max)
    );
    assert_eq!(words(&conn, "t", "ka", max - 1).expect("read"), None);
    assert_eq!(
        words(&conn, "t", "zzz", 0).expect("read"),
        Some(vec![]),
        "no word at all fits any limit"
    );
}
