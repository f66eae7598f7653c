-- What the user made of a job (saved, applied, dismissed), set through the
-- HTTP API. A table of its own rather than a column of `postings`: ingest
-- rewrites posting rows, and the user's triage must never depend on what a
-- source sends. A job without a row here has no state.
CREATE TABLE user_state (
    posting_id INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('saved', 'applied', 'dismissed')),
    changed_at INTEGER NOT NULL
);
CREATE INDEX user_state_by_state ON user_state(state, posting_id);

-- One row that `/healthz` rewrites to prove the database takes writes (a
-- lock that is only acquired, or a write that is rolled back, would not
-- reach the disk).
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
