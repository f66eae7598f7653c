-- One row per job, however many sources list it.
CREATE TABLE postings (
    id               INTEGER PRIMARY KEY,
    source           TEXT    NOT NULL,  -- the source that first listed it; only it updates the content
    external_id      TEXT    NOT NULL,
    url_key          TEXT,              -- canonical URL: the cross-source identity
    title            TEXT    NOT NULL,
    raw_title        TEXT    NOT NULL,
    company          TEXT,
    department       TEXT,
    locations        TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
    workplace        TEXT    NOT NULL DEFAULT 'unknown',
    employment_type  TEXT,
    salary_min       REAL,
    salary_max       REAL,
    salary_currency  TEXT,
    salary_period    TEXT,
    salary_origin    TEXT,
    salary_text      TEXT,
    posted_at        INTEGER,           -- unix seconds, UTC
    updated_at       INTEGER,
    url              TEXT,
    apply_url        TEXT,
    description_html TEXT    NOT NULL DEFAULT '',
    text             TEXT    NOT NULL DEFAULT '',
    tags             TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
    author           TEXT,
    content_hash     INTEGER NOT NULL,  -- detects a changed title or text without comparing them
    first_seen       INTEGER NOT NULL,
    last_seen        INTEGER NOT NULL,
    changed_at       INTEGER NOT NULL,
    sort_at          INTEGER NOT NULL   -- "newest first": posted_at, never later than first_seen
);
CREATE INDEX postings_url_key ON postings(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX postings_sort_at ON postings(sort_at, id);

-- Each (source, external id) a posting was seen under.
CREATE TABLE sightings (
    source      TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    posting_id  INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
    url         TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    PRIMARY KEY (source, external_id)
) WITHOUT ROWID;
CREATE INDEX sightings_posting ON sightings(posting_id);

-- Full-text index for search; rows are written by the store, keyed by posting id.
CREATE VIRTUAL TABLE postings_fts USING fts5(
    title, company, location, text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Fetch state per configured source: validators for conditional GET and the last outcome.
CREATE TABLE sources (
    name            TEXT PRIMARY KEY,
    kind            TEXT    NOT NULL,
    etag            TEXT,
    last_modified   TEXT,
    validators_url  TEXT,               -- the URL etag/last_modified belong to
    last_attempt_at INTEGER,
    last_success_at INTEGER,
    last_status     TEXT,               -- ok | not-modified | failed
    last_error      TEXT,
    fail_count      INTEGER NOT NULL DEFAULT 0,
    fetch_count     INTEGER NOT NULL DEFAULT 0,   -- successful fetches
    last_new        INTEGER NOT NULL DEFAULT 0,
    last_updated    INTEGER NOT NULL DEFAULT 0,
    last_unchanged  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Each (alert, posting) at most once, ever: the guarantee against repeats.
CREATE TABLE matches (
    alert      TEXT    NOT NULL,
    posting_id INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
    matched_at INTEGER NOT NULL,
    notified   INTEGER NOT NULL,        -- 0: recorded silently (a source's first fetch)
    PRIMARY KEY (alert, posting_id)
) WITHOUT ROWID;

-- The outbox: one row per (alert, posting, notifier), written with the match.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    alert           TEXT    NOT NULL,
    posting_id      INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
    notifier        TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    UNIQUE (alert, posting_id, notifier)
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending';
