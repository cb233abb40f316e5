package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/sqlite"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.NewSQLite(t) })
}

// go test -run '^$' -bench . -benchtime 3x ./internal/store/sqlite
func BenchmarkStore(b *testing.B) { storetest.Bench(b, storetest.NewSQLite) }

// Two stores on one file stand for two processes: BEGIN IMMEDIATE and the
// busy timeout make their writers take turns instead of failing.
func TestTwoStoresOneFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	var stores []*sqlite.Store
	for range 2 {
		s, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	if _, err := stores[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := stores[1].Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second migrate: %d %v", n, err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				_, err := store.UpsertSeasons(ctx, s, []store.SeasonRow{{Season: fmt.Sprintf("%d-%d", w, i), StartYear: 2000 + i}})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var n int
	if err := stores[1].QueryRow(ctx, `SELECT count(*) FROM seasons`).Scan(&n); err != nil || n != 100 {
		t.Fatalf("seasons: %d (%v)", n, err)
	}
}
