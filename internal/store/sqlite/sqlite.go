// Package sqlite is the embedded store engine: modernc.org/sqlite (pure Go,
// no cgo) in WAL mode. Writes go through one connection, so concurrent
// writers in the process queue instead of failing with SQLITE_BUSY (and
// other processes wait up to the busy timeout); reads use a separate pool
// and never block on the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/nbasim/nbasim/internal/store"
)

// Options tune the engine. Zero values take the defaults.
type Options struct {
	BusyTimeout time.Duration // default 5s
	ReadConns   int           // reader pool size, default max(4, GOMAXPROCS)
	// BatchRows is the number of rows per transaction of an Upsert or
	// Insert outside InTx (default 5,000).
	BatchRows int
	// ReadOnly opens an existing database for reading only: one pool of
	// ReadConns connections (default 1) with query_only set, no writer
	// connection, nothing created. A cold process that reads one game
	// (`nbasim box`) then opens one connection (SQLite parses the schema
	// once per connection) instead of two. Writes fail.
	ReadOnly bool
}

// Store is a SQLite database file.
type Store struct {
	path      string
	w         *sql.DB // the single writer connection
	r         *sql.DB // readers
	batchRows int
}

var _ store.Store = (*Store)(nil)

// Open opens (creating it and its directory if needed) the database at path.
// It does not migrate; call Migrate (storeopen.Open does).
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.BatchRows <= 0 {
		opt.BatchRows = 5000
	}
	if opt.ReadOnly {
		return openReadOnly(ctx, path, opt)
	}
	if opt.ReadConns <= 0 {
		opt.ReadConns = max(4, runtime.GOMAXPROCS(0))
	}
	memory := path == ":memory:"
	if !memory {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("sqlite: create directory for %s: %w", path, err)
			}
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if !memory {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	q.Set("_txlock", "immediate")
	dsn := path + "?" + q.Encode()

	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{path: path, w: w, r: w, batchRows: opt.BatchRows}
	if !memory {
		r, err := sql.Open("sqlite", dsn)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		r.SetMaxOpenConns(opt.ReadConns)
		r.SetMaxIdleConns(opt.ReadConns)
		s.r = r
	}
	return s, nil
}

// openReadOnly is Open with Options.ReadOnly.
func openReadOnly(ctx context.Context, path string, opt Options) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s read-only: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(1, opt.ReadConns)
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s read-only: %w", path, err)
	}
	return &Store{path: path, w: db, r: db, batchRows: opt.BatchRows}, nil
}

// Path returns the database file path.
func (s *Store) Path() string { return s.path }

// Dialect implements store.Store.
func (s *Store) Dialect() store.Dialect { return store.SQLite }

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite %s: %w", s.path, err)
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	var errs []error
	if s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// Migrate implements store.Store.
func (s *Store) Migrate(ctx context.Context) (int, error) { return store.ApplyMigrations(ctx, s) }

// Version implements store.Store.
func (s *Store) Version(ctx context.Context) (int, error) {
	return store.AppliedVersion(ctx, s, store.SQLite)
}

// Status implements store.Store.
func (s *Store) Status(ctx context.Context) (store.Status, error) {
	loc := s.path
	if abs, err := filepath.Abs(s.path); err == nil && s.path != ":memory:" {
		loc = abs
	}
	return store.BuildStatus(ctx, s, loc)
}

// Exec implements store.Querier (on the writer connection).
func (s *Store) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return execOn(ctx, s.w, query, args)
}

// Query implements store.Querier (on the reader pool: use InTx to read
// your own uncommitted writes or for statements that write).
func (s *Store) Query(ctx context.Context, query string, args ...any) (store.Rows, error) {
	return queryOn(ctx, s.r, query, args)
}

// QueryRow implements store.Querier (on the reader pool).
func (s *Store) QueryRow(ctx context.Context, query string, args ...any) store.Row {
	return row{s.r.QueryRowContext(ctx, query, store.NormalizeArgs(args)...)}
}

// Upsert implements store.Querier: batches of BatchRows rows, each in its
// own transaction.
func (s *Store) Upsert(ctx context.Context, b store.Batch) (int64, error) {
	return s.chunked(ctx, b)
}

