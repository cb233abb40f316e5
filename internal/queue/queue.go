// Package queue is nbasim's job queue: River (github.com/riverqueue/river)
// on the store's database, riverpgxv5 on PostgreSQL and riversqlite on
// SQLite. Reconciliation inserts tasks here; `nbasim run` (internal/runloop)
// works them with River's worker API.
//
// Every task carries a stable id (a hash of source, dataset, key and gap
// kind) marked as River's unique field, so a rerun of reconciliation merges
// with the tasks still waiting instead of duplicating them. A task already
// completed does not block a new one with the same id (the gap came back).
//
// Everything goes through River's client API (inserts, listing, the
// worker loop) except the counts per kind, queue and state: River has no
// aggregate API, so Counts and Stats group river_job with one SQL query.
package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/nbasim/nbasim/internal/store"
)

// Job kinds.
const (
	KindFetch     = "fetch"     // fetch (or refetch) lake keys from a source
	KindLoad      = "load"      // load lake objects into the store
	KindVerify    = "verify"    // derive a game's box from its plays and compare it with the official box
	KindReconcile = "reconcile" // compare the lake with expectations and plan the gaps
	// KindImport copies objects present in a legacy (nba_simulator) bucket
	// into nbasim's lake: Task.Keys are the legacy keys, Task.From the
	// bucket. Import jobs go to their own queue, ImportQueue: they cost no
	// source requests.
	KindImport = "import"
)

// ImportQueue is the queue of import jobs.
const ImportQueue = "import"

// Kinds are every job kind nbasim inserts.
var Kinds = []string{KindFetch, KindLoad, KindVerify, KindReconcile, KindImport}

// Queue names besides the per-source fetch queues.
const (
	QueueLoad      = "load"
	QueueVerify    = "verify"
	QueueReconcile = "reconcile"
)

// Task is the payload of a fetch or load job. TaskID is River's unique field.
type Task struct {
	TaskID     string   `json:"task_id" river:"unique"`
	Gap        string   `json:"gap"` // missing, stale, invalid, schedule_missing, unknown_keys, fetched (chained)
	Priority   string   `json:"priority"`
	Source     string   `json:"source"`
	Dataset    string   `json:"dataset"`
	Season     string   `json:"season"`
	Keys       []string `json:"keys,omitempty"`
	Count      int      `json:"count"`
	EstSeconds float64  `json:"estimated_seconds"`
	Reason     string   `json:"reason"`
	RunID      string   `json:"run_id"`         // reconciliation run (or process) that planned it
	From       string   `json:"from,omitempty"` // import: the legacy bucket (URL, credentials redacted)
	// Force makes a load job parse its objects again even when loaded
	// (an ESPN or bbref object loaded before the NBA data of its game).
	Force bool `json:"force,omitempty"`
}

// FetchArgs is a "fetch" job.
type FetchArgs struct{ Task }

// Kind implements river.JobArgs.
func (FetchArgs) Kind() string { return KindFetch }

// LoadArgs is a "load" job.
type LoadArgs struct{ Task }

// Kind implements river.JobArgs.
func (LoadArgs) Kind() string { return KindLoad }

// ImportArgs is an "import" job.
type ImportArgs struct{ Task }

// Kind implements river.JobArgs.
func (ImportArgs) Kind() string { return KindImport }

// VerifyArgs is a "verify" job: derive one game's box and verify it.
type VerifyArgs struct {
	GameID string `json:"game_id" river:"unique"`
	Season string `json:"season"`
	Reason string `json:"reason"`
	RunID  string `json:"run_id"`
	// After is the id of the newest verify job of the game running when
	// this one was asked for (0: none); see InsertAfterRunning.
	After int64 `json:"after,omitempty" river:"unique"`
}

// Kind implements river.JobArgs.
func (VerifyArgs) Kind() string { return KindVerify }

// ReconcileArgs is a "reconcile" job (periodic, on start, or after a
// schedule was loaded).
type ReconcileArgs struct {
	Reason string `json:"reason"`
	RunID  string `json:"run_id"`
	// After is the id of the newest reconcile job running when this one
	// was asked for (0: none); see InsertAfterRunning.
	After int64 `json:"after,omitempty" river:"unique"`
}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return KindReconcile }

// Job is one task to enqueue.
type Job struct {
	Kind     string // KindFetch, KindLoad or KindImport
	Priority int    // 1 (CRITICAL) .. 4 (LOW)
	Task     Task
}

