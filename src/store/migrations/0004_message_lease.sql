-- A message is claimed before it is sent, so two processes on one database
-- (the daemon and a `jobhound fetch` beside it) never send it at once: the
-- claim is one UPDATE that succeeds only where no lease is held or the lease
-- has run out. A sender that dies holding a lease is replaced when it expires
-- (a little longer than a request may take), and the message goes out again
-- under its same idempotency key.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
ALTER TABLE messages ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
