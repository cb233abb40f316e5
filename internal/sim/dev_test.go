package sim

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/nbasim/nbasim/internal/store/sqlite"
)

func TestDevStats(t *testing.T) {
	path := os.Getenv("NBASIM_SIM_DEVDB")
	if path == "" {
		t.Skip("dev only")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := LoadCorpus(ctx, st, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var n, s1, s2 float64
	var hist [10]float64
	var gm, gm2, gn float64
	byMargin := map[int][2]float64{}
	for _, g := range c.Games {
		if g.Season != "2018-19" {
			continue
		}
		m := float64(g.HomePts - g.AwayPts)
		gm += m
		gm2 += m * m
		gn++
		for _, p := range g.Poss {
			x := float64(p.Pts)
			n++
			s1 += x
			s2 += x * x
			hist[min(int(p.Pts), 9)]++
			b := int(p.Margin) / 5
			if p.Margin < 0 {
				b = -((-int(p.Margin) + 4) / 5)
			}
			b = max(min(b, 4), -4)
			v := byMargin[b]
			v[0] += x
			v[1]++
			byMargin[b] = v
		}
	}
	mean := s1 / n
	t.Logf("poss %v mean %.3f var %.3f hist %v", n, mean, s2/n-mean*mean, hist)
	t.Logf("games %v margin mean %.2f sd %.2f", gn, gm/gn, math.Sqrt(gm2/gn-(gm/gn)*(gm/gn)))
	for b := -4; b <= 4; b++ {
		v := byMargin[b]
		t.Logf("margin bin %d: n %.0f ppp %.3f", b, v[1], v[0]/v[1])
	}
}

func TestDevKappa(t *testing.T) {
	path := os.Getenv("NBASIM_SIM_DEVDB")
	if path == "" {
		t.Skip("dev only")
	}
	ctx := context.Background()
	st, _ := sqlite.Open(ctx, path, sqlite.Options{})
	c, err := LoadCorpus(ctx, st, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sxy, sxx [6]float64
	for _, g := range c.Games {
		for side := 1; side <= 2; side++ {
			var mp, mm, k [6]float64
			for _, p := range g.Poss {
				if int(p.Off) != side || Classify(int(p.Period), p.Clock, int(p.Margin)) != Normal {
					continue
				}
				per := min(int(p.Period), 5)
				mp[per] += float64(p.Pts)
				mm[per] += float64(p.Margin)
				k[per]++
			}
			for _, p := range g.Poss {
				if int(p.Off) != side || Classify(int(p.Period), p.Clock, int(p.Margin)) != Normal {
					continue
				}
				per := min(int(p.Period), 5)
				x := float64(p.Margin) - mm[per]/k[per]
				y := float64(p.Pts) - mp[per]/k[per]
				sxy[per] += x * y
				sxx[per] += x * x
				sxy[0] += x * y
				sxx[0] += x * x
			}
		}
	}
	for i := range sxy {
		t.Logf("period %d: kappa %.5f pts/poss per point of margin", i, sxy[i]/sxx[i])
	}
}
