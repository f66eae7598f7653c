//! The text tokenizer shared by documents and query terms, so the two agree.
//!
//! Input: any text. Output: its tokens in order. A token is a maximal run of
//! alphanumeric characters, lower-cased and diacritic-folded (see
//! [`super::fold`]), plus a run of `+`/`#` right after a token that starts with
//! a letter when a non-alphanumeric character or the end follows: `C++` →
//! `c++`, `F#,` → `f#`, but `ML+AI` → `ml`, `ai`.
//!
//! The FTS prefilter relies on SQLite's `unicode61` tokenizer never joining
//! what we split. It does join in one case: characters newer than its Unicode
//! tables (emoji such as 🤖 or 🥇, new scripts) and private-use characters are
//! word characters to SQLite, so `🤖AI` is one FTS token `🤖ai` while we see
//! `ai`. A posting like that can be missed by an FTS-narrowed search (alerts
//! do not use FTS). Everywhere else a test holds the two tokenizers together.

use super::fold::{fold, is_combining_diacritic};

/// Whether `c` can be part of a token. U+0345 is alphabetic to Rust but a
/// separator to SQLite, which would fold it to `ι`: keeping it would make
/// `aͅb` and `aιb` one token for us and two different things for FTS.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() && c != '\u{345}'
}

/// Calls `emit` with each token of `text`, in order.
///
/// Tokens that are already lower-case ASCII are handed out as slices of
/// `text`; only the others are copied (folded) into a scratch buffer.
pub(crate) fn tokenize(text: &str, mut emit: impl FnMut(&str)) {
    // One scratch buffer per thread: a posting's fields are tokenized one
    // after another, and most of them copy a capitalized word or two.
    // Taken, not borrowed, so an `emit` that tokenizes too gets its own.
    let mut buf = SCRATCH.take();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                i = match ascii_token(text, i, &mut buf) {
                    Some((end, token)) => {
                        emit(token.unwrap_or(&text[i..end]));
                        end
                    }
                    None => token_at(text, i, &mut buf, &mut emit),
                };
            } else {
                i += 1;
            }
        } else {
            let c = char_at(text, i);
            if is_token_char(c) {
                i = token_at(text, i, &mut buf, &mut emit);
            } else {
                i += c.len_utf8();
            }
        }
    }
    buf.clear();
    SCRATCH.set(buf);
}

thread_local! {
    static SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The byte classes of [`ascii_token`]: ASCII letters and digits, and
/// whether a byte is upper-case.
const WORD: u8 = 1;
const UPPER: u8 = 2;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = WORD;
        }
        if c.is_ascii_uppercase() {
            t[b] |= UPPER;
        }
        b += 1;
    }
    t
};

/// The common token, read without [`token_at`]'s per-char cases: a run of
/// ASCII letters and digits from `start` that ends the text or meets an
/// ASCII byte that is neither a letter, a digit, `+` nor `#`. Returns its
/// end and, when it had upper-case letters, its lower-cased copy in `buf`
/// (else the token is `text[start..end]`). `None`: any other token, for
/// [`token_at`].
fn ascii_token<'b>(
    text: &str,
    start: usize,
    buf: &'b mut String,
) -> Option<(usize, Option<&'b str>)> {
    let bytes = text.as_bytes();
    let mut classes = 0;
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        let class = ASCII_CLASS[usize::from(b)];
        if class == 0 {
            break;
        }
        classes |= class;
        end += 1;
    }
    if bytes
        .get(end)
        .is_some_and(|&b| b >= 0x80 || b == b'+' || b == b'#')
    {
        return None;
    }
    if classes & UPPER == 0 {
        return Some((end, None));
    }
    buf.clear();
    buf.push_str(&text[start..end]);
    buf.make_ascii_lowercase();
    Some((end, Some(buf.as_str())))
}

/// Calls `emit` with each token of `text` and the byte range it spans, in
/// order: the same tokens as [`tokenize`], for showing where they occur.
pub(crate) fn tokenize_spans(text: &str, mut emit: impl FnMut(std::ops::Range<usize>, &str)) {
    let bytes = text.as_bytes();
    let (mut buf, mut token) = (String::new(), String::new());
    let mut i = 0;
    while i < bytes.len() {
        let c = char_at(text, i);
        if is_token_char(c) {
            let end = token_at(text, i, &mut buf, &mut |t: &str| {
                token.clear();
                token.push_str(t);
            });
            emit(i..end, &token);
            i = end;
        } else {
            i += c.len_utf8();
        }
    }
}

