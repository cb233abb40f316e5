package synth_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/synth"
)

func TestPlanFollowsTheLayout(t *testing.T) {
	t.Parallel()
	objs, games, err := synth.Plan(synth.Options{Objects: 30000, ZeroBytes: 3, Truncated: 2, Unknown: 5, Newest: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 30000 {
		t.Fatalf("%d objects, want 30000", len(objs))
	}
	seen := map[string]bool{}
	var bad, zero, cut int
	for _, o := range objs {
		if seen[o.Key] {
			t.Fatalf("key %s twice", o.Key)
		}
		seen[o.Key] = true
		if _, _, err := layout.Parse(o.Key); err != nil {
			bad++
		}
		switch {
		case len(o.Body) == 0:
			zero++
		case strings.HasSuffix(o.Key, ".json") && !strings.HasSuffix(strings.TrimSpace(string(o.Body)), "}"):
			cut++
		}
	}
	if bad != 5 || zero != 3 || cut != 2 {
		t.Errorf("unknown %d zero %d truncated %d, want 5, 3, 2", bad, zero, cut)
	}
	seasons := synth.SeasonsOf(games)
	if seasons[0] != "2024-25" || len(seasons) < 2 {
		t.Errorf("seasons %v", seasons)
	}
	per := map[string]map[string]int{}
	for _, g := range games {
		if per[g.Season] == nil {
			per[g.Season] = map[string]int{}
		}
		per[g.Season][g.SeasonType]++
	}
	if n := per["2024-25"]["regular"]; n != 1230 {
		t.Errorf("2024-25: %d regular games", n)
	}
	if n := per["2024-25"]["play_in"]; n != 6 {
		t.Errorf("2024-25: %d play-in games", n)
	}
	if n := per["2024-25"]["playoffs"]; n < 60 || n > 105 {
		t.Errorf("2024-25: %d playoff games", n)
	}
	if _, _, err := synth.Plan(synth.Options{Objects: 0}); err == nil {
		t.Error("0 objects accepted")
	}
}

// TestWriteAndReconcile writes a small synthetic lake both ways (plain
// files and through the lake API) and checks what a scan and an analysis
// find: every object, the defects, full completeness where nothing is cut.
func TestWriteAndReconcile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := synth.Options{Objects: 4000, ZeroBytes: 2, Unknown: 3, Newest: 2024}
	objs, games, err := synth.Plan(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, listingOnly := range []bool{true, false} {
		dir := filepath.Join(t.TempDir(), "lake")
		l, err := lake.Open(ctx, "file://"+dir, "")
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.ListingOnly = listingOnly
		if _, err := synth.WriteLake(ctx, l, dir, objs, o); err != nil {
			t.Fatal(err)
		}
		res, err := reconcile.Scan(ctx, l, reconcile.ScanOptions{})
		l.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Listed != 4000 || res.UnknownCount != 3 {
			t.Errorf("listing-only %v: listed %d unknown %d", listingOnly, res.Listed, res.UnknownCount)
		}
	}
	st := storetest.SQLite(t)
	if err := synth.WriteSchedule(ctx, st, games); err != nil {
		t.Fatal(err)
	}
	stored, err := store.ListGames(ctx, st, "2024-25")
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 {
		t.Fatal("schedule not stored")
	}
	if _, err := synth.WriteLake(ctx, nil, "", objs, synth.Options{ListingOnly: true}); err == nil {
		t.Error("listing-only without a file:// root accepted")
	}
}
