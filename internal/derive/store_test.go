package derive

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// Plays and an official box in the store (both engines): verify derives
// the game, stores the derived box (source "derived") and the result, and
// a box at a moment from the store's plays equals the one from the file.
func TestVerifyThroughStore(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, eng := range storeEngines {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			s := eng.open(t)
			ctx := context.Background()
			const id = "0021800001"
			g := storeV2Plays(t, s, dir, id)
			res, _, err := ReadFile(filepath.Join(dir, "bbref", "boxscores", "201810160BOS.html.gz"), "201810160BOS")
			if err != nil {
				t.Fatal(err)
			}
			off := res.Boxes[0]
			off.GameID = id
			if _, err := store.UpsertBoxes(ctx, s, []model.Box{off}); err != nil {
				t.Fatal(err)
			}
			started := time.Now()
			results, skip, err := VerifyGameStore(ctx, s, id, nil, true)
			if err != nil {
				t.Fatal(err)
			}
			if skip != "" || len(results) != 1 || results[0].Grade != "A" {
				t.Fatalf("results %+v", results)
			}
			rep := &Report{Name: "game " + id, Games: results}
			rep.Summarize()
			if err := SaveReport(ctx, s, "run-1", "game "+id, started, rep); err != nil {
				t.Fatal(err)
			}
			var grade string
			var cells, exact int64
			if err := s.QueryRow(ctx, `SELECT grade, cells, cells_exact FROM verify_games WHERE game_id = $1`, id).Scan(&grade, &cells, &exact); err != nil {
				t.Fatal(err)
			}
			if grade != "A" || cells == 0 || cells != exact {
				t.Fatalf("stored grade %s cells %d/%d", grade, exact, cells)
			}
			d, err := store.LoadBox(ctx, s, id, pbp.SourceDerived, "game")
			if err != nil {
				t.Fatal(err)
			}
			if d.Home.PTS != off.Home.PTS || d.Away.PTS != off.Away.PTS || len(d.Players) == 0 {
				t.Fatalf("stored derived box %d-%d, official %d-%d", d.Home.PTS, d.Away.PTS, off.Home.PTS, off.Away.PTS)
			}
			// box at a moment from the store equals the one from the file
			sg, err := GameFromStore(ctx, s, id, "")
			if err != nil {
				t.Fatal(err)
			}
			at := model.Elapsed(3, 7*600+24) // Q3 7:02.4
			a := pbp.Compile(sg, nil).BoxAt(pbp.AtElapsed(at))
			b := pbp.Compile(g, nil).BoxAt(pbp.AtElapsed(at))
			if a.Home.Stats != b.Home.Stats || a.Away.Stats != b.Away.Stats || len(a.Players) != len(b.Players) {
				t.Fatalf("box at Q3 7:02.4 from the store differs from the file's")
			}
		})
	}
}

// A game with plays and no official box (a bulk archive's): VerifyScoreSave
// stores its derived box only when asked, and player_games and team_games
// then have its lines; without save nothing is written.
func TestVerifyScoreSaveStoresDerivedBox(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, eng := range storeEngines {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			s := eng.open(t)
			ctx := context.Background()
			const id = "0021800001"
			storeV2Plays(t, s, dir, id)
			count := func(q string) int {
				t.Helper()
				var n int
				if err := s.QueryRow(ctx, q).Scan(&n); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return n
			}
			ref := FinalScore{GameID: id, Home: 105, Away: 87}
			r, err := VerifyScoreSave(ctx, s, id, nil, ref, true, false)
			if err != nil || !r.Exact || r.Error != "" {
				t.Fatalf("without save: %+v, %v", r, err)
			}
			if n := count(`SELECT COUNT(*) FROM player_box`); n != 0 {
				t.Fatalf("without save: %d player_box rows, want 0", n)
			}
			if r, err = VerifyScoreSave(ctx, s, id, nil, ref, true, true); err != nil || !r.Exact {
				t.Fatalf("with save: %+v, %v", r, err)
			}
			if n := count(`SELECT COUNT(*) FROM team_games WHERE source = 'derived'`); n != 2 {
				t.Errorf("team_games: %d derived rows, want 2", n)
			}
			if n := count(`SELECT SUM(pts) FROM player_games WHERE source = 'derived'`); n != 105+87 {
				t.Errorf("player_games: %d points, want %d", n, 105+87)
			}
		})
	}
}

// storeEngines are the two store engines the store tests run on.
var storeEngines = []struct {
	name string
	open func(testing.TB) store.Store
}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}}

// storeV2Plays writes the plays of the recorded playbyplayv2 file of id
// into s and returns the game read from it.
func storeV2Plays(t *testing.T, s store.Store, dir, id string) *model.Game {
	t.Helper()
	g, err := LoadV2File(filepath.Join(dir, "nba_stats", "playbyplayv2", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ReplacePlays(context.Background(), s, id, g.Provider, g.Events); err != nil {
		t.Fatal(err)
	}
	return g
}
