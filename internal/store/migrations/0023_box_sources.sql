-- 0023 the canonical views on tables the store maintains with the boxes
-- (issue 14; docs/store.md, "Canonical views at scale"). The views of
-- 0012/0021 chose each game's box source (ROW_NUMBER per game), summed its
-- players' lines (GROUP BY) and evaluated the individual ratings over every
-- row of player_box and team_box at query time: on the whole archive
-- (14,061 games) 5 of the 8 analyst queries of scripts/canonical-views.sh
-- ran past 30 s on PostgreSQL (nested loops over the aggregates), and
-- SQLite spent most of a full player_games scan on off_rtg (its flattened
-- expression). Now, per game:
-- * game_box_sources: the source player_games uses and the one team_games
--   uses (0012's choice: the most complete official box, else derived);
-- * team_game_lines: each team line of the chosen team source with its
--   counting stats (its players' sums of that source, else the line's own),
--   its opponent's and the win; team_game_stats adds the formulas and
--   team_games the games and verify_games columns, at query time;
-- * player_game_lines: what player_games computes from the boxes for each
--   player line of the chosen player source (player_games_live, 0021's
--   formulas); player_games adds the games, players and verify_games
--   columns at query time.
-- store.UpsertBoxes, the one writer of player_box and team_box, refreshes
-- the games it writes in its transaction (store.RefreshBoxSources). The
-- statements below are that refresh over every game (the backfill);
-- store.RebuildBoxSources runs them again. The views give the same rows as
-- before (internal/advanced TestViewsBeforeAfterBoxSources).

CREATE TABLE game_box_sources (
    game_id       TEXT NOT NULL PRIMARY KEY,
    player_source TEXT,
    team_source   TEXT
);

CREATE TABLE team_game_lines (
    game_id     TEXT NOT NULL,
    team_id     TEXT NOT NULL,
    source      TEXT NOT NULL,
    code        TEXT,
    side        TEXT NOT NULL,
    seconds     INTEGER NOT NULL,
    win         INTEGER,
    pts         BIGINT NOT NULL,
    fgm         BIGINT NOT NULL,
    fga         BIGINT NOT NULL,
    fg3m        BIGINT NOT NULL,
    fg3a        BIGINT NOT NULL,
    ftm         BIGINT NOT NULL,
    fta         BIGINT NOT NULL,
    oreb        BIGINT NOT NULL,
    dreb        BIGINT NOT NULL,
    reb         BIGINT NOT NULL,
    ast         BIGINT NOT NULL,
    stl         BIGINT NOT NULL,
    blk         BIGINT NOT NULL,
    tov         BIGINT NOT NULL,
    pf          BIGINT NOT NULL,
    opp_team_id TEXT,
    opp_code    TEXT,
    opp_pts     BIGINT,
    opp_fgm     BIGINT,
    opp_fga     BIGINT,
    opp_fg3m    BIGINT,
    opp_fg3a    BIGINT,
    opp_ftm     BIGINT,
    opp_fta     BIGINT,
    opp_oreb    BIGINT,
    opp_dreb    BIGINT,
    opp_reb     BIGINT,
    opp_ast     BIGINT,
    opp_stl     BIGINT,
    opp_blk     BIGINT,
    opp_tov     BIGINT,
    opp_pf      BIGINT
);
CREATE INDEX team_game_lines_game ON team_game_lines (game_id, side);

CREATE TABLE player_game_lines (
    game_id        TEXT NOT NULL,
    player_id      TEXT NOT NULL,
    name           TEXT,
    team_id        TEXT,
    team_code      TEXT,
    side           TEXT,
    opp_team_id    TEXT,
    opp_code       TEXT,
    win            INTEGER,
    starter        INTEGER NOT NULL,
    seconds_played {{float}} NOT NULL,
    pts            INTEGER NOT NULL,
    fgm            INTEGER NOT NULL,
    fga            INTEGER NOT NULL,
    fg3m           INTEGER NOT NULL,
    fg3a           INTEGER NOT NULL,
    ftm            INTEGER NOT NULL,
    fta            INTEGER NOT NULL,
    oreb           INTEGER NOT NULL,
    dreb           INTEGER NOT NULL,
    reb            INTEGER NOT NULL,
    ast            INTEGER NOT NULL,
    stl            INTEGER NOT NULL,
    blk            INTEGER NOT NULL,
    tov            INTEGER NOT NULL,
    pf             INTEGER NOT NULL,
    plus_minus     INTEGER NOT NULL,
    ts_pct         {{float}},
    efg_pct        {{float}},
    fg3a_rate      {{float}},
    fta_rate       {{float}},
    usg_pct        {{float}},
    ast_pct        {{float}},
    orb_pct        {{float}},
    drb_pct        {{float}},
    trb_pct        {{float}},
    stl_pct        {{float}},
    blk_pct        {{float}},
    tov_pct        {{float}},
    off_rtg        {{float}},
    def_rtg        {{float}},
    source         TEXT NOT NULL
);
CREATE INDEX player_game_lines_game ON player_game_lines (game_id, player_id);
CREATE INDEX player_game_lines_player ON player_game_lines (player_id, game_id);

DROP VIEW player_games;
DROP VIEW team_games;
DROP VIEW player_box_source;
DROP VIEW team_box_source;

CREATE VIEW player_box_source AS
SELECT game_id, player_source AS source FROM game_box_sources WHERE player_source IS NOT NULL;

CREATE VIEW team_box_source AS
SELECT game_id, team_source AS source FROM game_box_sources WHERE team_source IS NOT NULL;

-- team_game_stats: 0012's team_games from team_game_lines alone (no games
-- or verify_games columns): a view without joins, which player_games_live
-- joins (SQLite flattens it into the join instead of computing every
-- team-game).
CREATE VIEW team_game_stats AS
SELECT x.*,
    CAST(100.0 * x.pts / NULLIF(x.possessions, 0) AS DOUBLE PRECISION) AS off_rtg,
    CAST(100.0 * x.opp_pts / NULLIF(x.possessions, 0) AS DOUBLE PRECISION) AS def_rtg,
    CAST(100.0 * (x.pts - x.opp_pts) / NULLIF(x.possessions, 0) AS DOUBLE PRECISION) AS net_rtg,
    CAST(48.0 * 60.0 * x.possessions / NULLIF(x.game_seconds, 0) AS DOUBLE PRECISION) AS pace,
    CAST((1.0 * x.fgm + 0.5 * x.fg3m) / NULLIF(x.fga, 0) AS DOUBLE PRECISION) AS efg_pct,
    CAST(1.0 * x.pts / NULLIF(2.0 * (x.fga + 0.44 * x.fta), 0) AS DOUBLE PRECISION) AS ts_pct,
    CAST(1.0 * x.tov / NULLIF(x.fga + 0.44 * x.fta + x.tov, 0) AS DOUBLE PRECISION) AS tov_pct,
    CAST(1.0 * x.oreb / NULLIF(x.oreb + x.opp_dreb, 0) AS DOUBLE PRECISION) AS orb_pct,
    CAST(1.0 * x.dreb / NULLIF(x.dreb + x.opp_oreb, 0) AS DOUBLE PRECISION) AS drb_pct,
    CAST(1.0 * x.ftm / NULLIF(x.fga, 0) AS DOUBLE PRECISION) AS ft_per_fga,
    CAST(1.0 * x.fg3a / NULLIF(x.fga, 0) AS DOUBLE PRECISION) AS fg3a_rate,
    CAST(1.0 * x.fta / NULLIF(x.fga, 0) AS DOUBLE PRECISION) AS fta_rate,
    CAST(1.0 * x.ast / NULLIF(x.fgm, 0) AS DOUBLE PRECISION) AS ast_per_fgm
