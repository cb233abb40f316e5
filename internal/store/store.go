// Package store is nbasim's database layer: one interface, two engines.
// SQLite (modernc.org/sqlite, pure Go) is the embedded default; PostgreSQL
// (pgx/v5 pool) is how it grows. Both run the same versioned schema
// (migrations/<dialect>/NNNN_name.sql) and pass the same conformance suite
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
type Batch struct {
	Table   string
	Columns []string
	Key     []string // conflict target; rows with the same key are replaced
	Rows    [][]any
	// DoNothing keeps existing rows on conflict instead of replacing them.
	DoNothing bool
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
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Upsert writes b (insert, or replace on conflict with b.Key) and
	// returns the number of rows written.
	Upsert(ctx context.Context, b Batch) (int64, error)
}

// Tx is a transaction.
type Tx interface {
	Querier
}

// TableCount is a table's row count.
type TableCount struct {
	Table string
	Rows  int64
}

// Status is what `nbasim db status` shows.
type Status struct {
	Dialect  Dialect
	Location string // path or redacted URL
	Version  int    // highest applied migration
	Latest   int    // highest migration this binary knows
	Tables   []TableCount
}

// Store is a database holding nbasim's schema.
type Store interface {
	Querier
	Dialect() Dialect
	// Migrate applies every pending migration and returns how many ran.
	Migrate(ctx context.Context) (int, error)
	// Version returns the highest applied migration (0 when none).
	Version(ctx context.Context) (int, error)
	Status(ctx context.Context) (Status, error)
	// InTx runs fn in a transaction, committed when fn returns nil.
	InTx(ctx context.Context, fn func(Tx) error) error
	Ping(ctx context.Context) error
	Close() error
}

// CoreTables lists the tables of the core schema, in dependency order.
var CoreTables = []string{
	"seasons", "teams", "players", "games", "plays",
	"player_box", "team_box", "raw_objects", "quarantine",
}
