package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

// FoldPacks: ReplaceFoldPacks replaces a game's packs of a variant (every
// provider) and keeps the other variants' and games'; LoadFoldPacks reads
// a game's packs of a variant (one provider or all) with the game's current
// version; GamesWithoutFoldPack lists the games with plays whose pack of a
// variant and format is missing or built from another version;
// DeleteFoldPacksExcept keeps one variant.
var _ = register("FoldPacks", false, func(t *testing.T, b *bundle) {
	const v1, v2, prov = "ov1+box-names+fold", "ov2+box-names+fold", "nba_stats/playbyplayv2"
	games := []string{"0021800001", "0021800002", "0021800003"}
	version := map[string]string{}
	for _, id := range games {
		must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: id, Season: "2018-19", SeasonType: "regular"}}))
		must[int64](t)(store.ReplacePlays(b.ctx, b.s, id, prov, sampleEvents(id, 20)))
		g := must[store.Game](t)(store.GetGame(b.ctx, b.s, id))
		version[id] = g.UpdatedAt
	}
	missing := func(variant string, format int64, want ...string) {
		t.Helper()
		got := must[[]string](t)(store.GamesWithoutFoldPack(b.ctx, b.s, variant, format))
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("games without a pack of %s format %d: %v, want %v", variant, format, got, want)
		}
	}
	missing(v1, 1, games...)
	pack := func(id, provider, variant, ver string, data string) store.FoldPack {
		return store.FoldPack{GameID: id, Provider: provider, Variant: variant, Version: ver, Format: 1, Pack: []byte(data)}
	}
	mustDo(t, func() error {
		return store.ReplaceFoldPacks(b.ctx, b.s, []store.FoldPack{
			pack(games[0], prov, v1, version[games[0]], "a"), pack(games[0], "espn/summary", v1, version[games[0]], "b"),
			pack(games[1], prov, v1, "an old version", "c"), pack(games[0], prov, v2, version[games[0]], "d"),
		})
	})
	missing(v1, 1, games[1], games[2])
	missing(v1, 2, games...)
	missing(v2, 1, games[1], games[2])
	got, cur := func() ([]store.StoredFoldPack, string) {
		p, c, err := store.LoadFoldPacks(b.ctx, b.s, games[0], "", v1, true)
		if err != nil {
			t.Fatal(err)
		}
		return p, c
	}()
	want := []store.StoredFoldPack{{Provider: "espn/summary", Version: version[games[0]], Format: 1, Pack: []byte("b")},
		{Provider: prov, Version: version[games[0]], Format: 1, Pack: []byte("a")}}
	if cur != version[games[0]] || !reflect.DeepEqual(got, want) {
		t.Errorf("LoadFoldPacks: %+v at %q, want %+v at %q", got, cur, want, version[games[0]])
	}
	if got, _, err := store.LoadFoldPacks(b.ctx, b.s, games[0], prov, v2, false); err != nil || len(got) != 1 || string(got[0].Pack) != "d" {
		t.Errorf("LoadFoldPacks of one provider: %+v, %v", got, err)
	}
	if got, cur, err := store.LoadFoldPacks(b.ctx, b.s, games[2], "", v1, true); err != nil || got != nil || cur != "" {
		t.Errorf("LoadFoldPacks of a game without packs: %+v, %q, %v", got, cur, err)
	}
	// a game's packs of v1 are replaced, every provider; v2's stay
	mustDo(t, func() error {
		return store.ReplaceFoldPacks(b.ctx, b.s, []store.FoldPack{pack(games[0], prov, v1, version[games[0]], "e")})
	})
	if got, _, _ := store.LoadFoldPacks(b.ctx, b.s, games[0], "", v1, true); len(got) != 1 || string(got[0].Pack) != "e" {
		t.Errorf("after a replace: %+v", got)
	}
	if n := must[int64](t)(store.DeleteFoldPacksExcept(b.ctx, b.s, v1)); n != 1 {
		t.Errorf("deleted %d packs of other variants, want 1", n)
	}
	missing(v2, 1, games...)
	// a touched game's pack is no longer current
	must[int64](t)(store.TouchGames(b.ctx, b.s, games[:1]))
	missing(v1, 1, games...)
	if err := store.ReplaceFoldPacks(b.ctx, b.s, []store.FoldPack{pack("", prov, v1, "x", "y")}); err == nil {
		t.Error("a pack without a game accepted")
	}
})

// FoldPacksConcurrentWriters: two transactions writing the same game's
// pack at once (two load workers) both succeed; the later one wins.
var _ = register("FoldPacksConcurrentWriters", false, func(t *testing.T, b *bundle) {
	const game, prov, variant = "0021800001", "nba_stats/playbyplayv2", "v+fold"
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: game, Season: "2018-19", SeasonType: "regular"}}))
	write := func(data string) error {
		return store.ReplaceFoldPacks(b.ctx, b.s, []store.FoldPack{{GameID: game, Provider: prov, Variant: variant, Version: "v", Format: 1, Pack: []byte(data)}})
	}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() { errs <- write(fmt.Sprint("pack ", i)) }()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Errorf("a concurrent writer failed: %v", err)
		}
	}
	got, _, err := store.LoadFoldPacks(b.ctx, b.s, game, prov, variant, false)
	if err != nil || len(got) != 1 || !strings.HasPrefix(string(got[0].Pack), "pack ") {
		t.Fatalf("after concurrent writers: %+v, %v", got, err)
	}
})
