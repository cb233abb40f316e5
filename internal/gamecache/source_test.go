package gamecache

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// A game whose version moves (the loader touched it) is dropped by
// Revalidate and read again; the other cached games stay; a game loaded
// again meanwhile at the new version is not dropped. Both ways a full pass
// reads the versions: the cached games' by id, and (from scanAllAt cached
// games) every game's in one scan.
func TestSourceRevalidate(t *testing.T) {
	for _, scanAt := range []int{scanAllAt, 1} {
		t.Run(fmt.Sprintf("scan from %d games", scanAt), func(t *testing.T) { testSourceRevalidate(t, scanAt) })
	}
}

func testSourceRevalidate(t *testing.T, scanAt int) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	ids := []string{"0021800001", "0021800002"}
	storeGames(t, st, ids)
	storeGames(t, st, []string{"0021800003"}) // in the store, never cached
	var prepared int
	src, err := NewSource(SourceOptions{Querier: st, Cache: New(8), PrepareName: "count",
		Prepare: func(context.Context, store.Querier, *model.Game) error { prepared++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	src.scanAt = scanAt
	for _, id := range ids {
		if _, err := src.Get(ctx, id, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := src.Revalidate(ctx); err != nil || n != 0 {
		t.Fatalf("revalidate of unchanged games: %d, %v", n, err)
	}
	if _, err := store.TouchGames(ctx, st, ids[:1]); err != nil {
		t.Fatal(err)
	}
	if n, err := src.Revalidate(ctx); err != nil || n != 1 {
		t.Fatalf("revalidate after touching one game: %d, %v", n, err)
	}
	if _, ok := src.Lookup(ids[0], ""); ok {
		t.Error("the touched game is still cached")
	}
	if _, ok := src.Lookup(ids[1], ""); !ok {
		t.Error("the other game was dropped")
	}
	if _, err := src.Get(ctx, ids[0], ""); err != nil {
		t.Fatal(err)
	}
	if prepared != 3 {
		t.Errorf("Prepare ran %d times, want 3 (two games, one read again)", prepared)
	}
	if st := src.Cache().Stats(); st.Loads != 3 || st.Invalidations != 1 {
		t.Errorf("stats %+v", st)
	}
	if _, err := src.Get(ctx, "0021899999", ""); err == nil {
		t.Error("a game without plays compiled")
	}
	if _, err := NewSource(SourceOptions{Querier: st, Prepare: func(context.Context, store.Querier, *model.Game) error { return nil }}); err == nil {
		t.Error("a Prepare without a name is accepted")
	}
}

func TestRemoveIfKeepsNewerVersion(t *testing.T) {
	ctx := context.Background()
	c := New(4)
	k := Key{GameID: "g", Provider: "p", Overrides: "v"}
	load := func(ver string) VersionedLoader {
		return func(context.Context) (*pbp.Compiled, string, error) {
			g, _ := pbp.SyntheticGame(1)
			return pbp.Compile(g, nil), ver, nil
		}
	}
	if _, err := c.GetVersioned(ctx, k, load("a")); err != nil {
		t.Fatal(err)
	}
	if vs := c.Versions(); len(vs) != 1 || vs[0].Version != "a" || vs[0].Key != k {
		t.Fatalf("versions %+v", vs)
	}
	if c.RemoveIf(k, "old") {
		t.Error("removed a game cached at another version")
	}
	if !c.RemoveIf(k, "a") || c.Len() != 0 {
		t.Error("not removed at its version")
	}
	if c.RemoveIf(k, "a") {
		t.Error("removed twice")
	}
	if _, err := c.GetVersioned(ctx, k, func(context.Context) (*pbp.Compiled, string, error) { return nil, "", errors.New("x") }); err == nil {
		t.Error("error not returned")
	}
}

// RevalidateRecent: its first pass is a full one; then it drops a game the
// loader touched, reading only the games stamped since; a change stamped
// further back than RecentMargin (a writer whose clock is behind) is not
// seen by a recent pass but by the next full pass.
func TestSourceRevalidateRecent(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	ids := []string{"0021800001", "0021800002", "0021800003"}
	storeGames(t, st, ids)
	src, err := NewSource(SourceOptions{Querier: st, Cache: New(8)})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := src.Get(ctx, id, ""); err != nil {
			t.Fatal(err)
		}
	}
	cached := func() (in []string) {
		for _, id := range ids {
			if _, ok := src.Lookup(id, ""); ok {
				in = append(in, id)
			}
		}
		return in
	}
	if n, err := src.RevalidateRecent(ctx); err != nil || n != 0 || src.rv.mark == "" {
		t.Fatalf("first pass: %d, %v, mark %q", n, err, src.rv.mark)
	}
	if n, err := src.RevalidateRecent(ctx); err != nil || n != 0 {
		t.Fatalf("pass with nothing loaded: %d, %v", n, err)
	}
	if _, err := store.TouchGames(ctx, st, ids[:1]); err != nil {
		t.Fatal(err)
	}
	if n, err := src.RevalidateRecent(ctx); err != nil || n != 1 {
		t.Fatalf("pass after touching one game: %d, %v", n, err)
	}
	if got := cached(); len(got) != 2 || got[0] != ids[1] {
		t.Fatalf("cached after the touch: %v", got)
	}
	// a writer an hour behind: older than the recent window
	if _, err := st.Exec(ctx, `UPDATE games SET updated_at = $1 WHERE game_id = $2`,
		store.FormatTime(time.Now().Add(-time.Hour)), ids[2]); err != nil {
		t.Fatal(err)
	}
	if n, err := src.RevalidateRecent(ctx); err != nil || n != 0 {
		t.Fatalf("recent pass saw a change older than the window: %d, %v", n, err)
	}
	src.rv.lastFull = time.Now().Add(-FullRevalidate) // the full pass is due
	if n, err := src.RevalidateRecent(ctx); err != nil || n != 1 {
		t.Fatalf("full pass: %d, %v", n, err)
	}
	if got := cached(); len(got) != 1 || got[0] != ids[1] {
		t.Fatalf("cached after the full pass: %v", got)
	}
}

// storeGames stores a synthetic game's plays under each of ids.
func storeGames(t *testing.T, st store.Querier, ids []string) {
	t.Helper()
	ctx := context.Background()
	g, _ := pbp.SyntheticGame(7)
	for _, id := range ids {
		if _, err := store.UpsertGames(ctx, st, []model.GameRow{{GameID: id, Season: "2018-19", SeasonType: "regular"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ReplacePlays(ctx, st, id, "nba_stats/playbyplayv2", g.Events); err != nil {
			t.Fatal(err)
		}
	}
}

// A FoldOnly source's games keep no events and fold to the same boxes as
// the games of a source that keeps them; the two sources share a cache
// without handing each other's games out (FoldOnly is in the key).
func TestSourceFoldOnly(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	storeGames(t, st, []string{"0021800001"})
	cache := New(8)
	full, err := NewSource(SourceOptions{Querier: st, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	fold, err := NewSource(SourceOptions{Querier: st, Cache: cache, FoldOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if full.Variant() == fold.Variant() {
		t.Fatalf("one variant %q for both sources", full.Variant())
	}
	cf, err := full.Get(ctx, "0021800001", "")
	if err != nil {
		t.Fatal(err)
	}
	co, err := fold.Get(ctx, "0021800001", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.Events) == 0 || co.Events != nil {
		t.Fatalf("events: %d kept by the full source, %d by the fold-only one", len(cf.Events), len(co.Events))
	}
	if cf.Game.Events != nil {
		t.Error("the cached game keeps a second copy of its events (Game.Events)")
	}
	for at := model.Tenths(0); at <= cf.FinalState().Elapsed; at += 300 {
		if a, b := co.BoxAt(pbp.AtElapsed(at)), cf.BoxAt(pbp.AtElapsed(at)); !reflect.DeepEqual(a, b) {
			t.Fatalf("at %s the fold-only game's box differs", at)
		}
	}
	if n := cache.Len(); n != 2 {
		t.Errorf("%d games cached, want 2 (one per variant)", n)
	}
}

// Watch's query every second reads a range of the index on
// games.updated_at, not the whole games table (14,061 rows on the archive:
// ~25 ms of CPU a pass).
func TestRecentQueryUsesTheIndex(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	rows, err := st.Query(ctx, `EXPLAIN QUERY PLAN `+recentQuery, "2026-01-01T00:00:00.000Z")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if len(plan) != 1 || !strings.Contains(plan[0], "USING INDEX games_updated_at") && !strings.Contains(plan[0], "USING COVERING INDEX games_updated_at") {
		t.Fatalf("plan %q: not a read of games_updated_at", plan)
	}
}

// A recent pass reads the stamps newer than the last pass's newest, and
// those of the last RecentMargin: after a bulk load an hour old it reads
// nothing, not the whole load (every game stamped within the margin of the
// newest stamp).
func TestRecentSince(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return store.FormatTime(now.Add(d)) }
	for _, c := range []struct {
		name       string
		mark, want string
	}{
		{"a load an hour ago", at(-time.Hour), at(-time.Hour)},
		{"a load a minute ago", at(-time.Minute), at(-RecentMargin)},
		{"a writer whose clock is ahead", at(time.Hour), at(-RecentMargin)},
	} {
		if got := recentSince(c.mark, now); got != c.want {
			t.Errorf("%s: since %s, want %s", c.name, got, c.want)
		}
	}
}

// The source remembers players' names across misses (one read of the
// players table per player, not per game) and reads them again after a
// full revalidation: a renamed player keeps the remembered name in the
// games read before it, the new one after.
func TestSourceRemembersNamesUntilRevalidation(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	ids := []string{"0021800001", "0021800002", "0021800003"}
	storeGames(t, st, ids)
	g, _ := pbp.SyntheticGame(7)
	pid := string(g.Events[1].Player)
	if pid == "" {
		t.Fatal("the synthetic game's second event has no player")
	}
	rename := func(to string) {
		t.Helper()
		if _, err := store.UpsertPlayers(ctx, st, []model.PlayerRow{{PlayerID: pid, Name: to}}); err != nil {
			t.Fatal(err)
		}
	}
	rename("Old Name")
	src, err := NewSource(SourceOptions{Querier: st, Cache: New(8)})
	if err != nil {
		t.Fatal(err)
	}
	nameIn := func(id string) string {
		t.Helper()
		c, err := src.Get(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		return c.Players[c.Index(model.PlayerID(pid))].Name
	}
	if got := nameIn(ids[0]); got != "Old Name" {
		t.Fatalf("first game: %q", got)
	}
	rename("New Name")
	if got := nameIn(ids[1]); got != "Old Name" {
		t.Fatalf("second game, before a revalidation: %q, want the remembered name", got)
	}
	if _, err := src.Revalidate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := nameIn(ids[2]); got != "New Name" {
		t.Fatalf("third game, after a revalidation: %q, want the new name", got)
	}
}

// GetRead takes the games row its caller read: the row is not read again,
// its updated_at is the cached game's version, and the game is the one Get
// compiles.
func TestSourceGetRead(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	storeGames(t, st, []string{"0021800001"})
	row, err := store.GetGame(ctx, st, "0021800001")
	if err != nil {
		t.Fatal(err)
	}
	row.UpdatedAt = "as the caller read it"
	src, err := NewSource(SourceOptions{Querier: st, Cache: New(8)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.GetRead(ctx, row, "")
	if err != nil {
		t.Fatal(err)
	}
	if vs := src.Cache().Versions(); len(vs) != 1 || vs[0].Version != row.UpdatedAt {
		t.Fatalf("versions %+v, want the caller's row's", vs)
	}
	other, err := NewSource(SourceOptions{Querier: st, Cache: New(8)})
	if err != nil {
		t.Fatal(err)
	}
	want, err := other.Get(ctx, "0021800001", "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Final(), want.Final()) {
		t.Fatal("GetRead and Get compile different games")
	}
}
