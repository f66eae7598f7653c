//! `allow_hosts = ["host[:port]", ...]`: the hosts besides its own that a
//! source may follow links and redirects to. Parsed here so that a typo is a
//! config error, not a silently refused link.

use std::fmt;

use url::Url;

/// One allowed `host[:port]`; without a port, any port of that host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// The host, lowercased (an IPv6 address in brackets).
    pub host: String,
    /// The port, when one was given.
    pub port: Option<u16>,
}

impl HostPort {
    /// Parses `host[:port]`; the error says what is wrong.
    pub fn parse(s: &str) -> Result<HostPort, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("an empty host".into());
        }
        if s.contains(['/', '@', '?', '#']) || s.contains("://") {
            return Err(format!(
                "`{s}` is not `host` or `host:port` (no scheme, path or user)"
            ));
        }
        let url = Url::parse(&format!("http://{s}/"))
            .map_err(|e| format!("`{s}` is not `host` or `host:port`: {e}"))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("`{s}` has no host"))?;
        // `url` drops the port 80 of `http`, so read an explicit one back from the text.
        let port = match url.port() {
            Some(p) => Some(p),
            None => explicit_port(s)?,
        };
        Ok(HostPort {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// Whether `url` is on this host (and port, when one is set).
    pub fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        host.eq_ignore_ascii_case(&self.host)
            && self
                .port
                .is_none_or(|p| url.port_or_known_default() == Some(p))
    }
}

/// The port written after the last `:` outside IPv6 brackets, if any.
fn explicit_port(s: &str) -> Result<Option<u16>, String> {
    let after_host = s.rsplit_once(']').map_or(s, |(_, rest)| rest);
    match after_host.rsplit_once(':') {
        None => Ok(None),
        Some((_, p)) => p
            .parse::<u16>()
            .map(Some)
            .map_err(|_| format!("`{s}`: `{p}` is not a port (0 to 65535)")),
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(p) => write!(f, "{}:{p}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_are_parsed_and_matched() {
        let u = |s: &str| Url::parse(s).expect("url");
        let cases: &[(&str, &str, bool)] = &[
            ("jobs.example.com", "https://jobs.example.com/a", true),
            ("Jobs.Example.com", "http://jobs.example.com:8080/a", true),
            (
                "jobs.example.com:8080",
                "http://jobs.example.com:8080/",
                true,
            ),
            (
                "jobs.example.com:8080",
                "http://jobs.example.com:8081/",
                false,
            ),
            ("jobs.example.com:443", "https://jobs.example.com/", true),
            ("127.0.0.1:80", "http://127.0.0.1/x", true),
            ("127.0.0.1:80", "http://127.0.0.1:81/x", false),
            ("[::1]:9000", "http://[::1]:9000/", true),
            ("example.com", "https://evil.example.com/", false),
        ];
        for (allow, url, want) in cases {
            let h = HostPort::parse(allow).expect(allow);
            assert_eq!(h.matches(&u(url)), *want, "{allow} vs {url}");
        }
        assert_eq!(
            HostPort::parse("127.0.0.1:80").expect("ok").to_string(),
            "127.0.0.1:80"
        );
    }

    #[test]
    fn bad_entries_say_what_is_wrong() {
        for (bad, want) in [
            ("", "empty"),
            ("http://x.com", "no scheme"),
            ("x.com/path", "no scheme, path"),
            ("user@x.com", "no scheme, path or user"),
            ("x.com:99999", "is not"),
            ("x.com:http", "is not"),
        ] {
            let err = HostPort::parse(bad).expect_err(bad);
            assert!(err.contains(want), "{bad}: {err}");
        }
    }
}