/// The tokens of `text`, collected (for query terms; documents use [`tokenize`]).
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, |t| out.push(t.to_owned()));
    out
}

/// Reads the token starting at byte `start` (an alphanumeric char), emits it
/// and returns the byte offset after it.
fn token_at(text: &str, start: usize, buf: &mut String, emit: &mut impl FnMut(&str)) -> usize {
    let bytes = text.as_bytes();
    let first_is_letter = char_at(text, start).is_alphabetic();
    // `copied` flips on at the first char that folds to something else; until
    // then the token is the slice `text[start..i]`.
    let mut copied = false;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_lowercase() || b.is_ascii_digit() {
                if copied {
                    buf.push(char::from(b));
                }
            } else if b.is_ascii_uppercase() {
                if !copied {
                    start_copy(buf, &text[start..i], &mut copied);
                }
                buf.push(char::from(b.to_ascii_lowercase()));
            } else {
                break;
            }
            i += 1;
        } else {
            let c = char_at(text, i);
            if !is_token_char(c) && !is_combining_diacritic(c) {
                break;
            }
            if !copied {
                start_copy(buf, &text[start..i], &mut copied);
            }
            if let Some(f) = fold(c) {
                buf.push(f);
            }
            i += c.len_utf8();
        }
    }
    if first_is_letter {
        let end = suffix_end(text, i);
        if copied {
            buf.push_str(&text[i..end]);
        }
        i = end;
    }
    emit(if copied { buf } else { &text[start..i] });
    i
}

fn start_copy(buf: &mut String, prefix: &str, copied: &mut bool) {
    buf.clear();
    // Room for a whole word at once, not 8 bytes, then 16, then 32.
    buf.reserve(prefix.len() + 24);
    buf.push_str(prefix);
    *copied = true;
}

/// Where a `+`/`#` suffix starting at byte `i` ends: past the run when a
/// non-alphanumeric char or the end follows it, else `i` (no suffix).
fn suffix_end(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = i;
    while j < bytes.len() && matches!(bytes[j], b'+' | b'#') {
        j += 1;
    }
    if j == i || (j < bytes.len() && is_token_char(char_at(text, j))) {
        i
    } else {
        j
    }
}

