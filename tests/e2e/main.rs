//! End-to-end tests: the real binary against real peers on 127.0.0.1.

mod support;

mod api;

mod ats_a;
mod ats_b;
mod backoff;
mod boards;
mod channels;
mod config;
mod crash;
mod daemon;
mod digest;
mod email;
mod fetch;
mod getro;
mod hardening_input;
mod hn_whoishiring;
mod html;
mod identity;
mod large;
mod net;
mod notify;
mod processes;
mod retry_after;
mod schedule;
mod search;
mod storage;
mod web;
