//! Where a source's requests may go: the host and port of its configured URL
//! and its `allow_hosts`. Checked for every redirect and every link taken
//! from fetched content.

use url::Url;

use crate::config::HostPort;

/// Where a request, its redirects and the links a source follows may go: the
/// host and port of the source's configured URL, and its `allow_hosts`.
#[derive(Debug, Clone)]
pub struct Hosts {
    home: Url,
    extra: Vec<HostPort>,
}

impl Hosts {
    /// The hosts of `home` (host and port) and `extra`.
    pub fn new(home: &Url, extra: &[HostPort]) -> Hosts {
        Hosts {
            home: home.clone(),
            extra: extra.to_vec(),
        }
    }

    /// Whether `url` is an http(s) URL on one of these hosts; `Err` says why not.
    pub fn check(&self, url: &Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "only http and https are followed, not `{}:`",
                url.scheme()
            ));
        }
        let same_home = url.host_str().is_some()
            && url.host_str().map(str::to_ascii_lowercase)
                == self.home.host_str().map(str::to_ascii_lowercase)
            && url.port_or_known_default() == self.home.port_or_known_default();
        if same_home || self.extra.iter().any(|h| h.matches(url)) {
            return Ok(());
        }
        let host = url.host_str().unwrap_or("");
        let port = url
            .port_or_known_default()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        Err(format!(
            "{host}{port} is not the source's host (add it to the source's `allow_hosts` to allow it)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_allow_the_home_host_and_port_and_the_listed_ones() {
        let u = |s: &str| Url::parse(s).expect("url");
        let extra = [HostPort::parse("cdn.example.com").expect("host")];
        let hosts = Hosts::new(&u("http://127.0.0.1:9000/jobs"), &extra);
        let cases: &[(&str, bool)] = &[
            ("http://127.0.0.1:9000/page/2", true),
            ("http://127.0.0.1:9001/page/2", false),
            ("http://127.0.0.1/page/2", false),
            ("http://169.254.169.254/latest/meta-data/", false),
            ("https://cdn.example.com/x", true),
            ("file:///etc/passwd", false),
            ("ftp://127.0.0.1:9000/x", false),
        ];
        for (url, want) in cases {
            assert_eq!(hosts.check(&u(url)).is_ok(), *want, "{url}");
        }
        let why = hosts.check(&u("http://10.0.0.1/")).expect_err("refused");
        assert!(
            why.contains("10.0.0.1:80") && why.contains("allow_hosts"),
            "{why}"
        );
        let why = hosts.check(&u("file:///etc/passwd")).expect_err("refused");
        assert!(why.contains("only http and https"), "{why}");
    }
}