FROM (
SELECT b.*,
    CAST(0.5 * (
        (b.fga + 0.4 * b.fta - 1.07 * b.oreb / NULLIF(b.oreb + b.opp_dreb, 0) * (b.fga - b.fgm) + b.tov) +
        (b.opp_fga + 0.4 * b.opp_fta - 1.07 * b.opp_oreb / NULLIF(b.opp_oreb + b.dreb, 0) * (b.opp_fga - b.opp_fgm) + b.opp_tov)
    ) AS DOUBLE PRECISION) AS possessions
FROM (
    SELECT l.game_id, l.team_id, l.code AS team_code, l.side, l.opp_team_id, l.opp_code, l.win,
        CAST(l.seconds AS DOUBLE PRECISION) / 50.0 AS game_seconds,
        CAST(l.seconds AS DOUBLE PRECISION) / 10.0 AS player_seconds,
        l.pts, l.fgm, l.fga, l.fg3m, l.fg3a, l.ftm, l.fta, l.oreb, l.dreb, l.reb, l.ast, l.stl, l.blk, l.tov, l.pf,
        l.opp_pts, l.opp_fgm, l.opp_fga, l.opp_fg3m, l.opp_fg3a, l.opp_ftm, l.opp_fta, l.opp_oreb, l.opp_dreb, l.opp_reb,
        l.opp_ast, l.opp_stl, l.opp_blk, l.opp_tov, l.opp_pf,
        l.source
    FROM team_game_lines l
) b
) x;

