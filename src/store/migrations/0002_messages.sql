-- Outgoing messages: one row per request or mail sent through a notifier. A
-- message carries one or more deliveries (a batch of matches, or a digest) and
-- is written before it is sent, so a resend after a crash is the same message
-- with the same idempotency key. Its deliveries stay pending until it is confirmed.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    notifier        TEXT    NOT NULL,
    digest_at       INTEGER,            -- the schedule time of a digest; NULL when immediate
    status          TEXT    NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX messages_due ON messages(notifier, next_attempt_at) WHERE status = 'pending';

-- The message a delivery travels in; NULL until it is put in one.
ALTER TABLE deliveries ADD COLUMN message_id INTEGER REFERENCES messages(id);
CREATE INDEX deliveries_unassigned ON deliveries(notifier, id)
    WHERE status = 'pending' AND message_id IS NULL;
CREATE INDEX deliveries_message ON deliveries(message_id) WHERE message_id IS NOT NULL;

-- Per digest notifier: the schedule time of the last digest (sent, or skipped as empty).
CREATE TABLE digest_clock (
    notifier  TEXT    PRIMARY KEY,
    last_tick INTEGER NOT NULL
) WITHOUT ROWID;
