//! Query text → lexemes, each with the char offset it starts at.
//!
//! Input: the query string. Output: words, phrases, fields, parentheses and
//! operators, or the first [`QueryError`] found (unterminated quote, unknown
//! field, a field or `-` not directly followed by a term, a filter's bad
//! value). Operators are recognised only in upper case, so `or` stays a word.
//! Typed filters (`salary>=150k`, `state:saved`) are read whole here, since
//! only here is the position of their value known.

use super::Field;
use super::error::QueryError;
use super::filter::{COLONED, COMPARED, Cmp, Filter};

/// What a lexeme is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A bare word; `prefix` when it ended in `*` (stripped from `text`).
    Word {
        text: String,
        prefix: bool,
    },
    /// A quoted phrase's content; `prefix` when `*` directly followed it.
    Phrase {
        text: String,
        prefix: bool,
    },
    /// `name:` directly before a term or group.
    Field(Field),
    /// A typed filter, read whole.
    Filter(Filter),
    LParen,
    RParen,
    And,
    Or,
    /// `NOT` or a leading `-`; the flag says which, for messages.
    Not {
        minus: bool,
    },
}

/// A lexeme and its 0-based char offset in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexeme {
    pub(crate) tok: Tok,
    pub(crate) pos: usize,
}

/// Splits `input` into lexemes.
pub(crate) fn lex(input: &str) -> Result<Vec<Lexeme>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            let tok = if c == '(' { Tok::LParen } else { Tok::RParen };
            out.push(Lexeme { tok, pos: i });
            i += 1;
        } else if c == '"' {
            i = lex_phrase(input, &chars, i, &mut out)?;
        } else {
            let end = (i..chars.len())
                .find(|&j| is_delimiter(chars[j]))
                .unwrap_or(chars.len());
            lex_run(input, &chars, i, end, &mut out)?;
            i = end;
        }
    }
    Ok(out)
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// Lexes the phrase whose opening quote is at `open`; returns the offset after it.
fn lex_phrase(
    input: &str,
    chars: &[char],
    open: usize,
    out: &mut Vec<Lexeme>,
) -> Result<usize, QueryError> {
    let close = (open + 1..chars.len())
        .find(|&j| chars[j] == '"')
        .ok_or_else(|| QueryError::new(input, open, "unterminated quote"))?;
    let text: String = chars[open + 1..close].iter().collect();
    let prefix = chars.get(close + 1) == Some(&'*');
    out.push(Lexeme {
        tok: Tok::Phrase { text, prefix },
        pos: open,
    });
    Ok(close + 1 + usize::from(prefix))
}

