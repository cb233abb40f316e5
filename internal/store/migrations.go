package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// MigrationsTable records applied migrations: version, name, checksum
// (sha256 of the file) and applied_at.
const MigrationsTable = "schema_migrations"

// Migration is one versioned schema change for one dialect
// (migrations/<dialect>/NNNN_name.sql).
type Migration struct {
	Version  int
	Name     string // file name without the extension
	SQL      string
	Checksum string // sha256 of SQL, hex
}

// Migrations returns the migrations embedded for d, ordered by version. Two
// files with the same number, or a name that does not start with a number,
// are an error naming the files.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: no migrations for dialect %q: %w", d, err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
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
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s/%s: %w", dir, e.Name(), err)
		}
		sum := sha256.Sum256(b)
		out = append(out, Migration{Version: v, Name: name, SQL: string(b), Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// LatestVersion returns the highest migration version embedded for d.
func LatestVersion(d Dialect) int {
	ms, err := Migrations(d)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
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

// ApplyMigrations brings s to the latest schema: it creates the
// schema_migrations table if needed and applies every pending migration in
// version order, each in its own transaction together with its
// schema_migrations row. Concurrent callers are safe: each migration
// re-checks, under the lock, that nobody applied it meanwhile. It returns
// how many migrations this call applied.
func ApplyMigrations(ctx context.Context, s Store) (int, error) {
	d := s.Dialect()
	ms, err := Migrations(d)
	if err != nil {
		return 0, err
	}
	if err := s.InTx(ctx, func(tx Tx) error {
		if err := lockMigrations(ctx, d, tx); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, createMigrationsTable(d))
		return err
	}); err != nil {
		return 0, fmt.Errorf("store: create %s: %w", MigrationsTable, err)
	}
	applied, err := appliedVersions(ctx, s)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if applied[m.Version] {
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
			return n, fmt.Errorf("store: migration %s/%s.sql: %w", d, m.Name, err)
		}
		if ran {
			n++
		}
	}
	return n, nil
}

func appliedVersions(ctx context.Context, q Querier) (map[int]bool, error) {
	rows, err := q.Query(ctx, `SELECT version FROM `+MigrationsTable)
	if err != nil {
		return nil, fmt.Errorf("store: read %s: %w", MigrationsTable, err)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
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
