//! Lexemes → query tree, by recursive descent.
//!
//! Input: the query string (lexed here). Output: the [`Node`] tree, or the
//! first [`QueryError`] with the char offset of what is wrong. Grammar:
//!
//! ```text
//! or    := and ("OR" and)*
//! and   := unary (["AND"] unary)*
//! unary := ("NOT" | "-") unary | field? primary
//! primary := word | phrase | filter | "(" or ")"
//! ```
//!
//! A field before a term or group applies to every term inside it (not to
//! the typed filters, which read their own fields).

use super::ast::{Node, SourcePattern, Term};
use super::error::QueryError;
use super::lexer::{Lexeme, Tok, lex};
use super::table::hash_token;
use super::{Field, TEXT_FIELDS, words};

/// The longest query accepted, in bytes: alerts are a line or two, and the
/// limit keeps hostile input from costing time or memory.
pub(crate) const MAX_LEN: usize = 4096;

/// How deeply groups, `NOT`s and fields may nest. The parser, the matcher and
/// every other walk over the tree recurse once per level, so this bounds their
/// stack use; no real query comes near it.
pub(crate) const MAX_DEPTH: usize = 64;

/// Parses `input` into a tree.
pub(crate) fn parse(input: &str) -> Result<Node, QueryError> {
    if input.len() > MAX_LEN {
        let mut cut = MAX_LEN;
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        let pos = input[..cut].chars().count();
        return Err(QueryError::new(
            input,
            pos,
            format!("query is longer than {MAX_LEN} bytes"),
        ));
    }
    let lexemes = lex(input)?;
    if lexemes.is_empty() {
        return Err(QueryError::new(input, 0, "empty query"));
    }
    let mut p = Parser {
        input,
        lexemes,
        i: 0,
        depth: 0,
    };
    let root = p.or(None, None)?;
    match p.peek() {
        None => Ok(root),
        // `or` stops only at the end or at a `)` it did not open.
        Some(l) => Err(p.error(l.pos, "unmatched ')'")),
    }
}