/// Lexes the run `chars[start..end]` of non-delimiter chars.
fn lex_run(
    input: &str,
    chars: &[char],
    start: usize,
    end: usize,
    out: &mut Vec<Lexeme>,
) -> Result<(), QueryError> {
    let run = &chars[start..end];
    let push = |out: &mut Vec<Lexeme>, tok| out.push(Lexeme { tok, pos: start });
    let keyword = match run.iter().collect::<String>().as_str() {
        "AND" => Some(Tok::And),
        "OR" => Some(Tok::Or),
        "NOT" => Some(Tok::Not { minus: false }),
        _ => None,
    };
    if let Some(tok) = keyword {
        push(out, tok);
        return Ok(());
    }
    if run[0] == '-' {
        if run.len() == 1 {
            // A lone `-` negates only a term or group right after it.
            if chars
                .get(end)
                .is_none_or(|c| c.is_whitespace() || *c == ')')
            {
                return Err(QueryError::new(
                    input,
                    start,
                    "expected a word, phrase or '(' right after '-'",
                ));
            }
            push(out, Tok::Not { minus: true });
            return Ok(());
        }
        // `--` is a word without letters (an error later), not a double negation.
        if run[1..].iter().any(|c| c.is_alphanumeric()) {
            push(out, Tok::Not { minus: true });
            return lex_run(input, chars, start + 1, end, out);
        }
    }
    if let Some(tok) = lex_filter(input, run, start)? {
        push(out, tok);
        return Ok(());
    }
    if let Some(colon) = run.iter().position(|&c| c == ':')
        && colon > 0
        && run[..colon].iter().all(|c| c.is_ascii_alphabetic())
    {
        let name: String = run[..colon].iter().collect();
        let field = Field::parse(&name).ok_or_else(|| {
            QueryError::new(
                input,
                start,
                format!(
                    "unknown field '{name}:' (fields: title, company, location, text, source; \
                     filters: salary, posted, workplace, type, state)"
                ),
            )
        })?;
        push(out, Tok::Field(field));
        let after = start + colon + 1;
        if after < end {
            return lex_run(input, chars, after, end, out);
        }
        if !matches!(chars.get(after), Some('(' | '"')) {
            return Err(QueryError::new(
                input,
                after,
                format!(
                    "expected a word, phrase or '(' right after '{}:'",
                    field.as_str()
                ),
            ));
        }
        return Ok(());
    }
    let (text, prefix) = match run.split_last() {
        Some(('*', stem)) => (stem.iter().collect(), true),
        _ => (run.iter().collect(), false),
    };
    push(out, Tok::Word { text, prefix });
    Ok(())
}

