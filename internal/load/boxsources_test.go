package load

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestLoadMaintainsBoxSources loads a game's official boxes, reloads one
// of them changed, forced, and emptied, deletes it, and after each step
// compares the tables of the canonical views
// (game_box_sources, team_game_lines, player_game_lines) with a
// recomputation from the box tables: a write path of the loader that forgot
// to maintain them fails here. On both engines.
func TestLoadMaintainsBoxSources(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	const game, mitchell = "0022200552", "1628378"
	const v2key = "nba_stats/boxscoretraditionalv2/2022-23/" + game + ".json"
	v2, err := os.ReadFile(filepath.Join(dir, "nba_stats/boxscoretraditionalv2", game+".json"))
	if err != nil {
		t.Fatal(err)
	}
	// edit rewrites the v2 box's result sets
	edit := func(t *testing.T, fn func(name string, headers []string, rows [][]any) [][]any) []byte {
		var doc struct {
			ResultSets []struct {
				Name    string   `json:"name"`
				Headers []string `json:"headers"`
				RowSet  [][]any  `json:"rowSet"`
			} `json:"resultSets"`
		}
		if err := json.Unmarshal(v2, &doc); err != nil {
			t.Fatal(err)
		}
		for i := range doc.ResultSets {
			rs := &doc.ResultSets[i]
			rs.RowSet = fn(rs.Name, rs.Headers, rs.RowSet)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	col := func(headers []string, name string) int {
		for i, h := range headers {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	for _, engine := range []struct {
		name string
		open func(testing.TB) store.Store
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		t.Run(engine.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.open(t)
			lk, err := lake.Open(ctx, "mem://", "")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { lk.Close() })
			put := func(key string, data []byte) {
				t.Helper()
				if err := lk.Put(ctx, key, data, lake.Meta{FetchedAt: time.Unix(0, 0)}); err != nil {
					t.Fatal(err)
				}
			}
			for _, ep := range []string{"playbyplayv2", "boxscoretraditionalv2", "boxscoretraditionalv3"} {
				b, err := os.ReadFile(filepath.Join(dir, "nba_stats", ep, game+".json"))
				if err != nil {
					t.Fatal(err)
				}
				put("nba_stats/"+ep+"/2022-23/"+game+".json", b)
			}
			l := &Loader{Lake: lk, Store: st}
			opt := Options{}
			// the tables against a recomputation, and what player_games shows
			check := func(name, wantSource string, wantPts int) {
				t.Helper()
				storetest.CheckBoxSources(ctx, t, st, name)
				var src string
				var pts int
				if err := st.QueryRow(ctx, `SELECT source, pts FROM player_games WHERE game_id = $1 AND player_id = $2`, game, mitchell).Scan(&src, &pts); err != nil {
					t.Fatalf("%s: player_games: %v", name, err)
				}
				if src != wantSource || pts != wantPts {
					t.Fatalf("%s: Mitchell's line from %s, %d points; want %s, %d", name, src, pts, wantSource, wantPts)
				}
			}
			step := func(name, wantSource string, wantPts int) {
				t.Helper()
				if _, err := l.Run(ctx, opt); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				check(name, wantSource, wantPts)
			}
			step("first load", "nba_stats/boxscoretraditionalv2", 71)
			// the v2 box corrected: Mitchell 70
			put(v2key, edit(t, func(name string, headers []string, rows [][]any) [][]any {
				if name == "PlayerStats" {
					id, pts := col(headers, "PLAYER_ID"), col(headers, "PTS")
					for _, r := range rows {
						if n, ok := r[id].(float64); ok && n == 1628378 {
							r[pts] = 70.0
						}
					}
				}
				return rows
			}))
			step("corrected v2 box", "nba_stats/boxscoretraditionalv2", 70)
			// a forced reload of the same objects
			opt = Options{Force: true}
			step("forced reload", "nba_stats/boxscoretraditionalv2", 70)
			opt = Options{}
			// an object without lines keeps the stored box (the loader
			// deletes no box)
			put(v2key, edit(t, func(name string, headers []string, rows [][]any) [][]any { return [][]any{} }))
			step("emptied v2 object", "nba_stats/boxscoretraditionalv2", 70)
			// the v2 box deleted (a box without lines): v3 takes over
			if _, err := store.UpsertBox(ctx, st, model.Box{GameID: game, Source: "nba_stats/boxscoretraditionalv2"}); err != nil {
				t.Fatal(err)
			}
			check("deleted v2 box", "nba_stats/boxscoretraditionalv3", 71)
		})
	}
}