// UniqueStates are the job states in which a task id blocks a duplicate:
// everything but completed, cancelled and discarded.
var UniqueStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// ActiveStates are the states of work not done yet (UniqueStates).
var ActiveStates = UniqueStates

// Result says what Enqueue did.
type Result struct {
	Inserted int // new jobs
	Merged   int // already queued (same task id): left as they are
}

// Client is what nbasim uses of River's client; *river.Client[pgx.Tx] and
// *river.Client[*sql.Tx] both satisfy it.
type Client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobRetry(ctx context.Context, id int64) (*rivertype.JobRow, error)
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
	ID() string
}

// Options make a worker client (nil: an insert-only client).
type Options struct {
	Workers      *river.Workers
	Queues       map[string]river.QueueConfig
	PeriodicJobs []*river.PeriodicJob
	MaxAttempts  int
	JobTimeout   time.Duration
	RescueAfter  time.Duration
	PollInterval time.Duration
	RetryPolicy  river.ClientRetryPolicy
	ErrorHandler river.ErrorHandler
	ID           string // the client (process) id shown in river_job.attempted_by
	// Logger receives River's own records (default: warnings of the queue logger).
	Logger *slog.Logger
}

// migrationLock is the PostgreSQL advisory lock key held while River's
// migrations run ("nbasimrq").
const migrationLock int64 = 0x6e6261_73696d7271

// Queue is River on the store's database.
type Queue struct {
	dialect store.Dialect
	client  Client
	pgPool  *pgxpool.Pool
	liteDB  *sql.DB
	closeDB bool
	maxAtt  int
}

// Open returns an insert-only queue on st's database, applying River's
// migrations (rivermigrate) on first use.
func Open(ctx context.Context, st store.Store, log *slog.Logger) (*Queue, error) {
	return OpenWorkers(ctx, st, log, nil)
}

// OpenWorkers returns the queue on st's database with a client that works
// jobs when opts has workers (Start it). On PostgreSQL it uses the store's
// pool; on SQLite it opens its own single connection to the same file.
func OpenWorkers(ctx context.Context, st store.Store, log *slog.Logger, opts *Options) (*Queue, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// River logs every applied migration at info: keep its warnings only.
	rlog := slog.New(warnOnly{log.Handler()})
	if opts != nil && opts.Logger != nil {
		rlog = opts.Logger
	}
	switch st.Dialect() {
	case store.Postgres:
		p, ok := st.(interface{ Pool() *pgxpool.Pool })
		if !ok {
			return nil, errors.New("queue: PostgreSQL store does not expose its pool")
		}
		// processes starting together would race on River's first
		// migration: one at a time, under an advisory lock
		conn, err := p.Pool().Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return nil, fmt.Errorf("queue: migration lock: %w", err)
		}
		c, err := newClient(ctx, riverpgxv5.New(p.Pool()), rlog, opts)
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock); uerr != nil && err == nil {
			err = fmt.Errorf("queue: migration unlock: %w", uerr)
		}
		if err != nil {
			return nil, err
		}
		return &Queue{dialect: store.Postgres, client: c, pgPool: p.Pool(), maxAtt: maxAttempts(opts)}, nil
	case store.SQLite:
		p, ok := st.(interface{ Path() string })
		if !ok {
			return nil, errors.New("queue: SQLite store does not expose its path")
		}
		db, err := OpenSQLite(p.Path())
		if err != nil {
			return nil, err
		}
		c, err := newClient(ctx, riversqlite.New(db), rlog, opts)
		if err != nil {
			db.Close()
			return nil, err
		}
		return &Queue{dialect: store.SQLite, client: c, liteDB: db, closeDB: true, maxAtt: maxAttempts(opts)}, nil
	}
	return nil, fmt.Errorf("queue: unsupported dialect %s", st.Dialect())
}

func maxAttempts(o *Options) int {
	if o == nil || o.MaxAttempts <= 0 {
		return river.MaxAttemptsDefault
	}
	return o.MaxAttempts
}

