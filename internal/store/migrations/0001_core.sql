-- 0001 core schema. Timestamps are ISO-8601 UTC text and booleans 0/1
-- integers in both dialects so that one set of typed helpers scans both.
CREATE TABLE seasons (
    season        TEXT PRIMARY KEY,          -- "2018-19"
    start_year    INTEGER NOT NULL,
    regular_games INTEGER,                   -- scheduled regular-season games, when known
    playoff_games INTEGER,
    updated_at    TEXT NOT NULL
);

CREATE TABLE teams (
    team_id    TEXT PRIMARY KEY,             -- NBA team id
    code       TEXT NOT NULL,                -- NBA code: BKN, CHA, PHX
    city       TEXT,
    name       TEXT,
    espn_id    TEXT,
    espn_code  TEXT,                         -- GS, NY, SA, NO, UTAH, WSH
    bbref_code TEXT,                         -- BRK, CHO, PHO
    updated_at TEXT NOT NULL
);

CREATE TABLE players (
    player_id  TEXT PRIMARY KEY,             -- NBA person id (or "espn:<id>", "bbref:<slug>" when no NBA id is known)
    name       TEXT NOT NULL,
    espn_id    TEXT,
    bbref_id   TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX players_espn_id ON players (espn_id);
CREATE INDEX players_bbref_id ON players (bbref_id);

CREATE TABLE games (
    game_id      TEXT PRIMARY KEY,           -- NBA GAME_ID, 10 digits
    season       TEXT NOT NULL,
    season_type  TEXT NOT NULL,              -- regular, playoffs, play_in, preseason, cup_final, allstar
    game_date    TEXT,                       -- YYYY-MM-DD, US local date
    home_team_id TEXT,
    away_team_id TEXT,
    home_code    TEXT,
    away_code    TEXT,
    home_pts     INTEGER,
    away_pts     INTEGER,
    status       TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, final
    espn_id      TEXT,
    bbref_id     TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX games_season ON games (season, game_date);
CREATE INDEX games_date ON games (game_date);
CREATE INDEX games_espn_id ON games (espn_id);
CREATE INDEX games_bbref_id ON games (bbref_id);

CREATE TABLE plays (
    game_id      TEXT NOT NULL,
    provider     TEXT NOT NULL,              -- nba_stats/playbyplayv2, espn/summary, ...
    ord          INTEGER NOT NULL,           -- order in the normalized stream
    event_num    INTEGER NOT NULL,
    period       INTEGER NOT NULL,
    clock        INTEGER NOT NULL,           -- tenths of a second remaining in the period
    elapsed      INTEGER NOT NULL,           -- tenths of a second since the opening tip
    type         INTEGER NOT NULL,           -- pbp.EventType
    subtype      TEXT,
    side         INTEGER NOT NULL DEFAULT 0, -- 0 none, 1 home, 2 away
    team_event   INTEGER NOT NULL DEFAULT 0,
    made         INTEGER NOT NULL DEFAULT 0,
    points       INTEGER NOT NULL DEFAULT 0,
    three        INTEGER NOT NULL DEFAULT 0,
    ft_num       INTEGER NOT NULL DEFAULT 0,
    ft_of        INTEGER NOT NULL DEFAULT 0,
    ft_kind      INTEGER NOT NULL DEFAULT 0,
    rebound_kind INTEGER NOT NULL DEFAULT 0,
    foul_kind    INTEGER NOT NULL DEFAULT 0,
    player_id    TEXT,
    assist_id    TEXT,
    block_id     TEXT,
    steal_id     TEXT,
    fouled_id    TEXT,
    sub_in_id    TEXT,
    sub_out_id   TEXT,
    jump2_id     TEXT,
    jump_to_id   TEXT,
    score_home   INTEGER NOT NULL DEFAULT -1,
    score_away   INTEGER NOT NULL DEFAULT -1,
    description  TEXT,
    PRIMARY KEY (game_id, provider, ord)
);

CREATE TABLE player_box (
    game_id    TEXT NOT NULL,
    source     TEXT NOT NULL,                -- provider/endpoint of an official box, or "derived"
    scope      TEXT NOT NULL DEFAULT 'game', -- "game", or "range:<from>-<to>" in tenths of elapsed time
    player_id  TEXT NOT NULL,
    team_id    TEXT,
    side       INTEGER NOT NULL DEFAULT 0,
    name       TEXT,
    starter    INTEGER NOT NULL DEFAULT 0,
    dnp        INTEGER NOT NULL DEFAULT 0,
    seconds    INTEGER NOT NULL DEFAULT 0,   -- tenths of a second on court
    pts INTEGER NOT NULL DEFAULT 0, fgm INTEGER NOT NULL DEFAULT 0, fga INTEGER NOT NULL DEFAULT 0,
    fg3m INTEGER NOT NULL DEFAULT 0, fg3a INTEGER NOT NULL DEFAULT 0, ftm INTEGER NOT NULL DEFAULT 0,
    fta INTEGER NOT NULL DEFAULT 0, oreb INTEGER NOT NULL DEFAULT 0, dreb INTEGER NOT NULL DEFAULT 0,
    reb INTEGER NOT NULL DEFAULT 0, ast INTEGER NOT NULL DEFAULT 0, stl INTEGER NOT NULL DEFAULT 0,
    blk INTEGER NOT NULL DEFAULT 0, tov INTEGER NOT NULL DEFAULT 0, pf INTEGER NOT NULL DEFAULT 0,
    plus_minus INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (game_id, source, scope, player_id)
);

CREATE TABLE team_box (
    game_id    TEXT NOT NULL,
    source     TEXT NOT NULL,
    scope      TEXT NOT NULL DEFAULT 'game',
    team_id    TEXT NOT NULL,
    code       TEXT,
    side       INTEGER NOT NULL DEFAULT 0,
    seconds    INTEGER NOT NULL DEFAULT 0,
    pts INTEGER NOT NULL DEFAULT 0, fgm INTEGER NOT NULL DEFAULT 0, fga INTEGER NOT NULL DEFAULT 0,
    fg3m INTEGER NOT NULL DEFAULT 0, fg3a INTEGER NOT NULL DEFAULT 0, ftm INTEGER NOT NULL DEFAULT 0,
    fta INTEGER NOT NULL DEFAULT 0, oreb INTEGER NOT NULL DEFAULT 0, dreb INTEGER NOT NULL DEFAULT 0,
    reb INTEGER NOT NULL DEFAULT 0, ast INTEGER NOT NULL DEFAULT 0, stl INTEGER NOT NULL DEFAULT 0,
    blk INTEGER NOT NULL DEFAULT 0, tov INTEGER NOT NULL DEFAULT 0, pf INTEGER NOT NULL DEFAULT 0,
    plus_minus INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (game_id, source, scope, team_id)
);

CREATE TABLE raw_objects (
    key            TEXT PRIMARY KEY,         -- lake key
    source         TEXT NOT NULL,
    endpoint       TEXT NOT NULL,
    season         TEXT,
    item           TEXT,                     -- game id, date, ... the key names
    size           BIGINT NOT NULL DEFAULT 0,
    sha256         TEXT,
    fetched_at     TEXT,
    content_type   TEXT,
    parse_status   TEXT NOT NULL DEFAULT 'pending', -- pending, ok, failed, skipped
    parser_version INTEGER NOT NULL DEFAULT 0,
    parsed_at      TEXT,
    rows_loaded    BIGINT NOT NULL DEFAULT 0,
    error          TEXT
);
CREATE INDEX raw_objects_status ON raw_objects (parse_status);
CREATE INDEX raw_objects_source ON raw_objects (source, endpoint, season);

CREATE TABLE quarantine (
    key            TEXT NOT NULL,            -- lake key (or file path) of the bad input
    position       TEXT NOT NULL DEFAULT '', -- row, event, byte offset or JSON path within it
    source         TEXT,
    game_id        TEXT,
    reason         TEXT NOT NULL,
    parser_version INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (key, position)
);
