package runloop

import (
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/reconcile"
)

func oneKey(i int, dataset string, gap reconcile.GapKind) reconcile.Task {
	key := fmt.Sprintf("nba_stats/%s/2018-19/00218%05d.json", dataset, i)
	return reconcile.Task{ID: reconcile.TaskID("nba_stats", dataset, key, gap), Kind: reconcile.TaskFetch, Gap: gap,
		Priority: reconcile.Low, Source: "nba_stats", Dataset: dataset, Season: "2018-19", Keys: []string{key}, Count: 1, Requests: 1}
}

func TestBatch(t *testing.T) {
	t.Parallel()
	var tasks []reconcile.Task
	for i := range 45 {
		tasks = append(tasks, oneKey(i, "playbyplayv2", reconcile.GapMissing))
	}
	tasks = append(tasks, oneKey(100, "playbyplayv2", reconcile.GapStale)) // another gap: its own job
	tasks = append(tasks, oneKey(101, "gamerotation", reconcile.GapMissing))
	tasks = append(tasks, reconcile.Task{ID: "t_unknown", Kind: reconcile.TaskFetch, Gap: reconcile.GapUnknownKeys, Source: "espn", Dataset: "summary", Count: 1230})
	tasks = append(tasks, reconcile.Task{ID: "t_sched", Kind: reconcile.TaskFetch, Gap: reconcile.GapScheduleMissing, Source: "nba_stats", Dataset: "leaguegamelog",
		Keys: []string{"nba_stats/leaguegamelog/2018-19/regular_T.json", "nba_stats/leaguegamelog/2018-19/playoffs_T.json"}})
	queued := map[string]bool{
		"fetch " + tasks[0].Keys[0]:                             true, // waiting already: dropped
		"load " + tasks[1].Keys[0]:                              true, // a load job does not hold a fetch
		"fetch nba_stats/leaguegamelog/2018-19/playoffs_T.json": true, // one key of two dropped
	}
	for _, tc := range []struct {
		name                                  string
		n                                     int
		wantJobs, wantMerged, wantUnplannable int
		wantSizes                             []int
	}{
		{"batches of 20", 20, 6, 1, 1, []int{20, 20, 4, 1, 1, 1}},
		{"one key a job", 1, 47, 1, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jobs, merged, unplannable := batch("r1", tasks, queued, tc.n)
			if len(jobs) != tc.wantJobs || merged != tc.wantMerged || unplannable != tc.wantUnplannable {
				t.Fatalf("%d jobs, %d merged, %d unplannable; want %d, %d, %d", len(jobs), merged, unplannable, tc.wantJobs, tc.wantMerged, tc.wantUnplannable)
			}
			keys := map[string]int{}
			for i, j := range jobs {
				for _, k := range j.Task.Keys {
					keys[k]++
				}
				if tc.wantSizes != nil && len(j.Task.Keys) != tc.wantSizes[i] {
					t.Errorf("job %d (%s %s): %d keys, want %d", i, j.Task.Dataset, j.Task.Gap, len(j.Task.Keys), tc.wantSizes[i])
				}
				if j.Task.TaskID == "" || j.Task.Count != len(j.Task.Keys) {
					t.Errorf("job %d: id %q count %d keys %d", i, j.Task.TaskID, j.Task.Count, len(j.Task.Keys))
				}
			}
			if keys[tasks[0].Keys[0]] != 0 || keys["nba_stats/leaguegamelog/2018-19/playoffs_T.json"] != 0 {
				t.Error("a key already waiting in a fetch job was queued again")
			}
			if keys[tasks[1].Keys[0]] != 1 {
				t.Error("a key waiting only in a load job was not queued for fetching")
			}
			for k, n := range keys {
				if n != 1 {
					t.Errorf("key %s in %d jobs", k, n)
				}
			}
			if len(keys) != 45-1+1+1+1 {
				t.Errorf("%d keys queued, want 47", len(keys))
			}
		})
	}
	// the same plan twice gives the same job ids (a rerun merges)
	a, _, _ := batch("r1", tasks, nil, 20)
	b, _, _ := batch("r2", tasks, nil, 20)
	for i := range a {
		if a[i].Task.TaskID != b[i].Task.TaskID {
			t.Errorf("job %d: id %s then %s", i, a[i].Task.TaskID, b[i].Task.TaskID)
		}
	}
}

func TestBlocking(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339) }
	cfg := config.Default()
	l := &Loop{cfg: cfg, started: now.Add(-10 * time.Minute)}
	retry := &Loop{cfg: cfg, started: now.Add(-10 * time.Minute), retryPerm: true}
	for _, tc := range []struct {
		name  string
		loop  *Loop
		class string
		ago   time.Duration
		want  bool
	}{
		{"permanent, recent", l, "permanent", time.Hour, true},
		{"permanent, past the ttl", l, "permanent", 8 * 24 * time.Hour, false},
		{"poison, recent", l, ClassPoison, 2 * 24 * time.Hour, true},
		{"exhausted, recent", l, ClassExhausted, 30 * time.Minute, true},
		{"exhausted, past its ttl", l, ClassExhausted, 2 * time.Hour, false},
		{"retriable: never blocks", l, "retriable", time.Minute, false},
		{"--retry-permanent: before this start", retry, "permanent", time.Hour, false},
		{"--retry-permanent: failed again in this run", retry, "permanent", time.Minute, true},
	} {
		if got := tc.loop.blocking(tc.class, at(tc.ago), now); got != tc.want {
			t.Errorf("%s: blocking %v, want %v", tc.name, got, tc.want)
		}
	}
	if l.blocking("permanent", "not a time", now) {
		t.Error("an unreadable time blocks")
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		attempt  int
		min, max time.Duration
	}{
		{1, time.Second, 1200 * time.Millisecond},
		{2, 2 * time.Second, 2400 * time.Millisecond},
		{4, 8 * time.Second, 9600 * time.Millisecond},
		{20, 5 * time.Minute, 6 * time.Minute},
	} {
		start := time.Now()
		next := backoff{}.NextRetry(&rivertype.JobRow{Attempt: tc.attempt})
		d := next.Sub(start)
		if d < tc.min || d > tc.max+time.Second {
			t.Errorf("attempt %d: retry in %s, want %s..%s", tc.attempt, d, tc.min, tc.max)
		}
	}
}