/// Reads `run` (starting at char offset `start`) as a typed filter:
/// `salary>=150k`, `posted<7d`, `workplace:remote`, `type:contract`,
/// `state:saved`. `None` when it is not one (`salary` alone is a word).
fn lex_filter(input: &str, run: &[char], start: usize) -> Result<Option<Tok>, QueryError> {
    let n = run.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if n == 0 || n == run.len() {
        return Ok(None);
    }
    let name = run[..n].iter().collect::<String>().to_ascii_lowercase();
    let rest = &run[n..];
    let (cmp, skip) = if COMPARED.contains(&name.as_str()) {
        match Cmp::read(rest) {
            Some((cmp, len)) => (Some(cmp), len),
            None if matches!(rest[0], ':' | '=') => {
                let example = if name == "salary" {
                    "salary>=150k"
                } else {
                    "posted<7d"
                };
                return Err(QueryError::new(
                    input,
                    start + n,
                    format!("'{name}' takes a comparison: <, <=, > or >= (as in {example})"),
                ));
            }
            None => return Ok(None),
        }
    } else if COLONED.contains(&name.as_str()) && rest[0] == ':' {
        (None, 1)
    } else {
        return Ok(None);
    };
    let pos = start + n + skip;
    let value: String = run[n + skip..].iter().collect();
    if value.is_empty() {
        let written: String = run[..n + skip].iter().collect();
        return Err(QueryError::new(
            input,
            pos,
            format!("expected a value right after '{written}'"),
        ));
    }
    Filter::parse(input, &name, cmp, &value, pos).map(|f| Some(Tok::Filter(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(input: &str) -> String {
        let lexemes = lex(input).map_err(|e| e.to_string()).unwrap_or_else(|e| {
            panic!("lex({input:?}) failed: {e}");
        });
        let parts: Vec<String> = lexemes
            .iter()
            .map(|l| {
                let t = match &l.tok {
                    Tok::Word { text, prefix } => format!("w{text}{}", star(*prefix)),
                    Tok::Phrase { text, prefix } => format!("p\"{text}\"{}", star(*prefix)),
                    Tok::Field(f) => format!("{}:", f.as_str()),
                    Tok::Filter(f) => format!("[{f}]"),
                    Tok::LParen => "(".into(),
                    Tok::RParen => ")".into(),
                    Tok::And => "AND".into(),
                    Tok::Or => "OR".into(),
                    Tok::Not { minus: true } => "-".into(),
                    Tok::Not { minus: false } => "NOT".into(),
                };
                format!("{t}@{}", l.pos)
            })
            .collect();
        parts.join(" ")
    }

    fn star(prefix: bool) -> &'static str {
        if prefix { "*" } else { "" }
    }

    #[test]
    fn lexes_words_phrases_fields_and_operators() {
        let cases = [
            ("rust", "wrust@0"),
            ("a or b", "wa@0 wor@2 wb@5"),
            ("a OR b AND NOT c", "wa@0 OR@2 wb@5 AND@7 NOT@11 wc@15"),
            ("-senior", "-@0 wsenior@1"),
            ("-\"team lead\"", "-@0 p\"team lead\"@1"),
            ("-(a)", "-@0 (@1 wa@2 )@3"),
            ("learn*", "wlearn*@0"),
            ("\"machine learn\"*", "p\"machine learn\"*@0"),
            ("title:ML", "title:@0 wML@6"),
            ("Title:(x)", "title:@0 (@6 wx@7 )@8"),
            ("title:\"deep learning\"", "title:@0 p\"deep learning\"@6"),
            ("title:-senior", "title:@0 -@6 wsenior@7"),
            ("source:wwr-programming", "source:@0 wwwr-programming@7"),
            ("source:hn*", "source:@0 whn*@7"),
            ("node.js e-commerce", "wnode.js@0 we-commerce@8"),
            ("12:30", "w12:30@0"),
            ("--", "w--@0"),
            ("C++ C#", "wC++@0 wC#@4"),
            ("a\"b\"c", "wa@0 p\"b\"@1 wc@4"),
            ("salary>=150k", "[salary>=150000]@0"),
            ("Salary<90000 x", "[salary<90000]@0 wx@13"),
            ("-state:dismissed", "-@0 [state:dismissed]@1"),
            ("(workplace:ONSITE)", "(@0 [workplace:on-site]@1 )@17"),
            (
                "type:internship posted>30d",
                "[type:internship]@0 [posted>2592000s]@16",
            ),
            ("salary posted", "wsalary@0 wposted@7"),
        ];
        for (input, want) in cases {
            assert_eq!(show(input), want, "lex({input:?})");
        }
    }

    #[test]
    fn lex_errors_point_at_the_offending_char() {
        let cases = [
            ("\"open", 0, "unterminated quote"),
            ("a \"b\" \"c", 6, "unterminated quote"),
            ("foo:bar", 0, "unknown field 'foo:'"),
            ("a FOO:bar", 2, "unknown field 'FOO:'"),
            ("title:", 6, "right after 'title:'"),
            ("title: ML", 6, "right after 'title:'"),
            ("(title:)", 7, "right after 'title:'"),
            ("a -", 2, "right after '-'"),
            ("a - b", 2, "right after '-'"),
            (
                "rust workplace:remot",
                15,
                "unknown workplace 'remot': expected remote, hybrid or on-site",
            ),
            ("salary<>", 7, "'>' is not a salary"),
            ("salary>=lots", 8, "'lots' is not a salary"),
            ("salary>=1.5k", 8, "'1.5k' is not a salary"),
            ("salary:150k", 6, "'salary' takes a comparison"),
            ("posted=7d", 6, "'posted' takes a comparison"),
            ("posted<7", 7, "posted: `7` has no unit"),
            ("posted<7x", 7, "posted:"),
            ("type:boss", 5, "unknown type 'boss'"),
            ("state:gone", 6, "unknown state 'gone'"),
            (
                "workplace:",
                10,
                "expected a value right after 'workplace:'",
            ),
            (
                "workplace:(remote)",
                10,
                "expected a value right after 'workplace:'",
            ),
            ("salary>=", 8, "expected a value right after 'salary>='"),
        ];
        for (input, pos, msg) in cases {
            let err = lex(input).expect_err(input);
            assert_eq!(err.position, pos, "{input:?}: {err}");
            assert!(err.message.contains(msg), "{input:?}: {err}");
        }
    }
}
