package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// MigrationsTable records applied migrations: version, name, checksum
// (sha256 of the file as rendered for the database's dialect) and
// applied_at.
const MigrationsTable = "schema_migrations"

// Dialects lists the engines every migration is rendered for.
var Dialects = []Dialect{SQLite, Postgres}

// Migration is one versioned schema change as rendered for one dialect
// from its one source file, migrations/NNNN_name.sql.
type Migration struct {
	Version  int
	Name     string // file name without the extension
	SQL      string
	Checksum string // sha256 of SQL, hex
}

// The one schema source: each migration is one file for both dialects
// (migrations/NNNN_name.sql), rendered per dialect by RenderMigration:
//
//   - {{float}} is REAL in SQLite and DOUBLE PRECISION in PostgreSQL, and
//     {{blob}} BLOB and BYTEA (the column types the dialects spell
//     differently);
//   - lines between "-- nbasim:postgres" (or "-- nbasim:sqlite") and
//     "-- nbasim:end" belong to that dialect only, and never create or
//     change a table, column, index or view (TestDialectsHaveOneSchema
//     compares the two migrated schemas);
//   - the marker lines themselves are dropped.
//
// Any other {{...}} or "-- nbasim:" line is an error naming the file and
// line, so a typo cannot silently render into one dialect.
var migrationPlaceholders = map[Dialect]map[string]string{
	SQLite:   {"float": "REAL", "blob": "BLOB"},
	Postgres: {"float": "DOUBLE PRECISION", "blob": "BYTEA"},
}

const migrationMarker = "-- nbasim:"

// RenderMigration renders the migration source src (named name, for
// errors) for dialect d.
func RenderMigration(name string, src []byte, d Dialect) (string, error) {
	ph, ok := migrationPlaceholders[d]
	if !ok {
		return "", fmt.Errorf("store: migration %s: unknown dialect %q", name, d)
	}
	var b strings.Builder
	b.Grow(len(src))
	var only Dialect // inside a dialect block: its dialect
	blockLine := 0
	lines := strings.SplitAfter(string(src), "\n")
	for i, line := range lines {
		n := i + 1
		if rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), migrationMarker); ok {
			switch rest = strings.TrimSpace(rest); {
			case rest == "end":
				if only == "" {
					return "", fmt.Errorf("store: migration %s:%d: %send without a dialect block", name, n, migrationMarker)
				}
				only = ""
			case migrationPlaceholders[Dialect(rest)] != nil:
				if only != "" {
					return "", fmt.Errorf("store: migration %s:%d: %s%s inside the %s block of line %d (blocks do not nest)", name, n, migrationMarker, rest, only, blockLine)
				}
				only, blockLine = Dialect(rest), n
			default:
				return "", fmt.Errorf("store: migration %s:%d: unknown marker %q (want %s%s, %s%s or %send)", name, n, strings.TrimSpace(line), migrationMarker, SQLite, migrationMarker, Postgres, migrationMarker)
			}
			continue
		}
		if only != "" && only != d {
			continue
		}
		for {
			open := strings.Index(line, "{{")
			if open < 0 {
				break
			}
			closeAt := strings.Index(line[open:], "}}")
			if closeAt < 0 {
				return "", fmt.Errorf("store: migration %s:%d: unclosed {{", name, n)
			}
			key := line[open+2 : open+closeAt]
			val, ok := ph[key]
			if !ok {
				return "", fmt.Errorf("store: migration %s:%d: unknown placeholder {{%s}} (known: {{float}}, {{blob}})", name, n, key)
			}
			b.WriteString(line[:open])
			b.WriteString(val)
			line = line[open+closeAt+2:]
		}
		b.WriteString(line)
	}
	if only != "" {
		return "", fmt.Errorf("store: migration %s:%d: %s%s block has no %send", name, blockLine, migrationMarker, only, migrationMarker)
	}
	return b.String(), nil
}

