//! End-to-end tests: the real binary against real peers on 127.0.0.1.

mod support;

mod config;
mod daemon;
mod fetch;
mod hn_html;
mod notify;
mod search;
