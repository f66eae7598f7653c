-- One stored copy of each description, compressed (description.rs): the
-- sanitized HTML and the plain text in one zstd frame instead of two TEXT
-- columns; and no url_key, which always held the same value as url (no query
-- reads it: cross-source identity looks URLs up in sightings).
ALTER TABLE postings ADD COLUMN description BLOB;
-- migrations.rs compresses every posting's description at the next line.
-- @backfill
DROP INDEX postings_url_key;
ALTER TABLE postings DROP COLUMN url_key;
ALTER TABLE postings DROP COLUMN description_html;
ALTER TABLE postings DROP COLUMN text;
