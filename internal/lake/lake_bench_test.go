package lake_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
)

// payload is a 4 KiB object, about the size of a small JSON response.
var payload = func() []byte {
	b := make([]byte, 4<<10)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}()

// BenchmarkPut writes 4 KiB objects with provenance metadata.
func BenchmarkPut(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			l, _ := openLake(b, be)
			ctx := context.Background()
			b.SetBytes(int64(len(payload)))
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				key := fmt.Sprintf("nba_live/playbyplay/2023-24/%010d.json", i)
				if err := l.Put(ctx, key, payload, lake.Meta{Source: "nba_live", Endpoint: "playbyplay", URL: "https://cdn.nba.com/x"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkList lists 1,000 objects (one page); ns/op is per full listing.
func BenchmarkList(b *testing.B) {
	const n = 1000
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			l, _ := openLake(b, be)
			ctx := context.Background()
			for i := 0; i < n; i++ {
				if err := l.Put(ctx, fmt.Sprintf("espn/summary/2023-24/%09d.json", i), payload[:64], lake.Meta{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				got := 0
				if err := l.Walk(ctx, "espn/summary/", func(lake.Object) error { got++; return nil }); err != nil {
					b.Fatal(err)
				}
				if got != n {
					b.Fatalf("listed %d, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/object")
		})
	}
}
