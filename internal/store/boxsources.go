package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The canonical views (player_games, team_games; docs/store.md, "Canonical
// views at scale") read three tables the store keeps in step with the box
// tables, instead of choosing each game's box source, summing its players'
// lines and evaluating the ratings over every row at query time:
//
//   - game_box_sources: one row per game with full-game lines, the source
//     player_games uses (player_source) and the one team_games uses
//     (team_source), chosen by boxSourceRank;
//   - team_game_lines: one row per team line of the chosen team source, with
//     its counting stats (the sums of its players' lines of that source, else
//     the team line's own), its opponent's, and the win (team_game_stats
//     adds the formulas, team_games the games and verify_games columns);
//   - player_game_lines: one row per player line of the chosen player
//     source with every number player_games shows (player_games_live, the
//     formulas, computed for the game; player_games adds the games, players
//     and verify_games columns).
//
// UpsertBoxes, the one writer of player_box and team_box, refreshes the
// games it writes in the same transaction (RefreshBoxSources). Migration
// 0023 backfilled existing stores with the same statements over every game
// (TestBoxSourcesMigrationIsTheRefresh pins the text).

// boxSourceRank orders the sources of a game's lines: the most complete
// official box first, the derived line last.
func boxSourceRank(col string) string {
	return `CASE ` + col + `
            WHEN 'nba_stats/boxscoretraditionalv2' THEN 1
            WHEN 'nba_stats/boxscoretraditionalv3' THEN 2
            WHEN 'nba_live/boxscore' THEN 3
            WHEN 'bbref/boxscores' THEN 4
            WHEN 'espn/summary' THEN 5
            WHEN 'derived' THEN 99
            ELSE 50 END`
}

// sumCols are the counting stats team_game_lines carries for the team and
// its opponent.
var sumCols = []string{"pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf"}

// inGames is the condition that keeps the games of the list in ("($1,
// $2)"), on column col; every game when in is "".
func inGames(col, in string) string {
	if in == "" {
		return ""
	}
	return " AND " + col + " IN " + in
}

// boxSourcesSQL is the statement that fills game_box_sources for the games
// of the list in (every game when in is "").
func boxSourcesSQL(in string) string {
	filter := inGames("game_id", in)
	return `INSERT INTO game_box_sources (game_id, player_source, team_source)
SELECT g.game_id,
    (SELECT p.source FROM player_box p WHERE p.game_id = g.game_id AND p.scope = 'game'
        ORDER BY ` + boxSourceRank("p.source") + `, p.source LIMIT 1),
    (SELECT t.source FROM team_box t WHERE t.game_id = g.game_id AND t.scope = 'game'
        ORDER BY ` + boxSourceRank("t.source") + `, t.source LIMIT 1)
FROM (SELECT game_id FROM player_box WHERE scope = 'game'` + filter + `
    UNION SELECT game_id FROM team_box WHERE scope = 'game'` + filter + `) g`
}

// teamLinesSQL is the statement that fills team_game_lines for the games
// of the list in (every game when in is ""), from game_box_sources.
func teamLinesSQL(in string) string {
	var sums, own, opp, ownCols, oppCols []string
	for _, c := range sumCols {
		sums = append(sums, "SUM("+c+") AS "+c)
		own = append(own, "COALESCE(t."+c+", tb."+c+")")
		opp = append(opp, "COALESCE(o."+c+", ob."+c+")")
		ownCols = append(ownCols, c)
		oppCols = append(oppCols, "opp_"+c)
	}
	// the players' sums of each side of each source, twice (a CTE would
	// leave PostgreSQL without row estimates: nested loops over 28,000
	// games took 6 minutes)
	sum := `(SELECT game_id, source, side, ` + strings.Join(sums, ", ") + `
    FROM player_box WHERE scope = 'game'` + inGames("game_id", in) + `
    GROUP BY game_id, source, side)`
	return `INSERT INTO team_game_lines (game_id, team_id, source, code, side, seconds, win,
    ` + strings.Join(ownCols, ", ") + `,
    opp_team_id, opp_code,
    ` + strings.Join(oppCols, ", ") + `)
SELECT tb.game_id, tb.team_id, tb.source, tb.code,
    CASE tb.side WHEN 1 THEN 'home' WHEN 2 THEN 'away' ELSE '' END, tb.seconds,
    CASE WHEN ob.pts IS NULL THEN NULL WHEN tb.pts > ob.pts THEN 1 ELSE 0 END,
    ` + strings.Join(own, ", ") + `,
    ob.team_id, ob.code,
    ` + strings.Join(opp, ", ") + `
FROM game_box_sources c
JOIN team_box tb ON tb.game_id = c.game_id AND tb.source = c.team_source AND tb.scope = 'game'
LEFT JOIN ` + sum + ` t ON t.game_id = tb.game_id AND t.source = tb.source AND t.side = tb.side
LEFT JOIN team_box ob ON ob.game_id = tb.game_id AND ob.source = tb.source AND ob.scope = 'game' AND ob.team_id <> tb.team_id
LEFT JOIN ` + sum + ` o ON o.game_id = ob.game_id AND o.source = ob.source AND o.side = ob.side
WHERE c.team_source IS NOT NULL` + inGames("c.game_id", in)
}

// playerLineCols are the columns of player_game_lines: those of
// player_games_live.
var playerLineCols = "game_id, player_id, name, team_id, team_code, side, opp_team_id, opp_code, win, starter, seconds_played, " +
	"pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf, plus_minus, " +
	"ts_pct, efg_pct, fg3a_rate, fta_rate, usg_pct, ast_pct, orb_pct, drb_pct, trb_pct, stl_pct, blk_pct, tov_pct, off_rtg, def_rtg, source"

// playerLinesSQL is the statement that fills player_game_lines for the
// games of the list in (every game when in is ""), from player_games_live
// (the formulas, on game_box_sources and team_games).
func playerLinesSQL(in string) string {
	where := ""
	if in != "" {
		where = "\nWHERE game_id IN " + in
	}
	return `INSERT INTO player_game_lines (` + playerLineCols + `)
SELECT ` + playerLineCols + `
FROM player_games_live` + where
}

// boxSourcesRefresh are the statements that recompute the tables for the
// games of the list in (every game when in is ""), in order.
func boxSourcesRefresh(in string) []string {
	del := ""
	if in != "" {
		del = " WHERE game_id IN " + in
	}
	return []string{
		`DELETE FROM player_game_lines` + del,
		`DELETE FROM team_game_lines` + del,
		`DELETE FROM game_box_sources` + del,
		boxSourcesSQL(in),
		teamLinesSQL(in),
		playerLinesSQL(in),
	}
}

// RefreshBoxSources recomputes game_box_sources, team_game_lines and
// player_game_lines for the games gameIDs from their box lines, in one
// transaction (q's when q is one). UpsertBoxes calls it for every game it writes a full-game box of;
// code that writes player_box or team_box any other way must call it too,
// or the canonical views miss the change.
func RefreshBoxSources(ctx context.Context, q Querier, gameIDs ...string) error {
	seen := map[string]bool{}
	var ids []any
	for _, id := range gameIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	err := RunInTx(ctx, q, func(tx Tx) error {
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			ph := make([]string, len(part))
			for i := range part {
				ph[i] = "$" + strconv.Itoa(i+1)
			}
			for _, s := range boxSourcesRefresh("(" + strings.Join(ph, ", ") + ")") {
				if _, err := tx.Exec(ctx, s, part...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: refresh the box sources of %d game(s): %w", len(ids), err)
	}
	return nil
}

// RebuildBoxSources recomputes game_box_sources, team_game_lines and
// player_game_lines from every box line of the store (what migration 0023
// did): the repair after box lines were written around UpsertBoxes, and the reference the tests
// compare the maintained tables with.
func RebuildBoxSources(ctx context.Context, q Querier) error {
	err := RunInTx(ctx, q, func(tx Tx) error {
		for _, s := range boxSourcesRefresh("") {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: rebuild the box sources: %w", err)
	}
	return nil
}