-- team_games: 0012's columns, on team_game_stats.
CREATE VIEW team_games AS
SELECT t.game_id, g.season, g.season_type, g.game_date,
    t.team_id, t.team_code, t.side, t.opp_team_id, t.opp_code, t.win, t.game_seconds, t.player_seconds,
    t.pts, t.fgm, t.fga, t.fg3m, t.fg3a, t.ftm, t.fta, t.oreb, t.dreb, t.reb, t.ast, t.stl, t.blk, t.tov, t.pf,
    t.opp_pts, t.opp_fgm, t.opp_fga, t.opp_fg3m, t.opp_fg3a, t.opp_ftm, t.opp_fta, t.opp_oreb, t.opp_dreb, t.opp_reb,
    t.opp_ast, t.opp_stl, t.opp_blk, t.opp_tov, t.opp_pf,
    t.source,
    CASE WHEN t.source = 'derived' THEN NULL ELSE v.grade END AS grade,
    t.possessions, t.off_rtg, t.def_rtg, t.net_rtg, t.pace, t.efg_pct, t.ts_pct, t.tov_pct, t.orb_pct, t.drb_pct,
    t.ft_per_fga, t.fg3a_rate, t.fta_rate, t.ast_per_fgm
FROM team_game_stats t
LEFT JOIN games g ON g.game_id = t.game_id
LEFT JOIN verify_games v ON v.game_id = t.game_id AND v.source = t.source;

-- player_games_live: 0021's player_games from the boxes alone (no games,
-- players or verify_games columns), on game_box_sources and
-- team_game_stats, computed at query time: the refresh copies a game's rows
-- into player_game_lines.
CREATE VIEW player_games_live AS
SELECT y.game_id, y.player_id, y.name,
    y.team_id, y.team_code, y.side, y.opp_team_id, y.opp_code, y.win, y.starter, y.seconds_played,
    y.pts, y.fgm, y.fga, y.fg3m, y.fg3a, y.ftm, y.fta, y.oreb, y.dreb, y.reb,
    y.ast, y.stl, y.blk, y.tov, y.pf, y.plus_minus,
    y.ts_pct, y.efg_pct, y.fg3a_rate, y.fta_rate, y.usg_pct, y.ast_pct, y.orb_pct, y.drb_pct, y.trb_pct,
    y.stl_pct, y.blk_pct, y.tov_pct,
    CAST(100.0 * y.pprod / NULLIF(y.sc_poss + y.fgx_poss + y.ftx_poss + y.tov, 0) AS DOUBLE PRECISION) AS off_rtg,
    CAST(y.team_drtg + 0.2 * (100.0 * y.d_pts_per_scposs * (1.0 - y.stops * y.t_mp / NULLIF(y.o_poss * y.mp, 0)) - y.team_drtg) AS DOUBLE PRECISION) AS def_rtg,
    y.source
