// Package postgres is the PostgreSQL store engine on pgx/v5 with a pool.
// Bulk writes use COPY: Insert copies straight into the table, Upsert copies
// into a temporary table and merges it with INSERT ... SELECT ... ON
// CONFLICT in the same transaction.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nbasim/nbasim/internal/retry"
	"github.com/nbasim/nbasim/internal/store"
)

// Options tune the engine. Zero values take the defaults.
type Options struct {
	MinConns       int32         // default 2; negative for none (connections only on demand)
	MaxConns       int32         // default 10
	ConnectRetries int           // connection attempts, default 3
	ConnectTimeout time.Duration // overall budget for all attempts, default 5s
	RetryBase      time.Duration // first backoff, default 200ms (doubling, capped at 2s)
}

// Store is a PostgreSQL database (the schema is the connection's
// current_schema(), so a search_path URL parameter isolates a store).
type Store struct {
	pool     *pgxpool.Pool
	location string // redacted URL
	password string
}

var _ store.Store = (*Store)(nil)

// Redact returns rawURL with its password replaced by "xxxxx".
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Open connects to the database at rawURL (postgres://...), retrying with
// exponential backoff until opt.ConnectRetries attempts or
// opt.ConnectTimeout have passed; the error names host:port. It does not
// migrate; call Migrate (storeopen.Open does).
func Open(ctx context.Context, rawURL string, opt Options) (*Store, error) {
	switch {
	case opt.MinConns == 0:
		opt.MinConns = 2
	case opt.MinConns < 0:
		opt.MinConns = 0
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 10
	}
	opt.MinConns = min(opt.MinConns, opt.MaxConns)
	if opt.ConnectRetries <= 0 {
		opt.ConnectRetries = 3
	}
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = 5 * time.Second
	}
	if opt.RetryBase <= 0 {
		opt.RetryBase = 200 * time.Millisecond
	}
	redacted := Redact(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: bad database URL %s: %s", redacted, scrub(err.Error(), passwordOf(rawURL)))
	}
	s := &Store{location: redacted, password: cfg.ConnConfig.Password}
	addr := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
	cfg.MinConns = opt.MinConns
	cfg.MaxConns = opt.MaxConns
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > opt.ConnectTimeout {
		cfg.ConnConfig.ConnectTimeout = opt.ConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %s", addr, s.scrub(err))
	}
	cctx, cancel := context.WithTimeout(ctx, opt.ConnectTimeout)
	defer cancel()
	start := time.Now()
	attempts, lastErr := retry.Policy{Attempts: opt.ConnectRetries, Backoff: retry.Backoff{Base: opt.RetryBase, Max: 2 * time.Second}}.
		Do(cctx, func(ctx context.Context) error { return pool.Ping(ctx) })
	if lastErr == nil {
		s.pool = pool
		return s, nil
	}
	pool.Close()
	return nil, fmt.Errorf("postgres: cannot connect to %s (database %q, user %q): %d attempt(s) in %s failed: %s",
		addr, cfg.ConnConfig.Database, cfg.ConnConfig.User, attempts, time.Since(start).Round(time.Millisecond), s.scrub(lastErr))
}

func passwordOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

func scrub(msg, password string) string {
	if password == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, password, "xxxxx")
	if esc := url.QueryEscape(password); esc != password {
		msg = strings.ReplaceAll(msg, esc, "xxxxx")
	}
	return msg
}

func (s *Store) scrub(err error) string {
	if err == nil {
		return "<nil>"
	}
	return scrub(err.Error(), s.password)
}

// wrap redacts the password from err's text (keeping it inspectable with
// errors.Is/As when there is nothing to redact).
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w", store.ErrNoRows)
	}
	if s.password != "" && strings.Contains(err.Error(), s.password) {
		return redactedError{msg: s.scrub(err), err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// Pool exposes the pgx pool (for River and other pgx users).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Dialect implements store.Store.
func (s *Store) Dialect() store.Dialect { return store.Postgres }

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres %s: %w", s.location, s.wrap(err))
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Migrate implements store.Store.
func (s *Store) Migrate(ctx context.Context) (int, error) { return store.ApplyMigrations(ctx, s) }

// Version implements store.Store.
func (s *Store) Version(ctx context.Context) (int, error) {
	return store.AppliedVersion(ctx, s, store.Postgres)
}

// Status implements store.Store.
func (s *Store) Status(ctx context.Context) (store.Status, error) {
	return store.BuildStatus(ctx, s, s.location)
}

// InTx implements store.Store.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	t, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", s.wrap(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = t.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(&q{s: s, db: t, inTx: true}); err != nil {
		if rbErr := t.Rollback(context.WithoutCancel(ctx)); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			return errors.Join(err, fmt.Errorf("postgres: rollback: %w", s.wrap(rbErr)))
		}
		return err
	}
	if err := t.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", s.wrap(err))
	}
	return nil
}

func (s *Store) root() *q { return &q{s: s, db: s.pool} }

// Exec implements store.Querier.
func (s *Store) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return s.root().Exec(ctx, query, args...)
}

// Query implements store.Querier.
func (s *Store) Query(ctx context.Context, query string, args ...any) (store.Rows, error) {
	return s.root().Query(ctx, query, args...)
}

// QueryRow implements store.Querier.
func (s *Store) QueryRow(ctx context.Context, query string, args ...any) store.Row {
	return s.root().QueryRow(ctx, query, args...)
}

// Upsert implements store.Querier (atomic: one transaction).
func (s *Store) Upsert(ctx context.Context, b store.Batch) (int64, error) {
	return s.root().Upsert(ctx, b)
}

