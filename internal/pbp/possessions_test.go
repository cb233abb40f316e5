package pbp

import (
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

// TestPossessions: the listed possessions match the box's count per side,
// are in order without gaps, and their points never exceed the box's.
func TestPossessions(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 20; seed++ {
		g, _ := SyntheticGame(seed)
		c := Compile(g, nil)
		box := c.Final()
		ps := c.Possessions()
		var n [3]int
		var pts [3]int
		prevTo := model.Tenths(0)
		for i, p := range ps {
			if p.Number != i+1 || p.To < p.From || p.From < prevTo && p.Period == ps[max(0, i-1)].Period {
				t.Fatalf("seed %d: possession %d: %+v (previous ended %v)", seed, i, p, prevTo)
			}
			prevTo = p.To
			n[p.Offense]++
			pts[p.Offense] += p.Points
		}
		if n[model.Home] != box.Home.Possessions || n[model.Away] != box.Away.Possessions {
			t.Fatalf("seed %d: %d/%d possessions listed, box %d/%d", seed, n[model.Home], n[model.Away], box.Home.Possessions, box.Away.Possessions)
		}
		if pts[model.Home] > box.Home.PTS || pts[model.Away] > box.Away.PTS || pts[model.Home]+pts[model.Away] == 0 {
			t.Fatalf("seed %d: possession points %v, box %d-%d", seed, pts, box.Home.PTS, box.Away.PTS)
		}
	}
}
