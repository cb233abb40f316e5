-- 0018 the analyst's lineups, on/off and player ratings (docs/advanced.md):
-- * stints: every stretch a team's five did not change, with the points and
--   possessions of both teams (the play-by-play engine's count; written by
--   nbasim lineups --save and nbasim verify --save);
-- * lineup_games, lineup_seasons: the stints summed per five, with points
--   per 100 possessions;
-- * player_on_off, player_on_off_seasons: the team with each player on the
--   court and off it;
-- * player_games gains off_rtg and def_rtg, Dean Oliver's individual
--   offensive and defensive ratings (basketball-reference's formulas).

CREATE TABLE stints (
    game_id      TEXT NOT NULL,
    team_id      TEXT NOT NULL,
    ord          INTEGER NOT NULL,
    provider     TEXT NOT NULL,
    side         INTEGER NOT NULL,
    period       INTEGER NOT NULL,
    elapsed_from INTEGER NOT NULL,
    elapsed_to   INTEGER NOT NULL,
    lineup_id    TEXT NOT NULL,
    p1           TEXT,
    p2           TEXT,
    p3           TEXT,
    p4           TEXT,
    p5           TEXT,
    names        TEXT NOT NULL,
    pts_for      INTEGER NOT NULL,
    pts_against  INTEGER NOT NULL,
    poss_for     INTEGER NOT NULL,
    poss_against INTEGER NOT NULL,
    PRIMARY KEY (game_id, team_id, ord)
);
CREATE INDEX stints_lineup ON stints (team_id, lineup_id);

CREATE VIEW lineup_games AS
SELECT x.*,
    CAST(100.0 * x.pts_for / NULLIF(x.poss_for, 0) AS DOUBLE PRECISION) AS off_rtg,
    CAST(100.0 * x.pts_against / NULLIF(x.poss_against, 0) AS DOUBLE PRECISION) AS def_rtg,
    CAST(100.0 * x.pts_for / NULLIF(x.poss_for, 0) - 100.0 * x.pts_against / NULLIF(x.poss_against, 0) AS DOUBLE PRECISION) AS net_rtg
FROM (
    SELECT s.game_id, g.season, g.season_type, g.game_date, s.team_id,
        CASE s.side WHEN 1 THEN g.home_code WHEN 2 THEN g.away_code ELSE '' END AS team_code,
        s.lineup_id, s.p1, s.p2, s.p3, s.p4, s.p5, MAX(s.names) AS names,
        COUNT(*) AS stints,
        CAST(SUM(s.elapsed_to - s.elapsed_from) AS DOUBLE PRECISION) / 10.0 AS seconds,
        SUM(s.poss_for) AS poss_for, SUM(s.poss_against) AS poss_against,
        SUM(s.pts_for) AS pts_for, SUM(s.pts_against) AS pts_against
    FROM stints s
    LEFT JOIN games g ON g.game_id = s.game_id
    GROUP BY s.game_id, g.season, g.season_type, g.game_date, s.team_id, s.side, g.home_code, g.away_code,
        s.lineup_id, s.p1, s.p2, s.p3, s.p4, s.p5
) x;

CREATE VIEW lineup_seasons AS
SELECT x.*,
    CAST(100.0 * x.pts_for / NULLIF(x.poss_for, 0) AS DOUBLE PRECISION) AS off_rtg,
    CAST(100.0 * x.pts_against / NULLIF(x.poss_against, 0) AS DOUBLE PRECISION) AS def_rtg,
    CAST(100.0 * x.pts_for / NULLIF(x.poss_for, 0) - 100.0 * x.pts_against / NULLIF(x.poss_against, 0) AS DOUBLE PRECISION) AS net_rtg
FROM (
    SELECT season, team_id, MAX(team_code) AS team_code, lineup_id,
        MAX(p1) AS p1, MAX(p2) AS p2, MAX(p3) AS p3, MAX(p4) AS p4, MAX(p5) AS p5, MAX(names) AS names,
        COUNT(*) AS games, SUM(stints) AS stints, SUM(seconds) AS seconds,
        SUM(poss_for) AS poss_for, SUM(poss_against) AS poss_against,
        SUM(pts_for) AS pts_for, SUM(pts_against) AS pts_against
    FROM lineup_games
    GROUP BY season, team_id, lineup_id
) x;

CREATE VIEW player_on_off AS
SELECT x.*,
    CAST(100.0 * x.on_pts_for / NULLIF(x.on_poss_for, 0) AS DOUBLE PRECISION) AS on_off_rtg,
    CAST(100.0 * x.on_pts_against / NULLIF(x.on_poss_against, 0) AS DOUBLE PRECISION) AS on_def_rtg,
    CAST(100.0 * x.on_pts_for / NULLIF(x.on_poss_for, 0) - 100.0 * x.on_pts_against / NULLIF(x.on_poss_against, 0) AS DOUBLE PRECISION) AS on_net_rtg,
    CAST(100.0 * x.off_pts_for / NULLIF(x.off_poss_for, 0) AS DOUBLE PRECISION) AS off_off_rtg,
    CAST(100.0 * x.off_pts_against / NULLIF(x.off_poss_against, 0) AS DOUBLE PRECISION) AS off_def_rtg,
    CAST(100.0 * x.off_pts_for / NULLIF(x.off_poss_for, 0) - 100.0 * x.off_pts_against / NULLIF(x.off_poss_against, 0) AS DOUBLE PRECISION) AS off_net_rtg,
    CAST(100.0 * x.on_pts_for / NULLIF(x.on_poss_for, 0) - 100.0 * x.on_pts_against / NULLIF(x.on_poss_against, 0)
        - (100.0 * x.off_pts_for / NULLIF(x.off_poss_for, 0) - 100.0 * x.off_pts_against / NULLIF(x.off_poss_against, 0)) AS DOUBLE PRECISION) AS net_rtg_diff
FROM (
    SELECT o.game_id, g.season, g.season_type, g.game_date, o.team_id,
        CASE t.side WHEN 1 THEN g.home_code WHEN 2 THEN g.away_code ELSE '' END AS team_code,
        o.player_id, COALESCE(pl.name, o.player_id) AS name,
        CAST(o.tenths AS DOUBLE PRECISION) / 10.0 AS on_seconds,
        o.poss_for AS on_poss_for, o.poss_against AS on_poss_against, o.pts_for AS on_pts_for, o.pts_against AS on_pts_against,
        CAST(t.tenths - o.tenths AS DOUBLE PRECISION) / 10.0 AS off_seconds,
        t.poss_for - o.poss_for AS off_poss_for, t.poss_against - o.poss_against AS off_poss_against,
        t.pts_for - o.pts_for AS off_pts_for, t.pts_against - o.pts_against AS off_pts_against
    FROM (
        SELECT game_id, team_id, player_id, SUM(tenths) AS tenths, SUM(poss_for) AS poss_for, SUM(poss_against) AS poss_against,
            SUM(pts_for) AS pts_for, SUM(pts_against) AS pts_against
        FROM (
            SELECT game_id, team_id, p1 AS player_id, elapsed_to - elapsed_from AS tenths, poss_for, poss_against, pts_for, pts_against FROM stints WHERE p1 IS NOT NULL
            UNION ALL
            SELECT game_id, team_id, p2, elapsed_to - elapsed_from, poss_for, poss_against, pts_for, pts_against FROM stints WHERE p2 IS NOT NULL
            UNION ALL
            SELECT game_id, team_id, p3, elapsed_to - elapsed_from, poss_for, poss_against, pts_for, pts_against FROM stints WHERE p3 IS NOT NULL
            UNION ALL
            SELECT game_id, team_id, p4, elapsed_to - elapsed_from, poss_for, poss_against, pts_for, pts_against FROM stints WHERE p4 IS NOT NULL
            UNION ALL
            SELECT game_id, team_id, p5, elapsed_to - elapsed_from, poss_for, poss_against, pts_for, pts_against FROM stints WHERE p5 IS NOT NULL
        ) u
        GROUP BY game_id, team_id, player_id
    ) o
    JOIN (
        SELECT game_id, team_id, MIN(side) AS side, SUM(elapsed_to - elapsed_from) AS tenths, SUM(poss_for) AS poss_for,
            SUM(poss_against) AS poss_against, SUM(pts_for) AS pts_for, SUM(pts_against) AS pts_against
        FROM stints GROUP BY game_id, team_id
    ) t ON t.game_id = o.game_id AND t.team_id = o.team_id
    LEFT JOIN games g ON g.game_id = o.game_id
    LEFT JOIN players pl ON pl.player_id = o.player_id
) x;

CREATE VIEW player_on_off_seasons AS
SELECT x.*,
    CAST(100.0 * x.on_pts_for / NULLIF(x.on_poss_for, 0) AS DOUBLE PRECISION) AS on_off_rtg,
    CAST(100.0 * x.on_pts_against / NULLIF(x.on_poss_against, 0) AS DOUBLE PRECISION) AS on_def_rtg,
    CAST(100.0 * x.on_pts_for / NULLIF(x.on_poss_for, 0) - 100.0 * x.on_pts_against / NULLIF(x.on_poss_against, 0) AS DOUBLE PRECISION) AS on_net_rtg,
    CAST(100.0 * x.off_pts_for / NULLIF(x.off_poss_for, 0) AS DOUBLE PRECISION) AS off_off_rtg,
    CAST(100.0 * x.off_pts_against / NULLIF(x.off_poss_against, 0) AS DOUBLE PRECISION) AS off_def_rtg,
    CAST(100.0 * x.off_pts_for / NULLIF(x.off_poss_for, 0) - 100.0 * x.off_pts_against / NULLIF(x.off_poss_against, 0) AS DOUBLE PRECISION) AS off_net_rtg,
    CAST(100.0 * x.on_pts_for / NULLIF(x.on_poss_for, 0) - 100.0 * x.on_pts_against / NULLIF(x.on_poss_against, 0)
        - (100.0 * x.off_pts_for / NULLIF(x.off_poss_for, 0) - 100.0 * x.off_pts_against / NULLIF(x.off_poss_against, 0)) AS DOUBLE PRECISION) AS net_rtg_diff
FROM (
    SELECT season, team_id, MAX(team_code) AS team_code, player_id, MAX(name) AS name, COUNT(*) AS games,
        SUM(on_seconds) AS on_seconds, SUM(on_poss_for) AS on_poss_for, SUM(on_poss_against) AS on_poss_against,
        SUM(on_pts_for) AS on_pts_for, SUM(on_pts_against) AS on_pts_against,
        SUM(off_seconds) AS off_seconds, SUM(off_poss_for) AS off_poss_for, SUM(off_poss_against) AS off_poss_against,
        SUM(off_pts_for) AS off_pts_for, SUM(off_pts_against) AS off_pts_against
    FROM player_on_off
    GROUP BY season, team_id, player_id
) x;

-- player_games again, with Dean Oliver's individual ratings (docs/advanced.md,
-- "Individual ratings"): the layers b..y compute the parts of each formula
-- from the player's line and his team's (t_*) and the opponent's (o_*).
-- Stop% divides by the opponent's own possession estimate (o_poss), the
-- team's DRtg by the game's (t_poss), as basketball-reference does.
DROP VIEW player_games;
CREATE VIEW player_games AS
SELECT y.game_id, y.season, y.season_type, y.game_date, y.player_id, y.name,
    y.team_id, y.team_code, y.side, y.opp_team_id, y.opp_code, y.win, y.starter, y.seconds_played,
    y.pts, y.fgm, y.fga, y.fg3m, y.fg3a, y.ftm, y.fta, y.oreb, y.dreb, y.reb,
    y.ast, y.stl, y.blk, y.tov, y.pf, y.plus_minus,
    y.ts_pct, y.efg_pct, y.fg3a_rate, y.fta_rate, y.usg_pct, y.ast_pct, y.orb_pct, y.drb_pct, y.trb_pct,
    y.stl_pct, y.blk_pct, y.tov_pct,
    CAST(100.0 * y.pprod / NULLIF(y.sc_poss + y.fgx_poss + y.ftx_poss + y.tov, 0) AS DOUBLE PRECISION) AS off_rtg,
    CAST(y.team_drtg + 0.2 * (100.0 * y.d_pts_per_scposs * (1.0 - y.stops * y.t_mp / NULLIF(y.o_poss * y.mp, 0)) - y.team_drtg) AS DOUBLE PRECISION) AS def_rtg,
    y.source, y.grade
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
        + (v.t_ast / NULLIF(v.t_mp, 0) * v.mp * 5.0 - v.ast) / NULLIF(v.t_fgm / NULLIF(v.t_mp, 0) * v.mp * 5.0 - v.fgm, 0)
        * (1.0 - v.mp / NULLIF(v.t_mp / 5.0, 0)) AS qast,
    (1.0 - v.t_orb_pct) * v.t_play_pct / NULLIF((1.0 - v.t_orb_pct) * v.t_play_pct + v.t_orb_pct * (1.0 - v.t_play_pct), 0) AS t_orb_weight,
    v.o_oreb / NULLIF(v.o_oreb + v.t_dreb, 0) AS dor
