-- 0012 the analyst's canonical views: one row per player-game and per
-- team-game (official line when one exists, the derived line otherwise),
-- advanced stats, and column_docs, the documented catalog of columns
-- (PostgreSQL also carries each text as COMMENT ON COLUMN).
-- Formulas: docs/advanced.md. player_box/team_box keep every source.

-- One box source per game for the players' lines, and one for the teams'
-- lines: an official one when present (the most complete first), else the
-- line derived from play-by-play. (Team game logs carry team lines only,
-- so a game's two choices can differ.)
CREATE VIEW player_box_source AS
SELECT game_id, source FROM (
    SELECT game_id, source, ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY
        CASE source
            WHEN 'nba_stats/boxscoretraditionalv2' THEN 1
            WHEN 'nba_stats/boxscoretraditionalv3' THEN 2
            WHEN 'nba_live/boxscore' THEN 3
            WHEN 'bbref/boxscores' THEN 4
            WHEN 'espn/summary' THEN 5
            WHEN 'derived' THEN 99
            ELSE 50 END, source) AS rn
    FROM (SELECT DISTINCT game_id, source FROM player_box WHERE scope = 'game') s
) r WHERE rn = 1;

CREATE VIEW team_box_source AS
SELECT game_id, source FROM (
    SELECT game_id, source, ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY
        CASE source
            WHEN 'nba_stats/boxscoretraditionalv2' THEN 1
            WHEN 'nba_stats/boxscoretraditionalv3' THEN 2
            WHEN 'nba_live/boxscore' THEN 3
            WHEN 'bbref/boxscores' THEN 4
            WHEN 'espn/summary' THEN 5
            WHEN 'derived' THEN 99
            ELSE 50 END, source) AS rn
    FROM (SELECT DISTINCT game_id, source FROM team_box WHERE scope = 'game') s
) r WHERE rn = 1;

-- The counting stats of a team are the sums of its players' lines, the same
-- for every source (providers disagree on whether team lines include team
-- rebounds and team turnovers; basketball-reference's formulas use the sums).
CREATE VIEW player_line_sums AS
SELECT game_id, source, side,
    SUM(pts) AS pts, SUM(fgm) AS fgm, SUM(fga) AS fga, SUM(fg3m) AS fg3m, SUM(fg3a) AS fg3a,
    SUM(ftm) AS ftm, SUM(fta) AS fta, SUM(oreb) AS oreb, SUM(dreb) AS dreb, SUM(reb) AS reb,
    SUM(ast) AS ast, SUM(stl) AS stl, SUM(blk) AS blk, SUM(tov) AS tov, SUM(pf) AS pf
FROM player_box WHERE scope = 'game'
GROUP BY game_id, source, side;

CREATE VIEW team_games AS
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
    SELECT tb.game_id, g.season, g.season_type, g.game_date,
        tb.team_id, tb.code AS team_code,
        CASE tb.side WHEN 1 THEN 'home' WHEN 2 THEN 'away' ELSE '' END AS side,
        ob.team_id AS opp_team_id, ob.code AS opp_code,
        CASE WHEN ob.pts IS NULL THEN NULL WHEN tb.pts > ob.pts THEN 1 ELSE 0 END AS win,
        CAST(tb.seconds AS DOUBLE PRECISION) / 50.0 AS game_seconds,
        CAST(tb.seconds AS DOUBLE PRECISION) / 10.0 AS player_seconds,
        COALESCE(t.pts, tb.pts) AS pts, COALESCE(t.fgm, tb.fgm) AS fgm, COALESCE(t.fga, tb.fga) AS fga, COALESCE(t.fg3m, tb.fg3m) AS fg3m, COALESCE(t.fg3a, tb.fg3a) AS fg3a,
        COALESCE(t.ftm, tb.ftm) AS ftm, COALESCE(t.fta, tb.fta) AS fta, COALESCE(t.oreb, tb.oreb) AS oreb, COALESCE(t.dreb, tb.dreb) AS dreb, COALESCE(t.reb, tb.reb) AS reb,
        COALESCE(t.ast, tb.ast) AS ast, COALESCE(t.stl, tb.stl) AS stl, COALESCE(t.blk, tb.blk) AS blk, COALESCE(t.tov, tb.tov) AS tov, COALESCE(t.pf, tb.pf) AS pf,
        COALESCE(o.pts, ob.pts) AS opp_pts, COALESCE(o.fgm, ob.fgm) AS opp_fgm, COALESCE(o.fga, ob.fga) AS opp_fga, COALESCE(o.fg3m, ob.fg3m) AS opp_fg3m, COALESCE(o.fg3a, ob.fg3a) AS opp_fg3a,
        COALESCE(o.ftm, ob.ftm) AS opp_ftm, COALESCE(o.fta, ob.fta) AS opp_fta, COALESCE(o.oreb, ob.oreb) AS opp_oreb, COALESCE(o.dreb, ob.dreb) AS opp_dreb, COALESCE(o.reb, ob.reb) AS opp_reb,
        COALESCE(o.ast, ob.ast) AS opp_ast, COALESCE(o.stl, ob.stl) AS opp_stl, COALESCE(o.blk, ob.blk) AS opp_blk, COALESCE(o.tov, ob.tov) AS opp_tov, COALESCE(o.pf, ob.pf) AS opp_pf,
        tb.source,
        CASE WHEN tb.source = 'derived' THEN NULL ELSE v.grade END AS grade
    FROM team_box_source c
    JOIN team_box tb ON tb.game_id = c.game_id AND tb.source = c.source AND tb.scope = 'game'
    LEFT JOIN player_line_sums t ON t.game_id = tb.game_id AND t.source = tb.source AND t.side = tb.side
    LEFT JOIN team_box ob ON ob.game_id = tb.game_id AND ob.source = tb.source AND ob.scope = 'game' AND ob.team_id <> tb.team_id
    LEFT JOIN player_line_sums o ON o.game_id = ob.game_id AND o.source = ob.source AND o.side = ob.side
    LEFT JOIN games g ON g.game_id = tb.game_id
    LEFT JOIN verify_games v ON v.game_id = tb.game_id AND v.source = tb.source
) b
) x;