FROM (
SELECT x.*,
    (x.fg_part + x.ast_part + x.ft_part) * (1.0 - x.t_oreb / NULLIF(x.t_sc_poss, 0) * x.t_orb_weight * x.t_play_pct) + x.fg_orb_part AS sc_poss,
    (x.fga - x.fgm) * (1.0 - 1.07 * x.t_orb_pct) AS fgx_poss,
    CASE WHEN x.fta > 0 THEN (1.0 - 1.0 * x.ftm / x.fta) * (1.0 - 1.0 * x.ftm / x.fta) * 0.4 * x.fta ELSE 0.0 END AS ftx_poss,
    (x.pprod_fg + x.pprod_ast + x.ftm) * (1.0 - x.t_oreb / NULLIF(x.t_sc_poss, 0) * x.t_orb_weight * x.t_play_pct)
        + x.fg_orb_part * x.t_pts / NULLIF(x.t_sc_poss, 0) AS pprod,
    x.stl + x.blk * x.fmwt * (1.0 - 1.07 * x.dor) + x.dreb * (1.0 - x.fmwt)
        + ((x.o_fga - x.o_fgm - x.t_blk) / NULLIF(x.t_mp, 0) * x.fmwt * (1.0 - 1.07 * x.dor) + (x.o_tov - x.t_stl) / NULLIF(x.t_mp, 0)) * x.mp
        + 1.0 * x.pf / NULLIF(x.t_pf, 0) * 0.4 * x.o_fta * (CASE WHEN x.o_fta > 0 THEN (1.0 - x.o_ftm / x.o_fta) * (1.0 - x.o_ftm / x.o_fta) ELSE 0.0 END) AS stops,
    100.0 * x.o_pts / NULLIF(x.t_poss, 0) AS team_drtg,
    x.o_pts / NULLIF(x.o_fgm + (CASE WHEN x.o_fta > 0 THEN 1.0 - (1.0 - x.o_ftm / x.o_fta) * (1.0 - x.o_ftm / x.o_fta) ELSE 0.0 END) * x.o_fta * 0.4, 0) AS d_pts_per_scposs
FROM (
SELECT w.*,
    CASE WHEN w.fga > 0 THEN w.fgm * (1.0 - 0.5 * (w.pts - w.ftm) / (2.0 * w.fga) * w.qast) ELSE 0.0 END AS fg_part,
    0.5 * ((w.t_pts - w.t_ftm) - (w.pts - w.ftm)) / NULLIF(2.0 * (w.t_fga - w.fga), 0) * w.ast AS ast_part,
    CASE WHEN w.fta > 0 THEN (1.0 - (1.0 - 1.0 * w.ftm / w.fta) * (1.0 - 1.0 * w.ftm / w.fta)) * 0.4 * w.fta ELSE 0.0 END AS ft_part,
    w.oreb * w.t_orb_weight * w.t_play_pct AS fg_orb_part,
    CASE WHEN w.fga > 0 THEN 2.0 * (w.fgm + 0.5 * w.fg3m) * (1.0 - 0.5 * (w.pts - w.ftm) / (2.0 * w.fga) * w.qast) ELSE 0.0 END AS pprod_fg,
    CASE WHEN w.ast > 0 THEN 2.0 * (w.t_fgm - w.fgm + 0.5 * (w.t_fg3m - w.fg3m)) / NULLIF(w.t_fgm - w.fgm, 0)
        * 0.5 * ((w.t_pts - w.t_ftm) - (w.pts - w.ftm)) / NULLIF(2.0 * (w.t_fga - w.fga), 0) * w.ast ELSE 0.0 END AS pprod_ast,
    (w.o_fgm / NULLIF(w.o_fga, 0)) * (1.0 - w.dor) / NULLIF((w.o_fgm / NULLIF(w.o_fga, 0)) * (1.0 - w.dor) + (1.0 - w.o_fgm / NULLIF(w.o_fga, 0)) * w.dor, 0) AS fmwt
FROM (
SELECT v.*,
    v.mp / NULLIF(v.t_mp / 5.0, 0) * (1.14 * (v.t_ast - v.ast) / NULLIF(v.t_fgm, 0))
        + (CASE WHEN v.q_ratio < 0 THEN 0.0 WHEN v.q_ratio > 1 THEN 1.0 ELSE v.q_ratio END)
        * (1.0 - v.mp / NULLIF(v.t_mp / 5.0, 0)) AS qast,
    (1.0 - v.t_orb_pct) * v.t_play_pct / NULLIF((1.0 - v.t_orb_pct) * v.t_play_pct + v.t_orb_pct * (1.0 - v.t_play_pct), 0) AS t_orb_weight,
    v.o_oreb / NULLIF(v.o_oreb + v.t_dreb, 0) AS dor
FROM (
SELECT u.*,
    u.t_oreb / NULLIF(u.t_oreb + u.o_dreb, 0) AS t_orb_pct,
    u.t_sc_poss / NULLIF(u.t_fga + 0.4 * u.t_fta + u.t_tov, 0) AS t_play_pct,
    (u.t_ast / NULLIF(u.t_mp, 0) * u.mp * 5.0 - u.ast) / NULLIF(u.t_fgm / NULLIF(u.t_mp, 0) * u.mp * 5.0 - u.fgm, 0) AS q_ratio
FROM (
SELECT b.*,
    b.o_fga + 0.4 * b.o_fta - 1.07 * b.o_oreb / NULLIF(b.o_oreb + b.t_dreb, 0) * (b.o_fga - b.o_fgm) + b.o_tov AS o_poss,
    b.t_fgm + (CASE WHEN b.t_fta > 0 THEN 1.0 - (1.0 - b.t_ftm / b.t_fta) * (1.0 - b.t_ftm / b.t_fta) ELSE 0.0 END) * b.t_fta * 0.4 AS t_sc_poss
FROM (
SELECT p.game_id, p.player_id, p.name,
    t.team_id, t.team_code, t.side, t.opp_team_id, t.opp_code, t.win,
    p.starter,
    CAST(p.seconds AS DOUBLE PRECISION) / 10.0 AS seconds_played,
    p.pts, p.fgm, p.fga, p.fg3m, p.fg3a, p.ftm, p.fta, p.oreb, p.dreb, p.reb,
    p.ast, p.stl, p.blk, p.tov, p.pf, p.plus_minus,
    CAST(1.0 * p.pts / NULLIF(2.0 * (p.fga + 0.44 * p.fta), 0) AS DOUBLE PRECISION) AS ts_pct,
    CAST((1.0 * p.fgm + 0.5 * p.fg3m) / NULLIF(p.fga, 0) AS DOUBLE PRECISION) AS efg_pct,
    CAST(1.0 * p.fg3a / NULLIF(p.fga, 0) AS DOUBLE PRECISION) AS fg3a_rate,
    CAST(1.0 * p.fta / NULLIF(p.fga, 0) AS DOUBLE PRECISION) AS fta_rate,
    CAST((p.fga + 0.44 * p.fta + p.tov) * (t.player_seconds / 5.0)
        / NULLIF(p.seconds / 10.0 * (t.fga + 0.44 * t.fta + t.tov), 0) AS DOUBLE PRECISION) AS usg_pct,
    CAST(1.0 * p.ast / NULLIF((p.seconds / 10.0) / NULLIF(t.player_seconds / 5.0, 0) * t.fgm - p.fgm, 0) AS DOUBLE PRECISION) AS ast_pct,
    CAST(1.0 * p.oreb * (t.player_seconds / 5.0) / NULLIF(p.seconds / 10.0 * (t.oreb + t.opp_dreb), 0) AS DOUBLE PRECISION) AS orb_pct,
    CAST(1.0 * p.dreb * (t.player_seconds / 5.0) / NULLIF(p.seconds / 10.0 * (t.dreb + t.opp_oreb), 0) AS DOUBLE PRECISION) AS drb_pct,
    CAST(1.0 * p.reb * (t.player_seconds / 5.0) / NULLIF(p.seconds / 10.0 * (t.reb + t.opp_reb), 0) AS DOUBLE PRECISION) AS trb_pct,
    CAST(1.0 * p.stl * (t.player_seconds / 5.0) / NULLIF(p.seconds / 10.0 * t.possessions, 0) AS DOUBLE PRECISION) AS stl_pct,
    CAST(1.0 * p.blk * (t.player_seconds / 5.0) / NULLIF(p.seconds / 10.0 * (t.opp_fga - t.opp_fg3a), 0) AS DOUBLE PRECISION) AS blk_pct,
    CAST(1.0 * p.tov / NULLIF(p.fga + 0.44 * p.fta + p.tov, 0) AS DOUBLE PRECISION) AS tov_pct,
    p.source,
    CAST(p.seconds AS DOUBLE PRECISION) / 10.0 AS mp, t.player_seconds AS t_mp, t.possessions AS t_poss,
    CAST(t.pts AS DOUBLE PRECISION) AS t_pts, CAST(t.fgm AS DOUBLE PRECISION) AS t_fgm, CAST(t.fga AS DOUBLE PRECISION) AS t_fga,
    CAST(t.fg3m AS DOUBLE PRECISION) AS t_fg3m, CAST(t.ftm AS DOUBLE PRECISION) AS t_ftm, CAST(t.fta AS DOUBLE PRECISION) AS t_fta,
    CAST(t.oreb AS DOUBLE PRECISION) AS t_oreb, CAST(t.dreb AS DOUBLE PRECISION) AS t_dreb, CAST(t.ast AS DOUBLE PRECISION) AS t_ast,
    CAST(t.stl AS DOUBLE PRECISION) AS t_stl, CAST(t.blk AS DOUBLE PRECISION) AS t_blk, CAST(t.tov AS DOUBLE PRECISION) AS t_tov,
    CAST(t.pf AS DOUBLE PRECISION) AS t_pf,
    CAST(t.opp_pts AS DOUBLE PRECISION) AS o_pts, CAST(t.opp_fgm AS DOUBLE PRECISION) AS o_fgm, CAST(t.opp_fga AS DOUBLE PRECISION) AS o_fga,
    CAST(t.opp_ftm AS DOUBLE PRECISION) AS o_ftm, CAST(t.opp_fta AS DOUBLE PRECISION) AS o_fta, CAST(t.opp_oreb AS DOUBLE PRECISION) AS o_oreb,
    CAST(t.opp_dreb AS DOUBLE PRECISION) AS o_dreb, CAST(t.opp_tov AS DOUBLE PRECISION) AS o_tov
FROM game_box_sources c
JOIN player_box p ON p.game_id = c.game_id AND p.source = c.player_source AND p.scope = 'game'
LEFT JOIN team_game_stats t ON t.game_id = p.game_id
    AND t.side = CASE p.side WHEN 1 THEN 'home' WHEN 2 THEN 'away' ELSE '' END
WHERE p.dnp = 0
) b ) u ) v ) w ) x ) y;

