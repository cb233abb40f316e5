-- 0007 collectors: the last failure of each lake object that could not be
-- fetched. A permanent failure (404, 400, a payload for another game) is
-- not asked again for a while (nbasim fetch --retry-permanent asks anyway);
-- a success deletes the row. Reconciliation reads it to tell "missing" from
-- "does not exist upstream".
CREATE TABLE fetch_log (
    lake_key   TEXT PRIMARY KEY,          -- the object that could not be fetched
    source     TEXT NOT NULL,
    dataset    TEXT NOT NULL,
    season     TEXT NOT NULL,
    item       TEXT NOT NULL,
    url        TEXT NOT NULL,
    class      TEXT NOT NULL,             -- permanent, retriable, throttled
    status     INTEGER NOT NULL DEFAULT 0, -- HTTP status, 0 when none was received
    reason     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0, -- attempts of the last run
    failures   INTEGER NOT NULL DEFAULT 1, -- runs that failed so far
    first_at   TEXT NOT NULL,
    last_at    TEXT NOT NULL
);
CREATE INDEX fetch_log_class ON fetch_log (class, source, dataset, season);