// OpenSQLite opens path for River: one connection (River's advice for
// SQLite), WAL, a busy timeout and immediate transactions.
func OpenSQLite(path string) (*sql.DB, error) {
	if path == ":memory:" {
		return nil, errors.New("queue: an in-memory SQLite database cannot be shared with the queue")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(int((30*time.Second).Milliseconds()))+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("queue: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// newClient applies River's migrations and returns the client.
func newClient[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], log *slog.Logger, o *Options) (*river.Client[TTx], error) {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("queue: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("queue: river migrations (%s): %w", drv.DatabaseName(), err)
	}
	cfg := &river.Config{Logger: log}
	if o != nil {
		cfg.Workers = o.Workers
		cfg.Queues = o.Queues
		cfg.PeriodicJobs = o.PeriodicJobs
		cfg.MaxAttempts = o.MaxAttempts
		cfg.JobTimeout = o.JobTimeout
		cfg.RescueStuckJobsAfter = o.RescueAfter
		cfg.FetchPollInterval = o.PollInterval
		if o.PollInterval > 0 && o.PollInterval < 100*time.Millisecond {
			cfg.FetchCooldown = o.PollInterval
		}
		cfg.RetryPolicy = o.RetryPolicy
		cfg.ErrorHandler = o.ErrorHandler
		cfg.ID = o.ID
	}
	c, err := river.NewClient(drv, cfg)
	if err != nil {
		return nil, fmt.Errorf("queue: river client: %w", err)
	}
	return c, nil
}

// Client returns the River client (Start, Stop, InsertMany, JobList...).
func (q *Queue) Client() Client { return q.client }

// Dialect is the database's dialect.
func (q *Queue) Dialect() store.Dialect { return q.dialect }

// Close releases the queue's own connection (not the store's).
func (q *Queue) Close() error {
	if q.closeDB && q.liteDB != nil {
		return q.liteDB.Close()
	}
	return nil
}

// QueueName is the River queue of a source's fetch tasks (one per source,
// so each is worked within the source's rate limit).
func QueueName(source string) string {
	if source == "" {
		return river.QueueDefault
	}
	return "fetch_" + source
}

// Params returns River insert parameters for jobs: fetch jobs in their
// source's queue, load jobs in the load queue, unique by task id in the
// active states, at most maxAttempts attempts.
func Params(jobs []Job, maxAttempts int) ([]river.InsertManyParams, error) {
	out := make([]river.InsertManyParams, 0, len(jobs))
	for i, j := range jobs {
		if j.Task.TaskID == "" {
			return nil, fmt.Errorf("queue: job %d has no task id", i)
		}
		opts := &river.InsertOpts{
			Priority:    min(max(j.Priority, 1), 4),
			Tags:        []string{j.Task.Gap},
			UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: UniqueStates},
			MaxAttempts: maxAttempts,
		}
		var args river.JobArgs
		switch j.Kind {
		case KindFetch, "":
			args = FetchArgs{j.Task}
			opts.Queue = QueueName(j.Task.Source)
		case KindLoad:
			args = LoadArgs{j.Task}
			opts.Queue = QueueLoad
		case KindImport:
			args = ImportArgs{j.Task}
			opts.Queue = ImportQueue
		default:
			return nil, fmt.Errorf("queue: job %d (%s): unknown kind %q", i, j.Task.TaskID, j.Kind)
		}
		out = append(out, river.InsertManyParams{Args: args, InsertOpts: opts})
	}
	return out, nil
}

// VerifyParams returns the insert parameters of a verify job per game,
// unique by game and After while one is waiting or running
// (InsertAfterRunning sets After).
func VerifyParams(games []VerifyArgs, maxAttempts int) []river.InsertManyParams {
	out := make([]river.InsertManyParams, 0, len(games))
	for _, g := range games {
		out = append(out, river.InsertManyParams{Args: g, InsertOpts: &river.InsertOpts{
			Queue: QueueVerify, Priority: 2, MaxAttempts: maxAttempts,
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: UniqueStates},
		}})
	}
	return out
}

// ReconcileParams returns the insert parameters of a reconcile job, unique
// by After while one is waiting or running (InsertAfterRunning sets After).
func ReconcileParams(a ReconcileArgs) river.InsertManyParams {
	return river.InsertManyParams{Args: a, InsertOpts: &river.InsertOpts{
		Queue: QueueReconcile, Priority: 1, MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: UniqueStates},
	}}
}