-- player_games: 0021's columns, on player_game_lines.
CREATE VIEW player_games AS
SELECT l.game_id, g.season, g.season_type, g.game_date, l.player_id, COALESCE(l.name, pl.name) AS name,
    l.team_id, l.team_code, l.side, l.opp_team_id, l.opp_code, l.win, l.starter, l.seconds_played,
    l.pts, l.fgm, l.fga, l.fg3m, l.fg3a, l.ftm, l.fta, l.oreb, l.dreb, l.reb,
    l.ast, l.stl, l.blk, l.tov, l.pf, l.plus_minus,
    l.ts_pct, l.efg_pct, l.fg3a_rate, l.fta_rate, l.usg_pct, l.ast_pct, l.orb_pct, l.drb_pct, l.trb_pct,
    l.stl_pct, l.blk_pct, l.tov_pct, l.off_rtg, l.def_rtg,
    l.source,
    CASE WHEN l.source = 'derived' THEN NULL ELSE v.grade END AS grade
FROM player_game_lines l
LEFT JOIN games g ON g.game_id = l.game_id
LEFT JOIN players pl ON pl.player_id = l.player_id
LEFT JOIN verify_games v ON v.game_id = l.game_id AND v.source = l.source;

-- nbasim:postgres
-- the backfill's plan needs the box tables' statistics (a store whose
-- boxes were all written since its last ANALYZE estimates player_box
-- empty and loops over the players' sums)
ANALYZE player_box;
ANALYZE team_box;
-- nbasim:end
INSERT INTO game_box_sources (game_id, player_source, team_source)
SELECT g.game_id,
    (SELECT p.source FROM player_box p WHERE p.game_id = g.game_id AND p.scope = 'game'
        ORDER BY CASE p.source
            WHEN 'nba_stats/boxscoretraditionalv2' THEN 1
            WHEN 'nba_stats/boxscoretraditionalv3' THEN 2
            WHEN 'nba_live/boxscore' THEN 3
            WHEN 'bbref/boxscores' THEN 4
            WHEN 'espn/summary' THEN 5
            WHEN 'derived' THEN 99
            ELSE 50 END, p.source LIMIT 1),
    (SELECT t.source FROM team_box t WHERE t.game_id = g.game_id AND t.scope = 'game'
        ORDER BY CASE t.source
            WHEN 'nba_stats/boxscoretraditionalv2' THEN 1
            WHEN 'nba_stats/boxscoretraditionalv3' THEN 2
            WHEN 'nba_live/boxscore' THEN 3
            WHEN 'bbref/boxscores' THEN 4
            WHEN 'espn/summary' THEN 5
            WHEN 'derived' THEN 99
            ELSE 50 END, t.source LIMIT 1)
FROM (SELECT game_id FROM player_box WHERE scope = 'game'
    UNION SELECT game_id FROM team_box WHERE scope = 'game') g;

INSERT INTO team_game_lines (game_id, team_id, source, code, side, seconds, win,
    pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf,
    opp_team_id, opp_code,
    opp_pts, opp_fgm, opp_fga, opp_fg3m, opp_fg3a, opp_ftm, opp_fta, opp_oreb, opp_dreb, opp_reb, opp_ast, opp_stl, opp_blk, opp_tov, opp_pf)
SELECT tb.game_id, tb.team_id, tb.source, tb.code,
    CASE tb.side WHEN 1 THEN 'home' WHEN 2 THEN 'away' ELSE '' END, tb.seconds,
    CASE WHEN ob.pts IS NULL THEN NULL WHEN tb.pts > ob.pts THEN 1 ELSE 0 END,
    COALESCE(t.pts, tb.pts), COALESCE(t.fgm, tb.fgm), COALESCE(t.fga, tb.fga), COALESCE(t.fg3m, tb.fg3m), COALESCE(t.fg3a, tb.fg3a), COALESCE(t.ftm, tb.ftm), COALESCE(t.fta, tb.fta), COALESCE(t.oreb, tb.oreb), COALESCE(t.dreb, tb.dreb), COALESCE(t.reb, tb.reb), COALESCE(t.ast, tb.ast), COALESCE(t.stl, tb.stl), COALESCE(t.blk, tb.blk), COALESCE(t.tov, tb.tov), COALESCE(t.pf, tb.pf),
    ob.team_id, ob.code,
    COALESCE(o.pts, ob.pts), COALESCE(o.fgm, ob.fgm), COALESCE(o.fga, ob.fga), COALESCE(o.fg3m, ob.fg3m), COALESCE(o.fg3a, ob.fg3a), COALESCE(o.ftm, ob.ftm), COALESCE(o.fta, ob.fta), COALESCE(o.oreb, ob.oreb), COALESCE(o.dreb, ob.dreb), COALESCE(o.reb, ob.reb), COALESCE(o.ast, ob.ast), COALESCE(o.stl, ob.stl), COALESCE(o.blk, ob.blk), COALESCE(o.tov, ob.tov), COALESCE(o.pf, ob.pf)
FROM game_box_sources c
JOIN team_box tb ON tb.game_id = c.game_id AND tb.source = c.team_source AND tb.scope = 'game'
LEFT JOIN (SELECT game_id, source, side, SUM(pts) AS pts, SUM(fgm) AS fgm, SUM(fga) AS fga, SUM(fg3m) AS fg3m, SUM(fg3a) AS fg3a, SUM(ftm) AS ftm, SUM(fta) AS fta, SUM(oreb) AS oreb, SUM(dreb) AS dreb, SUM(reb) AS reb, SUM(ast) AS ast, SUM(stl) AS stl, SUM(blk) AS blk, SUM(tov) AS tov, SUM(pf) AS pf
    FROM player_box WHERE scope = 'game'
    GROUP BY game_id, source, side) t ON t.game_id = tb.game_id AND t.source = tb.source AND t.side = tb.side
LEFT JOIN team_box ob ON ob.game_id = tb.game_id AND ob.source = tb.source AND ob.scope = 'game' AND ob.team_id <> tb.team_id
LEFT JOIN (SELECT game_id, source, side, SUM(pts) AS pts, SUM(fgm) AS fgm, SUM(fga) AS fga, SUM(fg3m) AS fg3m, SUM(fg3a) AS fg3a, SUM(ftm) AS ftm, SUM(fta) AS fta, SUM(oreb) AS oreb, SUM(dreb) AS dreb, SUM(reb) AS reb, SUM(ast) AS ast, SUM(stl) AS stl, SUM(blk) AS blk, SUM(tov) AS tov, SUM(pf) AS pf
    FROM player_box WHERE scope = 'game'
    GROUP BY game_id, source, side) o ON o.game_id = ob.game_id AND o.source = ob.source AND o.side = ob.side
WHERE c.team_source IS NOT NULL;

INSERT INTO player_game_lines (game_id, player_id, name, team_id, team_code, side, opp_team_id, opp_code, win, starter, seconds_played, pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf, plus_minus, ts_pct, efg_pct, fg3a_rate, fta_rate, usg_pct, ast_pct, orb_pct, drb_pct, trb_pct, stl_pct, blk_pct, tov_pct, off_rtg, def_rtg, source)
SELECT game_id, player_id, name, team_id, team_code, side, opp_team_id, opp_code, win, starter, seconds_played, pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf, plus_minus, ts_pct, efg_pct, fg3a_rate, fta_rate, usg_pct, ast_pct, orb_pct, drb_pct, trb_pct, stl_pct, blk_pct, tov_pct, off_rtg, def_rtg, source
FROM player_games_live;

INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_box_sources', 'game_id', 'NBA game id: one row per game with full-game lines in player_box or team_box');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_box_sources', 'player_source', 'the box source player_games uses for the game: the first official source with player lines (boxscoretraditionalv2, v3, nba_live, bbref, espn, others), else derived; NULL when the game has no player lines');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_box_sources', 'team_source', 'the box source team_games uses for the game: the first official source with team lines (boxscoretraditionalv2, v3, nba_live, bbref, espn, others such as team game logs), else derived; NULL when the game has no team lines');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'team_id', 'team_box.team_id of the line: NBA team id, else code, else home/away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'source', 'the box source of the line: game_box_sources.team_source');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'code', 'team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'side', 'home, away, or empty when the line has no side');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'seconds', 'TENTHS of a second played by the team''s players together (team_box.seconds)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'win', '1 won, 0 lost (the team lines'' points), NULL without an opponent line');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_team_id', 'the opponent''s team_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_code', 'the opponent''s code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'pts', 'points by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'fgm', 'field goals made by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'fga', 'field goals attempted by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'fg3m', 'three-pointers made by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'fg3a', 'three-pointers attempted by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'ftm', 'free throws made by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'fta', 'free throws attempted by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'oreb', 'offensive rebounds by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'dreb', 'defensive rebounds by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'reb', 'total rebounds by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'ast', 'assists by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'stl', 'steals by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'blk', 'blocks by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'tov', 'turnovers by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'pf', 'personal fouls by the team: the sum of its players'' lines of the source, else the team line''s');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_pts', 'points by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_fgm', 'field goals made by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_fga', 'field goals attempted by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_fg3m', 'three-pointers made by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_fg3a', 'three-pointers attempted by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_ftm', 'free throws made by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_fta', 'free throws attempted by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_oreb', 'offensive rebounds by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_dreb', 'defensive rebounds by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_reb', 'total rebounds by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_ast', 'assists by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_stl', 'steals by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_blk', 'blocks by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_tov', 'turnovers by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_game_lines', 'opp_pf', 'personal fouls by the opponent, the same way');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_game_lines', 'name', 'the name on the box line (player_games falls back to players.name)');
INSERT INTO column_docs (table_name, column_name, doc)
SELECT 'player_game_lines', column_name, doc FROM column_docs WHERE table_name = 'player_games' AND column_name NOT IN ('season', 'season_type', 'game_date', 'name', 'grade');
INSERT INTO column_docs (table_name, column_name, doc)
SELECT 'player_games_live', column_name, doc FROM column_docs WHERE table_name = 'player_game_lines';
INSERT INTO column_docs (table_name, column_name, doc)
SELECT 'team_game_stats', column_name, doc FROM column_docs WHERE table_name = 'team_games' AND column_name NOT IN ('season', 'season_type', 'game_date', 'grade');
-- nbasim:postgres

