//! End-to-end tests: the real binary against real peers on 127.0.0.1.

mod support;

mod api;

mod ats_a;
mod ats_b;
mod backoff;
mod boards;
mod channels;
mod cli;
mod cli_access;
mod config;
mod crash;
mod daemon;
mod digest;
mod digest_browser;
mod digest_send;
mod email;
mod fetch;
mod filters;
mod getro;
mod hardening_input;
mod health;
mod hn_whoishiring;
mod html;
mod identity;
mod imap;
mod large;
mod net;
mod notify;
mod polite;
mod processes;
mod reload;
mod retry_after;
mod schedule;
mod search;
mod systemd;
mod terminal;
mod web;
