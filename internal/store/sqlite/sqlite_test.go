package sqlite_test

import (
	"testing"

	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.NewSQLite(t) })
}

// go test -run '^$' -bench . -benchtime 3x ./internal/store/sqlite
func BenchmarkStore(b *testing.B) { storetest.Bench(b, storetest.NewSQLite) }
