package nbastats

import (
	"context"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/timing"

	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

// seasonArchive reads every member of the 2018-19 playbyplayv2 archive.
func seasonArchive(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := testutil.RealDataDir(tb)
	out := map[string][]byte{}
	err := archive.Walk(context.Background(), filepath.Join(dir, "seasons", "2018-19", "playbyplayv2.tar.gz"), archive.Options{}, func(m *archive.Member) error {
		if strings.HasSuffix(m.Name, ".json") {
			out[strings.TrimSuffix(filepath.Base(m.Name), ".json")] = m.Data
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkParsePlayByPlayV2Season parses the 1,204 games of the 2018-19
// archive (already in memory) once per iteration, on one goroutine.
func BenchmarkParsePlayByPlayV2Season(b *testing.B) {
	games := seasonArchive(b)
	b.ResetTimer()
	events := 0
	cpu0 := timing.CPUTime()
	for b.Loop() {
		for id, data := range games {
			res, err := ParsePlayByPlayV2(data, parse.Hint{Key: id, Item: id})
			if err != nil {
				b.Fatal(err)
			}
			events += len(res.PBP.Events)
		}
	}
	cpu := timing.CPUTime() - cpu0
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
