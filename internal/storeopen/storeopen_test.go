package storeopen_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/storeopen"
)

func TestOpenSQLiteCreatesAndMigrates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "dir", "nbasim.db")
	s, err := storeopen.Open(ctx, config.Database{SQLitePath: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Dialect() != store.SQLite {
		t.Fatalf("dialect %s", s.Dialect())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	v, err := s.Version(ctx)
	if err != nil || v != store.LatestVersion(store.SQLite) {
		t.Fatalf("version %d (%v), want %d", v, err, store.LatestVersion(store.SQLite))
	}
	var mode string
	if err := s.QueryRow(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v)", mode, err)
	}
	var fk int
	if err := s.QueryRow(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys %d (%v)", fk, err)
	}
	// Connect does not migrate; a second Open finds nothing to do.
	s2, err := storeopen.Connect(ctx, config.Database{SQLitePath: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	st, err := s2.Status(ctx)
	if err != nil || len(st.Pending) != 0 || !strings.HasSuffix(st.Location, "nbasim.db") {
		t.Fatalf("status %+v (%v)", st, err)
	}
}

func TestConnectDoesNotMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := storeopen.Connect(ctx, config.Database{SQLitePath: filepath.Join(t.TempDir(), "x.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Status(ctx)
	if err != nil || st.Version != 0 || len(st.Pending) == 0 || len(st.Tables) != 0 {
		t.Fatalf("status %+v (%v)", st, err)
	}
}

func TestOpenPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := storetest.PostgresSchemaURL(t)
	s, err := storeopen.Open(ctx, config.Database{URL: u, MinConns: 1, MaxConns: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Dialect() != store.Postgres {
		t.Fatalf("dialect %s", s.Dialect())
	}
	if v, err := s.Version(ctx); err != nil || v != store.LatestVersion(store.Postgres) {
		t.Fatalf("version %d (%v)", v, err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, err := storeopen.Open(ctx, config.Database{URL: "mysql://u:secret@h/db"}, nil)
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("mysql URL: %v", err)
	}
	_, err = storeopen.Open(ctx, config.Database{URL: "postgresql://u:secret@127.0.0.1:1/db"}, nil)
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("dead port: %v", err)
	}
	if got := storeopen.Location(config.Database{URL: "postgres://u:secret@h/db"}); strings.Contains(got, "secret") {
		t.Errorf("Location leaks the password: %s", got)
	}
	if got := storeopen.Location(config.Database{}); got != storeopen.DefaultSQLitePath {
		t.Errorf("default location %s", got)
	}
	if _, err := storeopen.Open(ctx, config.Database{URL: "mysql://u:secret@h/db"}, nil); err == nil {
		t.Error("mysql URL accepted")
	}
}

func TestSQLiteURLForms(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, u := range []string{"sqlite://" + filepath.Join(dir, "a.db"), "file:" + filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")} {
		s, err := storeopen.Open(context.Background(), config.Database{URL: u}, nil)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if s.Dialect() != store.SQLite {
			t.Errorf("%s: dialect %s", u, s.Dialect())
		}
		s.Close()
	}
	for _, name := range []string{"a.db", "b.db", "c.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

// OpenRead: a current SQLite database is opened read-only (a write
// fails, a read works); a missing file or one behind the binary's schema
// goes through Open and comes back migrated.
func TestOpenRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "nbasim.db")
	// missing: created and migrated
	s, err := storeopen.OpenRead(ctx, config.Database{SQLitePath: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Version(ctx); err != nil || v != store.LatestVersion(store.SQLite) {
		t.Fatalf("missing file: version %d (%v), want %d", v, err, store.LatestVersion(store.SQLite))
	}
	if _, err := s.Exec(ctx, `CREATE TABLE open_read_probe (n INTEGER)`); err != nil {
		t.Fatalf("a store OpenRead created and migrated is writable: %v", err)
	}
	s.Close()
	// current: read-only
	r, err := storeopen.OpenRead(ctx, config.Database{SQLitePath: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := r.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'open_read_probe'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("read: %d tables open_read_probe (%v), want 1", n, err)
	}
	if _, err := r.Exec(ctx, `DROP TABLE open_read_probe`); err == nil {
		t.Fatal("a write through the read-only store succeeded")
	}
	r.Close()
	// behind (an existing database with no migration applied): migrated by Open
	path = filepath.Join(dir, "old.db")
	w, err := storeopen.Connect(ctx, config.Database{SQLitePath: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	b, err := storeopen.OpenRead(ctx, config.Database{SQLitePath: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if v, err := b.Version(ctx); err != nil || v != store.LatestVersion(store.SQLite) {
		t.Fatalf("behind: version %d (%v) after OpenRead, want %d", v, err, store.LatestVersion(store.SQLite))
	}
}
