package synth

import (
	"errors"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/layout"
)

func TestPlanLegacy(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2000, 20000} {
		objs, games, err := PlanLegacy(Options{Objects: n})
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) != n {
			t.Fatalf("PlanLegacy(%d): %d objects", n, len(objs))
		}
		if len(games) == 0 {
			t.Fatal("no schedule")
		}
		seen := map[string]bool{}
		byTop := map[string]int{}
		notData, copies := 0, 0
		for _, o := range objs {
			if seen[o.Key] {
				t.Fatalf("key %s twice", o.Key)
			}
			seen[o.Key] = true
			top, _, _ := strings.Cut(o.Key, "/")
			byTop[top+"/"]++
			_, _, err := layout.NBASimulator.Map(o.Key)
			var nd *layout.NotDataError
			switch {
			case errors.As(err, &nd):
				notData++
			case err != nil:
				t.Fatalf("PlanLegacy(%d): key %s unknown: %v", n, o.Key, err)
			}
			if layout.LegacyRank(o.Key) > 0 {
				copies++
			}
		}
		for _, s := range LegacyShares[:len(LegacyShares)-1] {
			want := float64(n) * 0.975 * float64(s.Objects) / 172975
			got := float64(byTop[s.Prefix])
			if got < want*0.9-2 || got > want*1.1+2 {
				t.Errorf("PlanLegacy(%d): %s has %v objects, want about %.0f", n, s.Prefix, got, want)
			}
		}
		if notData == 0 || copies == 0 {
			t.Errorf("PlanLegacy(%d): %d not-data objects, %d copies under older names; want some of each", n, notData, copies)
		}
	}
}
