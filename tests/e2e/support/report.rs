//! `jobhound sources --format json` next to `GET /api/sources` over the same
//! config and database: the API served in-process on 127.0.0.1 (no daemon, so
//! nothing fetches between the two answers), then every key the CLI prints
//! checked to be the API's too.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::app::TestApp;

/// The CLI's entries, once checked against the API's (`next_due` aside: a
/// source already due reads "now", which moves between the two answers).
pub async fn sources_agree(app: &TestApp) -> Vec<Value> {
    let run = app.run(&["sources", "--format", "json"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    let cli: Vec<Value> = serde_json::from_str(&run.stdout).expect("sources JSON");
    let api = api_sources(app).await;
    for c in &cli {
        let name = &c["name"];
        let a = api
            .iter()
            .find(|a| a["name"] == *name)
            .unwrap_or_else(|| panic!("{name} missing from /api/sources: {api:?}"));
        let keys = c.as_object().expect("an object per source");
        for (key, value) in keys.iter().filter(|(k, _)| *k != "next_due") {
            assert_eq!(&a[key], value, "{name}.{key}: API {a}\nCLI {c}");
        }
    }
    cli
}

/// `GET /api/sources`'s `sources`, from the API over `app`'s files.
async fn api_sources(app: &TestApp) -> Vec<Value> {
    let config = Arc::new(jobhound::config::Config::load(&app.config()).expect("config"));
    let store = jobhound::store::Store::open(&config.database.path).expect("database");
    let (_keep, following) = tokio::sync::watch::channel(config);
    let telemetry = Arc::new(jobhound::telemetry::Telemetry::new(chrono::Utc::now()));
    let api = jobhound::api::Api::new(following, Arc::new(Mutex::new(store)), telemetry);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let stop = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(jobhound::api::serve(listener, api, stop.clone()));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let body: Value = client
        .get(format!("http://{addr}/api/sources"))
        .send()
        .await
        .expect("GET /api/sources")
        .json()
        .await
        .expect("JSON");
    stop.cancel();
    let _ = server.await;
    body["sources"].as_array().expect("sources").clone()
}
