package pbp

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/model"
)

// BenchmarkFold folds whole compiled games (synthetic, about 450 events
// each) on one core and reports events per second. The 2018-19 figure on
// real games is in internal/derive (BenchmarkFoldSeason).
func BenchmarkFold(b *testing.B) {
	games := make([]*Compiled, 64)
	total := 0
	for i := range games {
		g, _ := SyntheticGame(uint64(i + 1))
		games[i] = Compile(g, nil)
		total += games[i].NumEvents()
	}
	states := make([]State, len(games))
	for i := range games {
		games[i].Fold(&states[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		k := i % len(games)
		events += games[k].Fold(&states[k])
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkBoxAt asks for the box at random moments of a compiled game and
// reports the p99 latency.
func BenchmarkBoxAt(b *testing.B) {
	g, _ := SyntheticGame(11)
	c := Compile(g, nil)
	r := rand.New(rand.NewPCG(1, 2))
	var s State
	var box model.Box
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := AtElapsed(model.Tenths(r.IntN(int(c.FinalState().Elapsed))))
		t0 := time.Now()
		c.BoxInto(&s, m, &box)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}
