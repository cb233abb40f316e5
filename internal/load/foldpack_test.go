package load

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// A load writes the fold packs of the MCP box_score tool's games, and the
// tool's source serves its misses from them; a second load of the same
// lake writes none; a reload of changed plays writes the game's pack
// again, and the source answers from the new plays.
func TestLoadWritesFoldPacks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	lk := smallLake(t)
	l := &Loader{Lake: lk, Store: st}
	const id = "0021800001"
	packs := func() int64 {
		t.Helper()
		var n int64
		if err := st.QueryRow(ctx, `SELECT count(*) FROM fold_packs`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	final := func() (home, away int, st gamecache.Stats) {
		t.Helper()
		src, err := gamecache.NewSource(gamecache.BoxScoreOptions(l.Store, nil))
		if err != nil {
			t.Fatal(err)
		}
		c, err := src.Get(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		b := c.Final()
		return b.Home.PTS, b.Away.PTS, src.Cache().Stats()
	}
	sum, err := l.Run(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var withPlays int64
	if err := st.QueryRow(ctx, `SELECT count(DISTINCT game_id) FROM play_packs`).Scan(&withPlays); err != nil {
		t.Fatal(err)
	}
	if n := packs(); n != withPlays || n == 0 || sum.Rows["fold_packs"] != n {
		t.Fatalf("%d fold packs (%d counted), want one per game with plays (%d)", n, sum.Rows["fold_packs"], withPlays)
	}
	h0, a0, stats := final()
	if stats.PackHits != 1 || stats.Compiles != 0 {
		t.Fatalf("a loaded game was not served from its pack: %+v", stats)
	}
	if sum, err := l.Run(ctx, Options{}); err != nil || sum.Rows["fold_packs"] != 0 {
		t.Fatalf("a second load wrote %d fold packs (%v)", sum.Rows["fold_packs"], err)
	}

	// the game's plays change: its first half only
	raw, err := os.ReadFile(filepath.Join(testutil.RealDataDir(t), "nba_stats/playbyplayv2", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	set := doc["resultSets"].([]any)[0].(map[string]any)
	rows := set["rowSet"].([]any)
	set["rowSet"] = rows[:len(rows)/2]
	half, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := lk.Put(ctx, "nba_stats/playbyplayv2/2018-19/"+id+".json", half, lake.Meta{FetchedAt: time.Unix(100, 0)}); err != nil {
		t.Fatal(err)
	}
	if sum, err := l.Run(ctx, Options{}); err != nil || sum.Rows["fold_packs"] != 1 {
		t.Fatalf("a reload of one game's plays wrote %d fold packs, want 1 (%v)", sum.Rows["fold_packs"], err)
	}
	h1, a1, stats := final()
	if stats.PackHits != 1 || h1+a1 >= h0+a0 || h1+a1 == 0 {
		t.Fatalf("after the reload: %d-%d (before %d-%d), %+v: want the first half's score, from the new pack", h1, a1, h0, a0, stats)
	}
}
