-- What a failed fetch's answer asked of us: its HTTP status (401, 403, 404 and
-- 410 are permanent: retried only every retry_max) and its Retry-After, in
-- seconds, which the next attempt honours.
ALTER TABLE sources ADD COLUMN failed_status INTEGER;
ALTER TABLE sources ADD COLUMN retry_after INTEGER;
