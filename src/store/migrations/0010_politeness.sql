-- Politeness. robots.txt files, one per origin (scheme://host:port), kept a
-- day and then revalidated with their validators: `status` is the HTTP status
-- (200, or a 4xx, which allows everything), `body` the file. And how long
-- each source's last pass waited for its host's limits, and which limits.
CREATE TABLE robots (
    origin        TEXT PRIMARY KEY,
    checked_at    INTEGER NOT NULL,
    status        INTEGER NOT NULL,
    body          BLOB NOT NULL,
    etag          TEXT,
    last_modified TEXT
);

CREATE TABLE host_waits (
    source           TEXT PRIMARY KEY,
    host             TEXT NOT NULL,
    waited_ms        INTEGER NOT NULL,
    concurrency      INTEGER NOT NULL,
    interval_ms      INTEGER NOT NULL,
    at               INTEGER NOT NULL
);
