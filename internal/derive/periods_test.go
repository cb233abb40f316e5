package derive

import (
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// basketball-reference pages hold a box per quarter, half and overtime:
// the derived box of the same periods (checkpoints plus replay) equals
// them, over every game of the data folder with a bbref page.
func TestPeriodWindowsEqualBBRefQuarterBoxes(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	games, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	var windows, exact, cells, cellsExact, lines, minOK int
	for _, g := range games {
		var page string
		for _, f := range g.Files {
			if len(f) > 16 && f[:16] == "bbref/boxscores/" {
				page = filepath.Join(dir, f)
			}
		}
		if page == "" {
			continue
		}
		gm, err := LoadV2File(filepath.Join(dir, "nba_stats", "playbyplayv2", g.GameID+".json"))
		if err != nil {
			continue
		}
		res, _, err := ReadFile(page, g.BBRefID)
		if err != nil {
			t.Errorf("%s: %v", page, err)
			continue
		}
		c := pbp.Compile(gm, ov)
		for _, off := range res.Boxes {
			if off.From == 0 && off.To == 0 {
				continue
			}
			first, last := periodOf(off.From), periodOf(off.To-1)
			w := c.PeriodWindow(first, last)
			r := Compare(w, off, ConventionFor(off.Source), c)
			windows++
			cells += r.Cells
			cellsExact += r.CellsExact
			lines += r.MinutesCompared
			minOK += r.MinutesOK
			if r.CellsExact == r.Cells && r.TeamTotalsExact {
				exact++
			} else {
				for _, d := range r.Diffs {
					if d.Stat != "PM" && d.Stat != "SEC" {
						t.Logf("%s periods %d-%d: %s %s %s derived %d official %d", g.GameID, first, last, d.Scope, d.Name, d.Stat, d.Derived, d.Expected)
					}
				}
			}
		}
	}
	t.Logf("bbref window boxes: %d, counting stats exact in %d; cells %d/%d; minutes within 1 s %d/%d", windows, exact, cellsExact, cells, minOK, lines)
	// Exact figures: any change is a change of behaviour to explain (the
	// differing cells are logged above, game by game).
	if windows != 1272 || exact != 1193 || cells != 356775 || cellsExact != 356539 || lines != 23785 || minOK != 23782 {
		t.Errorf("window boxes %d (want 1272), counting stats exact in %d (want 1193), cells %d/%d (want 356539/356775), minutes %d/%d (want 23782/23785)",
			windows, exact, cellsExact, cells, minOK, lines)
	}
}

func periodOf(t model.Tenths) int {
	for p := 1; p < pbp.MaxPeriod; p++ {
		if t < model.PeriodStart(p)+model.PeriodLength(p) {
			return p
		}
	}
	return pbp.MaxPeriod
}