// Insert implements store.Querier (atomic: one COPY).
func (s *Store) Insert(ctx context.Context, b store.Batch) (int64, error) {
	return s.root().Insert(ctx, b)
}

// dbtx is what both the pool and a transaction offer.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
	Begin(ctx context.Context) (pgx.Tx, error)
}

// q runs statements on the pool or in a transaction.
type q struct {
	s    *Store
	db   dbtx
	inTx bool
}

func (q *q) Dialect() store.Dialect { return store.Postgres }

func (q *q) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.db.Exec(ctx, query, store.NormalizeArgs(args)...)
	if err != nil {
		return 0, q.s.wrap(err)
	}
	return tag.RowsAffected(), nil
}

func (q *q) Query(ctx context.Context, query string, args ...any) (store.Rows, error) {
	r, err := q.db.Query(ctx, query, store.NormalizeArgs(args)...)
	if err != nil {
		return nil, q.s.wrap(err)
	}
	return &rows{r: r, s: q.s}, nil
}

func (q *q) QueryRow(ctx context.Context, query string, args ...any) store.Row {
	return row{r: q.db.QueryRow(ctx, query, store.NormalizeArgs(args)...), s: q.s}
}

// smallBatch is the row count up to which Upsert uses one multi-row INSERT
// instead of COPY through a temporary table.
const smallBatch = 64

var tmpSeq atomic.Int64

// Upsert implements store.Querier.
func (q *q) Upsert(ctx context.Context, b store.Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	b.Rows = store.Dedupe(b)
	if len(b.Rows) == 0 {
		return 0, nil
	}
	if len(b.Rows) <= smallBatch && len(b.Rows)*len(b.Columns) <= 60000 {
		args := make([]any, 0, len(b.Rows)*len(b.Columns))
		for _, r := range b.Rows {
			for _, v := range r {
				args = append(args, store.NormalizeValue(v))
			}
		}
		query := "INSERT INTO " + store.QuoteIdent(b.Table) + " (" + store.ColumnList(b.Columns) + ") VALUES " +
			store.ValuesList(len(b.Rows), len(b.Columns)) + store.ConflictClause(b)
		if _, err := q.db.Exec(ctx, query, args...); err != nil {
			return 0, fmt.Errorf("postgres: upsert %s: %w", b.Table, q.s.wrap(err))
		}
		return int64(len(b.Rows)), nil
	}
	var n int64
	err := q.tx(ctx, func(t pgx.Tx) error {
		tmp := "nbasim_upsert_" + strconv.FormatInt(tmpSeq.Add(1), 10)
		if _, err := t.Exec(ctx, "CREATE TEMP TABLE "+tmp+" (LIKE "+store.QuoteIdent(b.Table)+" INCLUDING DEFAULTS) ON COMMIT DROP"); err != nil {
			return err
		}
		if _, err := t.CopyFrom(ctx, pgx.Identifier{tmp}, b.Columns, newSource(b.Rows)); err != nil {
			return err
		}
		cols := store.ColumnList(b.Columns)
		tag, err := t.Exec(ctx, "INSERT INTO "+store.QuoteIdent(b.Table)+" ("+cols+") SELECT "+cols+" FROM "+tmp+store.ConflictClause(b))
		if err != nil {
			return err
		}
		_ = tag
		n = int64(len(b.Rows))
		_, err = t.Exec(ctx, "DROP TABLE "+tmp)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: upsert %s: %w", b.Table, q.s.wrap(err))
	}
	return n, nil
}

// Insert implements store.Querier with one COPY into the table.
func (q *q) Insert(ctx context.Context, b store.Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	if len(b.Rows) == 0 {
		return 0, nil
	}
	n, err := q.db.CopyFrom(ctx, pgx.Identifier{b.Table}, b.Columns, newSource(b.Rows))
	if err != nil {
		return n, fmt.Errorf("postgres: insert into %s: %w", b.Table, q.s.wrap(err))
	}
	return n, nil
}

// tx runs fn in a transaction: a new one on the pool, or a savepoint-free
// reuse of the current one.
func (q *q) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	if q.inTx {
		return fn(q.db.(pgx.Tx))
	}
	t, err := q.db.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		_ = t.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return t.Commit(ctx)
}

// source feeds rows to COPY, normalizing values into a reused buffer.
type source struct {
	rows [][]any
	i    int
	buf  []any
}

func newSource(rows [][]any) *source { return &source{rows: rows, i: -1} }

func (s *source) Next() bool { s.i++; return s.i < len(s.rows) }

func (s *source) Values() ([]any, error) {
	r := s.rows[s.i]
	if cap(s.buf) < len(r) {
		s.buf = make([]any, len(r))
	}
	s.buf = s.buf[:len(r)]
	for j, v := range r {
		s.buf[j] = store.NormalizeValue(v)
	}
	return s.buf, nil
}

func (s *source) Err() error { return nil }

type rows struct {
	r pgx.Rows
	s *Store
}

func (r *rows) Next() bool { return r.r.Next() }

func (r *rows) Scan(dest ...any) error { return r.s.wrap(r.r.Scan(dest...)) }

func (r *rows) Columns() ([]string, error) {
	fds := r.r.FieldDescriptions()
	out := make([]string, len(fds))
	for i, f := range fds {
		out[i] = f.Name
	}
	return out, nil
}

func (r *rows) Err() error { return r.s.wrap(r.r.Err()) }

func (r *rows) Close() error {
	r.r.Close()
	return r.s.wrap(r.r.Err())
}

type row struct {
	r pgx.Row
	s *Store
}

func (r row) Scan(dest ...any) error { return r.s.wrap(r.r.Scan(dest...)) }
