// Package bench measures nbasim's performance outside `go test -bench`:
// the scenarios of `nbasim bench` (fold, box-at, parse, load, lake,
// reconcile), a runner that times each one (wall time, CPU time, peak
// resident memory and heap, a step breakdown from internal/timing), and the
// results as a summary table or JSON.
//
// Each scenario is thin wiring over the public APIs the product uses (the
// engine, the v2 parser, the loader, the lake, the reconciliation runner):
// it prepares its input in untimed setup steps, then measures one step.
package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/timing"
)

// Defaults of Options.
const (
	DefaultPasses         = 20
	DefaultQueries        = 100_000
	DefaultObjects        = 173_000
	DefaultLakeObjects    = 2_000
	DefaultSyntheticGames = 1_230
	DefaultProcesses      = 50
)

// Options size the scenarios and name their inputs.
type Options struct {
	// DataDir is the real data folder (../shared/data); empty: fold and
	// box-at use synthetic games, parse and load are skipped.
	DataDir string
	// Games limits the archive games read (0: all 1,204); tests use a few.
	Games          int
	SyntheticGames int // games generated when DataDir is empty (default 1,230)
	Passes         int // fold: passes over the season (default 20)
	Queries        int // box-at: queries (default 100,000)
	Objects        int // reconcile: objects of the synthetic lake (default 173,000)
	LakeObjects    int // lake: objects written then listed (default 2,000)
	// Binary is the nbasim executable the end-to-end scenario runs
	// (nbasim bench passes its own); empty: box-cli is skipped.
	Binary    string
	Processes int // box-cli: cold `nbasim box` processes (default 50)
	// LakeURL is a lake benchmarked besides the temporary file:// one,
	// under a fresh prefix that is deleted after.
	LakeURL string
	// DatabaseURL is a postgres:// URL for load (a fresh schema, dropped
	// after); empty: a temporary SQLite file.
	DatabaseURL string
	TempDir     string // parent of the temporary folders (default os.TempDir())
	Log         *slog.Logger
	Progress    Progress
	// Report, when set, is called with each scenario's results as they end.
	Report func(Result)
}

func (o *Options) defaults() {
	if o.SyntheticGames <= 0 {
		o.SyntheticGames = DefaultSyntheticGames
	}
	if o.Passes <= 0 {
		o.Passes = DefaultPasses
	}
	if o.Queries <= 0 {
		o.Queries = DefaultQueries
	}
	if o.Objects <= 0 {
		o.Objects = DefaultObjects
	}
	if o.LakeObjects <= 0 {
		o.LakeObjects = DefaultLakeObjects
	}
	if o.Processes <= 0 {
		o.Processes = DefaultProcesses
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
	}
	if _, ok := o.Progress.(*lockedProgress); !ok {
		o.Progress = &lockedProgress{p: o.Progress}
	}
}

// lockedProgress serializes the calls: the loader and the reconciliation
// scan report progress from several goroutines.
type lockedProgress struct {
	mu sync.Mutex
	p  Progress
}

func (l *lockedProgress) Begin(label string, total int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.Begin(label, total)
}

func (l *lockedProgress) Set(done int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.Set(done)
}

func (l *lockedProgress) End() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.End()
}

// Progress shows how far a long phase is (a bar in a terminal, log lines
// otherwise). Phases run one at a time; Run serializes the calls, so an
// implementation need not be safe for concurrent use.
type Progress interface {
	Begin(label string, total int64) // total <= 0: unknown
	Set(done int64)
	End()
}

type noProgress struct{}

func (noProgress) Begin(string, int64) {}
func (noProgress) Set(int64)           {}
func (noProgress) End()                {}

// Scenario is one benchmark of `nbasim bench`.
type Scenario struct {
	Name string
	Doc  string
	// NeedsData: the scenario is skipped without the real data folder.
	NeedsData bool
	run       func(ctx context.Context, e *env) ([]Result, error)
}

