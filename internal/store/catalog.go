package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

func isNoRows(err error) bool { return errors.Is(err, ErrNoRows) }

// Tables lists the base tables of the schema q works in (SQLite: the main
// database; PostgreSQL: current_schema()), by name, from the catalog: tables
// that any migration added show up without a list to maintain.
func Tables(ctx context.Context, q Querier, d Dialect) ([]string, error) {
	var query string
	switch d {
	case SQLite:
		query = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	case Postgres:
		query = `SELECT table_name FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	default:
		return nil, fmt.Errorf("store: unknown dialect %q", d)
	}
	return queryStrings(ctx, q, query)
}

func tableExists(ctx context.Context, q Querier, d Dialect, table string) (bool, error) {
	ts, err := Tables(ctx, q, d)
	if err != nil {
		return false, err
	}
	for _, t := range ts {
		if t == table {
			return true, nil
		}
	}
	return false, nil
}

// Columns lists table's columns in definition order.
func Columns(ctx context.Context, q Querier, d Dialect, table string) ([]string, error) {
	var query string
	switch d {
	case SQLite:
		query = `SELECT name FROM pragma_table_info($1) ORDER BY cid`
	case Postgres:
		query = `SELECT column_name FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
	default:
		return nil, fmt.Errorf("store: unknown dialect %q", d)
	}
	cols, err := queryStrings(ctx, q, query, table)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("store: table %q does not exist", table)
	}
	return cols, nil
}

// PrimaryKey lists table's primary key columns in key order (empty when the
// table has none).
func PrimaryKey(ctx context.Context, q Querier, d Dialect, table string) ([]string, error) {
	var query string
	switch d {
	case SQLite:
		query = `SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk`
	case Postgres:
		query = `SELECT a.attname FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
WHERE i.indisprimary AND c.relname = $1 AND n.nspname = current_schema()
ORDER BY k.ord`
	default:
		return nil, fmt.Errorf("store: unknown dialect %q", d)
	}
	return queryStrings(ctx, q, query, table)
}

func queryStrings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// QuoteIdent quotes a table or column name for both dialects.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// BuildStatus assembles s's Status: version, latest and pending migrations,
// and the row count of every table of the schema. Engines call it from
// their Status method with their redacted location.
func BuildStatus(ctx context.Context, s Store, location string) (Status, error) {
	st := Status{Dialect: s.Dialect(), Location: location, Latest: LatestVersion(s.Dialect())}
	ms, err := Migrations(s.Dialect())
	if err != nil {
		return st, err
	}
	tables, err := Tables(ctx, s, s.Dialect())
	if err != nil {
		return st, fmt.Errorf("store: list tables: %w", err)
	}
	applied := map[int]appliedMigration{}
	for _, t := range tables {
		if t == MigrationsTable {
			if applied, err = readApplied(ctx, s); err != nil {
				return st, err
			}
			if err := checkApplied(ms, applied); err != nil {
				return st, err
			}
		}
	}
	for _, m := range ms {
		if _, ok := applied[m.Version]; !ok {
			st.Pending = append(st.Pending, m.Version)
		}
	}
	for v := range applied {
		st.Version = max(st.Version, v)
	}
	for _, t := range tables {
		var n int64
		if err := s.QueryRow(ctx, `SELECT count(*) FROM `+QuoteIdent(t)).Scan(&n); err != nil {
			return st, fmt.Errorf("store: count %s: %w", t, err)
		}
		st.Tables = append(st.Tables, TableCount{Table: t, Rows: n})
	}
	sort.Slice(st.Tables, func(i, j int) bool { return st.Tables[i].Table < st.Tables[j].Table })
	return st, nil
}

// Analyze refreshes the planner statistics after a bulk load (PostgreSQL:
// ANALYZE of the given tables, or of the whole schema when none are given;
// SQLite: ANALYZE, or PRAGMA optimize when no table is given).
func Analyze(ctx context.Context, q Querier, tables ...string) error {
	if len(tables) == 0 && q.Dialect() == SQLite {
		if _, err := q.Exec(ctx, `PRAGMA optimize`); err != nil {
			return fmt.Errorf("store: analyze: %w", err)
		}
		return nil
	}
	if len(tables) == 0 {
		// The schema's tables only: a bare ANALYZE would visit every
		// schema of the database.
		var err error
		if tables, err = Tables(ctx, q, q.Dialect()); err != nil {
			return fmt.Errorf("store: analyze: %w", err)
		}
	}
	for _, t := range tables {
		if _, err := q.Exec(ctx, `ANALYZE `+QuoteIdent(t)); err != nil {
			return fmt.Errorf("store: analyze %s: %w", t, err)
		}
	}
	return nil
}
