-- 0005 reconciliation: one row per run, and the coverage of every
-- source x dataset x season at that run (the trend `nbasim coverage` shows).
-- The task queue itself is River's river_job table (rivermigrate).
CREATE TABLE reconcile_runs (
    run_id       TEXT PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL,              -- ok, failed
    scan_mode    TEXT NOT NULL DEFAULT '',   -- full, sample, inventory, cache
    sample_rate  {{float}} NOT NULL DEFAULT 1,
    objects      BIGINT NOT NULL DEFAULT 0,  -- objects listed
    unknown      BIGINT NOT NULL DEFAULT 0,  -- keys in no known layout
    expected     BIGINT NOT NULL DEFAULT 0,
    present      BIGINT NOT NULL DEFAULT 0,
    completeness {{float}} NOT NULL DEFAULT 0,    -- 0..1
    gaps         INTEGER NOT NULL DEFAULT 0,
    tasks        INTEGER NOT NULL DEFAULT 0,
    tasks_new    INTEGER NOT NULL DEFAULT 0, -- tasks not already queued
    plan_path    TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reconcile_runs_started ON reconcile_runs (started_at);

CREATE TABLE coverage_history (
    run_id       TEXT NOT NULL REFERENCES reconcile_runs (run_id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    dataset      TEXT NOT NULL,
    season       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    expected     BIGINT NOT NULL DEFAULT 0,
    present      BIGINT NOT NULL DEFAULT 0,
    missing      BIGINT NOT NULL DEFAULT 0,
    stale        BIGINT NOT NULL DEFAULT 0,
    invalid      BIGINT NOT NULL DEFAULT 0,
    extra        BIGINT NOT NULL DEFAULT 0,
    completeness {{float}} NOT NULL DEFAULT 0,
    estimated    INTEGER NOT NULL DEFAULT 0,
    required     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, source, dataset, season)
);
CREATE INDEX coverage_history_cell ON coverage_history (source, dataset, season, recorded_at);
