-- Sightings in a rowid table. Keyed by (source, external_id) WITHOUT ROWID,
-- every sightings index repeated that 70-byte key, and new listings landed
-- all over the table (sources interleave), leaving its pages a third empty.
-- With a rowid the indexes carry a small integer, new rows append, and one
-- unique index keeps (source, external_id) unique. Columns and their order
-- stay as they were.
CREATE TABLE sightings_by_rowid (
    source       TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    posting_id   INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
    url          TEXT,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    rank         INTEGER NOT NULL DEFAULT 0,
    reason       TEXT    NOT NULL DEFAULT 'first',
    detail       TEXT,
    company_key  TEXT,
    title_key    TEXT,
    places       TEXT,
    sketch       BLOB,
    apply_url    TEXT,
    tracked      INTEGER NOT NULL DEFAULT 0,
    missed       INTEGER NOT NULL DEFAULT 0,
    closed_at    INTEGER,
    content_hash INTEGER,
    UNIQUE (source, external_id)
);
INSERT INTO sightings_by_rowid
SELECT source, external_id, posting_id, url, first_seen, last_seen, rank, reason, detail,
       company_key, title_key, places, sketch, apply_url, tracked, missed, closed_at, content_hash
FROM sightings ORDER BY posting_id, first_seen;
DROP TABLE sightings;
ALTER TABLE sightings_by_rowid RENAME TO sightings;
CREATE INDEX sightings_posting ON sightings(posting_id);
CREATE INDEX sightings_url ON sightings(url) WHERE url IS NOT NULL;
CREATE INDEX sightings_apply_url ON sightings(apply_url) WHERE apply_url IS NOT NULL;
CREATE INDEX sightings_identity ON sightings(company_key, title_key, posting_id) WHERE company_key IS NOT NULL;
