//! End-to-end tests: the real binary against real peers on 127.0.0.1.

mod support;

mod channels;
mod config;
mod crash;
mod daemon;
mod digest;
mod email;
mod fetch;
mod notify;
mod search;
