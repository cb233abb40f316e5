package espn

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/testutil"
)

// normName folds a player name for matching across providers: lower case,
// letters only, without generational suffixes.
func normName(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.Trim(w, ".,")
		switch w {
		case "jr", "sr", "ii", "iii", "iv":
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) {
				b.WriteRune(r)
			}
		}
		b.WriteByte(' ')
	}
	return strings.TrimSpace(b.String())
}

// actors returns the folded names of the players who appear in a stream's
// events (any role).
func actors(g *model.Game) map[string]bool {
	out := map[string]bool{}
	for _, e := range g.Events {
		for _, id := range []model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.SubIn, e.SubOut, e.Jump2, e.JumpTo} {
			if id != "" && g.Players[id].Name != "" {
				out[normName(g.Players[id].Name)] = true
			}
		}
	}
	return out
}

// TestESPNAgreesWithPlaybyplayv2 compares the ESPN plays of 401585607 with
// the stats.nba.com playbyplayv2 stream of the same game (0022300979): the
// final score, each team's made and attempted FG, 3P and FT, and the set of
// players who appear.
func TestESPNAgreesWithPlaybyplayv2(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	ed, err := os.ReadFile(filepath.Join(dir, "espn", "summary_401585607.json"))
	if err != nil {
		t.Fatal(err)
	}
	vd, err := os.ReadFile(filepath.Join(dir, "nba_stats", "playbyplayv2", "0022300979.json"))
	if err != nil {
		t.Fatal(err)
	}
	er, err := ParseSummary(ed, parse.Hint{Key: "espn", Item: "401585607"})
	if err != nil {
		t.Fatal(err)
	}
	vr, err := nbastats.ParsePlayByPlayV2(vd, parse.Hint{Key: "v2", Item: "0022300979"})
	if err != nil {
		t.Fatal(err)
	}
	es, vs := shooting(er.PBP), shooting(vr.PBP)
	for _, side := range []model.Side{model.Home, model.Away} {
		if *es[side] != *vs[side] {
			t.Errorf("%s: ESPN %+v, v2 %+v", side, *es[side], *vs[side])
		}
	}
	el, vl := er.PBP.Events[len(er.PBP.Events)-1], vr.PBP.Events[len(vr.PBP.Events)-1]
	if el.ScoreHome != vl.ScoreHome || el.ScoreAway != vl.ScoreAway {
		t.Errorf("final: ESPN %d-%d, v2 %d-%d", el.ScoreHome, el.ScoreAway, vl.ScoreHome, vl.ScoreAway)
	}
	ea, va := actors(er.PBP), actors(vr.PBP)
	var onlyE, onlyV []string
	for n := range ea {
		if !va[n] {
			onlyE = append(onlyE, n)
		}
	}
	for n := range va {
		if !ea[n] {
			onlyV = append(onlyV, n)
		}
	}
	sort.Strings(onlyE)
	sort.Strings(onlyV)
	if len(onlyE)+len(onlyV) > 0 || len(ea) == 0 {
		t.Errorf("players only in ESPN %v, only in v2 %v (%d in ESPN)", onlyE, onlyV, len(ea))
	}
}