// Insert implements store.Querier, atomically (one transaction).
func (s *Store) Insert(ctx context.Context, b store.Batch) (int64, error) {
	var n int64
	err := s.InTx(ctx, func(tx store.Tx) error {
		var err error
		n, err = tx.Insert(ctx, b)
		return err
	})
	return n, err
}

// chunked upserts b in transactions of batchRows rows.
func (s *Store) chunked(ctx context.Context, b store.Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	rows := store.Dedupe(b)
	var total int64
	for start := 0; start < len(rows); start += s.batchRows {
		end := min(start+s.batchRows, len(rows))
		part := b
		part.Rows = rows[start:end]
		err := s.InTx(ctx, func(t store.Tx) error {
			n, err := t.(*tx).write(ctx, part, true)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// InTx implements store.Store. The transaction is BEGIN IMMEDIATE on the
// writer connection: it waits for other writers, then cannot fail with
// SQLITE_BUSY on its first write.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) (err error) {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = t.Rollback()
			panic(p)
		}
	}()
	if err := fn(&tx{t: t}); err != nil {
		if rbErr := t.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("sqlite: rollback: %w", rbErr))
		}
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

type sqlDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func execOn(ctx context.Context, db sqlDB, query string, args []any) (int64, error) {
	res, err := db.ExecContext(ctx, query, store.NormalizeArgs(args)...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, nil
	}
	return n, nil
}

func queryOn(ctx context.Context, db sqlDB, query string, args []any) (store.Rows, error) {
	r, err := db.QueryContext(ctx, query, store.NormalizeArgs(args)...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

type row struct{ r *sql.Row }

func (r row) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w", store.ErrNoRows)
	}
	return err
}

// tx is a transaction on the writer connection.
type tx struct{ t *sql.Tx }

func (t *tx) Dialect() store.Dialect { return store.SQLite }

func (t *tx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return execOn(ctx, t.t, query, args)
}

func (t *tx) Query(ctx context.Context, query string, args ...any) (store.Rows, error) {
	return queryOn(ctx, t.t, query, args)
}

func (t *tx) QueryRow(ctx context.Context, query string, args ...any) store.Row {
	return row{t.t.QueryRowContext(ctx, query, store.NormalizeArgs(args)...)}
}

func (t *tx) Upsert(ctx context.Context, b store.Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	b.Rows = store.Dedupe(b)
	return t.write(ctx, b, true)
}

func (t *tx) Insert(ctx context.Context, b store.Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	return t.write(ctx, b, false)
}

// maxVars is SQLite's default SQLITE_MAX_VARIABLE_NUMBER (32766) with room.
const maxVars = 32000

// write runs prepared multi-row INSERT statements (up to 256 rows each).
func (t *tx) write(ctx context.Context, b store.Batch, upsert bool) (int64, error) {
	if len(b.Rows) == 0 {
		return 0, nil
	}
	ncol := len(b.Columns)
	per := max(1, min(256, maxVars/ncol))
	head := "INSERT INTO " + store.QuoteIdent(b.Table) + " (" + store.ColumnList(b.Columns) + ") VALUES "
	tail := ""
	if upsert {
		tail = store.ConflictClause(b)
	}
	args := make([]any, 0, per*ncol)
	var stmt *sql.Stmt
	stmtRows := 0
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	var total int64
	for start := 0; start < len(b.Rows); start += per {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		end := min(start+per, len(b.Rows))
		n := end - start
		if stmt == nil || stmtRows != n {
			if stmt != nil {
				stmt.Close()
			}
			var err error
			stmt, err = t.t.PrepareContext(ctx, head+store.AnonValuesList(n, ncol)+tail)
			if err != nil {
				return total, fmt.Errorf("sqlite: prepare insert into %s: %w", b.Table, err)
			}
			stmtRows = n
		}
		args = args[:0]
		for _, r := range b.Rows[start:end] {
			for _, v := range r {
				args = append(args, store.NormalizeValue(v))
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return total, fmt.Errorf("sqlite: write %s rows %d-%d: %w", b.Table, start, end-1, err)
		}
		total += int64(n)
	}
	return total, nil
}
