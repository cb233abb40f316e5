package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/parse/registry"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// smallLake holds two games of two seasons, a broken object and one
// without a parser.
func smallLake(t *testing.T) *lake.Lake {
	t.Helper()
	dir := testutil.RealDataDir(t)
	ctx := context.Background()
	lk, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	put := func(key string, data []byte) {
		if err := lk.Put(ctx, key, data, lake.Meta{FetchedAt: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []struct{ rel, key string }{
		{"nba_stats/playbyplayv2/0022200552.json", "nba_stats/playbyplayv2/2022-23/0022200552.json"},
		{"nba_stats/playbyplayv3/0022200552.json", "nba_stats/playbyplayv3/2022-23/0022200552.json"},
		{"nba_stats/boxscoretraditionalv2/0022200552.json", "nba_stats/boxscoretraditionalv2/2022-23/0022200552.json"},
		{"nba_stats/gamerotation/0022200552.json", "nba_stats/gamerotation/2022-23/0022200552.json"},
		{"nba_stats/playbyplayv2/0021800001.json", "nba_stats/playbyplayv2/2018-19/0021800001.json"},
	} {
		b, err := os.ReadFile(filepath.Join(dir, f.rel))
		if err != nil {
			t.Fatal(err)
		}
		put(f.key, b)
	}
	put("nba_stats/playbyplayv2/2018-19/0021800002.json", []byte(`{"resultSets": [{"name": "PlayByPlay", "headers": ["GAME_ID"], "rowSet": []}]}`))
	put("notes/readme.txt", []byte("not a layout key"))
	return lk
}

func status(t *testing.T, st store.Store, key string) store.RawObject {
	t.Helper()
	o, err := store.GetRawObject(context.Background(), st, key)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestLoadOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	lk := smallLake(t)
	l := &Loader{Lake: lk, Store: st}

	// --game: only that game's objects
	sum, err := l.Run(ctx, Options{GameID: "0022200552"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Parsed != 4 || sum.ByStatus["ok"] != 3 || sum.ByStatus["skipped"] != 1 {
		t.Fatalf("--game: %+v", sum)
	}
	g, err := store.GetGame(ctx, st, "0022200552")
	if err != nil || g.HomeCode != "CLE" || g.AwayCode != "CHI" || !g.HasScore || g.HomePts != 145 || g.AwayPts != 134 {
		t.Fatalf("game %+v, %v", g, err)
	}
	if o := status(t, st, "nba_stats/gamerotation/2022-23/0022200552.json"); o.ParseStatus != store.ParseSkipped || !strings.Contains(o.Error, "no parser") {
		t.Errorf("gamerotation: %+v", o)
	}
	// box sides follow the game: CLE at home
	box, err := store.LoadBox(ctx, st, "0022200552", "nba_stats/boxscoretraditionalv2", "game")
	if err != nil || box.Home.Code != "CLE" || box.Home.PTS != 145 {
		t.Errorf("box home %+v, %v", box.Home, err)
	}

	// --season: the 2018-19 objects; the broken one is quarantined, the batch goes on
	sum, err = l.Run(ctx, Options{Season: "2018-19"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Parsed != 2 || sum.ByStatus["ok"] != 1 || sum.ByStatus["failed"] != 1 || sum.Ignored != 0 {
		t.Fatalf("--season: %+v", sum)
	}
	bad := "nba_stats/playbyplayv2/2018-19/0021800002.json"
	if o := status(t, st, bad); o.ParseStatus != store.ParseFailed || !strings.Contains(o.Error, "missing column EVENTNUM") {
		t.Errorf("broken object: %+v", o)
	}
	q, err := store.ListQuarantine(ctx, st, store.QuarantineFilter{})
	if err != nil || len(q) != 1 || q[0].Key != bad || q[0].Position != "resultSets[0].headers" || !strings.Contains(q[0].Reason, "missing column EVENTNUM") || q[0].GameID != "0021800002" {
		t.Fatalf("quarantine %+v, %v", q, err)
	}

	// everything else: nothing new except the foreign key, which is ignored
	sum, err = l.Run(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Parsed != 0 || sum.Ignored != 1 || sum.Unchanged != 6 {
		t.Fatalf("full load after game and season: %+v", sum)
	}

	// a fixed object is re-parsed (its size changed) and leaves quarantine
	good, err := lk.Read(ctx, "nba_stats/playbyplayv2/2018-19/0021800001.json")
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.ReplaceAll(string(good), "0021800001", "0021800002")
	if err := lk.Put(ctx, bad, []byte(fixed), lake.Meta{}); err != nil {
		t.Fatal(err)
	}
	sum, err = l.Run(ctx, Options{})
	if err != nil || sum.Parsed != 1 || sum.ByStatus["ok"] != 1 {
		t.Fatalf("after the fix: %+v, %v", sum, err)
	}
	if q, _ := store.ListQuarantine(ctx, st, store.QuarantineFilter{}); len(q) != 0 {
		t.Errorf("quarantine after the fix: %+v", q)
	}

	// --reparse re-parses what an older parser version loaded, only that
	if _, err := st.Exec(ctx, `UPDATE raw_objects SET parser_version = 0 WHERE key = $1`, "nba_stats/playbyplayv3/2022-23/0022200552.json"); err != nil {
		t.Fatal(err)
	}
	if sum, err = l.Run(ctx, Options{}); err != nil || sum.Parsed != 0 || sum.Outdated != 1 {
		t.Fatalf("without --reparse (want 0 parsed, 1 outdated): %+v, %v", sum, err)
	}
	if sum, err = l.Run(ctx, Options{Reparse: true}); err != nil || sum.Parsed != 1 || sum.Outdated != 0 {
		t.Fatalf("--reparse: %+v, %v", sum, err)
	}
	v3, _ := registry.Lookup("nba_stats", "playbyplayv3")
	if o := status(t, st, "nba_stats/playbyplayv3/2022-23/0022200552.json"); o.ParserVersion != v3.Version || v3.Version < 1 || o.ParseStatus != store.ParseOK {
		t.Errorf("after --reparse: %+v", o)
	}

	// bad options
	if _, err := l.Run(ctx, Options{Season: "2018"}); err == nil {
		t.Error("bad season accepted")
	}
	if _, err := l.Run(ctx, Options{GameID: "123"}); err == nil {
		t.Error("bad game id accepted")
	}
}
