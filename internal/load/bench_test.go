package load

import (
	"github.com/nbasim/nbasim/internal/timing"

	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/load/realdata"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// seasonLake imports the 1,204 games of seasons/2018-19/playbyplayv2.tar.gz
// into a file:// lake in a temporary folder (once per benchmark).
func seasonLake(b *testing.B) *lake.Lake {
	b.Helper()
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+b.TempDir(), "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lk.Close() })
	m, err := realdata.Import(ctx, lk, testutil.RealDataDir(b), realdata.Options{OnlyArchive: true})
	if err != nil {
		b.Fatal(err)
	}
	if len(m.Files) != 1204 {
		b.Fatalf("imported %d games", len(m.Files))
	}
	return lk
}

// peakHeap samples the Go heap in use until stop is called.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if v := ms.HeapInuse; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

func benchLoadSeason(b *testing.B, open func(testing.TB) store.Store) {
	lk := seasonLake(b)
	ctx := context.Background()
	var events int
	var peak uint64
	var elapsed, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		st := open(b)
		runtime.GC()
		b.StartTimer()
		stop := peakHeap()
		start, cpu0 := time.Now(), timing.CPUTime()
		sum, err := (&Loader{Lake: lk, Store: st}).Run(ctx, Options{})
		elapsed += time.Since(start)
		cpu += timing.CPUTime() - cpu0
		peak = max(peak, stop())
		if err != nil {
			b.Fatal(err)
		}
		if sum.Parsed != 1204 || sum.ByStatus["ok"] != 1204 {
			b.Fatalf("summary %+v", sum)
		}
		events += sum.Events
	}
	b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(timing.PeakRSS())/(1<<20), "maxrss-MiB")
}

// BenchmarkLoadSeasonSQLite parses and loads the 2018-19 archive (1,204
// games, about 550,000 events after de-duplication) into a fresh SQLite
// database per iteration.
func BenchmarkLoadSeasonSQLite(b *testing.B) { benchLoadSeason(b, storetest.SQLite) }

// BenchmarkLoadSeasonPostgres does the same into a fresh PostgreSQL schema.
func BenchmarkLoadSeasonPostgres(b *testing.B) { benchLoadSeason(b, storetest.Postgres) }
