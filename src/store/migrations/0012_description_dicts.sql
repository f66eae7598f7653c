-- Description dictionaries trained on the database's own descriptions
-- (description/train.rs). A row with a NULL dict records a training that
-- found too little text: the next waits for the store to grow as a
-- retraining would. Rows are never deleted: old descriptions keep naming
-- the dictionary they were compressed with.
CREATE TABLE description_dicts (
    seq             INTEGER PRIMARY KEY,
    dict_id         INTEGER UNIQUE,              -- zstd's id, named in each frame
    postings        INTEGER NOT NULL,            -- the highest posting id when trained
    trained_at      INTEGER NOT NULL,            -- unix seconds
    recompressed_to INTEGER NOT NULL DEFAULT 0,  -- posting ids up to here re-encoded with it
    dict            BLOB
);