FROM (
SELECT u.*,
    u.t_oreb / NULLIF(u.t_oreb + u.o_dreb, 0) AS t_orb_pct,
    u.t_sc_poss / NULLIF(u.t_fga + 0.4 * u.t_fta + u.t_tov, 0) AS t_play_pct
FROM (
SELECT b.*,
    b.o_fga + 0.4 * b.o_fta - 1.07 * b.o_oreb / NULLIF(b.o_oreb + b.t_dreb, 0) * (b.o_fga - b.o_fgm) + b.o_tov AS o_poss,
    b.t_fgm + (CASE WHEN b.t_fta > 0 THEN 1.0 - (1.0 - b.t_ftm / b.t_fta) * (1.0 - b.t_ftm / b.t_fta) ELSE 0.0 END) * b.t_fta * 0.4 AS t_sc_poss
FROM (
SELECT p.game_id, g.season, g.season_type, g.game_date,
    p.player_id, COALESCE(p.name, pl.name) AS name,
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
    CASE WHEN p.source = 'derived' THEN NULL ELSE v.grade END AS grade,
    CAST(p.seconds AS DOUBLE PRECISION) / 10.0 AS mp, t.player_seconds AS t_mp, t.possessions AS t_poss,
    CAST(t.pts AS DOUBLE PRECISION) AS t_pts, CAST(t.fgm AS DOUBLE PRECISION) AS t_fgm, CAST(t.fga AS DOUBLE PRECISION) AS t_fga,
    CAST(t.fg3m AS DOUBLE PRECISION) AS t_fg3m, CAST(t.ftm AS DOUBLE PRECISION) AS t_ftm, CAST(t.fta AS DOUBLE PRECISION) AS t_fta,
    CAST(t.oreb AS DOUBLE PRECISION) AS t_oreb, CAST(t.dreb AS DOUBLE PRECISION) AS t_dreb, CAST(t.ast AS DOUBLE PRECISION) AS t_ast,
    CAST(t.stl AS DOUBLE PRECISION) AS t_stl, CAST(t.blk AS DOUBLE PRECISION) AS t_blk, CAST(t.tov AS DOUBLE PRECISION) AS t_tov,
    CAST(t.pf AS DOUBLE PRECISION) AS t_pf,
    CAST(t.opp_pts AS DOUBLE PRECISION) AS o_pts, CAST(t.opp_fgm AS DOUBLE PRECISION) AS o_fgm, CAST(t.opp_fga AS DOUBLE PRECISION) AS o_fga,
    CAST(t.opp_ftm AS DOUBLE PRECISION) AS o_ftm, CAST(t.opp_fta AS DOUBLE PRECISION) AS o_fta, CAST(t.opp_oreb AS DOUBLE PRECISION) AS o_oreb,
    CAST(t.opp_dreb AS DOUBLE PRECISION) AS o_dreb, CAST(t.opp_tov AS DOUBLE PRECISION) AS o_tov
FROM player_box_source c
JOIN player_box p ON p.game_id = c.game_id AND p.source = c.source AND p.scope = 'game'
LEFT JOIN team_games t ON t.game_id = p.game_id
    AND t.side = CASE p.side WHEN 1 THEN 'home' WHEN 2 THEN 'away' ELSE '' END
LEFT JOIN verify_games v ON v.game_id = p.game_id AND v.source = p.source
LEFT JOIN players pl ON pl.player_id = p.player_id
LEFT JOIN games g ON g.game_id = p.game_id
WHERE p.dnp = 0
) b ) u ) v ) w ) x ) y;

INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'team_id', 'the team''s NBA id (team_box.team_id)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'ord', '1-based order of the stint in the team''s game');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'provider', 'play-by-play provider the stint was derived from (nba_stats/playbyplayv2, ...)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'side', '1 home, 2 away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'period', 'period: 1-4, 5 = OT1, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'elapsed_from', 'start, tenths of a second of game time since the opening tip');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'elapsed_to', 'end, tenths of a second of game time since the opening tip');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'lineup_id', 'the five player ids in byte order joined by - (? for a slot the engine could not fill)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'p1', 'first player id of the five in byte order (NULL: an unfilled slot)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'p2', 'second player id of the five in byte order');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'p3', 'third player id of the five in byte order');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'p4', 'fourth player id of the five in byte order');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'p5', 'fifth player id of the five in byte order');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'names', 'the five names in the order of p1..p5, comma-separated');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'pts_for', 'points the team scored during the stint');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'pts_against', 'points the opponent scored during the stint');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'poss_for', 'possessions the team ended on offense during the stint (the event ending a possession decides its stint)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stints', 'poss_against', 'possessions the opponent ended on offense during the stint');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'season', 'season, e.g. 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'season_type', 'regular, playoffs, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'game_date', 'game date YYYY-MM-DD');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'team_id', 'the team''s NBA id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'team_code', 'team code (BOS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'lineup_id', 'the five player ids in byte order joined by -');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'p1', 'first player id of the five (byte order)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'p2', 'second player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'p3', 'third player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'p4', 'fourth player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'p5', 'fifth player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'names', 'the five names, in the order of p1..p5');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'stints', 'stints of this five');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'seconds', 'seconds (decimal) the five played together');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'poss_for', 'possessions the team ended on offense with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'poss_against', 'possessions the opponent ended with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'pts_for', 'points scored with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'pts_against', 'points allowed with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'off_rtg', 'points scored per 100 of the team''s possessions: 100 x pts_for / poss_for');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'def_rtg', 'points allowed per 100 of the opponent''s possessions: 100 x pts_against / poss_against');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_games', 'net_rtg', 'off_rtg - def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'season', 'season, e.g. 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'team_id', 'the team''s NBA id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'team_code', 'team code (BOS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'games', 'games in which the five played');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'lineup_id', 'the five player ids in byte order joined by -');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'p1', 'first player id of the five (byte order)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'p2', 'second player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'p3', 'third player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'p4', 'fourth player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'p5', 'fifth player id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'names', 'the five names, in the order of p1..p5');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'stints', 'stints of this five');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'seconds', 'seconds (decimal) the five played together');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'poss_for', 'possessions the team ended on offense with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'poss_against', 'possessions the opponent ended with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'pts_for', 'points scored with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'pts_against', 'points allowed with this five on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'off_rtg', 'points scored per 100 of the team''s possessions: 100 x pts_for / poss_for');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'def_rtg', 'points allowed per 100 of the opponent''s possessions: 100 x pts_against / poss_against');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('lineup_seasons', 'net_rtg', 'off_rtg - def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'season', 'season, e.g. 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'season_type', 'regular, playoffs, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'game_date', 'game date YYYY-MM-DD');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'team_id', 'the team''s NBA id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'team_code', 'team code (BOS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'player_id', 'NBA person id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'name', 'player name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_seconds', 'seconds (decimal) of the team''s game with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_poss_for', 'possessions the team ended on offense with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_poss_against', 'possessions the opponent ended with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_pts_for', 'points the team scored with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_pts_against', 'points the opponent scored with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_off_rtg', 'points scored per 100 of the team''s possessions with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_def_rtg', 'points allowed per 100 of the opponent''s possessions with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'on_net_rtg', 'on_off_rtg - on_def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_seconds', 'seconds (decimal) of the team''s game with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_poss_for', 'possessions the team ended on offense with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_poss_against', 'possessions the opponent ended with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_pts_for', 'points the team scored with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_pts_against', 'points the opponent scored with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_off_rtg', 'points scored per 100 of the team''s possessions with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_def_rtg', 'points allowed per 100 of the opponent''s possessions with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'off_net_rtg', 'off_off_rtg - off_def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off', 'net_rtg_diff', 'on_net_rtg - off_net_rtg: how much better the team did per 100 possessions with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'season', 'season, e.g. 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'team_id', 'the team''s NBA id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'team_code', 'team code (BOS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'games', 'games the player played for the team');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'player_id', 'NBA person id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'name', 'player name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_seconds', 'seconds (decimal) of the team''s game with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_poss_for', 'possessions the team ended on offense with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_poss_against', 'possessions the opponent ended with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_pts_for', 'points the team scored with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_pts_against', 'points the opponent scored with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_off_rtg', 'points scored per 100 of the team''s possessions with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_def_rtg', 'points allowed per 100 of the opponent''s possessions with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'on_net_rtg', 'on_off_rtg - on_def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_seconds', 'seconds (decimal) of the team''s game with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_poss_for', 'possessions the team ended on offense with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_poss_against', 'possessions the opponent ended with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_pts_for', 'points the team scored with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_pts_against', 'points the opponent scored with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_off_rtg', 'points scored per 100 of the team''s possessions with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_def_rtg', 'points allowed per 100 of the opponent''s possessions with the player off the court (in games he played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'off_net_rtg', 'off_off_rtg - off_def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_on_off_seasons', 'net_rtg_diff', 'on_net_rtg - off_net_rtg: how much better the team did per 100 possessions with the player on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'off_rtg', 'individual offensive rating (Dean Oliver, basketball-reference): points produced per 100 individual possessions, 100 x PProd / TotPoss; docs/advanced.md');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'def_rtg', 'individual defensive rating (Dean Oliver, basketball-reference): points allowed per 100 possessions, team DRtg + 0.2 x (100 x opp points per scoring possession x (1 - Stop%) - team DRtg); docs/advanced.md');
-- nbasim:postgres

-- The texts as COMMENT ON (the new view player_games lost its comments).
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT d.table_name, d.column_name, d.doc FROM column_docs d
        JOIN information_schema.columns c ON c.table_schema = current_schema()
            AND c.table_name = d.table_name AND c.column_name = d.column_name
    LOOP
        EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.table_name, r.column_name, r.doc);
    END LOOP;
END $$;
COMMENT ON VIEW player_games IS 'one row per player-game: the official line when one is stored, else the derived one; advanced stats and individual ratings; docs/advanced.md';
COMMENT ON TABLE stints IS 'every stretch a team''s five did not change, with points and possessions of both teams; nbasim lineups --save; docs/advanced.md';
COMMENT ON VIEW lineup_games IS 'one row per game, team and five: time, possessions, points, ratings; docs/advanced.md';
COMMENT ON VIEW lineup_seasons IS 'one row per season, team and five; docs/advanced.md';
COMMENT ON VIEW player_on_off IS 'one row per player-game: the team with the player on the court and off it, per 100 possessions; docs/advanced.md';
COMMENT ON VIEW player_on_off_seasons IS 'one row per season, team and player: on/off summed over his games; docs/advanced.md';
-- nbasim:end