/// The char starting at byte `i` of `text` (a char boundary).
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_index_marks_are_never_part_of_a_token() {
        use crate::store::{COMPANY_MARK, LOCATION_MARK, TITLE_MARK};
        let text = format!("x{TITLE_MARK}rust {COMPANY_MARK}acme {LOCATION_MARK}");
        let mut got = Vec::new();
        tokenize(&text, |t| got.push(t.to_string()));
        assert_eq!(got, ["x", "rust", "acme"]);
    }

    #[test]
    fn splits_text_into_folded_tokens() {
        let cases: &[(&str, &[&str])] = &[
            ("Machine Learning", &["machine", "learning"]),
            ("Machine-Learning", &["machine", "learning"]),
            ("machine\nlearning", &["machine", "learning"]),
            ("HTML5 and ML", &["html5", "and", "ml"]),
            ("node.js, e-commerce", &["node", "js", "e", "commerce"]),
            ("pytorch/jax", &["pytorch", "jax"]),
            ("Café Zürich", &["cafe", "zurich"]),
            ("cafe\u{301}s", &["cafes"]),
            ("Ærøskøbing", &["ærøskøbing"]),
            ("Москва", &["москва"]),
            ("東京 office", &["東京", "office"]),
            ("", &[]),
            ("-- / --", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(tokens(text), *want, "tokens({text:?})");
        }
    }

    #[test]
    fn plus_and_hash_suffix_only_ends_a_letter_token() {
        let cases: &[(&str, &[&str])] = &[
            ("C++", &["c++"]),
            ("C++ developer", &["c++", "developer"]),
            ("C#", &["c#"]),
            ("F#, OCaml", &["f#", "ocaml"]),
            ("ML+AI", &["ml", "ai"]),
            ("c++11", &["c", "11"]),
            ("1+1", &["1", "1"]),
            ("42+", &["42"]),
            ("C#.NET", &["c#", "net"]),
            ("a+#b", &["a", "b"]),
            ("Ç++", &["c++"]),
            ("x+é", &["x", "e"]),
        ];
        for (text, want) in cases {
            assert_eq!(tokens(text), *want, "tokens({text:?})");
        }
    }

    /// The general reader alone, char by char: what [`tokenize`] did before
    /// its ASCII shortcut, and must still do.
    fn tokens_char_by_char(text: &str) -> Vec<String> {
        let (mut out, mut buf) = (Vec::new(), String::new());
        let mut emit = |t: &str| out.push(t.to_owned());
        let mut i = 0;
        while i < text.len() {
            let c = char_at(text, i);
            if is_token_char(c) {
                i = token_at(text, i, &mut buf, &mut emit);
            } else {
                i += c.len_utf8();
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_shortcut_reads_what_the_general_reader_does(
            text in "[a-zA-Z0-9+# .,/()\\-]{0,40}|[a-zA-Z0-9+#éÉßİ\u{301}\u{345}東 .-]{0,40}"
        ) {
            proptest::prop_assert_eq!(tokens(&text), tokens_char_by_char(&text));
        }
    }

    #[test]
    fn the_ascii_shortcut_leaves_suffixes_and_non_ascii_to_the_general_reader() {
        let cases: &[(&str, &[&str])] = &[
            ("Rust, PyTorch and JAX.", &["rust", "pytorch", "and", "jax"]),
            ("C++ C# F#1 ML+AI", &["c++", "c#", "f", "1", "ml", "ai"]),
            ("Zürich CAFÉ cafe\u{301}", &["zurich", "cafe", "cafe"]),
            ("end42", &["end42"]),
            ("GPU", &["gpu"]),
        ];
        for (text, want) in cases {
            assert_eq!(tokens(text), *want, "tokens({text:?})");
            assert_eq!(tokens(text), tokens_char_by_char(text), "{text:?}");
        }
    }

    #[test]
    fn lower_case_ascii_tokens_are_not_copied() {
        let text = "rust engineer";
        let mut borrowed = 0;
        tokenize(text, |t| {
            let inside = text.as_bytes().as_ptr_range();
            if inside.contains(&t.as_ptr()) {
                borrowed += 1;
            }
        });
        assert_eq!(borrowed, 2);
    }

    /// Every letter and digit up to U+20000 tokenizes as SQLite's `unicode61
    /// remove_diacritics 2` does, or (for marks SQLite splits at) stays inside
    /// one token, never folded onto a char SQLite keeps in tokens.
    #[test]
    fn tokens_agree_with_sqlite_unicode61() {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2');
             CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);",
        )
        .expect("tables");
        let chars: Vec<char> = ('\u{80}'..'\u{20000}')
            .filter(|c| c.is_alphanumeric())
            .collect();
        let tx = conn.unchecked_transaction().expect("tx");
        for &c in &chars {
            tx.execute(
                "INSERT INTO t (rowid, x) VALUES (?1, ?2)",
                rusqlite::params![u32::from(c), format!("a{c}b")],
            )
            .expect("insert");
        }
        tx.commit().expect("commit");
        let mut sqlite: std::collections::HashMap<u32, Vec<(i64, String)>> = Default::default();
        let mut stmt = conn
            .prepare("SELECT doc, offset, term FROM v")
            .expect("vocab");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get(1)?, r.get(2)?)))
            .expect("query");
        for row in rows {
            let (doc, offset, term) = row.expect("row");
            sqlite.entry(doc).or_default().push((offset, term));
        }
        let theirs = |c: char| {
            let mut terms = sqlite.get(&u32::from(c)).cloned().unwrap_or_default();
            terms.sort();
            terms.into_iter().map(|(_, t)| t).collect::<Vec<String>>()
        };
        let mut wrong = Vec::new();
        for c in chars {
            let ours = tokens(&format!("a{c}b"));
            // Where SQLite splits, we may keep the char inside the token, but
            // only folded onto a char SQLite splits at as well.
            let kept_whole = theirs(c) == ["a", "b"]
                && fold(c).is_some_and(|f| ours == [format!("a{f}b")] && theirs(f) == ["a", "b"]);
            if ours != theirs(c) && !kept_whole {
                wrong.push(format!(
                    "U+{:04X}: ours {ours:?}, sqlite {:?}",
                    u32::from(c),
                    theirs(c)
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} disagree: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(20)]
        );
    }
}
