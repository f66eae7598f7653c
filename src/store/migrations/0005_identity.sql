-- Cross-source identity and the job lifecycle.
-- - Each sighting keeps the normalized forms identity compares (company and
--   title keys, place words, a description sketch, the apply link), why it was
--   joined to its posting, and whether its source still lists it.
-- - A posting is closed when every sighting that can tell (a source that lists
--   a whole board) has been missing from two complete fetches; reopened when
--   one comes back.
ALTER TABLE postings ADD COLUMN owner_rank INTEGER NOT NULL DEFAULT 0;  -- how authoritative the owning source is
ALTER TABLE postings ADD COLUMN closed_at INTEGER;     -- unix seconds; NULL while open
ALTER TABLE postings ADD COLUMN reopened_at INTEGER;   -- when it came back after being closed

ALTER TABLE sightings ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;       -- 2 employer's ATS, 1 job board, 0 feed
ALTER TABLE sightings ADD COLUMN reason TEXT NOT NULL DEFAULT 'first';  -- first | url | apply-link | link | content | split
ALTER TABLE sightings ADD COLUMN detail TEXT;          -- the evidence, in words
ALTER TABLE sightings ADD COLUMN company_key TEXT;
ALTER TABLE sightings ADD COLUMN title_key TEXT;
ALTER TABLE sightings ADD COLUMN places TEXT;          -- location words, space-separated
ALTER TABLE sightings ADD COLUMN sketch BLOB;          -- bottom-k hashes of the description's word 3-grams
ALTER TABLE sightings ADD COLUMN apply_url TEXT;       -- canonical
ALTER TABLE sightings ADD COLUMN tracked INTEGER NOT NULL DEFAULT 0;    -- 1: its source proves absence
ALTER TABLE sightings ADD COLUMN missed INTEGER NOT NULL DEFAULT 0;     -- complete fetches in a row without it
ALTER TABLE sightings ADD COLUMN closed_at INTEGER;
ALTER TABLE sightings ADD COLUMN content_hash INTEGER; -- of the listing as last seen; NULL: keys not yet written

-- Existing listings: rank and tracking by their source's kind; the keys are
-- computed from each job's stored content when this migration runs.
UPDATE sightings SET
    rank = CASE (SELECT kind FROM sources WHERE sources.name = sightings.source)
        WHEN 'greenhouse' THEN 2 WHEN 'lever' THEN 2 WHEN 'ashby' THEN 2 WHEN 'workable' THEN 2
        WHEN 'smartrecruiters' THEN 2 WHEN 'recruitee' THEN 2
        WHEN 'feed' THEN 0 ELSE 1 END,
    tracked = CASE (SELECT kind FROM sources WHERE sources.name = sightings.source)
        WHEN 'greenhouse' THEN 1 WHEN 'lever' THEN 1 WHEN 'ashby' THEN 1 WHEN 'workable' THEN 1
        WHEN 'smartrecruiters' THEN 1 WHEN 'recruitee' THEN 1 WHEN 'remoteok' THEN 1
        WHEN 'remotive' THEN 1 WHEN 'jobicy' THEN 1 WHEN 'himalayas' THEN 1 WHEN 'getro' THEN 1
        ELSE 0 END;
UPDATE postings SET owner_rank = coalesce(
    (SELECT rank FROM sightings s WHERE s.source = postings.source AND s.external_id = postings.external_id), 0);

CREATE INDEX sightings_url ON sightings(url) WHERE url IS NOT NULL;
CREATE INDEX sightings_apply_url ON sightings(apply_url) WHERE apply_url IS NOT NULL;
CREATE INDEX sightings_identity ON sightings(company_key, title_key, posting_id) WHERE company_key IS NOT NULL;

-- Links found in a sighting's description (aggregators carry the employer's
-- posting link there): a later sighting whose URL is one of them is the same job.
CREATE TABLE sighting_links (
    url         TEXT NOT NULL,
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    PRIMARY KEY (url, source, external_id)
) WITHOUT ROWID;
CREATE INDEX sighting_links_sighting ON sighting_links(source, external_id);
