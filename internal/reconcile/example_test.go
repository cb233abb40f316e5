package reconcile_test

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/reconcile"
)

// Task ids are a hash of source, dataset, key and gap kind: the same gap
// found by two runs is the same task, so the queue merges it.
func ExampleTaskID() {
	a := reconcile.TaskID("nba_stats", "playbyplayv3", "nba_stats/playbyplayv3/2024-25/0022400001.json", reconcile.GapMissing)
	b := reconcile.TaskID("nba_stats", "playbyplayv3", "nba_stats/playbyplayv3/2024-25/0022400001.json", reconcile.GapMissing)
	c := reconcile.TaskID("nba_stats", "playbyplayv3", "nba_stats/playbyplayv3/2024-25/0022400001.json", reconcile.GapStale)
	fmt.Println(a == b, a == c, len(a))
	// Output: true false 26
}

// Expectations are data: a dataset, the seasons it exists for, and how its
// expected keys are enumerated.
func ExampleParseExpectations() {
	e, err := reconcile.ParseExpectations([]byte(`version: 1
datasets:
  - source: espn
    dataset: summary
    seasons: "2001-02.."
    required: true
    enumeration: per_game_from_schedule
    fallback: per_game_known_count
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := e.Lookup("espn", "summary")
	fmt.Println(x.ID(), x.Enumeration, x.CompletenessThreshold)
	// Output: espn/summary per_game_from_schedule 0.95
}
