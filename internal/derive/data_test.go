package derive

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestVerifyDataDir runs the verification over every game of the real data
// folder with play-by-play and an official box, and holds the figures of
// issue 5 (docs/pbp-engine.md). NBASIM_VERIFY_OUT=dir writes the reports.
func TestVerifyDataDir(t *testing.T) {
	dir := testutil.RealDataDir(t)
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyDir(context.Background(), dir, Options{Overrides: ov})
	if err != nil {
		t.Fatal(err)
	}
	writeReport(t, rep, "verify-data")
	s := rep.Summary
	t.Logf("games %d failed %d degraded %d team pts %.4f totals %.4f cells %.5f (%d/%d) fully %.4f minutes %.4f pm %d/%d grades %v",
		s.Games, s.Failed, s.Degraded, s.TeamPointsExactShare, s.TeamTotalsExactShare, s.CellsExactShare, s.CellsExact, s.Cells, s.FullyExactShare, s.MinutesOKShare, s.PlusMinusOK, s.Lines, s.Grades)
	// Exact figures (docs/pbp-engine.md): a change in any of them is a
	// change of behaviour to explain, not noise under a threshold.
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"games verified", s.Games, 206},
		{"games failed", s.Failed, 0},
		{"games degraded", s.Degraded, 8},
		{"team points exact", s.TeamPointsExact, 206},
		{"team totals exact", s.TeamTotalsExact, 206},
		{"games fully exact", s.FullyExact, 201},
		{"player-stat cells", s.Cells, 65475},
		{"player-stat cells exact", s.CellsExact, 65469},
		{"player lines", s.Lines, 4365},
		{"minutes within 1 s", s.MinutesOK, 4359},
		{"plus-minus exact", s.PlusMinusOK, 4261},
		{"grade A", s.Grades["A"], 201},
		{"grade B", s.Grades["B"], 4},
		{"grade C", s.Grades["C"], 1},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	// The 6 counting-stat cells that differ, each named: the feed credits
	// the stat to a teammate (the official box was corrected after).
	wantCells := map[string]bool{
		"0022301002 Grayson Allen OREB 1/0": true,
		"0022301002 Grayson Allen REB 4/3":  true,
		"0022301002 Jusuf Nurkić OREB 4/5":  true,
		"0022301002 Jusuf Nurkić REB 14/15": true,
		"0041800303 Eric Bledsoe STL 4/3":   true,
		"0041800303 George Hill STL 1/2":    true,
	}
	counting := map[string]bool{}
	for _, n := range model.StatNames {
		counting[n] = true
	}
	gotCells := map[string]bool{}
	for _, g := range rep.Games {
		for _, d := range g.Diffs {
			if d.Scope == "player" && counting[d.Stat] {
				gotCells[fmt.Sprintf("%s %s %s %d/%d", g.GameID, d.Name, d.Stat, d.Derived, d.Expected)] = true
			}
		}
	}
	for k := range gotCells {
		if !wantCells[k] {
			t.Errorf("a new cell differs: %s (derived/official)", k)
		}
	}
	for k := range wantCells {
		if !gotCells[k] {
			t.Errorf("a known difference is gone (update the test and docs/pbp-engine.md): %s", k)
		}
	}
	// The games whose v2 feed repeats a row derive the official box.
	var known struct {
		Mismatches []struct {
			GameID string `json:"nba_game_id"`
		} `json:"mismatches"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "KNOWN_PBP_VS_OFFICIAL_DISCREPANCIES.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &known); err != nil {
		t.Fatal(err)
	}
	byID := map[string]GameResult{}
	for _, g := range rep.Games {
		byID[g.GameID] = g
	}
	for _, m := range known.Mismatches {
		g, ok := byID[m.GameID]
		if !ok || g.CellsExact != g.Cells || !g.TeamTotalsExact {
			t.Errorf("duplicate-row game %s: verified %v, cells %d/%d, team totals exact %v", m.GameID, ok, g.CellsExact, g.Cells, g.TeamTotalsExact)
		}
	}
	for _, g := range rep.Games {
		for _, d := range g.Diffs {
			if d.Cause == "" {
				t.Errorf("%s %s %s: difference without a cause", g.GameID, d.Name, d.Stat)
			}
		}
	}
}

func writeReport(t *testing.T, rep *Report, name string) {
	out := os.Getenv("NBASIM_VERIFY_OUT")
	if out == "" {
		return
	}
	f, err := os.Create(filepath.Join(out, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := rep.WriteJSON(f); err != nil {
		t.Fatal(err)
	}
	g, err := os.Create(filepath.Join(out, name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if err := rep.WriteTable(g); err != nil {
		t.Fatal(err)
	}
}

// TestVerifySeason2018 derives every game of the 2018-19 archive (1,204
// games) and compares the team totals with the official team game log.
func TestVerifySeason2018(t *testing.T) {
	dir := testutil.RealDataDir(t)
	if testing.Short() {
		t.Skip("1,204 games: skipped with -short")
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	// Possessions (docs/pbp-engine.md): the two teams of a game end within
	// a few possessions of each other (each period's last one may go
	// either way), 90-125 each.
	var possBad []string
	var possSum, possN int
	derived := func(b model.Box) {
		h, a := b.Home.Possessions, b.Away.Possessions
		possSum += h + a
		possN += 2
		if d := h - a; d > 4 || d < -4 || h < 80 || a < 80 {
			possBad = append(possBad, fmt.Sprintf("%s %d-%d", b.GameID, h, a))
		}
	}
	rep, err := VerifySeason(context.Background(), DefaultSeason(dir), Options{Overrides: ov, Derived: derived})
	if err != nil {
		t.Fatal(err)
	}
	writeReport(t, rep, "verify-season-2018-19")
	t.Logf("possessions per team-game %.1f; games with an odd count: %d %v", float64(possSum)/float64(possN), len(possBad), possBad)
	if len(possBad) > 12 {
		t.Errorf("%d games with unbalanced possessions", len(possBad))
	}
	s := rep.Summary
	t.Logf("games %d failed %d degraded %d team pts %.4f totals %.4f grades %v", s.Games, s.Failed, s.Degraded, s.TeamPointsExactShare, s.TeamTotalsExactShare, s.Grades)
	if s.Games != 1204 || s.Failed != 0 {
		t.Errorf("%d games, %d failed; want 1204, 0", s.Games, s.Failed)
	}
	// All 15 team totals (model.StatNames) of both teams of every game
	// equal the official team game log: 1,204 x 2 x 15 = 36,120 cells.
	if want := 1204 * 2 * len(model.StatNames); len(model.StatNames) != 15 || s.Cells != want || s.CellsExact != want {
		t.Errorf("team-total cells exact %d of %d, want %d of %d (15 stats)", s.CellsExact, s.Cells, want, want)
	}
	if s.TeamPointsExact != 1204 || s.TeamTotalsExact != 1204 || s.FullyExact != 1204 {
		t.Errorf("team points exact %d, team totals exact %d, fully exact %d; want 1204 each", s.TeamPointsExact, s.TeamTotalsExact, s.FullyExact)
	}
	for _, g := range rep.Games {
		for _, d := range g.Diffs {
			t.Logf("%s %s %s %s: derived %d official %d (%s)", g.GameID, d.Side, d.Name, d.Stat, d.Derived, d.Expected, d.Cause)
		}
	}
}
