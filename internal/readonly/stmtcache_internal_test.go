package readonly

import (
	"context"
	"reflect"
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
