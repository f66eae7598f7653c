-- The full-text index only narrows a search (the query matcher decides), so it
-- needs to know which columns hold a word, not where: `detail = column` keeps
-- no positions, which makes it a fraction of the size and faster to write.
-- Rebuilt from the stored postings, with the same text the store indexes
-- (locations joined by "; ", the description followed by its tags).
DROP TABLE postings_fts;
CREATE VIRTUAL TABLE postings_fts USING fts5(
    title, company, location, text,
    content = '',
    contentless_delete = 1,
    detail = column,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Merge segments eight at a time rather than four: half the merge passes
-- while ingesting, and still few segments for a search to read.
INSERT INTO postings_fts (postings_fts, rank) VALUES ('automerge', 8);
INSERT INTO postings_fts (rowid, title, company, location, text)
SELECT
    p.id,
    p.title,
    p.company,
    (SELECT group_concat(value, '; ') FROM json_each(p.locations)),
    p.text || (SELECT coalesce(group_concat(char(10) || value, ''), '') FROM json_each(p.tags))
FROM postings p;
