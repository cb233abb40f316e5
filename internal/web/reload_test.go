package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/testutil"
)

// A game reloaded with other plays (a new version of its lake object, run
// through the real loader) is served from its new plays: the server's
// cached compiled game is dropped when the store's version of the game
// moves, never served stale. An identical forced reload keeps the cached
// game.
func TestReloadedGameIsServedFresh(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testReloadedGame(t, d) })
	}
}

func testReloadedGame(t *testing.T, dialect store.Dialect) {
	dir := testutil.RealDataDir(t)
	ctx := context.Background()
	rf := newDatabase(t, dialect)
	lk, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	const key = "nba_stats/playbyplayv2/2018-19/" + fixtureGame + ".json"
	orig, err := os.ReadFile(filepath.Join(dir, "nba_stats", "playbyplayv2", fixtureGame+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := lk.Put(ctx, key, orig, lake.Meta{FetchedAt: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	loader := &load.Loader{Lake: lk, Store: rf.Store}
	if _, err := loader.Run(ctx, load.Options{}); err != nil {
		t.Fatal(err)
	}
	db := openReader(t, rf)
	srv, err := New(Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	score := func() (home, away int) {
		t.Helper()
		resp, err := http.Get(ts.URL + "/api/v1/games/" + fixtureGame + "/box")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b BoxOut
		if resp.StatusCode != 200 {
			t.Fatalf("box: %d", resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
			t.Fatal(err)
		}
		return b.Score.Home, b.Score.Away
	}
	revalidate := func() int {
		t.Helper()
		n, err := srv.games.Revalidate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if h, a := score(); h != 105 || a != 87 {
		t.Fatalf("first load: BOS %d PHI %d, want 105-87", h, a)
	}

	// the same bytes parsed again: same rows, same version, still cached
	if _, err := loader.Run(ctx, load.Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if n := revalidate(); n != 0 {
		t.Errorf("an identical forced reload dropped %d cached games", n)
	}

	// a new version of the object without the game's last made basket
	var doc struct {
		ResultSets []struct {
			Name    string   `json:"name"`
			Headers []string `json:"headers"`
			RowSet  [][]any  `json:"rowSet"`
		} `json:"resultSets"`
	}
	if err := json.Unmarshal(orig, &doc); err != nil {
		t.Fatal(err)
	}
	rs := &doc.ResultSets[0]
	col := map[string]int{}
	for i, h := range rs.Headers {
		col[h] = i
	}
	last := -1
	for i, r := range rs.RowSet {
		if r[col["EVENTMSGTYPE"]] == float64(1) {
			last = i
		}
	}
	if last < 0 {
		t.Fatal("no made field goal in the fixture")
	}
	made := rs.RowSet[last]
	desc := func(r []any) string {
		for _, c := range []string{"HOMEDESCRIPTION", "VISITORDESCRIPTION"} {
			if s, ok := r[col[c]].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	t.Logf("dropping event %v: %s", made[col["EVENTNUM"]], desc(made))
	rs.RowSet = append(rs.RowSet[:last:last], rs.RowSet[last+1:]...)
	changed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := lk.Put(ctx, key, changed, lake.Meta{FetchedAt: time.Unix(1, 0)}); err != nil {
		t.Fatal(err)
	}
	if sum, err := loader.Run(ctx, load.Options{}); err != nil || sum.Parsed != 1 {
		t.Fatalf("reload: %+v, %v", sum, err)
	}
	if n := revalidate(); n != 1 {
		t.Errorf("revalidate after the reload dropped %d games, want 1", n)
	}
	h, a := score()
	if h+a != 105+87-2 && h+a != 105+87-3 {
		t.Fatalf("after the reload: BOS %d PHI %d, want 192 points less the dropped basket", h, a)
	}
	t.Logf("after the reload: BOS %d PHI %d", h, a)
	if st := srv.cache.Stats(); st.Invalidations != 1 || st.Loads != 2 {
		t.Errorf("cache stats %+v: want 1 invalidation, 2 loads", st)
	}

	// Watch does the same on its own: back to the original bytes
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go srv.Watch(wctx, 20*time.Millisecond)
	if err := lk.Put(ctx, key, orig, lake.Meta{FetchedAt: time.Unix(2, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Run(ctx, load.Options{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if h, a := score(); h == 105 && a == 87 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("60 s after the reload the server still serves the old plays (cache %+v)", srv.cache.Stats())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Preload compiles a season's games before any request: the first box is
// then a hit.
func TestPreload(t *testing.T) {
	f := newFixture(t, store.SQLite)
	ctx := context.Background()
	season, n, err := f.srv.Preload(ctx, "2018-19", 2)
	if err != nil || season != "2018-19" || n != 1 {
		t.Fatalf("preload 2018-19: %q, %d games, %v; want 1 game (the one with plays)", season, n, err)
	}
	before := f.srv.cache.Stats()
	resp, err := http.Get(f.ts.URL + "/api/v1/games/" + fixtureGame + "/box?elapsed=100")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if after := f.srv.cache.Stats(); resp.StatusCode != 200 || after.Loads != before.Loads || after.Hits != before.Hits+1 {
		t.Errorf("box after preload: status %d, cache %+v -> %+v: want a hit", resp.StatusCode, before, after)
	}
	if _, n, err := f.srv.Preload(ctx, "1999-00", 1); err != nil || n != 0 {
		t.Errorf("preload of a season without games: %d, %v", n, err)
	}
	// "latest" is the newest season with plays (the read-only fixture's
	// seed has a 2023-24 game)
	if season, _, err := f.srv.Preload(ctx, "latest", 1); err != nil || season != "2023-24" {
		t.Errorf("preload latest: %q, %v", season, err)
	}
}
