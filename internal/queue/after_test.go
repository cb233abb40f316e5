package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/nbasim/nbasim/internal/queue"
)

// blocker is a worker of args A that holds every job until release is
// closed.
type blocker[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	release chan struct{}
}

func (b *blocker[A]) Work(ctx context.Context, _ *river.Job[A]) error {
	select {
	case <-b.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestInsertAfterRunning: a reconciliation or a verification asked for
// while one of the same identity runs is queued (the running one may have
// read the store before the change that asked for it), and merged with one
// still waiting. Before InsertAfterRunning a schedule loaded while the
// start reconciliation ran was never planned: `nbasim run` stayed idle
// until the periodic reconciliation, 15 minutes later.
func TestInsertAfterRunning(t *testing.T) {
	t.Parallel()
	for _, tc := range engines {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			release := make(chan struct{})
			workers := river.NewWorkers()
			river.AddWorker(workers, &blocker[queue.ReconcileArgs]{release: release})
			river.AddWorker(workers, &blocker[queue.VerifyArgs]{release: release})
			q, err := queue.OpenWorkers(ctx, tc.open(t), nil, &queue.Options{
				Workers:      workers,
				Queues:       map[string]river.QueueConfig{queue.QueueReconcile: {MaxWorkers: 1}, queue.QueueVerify: {MaxWorkers: 1}},
				PollInterval: 50 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			if err := q.Client().Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer func() {
				close(release)
				if err := q.Client().Stop(ctx); err != nil {
					t.Error(err)
				}
			}()
			reconcile := func(reason string) []river.InsertManyParams {
				return []river.InsertManyParams{queue.ReconcileParams(queue.ReconcileArgs{Reason: reason})}
			}
			verify := func(game string) []river.InsertManyParams {
				return queue.VerifyParams([]queue.VerifyArgs{{GameID: game, Reason: "loaded"}}, 3)
			}
			insert := func(ps []river.InsertManyParams, inserted, merged int) {
				t.Helper()
				r, err := q.InsertAfterRunning(ctx, ps)
				if err != nil {
					t.Fatal(err)
				}
				if r.Inserted != inserted || r.Merged != merged {
					t.Fatalf("%s: %+v, want %d inserted %d merged", ps[0].Args.Kind(), r, inserted, merged)
				}
			}
			running := func(kind string) {
				t.Helper()
				for ctx.Err() == nil {
					n := 0
					if err := q.Each(ctx, []rivertype.JobState{rivertype.JobStateRunning}, []string{kind}, func(*rivertype.JobRow) error {
						n++
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					if n == 1 {
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
				t.Fatalf("no %s job running", kind)
			}

			insert(reconcile("start"), 1, 0)
			running(queue.KindReconcile)
			insert(reconcile("schedule loaded"), 1, 0) // a plain unique insert merges it with the running one
			insert(reconcile("schedule loaded"), 0, 1) // waits behind the running one already
			insert(reconcile("periodic"), 0, 1)

			insert(verify("0021800001"), 1, 0)
			running(queue.KindVerify)
			insert(verify("0021800001"), 1, 0)
			insert(verify("0021800001"), 0, 1)
			insert(verify("0021800002"), 1, 0)
			insert(verify("0021800002"), 0, 1)
		})
	}
}