// InsertAfterRunning inserts reconcile and verify jobs so that each
// request is worked by a job that starts after it. River's unique states
// must include running, so a plain unique insert made while a job of the
// same identity runs is merged with it, and that job may have read the
// store before the change that asked for the new one: a schedule loaded
// while a reconciliation runs (or while River has not yet written that a
// finished one completed) would never be planned, and a game's second
// object loaded while its verify job runs would never be verified. So
// each job's After (a unique field) is set to the id of the newest job of
// the same identity (every reconcile job; the verify jobs of one game)
// running now: a request merges with a job still waiting, which starts
// after it, never with a running one (a running job's After is lower than
// its own id). Other kinds are inserted as they are.
func (q *Queue) InsertAfterRunning(ctx context.Context, ps []river.InsertManyParams) (Result, error) {
	var kinds []string
	for _, p := range ps {
		if k := p.Args.Kind(); (k == KindReconcile || k == KindVerify) && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) > 0 {
		running := map[string]int64{} // kind and game id: newest running job
		err := q.Each(ctx, []rivertype.JobState{rivertype.JobStateRunning}, kinds, func(j *rivertype.JobRow) error {
			var a VerifyArgs
			if j.Kind == KindVerify {
				if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
					return fmt.Errorf("queue: job %d: args: %w", j.ID, err)
				}
			}
			id := j.Kind + " " + a.GameID
			running[id] = max(running[id], j.ID)
			return nil
		})
		if err != nil {
			return Result{}, err
		}
		ps = slices.Clone(ps)
		for i, p := range ps {
			switch a := p.Args.(type) {
			case ReconcileArgs:
				a.After = running[KindReconcile+" "]
				ps[i].Args = a
			case VerifyArgs:
				a.After = running[KindVerify+" "+a.GameID]
				ps[i].Args = a
			}
		}
	}
	return q.Insert(ctx, ps)
}

// Insert inserts jobs (River's InsertMany: one transaction) and counts the
// new ones and the ones merged with a job already waiting.
func (q *Queue) Insert(ctx context.Context, ps []river.InsertManyParams) (Result, error) {
	if len(ps) == 0 {
		return Result{}, nil
	}
	res, err := q.client.InsertMany(ctx, ps)
	if err != nil {
		return Result{}, fmt.Errorf("queue: insert %d jobs: %w", len(ps), err)
	}
	var r Result
	for _, x := range res {
		if x.UniqueSkippedAsDuplicate {
			r.Merged++
		} else {
			r.Inserted++
		}
	}
	return r, nil
}

// Enqueue inserts jobs in one transaction. A job whose task id is already
// waiting (or running) is merged: left as it is and counted in Merged.
func (q *Queue) Enqueue(ctx context.Context, jobs []Job) (Result, error) {
	if len(jobs) == 0 {
		return Result{}, nil
	}
	ps, err := Params(jobs, q.maxAtt)
	if err != nil {
		return Result{}, err
	}
	queued, err := q.taskIDs(ctx, UniqueStates, KindFetch, KindLoad, KindImport)
	if err != nil {
		return Result{}, err
	}
	ps, skipped := withoutQueued(ps, queued)
	r, err := q.Insert(ctx, ps)
	r.Merged += skipped
	return r, err
}

// Each calls fn for every job of the kinds in the states (any when empty),
// oldest first, through River's paged JobList.
func (q *Queue) Each(ctx context.Context, states []rivertype.JobState, kinds []string, fn func(*rivertype.JobRow) error) error {
	p := river.NewJobListParams().First(10000).OrderBy(river.JobListOrderByID, river.SortOrderAsc)
	if len(states) == 0 {
		states = AllStates
	}
	p = p.States(states...)
	if len(kinds) > 0 {
		p = p.Kinds(kinds...)
	}
	for {
		res, err := q.client.JobList(ctx, p)
		if err != nil {
			return fmt.Errorf("queue: list jobs: %w", err)
		}
		for _, j := range res.Jobs {
			if err := fn(j); err != nil {
				return err
			}
		}
		if len(res.Jobs) < 10000 {
			return nil
		}
		p = p.After(res.LastCursor)
	}
}

// AllStates are every River job state.
var AllStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted, rivertype.JobStateDiscarded,
	rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// taskIDs counts the jobs per task id of the kinds in the states.
func (q *Queue) taskIDs(ctx context.Context, states []rivertype.JobState, kinds ...string) (map[string]int, error) {
	out := map[string]int{}
	err := q.Each(ctx, states, kinds, func(j *rivertype.JobRow) error {
		var t struct {
			TaskID string `json:"task_id"`
		}
		if err := json.Unmarshal(j.EncodedArgs, &t); err != nil {
			return fmt.Errorf("queue: job %d: args: %w", j.ID, err)
		}
		out[t.TaskID]++
		return nil
	})
	return out, err
}

