-- The search index in one column without column lists (`detail = none`):
-- it keeps only which postings hold a word, a third of the bytes. A word of
-- the title, company or location is indexed a second time behind its
-- field's mark (store/ingest/fts.rs), so field searches still read one
-- word's list. migrations.rs indexes every stored posting after this.
DROP TABLE postings_fts;
CREATE VIRTUAL TABLE postings_fts USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO postings_fts (postings_fts, rank) VALUES ('automerge', 8);
