package espn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func benchParse(b *testing.B, fn parse.Func, rel string, h parse.Hint) {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RealDataDir(b), rel))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fn(data, h); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseSummary parses the real summary of 401585607 (675 KB, 450
// plays, box score).
func BenchmarkParseSummary(b *testing.B) {
	benchParse(b, ParseSummary, "espn/summary_401585607.json", parse.Hint{Item: "401585607"})
}

// BenchmarkParseScoreboard parses the real scoreboard of 2024-12-01 (10
// games).
func BenchmarkParseScoreboard(b *testing.B) {
	benchParse(b, ParseScoreboard, "espn/scoreboard_20241201.json", parse.Hint{Item: "20241201"})
}
