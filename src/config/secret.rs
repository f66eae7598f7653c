//! Secrets in the config: `${VAR}` expansion from the environment, values read
//! from files, and a [`Secret`] wrapper whose `Debug` and `Display` never show
//! the value, so a secret cannot reach a log line by accident.

use std::fmt;

/// A value that must not be logged: webhook URLs, passwords, tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Secret<T> {
        Secret(value)
    }

    /// The value itself, for the one place that must send it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Expands every `${VAR}` in `s` with `lookup(VAR)`. `$$` is a literal `$`.
/// Fails, naming the variable, when one is unset or the syntax is broken.
pub fn expand(s: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body
                .find('}')
                .ok_or_else(|| "unterminated `${` (expected `${NAME}`)".to_string())?;
            let name = &body[..end];
            let valid = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                return Err(format!(
                    "`${{{name}}}` is not a valid environment variable name"
                ));
            }
            match lookup(name) {
                Some(v) => out.push_str(&v),
                None => return Err(format!("environment variable {name} is not set")),
            }
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "HOOK" => Some("https://hooks.example/T0/abc".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn expansion_replaces_set_variables_and_names_unset_ones() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("${HOOK}", Ok("https://hooks.example/T0/abc")),
            (
                "pre-${HOOK}-post",
                Ok("pre-https://hooks.example/T0/abc-post"),
            ),
            ("${EMPTY}x", Ok("x")),
            ("cost $$5", Ok("cost $5")),
            ("plain $ sign", Ok("plain $ sign")),
            ("${MISSING}", Err("environment variable MISSING is not set")),
            ("${HOOK", Err("unterminated `${` (expected `${NAME}`)")),
            (
                "${1X}",
                Err("`${1X}` is not a valid environment variable name"),
            ),
        ];
        for (input, want) in cases {
            let got = expand(input, env);
            assert_eq!(got.as_deref().map_err(|e| e.as_str()), *want, "{input:?}");
        }
    }

    #[test]
    fn secrets_never_print_their_value() {
        let s = Secret::new("hunter2".to_string());
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert_eq!(s.expose(), "hunter2");
    }
}
