package nbastats

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func playerSet(g *model.Game) []string {
	var out []string
	for id := range g.Players {
		out = append(out, string(id))
	}
	slices.Sort(out)
	return out
}

// TestPlayByPlayV3AgreesWithV2 parses 0022200552 in both formats.
func TestPlayByPlayV3AgreesWithV2(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	v2, err := ParsePlayByPlayV2(read("nba_stats/playbyplayv2/0022200552.json"), parse.Hint{Item: "0022200552"})
	if err != nil {
		t.Fatal(err)
	}
	v3, err := ParsePlayByPlayV3(read("nba_stats/playbyplayv3/0022200552.json"), parse.Hint{Key: "playbyplayv3/0022200552.json", Item: "0022200552"})
	if err != nil {
		t.Fatal(err)
	}
	if len(v3.Issues) > 0 {
		t.Fatalf("issues %v", v3.Issues)
	}
	a, b := v2.PBP, v3.PBP
	if a.Home.ID != b.Home.ID || a.Away.ID != b.Away.ID || a.Home.Pts != b.Home.Pts || a.Away.Pts != b.Away.Pts {
		t.Errorf("v2 %+v/%+v, v3 %+v/%+v", a.Home, a.Away, b.Home, b.Away)
	}
	for _, s := range []model.Side{model.Home, model.Away} {
		if x, y := model.Shooting(a.Events, s), model.Shooting(b.Events, s); x != y {
			t.Errorf("%s: v2 %s, v3 %s", s, shootLine(x), shootLine(y))
		}
	}
	if x, y := playerSet(a), playerSet(b); !slices.Equal(x, y) {
		t.Errorf("players differ:\nv2 %v\nv3 %v", x, y)
	}
	// v3 folds steals and blocks into the turnover and the shot.
	count := func(g *model.Game, f func(model.Event) bool) int {
		n := 0
		for _, e := range g.Events {
			if f(e) {
				n++
			}
		}
		return n
	}
	for name, f := range map[string]func(model.Event) bool{
		"steals":  func(e model.Event) bool { return e.Steal != "" },
		"blocks":  func(e model.Event) bool { return e.Block != "" },
		"assists": func(e model.Event) bool { return e.Assist != "" },
		"subs in": func(e model.Event) bool { return e.SubIn != "" },
	} {
		if x, y := count(a, f), count(b, f); x != y {
			t.Errorf("%s: v2 %d, v3 %d", name, x, y)
		}
	}
	for _, w := range b.Warnings {
		if strings.Contains(w, "not resolved") {
			t.Errorf("warning: %s", w)
		}
	}
}
