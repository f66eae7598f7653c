//! Reading the TOML into [`RawConfig`] while collecting every structural
//! problem (unknown key, wrong type) with its key path, instead of stopping
//! at the first.
//!
//! serde reports one error and gives up, so each offending key is taken out
//! of the text (overwritten with spaces, so that every byte offset and line
//! stays where it was) and the rest is read again; the semantic checks then
//! run once over what is left. A file with N such problems is read N+1 times,
//! and N is bounded by the number of keys in it.

use std::ops::Range;

use super::error::line_of_offset;
use super::raw::RawConfig;

/// A structural problem: key path (empty when none could be found), line, message.
pub(super) type Found = (String, Option<usize>, String);

/// What is usable of the file, and every structural problem in it. `Err`
/// when the text is not TOML at all (a syntax error leaves nothing to read).
pub(super) fn read(text: &str) -> Result<(RawConfig, Vec<Found>), Found> {
    let doc = match toml_edit::Document::parse(text.to_string()) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e.span().map(|s| line_of_offset(text, s.start));
            return Err((String::new(), line, e.message().trim().to_string()));
        }
    };
    let mut keys = Vec::new();
    collect(doc.as_item(), String::new(), None, &mut keys);
    let mut masked = text.as_bytes().to_vec();
    let mut found = Vec::new();
    // Each round removes one key, so there are at most as many rounds as keys.
    for _ in 0..=keys.len() {
        let current = String::from_utf8_lossy(&masked).into_owned();
        let e = match toml::from_str::<RawConfig>(&current) {
            Ok(raw) => return Ok((raw, found)),
            Err(e) => e,
        };
        let message = e.message().trim().to_string();
        let at = e.span().map(|s| s.start);
        let line = at.map(|o| line_of_offset(text, o));
        // The innermost key whose text holds the error's position.
        let key = at.and_then(|o| {
            keys.iter()
                .filter(|k| k.whole.contains(&o) && !k.removed)
                .max_by_key(|k| k.depth)
                .map(|k| k.path.clone())
        });
        let Some(path) = key else {
            found.push((String::new(), line, message));
            return Ok((RawConfig::default(), found));
        };
        for k in keys.iter_mut().filter(|k| is_within(&k.path, &path)) {
            k.removed = true;
            for r in &k.blank {
                blank(&mut masked, r.clone());
            }
        }
        found.push((path, line, message));
    }
    found.push((String::new(), None, "too many problems to list".into()));
    Ok((RawConfig::default(), found))
}

/// Whether `path` is `outer` or lies inside it.
pub(super) fn is_within(path: &str, outer: &str) -> bool {
    path == outer
        || path
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// One key of the document: its path, the text it spans, and what to blank to remove it.
struct Key {
    path: String,
    depth: usize,
    whole: Range<usize>,
    blank: Vec<Range<usize>>,
    removed: bool,
}

fn collect(item: &toml_edit::Item, path: String, key: Option<Range<usize>>, out: &mut Vec<Key>) {
    let depth = path.matches(['.', '[']).count();
    match item {
        toml_edit::Item::Table(t) => {
            // A `[header]`: the header, then its keys (collected as children).
            let mut blank: Vec<Range<usize>> = t.span().into_iter().collect();
            blank.extend(key.clone());
            if !path.is_empty() {
                let whole = span_of(&blank);
                out.push(Key {
                    path: path.clone(),
                    depth,
                    whole,
                    blank,
                    removed: false,
                });
            }
            children(t, &path, out);
        }
        toml_edit::Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                collect(
                    &toml_edit::Item::Table(t.clone()),
                    format!("{path}[{i}]"),
                    None,
                    out,
                );
            }
        }
        toml_edit::Item::Value(v) => {
            // `key = value` as one stretch of text, `=` included.
            let mut ends: Vec<Range<usize>> = v.span().into_iter().collect();
            ends.extend(key);
            let whole = span_of(&ends);
            out.push(Key {
                path: path.clone(),
                depth,
                whole: whole.clone(),
                blank: vec![whole.clone()],
                removed: false,
            });
            if let Some(t) = v.as_inline_table() {
                let first = out.len();
                for (k, v) in t.iter() {
                    let key = t.key(k).and_then(|k| k.span());
                    let item = toml_edit::Item::Value(v.clone());
                    collect(&item, join(&path, k), key, out);
                }
                // Blanking one key of `{ a = 1, b = 2 }` would leave a stray
                // comma: a problem inside an inline table takes out all of it.
                for k in &mut out[first..] {
                    k.blank = vec![whole.clone()];
                }
            }
        }
        toml_edit::Item::None => {}
    }
}

fn children(t: &toml_edit::Table, path: &str, out: &mut Vec<Key>) {
    for (k, item) in t.iter() {
        let key = t.key(k).and_then(|k| k.span());
        collect(item, join(path, k), key, out);
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The smallest range holding all of `ranges`.
fn span_of(ranges: &[Range<usize>]) -> Range<usize> {
    let start = ranges.iter().map(|r| r.start).min().unwrap_or(0);
    let end = ranges.iter().map(|r| r.end).max().unwrap_or(0);
    start..end
}

/// Overwrites `range` with spaces, keeping line breaks (so lines stay put).
/// Only whole keys and values are blanked, so no character is cut in two.
fn blank(text: &mut [u8], range: Range<usize>) {
    let end = range.end.min(text.len());
    for b in text
        .get_mut(range.start.min(end)..end)
        .into_iter()
        .flatten()
    {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_wrong_types_are_all_found_with_paths() {
        let text = "[database]\npath = 5\n\n[http]\nbogus = 1\nconcurrency = \"x\"\n\n\
                    [[source]]\nname = \"a\"\nkind = \"feed\"\n\n[[source]]\nname = \"b\"\n\
                    max_pages = \"ten\"\nnope = true\n\n[extra]\nx = 1\n";
        let (raw, mut found) = read(text).expect("toml");
        found.sort_by_key(|f| f.1);
        let got: Vec<(&str, Option<usize>)> =
            found.iter().map(|(p, l, _)| (p.as_str(), *l)).collect();
        assert_eq!(
            got,
            [
                ("database.path", Some(2)),
                ("http.bogus", Some(5)),
                ("http.concurrency", Some(6)),
                ("source[1].max_pages", Some(14)),
                ("source[1].nope", Some(15)),
                ("extra", Some(17)),
            ],
            "{found:#?}"
        );
        assert!(found[1].2.contains("unknown field `bogus`"), "{found:?}");
        assert!(found[2].2.contains("invalid type"), "{found:?}");
        assert_eq!(raw.sources.len(), 2, "the rest is still read");
        assert_eq!(raw.sources[1].name.as_deref(), Some("b"));
    }

    #[test]
    fn a_syntax_error_stops_with_its_line() {
        let err = read("[http]\ntimeout = \n").expect_err("not toml");
        assert_eq!(err.1, Some(2), "{err:?}");
    }
}
