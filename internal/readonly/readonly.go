// Package readonly gives untrusted callers (the MCP server's query tool)
// SQL access to nbasim's database that the DATABASE keeps read-only, not a
// parser:
//
//   - PostgreSQL: a separate pgx pool whose sessions start with
//     default_transaction_read_only=on and a statement_timeout (startup
//     parameters, checked in AfterConnect). Every user statement runs in an
//     explicit READ ONLY transaction that is always rolled back, so even a
//     statement that changes session settings (set_config(...,false),
//     SET SESSION CHARACTERISTICS ...) leaves nothing behind, and always
//     through the extended protocol (QueryExecModeDescribeExec: Parse,
//     Describe, Bind, Execute), which accepts exactly one statement: a
//     stacked "COMMIT; DROP TABLE games" fails in Parse with "cannot insert
//     multiple commands into a prepared statement". Connect it as a role
//     that has only SELECT grants (docs/mcp.md) so that server-side reads
//     such as pg_read_file are refused too.
//   - SQLite: a separate connection pool opened with mode=ro (the file is
//     opened read-only: every write fails with SQLITE_READONLY),
//     query_only=1, defensive mode, and an authorizer (modernc.org/sqlite's
//     AuthorizerRegisterer, installed on every physical connection) that
//     allows only SELECT, reads, functions other than a few file/extension
//     ones, and a short list of read-only PRAGMAs without a value. It denies
//     ATTACH/DETACH, every write, DDL, transactions and savepoints.
//
// Results are capped by rows and bytes and every query has a timeout.
// The statement checker (Check) is a second layer on top.
package readonly

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nbasim/nbasim/internal/store"
)

// Defaults and limits.
const (
	DefaultRowCap  = 100
	MaxRowCap      = 1000
	DefaultByteCap = 256 << 10 // JSON bytes of the rows of one result
	MaxByteCap     = 8 << 20
	DefaultTimeout = 30 * time.Second
)

// Options tune a read-only database. Zero values take the defaults.
type Options struct {
	RowCap   int           // rows per result when the caller does not ask (default 100, at most MaxRowCap)
	ByteCap  int           // JSON bytes of a result's rows (default 256 KiB)
	Timeout  time.Duration // per statement (default 30s)
	MaxConns int           // pool size (default 8)
	// AllowPrivileged lets OpenPostgres connect as a superuser or a role
	// that may read server files or run server programs. The read-only
	// transaction still stops every write, but COPY ... TO PROGRAM and
	// pg_read_file are reads to PostgreSQL. Off by default.
	AllowPrivileged bool
}

func (o Options) withDefaults() Options {
	if o.RowCap <= 0 {
		o.RowCap = DefaultRowCap
	}
	o.RowCap = min(o.RowCap, MaxRowCap)
	if o.ByteCap <= 0 {
		o.ByteCap = DefaultByteCap
	}
	o.ByteCap = min(o.ByteCap, MaxByteCap)
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 8
	}
	return o
}

// Column describes a result column.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Result is a capped query result: columns once, rows as arrays.
type Result struct {
	Columns []Column
	Rows    [][]any
	// Truncated is set when more rows existed than were returned;
	// TruncatedBy says which cap stopped the read ("row_cap" or "byte_cap").
	Truncated   bool
	TruncatedBy string
	Bytes       int // JSON bytes of Rows
}

// Info describes the connection, for the health tool and startup logs.
type Info struct {
	Dialect  store.Dialect `json:"dialect"`
	Location string        `json:"location"` // path, or URL with the password redacted
	Role     string        `json:"role,omitempty"`
	// Superuser is true when the PostgreSQL role is a superuser: the
	// read-only transaction still stops every write, but server-side reads
	// (pg_read_file, ...) are allowed. Use a SELECT-only role.
	Superuser bool `json:"superuser,omitempty"`
	// ServerAccess is true when the role may read server files or run
	// server programs (superuser, pg_read_server_files,
	// pg_execute_server_program, pg_write_server_files).
	ServerAccess bool `json:"server_access,omitempty"`
}

// DB is a read-only database handle.
type DB struct {
	opts  Options
	info  Info
	pg    *pgxpool.Pool
	sq    *sql.DB
	stmts stmtCache // SQLite: the server's own statements, prepared once
}

// Info describes the handle.
func (db *DB) Info() Info { return db.info }

// Dialect is the engine.
func (db *DB) Dialect() store.Dialect { return db.info.Dialect }

