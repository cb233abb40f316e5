// Package queue is nbasim's task queue: River (github.com/riverqueue/river)
// on the store's database, riverpgxv5 on PostgreSQL and riversqlite on
// SQLite. Reconciliation inserts tasks here; the worker loop consumes them.
//
// Every task carries a stable id (a hash of source, dataset, key and gap
// kind) marked as River's unique field, so a rerun of reconciliation merges
// with the tasks still waiting instead of duplicating them. A task already
// completed does not block a new one with the same id (the gap came back).
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
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
	KindFetch = "fetch" // fetch (or refetch) lake keys from a source
	KindLoad  = "load"  // load lake objects into the store
	// KindImport copies objects present in a legacy (nba_simulator) bucket
	// into nbasim's lake: Task.Keys are the legacy keys, Task.From the
	// bucket. Import jobs go to their own queue, ImportQueue: they cost no
	// source requests.
	KindImport = "import"
)

// ImportQueue is the queue of import jobs.
const ImportQueue = "import"

// Task is the payload of a job. TaskID is River's unique field.
type Task struct {
	TaskID     string   `json:"task_id" river:"unique"`
	Gap        string   `json:"gap"` // missing, stale, invalid, schedule_missing, unknown_keys
	Priority   string   `json:"priority"`
	Source     string   `json:"source"`
	Dataset    string   `json:"dataset"`
	Season     string   `json:"season"`
	Keys       []string `json:"keys,omitempty"`
	Count      int      `json:"count"`
	EstSeconds float64  `json:"estimated_seconds"`
	Reason     string   `json:"reason"`
	RunID      string   `json:"run_id"`         // reconciliation run that planned it
	From       string   `json:"from,omitempty"` // import: the legacy bucket (URL, credentials redacted)
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

// Result says what Enqueue did.
type Result struct {
	Inserted int // new jobs
	Merged   int // already queued (same task id): left as they are
}

// Queue inserts jobs into River's job table.
type Queue struct {
	dialect store.Dialect
	pg      *river.Client[pgx.Tx]
	pgPool  *pgxpool.Pool
	lite    *river.Client[*sql.Tx]
	liteDB  *sql.DB
	closeDB bool
}

// Open returns the queue on st's database, applying River's migrations
// (rivermigrate) on first use. On PostgreSQL it uses the store's pool; on
// SQLite it opens its own single connection to the same file.
func Open(ctx context.Context, st store.Store, log *slog.Logger) (*Queue, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// River logs every applied migration at info: keep its warnings only.
	log = slog.New(warnOnly{log.Handler()})
	switch st.Dialect() {
	case store.Postgres:
		p, ok := st.(interface{ Pool() *pgxpool.Pool })
		if !ok {
			return nil, errors.New("queue: PostgreSQL store does not expose its pool")
		}
		return openPG(ctx, p.Pool(), log)
	case store.SQLite:
		p, ok := st.(interface{ Path() string })
		if !ok {
			return nil, errors.New("queue: SQLite store does not expose its path")
		}
		db, err := OpenSQLite(p.Path())
		if err != nil {
			return nil, err
		}
		q, err := openSQLite(ctx, db, log)
		if err != nil {
			db.Close()
			return nil, err
		}
		q.closeDB = true
		return q, nil
	}
	return nil, fmt.Errorf("queue: unsupported dialect %s", st.Dialect())
}

// OpenSQLite opens path for River: one connection (River's advice for
// SQLite), WAL, a busy timeout and immediate transactions.
func OpenSQLite(path string) (*sql.DB, error) {
	if path == ":memory:" {
		return nil, errors.New("queue: an in-memory SQLite database cannot be shared with the queue")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(int((10*time.Second).Milliseconds()))+")")
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

func openPG(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (*Queue, error) {
	c, err := migratedClient(ctx, riverpgxv5.New(pool), log)
	if err != nil {
		return nil, err
	}
	return &Queue{dialect: store.Postgres, pg: c, pgPool: pool}, nil
}

func openSQLite(ctx context.Context, db *sql.DB, log *slog.Logger) (*Queue, error) {
	c, err := migratedClient(ctx, riversqlite.New(db), log)
	if err != nil {
		return nil, err
	}
	return &Queue{dialect: store.SQLite, lite: c, liteDB: db}, nil
}

// migratedClient applies River's migrations and returns an insert-only client.
func migratedClient[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], log *slog.Logger) (*river.Client[TTx], error) {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("queue: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("queue: river migrations (%s): %w", drv.DatabaseName(), err)
	}
	c, err := river.NewClient(drv, &river.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("queue: river client: %w", err)
	}
	return c, nil
}

// Close releases the queue's own connection (not the store's).
func (q *Queue) Close() error {
	if q.closeDB && q.liteDB != nil {
		return q.liteDB.Close()
	}
	return nil
}

func params(jobs []Job) ([]river.InsertManyParams, error) {
	out := make([]river.InsertManyParams, 0, len(jobs))
	for i, j := range jobs {
		if j.Task.TaskID == "" {
			return nil, fmt.Errorf("queue: job %d has no task id", i)
		}
		opts := &river.InsertOpts{
			Queue:      QueueName(j.Task.Source),
			Priority:   min(max(j.Priority, 1), 4),
			Tags:       []string{j.Task.Gap},
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: UniqueStates},
		}
		var args river.JobArgs
		switch j.Kind {
		case KindFetch, "":
			args = FetchArgs{j.Task}
		case KindLoad:
			args = LoadArgs{j.Task}
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

// QueueName is the River queue of a source's tasks (one per source, so the
// worker loop can run each within the source's rate limit).
func QueueName(source string) string {
	if source == "" {
		return river.QueueDefault
	}
	return "fetch_" + source
}

// Enqueue inserts jobs in one transaction. A job whose task id is already
// waiting (or running) is merged: left as it is and counted in Merged.
func (q *Queue) Enqueue(ctx context.Context, jobs []Job) (Result, error) {
	if len(jobs) == 0 {
		return Result{}, nil
	}
	ps, err := params(jobs)
	if err != nil {
		return Result{}, err
	}
	var res []*rivertype.JobInsertResult
	skipped := 0
	switch q.dialect {
	case store.Postgres:
		tx, err := q.pgPool.Begin(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("queue: begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
		rows, err := tx.Query(ctx, `SELECT args->>'task_id' FROM river_job WHERE state = ANY($1) AND kind = ANY($2)`, uniqueStateNames(), []string{KindFetch, KindLoad, KindImport})
		if err != nil {
			return Result{}, fmt.Errorf("queue: queued task ids: %w", err)
		}
		queued, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return Result{}, fmt.Errorf("queue: queued task ids: %w", err)
		}
		ps, skipped = withoutQueued(ps, queued)
		if len(ps) == 0 {
			return Result{Merged: skipped}, tx.Commit(ctx)
		}
		if res, err = q.pg.InsertManyTx(ctx, tx, ps); err != nil {
			return Result{}, fmt.Errorf("queue: insert %d jobs: %w", len(ps), err)
		}
		if err := tx.Commit(ctx); err != nil {
			return Result{}, fmt.Errorf("queue: commit: %w", err)
		}
	default:
		tx, err := q.liteDB.BeginTx(ctx, nil)
		if err != nil {
			return Result{}, fmt.Errorf("queue: begin: %w", err)
		}
		defer tx.Rollback() //nolint:errcheck // no-op after commit
		rows, err := tx.QueryContext(ctx, `SELECT json_extract(args, '$.task_id') FROM river_job WHERE state IN ('available','pending','running','retryable','scheduled') AND kind IN ('fetch','load','import')`)
		if err != nil {
			return Result{}, fmt.Errorf("queue: queued task ids: %w", err)
		}
		var queued []string
		for rows.Next() {
			var id sql.NullString
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return Result{}, fmt.Errorf("queue: queued task ids: %w", err)
			}
			queued = append(queued, id.String)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return Result{}, fmt.Errorf("queue: queued task ids: %w", err)
		}
		ps, skipped = withoutQueued(ps, queued)
		if len(ps) == 0 {
			return Result{Merged: skipped}, tx.Commit()
		}
		if res, err = q.lite.InsertManyTx(ctx, tx, ps); err != nil {
			return Result{}, fmt.Errorf("queue: insert %d jobs: %w", len(ps), err)
		}
		if err := tx.Commit(); err != nil {
			return Result{}, fmt.Errorf("queue: commit: %w", err)
		}
	}
	r := Result{Merged: skipped}
	for _, x := range res {
		if x.UniqueSkippedAsDuplicate {
			r.Merged++
		} else {
			r.Inserted++
		}
	}
	return r, nil
}

func uniqueStateNames() []string {
	out := make([]string, len(UniqueStates))
	for i, s := range UniqueStates {
		out[i] = string(s)
	}
	return out
}

// withoutQueued drops the jobs whose task id is already queued (River's
// unique insert would skip them too, one row at a time on SQLite; asking
// once is much faster on reruns) and returns how many it dropped.
func withoutQueued(ps []river.InsertManyParams, queued []string) ([]river.InsertManyParams, int) {
	if len(queued) == 0 {
		return ps, 0
	}
	have := make(map[string]bool, len(queued))
	for _, id := range queued {
		have[id] = true
	}
	out := ps[:0:0]
	for _, p := range ps {
		var id string
		switch a := p.Args.(type) {
		case FetchArgs:
			id = a.TaskID
		case LoadArgs:
			id = a.TaskID
		}
		if !have[id] {
			out = append(out, p)
		}
	}
	return out, len(ps) - len(out)
}

// Counts returns the number of jobs per state and kind ("fetch/available").
func (q *Queue) Counts(ctx context.Context) (map[string]int, error) {
	const query = `SELECT kind, state, count(*) FROM river_job GROUP BY kind, state`
	out := map[string]int{}
	add := func(kind, state string, n int) { out[kind+"/"+state] = n }
	switch q.dialect {
	case store.Postgres:
		rows, err := q.pgPool.Query(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("queue: counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k, s string
			var n int
			if err := rows.Scan(&k, &s, &n); err != nil {
				return nil, err
			}
			add(k, s, n)
		}
		return out, rows.Err()
	default:
		rows, err := q.liteDB.QueryContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("queue: counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k, s string
			var n int
			if err := rows.Scan(&k, &s, &n); err != nil {
				return nil, err
			}
			add(k, s, n)
		}
		return out, rows.Err()
	}
}

// TaskIDs returns the task ids of the jobs in the table, with how many
// jobs carry each (for idempotence checks and reports).
func (q *Queue) TaskIDs(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	switch q.dialect {
	case store.Postgres:
		rows, err := q.pgPool.Query(ctx, `SELECT args->>'task_id' FROM river_job`)
		if err != nil {
			return nil, fmt.Errorf("queue: task ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out[id]++
		}
		return out, rows.Err()
	default:
		rows, err := q.liteDB.QueryContext(ctx, `SELECT json_extract(args, '$.task_id') FROM river_job`)
		if err != nil {
			return nil, fmt.Errorf("queue: task ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out[id]++
		}
		return out, rows.Err()
	}
}

// warnOnly passes records at warn level and above.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}
func (h warnOnly) WithAttrs(as []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(as)} }
func (h warnOnly) WithGroup(n string) slog.Handler       { return warnOnly{h.Handler.WithGroup(n)} }