// Migrations returns the migrations embedded for d, ordered by version. Two
// files with the same number, a name that does not start with a number, a
// source that does not render, or a folder under migrations/ (the old
// per-dialect layout) are an error naming the file.
func Migrations(d Dialect) ([]Migration, error) {
	return loadMigrations(migrationFS, "migrations", d)
}

func loadMigrations(fsys fs.FS, dir string, d Dialect) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() {
			return nil, fmt.Errorf("store: %s/%s/: migrations are one file per version for both dialects (%s/NNNN_name.sql, with {{float}} and -- nbasim:postgres blocks; docs/architecture.md \"Migrations\"), not a folder per dialect", dir, e.Name(), dir)
		}
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".sql")
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s/%s: name must start with a positive number (NNNN_name.sql)", dir, e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s/%s and %s/%s share version %d", dir, prev, dir, e.Name(), v)
		}
		seen[v] = e.Name()
		src, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s/%s: %w", dir, e.Name(), err)
		}
		sql, err := RenderMigration(e.Name(), src, d)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256([]byte(sql))
		out = append(out, Migration{Version: v, Name: name, SQL: sql, Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// LatestVersion returns the highest migration version embedded for d. It
// reads the file names only (every version is one file for both dialects):
// a cold read-only open (`nbasim box`) asks, and rendering every migration
// (Migrations, which also reports a broken one) cost it 4 ms.
func LatestVersion(d Dialect) int {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return 0
	}
	latest := 0
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.Atoi(num); err == nil && !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") && v > latest {
			latest = v
		}
	}
	return latest
}

// migrationLockKey is the PostgreSQL advisory lock that serializes
// concurrent migrators (several processes starting at once).
const migrationLockKey = 424_242

func createMigrationsTable(d Dialect) string {
	return `CREATE TABLE IF NOT EXISTS ` + MigrationsTable + ` (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`
}

// lockMigrations takes the cross-process migration lock for the rest of tx.
// SQLite needs none: the engine opens write transactions with BEGIN
// IMMEDIATE, which already serializes writers across processes.
func lockMigrations(ctx context.Context, d Dialect, tx Tx) error {
	if d != Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`, int32(migrationLockKey))
	return err
}

// ErrMigrationChanged is wrapped by the error of a database one of whose
// applied migrations no longer matches its file (edited after it was
// applied, or renamed), or that applied a migration this build lacks.
var ErrMigrationChanged = errors.New("applied migrations differ from this build's")

// ApplyMigrations brings s to the latest schema: it creates the
// schema_migrations table if needed, verifies that every migration the
// database applied is, to the byte, the one this build embeds (see
// VerifyMigrations), and applies every pending migration in version order,
// each in its own transaction together with its schema_migrations row.
// Concurrent callers are safe: each migration re-checks, under the lock,
// that nobody applied it meanwhile. It returns how many migrations this
// call applied.
func ApplyMigrations(ctx context.Context, s Store) (int, error) {
	ms, err := Migrations(s.Dialect())
	if err != nil {
		return 0, err
	}
	return applyMigrations(ctx, s, ms)
}

// ApplyMigrationsThrough is ApplyMigrations that stops after version last:
// tests build a store as an older release left it, to check what a later
// migration does to its data.
func ApplyMigrationsThrough(ctx context.Context, s Store, last int) (int, error) {
	ms, err := Migrations(s.Dialect())
	if err != nil {
		return 0, err
	}
	var upTo []Migration
	for _, m := range ms {
		if m.Version <= last {
			upTo = append(upTo, m)
		}
	}
	return applyMigrations(ctx, s, upTo)
}

func applyMigrations(ctx context.Context, s Store, ms []Migration) (int, error) {
	d := s.Dialect()
	if err := s.InTx(ctx, func(tx Tx) error {
		if err := lockMigrations(ctx, d, tx); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, createMigrationsTable(d))
		return err
	}); err != nil {
		return 0, fmt.Errorf("store: create %s: %w", MigrationsTable, err)
	}
	applied, err := readApplied(ctx, s)
	if err != nil {
		return 0, err
	}
	if err := checkApplied(ms, applied); err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		ran := false
		err := s.InTx(ctx, func(tx Tx) error {
			if err := lockMigrations(ctx, d, tx); err != nil {
				return err
			}
			var one int
			err := tx.QueryRow(ctx, `SELECT 1 FROM `+MigrationsTable+` WHERE version = $1`, m.Version).Scan(&one)
			if err == nil {
				return nil // applied by a concurrent migrator
			}
			if !isNoRows(err) {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO `+MigrationsTable+` (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)`,
				m.Version, m.Name, m.Checksum, Now()); err != nil {
				return err
			}
			ran = true
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("store: migration %s.sql (%s): %w", m.Name, d, err)
		}
		if ran {
			n++
		}
	}
	return n, nil
}

