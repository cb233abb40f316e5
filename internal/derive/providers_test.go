package derive

import (
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// The same game from two providers' formats derives the same box.
func TestSameGameTwoProviders(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, tc := range []struct{ game, a, b string }{
		{"0022200552", "nba_stats/playbyplayv2/0022200552.json", "nba_stats/playbyplayv3/0022200552.json"},
		{"0022000001", "nba_stats/playbyplayv2/0022000001.json", "nba_live/liveData/playbyplay/playbyplay_0022000001.json"},
		{"0022300979", "nba_stats/playbyplayv2/0022300979.json", "espn/summary_401585607.json"},
		{"0021900001", "nba_stats/playbyplayv2/0021900001.json", "nba_stats/playbyplayv2/0021900001.original.json"},
		{"0021600270", "nba_stats/playbyplayv2/0021600270.json", "nba_stats/playbyplayv2/0021600270.original.json"},
	} {
		t.Run(tc.game, func(t *testing.T) {
			t.Parallel()
			ba, pa := deriveFile(t, filepath.Join(dir, tc.a), tc.game)
			bb, pb := deriveFile(t, filepath.Join(dir, tc.b), tc.game)
			r := Compare(ba, bb, Convention{TeamTOVIncludesTeam: true}, nil)
			t.Logf("%s (%s) vs %s (%s): grade %s, cells %d/%d, minutes %d/%d, plus-minus %d/%d",
				tc.a, pa, tc.b, pb, r.Grade, r.CellsExact, r.Cells, r.MinutesOK, r.MinutesCompared, r.PlusMinusOK, r.Lines)
			for _, d := range r.Diffs {
				t.Errorf("%s %s %s: %s %d, %s %d", d.Side, d.Name, d.Stat, pa, d.Derived, pb, d.Expected)
			}
		})
	}
}

func deriveFile(t *testing.T, path, game string) (model.Box, string) {
	t.Helper()
	res, kind, err := ReadFile(path, game)
	if err != nil {
		t.Fatal(err)
	}
	if res.PBP == nil {
		t.Fatalf("%s: no play-by-play", path)
	}
	c := pbp.Compile(res.PBP, nil)
	if c.Degraded {
		t.Logf("%s: degraded: %v", path, c.Reasons)
	}
	return c.Final(), kind
}
