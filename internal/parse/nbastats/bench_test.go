package nbastats

import (
	"github.com/nbasim/nbasim/internal/timing"

	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
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
	f, err := os.Open(filepath.Join(dir, "seasons", "2018-19", "playbyplayv2.tar.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		if hdr.Typeflag != tar.TypeReg || !strings.HasSuffix(hdr.Name, ".json") {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			tb.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(hdr.Name), ".json")] = b
	}
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
