package derive

import (
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

var season struct {
	once  sync.Once
	games []*model.Game
	err   error
}

func seasonGames(b testing.TB) []*model.Game {
	b.Helper()
	dir := testutil.RealDataDir(b)
	season.once.Do(func() {
		m, _, err := LoadSeason(DefaultSeason(dir).PBPArchive)
		season.err = err
		for _, g := range m {
			season.games = append(season.games, g)
		}
		sort.Slice(season.games, func(i, j int) bool { return season.games[i].GameID < season.games[j].GameID })
	})
	if season.err != nil {
		b.Fatal(season.err)
	}
	return season.games
}

// BenchmarkFoldSeason folds every game of the 2018-19 season (1,204 games,
// compiled beforehand) on one core and reports events folded per second.
func BenchmarkFoldSeason(b *testing.B) {
	games := seasonGames(b)
	cs := make([]*pbp.Compiled, len(games))
	states := make([]pbp.State, len(games))
	events := 0
	for i, g := range games {
		cs[i] = pbp.Compile(g, nil)
		cs[i].Fold(&states[i])
		events += cs[i].NumEvents()
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		for k, c := range cs {
			n += c.Fold(&states[k])
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events), "events/season")
}

// BenchmarkCompileSeason measures the per-game preparation (overrides,
// quirk rules, interning, starters, possessions, checkpoints).
func BenchmarkCompileSeason(b *testing.B) {
	games := seasonGames(b)
	events := 0
	for _, g := range games {
		events += len(g.Events)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, g := range games {
			pbp.Compile(g, nil)
		}
	}
	b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(b.N*len(games)), "µs/game")
}

// BenchmarkBoxAtSeason asks for the box at a random moment of a random
// compiled 2018-19 game (in memory) and reports p50 and p99 latency.
func BenchmarkBoxAtSeason(b *testing.B) {
	games := seasonGames(b)
	cs := make([]*pbp.Compiled, len(games))
	for i, g := range games {
		cs[i] = pbp.Compile(g, nil)
	}
	boxAtRandom(b, cs)
}

// BenchmarkBoxAtSeasonFoldPack is BenchmarkBoxAtSeason on the games
// decoded from their fold packs (what the MCP box_score cache holds):
// no checkpoint but the start, every box folds from the first event.
func BenchmarkBoxAtSeasonFoldPack(b *testing.B) {
	games := seasonGames(b)
	cs := make([]*pbp.Compiled, len(games))
	for i, g := range games {
		c, err := pbp.DecodeFoldPack(pbp.Compile(g, nil).AppendFoldPack(nil))
		if err != nil {
			b.Fatal(err)
		}
		cs[i] = c
	}
	boxAtRandom(b, cs)
}

// boxAtRandom asks for the box at a random moment of a random game of cs
// and reports p50 and p99 latency.
func boxAtRandom(b *testing.B, cs []*pbp.Compiled) {
	r := rand.New(rand.NewPCG(7, 11))
	var s pbp.State
	var box model.Box
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cs[r.IntN(len(cs))]
		m := pbp.AtElapsed(model.Tenths(r.IntN(int(c.FinalState().Elapsed) + 1)))
		t0 := time.Now()
		c.BoxInto(&s, m, &box)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}