// Scenarios returns every scenario, in the order they run.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "box-cli", Doc: "end to end: cold `nbasim box GAME --at` processes on a SQLite store loaded from the 2018-19 archive", NeedsData: true, run: runBoxCLI},
		{Name: "fold", Doc: "events folded per second on one core over the 2018-19 season (synthetic games without the data)", run: runFold},
		{Name: "box-at", Doc: "latency of the box at a random moment of a random game, in memory", run: runBoxAt},
		{Name: "parse", Doc: "parse the 2018-19 playbyplayv2 archive (1,204 games) on one core", NeedsData: true, run: runParse},
		{Name: "load", Doc: "parse + load the 2018-19 archive from a file:// lake into a fresh store", NeedsData: true, run: runLoad},
		{Name: "lake", Doc: "write and list small objects on a temporary file:// lake (and --lake)", run: runLake},
		{Name: "reconcile", Doc: "the whole reconciliation cycle over a synthetic file:// lake", run: runReconcile},
	}
}

// Names returns the scenario names.
func Names() []string {
	var out []string
	for _, s := range Scenarios() {
		out = append(out, s.Name)
	}
	return out
}

// Result is one measured case of a scenario.
type Result struct {
	Scenario  string
	Case      string // "write", "list", the store engine...
	Target    string // lake URL, database engine
	Input     string // what was measured, in words
	Synthetic bool
	Skipped   string // why the scenario did not run
	Error     string
	Items     int64  // events, queries or objects in the measured step
	Unit      string // "events", "queries", "objects"
	Wall      time.Duration
	CPU       time.Duration // user + system CPU of the process during the measured step
	PeakRSS   uint64        // peak resident set during the measured step (bytes)
	PeakHeap  uint64        // peak Go heap sampled during the measured step
	Latency   *Latency
	Metrics   []Metric
	Timing    timing.Report  // setup and measured steps
	Detail    *timing.Report // the product's own breakdown (reconcile's steps)
}

// Name is scenario[/case].
func (r Result) Name() string {
	if r.Case == "" {
		return r.Scenario
	}
	return r.Scenario + "/" + r.Case
}

// Throughput is items per second of wall time.
func (r Result) Throughput() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Items) / r.Wall.Seconds()
}

// PerCPUSecond is items per second of CPU time (all cores of the
// process): the cost of the work, which a busy machine changes less than
// the wall time.
func (r Result) PerCPUSecond() float64 {
	if r.CPU <= 0 {
		return 0
	}
	return float64(r.Items) / r.CPU.Seconds()
}

// Latency summarizes per-query durations.
type Latency struct {
	N             int
	P50, P99, Max time.Duration
}

// Metric is an extra figure of a result.
type Metric struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Report is a whole bench run.
type Report struct {
	Started  time.Time
	Finished time.Time
	Host     Host
	Options  Options
	Results  []Result
}

// Failed reports whether any scenario failed.
func (r *Report) Failed() bool {
	for _, x := range r.Results {
		if x.Error != "" {
			return true
		}
	}
	return false
}

