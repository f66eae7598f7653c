-- Source health (`[health]`): per source, its run of failed passes and of
-- passes that listed nothing after it had listed postings, and whether it was
-- reported as failing. Kept here, not in memory, so a report is sent once and
-- never again after a restart, and its recovery is reported once too.
CREATE TABLE source_health (
    source         TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL DEFAULT 0,  -- consecutive failed passes
    failing_since  INTEGER,                     -- the first failure of the run
    last_error     TEXT,
    empty          INTEGER NOT NULL DEFAULT 0,  -- consecutive passes that listed nothing
    empty_since    INTEGER,
    listed         INTEGER NOT NULL DEFAULT 0,  -- postings listed by the last pass that listed any
    reported       TEXT,                        -- NULL, or what was reported: 'failing' | 'empty'
    reported_since INTEGER,
    reported_error TEXT
) WITHOUT ROWID;

-- A message that reports a source's health instead of carrying matches: the
-- event as JSON. It goes out like any message (claimed, retried, same key).
ALTER TABLE messages ADD COLUMN health TEXT;
