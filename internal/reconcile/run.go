// Package reconcile compares what the lake should hold with what it holds:
// scan (parallel listing, every key parsed by the layout rules), analyze
// (coverage per source × dataset × season against expectations.yaml and the
// store's schedule), detect (gaps with priorities), generate (tasks with
// stable ids into River's job table, a gaps.json plan and a heat map).
package reconcile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/retry"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/timing"
)

// Steps of a reconciliation, in order.
var Steps = []string{"scan", "analyze", "detect", "generate"}

// permanentError is not retried.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying (bad input, bad config).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err (or what it wraps) is permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// StepError is a step that failed after its attempts.
type StepError struct {
	Step     string
	Attempts int
	Err      error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %s failed after %d attempt(s): %v", e.Step, e.Attempts, e.Err)
}
func (e *StepError) Unwrap() error { return e.Err }

// HealthError is a failed pre-flight check with fail-fast on.
type HealthError struct{ Err error }

func (e *HealthError) Error() string { return "pre-flight: " + e.Err.Error() }
func (e *HealthError) Unwrap() error { return e.Err }

// EnqueueFunc persists tasks (in one transaction) and says how many were
// new and how many merged with tasks already queued.
type EnqueueFunc func(ctx context.Context, runID string, tasks []Task) (inserted, merged int, err error)

// Runner runs a reconciliation.
type Runner struct {
	Config  *config.Config
	Lister  Lister // used by the scan step (nil: only --inventory or the cache)
	LakeURL string
	Prefix  string      // lake prefix, stripped from inventory keys
	Store   store.Store // schedule, invalid objects, history (nil: none)
	Enqueue EnqueueFunc // nil: tasks are only written to gaps.json
	// Preflight runs the health checks; it returns a *HealthError to stop.
	Preflight func(ctx context.Context) error
	Out       io.Writer // human output (nil: discarded)
	Log       *slog.Logger
	RunID     string
	Now       func() time.Time
	Sleep     func(ctx context.Context, d time.Duration) error
	// Tail reads the end of objects for Options.Verify.
	Tail TailReader
	// Progress reports objects listed (a progress bar in a terminal).
	Progress func(listed int64)
	// Profile is the lake's key layout (nil: nbasim's own); LayoutReason
	// says how it was chosen (ResolveProfile). With another layout than
	// nbasim's the run is read-only on the lake, every object present is
	// planned as an import task, and missing ones as fetches into nbasim's
	// lake.
	Profile      *layout.Profile
	LayoutReason string
	// Lake is the lake when it is a bucket (for --listing-floor).
	Lake *lake.Lake
	// SeasonsDefault is set when the seasons are the defaults (not chosen
	// by the user): a legacy bucket is then reconciled over every season
	// it holds.
	SeasonsDefault bool
	// Unavailable, when set, returns the keys not to plan: objects whose
	// last fetch failed permanently (fetch_log) within its age limit. They
	// stay gaps in the coverage but get no task (Plan.Unavailable).
	Unavailable func(ctx context.Context) (map[string]bool, error)
}

// Options are the command-line choices.
type Options struct {
	Steps      []string // empty: all
	UseCache   bool
	FullScan   bool
	SampleRate float64
	DryRun     bool
	JSON       bool
	Inventory  string
	// Verify reads the last bytes of every object of the expected datasets
	// to find truncated payloads (needs Runner.Tail).
	Verify bool
}

