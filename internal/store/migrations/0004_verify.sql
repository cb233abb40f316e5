-- 0004 verification of derived box scores against official ones
-- (nbasim verify). One row per run; the latest result of every
-- (game, official source) pair with its grade; every differing cell with
-- its cause. Derived boxes themselves go to player_box/team_box with
-- source 'derived'.
CREATE TABLE verify_runs (
    run_id            TEXT PRIMARY KEY,
    started_at        TEXT NOT NULL,
    finished_at       TEXT,
    scope             TEXT NOT NULL,             -- "game 0021800001", "season 2018-19", "all", "data <dir>"
    games             INTEGER NOT NULL DEFAULT 0,
    failed            INTEGER NOT NULL DEFAULT 0,
    degraded          INTEGER NOT NULL DEFAULT 0,
    cells             BIGINT NOT NULL DEFAULT 0,
    cells_exact       BIGINT NOT NULL DEFAULT 0,
    fully_exact       INTEGER NOT NULL DEFAULT 0,
    team_points_exact INTEGER NOT NULL DEFAULT 0,
    team_totals_exact INTEGER NOT NULL DEFAULT 0,
    minutes_compared  INTEGER NOT NULL DEFAULT 0,
    minutes_ok        INTEGER NOT NULL DEFAULT 0,
    cells_exact_share {{float}} NOT NULL DEFAULT 0,
    summary_json      TEXT
);
CREATE INDEX verify_runs_started ON verify_runs (started_at);

CREATE TABLE verify_games (
    game_id           TEXT NOT NULL,
    source            TEXT NOT NULL,             -- official box source
    provider          TEXT,                      -- play-by-play provider the box was derived from
    run_id            TEXT NOT NULL,
    verified_at       TEXT NOT NULL,
    grade             TEXT NOT NULL,             -- A..F (docs/pbp-engine.md)
    error             TEXT,                      -- the game failed
    cells             INTEGER NOT NULL DEFAULT 0,
    cells_exact       INTEGER NOT NULL DEFAULT 0,
    player_lines      INTEGER NOT NULL DEFAULT 0,
    minutes_compared  INTEGER NOT NULL DEFAULT 0,
    minutes_ok        INTEGER NOT NULL DEFAULT 0,
    plus_minus_ok     INTEGER NOT NULL DEFAULT 0,
    team_points_exact INTEGER NOT NULL DEFAULT 0,
    team_totals_exact INTEGER NOT NULL DEFAULT 0,
    fully_exact       INTEGER NOT NULL DEFAULT 0,
    degraded          INTEGER NOT NULL DEFAULT 0,
    degraded_reasons  TEXT,
    quirks            TEXT,
    PRIMARY KEY (game_id, source)
);
CREATE INDEX verify_games_grade ON verify_games (grade);

CREATE TABLE verify_diffs (
    game_id     TEXT NOT NULL,
    source      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    scope       TEXT NOT NULL,                   -- player, team
    side        TEXT NOT NULL DEFAULT '',
    player_id   TEXT,
    official_id TEXT,
    name        TEXT,
    stat        TEXT NOT NULL,
    derived     INTEGER NOT NULL,
    official    INTEGER NOT NULL,
    cause       TEXT NOT NULL,
    PRIMARY KEY (game_id, source, seq)
);
