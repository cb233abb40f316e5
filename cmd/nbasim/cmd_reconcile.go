package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/health"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
)

// Exit codes of `nbasim reconcile` (docs/reconcile.md).
const (
	exitReconcileOK     = 0 // plan written (gaps may exist)
	exitReconcileFailed = 1 // a step failed after its retries
	exitReconcileUsage  = 2 // bad flags, config or expectations
	exitReconcileHealth = 3 // a pre-flight health check failed with fail-fast on
)

// reconcileMemoryLimit is the soft memory limit of `nbasim reconcile`
// (runtime/debug.SetMemoryLimit) unless GOMEMLIMIT is set.
const reconcileMemoryLimit = 200 << 20

func newReconcileCmd(a *app) *cobra.Command {
	var (
		opts     reconcile.Options
		steps    string
		failFast bool
		floor    bool
		seasons  []string
	)
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Find gaps between the lake and what it should hold; plan the tasks that fill them",
		Long: `reconcile scans the lake (in parallel, every key parsed by the layout rules),
analyzes coverage per source × dataset × season against the expectations and the
store's schedule, detects gaps (missing, stale, invalid, schedule_missing) with
priorities, and generates tasks: queued in River's job table in one transaction
(stable ids: a rerun merges), written to gaps.json with a heat map next to it.

--season S reconciles those seasons only. A failed pre-flight check (lake,
database, directories, disk, expectations) stops the run before the scan:
nothing is planned on a broken lake or store.

Exit codes: 0 done (gaps may remain), 1 a step failed after its retries,
2 bad flags/config/expectations, 3 a pre-flight check failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg := a.Config()
			if os.Getenv("GOMEMLIMIT") == "" {
				// a soft limit: the collector works harder before the
				// heap of a million-object scan doubles (GOMEMLIMIT wins)
				debug.SetMemoryLimit(reconcileMemoryLimit)
			}
			if steps != "" {
				opts.Steps = strings.Split(steps, ",")
			}
			if cmd.Flags().Changed("fail-fast") {
				cfg.Health.FailFast = failFast
			}
			if len(seasons) > 0 {
				sel, err := parseSeasonFlags(seasons)
				if err != nil {
					return withExit(exitReconcileUsage, fmt.Errorf("reconcile: %w", err))
				}
				cfg.Seasons = sel // these seasons only, instead of the configured ones
			}
			human := cmd.OutOrStdout()
			if opts.JSON {
				human = cmd.ErrOrStderr()
			}
			r, cleanup, err := newReconcileRunner(ctx, a, human)
			if err != nil {
				return withExit(exitReconcileFailed, err)
			}
			defer cleanup()
			if len(seasons) > 0 {
				r.SeasonsDefault = false // chosen: a legacy bucket is reconciled over these only
			}
			if !opts.JSON && isTerminal(os.Stderr) {
				bar := progressbar.NewOptions64(-1, progressbar.OptionSetDescription("listing"),
					progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				r.Progress = func(n int64) { _ = bar.Set64(n) }
				defer bar.Finish() //nolint:errcheck // terminal only
			}
			var fl *reconcile.Floor
			if floor {
				if r.Lake == nil {
					return withExit(exitReconcileUsage, errors.New("--listing-floor: the lake is a folder; the floor is an S3 listing"))
				}
				if fl, err = reconcile.ListingFloor(ctx, r.Lake); err != nil {
					return withExit(exitReconcileFailed, err)
				}
			}
			start := time.Now()
			rep, err := r.Run(ctx, opts)
			elapsed := time.Since(start)
			var he *reconcile.HealthError
			if rep != nil && !opts.JSON && !errors.As(err, &he) { // stopped before the scan: nothing to sum up
				reconcile.PrintSummary(human, rep)
			}
			if fl != nil && rep != nil {
				fl.Compare(human, rep, elapsed)
			}
			if rep != nil && opts.JSON && (rep.Analysis != nil || err == nil) {
				doc, jerr := reconcile.PlanJSON(rep)
				if jerr != nil {
					return withExit(exitReconcileFailed, jerr)
				}
				cmd.OutOrStdout().Write(doc) //nolint:errcheck // stdout
			}
			return reconcileExit(err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&steps, "steps", "", "steps to run, comma-separated: scan,analyze,detect,generate (default all; a skipped scan reads the cache)")
	f.BoolVar(&opts.UseCache, "use-cache", false, "use the cached scan when younger than reconcile.cache_ttl")
	f.BoolVar(&opts.FullScan, "full-scan", false, "list every object (the default; excludes --sample-rate)")
	f.Float64Var(&opts.SampleRate, "sample-rate", 0, "keep a deterministic sample R (0<R<1) of keys; counts are scaled estimates")
	f.BoolVar(&opts.DryRun, "dry-run", false, "plan only: queue nothing, write no plan file or history")
	f.BoolVar(&opts.JSON, "json", false, "print the plan (gaps.json schema) on stdout; progress goes to stderr")
	f.BoolVar(&opts.Verify, "verify", false, "read the last bytes of every expected object to find truncated JSON/HTML (one ranged read each)")
	f.StringVar(&opts.Inventory, "inventory", "", "read an S3 Inventory manifest.json (CSV) instead of listing the lake")
	f.BoolVar(&failFast, "fail-fast", false, "skip the pre-flight checks after the first failure (default: health.fail_fast); a failed check always stops the run")
	f.StringSliceVar(&seasons, "season", nil, "reconcile these seasons only (2018-19; repeat or comma-separate) instead of the configured seasons")
	f.BoolVar(&floor, "listing-floor", false, "first list the whole bucket once with no processing (ListObjectsV2, 1,000 keys a page, one after the other) and compare the run's time with it")
	cmd.MarkFlagsMutuallyExclusive("full-scan", "sample-rate")
	return cmd
}

func reconcileExit(err error) error {
	if err == nil {
		return nil
	}
	var he *reconcile.HealthError
	var se *reconcile.StepError
	switch {
	case errors.As(err, &he):
		return withExit(exitReconcileHealth, err)
	case errors.As(err, &se):
		return withExit(exitReconcileFailed, err)
	case reconcile.IsPermanent(err):
		return withExit(exitReconcileUsage, err)
	}
	return withExit(exitReconcileFailed, err)
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// newReconcileRunner wires the lake lister, the store and the queue.
func newReconcileRunner(ctx context.Context, a *app, out io.Writer) (*reconcile.Runner, func(), error) {
	cfg := a.Config()
	lakeURL := LakeURL(cfg.Lake)
	r := &reconcile.Runner{Config: cfg, LakeURL: lakeURL, Prefix: cfg.Lake.Prefix, Out: out, Log: a.Logger(), RunID: a.RunID()}
	cleanup := func() {}
	l, err := a.Lake(ctx)
	if err != nil {
		return nil, cleanup, err
	}
	// the lake lists itself: a folder by a directory walk, a bucket page
	// by page (lake.Lister)
	r.Lister = l
	if !l.Folder() {
		r.Lake = l // --listing-floor lists a bucket
	}
	root, err := reconcile.FileLakeRoot(lakeURL, cfg.Lake.Prefix)
	if err != nil {
		return nil, cleanup, err
	}
	if root != "" {
		r.Tail = reconcile.FileTail(root)
	} else {
		r.Tail = reconcile.LakeTail(l)
	}
	prof, why, err := reconcile.ResolveProfile(ctx, r.Lister, cfg.Lake.Layout)
	if err != nil {
		return nil, cleanup, err
	}
	r.Profile, r.LayoutReason = prof, why
	r.SeasonsDefault = a.Origins().Get("seasons").Layer == config.LayerDefault
	fmt.Fprintln(out, why)
	st, err := a.Store(ctx)
	if err != nil {
		return nil, cleanup, err
	}
	r.Store = st
	r.Enqueue = reconcile.QueueEnqueue(st, a.Logger(), a.Config().Run.MaxAttempts)
	r.Preflight = func(ctx context.Context) error { return preflight(ctx, a, st, out, prof.Native()) }
	return r, cleanup, nil
}

// preflight runs the foundation's health checks (config, lake write/read
// probe, database reachable and migrated, free disk, cache and output
// directories) plus the expectations file. A failed check stops the run
// (exit 3) before the scan; health.fail_fast (--fail-fast) also skips the
// checks after the first failure. Warnings are reported and the run goes on.
//
// A lake in another layout (a legacy bucket read in place) is never written:
// its check lists it instead of the write/read/delete probe.
func preflight(ctx context.Context, a *app, st store.Store, out io.Writer, writable bool) error {
	cfg := a.Config()
	lakeCheck := health.Lake(func(ctx context.Context) (*lake.Lake, error) { return a.Lake(ctx) }, a.RunID())
	if !writable {
		lakeCheck = health.Check{Name: "lake", Run: func(ctx context.Context) health.Result {
			l, err := a.Lake(ctx)
			if err != nil {
				return health.Failf("open: %v", err)
			}
			p, err := l.List(ctx, "", "", 1)
			if err != nil {
				return health.Failf("%s: list: %v", l.URL(), err)
			}
			return health.Okf("%s: listed (%d object on the first page); read-only: not written", l.URL(), len(p.Objects))
		}}
	}
	checks := []health.Check{
		health.Config(cfg, a.Origins()),
		lakeCheck,
		health.Database(func(context.Context) (store.Store, error) { return st, nil }, storeopen.Location(cfg.Database)),
		health.Disk([]string{cfg.CacheDir, cfg.Reconcile.OutputDir}, cfg.Health.DiskWarnMB, cfg.Health.DiskFailMB),
		health.Dirs(map[string]string{"cache_dir": cfg.CacheDir, "reconcile.output_dir": cfg.Reconcile.OutputDir}),
		{Name: "expectations", Run: func(context.Context) health.Result {
			e, err := reconcile.LoadExpectations(cfg.Reconcile.Expectations)
			if err != nil {
				return health.Failf("%v", err)
			}
			return health.Okf("%s: %d datasets", e.Origin, len(e.Datasets))
		}},
	}
	rep := health.Runner{Timeout: cfg.Health.Timeout, FailFast: cfg.Health.FailFast}.Run(ctx, checks)
	fmt.Fprintln(out, "Pre-flight checks")
	for _, c := range rep.Checks {
		fmt.Fprintf(out, "  %-5s %-13s %s\n", strings.ToUpper(string(c.Status)), c.Name, c.Message)
	}
	if rep.Status == health.Fail {
		// a plan made on a broken lake, store or expectations would be
		// wrong: stop, whether or not fail-fast skipped the other checks
		return &reconcile.HealthError{Err: fmt.Errorf("failed: %s; nothing was scanned or planned (nbasim doctor shows every check)",
			strings.Join(rep.Named(health.Fail), ", "))}
	}
	return nil
}

// parseSeasonFlags reads --season values ("2018-19", repeated or
// comma-separated) into canonical season names, in order, without
// duplicates.
func parseSeasonFlags(vals []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, v := range vals {
		v = strings.TrimSpace(v)
		s, err := layout.ParseSeason(v)
		if err != nil || s.String() != v {
			return nil, fmt.Errorf("--season %q: want a season like 2018-19", v)
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, nil
}
