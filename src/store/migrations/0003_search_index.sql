-- The search index, as searches use it:
-- - It only narrows a search (the query matcher decides), so it keeps which
--   columns hold a word, not where: `detail = column` makes it a fraction of
--   the size and cheaper to write. jobhound indexes each field's distinct
--   words as its query tokenizer splits them; rebuilt here from the stored
--   text, which SQLite tokenizes alike.
-- - Searches list newest first. Rowids are `sort_day << 29 | id` (sort_day =
--   sort_at in whole days since 1970), so the index itself lists a query's
--   matches newest day first and a search stops after the first few instead
--   of sorting every posting that has the words (ingest.rs: fts_key). Whole
--   days keep the rowid gaps, and so the index, small; within a day the
--   posting discovered last comes first. The posting table gets the same
--   order as an index, for searches the full-text index cannot narrow.
-- - Segments merge eight at a time rather than four: half the merge passes
--   while ingesting, and still few segments for a search to read.
ALTER TABLE postings ADD COLUMN sort_day INTEGER GENERATED ALWAYS AS (sort_at / 86400) VIRTUAL;
CREATE INDEX postings_sort_day ON postings(sort_day, id);
DROP INDEX postings_sort_at;

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
    (max(p.sort_at / 86400, 0) << 29) | p.id,
    p.title,
    p.company,
    (SELECT group_concat(value, '; ') FROM json_each(p.locations)),
    p.text || (SELECT coalesce(group_concat(char(10) || value, ''), '') FROM json_each(p.tags))
FROM postings p;
