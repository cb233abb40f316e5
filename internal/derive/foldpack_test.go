package derive

import (
	"reflect"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// TestFoldPackRealGames packs every game of the 2018-19 season compiled
// as the MCP box_score tool keeps it (fold only), decodes it, and checks
// that the decoded game is the compiled one: the same players, periods,
// flags, and the same box after every event and at every distinct game
// time.
func TestFoldPackRealGames(t *testing.T) {
	games := seasonGames(t)
	if testing.Short() {
		t.Skip("a season of games: skipped with -short")
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	moments, bytes := 0, 0
	for _, g0 := range games {
		g := *g0
		g.Events = append([]model.Event(nil), g0.Events...)
		c := pbp.CompileOwned(&g, ov).ReleaseEvents()
		pack := c.AppendFoldPack(nil)
		bytes += len(pack)
		d, err := pbp.DecodeFoldPack(pack)
		if err != nil {
			t.Fatalf("game %s: %v", g.GameID, err)
		}
		if !reflect.DeepEqual(c.Players, d.Players) || !reflect.DeepEqual(c.Periods, d.Periods) || c.Degraded != d.Degraded ||
			!reflect.DeepEqual(c.Reasons, d.Reasons) || c.NumEvents() != d.NumEvents() || !reflect.DeepEqual(c.Game, d.Game) {
			t.Fatalf("game %s: players, periods, flags, events or game differ after a fold pack round trip", g.GameID)
		}
		var ms []pbp.Moment
		for i := range c.NumEvents() + 1 {
			ms = append(ms, pbp.Moment{Event: i})
		}
		for t := model.Tenths(0); t <= c.FinalState().Elapsed+10; t += 300 {
			ms = append(ms, pbp.AtElapsed(t), pbp.BeforeElapsed(t))
		}
		for _, m := range ms {
			if a, b := c.BoxAt(m), d.BoxAt(m); !reflect.DeepEqual(a, b) {
				t.Fatalf("game %s: box at %+v differs after a fold pack round trip", g.GameID, m)
			}
		}
		moments += len(ms)
	}
	t.Logf("%d games, %d moments compared; packs %d bytes (%d a game)", len(games), moments, bytes, bytes/max(len(games), 1))
}

// BenchmarkDecodeFoldPackSeason decodes the fold packs of the 2018-19
// season's games in turn (compiled as the MCP box_score tool keeps them):
// what a cache miss served from a stored pack costs after its read.
func BenchmarkDecodeFoldPackSeason(b *testing.B) {
	games := seasonGames(b)
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		b.Fatal(err)
	}
	packs := make([][]byte, len(games))
	size := 0
	for i, g0 := range games {
		g := *g0
		g.Events = append([]model.Event(nil), g0.Events...)
		packs[i] = pbp.CompileOwned(&g, ov).ReleaseEvents().AppendFoldPack(nil)
		size += len(packs[i])
	}
	b.ReportMetric(float64(size)/float64(len(packs)), "bytes/game")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := pbp.DecodeFoldPack(packs[i%len(packs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileFoldOnlySeason is what a fold pack replaces on a miss
// (after the read of the game): compiling it and dropping its events.
func BenchmarkCompileFoldOnlySeason(b *testing.B) {
	games := seasonGames(b)
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		g0 := games[i%len(games)]
		g := *g0
		g.Events = append([]model.Event(nil), g0.Events...)
		pbp.CompileOwned(&g, ov).ReleaseEvents()
	}
}
