// Package runloop is `nbasim run`: the self-healing loop. It works River's
// job table with River's worker API: reconciliation (on start, every
// run.reconcile_every as a River periodic job, and when a schedule was
// loaded) plans fetch and load tasks; a fetch job writes its keys to the
// lake and queues their load; a load job writes the objects' rows and
// queues the verification of their games; a verify job derives a game's box
// from its plays and compares it with the official box.
//
// Failures are finite: a job retries with backoff up to run.max_attempts;
// permanent failures (404, poison objects, keys whose job used every
// attempt) are recorded in fetch_log and not planned again until their age
// limit or --retry-permanent. Every job is idempotent (content-addressed
// atomic lake writes, upserts), so a killed process loses nothing: River's
// rescuer gives its running jobs to another process after run.rescue_after.
package runloop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/retry"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store"
)

// Observer receives what the loop does (Prometheus metrics implement it);
// every method must be safe for concurrent use.
type Observer interface {
	JobStarted(kind, source string)
	JobFinished(kind, source, state string, d time.Duration)
	LakeWritten(objects int, bytes int64)
	Coverage(cells []*reconcile.Cell)
	Verified(grade string)
}

type nopObserver struct{}

func (nopObserver) JobStarted(string, string)                         {}
func (nopObserver) JobFinished(string, string, string, time.Duration) {}
func (nopObserver) LakeWritten(int, int64)                            {}
func (nopObserver) Coverage([]*reconcile.Cell)                        {}
func (nopObserver) Verified(string)                                   {}

// Options configure a loop.
type Options struct {
	Config *config.Config
	Lake   *lake.Lake
	Store  store.Store
	Log    *slog.Logger
	RunID  string
	// Reconciler is the template of every reconciliation (lister, tail
	// reader, preflight); Config, Store, Enqueue, Unavailable, RunID and
	// Out are set per run.
	Reconciler reconcile.Runner
	// Season, when set, restricts reconciliation to that season.
	Season string
	// RetryPermanent plans again the keys that failed permanently before
	// this process started.
	RetryPermanent bool
	// Client is the paced HTTP client (nil: one from the sources' config).
	Client   *source.Client
	Observer Observer
}

// Loop is one `nbasim run` process.
type Loop struct {
	cfg       *config.Config
	lake      *lake.Lake
	store     store.Store
	log       *slog.Logger
	runID     string
	rec       reconcile.Runner
	reg       *source.Registry
	col       *collect.Collector
	q         *queue.Queue
	obs       Observer
	overrides *pbp.Overrides
	started   time.Time
	retryPerm bool
	// planned is set when a reconciliation of this process queued new
	// jobs: once the queue drains, the forever loop reconciles again.
	planned atomic.Bool
}