// Run runs the named scenarios (all when names is empty; then scenarios
// whose inputs are missing are skipped, while a named one fails). A
// scenario's error is recorded in its result and the others still run.
func Run(ctx context.Context, names []string, opt Options) (*Report, error) {
	opt.defaults()
	all := Scenarios()
	var sel []Scenario
	explicit := len(names) > 0
	if !explicit {
		sel = all
	}
	for _, n := range names {
		i := slices.IndexFunc(all, func(s Scenario) bool { return s.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("bench: unknown scenario %q (want %s)", n, strings.Join(Names(), ", "))
		}
		if !slices.ContainsFunc(sel, func(s Scenario) bool { return s.Name == n }) {
			sel = append(sel, all[i])
		}
	}
	// run in the canonical order so that fold and box-at share the season
	slices.SortStableFunc(sel, func(a, b Scenario) int {
		return slices.IndexFunc(all, func(s Scenario) bool { return s.Name == a.Name }) -
			slices.IndexFunc(all, func(s Scenario) bool { return s.Name == b.Name })
	})
	rep := &Report{Started: time.Now().UTC(), Host: hostInfo(), Options: opt}
	e := &env{opt: opt}
	defer e.release()
	for i, s := range sel {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		var res []Result
		if s.NeedsData && !e.hasArchive() {
			why := "needs the real data (--data DIR with seasons/2018-19/playbyplayv2.tar.gz)"
			r := Result{Scenario: s.Name, Skipped: why}
			if explicit {
				r.Skipped, r.Error = "", why
			}
			res = []Result{r}
		} else {
			opt.Log.Debug("bench: scenario", "name", s.Name)
			out, err := s.run(ctx, e)
			if err != nil {
				if len(out) == 0 {
					out = []Result{{Scenario: s.Name}}
				}
				out[len(out)-1].Error = err.Error()
			}
			res = out
		}
		// the season cache serves fold and box-at only
		if !slices.ContainsFunc(sel[i+1:], func(s Scenario) bool { return s.Name == "box-at" || s.Name == "fold" }) {
			e.release()
		}
		for _, r := range res {
			rep.Results = append(rep.Results, r)
			if opt.Report != nil {
				opt.Report(r)
			}
		}
	}
	rep.Finished = time.Now().UTC()
	rep.Host.LoadEnd = timing.LoadAvg()
	return rep, nil
}

// meter times the steps of one result.
type meter struct {
	res      *Result
	timer    *timing.Timer
	measured []int // indexes of measured steps in the timer
	steps    int
}

func newMeter(scenario, kase string) *meter {
	name := scenario
	if kase != "" {
		name += "/" + kase
	}
	return &meter{res: &Result{Scenario: scenario, Case: kase}, timer: timing.New(name)}
}

// setup runs an untimed (but reported) preparation step.
func (m *meter) setup(name string, fn func() error) error {
	m.steps++
	return m.timer.Step(name, fn)
}

// measure runs the measured step: fn returns the items it processed.
func (m *meter) measure(name string, fn func() (int64, error)) error {
	runtime.GC()
	resetPeakRSS()
	m.measured = append(m.measured, m.steps)
	m.steps++
	span := m.timer.Start(name)
	cpu0, t0 := timing.CPUTime(), time.Now()
	n, err := fn()
	wall, cpu := time.Since(t0), timing.CPUTime()-cpu0
	span.StopErr(err)
	m.res.Items += n
	m.res.Wall += wall
	m.res.CPU += cpu
	m.res.PeakRSS = max(m.res.PeakRSS, peakRSS())
	return err
}

// done fixes the timing report and returns the result.
func (m *meter) done() Result {
	m.res.Timing = m.timer.Stop()
	for _, i := range m.measured {
		if i < len(m.res.Timing.Steps) {
			m.res.PeakHeap = max(m.res.PeakHeap, m.res.Timing.Steps[i].MemPeak)
		}
	}
	return *m.res
}

// metric adds an extra figure.
func (m *meter) metric(name string, v float64, unit string) {
	m.res.Metrics = append(m.res.Metrics, Metric{Name: name, Value: v, Unit: unit})
}

// tempDir makes a temporary folder under opt.TempDir.
func (e *env) tempDir(pattern string) (string, func(), error) {
	dir, err := os.MkdirTemp(e.opt.TempDir, "nbasim-bench-"+pattern+"-")
	if err != nil {
		return "", func() {}, fmt.Errorf("bench: temp dir: %w", err)
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// release drops the cached season and returns its memory to the system.
func (e *env) release() {
	if e.games == nil && e.compiled == nil {
		return
	}
	e.games, e.compiled = nil, nil
	runtime.GC()
	debug.FreeOSMemory()
}

var errStop = errors.New("stop")