// Report is everything a run produced.
type Report struct {
	RunID        string
	StartedAt    time.Time
	FinishedAt   time.Time
	Current      layout.Season
	Seasons      []layout.Season
	Expectations string
	Scan         *ScanResult
	CacheNote    string
	Analysis     *Analysis
	Gaps         []Gap
	Plan         *Plan
	Inserted     int
	Merged       int
	Queued       bool
	PlanPath     string
	HeatmapSVG   string
	HeatmapPNG   string
	Timing       timing.Report
	Attempts     map[string]int // attempts per step
	PeakRSS      uint64
	DryRun       bool
	Warnings     []string
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) out() io.Writer {
	if r.Out == nil {
		return io.Discard
	}
	return r.Out
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// ParseSteps validates a --steps list.
func ParseSteps(list []string) (map[string]bool, error) {
	sel := map[string]bool{}
	if len(list) == 0 {
		for _, s := range Steps {
			sel[s] = true
		}
		return sel, nil
	}
	for _, s := range list {
		s = strings.TrimSpace(strings.ToLower(s))
		ok := false
		for _, k := range Steps {
			ok = ok || k == s
		}
		if !ok {
			return nil, Permanent(fmt.Errorf("unknown step %q (want %s)", s, strings.Join(Steps, ",")))
		}
		sel[s] = true
	}
	return sel, nil
}

// step runs fn with retries (internal/retry): Attempts tries, exponential
// backoff from RetryBase with up to 10 % jitter; permanent errors stop at
// once.
func (r *Runner) step(ctx context.Context, rep *Report, timer *timing.Timer, n int, name string, selected bool, fn func(context.Context) error) error {
	cfg := r.Config.Reconcile
	attempts := cfg.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	base := cfg.RetryBase
	if base <= 0 {
		base = 5 * time.Second
	}
	label := name
	if !selected {
		label += " (from cache / implicit)"
	}
	fmt.Fprintf(r.out(), "[Step %d/%d] %s\n", n, len(Steps), label)
	span := timer.Start(name)
	i, err := retry.Policy{
		Attempts:  attempts,
		Backoff:   retry.Backoff{Base: base, Spread: 0.1},
		Permanent: IsPermanent,
		Sleep:     r.Sleep,
		OnRetry: func(i int, err error, d time.Duration) {
			fmt.Fprintf(r.out(), "  attempt %d/%d failed: %v; retrying in %s\n", i, attempts, err, d.Round(time.Millisecond))
			r.log().Warn("reconcile step failed, retrying", "step", name, "attempt", i, "error", err, "backoff", d)
		},
	}.Do(ctx, fn)
	span.StopErr(err)
	rep.Attempts[name] = min(i, attempts)
	if err != nil {
		return &StepError{Step: name, Attempts: min(i, attempts), Err: err}
	}
	return nil
}

// Run runs the selected steps and returns the report. Errors are
// *HealthError (pre-flight), *StepError (a step failed) or permanent
// errors in the options.
func (r *Runner) Run(ctx context.Context, opts Options) (*Report, error) {
	cfg := r.Config
	rep := &Report{RunID: r.RunID, StartedAt: r.now().UTC(), DryRun: opts.DryRun, Attempts: map[string]int{}}
	if rep.RunID == "" {
		rep.RunID = fmt.Sprintf("r%s", rep.StartedAt.Format("20060102T150405.000"))
	}
	sel, err := ParseSteps(opts.Steps)
	if err != nil {
		return nil, err
	}
	if opts.FullScan && opts.SampleRate > 0 && opts.SampleRate < 1 {
		return nil, Permanent(errors.New("--full-scan and --sample-rate exclude each other"))
	}
	if opts.SampleRate < 0 || opts.SampleRate > 1 {
		return nil, Permanent(fmt.Errorf("--sample-rate %v: want 0 < R <= 1", opts.SampleRate))
	}
	// Seasons and the current season.
	rep.Current = layout.SeasonOfDate(r.now())
	if cfg.Reconcile.CurrentSeason != "" {
		s, err := layout.ParseSeason(cfg.Reconcile.CurrentSeason)
		if err != nil {
			return nil, Permanent(fmt.Errorf("reconcile.current_season: %w", err))
		}
		rep.Current = s
	}
	for _, s := range cfg.Seasons {
		ss, err := layout.ParseSeason(s)
		if err != nil {
			return nil, Permanent(fmt.Errorf("seasons: %w", err))
		}
		rep.Seasons = append(rep.Seasons, ss)
	}
	if len(rep.Seasons) == 0 {
		rep.Seasons = []layout.Season{rep.Current - 1, rep.Current}
	}
	prof := r.Profile
	if prof == nil {
		prof = layout.NBASim
	}
	expName := ExpectationsFor(cfg.Reconcile.Expectations, prof)
	exp, err := LoadExpectations(expName)
	if err != nil {
		return nil, Permanent(err)
	}
	rep.Expectations = exp.Origin

	if r.Preflight != nil {
		if err := r.Preflight(ctx); err != nil {
			return rep, err
		}
	}
	timer := timing.New("reconcile")

	// 1. scan
	cachePath := ""
	if cfg.CacheDir != "" {
		cachePath = CachePath(cfg.CacheDir, redactedURL(r.LakeURL))
	}
	var (
		cacheWG  sync.WaitGroup
		cacheErr error
	)
	finish := func(err error) (*Report, error) {
		cacheWG.Wait()
		if cacheErr != nil {
			rep.Warnings = append(rep.Warnings, cacheErr.Error())
			r.log().Warn("scan cache not written", "error", cacheErr)
		}
		rep.Timing = timer.Stop()
		return r.finish(ctx, rep, err)
	}
	wantRate := opts.SampleRate
	if opts.FullScan {
		wantRate = 1
	}
	err = r.step(ctx, rep, timer, 1, "scan", sel["scan"], func(ctx context.Context) error {
		if !sel["scan"] || opts.UseCache {
			if cachePath == "" {
				return Permanent(errors.New("no cache_dir configured: cannot use a cached scan"))
			}
			ttl := cfg.Reconcile.CacheTTL
			res, err := ReadCache(cachePath, redactedURL(r.LakeURL), ttl, r.now())
			if err == nil && sel["scan"] && !sameMode(res, wantRate, opts.Inventory) {
				err = &CacheProblem{cachePath, fmt.Sprintf("scanned in %s mode (rate %v), this run wants another", res.Mode, res.SampleRate)}
			}
			if err == nil {
				rep.Scan = res
				rep.CacheNote = "scan read from cache " + cachePath
				fmt.Fprintf(r.out(), "  using cached scan %s (%d objects, scanned %s)\n", cachePath, res.Listed, res.StartedAt.Format(time.RFC3339))
				return nil
			}
			rep.CacheNote = err.Error()
			rep.Warnings = append(rep.Warnings, err.Error())
			fmt.Fprintf(r.out(), "  cache not used: %v\n", err)
			r.log().Warn("scan cache not used", "error", err)
			if !sel["scan"] {
				return Permanent(fmt.Errorf("step scan not selected and %w", err))
			}
		}
		var res *ScanResult
		var err error
		sopts := ScanOptions{SampleRate: wantRate, LakeURL: redactedURL(r.LakeURL), Progress: r.Progress, Profile: prof}
		if opts.Inventory != "" {
			res, err = ScanInventory(ctx, opts.Inventory, r.Prefix, sopts)
		} else {
			if r.Lister == nil {
				return Permanent(errors.New("no lake lister"))
			}
			res, err = Scan(ctx, r.Lister, sopts)
		}
		if err != nil {
			return err
		}
		rep.Scan = res
		res.LayoutReason = r.LayoutReason
		fmt.Fprintf(r.out(), "  %d objects listed (%s) in %s: %d in %d datasets×seasons, %d unknown, %d history versions\n",
			res.Listed, res.Lister, res.Duration.Round(time.Millisecond), res.Kept-res.UnknownCount-res.NotDataCount(), len(res.Groups), res.UnknownCount, res.History)
		if !prof.Native() {
			fmt.Fprintf(r.out(), "  %s; %d not data, %d items under several names (%d copies: %d identical, %d different)\n",
				r.LayoutReason, res.NotDataCount(), res.Copies.Items, res.Copies.Copies, res.Copies.Identical+res.Copies.SizeOnly, res.Copies.Different)
		}
		if res.Mode == "sample" {
			fmt.Fprintf(r.out(), "  sampled at %.3g: counts below are estimates (×%.3g)\n", res.SampleRate, res.Scale())
		}
		if cachePath != "" {
			// written while the other steps run; awaited before the end
			cacheWG.Add(1)
			go func() {
				defer cacheWG.Done()
				cacheErr = WriteCache(cachePath, res)
			}()
		}
		return nil
	})
	if err != nil {
		return finish(err)
	}

	// 2. analyze
	err = r.step(ctx, rep, timer, 2, "analyze", sel["analyze"], func(ctx context.Context) error {
		if (len(cfg.Seasons) == 0 || r.SeasonsDefault) && (!prof.Native() || expName == ExpectationsNBASimulator) {
			// a legacy bucket: every season it holds
			if ss := SeasonsInScan(rep.Scan); len(ss) > 0 {
				rep.Seasons = ss
			}
		}
		in := Inputs{Expectations: exp, Seasons: rep.Seasons, Current: rep.Current, Now: r.now(), ScheduleAsListed: cfg.Reconcile.ScheduleAsListed}
		if r.Store != nil {
			var err error
			if in.Schedule, err = LoadSchedule(ctx, r.Store, rep.Seasons); err != nil {
				return err
			}
			if in.Teams, err = LoadTeams(ctx, r.Store); err != nil {
				return err
			}
			if in.Invalid, err = LoadInvalid(ctx, r.Store); err != nil {
				return err
			}
			if exp.NeedsPlayers() {
				if in.Players, err = LoadPlayerSeasons(ctx, r.Store, rep.Seasons); err != nil {
					return err
				}
				n := 0
				for _, ids := range in.Players {
					n += len(ids)
				}
				fmt.Fprintf(r.out(), "  %d player-seasons in the store (per-player expectations)\n", n)
			}
		}
		if opts.Verify {
			if r.Tail == nil {
				return Permanent(errors.New("--verify: no reader for this lake"))
			}
			bad, n, err := VerifyTails(ctx, rep.Scan, exp, r.Tail, 0)
			if err != nil {
				return err
			}
			if in.Invalid == nil {
				in.Invalid = map[string]string{}
			}
			for k, why := range bad {
				if _, ok := in.Invalid[k]; !ok {
					in.Invalid[k] = why
				}
			}
			fmt.Fprintf(r.out(), "  verified the end of %d objects: %d cut short\n", n, len(bad))
		}
		rep.Analysis = Analyze(in, rep.Scan)
		a := rep.Analysis
		est := ""
		if a.Estimated {
			est = " (estimate)"
		}
		fmt.Fprintf(r.out(), "  %d cells: %d of %d expected objects present and valid, %.1f%% complete%s\n", len(a.Cells), a.Present, a.Expected, 100*a.Completeness, est)
		if len(a.SchedulesMissing) > 0 {
			fmt.Fprintf(r.out(), "  no schedule in the store for: %s\n", strings.Join(a.SchedulesMissing, ", "))
		}
		return nil
	})
	if err != nil {
		return finish(err)
	}

	// 3. detect
	err = r.step(ctx, rep, timer, 3, "detect", sel["detect"], func(ctx context.Context) error {
		rep.Gaps = Detect(rep.Analysis, ThresholdsFrom(cfg.Reconcile.Priorities), rep.Current, r.now())
		fmt.Fprintf(r.out(), "  %d gaps\n", len(rep.Gaps))
		return nil
	})
	if err != nil {
		return finish(err)
	}

	// 4. generate
	if !sel["generate"] {
		fmt.Fprintf(r.out(), "[Step 4/4] generate (skipped)\n")
		return finish(nil)
	}
	err = r.step(ctx, rep, timer, 4, "generate", true, func(ctx context.Context) error {
		gopts := GenerateOptions{Sources: cfg.Sources, Caps: cfg.Reconcile.Caps}
		if r.Unavailable != nil {
			skip, err := r.Unavailable(ctx)
			if err != nil {
				return err
			}
			gopts.Skip = skip
		}
		rep.Plan = Generate(rep.Gaps, exp, gopts)
		if !prof.Native() {
			rep.Plan.Retarget()
			from := lake.Redact(r.LakeURL)
			if p := strings.Trim(r.Prefix, "/"); p != "" {
				from += "#" + p
			}
			imports := ImportTasks(rep.Scan, from)
			rep.Plan.Tasks = append(imports, rep.Plan.Tasks...)
			n := 0
			for _, t := range imports {
				n += t.Count
			}
			fmt.Fprintf(r.out(), "  %d import tasks for %d objects present in the legacy bucket (imported, not refetched)\n", len(imports), n)
		}
		fmt.Fprintf(r.out(), "  %d tasks planned (%s of fetching at the sources' rates)\n", len(rep.Plan.Tasks), humanSeconds(rep.Plan.EstimatedSeconds()))
		if rep.Plan.Unavailable > 0 {
			fmt.Fprintf(r.out(), "  %d keys not planned: their last fetch failed permanently (fetch_log)\n", rep.Plan.Unavailable)
		}
		if opts.DryRun {
			fmt.Fprintf(r.out(), "  dry run: nothing queued, no plan file written\n")
			return nil
		}
		if r.Enqueue != nil && !rep.Queued {
			ins, merged, err := r.Enqueue(ctx, rep.RunID, rep.Plan.Tasks)
			if err != nil {
				return err
			}
			rep.Inserted, rep.Merged, rep.Queued = ins, merged, true
			fmt.Fprintf(r.out(), "  queued in one transaction: %d new, %d already queued (merged)\n", ins, merged)
		}
		return r.writeOutputs(rep)
	})
	return finish(err)
}

func sameMode(res *ScanResult, rate float64, inventory string) bool {
	if inventory != "" {
		return res.Mode == "inventory"
	}
	if rate > 0 && rate < 1 {
		return res.Mode == "sample" && res.SampleRate == rate
	}
	return res.Mode == "full" || res.Mode == "inventory"
}

func redactedURL(u string) string {
	base, _, _ := strings.Cut(u, "?")
	return base
}

// writeOutputs writes gaps.json and the heat maps to reconcile.output_dir.
func (r *Runner) writeOutputs(rep *Report) error {
	dir := r.Config.Reconcile.OutputDir
	if dir == "" {
		dir = "./data/reports"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Permanent(fmt.Errorf("reconcile: output dir: %w", err))
	}
	rep.PlanPath = filepath.Join(dir, "gaps.json")
	rep.HeatmapSVG = filepath.Join(dir, "heatmap.svg")
	rep.HeatmapPNG = filepath.Join(dir, "heatmap.png")
	title := fmt.Sprintf("nbasim coverage %s (run %s)", rep.StartedAt.Format("2006-01-02 15:04 MST"), rep.RunID)
	if err := writeAtomic(rep.HeatmapSVG, HeatmapSVG(rep.Analysis.Cells, title)); err != nil {
		return err
	}
	png, err := HeatmapPNG(rep.Analysis.Cells)
	if err != nil {
		return err
	}
	if err := writeAtomic(rep.HeatmapPNG, png); err != nil {
		return err
	}
	doc, err := PlanJSON(rep)
	if err != nil {
		return err
	}
	return writeAtomic(rep.PlanPath, doc)
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("reconcile: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("reconcile: write %s: %w", path, err)
	}
	return nil
}

// finish records the run in the store (unless dry run) and returns err.
func (r *Runner) finish(ctx context.Context, rep *Report, err error) (*Report, error) {
	rep.FinishedAt = r.now().UTC()
	rep.PeakRSS = timing.PeakRSS()
	if r.Store == nil || rep.DryRun {
		return rep, err
	}
	rec := RunRecord{RunID: rep.RunID, StartedAt: rep.StartedAt, FinishedAt: rep.FinishedAt, Status: "ok", PlanPath: rep.PlanPath,
		TimingJSON: TimingJSON(rep.Timing, rep.PeakRSS)}
	if err != nil {
		rec.Status, rec.Error = "failed", err.Error()
	}
	if s := rep.Scan; s != nil {
		rec.ScanMode, rec.SampleRate, rec.Objects, rec.Unknown = s.Mode, s.SampleRate, s.Listed, s.UnknownCount
		if s.FromCache {
			rec.ScanMode = "cache:" + s.Mode
		}
	}
	var cells []*Cell
	if a := rep.Analysis; a != nil {
		rec.Expected, rec.Present, rec.Completeness, cells = a.Expected, a.Present, a.Completeness, a.Cells
	}
	rec.Gaps = len(rep.Gaps)
	if rep.Plan != nil {
		rec.Tasks, rec.TasksNew = len(rep.Plan.Tasks), rep.Inserted
	}
	if serr := SaveRun(context.WithoutCancel(ctx), r.Store, rec, cells); serr != nil {
		rep.Warnings = append(rep.Warnings, serr.Error())
		r.log().Error("coverage history not saved", "error", serr)
	}
	return rep, err
}

func humanSeconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	case d < 48*time.Hour:
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}
