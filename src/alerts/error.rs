//! The one error a query can have: what is wrong and where.
//!
//! Input: a message and a char offset from the lexer or parser. Output: a
//! [`QueryError`] that prints as `at column N: message`, and a caret line for
//! config and CLI errors.

/// A query that does not parse: the first problem found, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at column {}: {}", .position + 1, .message)]
pub struct QueryError {
    /// 0-based char offset into `input` of the offending character.
    pub position: usize,
    /// What is wrong, in a few plain words.
    pub message: String,
    /// The query as given.
    pub input: String,
}

impl QueryError {
    /// An error at char offset `position` of `input`.
    pub(crate) fn new(input: &str, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            position,
            message: message.into(),
            input: input.to_owned(),
        }
    }

    /// Two lines: the input, then a `^` under the offending character.
    pub fn caret(&self) -> String {
        // Tabs and newlines would shift the caret; show them as spaces.
        let line: String = self
            .input
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        format!("{line}\n{}^", " ".repeat(self.position))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_one_based_column_and_caret() {
        let err = QueryError::new("title:\tML", 6, "expected a word");
        assert_eq!(err.to_string(), "at column 7: expected a word");
        assert_eq!(err.caret(), "title: ML\n      ^");
    }
}
