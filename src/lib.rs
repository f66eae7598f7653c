//! jobhound: a job-listing aggregator daemon.
//!
//! # Layout
//! The pipeline reads top to bottom:
//! - [`sources`] fetch postings (feeds, job-board APIs, HTML pages) through [`http`];
//! - [`normalize`] turns each [`model::RawPosting`] into a [`model::Posting`];
//! - [`store`] deduplicates and keeps them in SQLite (with the full-text index,
//!   fetch state, matches and the delivery outbox);
//! - [`alerts`] is the query language that matches postings against saved alerts;
//! - [`notify`] delivers matches from the outbox.
//!
//! [`pipeline`] runs one source through all of it; [`scheduler`] decides when, and
//! [`daemon`] wires the long-running service, with the HTTP [`api`] (and the
//! `web` page it serves) and its [`telemetry`]. [`cli`] and [`search`] serve the user;
//! [`config`] reads and validates the one TOML file; [`units`] parses the
//! durations and sizes it, the flags and the queries' `posted<7d` write.
// Two exceptions: zstd's dictionary trainer with smaller tables, which no
// safe wrapper offers (`store/description/train.rs`), and glibc's
// `malloc_trim` (`memory.rs`).
#![deny(unsafe_code)]

pub mod alerts;
pub mod api;
pub mod cli;
pub mod config;
pub mod daemon;
pub mod http;
pub mod memory;
pub mod model;
pub mod normalize;
pub mod notify;
pub mod pipeline;
pub mod scheduler;
pub mod search;
pub mod sources;
pub mod store;
pub mod telemetry;
pub mod units;
pub(crate) mod web;
