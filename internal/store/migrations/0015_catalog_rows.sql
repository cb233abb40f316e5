-- Rows of the stats.nba.com catalog endpoints (docs/catalog.md) and the
-- typed shots table.
--
-- stats_rows: every row of every result set of every catalog object
-- without a typed parser, one row each, the row as a JSON object
-- {"HEADER": value, ...} in row_json (TEXT: json_extract in SQLite,
-- row_json::jsonb in PostgreSQL). One table, not one per endpoint and
-- result set: an endpoint added to the catalog loads with no DDL, the
-- columns of a result set change over the seasons without a migration, and
-- the schema stays one versioned, checksummed source for both dialects.
CREATE TABLE stats_rows (
    key        TEXT NOT NULL,     -- lake key of the object
    endpoint   TEXT NOT NULL,     -- catalog dataset (nba_stats/{endpoint}/...)
    season     TEXT NOT NULL,     -- the key's season segment (all: no season)
    item       TEXT NOT NULL,
    result_set TEXT NOT NULL,     -- result set name, or the JSON path of a nested row set
    row_index  INTEGER NOT NULL,  -- 0-based, in the response's order
    game_id    TEXT,              -- the row's GAME_ID / gameId, else the object's game
    player_id  TEXT,              -- the row's PLAYER_ID / personId
    team_id    TEXT,              -- the row's TEAM_ID / teamId
    row_json   TEXT NOT NULL,
    PRIMARY KEY (key, result_set, row_index)
);
CREATE INDEX stats_rows_endpoint ON stats_rows (endpoint, result_set);
CREATE INDEX stats_rows_game ON stats_rows (game_id);
CREATE INDEX stats_rows_player ON stats_rows (player_id);

-- The headers of each result set as loaded (a JSON array), for
-- describe_table-style discovery.
CREATE TABLE stats_result_sets (
    endpoint   TEXT NOT NULL,
    result_set TEXT NOT NULL,
    headers    TEXT NOT NULL,
    PRIMARY KEY (endpoint, result_set)
);

-- shots: shotchartdetail's Shot_Chart_Detail rows, typed. event_num is
-- the play-by-play EVENTNUM (plays.event_num); clock is tenths of a second
-- remaining in the period; x, y tenths of a foot from the basket.
CREATE TABLE shots (
    game_id     TEXT NOT NULL,
    event_num   INTEGER NOT NULL,
    period      INTEGER NOT NULL,
    clock       INTEGER NOT NULL,
    player_id   TEXT,
    player_name TEXT,
    team_id     TEXT,
    x           INTEGER NOT NULL,
    y           INTEGER NOT NULL,
    distance    INTEGER,
    made        INTEGER NOT NULL,
    shot_type   TEXT,
    action_type TEXT,
    zone        TEXT,
    zone_area   TEXT,
    zone_range  TEXT,
    key         TEXT NOT NULL,  -- lake key of the object it was read from
    PRIMARY KEY (game_id, event_num)
);
CREATE INDEX shots_player ON shots (player_id);
