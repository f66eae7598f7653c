-- What a source kind that is not HTTP keeps between fetches, as JSON: for an
-- IMAP mailbox, its UIDVALIDITY and the last UID read (so each email is
-- parsed once), and the health of its last read (emails read and skipped,
-- warnings). Written in the same transaction as the fetch's postings.
ALTER TABLE sources ADD COLUMN kind_state TEXT;
