package gamecache

import (
	"context"
	"reflect"
	"testing"

	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// sameBoxes fails unless a and b give the same box at every event
// boundary and have the same players, periods and flags.
func sameBoxes(t *testing.T, a, b *pbp.Compiled) {
	t.Helper()
	if !reflect.DeepEqual(a.Players, b.Players) || !reflect.DeepEqual(a.Periods, b.Periods) ||
		a.Degraded != b.Degraded || !reflect.DeepEqual(a.Reasons, b.Reasons) || a.NumEvents() != b.NumEvents() {
		t.Fatalf("game %s: players, periods, flags or events differ", a.Game.GameID)
	}
	for i := range a.NumEvents() + 1 {
		m := pbp.Moment{Event: i}
		if x, y := a.BoxAt(m), b.BoxAt(m); !reflect.DeepEqual(x, y) {
			t.Fatalf("game %s: box after event %d differs", a.Game.GameID, i)
		}
	}
}

// A store whose fold packs the loader wrote (WriteFoldPacks) serves the
// box_score source's misses from them, with the boxes a compile gives; a
// game reloaded with other plays (a new version) is compiled from its new
// plays until its pack is written again, and then served from the new
// pack. A pack of another format or a corrupt one is not used.
func TestSourceServesFoldPacks(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	ids := []string{"0021800001", "0021800002", "0021800003"}
	storeGames(t, st, ids)
	write := func(want int) {
		t.Helper()
		sum, err := WriteFoldPacks(ctx, BoxScoreOptions(st, nil), 2)
		if err != nil || sum.Written != want || sum.Failed != 0 {
			t.Fatalf("WriteFoldPacks: %+v, %v; want %d written", sum, err, want)
		}
	}
	write(len(ids))
	write(0) // every pack current: nothing to do
	src, err := NewSource(BoxScoreOptions(st, New(8)))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := NewSource(BoxScoreOptions(st, New(8)))
	if err != nil {
		t.Fatal(err)
	}
	ref.packs = false // compiles every game
	get := func(s *Source, id string) *pbp.Compiled {
		t.Helper()
		c, err := s.Get(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, id := range ids {
		sameBoxes(t, get(ref, id), get(src, id))
	}
	if s := src.Cache().Stats(); s.PackHits != int64(len(ids)) || s.Compiles != 0 {
		t.Fatalf("misses of a loaded store: %d from packs, %d compiled; want all %d from packs", s.PackHits, s.Compiles, len(ids))
	}
	if s := ref.Cache().Stats(); s.PackHits != 0 || s.Compiles != int64(len(ids)) {
		t.Fatalf("a source without packs: %+v", s)
	}

	// reload game 1 with other plays: its pack is stale
	g2, _ := pbp.SyntheticGame(8)
	if _, err := store.ReplacePlays(ctx, st, ids[0], "nba_stats/playbyplayv2", g2.Events); err != nil {
		t.Fatal(err)
	}
	if _, err := store.TouchGames(ctx, st, ids[:1]); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Source{src, ref} {
		if n, err := s.Revalidate(ctx); err != nil || n != 1 {
			t.Fatalf("revalidate after a reload: %d, %v", n, err)
		}
	}
	want := get(ref, ids[0])
	got := get(src, ids[0])
	sameBoxes(t, want, got)
	if s := src.Cache().Stats(); s.PackHits != int64(len(ids)) || s.Compiles != 1 {
		t.Fatalf("a reloaded game was not compiled from its new plays: %+v", s)
	}
	if a, b := got.Final(), pbp.Compile(g2, nil).Final(); a.Home.PTS != b.Home.PTS || a.Away.PTS != b.Away.PTS {
		t.Fatalf("reloaded game scores %d-%d, its new plays %d-%d", a.Home.PTS, a.Away.PTS, b.Home.PTS, b.Away.PTS)
	}
	write(1) // the reloaded game only
	fresh, err := NewSource(BoxScoreOptions(st, New(8)))
	if err != nil {
		t.Fatal(err)
	}
	sameBoxes(t, want, get(fresh, ids[0]))
	row, err := store.GetGame(ctx, st, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.GetRead(ctx, row, ""); err != nil {
		t.Fatal(err)
	}
	if s := fresh.Cache().Stats(); s.PackHits != 2 || s.Compiles != 0 {
		t.Fatalf("after the new pack: %+v", s)
	}

	// a pack of another format, or corrupt, is compiled instead
	for _, bad := range []struct {
		name   string
		format int64
		pack   []byte
	}{{"corrupt", pbp.FoldPackFormat, []byte("NBFP\x01garbage")}, {"another format", pbp.FoldPackFormat + 1, nil}} {
		if _, err := st.Exec(ctx, `UPDATE fold_packs SET format = $1, pack = COALESCE($2, pack) WHERE game_id = $3`, bad.format, bad.pack, ids[2]); err != nil {
			t.Fatal(err)
		}
		s, err := NewSource(BoxScoreOptions(st, New(8)))
		if err != nil {
			t.Fatal(err)
		}
		sameBoxes(t, get(ref, ids[2]), get(s, ids[2]))
		if x := s.Cache().Stats(); x.PackHits != 0 || x.Compiles != 1 {
			t.Fatalf("%s pack: %+v", bad.name, x)
		}
		// a current pack that does not decode is counted; another format is not current
		if x, want := s.Cache().Stats().PackRejects, map[string]int64{"corrupt": 1}[bad.name]; x != want {
			t.Errorf("%s pack: %d rejected, want %d", bad.name, x, want)
		}
	}
	write(1) // a pack of another format is written again
}

// Of two providers' packs, a miss without a provider uses the preferred
// one's (derive.PreferredProvider), and a miss naming a provider its own.
func TestFoldPackPreferredProvider(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	id := "0021800001"
	storeGames(t, st, []string{id})
	if _, err := WriteFoldPacks(ctx, BoxScoreOptions(st, nil), 1); err != nil {
		t.Fatal(err)
	}
	src, err := NewSource(BoxScoreOptions(st, New(8)))
	if err != nil {
		t.Fatal(err)
	}
	// a second provider's pack (bbref, less preferred), with other plays
	g, _ := pbp.SyntheticGame(9)
	g.GameID, g.Provider = id, "bbref/pbp"
	row, err := store.GetGame(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Exec(ctx, `INSERT INTO fold_packs (game_id, provider, variant, version, format, pack) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, g.Provider, src.Variant(), row.UpdatedAt, int64(pbp.FoldPackFormat), pbp.Compile(g, nil).AppendFoldPack(nil)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ provider, want string }{{"", "nba_stats/playbyplayv2"}, {"bbref/pbp", "bbref/pbp"}} {
		got, err := src.Get(ctx, id, c.provider)
		if err != nil {
			t.Fatal(err)
		}
		if got.Game.Provider != c.want {
			t.Errorf("Get(%q): the pack of %s, want %s", c.provider, got.Game.Provider, c.want)
		}
	}
	if s := src.Cache().Stats(); s.PackHits != 2 {
		t.Errorf("stats %+v", s)
	}
}
