package bbref

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func benchParse(b *testing.B, fn parse.Func, path string, h parse.Hint) {
	b.Helper()
	data, err := os.ReadFile(path)
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

// BenchmarkParseBoxScore parses one gzipped box score page (game, 4
// quarter and 2 half boxes per team).
func BenchmarkParseBoxScore(b *testing.B) {
	dir := testutil.RealDataDir(b)
	benchParse(b, ParseBoxScore, filepath.Join(dir, "bbref", "boxscores", "202403170ORL.html.gz"), parse.Hint{Item: "202403170ORL"})
}

// BenchmarkParseBoxScoreAll parses the 205 real box score pages per op.
func BenchmarkParseBoxScoreAll(b *testing.B) {
	dir := testutil.RealDataDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "bbref", "boxscores", "*.html*"))
	var pages [][]byte
	var hints []parse.Hint
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, data)
		hints = append(hints, parse.Hint{Key: f, Item: bbrefIDOf(f)})
		total += len(data)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range pages {
			if _, err := ParseBoxScore(p, hints[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseSchedule parses the March 2024 schedule page (229 games).
func BenchmarkParseSchedule(b *testing.B) {
	dir := testutil.RealDataDir(b)
	benchParse(b, ParseSchedule, filepath.Join(dir, "bbref", "schedules", "NBA_2024_games-march.html"), parse.Hint{Item: "march"})
}

// BenchmarkParsePlayByPlay parses the fictional test page (65 plays).
func BenchmarkParsePlayByPlay(b *testing.B) {
	benchParse(b, ParsePlayByPlay, filepath.Join("testdata", "pbp_201901020MIA.html"), parse.Hint{Item: "201901020MIA"})
}

// BenchmarkParseScraperPBP parses the scraper's CSV of 201810220POR (561
// plays).
func BenchmarkParseScraperPBP(b *testing.B) {
	dir := testutil.RealDataDir(b)
	benchParse(b, ParseScraperPBP, filepath.Join(dir, "bbref", "pbp_parsed", "2018_10_22_POR_pbp.csv"), parse.Hint{Item: "201810220POR"})
}
