package load

import (
	"context"
	"math"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
)

// typedTables are the typed tables of migration 0020 and the columns their
// parsers fill (the loader adds key).
var typedTables = map[string]int{
	"player_box_advanced": 29, "team_box_advanced": 28, "game_summaries": 17, "game_team_summaries": 17,
	"line_scores": 4, "game_officials": 5, "game_inactive_players": 7, "player_info": 25, "player_info_seasons": 3,
}

// checkTypedTables checks the typed tables of boxscoreadvancedv3,
// boxscoresummaryv2 and commonplayerinfo after TestLoadCatalogEndpoints'
// load of every recording: their row counts, and exact values of Donovan
// Mitchell's 71-point game (CLE-CHI 0022200552, 145-134 in overtime) and
// of his biography.
func checkTypedTables(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := st.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// every column of each table is one its parser fills, plus key
	for table, n := range typedTables {
		cols, err := store.Columns(ctx, st, st.Dialect(), table)
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) != n+1 || cols[len(cols)-1] != "key" {
			t.Errorf("%s: columns %v, want %d and key", table, cols, n)
		}
		if docs := count(`SELECT COUNT(*) FROM column_docs WHERE table_name = $1`, table); docs != len(cols) {
			t.Errorf("%s: %d documented columns of %d", table, docs, len(cols))
		}
	}
	// two advanced boxes, five summaries (the G League one is not NBA
	// data), one biography
	for table, want := range map[string]int{
		"player_box_advanced": 51, "team_box_advanced": 4, "game_summaries": 5, "game_team_summaries": 10,
		"line_scores": 46, "game_officials": 15, "game_inactive_players": 35, "player_info": 1, "player_info_seasons": 32,
	} {
		if got := count(`SELECT COUNT(*) FROM ` + table); got != want {
			t.Errorf("%s: %d rows, want %d", table, got, want)
		}
	}
	const g = "0022200552"
	floats := func(q string, args ...any) []float64 {
		t.Helper()
		rows, err := st.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatalf("%s %v: no row", q, args)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]float64, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return vals
	}
	near := func(what string, got, want []float64) {
		t.Helper()
		ok := len(got) == len(want)
		for i := 0; ok && i < len(got); i++ {
			ok = math.Abs(got[i]-want[i]) < 1e-9
		}
		if !ok {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	near("Mitchell's advanced line", floats(`SELECT seconds_played, off_rating, def_rating, net_rating, ast_pct, ts_pct, usg_pct, possessions, pie
		FROM player_box_advanced WHERE game_id = $1 AND player_id = '1628378' AND team_id = '1610612739'`, g),
		[]float64{2988, 139.2, 119.4, 19.8, 0.44, 0.789, 0.409, 102, 0.285})
	near("CLE's advanced line", floats(`SELECT seconds_played, off_rating, def_rating, pace, possessions, est_tov_pct
		FROM team_box_advanced WHERE game_id = $1 AND team_id = '1610612739' AND side = 'home' AND team_code = 'CLE'`, g),
		[]float64{15900, 134.3, 122.9, 98.26, 108, 9.259})
	if n := count(`SELECT COUNT(*) FROM player_box_advanced WHERE game_id = $1 AND seconds_played IS NULL AND comment LIKE 'DNP%'`, g); n != 4 {
		t.Errorf("%s: %d DNP lines without seconds, want 4", g, n)
	}
	near("the game's summary", floats(`SELECT attendance, duration_seconds, periods, status_id, series_home_wins, series_home_losses
		FROM game_summaries WHERE game_id = $1 AND game_date = '2023-01-02' AND season = '2022-23' AND status_text = 'Final/OT'
		AND home_team_id = '1610612739' AND away_team_id = '1610612741' AND last_game_id = '0022200540'`, g),
		[]float64{19432, 10260, 5, 3, 4, 0})
	near("CLE's summary", floats(`SELECT wins, losses, pts, pts_paint, pts_second_chance, pts_fast_break, largest_lead, pts_off_turnovers
		FROM game_team_summaries WHERE game_id = $1 AND team_id = '1610612739' AND side = 'home'`, g),
		[]float64{24, 14, 145, 56, 24, 6, 11, 9})
	for team, want := range map[string][]float64{"1610612739": {27, 20, 44, 39, 15}, "1610612741": {34, 31, 31, 34, 4}} {
		var got []float64
		for p := 1; p <= 5; p++ {
			got = append(got, floats(`SELECT pts FROM line_scores WHERE game_id = $1 AND team_id = $2 AND period = $3`, g, team, p)...)
		}
		near(team+"'s line score", got, want)
	}
	// every line score sums to the team's points
	if n := count(`SELECT COUNT(*) FROM game_team_summaries s WHERE s.pts <> (SELECT SUM(l.pts) FROM line_scores l
		WHERE l.game_id = s.game_id AND l.team_id = s.team_id)`); n != 0 {
		t.Errorf("%d teams whose periods do not sum to their points", n)
	}
	if n := count(`SELECT COUNT(*) FROM game_officials WHERE game_id = $1 AND official_id = '1146' AND last_name = 'Brothers' AND jersey_num = '25'`, g); n != 1 {
		t.Errorf("official Tony Brothers (1146, #25) not found")
	}
	if n := count(`SELECT COUNT(*) FROM game_inactive_players WHERE game_id = $1 AND player_id = '1628366' AND team_code = 'CHI' AND last_name = 'Ball'`, g); n != 1 {
		t.Errorf("inactive Lonzo Ball (1628366, CHI) not found")
	}
	near("Mitchell's biography", floats(`SELECT height_inches, weight_pounds, draft_year, draft_round, draft_number, from_year, nba_flag, greatest_75
		FROM player_info WHERE player_id = '1628378' AND birth_date = '1996-09-07' AND school = 'Louisville' AND country = 'USA'
		AND position = 'Guard' AND name = 'Donovan Mitchell' AND team_code = 'CLE'`),
		[]float64{74, 215, 2017, 1, 13, 2017, 1, 0})
	if n := count(`SELECT COUNT(*) FROM player_info_seasons WHERE player_id = '1628378' AND season_type = 'regular'`); n != 9 {
		t.Errorf("Mitchell: %d regular seasons, want 9 (2017-18..2025-26)", n)
	}
	if n := count(`SELECT COUNT(*) FROM player_info_seasons WHERE player_id = '1628378' AND season = '2019-20' AND season_type = 'allstar'`); n != 1 {
		t.Errorf("Mitchell: no 2019-20 all-star season")
	}
	// every advanced line of a game with a traditional box names a player of it
	var orphans int
	for _, q := range []string{`SELECT COUNT(*) FROM player_box_advanced a WHERE NOT EXISTS (SELECT 1 FROM player_box b WHERE b.game_id = a.game_id AND b.player_id = a.player_id)
		AND EXISTS (SELECT 1 FROM player_box b WHERE b.game_id = a.game_id)`} {
		orphans += count(q)
	}
	if orphans != 0 {
		t.Errorf("%d advanced lines of a player the game's box does not list", orphans)
	}
}
