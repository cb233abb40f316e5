package postgres_test

import (
	"testing"

	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.NewPostgres(t) })
}

// NBASIM_TEST_POSTGRES_URL=... go test -run '^$' -bench . -benchtime 3x ./internal/store/postgres
func BenchmarkStore(b *testing.B) { storetest.Bench(b, storetest.NewPostgres) }
