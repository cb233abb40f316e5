package readonly

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	sqlite "modernc.org/sqlite"

	"github.com/nbasim/nbasim/internal/store"
)

// readPragmas may run without a value (reading a setting).
var readPragmas = map[string]bool{
	"user_version": true, "schema_version": true, "application_id": true,
	"page_count": true, "page_size": true, "freelist_count": true,
	"journal_mode": true, "encoding": true, "compile_options": true,
	"foreign_keys": true, "query_only": true, "data_version": true,
	"collation_list": true, "function_list": true, "pragma_list": true,
	"module_list": true, "database_list": true, "table_list": true,
}

// tablePragmas take a table or index name and only read.
var tablePragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "index_list": true, "index_info": true,
	"index_xinfo": true, "foreign_key_list": true, "table_list": true,
}

// deniedSQLiteFuncs reach outside the database (none is compiled into
// modernc.org/sqlite today; denied in case a future build adds them).
var deniedSQLiteFuncs = map[string]bool{
	"load_extension": true, "readfile": true, "writefile": true, "edit": true,
	"fts3_tokenizer": true, "sqlite_dbpage": true,
}

// Authorize is the SQLite authorizer installed on every read-only
// connection: SELECT, reads, recursive CTEs and ordinary functions pass;
// read-only PRAGMAs pass without a value; everything else (every write,
// DDL, ATTACH/DETACH, transactions, savepoints, ANALYZE, REINDEX, virtual
// table DDL, PRAGMA assignments) is denied.
func Authorize(action sqlite.AuthorizerActionCode, arg1, arg2, dbName, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRead, sqlite.AuthRecursive:
		return sqlite.AuthorizerOK
	case sqlite.AuthFunction:
		if deniedSQLiteFuncs[strings.ToLower(arg2)] {
			return sqlite.AuthorizerDeny
		}
		return sqlite.AuthorizerOK
	case sqlite.AuthPragma:
		name := strings.ToLower(arg1)
		if tablePragmas[name] || (readPragmas[name] && arg2 == "") {
			return sqlite.AuthorizerOK
		}
		return sqlite.AuthorizerDeny
	default:
		return sqlite.AuthorizerDeny
	}
}

// authConnector opens modernc.org/sqlite connections and installs the
// authorizer on each before database/sql may use it: the policy is a
// property of every physical connection of the pool.
type authConnector struct{ driver.Connector }

func (a authConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := a.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	r, ok := c.(sqlite.AuthorizerRegisterer)
	if !ok {
		c.Close()
		return nil, errors.New("readonly: the SQLite driver does not support an authorizer")
	}
	if err := r.RegisterAuthorizer(Authorize); err != nil {
		c.Close()
		return nil, fmt.Errorf("readonly: install SQLite authorizer: %w", err)
	}
	return c, nil
}

// sqliteMmapBytes bounds the memory map of a read-only SQLite database
// (address space, not memory: the pages are the file's, in the page cache).
const sqliteMmapBytes = 4 << 30

// SQLiteDSN is the read-only DSN of the database file at path: a file: URI
// with mode=ro (SQLite opens the file read-only and never creates it),
// query_only, defensive mode and a memory-mapped file.
func SQLiteDSN(path string, busyMS int64) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_query_only", "1")
	q.Set("_defensive", "1")
	q.Set("_busy_timeout", strconv.FormatInt(busyMS, 10))
	// pages are read through a memory map of the file, not a pread each
	// (a box_score miss reads a few pages of games, fold_packs and
	// team_box: each a system call without it), up to sqliteMmapBytes
	q.Add("_pragma", "mmap_size("+strconv.FormatInt(sqliteMmapBytes, 10)+")")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// OpenSQLite opens the SQLite database at path read-only. The file must
// exist (a missing file is an error, never created).
func OpenSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	opts = opts.withDefaults()
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("readonly: SQLite database %s: %w (create it with `nbasim db migrate`)", path, err)
	}
	dsn, err := SQLiteDSN(path, 5000)
	if err != nil {
		return nil, fmt.Errorf("readonly: SQLite database %s: %w", path, err)
	}
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("readonly: SQLite database %s: %w", path, err)
	}
	sq := sql.OpenDB(authConnector{base})
	sq.SetMaxOpenConns(opts.MaxConns)
	sq.SetMaxIdleConns(opts.MaxConns)
	if err := sq.PingContext(ctx); err != nil {
		sq.Close()
		return nil, fmt.Errorf("readonly: open SQLite database %s read-only: %w", path, err)
	}
	loc := path
	if abs, err := filepath.Abs(path); err == nil {
		loc = abs
	}
	return &DB{opts: opts, sq: sq, info: Info{Dialect: store.SQLite, Location: loc}}, nil
}

// singleSQLite refuses a script: modernc.org/sqlite runs every statement
// of a string, and SQLite offers no "prepare exactly one" through
// database/sql, so the statement boundary is found by a tokenizer that
// follows SQLite's own rules (comments, quotes, [ ] and ` identifiers).
// A write in any statement would be denied by the authorizer anyway.
func singleSQLite(query string) error {
	toks, err := lex(query, FlavorSQLite)
	if err != nil {
		return err
	}
	seen := false
	for _, t := range toks {
		if t.kind == tokSemicolon {
			seen = true
			continue
		}
		if seen {
			return fmt.Errorf("%w: more than one statement (a second one starts at byte %d)", ErrNotReadOnly, t.pos)
		}
	}
	return nil
}

func (db *DB) querySQLite(ctx context.Context, query string, l Limits, args []any) (*Result, error) {
	// a statement of the server's own that is prepared was checked when
	// it was prepared: not lexed again on every call
	st := db.stmts.lookup(query, l.raw)
	if st == nil {
		if err := singleSQLite(query); err != nil {
			return nil, err
		}
		st = db.stmts.get(ctx, db.sq, query, l.raw)
	}
	var rows *sql.Rows
	var err error
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = db.sq.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: make([]Column, len(cts))}
	for i, ct := range cts {
		res.Columns[i] = Column{Name: ct.Name(), Type: strings.ToLower(ct.DatabaseTypeName())}
	}
	c := collector{l: l, res: res}
	vals := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		more, err := c.add(vals)
		if err != nil {
			return nil, err
		}
		if !more {
			return res, nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// stmtCache keeps the prepared statements of the server's own reads (the
// typed helpers' fixed SQL: a game's play pack, its row, its players), so
// that a box_score cache miss does not parse and plan the same statements
// again (SQLite's prepare was ~7 % of a 10,000-call session's CPU). User
// statements are never cached; at most stmtCacheCap statements are kept.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const stmtCacheCap = 256

// lookup returns the prepared statement of query when trusted and already
// prepared, else nil.
func (c *stmtCache) lookup(query string, trusted bool) *sql.Stmt {
	if !trusted {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// get returns the prepared statement of query when trusted (preparing it
// on first use), or nil: the caller runs the query unprepared.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string, trusted bool) *sql.Stmt {
	if !trusted {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m) >= stmtCacheCap {
		return nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared query reports it
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
