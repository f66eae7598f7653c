-- Full-text rowids become `sort_at << 29 | id`, so the index itself lists a
-- query's matches newest first and a search stops after the first few instead
-- of sorting every posting that has the words (ingest.rs: fts_key).
DROP TABLE postings_fts;
CREATE VIRTUAL TABLE postings_fts USING fts5(
    title, company, location, text,
    content = '',
    contentless_delete = 1,
    detail = column,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO postings_fts (postings_fts, rank) VALUES ('automerge', 8);
INSERT INTO postings_fts (rowid, title, company, location, text)
SELECT
    (max(p.sort_at, 0) << 29) | p.id,
    p.title,
    p.company,
    (SELECT group_concat(value, '; ') FROM json_each(p.locations)),
    p.text || (SELECT coalesce(group_concat(char(10) || value, ''), '') FROM json_each(p.tags))
FROM postings p;
