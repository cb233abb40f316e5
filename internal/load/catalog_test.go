package load

import (
	"context"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/registry"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// shotGames are the games with a shot chart of each team in the recordings.
var shotGames = []string{"0021600270", "0021900001", "0022100732"}

// TestLoadCatalogEndpoints loads every recorded stats.nba.com response of
// a catalog endpoint (under the key the catalog gives it) and the
// play-by-play of the three games with shot charts: every row of every
// result set of the endpoints without a typed parser is in stats_rows
// (as many as the generic decoder reads), every shot in shots; every made
// shot joins to a made field goal of the play-by-play by game and event
// number with the same player and points, and each player's made shots
// are the official box's FGM.
func TestLoadCatalogEndpoints(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testLoadCatalogEndpoints(t, open(t))
		})
	}
}

func testLoadCatalogEndpoints(t *testing.T, st store.Store) {
	data := testutil.RealDataDir(t)
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	rs, err := replay.Load(data, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat := layout.BuiltinCatalog()
	wantRows, objects := 0, 0
	for _, en := range rs.Entries() {
		if en.Host != "stats.nba.com" || strings.Contains(en.File, ".original.") || strings.Contains(en.File, ".pbpstats_fixture") {
			continue
		}
		ce, ok := cat.ForPath(strings.TrimPrefix(en.Path, "/stats/"), en.Query)
		if !ok {
			t.Fatalf("%s: not in the catalog", en.Name())
		}
		if ce.Name == "playbyplayv2" && !containsString(shotGames, en.Query.Get("GameID")) {
			continue
		}
		season, item, err := ce.Recognise(en.Query)
		if err != nil {
			t.Fatal(err)
		}
		key, err := layout.Make(layout.CatalogSource, ce.Name, season, item)
		if err != nil {
			t.Fatal(err)
		}
		body, err := rs.Body(en)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lk.Store(ctx, key, body, lake.Meta{Source: layout.CatalogSource, Endpoint: ce.Name, URL: en.URL()}); err != nil {
			t.Fatal(err)
		}
		objects++
		if e, _ := registry.Lookup(layout.CatalogSource, ce.Name); e.Parse != nil && e.Version > 0 {
			if res, err := e.Parse(body, parse.Hint{Key: key}); err == nil && res.RowSets != nil {
				for _, s := range res.RowSets {
					wantRows += len(s.Rows)
				}
			}
		}
	}
	sum, err := (&Loader{Lake: lk, Store: st}).Run(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d objects; load: %+v", objects, sum)
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := st.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if got := count(`SELECT COUNT(*) FROM stats_rows`); got != wantRows || got != 32462 {
		t.Errorf("stats_rows: %d, want %d (what the decoder reads) = 32,462", got, wantRows)
	}
	if got := count(`SELECT COUNT(DISTINCT endpoint) FROM stats_rows`); got != 109 {
		t.Errorf("stats_rows of %d endpoints, want 109 (the other catalog objects hold no row)", got)
	}
	if got := count(`SELECT COUNT(*) FROM raw_objects WHERE parse_status = 'failed'`); got != 0 {
		t.Errorf("%d objects failed to parse", got)
	}
	wantShots := map[string][2]int{"0021600270": {193, 90}, "0021900001": {205, 85}, "0022100732": {170, 90}}
	for _, g := range shotGames {
		shots := count(`SELECT COUNT(*) FROM shots WHERE game_id = $1`, g)
		made := count(`SELECT COUNT(*) FROM shots WHERE game_id = $1 AND made = 1`, g)
		joined := count(`SELECT COUNT(*) FROM shots s WHERE s.game_id = $1 AND s.made = 1 AND EXISTS (
			SELECT 1 FROM plays p WHERE p.game_id = s.game_id AND p.event_num = s.event_num AND p.provider = 'nba_stats/playbyplayv2'
			AND p.made = 1 AND p.player_id = s.player_id AND p.points = CASE WHEN s.shot_type LIKE '3PT%' THEN 3 ELSE 2 END)`, g)
		if [2]int{shots, made} != wantShots[g] || joined != made {
			t.Errorf("%s: %d shots, %d made, %d of them join a made field goal of the play-by-play", g, shots, made, joined)
		}
		t.Logf("%s: %d shots, %d made", g, shots, made)
	}
	// made shots per player = the official box's FGM (the two games with a v2 box)
	for _, g := range []string{"0021600270", "0022100732"} {
		diff := count(`SELECT COUNT(*) FROM player_box b WHERE b.game_id = $1 AND b.source = 'nba_stats/boxscoretraditionalv2' AND b.scope = 'game'
			AND b.fgm <> (SELECT COUNT(*) FROM shots s WHERE s.game_id = b.game_id AND s.player_id = b.player_id AND s.made = 1)`, g)
		lines := count(`SELECT COUNT(*) FROM player_box WHERE game_id = $1 AND source = 'nba_stats/boxscoretraditionalv2' AND scope = 'game'`, g)
		if diff != 0 || lines == 0 {
			t.Errorf("%s: %d of %d box lines have another FGM than their made shots", g, diff, lines)
		}
	}
	// describe_table documents the catalog tables (migration 0016)
	if got := count(`SELECT COUNT(*) FROM column_docs WHERE table_name IN ('stats_rows', 'stats_result_sets', 'shots')`); got != 30 {
		t.Errorf("%d documented columns of the catalog tables, want 30", got)
	}
	checkTypedTables(t, st)
	// a second load writes nothing
	sum2, err := (&Loader{Lake: lk, Store: st}).Run(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Parsed != 0 {
		t.Errorf("second load parsed %d objects", sum2.Parsed)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