// New opens the queue with the loop's workers (not started: Run starts it).
func New(ctx context.Context, o Options) (*Loop, error) {
	cfg := *o.Config
	if o.Season != "" {
		cfg.Seasons = []string{o.Season}
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Loop{cfg: &cfg, lake: o.Lake, store: o.Store, log: log, runID: o.RunID, rec: o.Reconciler,
		obs: o.Observer, started: time.Now().UTC(), retryPerm: o.RetryPermanent}
	if l.obs == nil {
		l.obs = nopObserver{}
	}
	ov, err := pbp.LoadOverrides("")
	if err != nil {
		return nil, err
	}
	l.overrides = ov
	l.reg = collect.Registry(cfg.Sources)
	client := o.Client
	if client == nil {
		client = collect.NewClient(l.reg, cfg.Sources)
	}
	l.col = &collect.Collector{Lake: o.Lake, Client: client, Registry: l.reg, Store: o.Store, Log: log}

	workers := river.NewWorkers()
	river.AddWorker(workers, &fetchWorker{l: l})
	river.AddWorker(workers, &loadWorker{l: l})
	river.AddWorker(workers, &verifyWorker{l: l})
	river.AddWorker(workers, &reconcileWorker{l: l})
	river.AddWorker(workers, &importWorker{l: l})
	queues := map[string]river.QueueConfig{
		queue.QueueLoad:      {MaxWorkers: cfg.Run.LoadWorkers},
		queue.QueueVerify:    {MaxWorkers: cfg.Run.VerifyWorkers},
		queue.QueueReconcile: {MaxWorkers: 1},
		queue.ImportQueue:    {MaxWorkers: 2},
		river.QueueDefault:   {MaxWorkers: 1},
	}
	for _, s := range l.reg.All() {
		if sc, ok := cfg.Sources[s.Name()]; ok && sc.Enabled != nil && !*sc.Enabled {
			continue
		}
		// one queue per source, as many workers as the host's concurrency
		// cap: the pacer inside the client holds the rate.
		n := s.Policy().Apply(cfg.Sources[s.Name()]).Concurrency
		queues[queue.QueueName(s.Name())] = river.QueueConfig{MaxWorkers: max(n, 1)}
	}
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.Run.ReconcileEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			p := queue.ReconcileParams(queue.ReconcileArgs{Reason: "periodic", RunID: l.runID})
			return p.Args, p.InsertOpts
		}, &river.PeriodicJobOpts{ID: "reconcile"})}
	q, err := queue.OpenWorkers(ctx, o.Store, log, &queue.Options{
		Workers: workers, Queues: queues, PeriodicJobs: periodic,
		MaxAttempts: cfg.Run.MaxAttempts, JobTimeout: cfg.Run.JobTimeout, RescueAfter: cfg.Run.RescueAfter,
		PollInterval: cfg.Run.PollInterval, RetryPolicy: backoff{}, ErrorHandler: errorHandler{log: log},
		ID: "nbasim-" + o.RunID + "-" + hostname(),
	})
	if err != nil {
		return nil, err
	}
	l.q = q
	return l, nil
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "host"
	}
	return h
}

// Queue returns the loop's queue.
func (l *Loop) Queue() *queue.Queue { return l.q }

// Close releases the queue.
func (l *Loop) Close() error { return l.q.Close() }

// RunOptions choose how Run ends.
type RunOptions struct {
	// UntilComplete ends the run once nothing is left to do: no job waiting
	// or running and a reconciliation plans nothing new.
	UntilComplete bool
	// ShutdownTimeout bounds the wait for jobs in flight when ctx ends
	// (default run.shutdown_timeout); then they are cancelled and handed
	// back to the queue.
	ShutdownTimeout time.Duration
	// Idle is how often UntilComplete looks at the queue (default 1s).
	Idle time.Duration
}

// Summary is what a run did and what is left.
type Summary struct {
	RunID           string           `json:"run_id"`
	Complete        bool             `json:"complete"`
	ElapsedSeconds  float64          `json:"elapsed_seconds"`
	Reconciliations int              `json:"reconciliations"`
	Last            *ReconcileResult `json:"last_reconciliation,omitempty"`
	Failures        []Failure        `json:"permanent_failures"`
	FailuresByClass map[string]int   `json:"failures_by_class"`
	Jobs            []queue.Count    `json:"jobs"`
	Stopped         string           `json:"stopped"` // complete, signal
}

