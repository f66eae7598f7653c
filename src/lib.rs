//! jobhound: a job-listing aggregator daemon.
#![forbid(unsafe_code)]

pub mod alerts;
pub mod model;
pub mod normalize;
