package queue_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/timing"
)

// noopArgs is a job that does nothing: what is measured is the queue.
type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "bench_noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
	done *atomic.Int64
}

func (w *noopWorker) Work(context.Context, *river.Job[noopArgs]) error {
	w.done.Add(1)
	return nil
}

// BenchmarkQueueOverhead measures what the job queue costs per job, on
// each engine: insert b.N no-op jobs in batches of 100, then work them
// until all are completed. ns/op is the queue's wall time per job (insert,
// fetch, complete), cpu-ns/job the process's CPU time per job (the
// database server's is not counted on PostgreSQL); jobs/s is reported too.
// Two River settings: 4 workers and River's default fetch cooldown of
// 100 ms (one queue of `nbasim run`: at most ~4 jobs per fetch), and 50
// workers with a 5 ms cooldown (the queue's own cost).
//
//	go test -run '^$' -bench QueueOverhead -benchtime 2000x ./internal/queue/
func BenchmarkQueueOverhead(b *testing.B) {
	settings := []struct {
		name     string
		workers  int
		cooldown time.Duration
	}{
		{"workers=4,cooldown=100ms", 4, 100 * time.Millisecond},
		{"workers=50,cooldown=5ms", 50, 5 * time.Millisecond},
	}
	for _, s := range settings {
		b.Run("sqlite/"+s.name, func(b *testing.B) {
			db, err := queue.OpenSQLite(filepath.Join(b.TempDir(), "q.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			benchOverhead(b, riversqlite.New(db), s.workers, s.cooldown)
		})
		b.Run("postgres/"+s.name, func(b *testing.B) {
			pool, err := pgxpool.New(context.Background(), storetest.PostgresSchemaURL(b))
			if err != nil {
				b.Fatal(err)
			}
			defer pool.Close()
			benchOverhead(b, riverpgxv5.New(pool), s.workers, s.cooldown)
		})
	}
}

func benchOverhead[TTx any](b *testing.B, drv riverdriver.Driver[TTx], maxWorkers int, cooldown time.Duration) {
	ctx := context.Background()
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		b.Fatal(err)
	}
	var done atomic.Int64
	workers := river.NewWorkers()
	river.AddWorker(workers, &noopWorker{done: &done})
	c, err := river.NewClient(drv, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: maxWorkers}},
		Workers:           workers,
		FetchCooldown:     cooldown,
		FetchPollInterval: max(cooldown, 100*time.Millisecond),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start, cpu0 := time.Now(), timing.CPUTime()
	for i := 0; i < b.N; i += 100 {
		var ps []river.InsertManyParams
		for j := i; j < min(i+100, b.N); j++ {
			ps = append(ps, river.InsertManyParams{Args: noopArgs{N: j}})
		}
		if _, err := c.InsertMany(ctx, ps); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Minute)
	for done.Load() < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d jobs done after 10 minutes", done.Load(), b.N)
		}
		time.Sleep(5 * time.Millisecond)
	}
	elapsed, cpu := time.Since(start), timing.CPUTime()-cpu0
	b.StopTimer()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := c.Stop(sctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/job")
}
