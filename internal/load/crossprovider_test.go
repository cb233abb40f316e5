package load

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestBBRefScraperPlayByPlayAgreesWithV2 compares the two games whose
// play-by-play the data holds both as playbyplayv2 and as the bbref
// scraper's parsed output (INDEX pbp_formats bbref_pbp_parsed_csv): final
// score, each team's shooting, and the players who appear (bbref names
// them "J. Tatum": matched to the NBA players of the game by initial and
// surname). The ESPN, v3 and liveData pairs are checked through the whole
// load in TestLoadRealData*.
func TestBBRefScraperPlayByPlayAgreesWithV2(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, c := range []struct{ game, bbrefID, file string }{
		{"0021800001", "201810160BOS", "2018_10_16_BOS_pbp.csv"},
		{"0021800046", "201810220POR", "2018_10_22_POR_pbp.csv"},
	} {
		t.Run(c.game, func(t *testing.T) {
			t.Parallel()
			v2b, err := os.ReadFile(filepath.Join(dir, "nba_stats", "playbyplayv2", c.game+".json"))
			if err != nil {
				t.Fatal(err)
			}
			bb, err := os.ReadFile(filepath.Join(dir, "bbref", "pbp_parsed", c.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := nbastats.ParsePlayByPlayV2(v2b, parse.Hint{Key: c.game, Item: c.game})
			if err != nil {
				t.Fatal(err)
			}
			b, err := bbref.ParseScraperPBP(bb, parse.Hint{Key: c.file, Item: c.bbrefID})
			if err != nil {
				t.Fatal(err)
			}
			ga, gb := a.PBP, b.PBP
			if lastScore(ga.Events) != lastScore(gb.Events) {
				t.Errorf("final score v2 %v, bbref %v", lastScore(ga.Events), lastScore(gb.Events))
			}
			for _, side := range []model.Side{model.Home, model.Away} {
				if x, y := shootLine(ga.Events, side), shootLine(gb.Events, side); x != y {
					t.Errorf("%s: v2 %s, bbref %s", side, x, y)
				}
			}
			// bbref player -> NBA id by "initial. surname" within the side
			// (initial + last surname word, suffixes dropped: "Marcus Morris
			// Sr." and "M. Morris", "Al-Farouq Aminu" and "A. Aminu"); a
			// player the text puts on the other side is looked up there too
			key := func(name string) string {
				f := strings.Fields(model.FoldName(name))
				for len(f) > 2 && slices.Contains([]string{"jr", "sr", "ii", "iii", "iv"}, f[len(f)-1]) {
					f = f[:len(f)-1]
				}
				if len(f) < 2 {
					return ""
				}
				return f[0][:1] + " " + f[len(f)-1]
			}
			abbrev := map[model.Side]map[string][]model.PlayerID{model.Home: {}, model.Away: {}}
			for id, p := range ga.Players {
				if k := key(p.Name); k != "" && abbrev[p.Side] != nil {
					abbrev[p.Side][k] = append(abbrev[p.Side][k], id)
				}
			}
			ids := map[model.PlayerID]model.PlayerID{}
			for id, p := range gb.Players {
				k := key(p.Name)
				cands := abbrev[p.Side][k]
				if len(cands) == 0 {
					cands = abbrev[p.Side.Other()][k]
				}
				if len(cands) == 1 {
					ids[id] = cands[0]
				} else {
					t.Errorf("bbref player %s %q (%s): %d NBA candidates", id, p.Name, p.Side, len(cands))
				}
			}
			mapped := make([]model.Event, len(gb.Events))
			for i, e := range gb.Events {
				for _, f := range []*model.PlayerID{&e.Player, &e.Assist, &e.Block, &e.Steal, &e.Fouled, &e.SubIn, &e.SubOut, &e.Jump2, &e.JumpTo} {
					if *f != "" {
						*f = ids[*f]
					}
				}
				mapped[i] = e
			}
			if x, y := playersOf(ga.Events), playersOf(mapped); !slices.Equal(x, y) {
				t.Errorf("players:\nv2    %v\nbbref %v", x, y)
			}
		})
	}
}
