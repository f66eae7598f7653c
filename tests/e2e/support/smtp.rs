//! A real SMTP server on 127.0.0.1:0 for the email tests: the `mailin` crate's
//! SMTP session (RFC 5321 commands, DATA with dot-unstuffing, AUTH PLAIN and
//! LOGIN) driven over TCP, one thread per connection, keeping every mail it
//! accepts. With a login configured it refuses mail from clients that have
//! not authenticated, as a submission server does.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder, response};

/// One mail the server accepted.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
    /// The user that logged in, if any.
    pub user: Option<String>,
}

type Login = Option<(String, String)>;

/// The running server; its thread ends with the test process.
pub struct SmtpSink {
    addr: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    /// A server that accepts mail from anyone.
    pub fn start() -> SmtpSink {
        SmtpSink::serve(None)
    }

    /// A server that wants `user` to log in with `password` first.
    pub fn with_login(user: &str, password: &str) -> SmtpSink {
        SmtpSink::serve(Some((user.to_string(), password.to_string())))
    }

    fn serve(login: Login) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let mut builder = SessionBuilder::new("sink.test");
        if login.is_some() {
            // Loopback only: no TLS here, so plain-text AUTH must be allowed explicitly.
            builder
                .enable_auth(AuthMechanism::Plain)
                .enable_auth(AuthMechanism::Login)
                .insecure_enable_plaintext_auth();
        }
        let shared = mails.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let conn = Conn {
                    mails: shared.clone(),
                    login: login.clone(),
                    user: None,
                    from: String::new(),
                    to: Vec::new(),
                    data: Vec::new(),
                };
                let builder = builder.clone();
                std::thread::spawn(move || session(stream, &builder, conn));
            }
        });
        SmtpSink { addr, mails }
    }

    /// The `smtp_url` to configure (plain SMTP to loopback).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every mail accepted so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().expect("lock").clone()
    }
}

fn session(stream: TcpStream, builder: &SessionBuilder, conn: Conn) {
    let ip: IpAddr = stream
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or([127, 0, 0, 1].into());
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut session = builder.build(ip, conn);
    if session.greeting().write_to(&mut out).is_err() {
        return;
    }
    let mut input = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let res = session.process(&line);
        match res.action {
            Action::Reply => {
                if res.write_to(&mut out).is_err() {
                    return;
                }
            }
            Action::Close | Action::UpgradeTls => {
                let _ = res.write_to(&mut out);
                let _ = out.flush();
                return;
            }
            Action::NoReply => {}
        }
    }
}

struct Conn {
    mails: Arc<Mutex<Vec<Mail>>>,
    login: Login,
    user: Option<String>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Conn {
    fn check(&mut self, user: &str, password: &str) -> Response {
        match &self.login {
            Some((u, p)) if u == user && p == password => {
                self.user = Some(user.to_string());
                response::AUTH_OK
            }
            _ => response::INVALID_CREDENTIALS,
        }
    }
}

impl Handler for Conn {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.mails.lock().expect("lock").push(Mail {
            from: self.from.clone(),
            to: self.to.clone(),
            data: std::mem::take(&mut self.data),
            user: self.user.clone(),
        });
        response::OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.check(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.check(user, password)
    }
}
