// Package storetest is the store conformance suite (Run), which every
// engine passes unchanged, and helpers that give other packages' tests a
// fresh, isolated store of either engine.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/postgres"
	"github.com/nbasim/nbasim/internal/store/sqlite"
	"github.com/nbasim/nbasim/internal/testutil"
)

// NewSQLite opens a fresh, unmigrated SQLite store in a temporary directory,
// closed when the test ends.
func NewSQLite(t testing.TB) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "nbasim.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresSchemaURL creates a schema with a random name on the test server
// (NBASIM_TEST_POSTGRES_URL; the test skips without it, fails under CI=true)
// and returns a URL whose connections work in it (search_path). The schema
// is dropped when the test ends. Tests of many packages share the server;
// a schema each keeps them apart.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	base := testutil.PostgresURL(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "nbasim_t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := adminPool(ctx, base)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL %s: %v", postgres.Redact(base), err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// adminPools holds one small pool per test server URL for creating and
// dropping schemas (a new connection costs tens of milliseconds), shared by
// the tests of one package binary for its lifetime.
var adminPools = struct {
	sync.Mutex
	m map[string]*pgxpool.Pool
}{m: map[string]*pgxpool.Pool{}}

func adminPool(ctx context.Context, base string) (*pgxpool.Pool, error) {
	adminPools.Lock()
	defer adminPools.Unlock()
	if p := adminPools.m[base]; p != nil {
		return p, nil
	}
	cfg, err := pgxpool.ParseConfig(base)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 2
	cfg.MinConns = 0
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := p.Ping(ctx); err != nil {
		p.Close()
		return nil, err
	}
	adminPools.m[base] = p
	return p, nil
}

// NewPostgres opens a fresh, unmigrated PostgreSQL store in its own schema
// (see PostgresSchemaURL), closed when the test ends.
func NewPostgres(t testing.TB) store.Store {
	t.Helper()
	u := PostgresSchemaURL(t)
	s, err := postgres.Open(context.Background(), u, postgres.Options{MinConns: -1, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Migrated returns s after applying every migration (failing the test on
// error): the usual starting point.
func Migrated(t testing.TB, s store.Store) store.Store {
	t.Helper()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// SQLite returns a fresh migrated SQLite store.
func SQLite(t testing.TB) store.Store { t.Helper(); return Migrated(t, NewSQLite(t)) }

// Postgres returns a fresh migrated PostgreSQL store (skips without a server).
func Postgres(t testing.TB) store.Store { t.Helper(); return Migrated(t, NewPostgres(t)) }
