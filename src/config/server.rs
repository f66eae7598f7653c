//! `[server]`: where `jobhound run` serves the HTTP API, and the token that
//! guards it. Absent: no server. A server reachable from other machines
//! without a token would hand anyone the user's job search and triage, so a
//! non-loopback `listen` without a token is a config error.

use std::net::SocketAddr;

use super::check::Checker;
use super::raw::RawServer;
use super::secret::Secret;

/// `[server]`: the HTTP API.
#[derive(Debug, Clone)]
pub struct Server {
    /// The address to listen on (port 0: any free port, logged at start).
    pub listen: SocketAddr,
    /// The bearer token every endpoint but `/healthz` requires, if set.
    pub token: Option<Secret<String>>,
}

/// Validates `[server]`.
pub(super) fn check(c: &mut Checker<'_>, raw: &RawServer) -> Option<Server> {
    let listen = c.required("server.listen", &raw.listen)?;
    let listen = match listen.trim().parse::<SocketAddr>() {
        Ok(a) => a,
        Err(_) => {
            c.problem(
                "server.listen",
                format!("`{listen}` is not an address and port (e.g. \"127.0.0.1:8080\" or \"[::1]:8080\")"),
            );
            return None;
        }
    };
    let token = match (&raw.token, &raw.token_file) {
        (Some(_), Some(_)) => {
            c.problem("server.token_file", "set `token` or `token_file`, not both");
            return None;
        }
        // Commands that only read the database serve nothing: they need no token.
        (Some(t), None) => Some(c.secret("server.token", t, "unused")?),
        (None, Some(_)) if c.secrets_optional() => Some("unused".to_string()),
        (None, Some(path)) => {
            let path = c.file_path("server.token_file", path)?;
            match std::fs::read_to_string(&path) {
                // Files written by editors and `echo` end in a newline that is not part of the token.
                Ok(s) => Some(s.trim_end_matches(['\r', '\n']).to_string()),
                Err(e) => {
                    c.problem(
                        "server.token_file",
                        format!("cannot read {}: {e}", path.display()),
                    );
                    return None;
                }
            }
        }
        (None, None) => None,
    };
    if token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        let key = if raw.token.is_some() {
            "server.token"
        } else {
            "server.token_file"
        };
        c.problem(key, "the token is empty");
        return None;
    }
    if token.is_none() && !listen.ip().is_loopback() {
        c.problem(
            "server.listen",
            format!(
                "{listen} is reachable from other machines: set `server.token` (or `server.token_file`), or listen on a loopback address such as 127.0.0.1"
            ),
        );
        return None;
    }
    Some(Server {
        listen,
        token: token.map(Secret::new),
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(server: &str, env: &[(&str, &str)]) -> Result<Config, String> {
        let text = format!("[server]\n{server}\n");
        let lookup = |k: &str| {
            env.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        Config::parse(&text, Path::new("j.toml"), &lookup).map_err(|e| e.to_string())
    }

    #[test]
    fn server_keys_are_checked() {
        let ok = parse("listen = \"127.0.0.1:0\"", &[]).expect("loopback without token");
        let s = ok.server.expect("server");
        assert!(s.token.is_none());
        let ok = parse(
            "listen = \"0.0.0.0:8080\"\ntoken = \"${TOK}\"",
            &[("TOK", "sekrit")],
        )
        .expect("token from the environment");
        let s = ok.server.expect("server");
        assert_eq!(
            s.token.as_ref().map(|t| t.expose().as_str()),
            Some("sekrit")
        );
        assert!(
            !format!("{s:?}").contains("sekrit"),
            "the token is redacted"
        );
        let none = Config::parse("", Path::new("j.toml"), &|_| None).expect("empty config");
        assert!(none.server.is_none(), "no [server]: no server");
        let cases: &[(&str, &str)] = &[
            (
                "listen = \"0.0.0.0:8080\"",
                "j.toml:2: server.listen: 0.0.0.0:8080 is reachable",
            ),
            (
                "listen = \"[::]:8080\"",
                "server.listen: [::]:8080 is reachable",
            ),
            (
                "listen = \"localhost\"",
                "server.listen: `localhost` is not an address and port",
            ),
            (
                "listen = \"127.0.0.1:1\"\ntoken = \"\"",
                "server.token: the token is empty",
            ),
            (
                "listen = \"127.0.0.1:1\"\ntoken = \"${NOPE}\"",
                "server.token: environment variable NOPE is not set",
            ),
            ("token = \"x\"", "server.listen: is required"),
        ];
        for (toml, want) in cases {
            let err = parse(toml, &[]).expect_err(toml);
            assert!(err.contains(want), "{toml}: {err}");
        }
    }
}
