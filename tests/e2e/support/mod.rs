//! Test helpers: real peers on 127.0.0.1 (a fixture HTTP server, a generated
//! feed, webhook receivers that fail on cue, an SMTP server) and a runner for
//! the real `jobhound` binary with its own config and database in a temporary
//! directory.

pub mod app;
pub mod browser;
pub mod daemon;
pub mod feed;
pub mod imap;
pub mod postings;
pub mod report;
pub mod server;
pub mod sink;
pub mod site;
pub mod smtp;
