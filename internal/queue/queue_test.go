package queue_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

func jobs(run string, n int) []queue.Job {
	var out []queue.Job
	for i := 0; i < n; i++ {
		kind := queue.KindFetch
		if i == 0 {
			kind = queue.KindLoad
		}
		out = append(out, queue.Job{Kind: kind, Priority: 1 + i%4, Task: queue.Task{
			TaskID: fmt.Sprintf("t_%04d", i), Gap: "missing", Source: "nba_stats", Dataset: "playbyplayv3",
			Season: "2023-24", Keys: []string{fmt.Sprintf("nba_stats/playbyplayv3/2023-24/00223%05d.json", i)}, Count: 1,
			RunID: run, // differs per run: must not defeat uniqueness
		}})
	}
	return out
}

// engines are the two databases River runs on.
var engines = []struct {
	name string
	open func(testing.TB) store.Store
}{
	{"sqlite", storetest.SQLite},
	{"postgres", storetest.Postgres},
}

func TestEnqueueMergesReruns(t *testing.T) {
	t.Parallel()
	for _, tc := range engines {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := tc.open(t)
			q, err := queue.Open(ctx, st, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			r1, err := q.Enqueue(ctx, jobs("run1", 25))
			if err != nil {
				t.Fatal(err)
			}
			if r1.Inserted != 25 || r1.Merged != 0 {
				t.Fatalf("first run: %+v, want 25 inserted", r1)
			}
			r2, err := q.Enqueue(ctx, jobs("run2", 30))
			if err != nil {
				t.Fatal(err)
			}
			if r2.Inserted != 5 || r2.Merged != 25 {
				t.Fatalf("second run: %+v, want 5 inserted 25 merged", r2)
			}
			ids, err := q.TaskIDs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 30 {
				t.Fatalf("%d distinct task ids, want 30", len(ids))
			}
			for id, n := range ids {
				if n != 1 {
					t.Errorf("task %s queued %d times", id, n)
				}
			}
			counts, err := q.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if counts["fetch/available"] != 29 || counts["load/available"] != 1 {
				t.Errorf("counts %v", counts)
			}
			// Reopening (migrations already applied) works.
			q2, err := queue.Open(ctx, st, nil)
			if err != nil {
				t.Fatal(err)
			}
			q2.Close()
		})
	}
}

func TestEnqueueRejectsBadJobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, err := queue.Open(ctx, storetest.SQLite(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := q.Enqueue(ctx, []queue.Job{{Task: queue.Task{}}}); err == nil {
		t.Error("job without task id accepted")
	}
	if _, err := q.Enqueue(ctx, []queue.Job{{Kind: "bogus", Task: queue.Task{TaskID: "x"}}}); err == nil {
		t.Error("unknown kind accepted")
	}
}
