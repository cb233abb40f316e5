package readonly

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/store"
)

// The server's own reads are prepared once and reused; a user's statement
// never enters the cache.
func TestTrustedStatementsPreparedOnce(t *testing.T) {
	ctx := context.Background()
	f := readonlytest.SQLite(t)
	db, err := OpenSQLite(ctx, f.SQLitePath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := Querier(db)
	first, err := store.LoadPlays(ctx, q, readonlytest.GameID, "nba_stats/playbyplayv2")
	if err != nil || len(first) == 0 {
		t.Fatalf("plays: %d, %v", len(first), err)
	}
	n := len(db.stmts.m)
	if n == 0 {
		t.Fatal("no statement of the server's read was kept")
	}
	again, err := store.LoadPlays(ctx, q, readonlytest.GameID, "nba_stats/playbyplayv2")
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Fatalf("second read through the prepared statement: %d events, %v", len(again), err)
	}
	if len(db.stmts.m) != n {
		t.Errorf("statements %d after the same read again, want %d", len(db.stmts.m), n)
	}
	if _, err := db.Query(ctx, `SELECT COUNT(*) FROM plays`, Limits{}); err != nil {
		t.Fatal(err)
	}
	if len(db.stmts.m) != n {
		t.Errorf("a user's statement was cached: %d statements, want %d", len(db.stmts.m), n)
	}
}

// A read-only SQLite database is read through a memory map of its file
// (SQLiteDSN's mmap_size): after a read, the file is in the process's
// mappings.
func TestSQLiteMemoryMapped(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/maps")
	}
	ctx := context.Background()
	f := readonlytest.SQLite(t)
	// the fixture's pages into the file itself: pages still in the WAL
	// are read from it, never from a map of the file
	if _, err := f.Store.Exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db, err := OpenSQLite(ctx, f.SQLitePath, Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := store.LoadPlays(ctx, Querier(db), readonlytest.GameID, "nba_stats/playbyplayv2"); err != nil {
		t.Fatal(err)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(f.SQLitePath)
	if err != nil {
		t.Fatal(err)
	}
	mapped := false
	for _, l := range strings.Split(string(maps), "\n") {
		mapped = mapped || strings.HasSuffix(l, " "+abs) // the file itself, not its -shm or -wal
	}
	if !mapped {
		t.Errorf("%s is not memory-mapped after a read", abs)
	}
}
