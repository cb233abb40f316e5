package reconcile

import (
	"context"
	"log/slog"

	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/store"
)

// Jobs converts planned tasks to River jobs of the queue.
func Jobs(runID string, tasks []Task) []queue.Job {
	jobs := make([]queue.Job, 0, len(tasks))
	for _, t := range tasks {
		jobs = append(jobs, queue.Job{Kind: t.Kind, Priority: int(t.Priority), Task: queue.Task{
			TaskID: t.ID, Gap: string(t.Gap), Priority: t.Priority.String(), Source: t.Source, Dataset: t.Dataset,
			Season: t.Season, Keys: t.Keys, Count: t.Count, EstSeconds: t.EstSeconds, Reason: t.Reason, RunID: runID, From: t.From,
		}})
	}
	return jobs
}

// QueueEnqueue returns an EnqueueFunc that inserts tasks into the River job
// table of st's database, in one transaction, each job with at most
// maxAttempts attempts (0: River's default).
func QueueEnqueue(st store.Store, log *slog.Logger, maxAttempts int) EnqueueFunc {
	return func(ctx context.Context, runID string, tasks []Task) (int, int, error) {
		q, err := queue.OpenWorkers(ctx, st, log, &queue.Options{MaxAttempts: maxAttempts})
		if err != nil {
			return 0, 0, err
		}
		defer q.Close()
		res, err := q.Enqueue(ctx, Jobs(runID, tasks))
		return res.Inserted, res.Merged, err
	}
}