// Flavor is the statement checker flavor of the engine.
func (db *DB) Flavor() Flavor {
	if db.info.Dialect == store.SQLite {
		return FlavorSQLite
	}
	return FlavorPostgres
}

// Options returns the effective options.
func (db *DB) Options() Options { return db.opts }

// Close releases the pool.
func (db *DB) Close() error {
	if db.pg != nil {
		db.pg.Close()
	}
	if db.sq != nil {
		db.stmts.close()
		return db.sq.Close()
	}
	return nil
}

// Limits bound one query. Zero values take the DB's options.
type Limits struct {
	Rows    int
	Bytes   int
	Timeout time.Duration
	// raw keeps byte values as the driver returns them ([]byte) instead
	// of text or base64: the server's own typed reads (a game's play pack)
	// set it; a user's query cannot.
	raw bool
}

func (db *DB) limits(l Limits) Limits {
	if l.Rows <= 0 {
		l.Rows = db.opts.RowCap
	}
	l.Rows = min(l.Rows, MaxRowCap)
	if l.Bytes <= 0 || l.Bytes > db.opts.ByteCap {
		l.Bytes = db.opts.ByteCap
	}
	if l.Timeout <= 0 || l.Timeout > db.opts.Timeout {
		l.Timeout = db.opts.Timeout
	}
	return l
}

// Query runs one statement read-only and returns a capped result. It does
// NOT run the statement checker: the database alone keeps it read-only
// (the tests prove that with every bypass attempt). Callers facing
// untrusted input run Check first as a second layer.
func (db *DB) Query(ctx context.Context, query string, l Limits, args ...any) (*Result, error) {
	return db.query(ctx, query, db.limits(l), args)
}

// query runs query under l as given (trusted callers pass larger caps).
func (db *DB) query(ctx context.Context, query string, l Limits, args []any) (*Result, error) {
	if query == "" {
		return nil, errors.New("readonly: empty statement")
	}
	if l.Timeout <= 0 {
		l.Timeout = db.opts.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, l.Timeout)
	defer cancel()
	var (
		res *Result
		err error
	)
	if db.pg != nil {
		res, err = db.queryPostgres(ctx, query, l, args)
	} else {
		res, err = db.querySQLite(ctx, query, l, args)
	}
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("readonly: statement timed out after %s: %w", l.Timeout, err)
	}
	return res, err
}

// collector applies the row and byte caps.
type collector struct {
	l   Limits
	res *Result
}

// add appends row and reports whether reading should go on.
func (c *collector) add(vals []any) (bool, error) {
	if len(c.res.Rows) >= c.l.Rows {
		c.res.Truncated, c.res.TruncatedBy = true, "row_cap"
		return false, nil
	}
	row := make([]any, len(vals))
	for i, v := range vals {
		if b, ok := v.([]byte); ok && c.l.raw {
			row[i] = b
			continue
		}
		row[i] = JSONValue(v)
	}
	size, ok := jsonLen(row)
	if !ok {
		b, err := json.Marshal(row)
		if err != nil {
			return false, fmt.Errorf("readonly: encode row %d: %w", len(c.res.Rows)+1, err)
		}
		size = len(b)
	}
	if c.res.Bytes+size+1 > c.l.Bytes {
		c.res.Truncated, c.res.TruncatedBy = true, "byte_cap"
		return false, nil
	}
	c.res.Bytes += size + 1
	c.res.Rows = append(c.res.Rows, row)
	return true, nil
}

// Binary is how a non-UTF-8 byte value appears in a result.
type Binary struct {
	Base64 string `json:"base64"`
}

// JSONValue turns a database value into something encoding/json renders
// faithfully: times as RFC 3339, bytes as text (or base64 when not UTF-8),
// non-finite floats as strings, other types through their JSON or text
// form.
func JSONValue(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return x
	case float32:
		return JSONValue(float64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return Binary{Base64: base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case [16]byte: // uuid
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case time.Duration:
		return x.String()
	case json.Marshaler:
		b, err := x.MarshalJSON()
		if err == nil && json.Valid(b) {
			return json.RawMessage(b)
		}
		return fmt.Sprint(x)
	case fmt.Stringer:
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = JSONValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = JSONValue(e)
		}
		return out
	default:
		if b, err := json.Marshal(x); err == nil {
			return json.RawMessage(b)
		}
		return fmt.Sprint(x)
	}
}