// Run starts the workers and works the queue until ctx ends (SIGTERM) or,
// with UntilComplete, until nothing is left to do. Jobs in flight at the
// end get ShutdownTimeout to finish; the rest are cancelled and go back
// to the queue.
func (l *Loop) Run(ctx context.Context, ro RunOptions) (*Summary, error) {
	if ro.ShutdownTimeout <= 0 {
		ro.ShutdownTimeout = l.cfg.Run.ShutdownTimeout
	}
	if ro.Idle <= 0 {
		ro.Idle = time.Second
	}
	start := time.Now()
	sum := &Summary{RunID: l.runID, Stopped: "signal"}
	client := l.q.Client()
	// The workers get their own context: cancelling ctx (a signal) must
	// let the jobs in flight finish within the shutdown timeout.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("run: start workers: %w", err)
	}
	l.log.Info("run: workers started", "seasons", l.cfg.Seasons, "until_complete", ro.UntilComplete,
		"reconcile_every", l.cfg.Run.ReconcileEvery.String(), "max_attempts", l.cfg.Run.MaxAttempts)
	stop := func() error {
		sctx, cancel := context.WithTimeout(context.Background(), ro.ShutdownTimeout)
		defer cancel()
		err := client.Stop(sctx)
		if errors.Is(err, context.DeadlineExceeded) {
			l.log.Warn("run: jobs still running after the shutdown timeout: cancelling them (they go back to the queue)", "timeout", ro.ShutdownTimeout.String())
			cctx, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel2()
			err = client.StopAndCancel(cctx)
		}
		return err
	}
	var runErr error
	if ro.UntilComplete {
		runErr = l.untilComplete(ctx, ro, sum)
	} else {
		runErr = l.forever(ctx, ro)
	}
	l.log.Info("run: stopping: no new jobs; waiting for the jobs in flight", "timeout", ro.ShutdownTimeout.String())
	if err := stop(); err != nil && !errors.Is(err, context.Canceled) {
		l.log.Warn("run: stop", "err", err)
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := l.finish(fctx, sum); err != nil && runErr == nil {
		runErr = err
	}
	sum.ElapsedSeconds = time.Since(start).Seconds()
	if runErr != nil && ctx.Err() != nil && errors.Is(runErr, context.Canceled) {
		runErr = nil // stopped by a signal: a clean stop
	}
	return sum, runErr
}

// forever queues the start reconciliation and then, until ctx ends,
// another one each time the queue drains after a reconciliation of this
// process queued new jobs: a plan cut by the per-priority caps continues,
// and keys the loads revealed are planned, without waiting for the
// periodic reconciliation (run.reconcile_every). A reconciliation that
// queues nothing new ends the chain until the next periodic one.
func (l *Loop) forever(ctx context.Context, ro RunOptions) error {
	ask := func(reason string) error {
		_, err := l.q.InsertAfterRunning(ctx, []river.InsertManyParams{queue.ReconcileParams(queue.ReconcileArgs{Reason: reason, RunID: l.runID})})
		return err
	}
	if err := ask("start"); err != nil {
		return err
	}
	t := time.NewTicker(ro.Idle)
	defer t.Stop()
	idle := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		n, err := l.q.Active(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// a database that does not answer now may answer at the next
			// tick; the workers go on meanwhile
			l.log.Warn("run: counting the queue's jobs", "err", err)
			continue
		}
		if n > 0 {
			idle = 0
			continue
		}
		// nothing waiting or running, twice in a row
		if idle++; idle >= 2 && l.planned.Swap(false) {
			if err := ask("queue drained"); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				l.log.Warn("run: queue a reconciliation", "err", err)
				l.planned.Store(true)
			}
			idle = 0
		}
	}
}

