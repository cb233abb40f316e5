// Package store is nbasim's database layer: one interface, two engines.
// SQLite (modernc.org/sqlite, pure Go) is the embedded default; PostgreSQL
// (pgx/v5 pool) is how it grows. Both run the same versioned schema
// (migrations/NNNN_name.sql, one source rendered per dialect) and pass the same conformance suite
// (package storetest).
//
// The interface is deliberately table-shaped: typed helpers for the core
// tables live in this package (rows.go) and are written once against the
// interface; each engine only implements the primitives, choosing its fastest
// bulk path (COPY for PostgreSQL, prepared statements in batched
// transactions for SQLite). SQL passed to Query and Exec uses $1, $2, ...
// placeholders, which both engines accept.
package store

import (
	"context"
	"errors"
	"fmt"
)

// Dialect names a database engine.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNoRows is returned by QueryRow scans when nothing matched.
var ErrNoRows = errors.New("store: no rows")

// Batch is a set of rows for one table, upserted on Key.
//
// Rows with the same key within one batch are collapsed before writing: the
// last one wins, in both engines. Values are Go ints, int64s, strings, nil
// (NULL), float64s, []byte; bools are written as 0/1 and time.Time as
// RFC 3339 UTC text (the schema conventions).
type Batch struct {
	Table   string
	Columns []string
	Key     []string // conflict target; rows with the same key are replaced
	Rows    [][]any
	// DoNothing keeps existing rows on conflict instead of replacing them.
	DoNothing bool
	// Keep lists columns whose stored value survives a conflict when the
	// incoming value is NULL (COALESCE(excluded.c, table.c)): how loaders
	// merge rows from providers that each know only part of a record.
	Keep []string
	// Update overrides the ON CONFLICT assignment of some columns with a SQL
	// expression, in which excluded.<col> is the incoming value and
	// <table>.<col> the stored one. It wins over Keep.
	Update map[string]string
	// Stamp names a column (updated_at) that only changes with the rest of
	// the row: on conflict, a row whose other columns would all keep their
	// stored values is left untouched, stamp included. Reloading the same
	// data then changes nothing (TableChecksum proves it) and writes
	// nothing.
	Stamp string
}

// Validate checks that b is well formed: a table, columns, a key drawn from
// the columns and rows as wide as the columns.
func (b *Batch) Validate() error {
	if b.Table == "" {
		return errors.New("store: batch without a table")
	}
	if len(b.Columns) == 0 {
		return fmt.Errorf("store: batch for %s without columns", b.Table)
	}
	idx := make(map[string]bool, len(b.Columns))
	for _, c := range b.Columns {
		if idx[c] {
			return fmt.Errorf("store: batch for %s: column %q listed twice", b.Table, c)
		}
		idx[c] = true
	}
	for _, k := range b.Key {
		if !idx[k] {
			return fmt.Errorf("store: batch for %s: key column %q is not among the columns", b.Table, k)
		}
	}
	for i, r := range b.Rows {
		if len(r) != len(b.Columns) {
			return fmt.Errorf("store: batch for %s: row %d has %d values for %d columns", b.Table, i, len(r), len(b.Columns))
		}
	}
	return nil
}

// Rows iterates a query result.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Columns() ([]string, error)
	Err() error
	Close() error
}

// Row is the result of QueryRow.
type Row interface {
	Scan(dest ...any) error // ErrNoRows (wrapped) when empty
}

// Querier runs statements; both Store and Tx implement it.
type Querier interface {
	// Dialect names the engine, for the rare statement that differs.
	Dialect() Dialect
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Upsert writes b (insert, or replace on conflict with b.Key) and
	// returns the number of rows written (after in-batch de-duplication).
	// Outside a transaction a large batch may commit in several
	// transactions (SQLite: 5,000 rows each); inside InTx it is atomic.
	Upsert(ctx context.Context, b Batch) (int64, error)
	// Insert appends b's rows with the engine's fastest bulk path (COPY on
	// PostgreSQL) and fails on any key conflict; b.Key, Keep, Update and
	// DoNothing are ignored. Loaders use it after deleting what they
	// replace (ReplacePlays, PlaysBatch). Atomic, like Upsert in a Tx.
	Insert(ctx context.Context, b Batch) (int64, error)
}

// Tx is a transaction.
type Tx interface {
	Querier
}

// RunInTx runs fn in a transaction of q: a new one when q is a Store, or q
// itself when q is already a transaction. Typed helpers use it so that they
// work both on a Store and inside a caller's InTx.
func RunInTx(ctx context.Context, q Querier, fn func(Tx) error) error {
	if s, ok := q.(interface {
		InTx(context.Context, func(Tx) error) error
	}); ok {
		return s.InTx(ctx, fn)
	}
	return fn(q)
}

// TableCount is a table's row count.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// Status is what `nbasim db status` shows.
type Status struct {
	Dialect  Dialect
	Location string       // path or redacted URL
	Version  int          // highest applied migration
	Latest   int          // highest migration this binary knows
	Pending  []int        // migrations this binary knows that are not applied
	Tables   []TableCount // every table of the schema (from the catalog), by name
}

// Store is a database holding nbasim's schema.
type Store interface {
	Querier
	// Migrate applies every pending migration and returns how many ran.
	Migrate(ctx context.Context) (int, error)
	// Version returns the highest applied migration (0 when none).
	Version(ctx context.Context) (int, error)
	Status(ctx context.Context) (Status, error)
	// InTx runs fn in a transaction, committed when fn returns nil and
	// rolled back when it returns an error (returned as is) or panics
	// (re-panicked). Inside fn, use the Tx, never the Store: on SQLite the
	// store has one writer connection, which the transaction holds, so a
	// write through the Store from inside fn would wait for ever.
	InTx(ctx context.Context, fn func(Tx) error) error
	Ping(ctx context.Context) error
	Close() error
}

// CoreTables lists the tables of the core schema, in dependency order.
var CoreTables = []string{
	"seasons", "teams", "players", "games", "plays",
	"player_box", "team_box", "raw_objects", "quarantine",
}
