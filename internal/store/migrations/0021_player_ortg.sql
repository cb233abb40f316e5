-- 0021 player_games.off_rtg bounds qAST's second ratio, (team assists
-- expected in the player's minutes - his assists) / (team field goals
-- expected in his minutes - his field goals), to 0..1, as basketball-reference
-- does (docs/advanced.md, "Individual ratings"): 4,201 of the 4,338 ORtg of
-- the 205 basketball-reference pages equal (4,117 before), the 137 others
-- used no possession. The view is 0018's otherwise.

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

-- nbasim:postgres

-- The texts as COMMENT ON (the new view player_games lost its comments).
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT d.table_name, d.column_name, d.doc FROM column_docs d
        JOIN information_schema.columns c ON c.table_schema = current_schema()
            AND c.table_name = d.table_name AND c.column_name = d.column_name
        WHERE d.table_name = 'player_games'
    LOOP
        EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.table_name, r.column_name, r.doc);
    END LOOP;
END $$;
COMMENT ON VIEW player_games IS 'one row per player-game: the official line when one is stored, else the derived one; advanced stats and individual ratings; docs/advanced.md';
-- nbasim:end
