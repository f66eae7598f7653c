//! Config errors: every problem found, each with its TOML key path and line.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// One thing wrong with the config, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The TOML key path, e.g. `source[2].schedule` (empty for file-level problems).
    pub path: String,
    /// The 1-based line in the file, when it could be located.
    pub line: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
}

/// A config that cannot be used: the file and every problem in it.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ConfigError {
    /// The file that was read.
    pub file: PathBuf,
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
}

impl ConfigError {
    /// A config error with a single file-level problem (unreadable, not found).
    pub fn file(file: PathBuf, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file,
            problems: vec![Problem {
                path: String::new(),
                line: None,
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{}: {n} problem{} in the config",
            self.file.display(),
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "  {}", self.file.display())?;
            if let Some(line) = p.line {
                write!(f, ":{line}")?;
            }
            if p.path.is_empty() {
                writeln!(f, ": {}", p.message)?;
            } else {
                writeln!(f, ": {}: {}", p.path, p.message)?;
            }
        }
        Ok(())
    }
}

/// The 1-based line of a byte offset in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Finds the line of a key path (`source[2].schedule`, `http.timeout`) in the
/// document, falling back to the nearest enclosing item that can be located.
pub fn line_of_path(text: &str, doc: &toml_edit::Document<String>, path: &str) -> Option<usize> {
    let mut item = doc.as_item();
    let mut best: Option<Range<usize>> = None;
    for segment in path_segments(path) {
        let next = match segment {
            Segment::Key(k) => {
                let key_span = item
                    .as_table_like()
                    .and_then(|t| t.key(k))
                    .and_then(|key| key.span());
                best = key_span.or(best);
                item.get(k)
            }
            Segment::Index(i) => {
                let next = item.get(i);
                best = next.and_then(|n| n.span()).or(best);
                next
            }
        };
        match next {
            Some(next) => item = next,
            None => break,
        }
    }
    best.map(|span| line_of_offset(text, span.start))
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for idx in indexes.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"[database]
path = "x.db"

[[source]]
name = "a"
kind = "feed"

[[source]]
name = "b"
kind = "feed"
schedule = "nope"
headers = { Authorization = "x" }
"#;

    #[test]
    fn key_paths_resolve_to_their_line() {
        let doc = toml_edit::Document::parse(DOC.to_string()).expect("valid toml");
        let cases: &[(&str, Option<usize>)] = &[
            ("database.path", Some(2)),
            ("source[0].name", Some(5)),
            ("source[1].schedule", Some(11)),
            ("source[1].headers.Authorization", Some(12)),
            ("source[1].missing", Some(8)),
            ("source[1]", Some(8)),
        ];
        for (path, want) in cases {
            assert_eq!(line_of_path(DOC, &doc, path), *want, "{path}");
        }
    }

    #[test]
    fn errors_list_every_problem_with_file_and_line() {
        let err = ConfigError {
            file: "j.toml".into(),
            problems: vec![
                Problem {
                    path: "source[1].schedule".into(),
                    line: Some(11),
                    message: "bad".into(),
                },
                Problem {
                    path: String::new(),
                    line: None,
                    message: "whole file".into(),
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "j.toml: 2 problems in the config\n  j.toml:11: source[1].schedule: bad\n  j.toml: whole file\n"
        );
    }
}
