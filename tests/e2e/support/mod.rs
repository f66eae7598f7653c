//! Test helpers: real peers on 127.0.0.1 (a fixture HTTP server, a webhook
//! receiver) and a runner for the real `jobhound` binary with its own config
//! and database in a temporary directory.

pub mod app;
pub mod server;
pub mod sink;
