package readonly

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/postgres"
)

// OpenPostgres opens a read-only pool on the PostgreSQL database at url.
// Its sessions start with default_transaction_read_only=on and
// statement_timeout set (startup parameters, verified on every new
// connection), and every statement goes through the extended protocol.
func OpenPostgres(ctx context.Context, url string, opts Options) (*DB, error) {
	opts = opts.withDefaults()
	redacted := postgres.Redact(url)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("readonly: bad PostgreSQL URL %s: %w", redacted, err)
	}
	cfg.MaxConns = int32(opts.MaxConns)
	cfg.MinConns = 0
	cc := cfg.ConnConfig
	// Extended protocol for every statement, never the simple protocol.
	// CacheDescribe: the first run of a statement text on a session asks
	// PostgreSQL to describe it (Parse/Describe), later runs send Parse,
	// Bind, Describe and Execute of the unnamed statement in one round
	// trip. No named prepared statements: nothing a user's DEALLOCATE or
	// PREPARE could confuse.
	cc.DefaultQueryExecMode = execMode
	cc.StatementCacheCapacity = 0
	cc.DescriptionCacheCapacity = 256
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	ms := strconv.FormatInt(opts.Timeout.Milliseconds(), 10)
	cc.RuntimeParams["default_transaction_read_only"] = "on"
	cc.RuntimeParams["statement_timeout"] = ms
	cc.RuntimeParams["lock_timeout"] = ms
	cc.RuntimeParams["idle_in_transaction_session_timeout"] = strconv.FormatInt(opts.Timeout.Milliseconds()+5000, 10)
	if cc.RuntimeParams["application_name"] == "" {
		cc.RuntimeParams["application_name"] = "nbasim-readonly"
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		var ro string
		if err := c.QueryRow(ctx, "SHOW default_transaction_read_only").Scan(&ro); err != nil {
			return fmt.Errorf("readonly: check default_transaction_read_only: %w", err)
		}
		if ro != "on" {
			return fmt.Errorf("readonly: default_transaction_read_only is %q on a new session, want on (a role or database setting overrides it?)", ro)
		}
		return nil
	}
	// A connection that is not idle and out of a transaction is never
	// reused.
	cfg.AfterRelease = func(c *pgx.Conn) bool {
		return !c.IsClosed() && c.PgConn().TxStatus() == 'I'
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("readonly: PostgreSQL %s: %w", redacted, err)
	}
	db := &DB{opts: opts, pg: pool, info: Info{Dialect: store.Postgres, Location: redacted}}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var serverAccess bool
	if err := pool.QueryRow(cctx, `SELECT current_user::text, r.rolsuper,
  pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER')
  OR pg_has_role(current_user, 'pg_read_server_files', 'MEMBER')
  OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER')
FROM pg_roles r WHERE r.rolname = current_user`).
		Scan(&db.info.Role, &db.info.Superuser, &serverAccess); err != nil {
		pool.Close()
		return nil, fmt.Errorf("readonly: PostgreSQL %s: %w", redacted, err)
	}
	db.info.ServerAccess = db.info.Superuser || serverAccess
	if db.info.ServerAccess && !opts.AllowPrivileged {
		pool.Close()
		return nil, fmt.Errorf("readonly: PostgreSQL role %q is a superuser or may read server files or run server programs "+
			"(COPY ... TO PROGRAM and pg_read_file work even in a read-only transaction); connect the read-only pool as a "+
			"SELECT-only role (see docs/mcp.md: CREATE ROLE nbasim_reader ...) or allow it explicitly (--allow-privileged-role)", db.info.Role)
	}
	return db, nil
}

const beginReadOnly = "BEGIN TRANSACTION READ ONLY; SELECT 1"

// execMode runs user statements through the extended protocol.
const execMode = pgx.QueryExecModeCacheDescribe

func (db *DB) queryPostgres(ctx context.Context, query string, l Limits, args []any) (*Result, error) {
	conn, err := db.pg.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("readonly: acquire connection: %w", err)
	}
	defer conn.Release()
	// BEGIN READ ONLY, then a query so that the transaction has its
	// snapshot: from then on PostgreSQL refuses SET TRANSACTION READ WRITE
	// ("must be set before any query"). Our own SQL, one round trip.
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, BeginQuery: beginReadOnly})
	if err != nil {
		return nil, fmt.Errorf("readonly: begin read-only transaction: %w", err)
	}
	// Always roll back: whatever the statement changed in the session
	// (settings, role) is undone with the transaction.
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tx.Rollback(rctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) && !conn.Conn().IsClosed() {
			conn.Conn().PgConn().Close(rctx) // never reuse a session in an unknown state
		}
	}()
	qargs := append([]any{execMode}, args...)
	rows, err := tx.Query(ctx, query, qargs...)
	if err != nil {
		return nil, err
	}
	tm := conn.Conn().TypeMap()
	res := &Result{}
	for _, fd := range rows.FieldDescriptions() {
		typ := strconv.FormatUint(uint64(fd.DataTypeOID), 10)
		if t, ok := tm.TypeForOID(fd.DataTypeOID); ok {
			typ = t.Name
		}
		res.Columns = append(res.Columns, Column{Name: fd.Name, Type: typ})
	}
	c := collector{l: l, res: res}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			rows.Close()
			return nil, err
		}
		more, err := c.add(vals)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if !more {
			// Stop the server instead of draining a large result: close
			// the socket; the pool discards the connection.
			_ = conn.Conn().PgConn().Conn().Close()
			rows.Close()
			return res, nil
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return res, nil
}
