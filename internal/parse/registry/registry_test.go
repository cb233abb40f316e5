package registry

import "testing"

func TestRegistryCoversLayout(t *testing.T) {
	t.Parallel()
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	e, ok := Lookup("nba_stats", "playbyplayv2")
	if !ok || e.Parse == nil || e.Version < 1 || e.ID() != "nba_stats/playbyplayv2" {
		t.Fatalf("playbyplayv2 entry %+v", e)
	}
	if _, ok := Lookup("nba_stats", "nope"); ok {
		t.Fatal("unknown dataset found")
	}
}