-- The texts as COMMENT ON (the new tables and views, and the views created
-- again lost theirs).
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT d.table_name, d.column_name, d.doc FROM column_docs d
        JOIN information_schema.columns c ON c.table_schema = current_schema()
            AND c.table_name = d.table_name AND c.column_name = d.column_name
        WHERE d.table_name IN ('game_box_sources', 'team_game_lines', 'player_game_lines', 'player_games_live', 'team_game_stats',
            'player_box_source', 'team_box_source', 'team_games', 'player_games')
    LOOP
        EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.table_name, r.column_name, r.doc);
    END LOOP;
END $$;
COMMENT ON TABLE game_box_sources IS 'one row per game: the box sources player_games and team_games use; maintained by the store with the boxes; docs/store.md';
COMMENT ON TABLE team_game_lines IS 'one row per team-game of the chosen team source, with the team''s and the opponent''s counting stats; maintained by the store with the boxes; docs/store.md';
COMMENT ON TABLE player_game_lines IS 'one row per player-game of the chosen player source, with what player_games computes from the boxes; maintained by the store with the boxes; docs/store.md';
COMMENT ON VIEW team_game_stats IS 'team_games without the games and verify_games columns: team_game_lines with the formulas; query team_games';
COMMENT ON VIEW player_games_live IS 'player_games from the boxes alone, computed at query time: what the store copies into player_game_lines; query player_games';
COMMENT ON VIEW player_games IS 'one row per player-game: the official line when one is stored, else the derived one; advanced stats and individual ratings; docs/advanced.md';
COMMENT ON VIEW team_games IS 'one row per team-game: the official line when one is stored, else the derived one; possessions, ratings, pace, four factors; docs/advanced.md';
ANALYZE game_box_sources;
ANALYZE team_game_lines;
ANALYZE player_game_lines;
-- nbasim:end
