package gamecache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// A game whose version moves (the loader touched it) is dropped by
// Revalidate and read again; the other cached games stay; a game loaded
// again meanwhile at the new version is not dropped.
func TestSourceRevalidate(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	ids := []string{"0021800001", "0021800002"}
	storeGames(t, st, ids)
	var prepared int
	src, err := NewSource(SourceOptions{Querier: st, Cache: New(8), PrepareName: "count",
		Prepare: func(context.Context, store.Querier, *model.Game) error { prepared++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
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