// untilComplete reconciles, then waits for the queue to be idle and
// reconciles again, until a reconciliation plans nothing new.
func (l *Loop) untilComplete(ctx context.Context, ro RunOptions, sum *Summary) error {
	t := time.NewTicker(ro.Idle)
	defer t.Stop()
	idle := 0
	for {
		n, err := l.q.Active(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if n > 0 {
			idle = 0
		} else if idle++; idle >= 2 {
			// nothing waiting or running, twice in a row: plan again here.
			res, err := l.Reconcile(ctx, fmt.Sprintf("%s-c%d", l.runID, sum.Reconciliations+1))
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			sum.Reconciliations++
			sum.Last = res
			l.log.Info("run: reconciled", "expected", res.Expected, "present", res.Present, "tasks", res.Tasks,
				"inserted", res.Inserted, "merged", res.Merged, "unavailable", res.Unavailable)
			if res.Inserted == 0 && res.Merged == 0 {
				sum.Complete, sum.Stopped = true, "complete"
				return nil
			}
			idle = 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// finish fills the summary: permanent failures, jobs by state.
func (l *Loop) finish(ctx context.Context, sum *Summary) error {
	fs, err := l.Failures(ctx, 0)
	if err != nil {
		return err
	}
	sum.Failures = fs
	sum.FailuresByClass = map[string]int{}
	for _, f := range fs {
		sum.FailuresByClass[f.Class]++
	}
	sum.Jobs, err = l.q.Stats(ctx)
	return err
}

// ReconcileResult is what one reconciliation found and planned.
type ReconcileResult struct {
	RunID        string  `json:"run_id"`
	Expected     int     `json:"expected"`
	Present      int     `json:"present"`
	Completeness float64 `json:"completeness"`
	Tasks        int     `json:"tasks"`
	Inserted     int     `json:"inserted"`
	Merged       int     `json:"merged"`
	Unavailable  int     `json:"unavailable"` // keys not planned: failed permanently
	Unplannable  int     `json:"unplannable"` // tasks naming no key (games without an id in the dataset's id space)
	// Coverage is present / (expected - unavailable) per source × dataset
	// × season: the share of what the providers can serve that the lake
	// holds.
	Coverage []CellCoverage `json:"coverage"`
}

// CellCoverage is one cell of the coverage.
type CellCoverage struct {
	Source      string  `json:"source"`
	Dataset     string  `json:"dataset"`
	Season      string  `json:"season"`
	Expected    int     `json:"expected"`
	Present     int     `json:"present"`
	Unavailable int     `json:"unavailable"`
	Share       float64 `json:"share_of_available"`
}

// Reconcile runs one reconciliation with the loop's seasons and queues
// its plan: keys that failed permanently are not planned, tasks naming no
// key are counted (Unplannable) and not queued.
func (l *Loop) Reconcile(ctx context.Context, runID string) (*ReconcileResult, error) {
	r := l.rec
	r.Config, r.Store, r.RunID, r.Log = l.cfg, l.store, runID, l.log
	r.Out = io.Discard
	r.Progress = nil
	unavail := map[string]bool{}
	r.Unavailable = func(ctx context.Context) (map[string]bool, error) {
		m, err := l.unavailable(ctx)
		unavail = m
		return m, err
	}
	res := &ReconcileResult{RunID: runID}
	r.Enqueue = func(ctx context.Context, runID string, tasks []reconcile.Task) (int, int, error) {
		queued, err := l.queuedKeys(ctx)
		if err != nil {
			return 0, 0, err
		}
		jobs, merged, unplannable := batch(runID, tasks, queued, l.cfg.Run.FetchBatch)
		res.Unplannable = unplannable
		qr, err := l.q.Enqueue(ctx, jobs)
		return qr.Inserted, qr.Merged + merged, err
	}
	rep, err := r.Run(ctx, reconcile.Options{FullScan: true})
	if err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	if rep.Analysis != nil {
		res.Expected, res.Present, res.Completeness = rep.Analysis.Expected, rep.Analysis.Present, rep.Analysis.Completeness
		l.obs.Coverage(rep.Analysis.Cells)
		res.Coverage = coverage(rep.Analysis.Cells, unavail)
	}
	if rep.Plan != nil {
		res.Tasks, res.Unavailable = len(rep.Plan.Tasks), rep.Plan.Unavailable
	}
	res.Inserted, res.Merged = rep.Inserted, rep.Merged
	if res.Inserted > 0 {
		l.planned.Store(true)
	}
	return res, nil
}

// coverage computes present / (expected - unavailable) per cell.
func coverage(cells []*reconcile.Cell, unavail map[string]bool) []CellCoverage {
	per := map[string]int{}
	for k := range unavail {
		if s, d, se, ok := splitKey(k); ok {
			per[s+"/"+d+"/"+se]++
		}
	}
	var out []CellCoverage
	for _, c := range cells {
		u := per[c.Source+"/"+c.Dataset+"/"+c.Season]
		cc := CellCoverage{Source: c.Source, Dataset: c.Dataset, Season: c.Season, Expected: c.Expected, Present: c.Present, Unavailable: u, Share: 1}
		if avail := c.Expected - u; avail > 0 {
			cc.Share = min(float64(c.Present)/float64(avail), 1)
		}
		out = append(out, cc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		if out[i].Dataset != out[j].Dataset {
			return out[i].Dataset < out[j].Dataset
		}
		return out[i].Season < out[j].Season
	})
	return out
}

// backoff is the retry policy: 1 s doubling per attempt up to 5 min, with
// 20 % jitter (River's default grows as attempt^4, minutes by the fourth).
type backoff struct{}

func (backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(retry.Backoff{Base: time.Second, Max: 5 * time.Minute, Spread: 0.2}.Delay(max(job.Attempt, 1)))
}

// errorHandler logs job errors and panics with the job id.
type errorHandler struct{ log *slog.Logger }

func (h errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	lvl := slog.LevelWarn
	if job.Attempt >= job.MaxAttempts {
		lvl = slog.LevelError
	}
	h.log.Log(ctx, lvl, "job failed", "job_id", job.ID, "kind", job.Kind, "queue", job.Queue, "attempt", job.Attempt,
		"max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (h errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, v any, trace string) *river.ErrorHandlerResult {
	h.log.Error("job panicked", "job_id", job.ID, "kind", job.Kind, "attempt", job.Attempt, "panic", fmt.Sprint(v), "trace", trace)
	return nil
}

// queuedKeys returns the lake keys of the fetch and load jobs waiting or
// running, through River's job list.
func (l *Loop) queuedKeys(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := l.q.Each(ctx, queue.UniqueStates, []string{queue.KindFetch, queue.KindLoad}, func(j *rivertype.JobRow) error {
		var t queue.Task
		if err := json.Unmarshal(j.EncodedArgs, &t); err != nil {
			return fmt.Errorf("job %d: args: %w", j.ID, err)
		}
		for _, k := range t.Keys {
			out[j.Kind+" "+k] = true
		}
		return nil
	})
	return out, err
}

// batch turns planned tasks into jobs: keys already in a waiting or
// running job of the same kind are dropped (a task with none left is
// merged), tasks naming no key are counted (unplannable: games without an
// id in the dataset's id space) and not queued, and one-key tasks of the
// same kind, source, dataset, season, gap and priority are grouped n keys
// a job (their load is one job too, which spreads the loader's per-run
// cost).
func batch(runID string, tasks []reconcile.Task, queued map[string]bool, n int) (jobs []queue.Job, merged, unplannable int) {
	type group struct {
		task reconcile.Task
		keys []string
	}
	var order []string
	groups := map[string]*group{}
	for _, t := range tasks {
		if len(t.Keys) == 0 {
			unplannable++
			continue
		}
		keep := t.Keys[:0:0]
		for _, k := range t.Keys {
			if !queued[t.Kind+" "+k] {
				keep = append(keep, k)
			}
		}
		if len(keep) == 0 {
			merged++
			continue
		}
		t.Keys, t.Count = keep, len(keep)
		if len(t.Keys) > 1 || n <= 1 {
			jobs = append(jobs, reconcile.Jobs(runID, []reconcile.Task{t})...)
			continue
		}
		id := strings.Join([]string{t.Kind, t.Source, t.Dataset, t.Season, string(t.Gap), t.Priority.String()}, "|")
		g, ok := groups[id]
		if !ok {
			g = &group{task: t}
			groups[id] = g
			order = append(order, id)
		}
		g.keys = append(g.keys, t.Keys[0])
	}
	for _, id := range order {
		g := groups[id]
		for lo := 0; lo < len(g.keys); lo += n {
			t := g.task
			t.Keys = g.keys[lo:min(lo+n, len(g.keys))]
			t.Count, t.Requests = len(t.Keys), len(t.Keys)
			if len(t.Keys) > 1 {
				t.ID = taskID("b_", append([]string{t.Kind, string(t.Gap)}, t.Keys...))
				t.Reason = fmt.Sprintf("%s: %d keys", t.Gap, len(t.Keys))
			}
			jobs = append(jobs, reconcile.Jobs(runID, []reconcile.Task{t})...)
		}
	}
	return jobs, merged, unplannable
}
