package reconcile_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/synth"
	"github.com/nbasim/nbasim/internal/testutil"
)

// benchOpts: a realistic lake, one gap every 200 games, a few defects.
func benchOpts(n int) synth.Options {
	return synth.Options{Objects: n, MissingEvery: 200, ZeroBytes: 10, Unknown: 10, ListingOnly: true}
}

// benchFileLake writes (once, cached under the temp dir across runs) a
// synthetic file:// lake of n objects and returns its root and schedule.
func benchFileLake(b *testing.B, n int) (string, []model.GameRow) {
	b.Helper()
	objs, games, err := synth.Plan(benchOpts(n))
	if err != nil {
		b.Fatal(err)
	}
	root := filepath.Join(os.TempDir(), fmt.Sprintf("nbasim-reconcile-bench-%d", n))
	marker := filepath.Join(root, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return root, games
	}
	os.RemoveAll(root)
	start := time.Now()
	if _, err := synth.WriteLake(context.Background(), nil, root, objs, benchOpts(n)); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(marker, nil, 0o644)
	b.Logf("wrote %d objects to %s in %s", len(objs), root, time.Since(start).Round(time.Millisecond))
	return root, games
}

// benchCycle runs the whole reconciliation (scan, analyze, detect,
// generate with River inserts and gaps.json) against a fresh SQLite store
// holding the lake's schedule.
func benchCycle(b *testing.B, l reconcile.Lister, lakeURL string, games []model.GameRow) {
	b.Helper()
	ctx := context.Background()
	var seasons []string
	seasons = append(seasons, synth.SeasonsOf(games)...)
	var last *reconcile.Report
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := storetest.SQLite(b)
		if err := synth.WriteSchedule(ctx, st, games); err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		cfg := config.Default()
		cfg.Seasons = seasons
		cfg.CacheDir = filepath.Join(dir, "cache")
		cfg.Reconcile.OutputDir = filepath.Join(dir, "reports")
		r := &reconcile.Runner{Config: cfg, Lister: l, LakeURL: lakeURL, Store: st, RunID: fmt.Sprintf("bench%d", i),
			Now:     func() time.Time { return time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) },
			Enqueue: reconcile.QueueEnqueue(st, nil, 0)}
		runtime.GC()
		c0 := cpuTime()
		b.StartTimer()
		rep, err := r.Run(ctx, reconcile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		b.StartTimer()
		last = rep
	}
	b.StopTimer()
	b.ReportMetric(float64(last.Scan.Listed)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	b.ReportMetric(float64(last.PeakRSS)/(1<<20), "peakRSS_MB")
	// On a shared machine the wall time depends on the neighbours; the CPU
	// time (user+system) of the cycle does not.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu_s/op")
	var steps []string
	for _, s := range last.Timing.Steps {
		steps = append(steps, fmt.Sprintf("%s %s", s.Name, s.Duration.Round(time.Millisecond)))
	}
	b.Logf("%d objects, %d cells, %.1f%% complete, %d gaps, %d tasks (%d new); %s; peak RSS %d MB",
		last.Scan.Listed, len(last.Analysis.Cells), 100*last.Analysis.Completeness, len(last.Gaps), len(last.Plan.Tasks), last.Inserted,
		strings.Join(steps, ", "), last.PeakRSS>>20)
}

// BenchmarkReconcile173kFile: the whole cycle at the size of the
// nba_simulator bucket (173,000 objects) on a file:// lake (directory walk).
func BenchmarkReconcile173kFile(b *testing.B) {
	root, games := benchFileLake(b, 173_000)
	benchCycle(b, reconcile.FolderLake(b, root), "file://"+root, games)
}

// BenchmarkReconcile1MFile: the whole cycle at 1,000,000 objects.
func BenchmarkReconcile1MFile(b *testing.B) {
	root, games := benchFileLake(b, 1_000_000)
	benchCycle(b, reconcile.FolderLake(b, root), "file://"+root, games)
}

// BenchmarkReconcile173kFileblob: the same lake listed page by page through
// gocloud's fileblob (what the directory walk replaces).
func BenchmarkReconcile173kFileblob(b *testing.B) {
	root, games := benchFileLake(b, 173_000)
	l, err := lake.Open(context.Background(), "file://"+root, "")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	benchCycle(b, l.PagedBy(1000), "file://"+root, games)
}

// BenchmarkReconcile173kS3: the whole cycle against the S3 test server
// (NBASIM_TEST_S3_URL; .ci/run starts versitygw). The objects are written
// once under a prefix and reused by later runs.
func BenchmarkReconcile173kS3(b *testing.B) {
	u := testutil.S3URL(b)
	ctx := context.Background()
	const n = 173_000
	prefix := fmt.Sprintf("reconcile-bench-%d", n)
	l, err := lake.Open(ctx, u, prefix)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	opts := benchOpts(n)
	opts.ListingOnly = false
	objs, games, err := synth.Plan(opts)
	if err != nil {
		b.Fatal(err)
	}
	if ok, _ := l.Exists(ctx, "_complete"); !ok {
		start := time.Now()
		opts.Workers = 64
		if _, err := synth.WriteLake(ctx, l, "", objs, opts); err != nil {
			b.Fatal(err)
		}
		if err := l.Put(ctx, "_complete", []byte("1"), lake.Meta{}); err != nil {
			b.Fatal(err)
		}
		b.Logf("wrote %d objects to S3 in %s", len(objs), time.Since(start).Round(time.Millisecond))
	}
	benchCycle(b, l.PagedBy(1000), u+"#"+prefix, games)
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
