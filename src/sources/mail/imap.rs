//! The IMAP conversation, with `async-imap` over tokio: connect (implicit TLS,
//! STARTTLS, or plain to this machine), log in, open the mailbox read-only
//! (`EXAMINE`, unless emails are to be flagged `\Seen`), search by UID, fetch
//! with `BODY.PEEK[]` (which never sets `\Seen`), and log out.
//!
//! TLS is rustls with the system's certificate authorities (which honours
//! `SSL_CERT_FILE`) plus the source's `ca_file`; verification is never off.

use std::collections::HashMap;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::error::Error as ImapError;
use futures::TryStreamExt;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::super::{MailProblem, SourceError};
use crate::config::{ImapTls, Mailbox};

/// How long one step (connect, a command and its answer) may take.
const STEP: Duration = Duration::from_secs(60);

/// A connection, plain or TLS: one type for the session to run over.
#[derive(Debug)]
pub(super) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// A logged-in session on one mailbox server.
pub(super) struct Session {
    inner: async_imap::Session<Stream>,
    server: String,
}

/// A mailbox as opened: its `UIDVALIDITY`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Opened {
    pub uidvalidity: u32,
}

impl Session {
    /// Connects to the server of `cfg` and logs in.
    pub async fn open(cfg: &Mailbox) -> Result<Session, SourceError> {
        let server = cfg.server.to_string();
        let fail = |problem, message: String| SourceError::Mail {
            server: server.clone(),
            message,
            problem,
        };
        let addr = (cfg.server.host.as_str(), cfg.server.port);
        let tcp = step(&server, "connect", async {
            TcpStream::connect(addr).await.map_err(ImapError::Io)
        })
        .await?;
        let stream = match cfg.server.tls {
            ImapTls::Plain => Stream::Plain(tcp),
            ImapTls::Implicit => Stream::Tls(Box::new(handshake(cfg, tcp).await?)),
            ImapTls::StartTls => {
                let mut client = async_imap::Client::new(tcp);
                greeting(&server, &mut client).await?;
                step(
                    &server,
                    "STARTTLS",
                    client.run_command_and_check_ok("STARTTLS", None),
                )
                .await
                .map_err(|e| {
                    fail(
                        MailProblem::Tls,
                        format!("the server refused STARTTLS ({e})"),
                    )
                })?;
                Stream::Tls(Box::new(handshake(cfg, client.into_inner()).await?))
            }
        };
        let mut client = async_imap::Client::new(stream);
        if cfg.server.tls != ImapTls::StartTls {
            greeting(&server, &mut client).await?;
        }
        let login = tokio::time::timeout(STEP, client.login(&cfg.username, cfg.password.expose()))
            .await
            .map_err(|_| {
                fail(
                    MailProblem::Unreachable,
                    format!("no answer to LOGIN within {}s", STEP.as_secs()),
                )
            })?;
        match login {
            Ok(inner) => Ok(Session { inner, server }),
            // The server's text ("[AUTHENTICATIONFAILED] Authentication failed.") names no secret.
            Err((ImapError::No(why), _)) | Err((ImapError::Bad(why), _)) => Err(fail(
                MailProblem::Login,
                format!(
                    "login refused for {}: {} (check username and password; many providers need an app password)",
                    cfg.username,
                    why.trim()
                ),
            )),
            Err((e, _)) => Err(fail(MailProblem::Unreachable, format!("login failed: {e}"))),
        }
    }

    /// Opens `mailbox`: read-only (`EXAMINE`) unless flags are to be written.
    pub async fn mailbox(&mut self, mailbox: &str, writable: bool) -> Result<Opened, SourceError> {
        let server = self.server.clone();
        let opened = if writable {
            tokio::time::timeout(STEP, self.inner.select(mailbox)).await
        } else {
            tokio::time::timeout(STEP, self.inner.examine(mailbox)).await
        };
        let mb = match opened {
            Err(_) => return Err(timeout(&server, "EXAMINE")),
            Ok(Err(ImapError::No(why))) => {
                return Err(SourceError::Mail {
                    server,
                    message: format!(
                        "mailbox `{mailbox}` cannot be opened: {} (does it exist?)",
                        why.trim()
                    ),
                    problem: MailProblem::NoMailbox,
                });
            }
            Ok(Err(e)) => return Err(io(&server, "EXAMINE", e)),
            Ok(Ok(mb)) => mb,
        };
        Ok(Opened {
            uidvalidity: mb.uid_validity.unwrap_or(0),
        })
    }

