//! A pass that panics is that source's failure: caught, recorded, reported.

use std::sync::{Arc, Mutex};

use super::*;
use crate::store::SourceState;

fn config(dir: &std::path::Path) -> Config {
    let text = format!(
        "[database]\npath = \"{}\"\n\n[[source]]\nname = \"acme\"\nkind = \"feed\"\nurl = \"http://127.0.0.1:9/feed.xml\"\n",
        dir.join("p.db").display()
    );
    Config::parse(&text, &dir.join("jobhound.toml"), &|_| None).expect("config")
}

fn state(store: &SharedStore, name: &SourceName) -> SourceState {
    lock(store)
        .source_state(name)
        .expect("read")
        .expect("recorded")
}

/// The config of `dir`, its store, and a pipeline over them.
fn pipeline(dir: &std::path::Path) -> (Config, SharedStore, Pipeline) {
    let config = config(dir);
    let store: SharedStore = Arc::new(Mutex::new(
        Store::open(&config.database.path).expect("store"),
    ));
    let http = Http::new(&config.http).expect("http");
    let runtime = tokio::runtime::Handle::current();
    let pipeline = Pipeline::new(&config, http, store.clone(), runtime).expect("pipeline");
    (config, store, pipeline)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panicking_pass_is_recorded_as_the_sources_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (config, store, pipeline) = pipeline(dir.path());
    let source = &config.sources[0];
    for round in 1..=2u32 {
        let report = pipeline
            .settle(source, async {
                let items: Vec<u32> = Vec::new();
                Ok(Outcome::NotModified).map(|o| (items[round as usize], o).1)
            })
            .await;
        let Outcome::Failed { error, transient } = &report.outcome else {
            panic!("{:?}", report.outcome);
        };
        assert!(*transient);
        assert!(
            error.starts_with("internal error (panic): index out of bounds"),
            "{error}"
        );
        let st = state(&store, &source.name);
        assert_eq!(
            st.fail_count, round,
            "counted like any failure, so backed off"
        );
        assert_eq!(
            st.last_error.as_deref(),
            Some(error.as_str()),
            "shown by `sources`"
        );
    }
    // The writer and the source are fine afterwards.
    let report = pipeline
        .settle(source, async { Ok(Outcome::NotModified) })
        .await;
    assert_eq!(report.outcome, Outcome::NotModified);
    tokio::task::spawn_blocking(move || pipeline.close())
        .await
        .expect("closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_go_on_after_the_memory_of_a_round_is_released() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (config, store, pipeline) = pipeline(dir.path());
    let source = &config.sources[0];
    let fail = || async { Err::<Outcome, _>(StoreError::Panicked("gone".into())) };
    pipeline.settle(source, fail()).await;
    // Both connections drop their pages; the allocator gives back its free ones.
    pipeline.release_memory().await;
    assert_eq!(state(&store, &source.name).fail_count, 1, "read back after");
    pipeline.settle(source, fail()).await;
    pipeline.release_memory().await;
    pipeline.release_memory().await;
    let st = state(&store, &source.name);
    assert_eq!(st.fail_count, 2, "the writer wrote after releasing");
    let said = StoreError::Panicked("gone".into()).to_string();
    assert_eq!(st.last_error, Some(said));
    tokio::task::spawn_blocking(move || pipeline.close())
        .await
        .expect("closed");
}
