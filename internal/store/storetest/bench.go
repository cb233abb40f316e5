package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
)

// BenchPlays builds games×perGame play events (a season is about 1,230
// games × 450 events).
func BenchPlays(games, perGame int) []store.GamePlays {
	out := make([]store.GamePlays, games)
	for g := range out {
		id := fmt.Sprintf("00299%05d", g+1) // a season no real data uses
		out[g] = store.GamePlays{GameID: id, Provider: "nba_stats/playbyplayv2", Events: sampleEvents(id, perGame)}
	}
	return out
}

func rowsPerSec(b *testing.B, rows int) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// Bench runs the store benchmarks against a fresh migrated store from open:
// 100,000 play rows written with ReplacePlaysBatch (the bulk path: delete,
// then Insert), with a generic Upsert (the conflict-handling path, into an
// empty table and over existing rows), and, with a large -benchtime, a
// season of plays.
func Bench(b *testing.B, open func(testing.TB) store.Store) {
	ctx := context.Background()
	plays := BenchPlays(250, 400) // 100,000 rows
	rows := 250 * 400
	clear := func(b *testing.B, s store.Store) {
		b.StopTimer()
		if _, err := s.Exec(ctx, `DELETE FROM plays`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.Run("ReplacePlaysBatch/100k", func(b *testing.B) {
		s := Migrated(b, open(b))
		b.ResetTimer()
		for range b.N {
			clear(b, s)
			if n, err := store.ReplacePlaysBatch(ctx, s, plays); err != nil || n != int64(rows) {
				b.Fatal(n, err)
			}
		}
		rowsPerSec(b, rows)
	})
	b.Run("ReplacePlaysBatch/100k-over-existing", func(b *testing.B) {
		s := Migrated(b, open(b))
		if _, err := store.ReplacePlaysBatch(ctx, s, plays); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := store.ReplacePlaysBatch(ctx, s, plays); err != nil {
				b.Fatal(err)
			}
		}
		rowsPerSec(b, rows)
	})
	batch := store.Batch{Table: "plays", Columns: store.PlayColumns, Key: []string{"game_id", "provider", "ord"}}
	for _, g := range plays {
		for i := range g.Events {
			batch.Rows = append(batch.Rows, store.PlayRow(g.GameID, g.Provider, &g.Events[i]))
		}
	}
	b.Run("Upsert/100k-empty", func(b *testing.B) {
		s := Migrated(b, open(b))
		b.ResetTimer()
		for range b.N {
			clear(b, s)
			if _, err := s.Upsert(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		rowsPerSec(b, rows)
	})
	b.Run("Upsert/100k-over-existing", func(b *testing.B) {
		s := Migrated(b, open(b))
		if _, err := s.Upsert(ctx, batch); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := s.Upsert(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		rowsPerSec(b, rows)
	})
	b.Run("TableChecksum/plays-100k", func(b *testing.B) {
		s := Migrated(b, open(b))
		if _, err := store.ReplacePlaysBatch(ctx, s, plays); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := store.TableChecksum(ctx, s, "plays"); err != nil {
				b.Fatal(err)
			}
		}
		rowsPerSec(b, rows)
	})
	b.Run("ReplacePlaysBatch/season-550k", func(b *testing.B) {
		season := BenchPlays(1230, 450) // 553,500 rows
		s := Migrated(b, open(b))
		b.ResetTimer()
		for range b.N {
			clear(b, s)
			if _, err := store.ReplacePlaysBatch(ctx, s, season); err != nil {
				b.Fatal(err)
			}
		}
		rowsPerSec(b, 1230*450)
	})
}
