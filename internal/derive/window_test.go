package derive

import (
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// The derived window box equals the official range box of 0021600270
// (boxscoretraditionalv2 RangeType=2, StartRange 28800, EndRange 28940:
// the last instant of regulation and the first 14 s of overtime) in every
// counting stat of every player and team, and lists the same players. The
// range box's minutes are not the window's length (0:23 for a 14 s window:
// stats.nba.com's own rounding of range minutes), so minutes are reported,
// not compared.
func TestWindowEqualsOfficialRangeBox(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	g, err := LoadV2File(filepath.Join(dir, "nba_stats", "playbyplayv2", "0021600270.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := pbp.Compile(g, nil)
	for _, f := range []string{
		"0021600270_EndRange-28940_RangeType-2_StartRange-28800.json",
		"0021600270_EndPeriod-10_EndRange-28940_RangeType-2_StartPeriod-1_StartRange-28800.json",
	} {
		res, _, err := ReadFile(filepath.Join(dir, "nba_stats", "boxscoretraditionalv2", f), "0021600270")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Boxes) != 1 || res.Boxes[0].To == 0 {
			t.Fatalf("%s: want one range box, got %d", f, len(res.Boxes))
		}
		off := res.Boxes[0]
		w := c.Window(pbp.BeforeElapsed(off.From), pbp.AtElapsed(off.To))
		r := Compare(w, off, Convention{NoMinutes: true}, nil)
		t.Logf("%s: window %s-%s: %d lines, cells %d/%d, grade %s", f, off.From, off.To, r.Lines, r.CellsExact, r.Cells, r.Grade)
		for _, d := range r.Diffs {
			if d.Stat == "PM" {
				continue // range boxes report 0 plus-minus
			}
			t.Errorf("%s %s %s: derived %d, official %d", d.Side, d.Name, d.Stat, d.Derived, d.Expected)
		}
		if r.Lines != len(off.Players) || r.Lines == 0 {
			t.Errorf("compared %d lines, official has %d", r.Lines, len(off.Players))
		}
		// same players
		on := map[model.PlayerID]bool{}
		for _, l := range w.Players {
			on[l.PlayerID] = true
		}
		for _, l := range off.Players {
			if !on[l.PlayerID] {
				t.Errorf("official range box lists %s (%s); the derived window does not", l.Name, l.PlayerID)
			}
		}
		if len(w.Players) != len(off.Players) {
			t.Errorf("derived window lists %d players, official %d", len(w.Players), len(off.Players))
		}
	}
}