CREATE VIEW player_games AS
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
    CASE WHEN p.source = 'derived' THEN NULL ELSE v.grade END AS grade
FROM player_box_source c
JOIN player_box p ON p.game_id = c.game_id AND p.source = c.source AND p.scope = 'game'
LEFT JOIN team_games t ON t.game_id = p.game_id
    AND t.side = CASE p.side WHEN 1 THEN 'home' WHEN 2 THEN 'away' ELSE '' END
LEFT JOIN verify_games v ON v.game_id = p.game_id AND v.source = p.source
LEFT JOIN players pl ON pl.player_id = p.player_id
LEFT JOIN games g ON g.game_id = p.game_id
WHERE p.dnp = 0;

CREATE TABLE column_docs (
    table_name  TEXT NOT NULL,
    column_name TEXT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (table_name, column_name)
);

INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'game_id', 'NBA game id, 10 digits with leading zeros (0021800001); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'season', 'season, e.g. 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'season_type', 'regular, playoffs, play_in, preseason, cup_final or allstar');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'game_date', 'game date YYYY-MM-DD (US local date)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'team_id', 'NBA team id (1610612738), or the team code when unknown');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'team_code', 'team code (BOS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'side', 'home or away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_team_id', 'opponent NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_code', 'opponent code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'win', '1 won, 0 lost');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'game_seconds', 'length of the game in seconds (2880 in regulation, +300 per overtime)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'player_seconds', 'seconds played by the team''s players together (5 x game_seconds)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'pts', 'points by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fgm', 'field goals made by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fga', 'field goals attempted by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fg3m', 'three-pointers made by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fg3a', 'three-pointers attempted by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'ftm', 'free throws made by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fta', 'free throws attempted by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'oreb', 'offensive rebounds by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'dreb', 'defensive rebounds by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'reb', 'total rebounds by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'ast', 'assists by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'stl', 'steals by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'blk', 'blocks by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'tov', 'turnovers by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'pf', 'personal fouls by the team (sum of its players'' lines)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_pts', 'points by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_fgm', 'field goals made by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_fga', 'field goals attempted by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_fg3m', 'three-pointers made by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_fg3a', 'three-pointers attempted by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_ftm', 'free throws made by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_fta', 'free throws attempted by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_oreb', 'offensive rebounds by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_dreb', 'defensive rebounds by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_reb', 'total rebounds by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_ast', 'assists by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_stl', 'steals by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_blk', 'blocks by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_tov', 'turnovers by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'opp_pf', 'personal fouls by the opponent');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'possessions', 'estimated possessions of each team, basketball-reference formula: 0.5 x ((FGA + 0.4 FTA - 1.07 ORB/(ORB + opp DRB) (FGA - FGM) + TOV) + the same for the opponent)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'off_rtg', 'offensive rating: points scored per 100 possessions');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'def_rtg', 'defensive rating: points allowed per 100 possessions');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'net_rtg', 'net rating: off_rtg - def_rtg');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'pace', 'possessions per 48 minutes: 48 x 60 x possessions / game_seconds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'efg_pct', 'effective field-goal percentage as a fraction: (FGM + 0.5 FG3M) / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'ts_pct', 'true shooting percentage as a fraction: PTS / (2 (FGA + 0.44 FTA))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'tov_pct', 'turnover percentage as a fraction: TOV / (FGA + 0.44 FTA + TOV)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'orb_pct', 'offensive rebound percentage as a fraction: ORB / (ORB + opp DRB)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'drb_pct', 'defensive rebound percentage as a fraction: DRB / (DRB + opp ORB)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'ft_per_fga', 'free throws made per field-goal attempt (four factors)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fg3a_rate', 'three-point attempt rate: FG3A / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'fta_rate', 'free-throw attempt rate: FTA / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'ast_per_fgm', 'assisted share of field goals: AST / FGM');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'source', 'where the line comes from: the official box source (nba_stats/boxscoretraditionalv2, nba_live/boxscore, bbref/boxscores, espn/summary, ...) or derived (computed from play-by-play) when no official box is stored');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_games', 'grade', 'verification grade A-F of the play-by-play derivation against this official box (nbasim verify; docs/pbp-engine.md); NULL when never verified or when the line is derived');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'game_id', 'NBA game id, 10 digits with leading zeros (0021800001); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'season', 'season, e.g. 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'season_type', 'regular, playoffs, play_in, preseason, cup_final or allstar');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'game_date', 'game date YYYY-MM-DD (US local date)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'player_id', 'NBA person id (2544), else espn:<id> or bbref:<slug>; players.player_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'name', 'player name as the box score spells it');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'team_id', 'the player''s team, NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'team_code', 'the player''s team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'side', 'home or away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'opp_team_id', 'opponent NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'opp_code', 'opponent code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'win', '1 the player''s team won, 0 lost');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'starter', '1 started the game, 0 came off the bench');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'seconds_played', 'seconds on the court (decimal: 2300.0 = 38:20)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'pts', 'points');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fgm', 'field goals made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fga', 'field goals attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fg3m', 'three-pointers made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fg3a', 'three-pointers attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'ftm', 'free throws made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fta', 'free throws attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'oreb', 'offensive rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'dreb', 'defensive rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'reb', 'total rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'ast', 'assists');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'stl', 'steals');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'blk', 'blocks');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'tov', 'turnovers');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'pf', 'personal fouls');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'plus_minus', 'points scored minus allowed while on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'ts_pct', 'true shooting percentage as a fraction: PTS / (2 (FGA + 0.44 FTA))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'efg_pct', 'effective field-goal percentage as a fraction: (FGM + 0.5 FG3M) / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fg3a_rate', 'three-point attempt rate: FG3A / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'fta_rate', 'free-throw attempt rate: FTA / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'usg_pct', 'usage as a fraction: (FGA + 0.44 FTA + TOV) x (team player_seconds / 5) / (seconds_played x (team FGA + 0.44 team FTA + team TOV))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'ast_pct', 'assist percentage as a fraction: AST / ((seconds_played / (team player_seconds / 5)) x team FGM - FGM)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'orb_pct', 'offensive rebound percentage as a fraction of the available rebounds while on court: ORB x (team player_seconds / 5) / (seconds_played x (team ORB + opp DRB))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'drb_pct', 'defensive rebound percentage as a fraction, like orb_pct with DRB and (team DRB + opp ORB)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'trb_pct', 'total rebound percentage as a fraction, like orb_pct with REB and (team REB + opp REB)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'stl_pct', 'steal percentage as a fraction: STL x (team player_seconds / 5) / (seconds_played x opponent possessions)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'blk_pct', 'block percentage as a fraction: BLK x (team player_seconds / 5) / (seconds_played x (opp FGA - opp FG3A))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'tov_pct', 'turnover percentage as a fraction: TOV / (FGA + 0.44 FTA + TOV)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'source', 'where the line comes from: the official box source (nba_stats/boxscoretraditionalv2, nba_live/boxscore, bbref/boxscores, espn/summary, ...) or derived (computed from play-by-play) when no official box is stored');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_games', 'grade', 'verification grade A-F of the play-by-play derivation against this official box (nbasim verify; docs/pbp-engine.md); NULL when never verified or when the line is derived');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'source', 'box source');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'side', '1 home, 2 away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'pts', 'points, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'fgm', 'field goals made, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'fga', 'field goals attempted, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'fg3m', 'three-pointers made, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'fg3a', 'three-pointers attempted, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'ftm', 'free throws made, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'fta', 'free throws attempted, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'oreb', 'offensive rebounds, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'dreb', 'defensive rebounds, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'reb', 'total rebounds, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'ast', 'assists, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'stl', 'steals, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'blk', 'blocks, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'tov', 'turnovers, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_line_sums', 'pf', 'personal fouls, summed over the side''s players');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_source', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_source', 'source', 'the box source player_games uses for the game: the first official source with player lines (boxscoretraditionalv2, v3, nba_live, bbref, espn, others), else derived');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_source', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_source', 'source', 'the box source team_games uses for the game: the first official source with team lines (boxscoretraditionalv2, v3, nba_live, bbref, espn, others such as team game logs), else derived');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'source', 'official box source (provider/endpoint) or derived; several rows per game when several sources are stored');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'scope', 'game for the whole game, range:<from>-<to> for a window in tenths of elapsed time');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'player_id', 'NBA person id, else espn:<id> or bbref:<slug>');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'team_id', 'NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'side', '1 home, 2 away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'name', 'player name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'starter', '1 started');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'dnp', '1 did not play');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'seconds', 'TENTHS of a second on the court (23000 = 38:20); player_games.seconds_played is in seconds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'pts', 'points');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'fgm', 'field goals made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'fga', 'field goals attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'fg3m', 'three-pointers made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'fg3a', 'three-pointers attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'ftm', 'free throws made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'fta', 'free throws attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'oreb', 'offensive rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'dreb', 'defensive rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'reb', 'total rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'ast', 'assists');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'stl', 'steals');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'blk', 'blocks');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'tov', 'turnovers');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'pf', 'personal fouls');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box', 'plus_minus', 'plus-minus');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'source', 'official box source (provider/endpoint) or derived; several rows per game when several sources are stored');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'scope', 'game for the whole game, range:<from>-<to> for a window in tenths of elapsed time');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'team_id', 'NBA team id, else code, else home/away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'code', 'team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'side', '1 home, 2 away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'seconds', 'TENTHS of a second played by the team''s players together');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'pts', 'points');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'fgm', 'field goals made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'fga', 'field goals attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'fg3m', 'three-pointers made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'fg3a', 'three-pointers attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'ftm', 'free throws made');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'fta', 'free throws attempted');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'oreb', 'offensive rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'dreb', 'defensive rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'reb', 'total rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'ast', 'assists');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'stl', 'steals');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'blk', 'blocks');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'tov', 'turnovers');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'pf', 'personal fouls');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box', 'plus_minus', 'plus-minus (0 for teams)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'game_id', 'NBA game id, 10 digits (0021800001); the short id drops the two leading zeros');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'season', 'season, 2018-19');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'season_type', 'regular, playoffs, play_in, preseason, cup_final, allstar');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'game_date', 'YYYY-MM-DD, US local date');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'home_team_id', 'NBA team id of the home team');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'away_team_id', 'NBA team id of the away team');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'home_code', 'home team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'away_code', 'away team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'home_pts', 'final home score (NULL unknown)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'away_pts', 'final away score (NULL unknown)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'status', 'scheduled or final');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'espn_id', 'ESPN game id (401585607)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'bbref_id', 'basketball-reference game id (201810160BOS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('games', 'updated_at', 'last change, ISO-8601 UTC');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('players', 'player_id', 'NBA person id, else espn:<id>, else bbref:<slug>');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('players', 'name', 'full name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('players', 'espn_id', 'ESPN athlete id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('players', 'bbref_id', 'basketball-reference slug (jamesle01)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('players', 'updated_at', 'last change, ISO-8601 UTC');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('verify_games', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('verify_games', 'source', 'official box source the derived box was compared with');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('verify_games', 'grade', 'A..F, docs/pbp-engine.md');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('verify_games', 'cells_exact', 'cells equal to the official box');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('verify_games', 'cells', 'cells compared');
-- nbasim:postgres

-- The same texts as COMMENT ON, for psql \d+ and every PostgreSQL tool.
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
COMMENT ON VIEW player_games IS 'one row per player-game: the official line when one is stored, else the derived one; advanced stats; docs/advanced.md';
COMMENT ON VIEW team_games IS 'one row per team-game: the official line when one is stored, else the derived one; possessions, ratings, pace, four factors; docs/advanced.md';
-- nbasim:end