    /// The UIDs that `criteria` (an IMAP search) finds, in ascending order.
    pub async fn search(&mut self, criteria: &str) -> Result<Vec<u32>, SourceError> {
        let server = self.server.clone();
        let found = step(&server, "UID SEARCH", self.inner.uid_search(criteria)).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The size in bytes of each of `uids`.
    pub async fn sizes(&mut self, uids: &[u32]) -> Result<HashMap<u32, u32>, SourceError> {
        let server = self.server.clone();
        let mut out = HashMap::new();
        for chunk in uids.chunks(200) {
            let set = uid_set(chunk);
            let fetched: Vec<_> = step(&server, "UID FETCH", async {
                self.inner
                    .uid_fetch(&set, "(UID RFC822.SIZE)")
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
            for f in fetched {
                if let (Some(uid), Some(size)) = (f.uid, f.size) {
                    out.insert(uid, size);
                }
            }
        }
        Ok(out)
    }

    /// The whole messages `uids`, fetched with `BODY.PEEK[]` so that none is flagged `\Seen`.
    pub async fn bodies(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, SourceError> {
        let server = self.server.clone();
        let mut out = Vec::with_capacity(uids.len());
        for chunk in uids.chunks(20) {
            let set = uid_set(chunk);
            let fetched: Vec<_> = step(&server, "UID FETCH", async {
                self.inner
                    .uid_fetch(&set, "(UID BODY.PEEK[])")
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
            for f in fetched {
                if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                    out.push((uid, body.to_vec()));
                }
            }
        }
        out.sort_by_key(|(uid, _)| *uid);
        Ok(out)
    }

    /// Flags `uids` `\Seen` (only with `mark_seen = true`).
    pub async fn mark_seen(&mut self, uids: &[u32]) -> Result<(), SourceError> {
        let server = self.server.clone();
        for chunk in uids.chunks(200) {
            let set = uid_set(chunk);
            let _: Vec<_> = step(&server, "UID STORE", async {
                self.inner
                    .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        }
        Ok(())
    }

    /// Logs out; a failure here loses nothing, so it is only logged.
    pub async fn logout(mut self) {
        if let Err(e) = step(&self.server.clone(), "LOGOUT", self.inner.logout()).await {
            tracing::debug!(server = %self.server, error = %e, "logout failed");
        }
    }
}

/// Reads the server's greeting; a `BYE` or nothing is an error.
async fn greeting<T>(server: &str, client: &mut async_imap::Client<T>) -> Result<(), SourceError>
where
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let read = tokio::time::timeout(STEP, client.read_response())
        .await
        .map_err(|_| timeout(server, "greeting"))?;
    match read {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(SourceError::Mail {
            server: server.to_string(),
            message: "closed the connection before greeting".into(),
            problem: MailProblem::Unreachable,
        }),
        Err(e) => Err(io(server, "greeting", ImapError::Io(e))),
    }
}

/// The TLS handshake over `tcp`, verifying the server's certificate for its host.
async fn handshake(cfg: &Mailbox, tcp: TcpStream) -> Result<TlsStream<TcpStream>, SourceError> {
    let server = cfg.server.to_string();
    let fail = |message: String| SourceError::Mail {
        server: server.clone(),
        message,
        problem: MailProblem::Tls,
    };
    let config = tls_config(cfg.ca_file.as_deref()).map_err(&fail)?;
    let name = ServerName::try_from(cfg.server.host.clone()).map_err(|e| {
        fail(format!(
            "`{}` is not a valid TLS server name ({e})",
            cfg.server.host
        ))
    })?;
    let connector = tokio_rustls::TlsConnector::from(config);
    tokio::time::timeout(STEP, connector.connect(name, tcp))
        .await
        .map_err(|_| timeout(&server, "TLS handshake"))?
        .map_err(|e| fail(format!("TLS handshake failed: {e}")))
}

/// The client TLS configuration: the system's roots plus `ca_file`'s.
fn tls_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let (added, _) = roots.add_parsable_certificates(native.certs);
    let mut total = added;
    if let Some(path) = ca_file {
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("cannot read ca_file {}: {e}", path.display()))?;
        for cert in certs {
            let cert = cert.map_err(|e| format!("ca_file {}: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("ca_file {}: {e}", path.display()))?;
            total += 1;
        }
    }
    if total == 0 {
        return Err("no trusted certificate authorities: install the system's CA certificates or set ca_file".into());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Runs one IMAP step within [`STEP`]; failures name the step.
async fn step<T>(
    server: &str,
    what: &str,
    fut: impl std::future::Future<Output = Result<T, ImapError>>,
) -> Result<T, SourceError> {
    match tokio::time::timeout(STEP, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(io(server, what, e)),
        Err(_) => Err(timeout(server, what)),
    }
}

fn io(server: &str, what: &str, e: ImapError) -> SourceError {
    let problem = match e {
        ImapError::Io(_) | ImapError::ConnectionLost => MailProblem::Unreachable,
        _ => MailProblem::Protocol,
    };
    SourceError::Mail {
        server: server.to_string(),
        message: format!("{what} failed: {e}"),
        problem,
    }
}

fn timeout(server: &str, what: &str) -> SourceError {
    SourceError::Mail {
        server: server.to_string(),
        message: format!("no answer to {what} within {}s", STEP.as_secs()),
        problem: MailProblem::Unreachable,
    }
}

/// `1,2,5` for a UID FETCH or STORE.
fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