/// What an operand follows, to say so when it is missing: the operator's
/// text and position.
type After = Option<(&'static str, usize)>;

struct Parser<'a> {
    input: &'a str,
    lexemes: Vec<Lexeme>,
    i: usize,
    /// How many groups, `NOT`s and fields enclose the current position.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.i)
    }

    fn next(&mut self) -> Option<Lexeme> {
        let l = self.lexemes.get(self.i).cloned();
        self.i += 1;
        l
    }

    fn error(&self, pos: usize, message: impl Into<String>) -> QueryError {
        QueryError::new(self.input, pos, message)
    }

    fn or(&mut self, field: Option<Field>, after: After) -> Result<Node, QueryError> {
        let mut nodes = vec![self.and(field, after)?];
        while let Some(Lexeme { tok: Tok::Or, pos }) = self.peek() {
            let after = Some(("OR", *pos));
            self.i += 1;
            nodes.push(self.and(field, after)?);
        }
        Ok(join(nodes, true))
    }

    fn and(&mut self, field: Option<Field>, after: After) -> Result<Node, QueryError> {
        let mut nodes = vec![self.unary(field, after)?];
        loop {
            match self.peek().map(|l| (&l.tok, l.pos)) {
                Some((Tok::And, pos)) => {
                    let after = Some(("AND", pos));
                    self.i += 1;
                    nodes.push(self.unary(field, after)?);
                }
                Some((Tok::Or | Tok::RParen, _)) | None => break,
                Some(_) => nodes.push(self.unary(field, None)?),
            }
        }
        Ok(join(nodes, false))
    }

    fn unary(&mut self, field: Option<Field>, after: After) -> Result<Node, QueryError> {
        let Some(lexeme) = self.next() else {
            // Only reachable after an operator: an empty query is caught earlier.
            let (op, pos) = after.unwrap_or(("the start", 0));
            return Err(self.error(pos, expected(op)));
        };
        let pos = lexeme.pos;
        if !matches!(lexeme.tok, Tok::Not { .. } | Tok::Field(_) | Tok::LParen) {
            return self.operand(lexeme, field, after);
        }
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                pos,
                format!("nested too deeply (at most {MAX_DEPTH} levels of groups, NOT and fields)"),
            ));
        }
        self.depth += 1;
        let node = self.operand(lexeme, field, after);
        self.depth -= 1;
        node
    }

    /// The operand that starts with `lexeme` (already consumed).
    fn operand(
        &mut self,
        lexeme: Lexeme,
        field: Option<Field>,
        after: After,
    ) -> Result<Node, QueryError> {
        let pos = lexeme.pos;
        match lexeme.tok {
            Tok::Not { minus } => {
                let op = if minus { "'-'" } else { "NOT" };
                let inner = self.unary(field, Some((op, pos)))?;
                Ok(Node::Not(Box::new(inner)))
            }
            Tok::Field(f) => self.unary(Some(f), Some((field_label(f), pos))),
            Tok::Filter(f) => Ok(Node::Filter(f)),
            Tok::Word { text, prefix } => self.term(field, pos, text, prefix, false),
            Tok::Phrase { text, prefix } => self.term(field, pos, text, prefix, true),
            Tok::LParen => {
                match self.peek().map(|l| &l.tok) {
                    None => return Err(self.error(pos, "unclosed '('")),
                    Some(Tok::RParen) => return Err(self.error(pos, "empty parentheses")),
                    Some(_) => {}
                }
                let inner = self.or(field, Some(("'('", pos)))?;
                match self.next() {
                    Some(Lexeme {
                        tok: Tok::RParen, ..
                    }) => Ok(inner),
                    _ => Err(self.error(pos, "unclosed '('")),
                }
            }
            Tok::Or | Tok::And | Tok::RParen => {
                let what = match lexeme.tok {
                    Tok::Or => "OR",
                    Tok::And => "AND",
                    _ => "')'",
                };
                Err(match after {
                    Some((op, _)) => self.error(pos, expected(op)),
                    None if what == "')'" => self.error(pos, "unmatched ')'"),
                    None => self.error(pos, format!("{what} needs a term before it")),
                })
            }
        }
    }

    fn term(
        &self,
        field: Option<Field>,
        pos: usize,
        text: String,
        prefix: bool,
        quoted: bool,
    ) -> Result<Node, QueryError> {
        if field == Some(Field::Source) {
            if text.is_empty() {
                return Err(self.error(pos, "expected a source name"));
            }
            return Ok(Node::Source(SourcePattern {
                name: text.to_lowercase(),
                prefix,
            }));
        }
        let tokens = words::tokens(&text);
        if tokens.is_empty() {
            let message = if quoted {
                "empty phrase".to_owned()
            } else {
                let star = if prefix { "*" } else { "" };
                format!("'{text}{star}' has no letters or digits")
            };
            return Err(self.error(pos, message));
        }
        Ok(Node::Term(Term {
            field,
            mask: field.map_or(TEXT_FIELDS, Field::bit),
            hashes: tokens.iter().map(|t| hash_token(t)).collect(),
            tokens,
            text,
            prefix,
        }))
    }
}

fn expected(after: &str) -> String {
    format!("expected a word, phrase or '(' after {after}")
}

fn field_label(f: Field) -> &'static str {
    match f {
        Field::Title => "'title:'",
        Field::Company => "'company:'",
        Field::Location => "'location:'",
        Field::Text => "'text:'",
        Field::Source => "'source:'",
    }
}

/// One node stays itself; several become an OR (`or`) or an AND, with
/// children of the same kind flattened in (`a (b c)` is `(and a b c)`).
fn join(mut nodes: Vec<Node>, or: bool) -> Node {
    if nodes.len() == 1
        && let Some(node) = nodes.pop()
    {
        return node;
    }
    let mut flat = Vec::with_capacity(nodes.len());
    for node in nodes {
        match node {
            Node::Or(inner) if or => flat.extend(inner),
            Node::And(inner) if !or => flat.extend(inner),
            node => flat.push(node),
        }
    }
    if or { Node::Or(flat) } else { Node::And(flat) }
}

#[cfg(test)]
mod tests;