// withoutQueued drops the jobs whose task id is already queued (River's
// unique insert would skip them too, one row at a time on SQLite; asking
// once is much faster on reruns) and returns how many it dropped.
func withoutQueued(ps []river.InsertManyParams, queued map[string]int) ([]river.InsertManyParams, int) {
	if len(queued) == 0 {
		return ps, 0
	}
	out := ps[:0:0]
	for _, p := range ps {
		var id string
		switch a := p.Args.(type) {
		case FetchArgs:
			id = a.TaskID
		case LoadArgs:
			id = a.TaskID
		case ImportArgs:
			id = a.TaskID
		}
		if queued[id] == 0 {
			out = append(out, p)
		}
	}
	return out, len(ps) - len(out)
}

// TaskIDs returns the task ids of the fetch, load and import jobs in the
// table, with how many jobs carry each (for idempotence checks and reports).
func (q *Queue) TaskIDs(ctx context.Context) (map[string]int, error) {
	return q.taskIDs(ctx, nil, KindFetch, KindLoad, KindImport)
}

// Count is the number of jobs of one kind, queue and state.
type Count struct {
	Kind  string `json:"kind"`
	Queue string `json:"queue"`
	State string `json:"state"`
	Jobs  int    `json:"jobs"`
}

// Stats returns the number of jobs per kind, queue and state. River has no
// aggregate API: this is the one query on river_job nbasim writes itself.
func (q *Queue) Stats(ctx context.Context) ([]Count, error) {
	const query = `SELECT kind, queue, state, count(*) FROM river_job GROUP BY kind, queue, state ORDER BY kind, queue, state`
	out := []Count{} // an empty queue lists no job: [] in JSON, not null
	scan := func(next func() bool, sc func(...any) error, errf func() error) error {
		for next() {
			var c Count
			if err := sc(&c.Kind, &c.Queue, &c.State, &c.Jobs); err != nil {
				return err
			}
			out = append(out, c)
		}
		return errf()
	}
	switch q.dialect {
	case store.Postgres:
		rows, err := q.pgPool.Query(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("queue: counts: %w", err)
		}
		defer rows.Close()
		if err := scan(rows.Next, rows.Scan, rows.Err); err != nil {
			return nil, fmt.Errorf("queue: counts: %w", err)
		}
	default:
		rows, err := q.liteDB.QueryContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("queue: counts: %w", err)
		}
		defer rows.Close()
		if err := scan(rows.Next, rows.Scan, rows.Err); err != nil {
			return nil, fmt.Errorf("queue: counts: %w", err)
		}
	}
	return out, nil
}

// Counts returns the number of jobs per kind and state ("fetch/available").
func (q *Queue) Counts(ctx context.Context) (map[string]int, error) {
	cs, err := q.Stats(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, c := range cs {
		out[c.Kind+"/"+c.State] += c.Jobs
	}
	return out, nil
}

// Active returns the number of jobs of the kinds (every nbasim kind when
// empty) that are not finished: available, pending, running, retryable or
// scheduled.
func (q *Queue) Active(ctx context.Context, kinds ...string) (int, error) {
	if len(kinds) == 0 {
		kinds = Kinds
	}
	cs, err := q.Stats(ctx)
	if err != nil {
		return 0, err
	}
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	act := map[string]bool{}
	for _, s := range ActiveStates {
		act[string(s)] = true
	}
	n := 0
	for _, c := range cs {
		if want[c.Kind] && act[c.State] {
			n += c.Jobs
		}
	}
	return n, nil
}

// Oldest returns the oldest job waiting to run (available, retryable or
// scheduled), or nil.
func (q *Queue) Oldest(ctx context.Context) (*rivertype.JobRow, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateAvailable, rivertype.JobStateRetryable, rivertype.JobStateScheduled).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(1))
	if err != nil {
		return nil, fmt.Errorf("queue: oldest job: %w", err)
	}
	if len(res.Jobs) == 0 {
		return nil, nil
	}
	return res.Jobs[0], nil
}

// Recent returns the last n jobs in state (newest first).
func (q *Queue) Recent(ctx context.Context, state rivertype.JobState, n int) ([]*rivertype.JobRow, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().States(state).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(n))
	if err != nil {
		return nil, fmt.Errorf("queue: %s jobs: %w", state, err)
	}
	return res.Jobs, nil
}

// warnOnly passes records at warn level and above.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}
func (h warnOnly) WithAttrs(as []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(as)} }
func (h warnOnly) WithGroup(n string) slog.Handler       { return warnOnly{h.Handler.WithGroup(n)} }