// VerifyMigrations checks the migrations recorded in q's schema_migrations
// against this build's: an applied migration whose rendered file has
// another checksum or name, or one this build does not have, is an error
// wrapping ErrMigrationChanged that names the file. A database without the
// table passes (nothing applied yet). Every open through storeopen runs it
// (ApplyMigrations), and so do `db status` and the doctor's database check.
func VerifyMigrations(ctx context.Context, q Querier) error {
	ok, err := tableExists(ctx, q, q.Dialect(), MigrationsTable)
	if err != nil || !ok {
		return err
	}
	ms, err := Migrations(q.Dialect())
	if err != nil {
		return err
	}
	applied, err := readApplied(ctx, q)
	if err != nil {
		return err
	}
	return checkApplied(ms, applied)
}

// appliedMigration is one row of schema_migrations.
type appliedMigration struct {
	Name, Checksum string
}

func checkApplied(ms []Migration, applied map[int]appliedMigration) error {
	byVersion := make(map[int]Migration, len(ms))
	for _, m := range ms {
		byVersion[m.Version] = m
	}
	var errs []error
	for _, v := range slices.Sorted(maps.Keys(applied)) {
		a := applied[v]
		m, ok := byVersion[v]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("store: the database applied migration %s.sql, which this build does not have (a newer nbasim migrated it; upgrade nbasim): %w", a.Name, ErrMigrationChanged))
		case m.Name != a.Name:
			errs = append(errs, fmt.Errorf("store: the database applied migration %d as %s.sql, this build has %s.sql (a migration is never renamed or renumbered once applied): %w", v, a.Name, m.Name, ErrMigrationChanged))
		case m.Checksum != a.Checksum:
			errs = append(errs, fmt.Errorf("store: migration %s.sql was changed after this database applied it (sha256 %s applied, %s now): restore the file and put the change in a new migration: %w", m.Name, short(a.Checksum), short(m.Checksum), ErrMigrationChanged))
		}
	}
	return errors.Join(errs...)
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

func readApplied(ctx context.Context, q Querier) (map[int]appliedMigration, error) {
	rows, err := q.Query(ctx, `SELECT version, name, checksum FROM `+MigrationsTable)
	if err != nil {
		return nil, fmt.Errorf("store: read %s: %w", MigrationsTable, err)
	}
	defer rows.Close()
	out := map[int]appliedMigration{}
	for rows.Next() {
		var v int
		var a appliedMigration
		if err := rows.Scan(&v, &a.Name, &a.Checksum); err != nil {
			return nil, fmt.Errorf("store: read %s: %w", MigrationsTable, err)
		}
		out[v] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read %s: %w", MigrationsTable, err)
	}
	return out, nil
}

// AppliedVersion returns the highest applied migration of the database q
// reaches, 0 when the schema_migrations table does not exist yet.
func AppliedVersion(ctx context.Context, q Querier, d Dialect) (int, error) {
	ok, err := tableExists(ctx, q, d, MigrationsTable)
	if err != nil || !ok {
		return 0, err
	}
	var v int
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+MigrationsTable).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read %s: %w", MigrationsTable, err)
	}
	return v, nil
}

// Now returns the current time in the schema's timestamp format
// (RFC 3339, UTC, millisecond precision).
func Now() string { return FormatTime(time.Now()) }

// FormatTime renders t in the schema's timestamp format.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
