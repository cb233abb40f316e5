package bbref

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

// fold strips the diacritics the data holds ("Šarić" -> "saric").
var fold = strings.NewReplacer("š", "s", "ć", "c", "č", "c", "ž", "z", "đ", "d", "ö", "o", "ü", "u", "é", "e", "è", "e", "á", "a", "í", "i", "ó", "o", "ñ", "n", "ý", "y", "ā", "a", "ņ", "n", "ģ", "g", "ī", "i", "ū", "u", "ş", "s", "ğ", "g", "ı", "i", "ë", "e", "ï", "i")

// shortName reduces a name to "initial surname" in lower-case ASCII
// letters: "Jayson Tatum" and "J. Tatum" are both "j tatum".
func shortName(s string) string {
	words := strings.Fields(fold.Replace(strings.ToLower(s)))
	var kept []string
	for _, w := range words {
		w = strings.Trim(w, ".,")
		switch w {
		case "jr", "sr", "ii", "iii", "iv":
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		return ""
	}
	letters := func(w string) string {
		var b strings.Builder
		for _, r := range w {
			if unicode.IsLetter(r) {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	first := letters(kept[0])
	if first == "" {
		return ""
	}
	return first[:1] + " " + letters(strings.Join(kept[1:], ""))
}

func actorNames(g *model.Game) map[string]bool {
	out := map[string]bool{}
	for _, e := range g.Events {
		for _, id := range []model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.SubIn, e.SubOut, e.Jump2, e.JumpTo} {
			if id != "" && g.Players[id].Name != "" {
				out[shortName(g.Players[id].Name)] = true
			}
		}
	}
	return out
}

// TestScraperPBPAgreesWithPlaybyplayv2 compares the scraper's bbref
// play-by-play of 201810160BOS and 201810220POR with the playbyplayv2
// streams of the same games (0021800001, 0021800046): final score, each
// team's FG, 3P and FT made and attempted, and the players who appear.
func TestScraperPBPAgreesWithPlaybyplayv2(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, c := range []struct{ file, bbrefID, nbaID string }{
		{"2018_10_16_BOS_pbp.csv", "201810160BOS", "0021800001"},
		{"2018_10_22_POR_pbp.csv", "201810220POR", "0021800046"},
	} {
		bd, err := os.ReadFile(filepath.Join(dir, "bbref", "pbp_parsed", c.file))
		if err != nil {
			t.Fatal(err)
		}
		vd, err := os.ReadFile(filepath.Join(dir, "nba_stats", "playbyplayv2", c.nbaID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		br, err := ParseScraperPBP(bd, parse.Hint{Key: c.file, Item: c.bbrefID})
		if err != nil {
			t.Fatal(err)
		}
		vr, err := nbastats.ParsePlayByPlayV2(vd, parse.Hint{Key: c.nbaID, Item: c.nbaID})
		if err != nil {
			t.Fatal(err)
		}
		bs, vs := shootingOf(br.PBP), shootingOf(vr.PBP)
		for _, side := range []model.Side{model.Home, model.Away} {
			if bs[side] != vs[side] {
				t.Errorf("%s %s: bbref %+v, v2 %+v", c.bbrefID, side, bs[side], vs[side])
			}
		}
		if br.PBP.Home.Pts != vr.PBP.Events[len(vr.PBP.Events)-1].ScoreHome || br.PBP.Away.Pts != vr.PBP.Events[len(vr.PBP.Events)-1].ScoreAway {
			t.Errorf("%s: final bbref %d-%d", c.bbrefID, br.PBP.Home.Pts, br.PBP.Away.Pts)
		}
		ba, va := actorNames(br.PBP), actorNames(vr.PBP)
		var onlyB, onlyV []string
		for n := range ba {
			if !va[n] {
				onlyB = append(onlyB, n)
			}
		}
		for n := range va {
			if !ba[n] {
				onlyV = append(onlyV, n)
			}
		}
		sort.Strings(onlyB)
		sort.Strings(onlyV)
		if len(onlyB)+len(onlyV) > 0 || len(ba) == 0 {
			t.Errorf("%s: players only in bbref %v, only in v2 %v (%d in bbref)", c.bbrefID, onlyB, onlyV, len(ba))
		}
	}
}
