package bench

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/synth"
)

// archiveSeason is the season of the playbyplayv2 archive.
const archiveSeason = "2018-19"

// env is what the scenarios of one run share: the options and the parsed
// and compiled season (fold and box-at).
type env struct {
	opt       Options
	games     []*model.Game
	compiled  []*pbp.Compiled
	input     string
	synthetic bool
	events    int
}

// ArchivePath is the 2018-19 playbyplayv2 archive of a data folder.
func ArchivePath(dataDir string) string {
	return filepath.Join(dataDir, "seasons", archiveSeason, "playbyplayv2.tar.gz")
}

func (e *env) hasArchive() bool {
	if e.opt.DataDir == "" {
		return false
	}
	st, err := os.Stat(ArchivePath(e.opt.DataDir))
	return err == nil && st.Mode().IsRegular()
}

// member is one game of the archive.
type member struct {
	name, id string
	data     []byte
}

// readArchive reads the archive's games (at most opt.Games).
func (e *env) readArchive() ([]member, error) {
	var out []member
	err := derive.EachArchiveGame(ArchivePath(e.opt.DataDir), func(name string, data []byte) error {
		out = append(out, member{name: name, id: strings.TrimSuffix(filepath.Base(name), ".json"), data: data})
		if e.opt.Games > 0 && len(out) >= e.opt.Games {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no game in the archive", ArchivePath(e.opt.DataDir))
	}
	return out, nil
}

// parseGame parses one archive game with the product's v2 parser.
func (e *env) parseGame(m member) (*parse.Result, error) {
	return nbastats.ParsePlayByPlayV2(m.data, parse.Hint{Key: ArchivePath(e.opt.DataDir) + "!" + m.name, Season: archiveSeason, Item: m.id})
}

// season parses (once) the games that fold and box-at use: the archive,
// or synthetic games without it; then compiles them with the default
// overrides, as `nbasim verify` and `nbasim box` do.
func (e *env) season(m *meter) error {
	if e.compiled != nil {
		return m.setup("season (prepared by an earlier scenario)", func() error { return nil })
	}
	var failed int
	err := m.setup("parse season", func() error {
		if !e.hasArchive() {
			e.synthetic = true
			for i := range e.opt.SyntheticGames {
				g, _ := pbp.SyntheticGame(uint64(i + 1))
				e.games = append(e.games, g)
			}
			return nil
		}
		ms, err := e.readArchive()
		if err != nil {
			return err
		}
		// setup: parse on every core, keep the archive's order
		games := make([]*model.Game, len(ms))
		errs := make([]error, len(ms))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < len(ms); i = int(next.Add(1) - 1) {
					res, err := e.parseGame(ms[i])
					if err == nil && res.PBP == nil {
						err = errors.New("no play-by-play")
					}
					if err != nil {
						errs[i] = err
						continue
					}
					games[i] = res.PBP
				}
			}()
		}
		wg.Wait()
		for i, g := range games {
			if g == nil {
				failed++
				e.opt.Log.Warn("bench: game not parsed", "game", ms[i].id, "error", errs[i])
				continue
			}
			e.games = append(e.games, g)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(e.games) == 0 {
		return errors.New("bench: no game to fold")
	}
	err = m.setup("compile", func() error {
		ov, err := pbp.LoadOverrides("")
		if err != nil {
			return err
		}
		e.opt.Progress.Begin("compile", int64(len(e.games)))
		defer e.opt.Progress.End()
		for i, g := range e.games {
			c := pbp.Compile(g, ov)
			e.compiled = append(e.compiled, c)
			e.events += c.NumEvents()
			e.opt.Progress.Set(int64(i + 1))
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.games = nil // the compiled games are what the scenarios use
	if e.synthetic {
		e.input = fmt.Sprintf("%d synthetic games, %d events (no data folder)", len(e.compiled), e.events)
	} else {
		e.input = fmt.Sprintf("%s season, %d games, %d events", archiveSeason, len(e.compiled), e.events)
		if failed > 0 {
			e.input += fmt.Sprintf(" (%d games did not parse)", failed)
		}
	}
	return nil
}

func runFold(ctx context.Context, e *env) ([]Result, error) {
	m := newMeter("fold", "")
	if err := e.season(m); err != nil {
		return []Result{m.done()}, err
	}
	cs := e.compiled
	states := make([]pbp.State, len(cs))
	_ = m.setup("warm-up fold", func() error {
		for k, c := range cs {
			c.Fold(&states[k])
		}
		return nil
	})
	passes := e.opt.Passes
	err := m.measure(fmt.Sprintf("fold ×%d", passes), func() (int64, error) {
		// one goroutine on one OS thread: one core
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		e.opt.Progress.Begin("fold", int64(passes))
		defer e.opt.Progress.End()
		n := 0
		for p := range passes {
			if err := ctx.Err(); err != nil {
				return int64(n), err
			}
			for k, c := range cs {
				n += c.Fold(&states[k])
			}
			e.opt.Progress.Set(int64(p + 1))
		}
		return int64(n), nil
	})
	m.res.Unit, m.res.Input, m.res.Synthetic = "events", fmt.Sprintf("%s, %d passes", e.input, passes), e.synthetic
	m.metric("passes", float64(passes), "")
	m.metric("events per pass", float64(e.events), "events")
	return []Result{m.done()}, err
}

func runBoxAt(ctx context.Context, e *env) ([]Result, error) {
	m := newMeter("box-at", "")
	if err := e.season(m); err != nil {
		return []Result{m.done()}, err
	}
	cs := e.compiled
	q := e.opt.Queries
	lat := make([]time.Duration, 0, q)
	players := 0
	err := m.measure(fmt.Sprintf("%d queries", q), func() (int64, error) {
		r := rand.New(rand.NewPCG(7, 11))
		e.opt.Progress.Begin("box-at", int64(q))
		defer e.opt.Progress.End()
		for i := range q {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return int64(i), err
				}
				e.opt.Progress.Set(int64(i))
			}
			c := cs[r.IntN(len(cs))]
			mo := pbp.AtElapsed(model.Tenths(r.IntN(int(c.FinalState().Elapsed) + 1)))
			t0 := time.Now()
			b := c.BoxAt(mo)
			lat = append(lat, time.Since(t0))
			players += len(b.Players)
		}
		return int64(q), nil
	})
	m.res.Unit, m.res.Synthetic = "queries", e.synthetic
	m.res.Input = fmt.Sprintf("Compiled.BoxAt at a random moment of a random game of %s, in memory", e.input)
	if len(lat) > 0 {
		slices.Sort(lat)
		m.res.Latency = &Latency{N: len(lat), P50: lat[len(lat)/2], P99: lat[len(lat)*99/100], Max: lat[len(lat)-1]}
		m.metric("player lines per box", float64(players)/float64(len(lat)), "")
	}
	return []Result{m.done()}, err
}

func runParse(ctx context.Context, e *env) ([]Result, error) {
	m := newMeter("parse", "")
	var ms []member
	var bytes int64
	if err := m.setup("read archive (gunzip, untar)", func() (err error) {
		ms, err = e.readArchive()
		for _, mb := range ms {
			bytes += int64(len(mb.data))
		}
		return err
	}); err != nil {
		return []Result{m.done()}, err
	}
	var failed int
	var first error
	err := m.measure("ParsePlayByPlayV2", func() (int64, error) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		e.opt.Progress.Begin("parse", int64(len(ms)))
		defer e.opt.Progress.End()
		var n int64
		for i, mb := range ms {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			res, err := e.parseGame(mb)
			if err == nil && res.PBP == nil {
				err = fmt.Errorf("%s: no play-by-play", mb.name)
			}
			if err != nil {
				failed++
				first = cmpOr(first, err)
				continue
			}
			n += int64(len(res.PBP.Events))
			e.opt.Progress.Set(int64(i + 1))
		}
		return n, nil
	})
	m.res.Unit = "events"
	m.res.Input = fmt.Sprintf("%d games of %s (%.1f MB of JSON), one core", len(ms), filepath.Base(ArchivePath(e.opt.DataDir)), float64(bytes)/(1<<20))
	m.metric("games", float64(len(ms)), "")
	m.metric("games failed", float64(failed), "")
	if m.res.Wall > 0 {
		m.metric("JSON throughput", float64(bytes)/(1<<20)/m.res.Wall.Seconds(), "MB/s")
	}
	if err == nil && failed > 0 {
		err = fmt.Errorf("%d games failed to parse, first: %w", failed, first)
	}
	return []Result{m.done()}, err
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// openStore opens a fresh store in dir (SQLite) or, for a postgres://
// DatabaseURL, in a new schema that the returned cleanup drops.
func (e *env) openStore(ctx context.Context, dir string) (store.Store, string, func(), error) {
	u := e.opt.DatabaseURL
	if !storeopen.IsPostgresURL(u) {
		path := filepath.Join(dir, "bench.db")
		st, err := storeopen.Open(ctx, config.Database{SQLitePath: path}, nil)
		if err != nil {
			return nil, "", func() {}, err
		}
		return st, "sqlite (temporary file)", func() { _ = st.Close() }, nil
	}
	admin, err := storeopen.Connect(ctx, config.Database{URL: u, MaxConns: 2}, nil)
	if err != nil {
		return nil, "", func() {}, err
	}
	var b [6]byte
	_, _ = crand.Read(b[:])
	schema := "nbasim_bench_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, "", func() {}, fmt.Errorf("bench: create schema %s: %w", schema, err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := admin.Exec(dctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			e.opt.Log.Error("bench: drop schema", "schema", schema, "error", err)
		}
		admin.Close()
	}
	pu, err := url.Parse(u)
	if err != nil {
		drop()
		return nil, "", func() {}, fmt.Errorf("bench: database url: %w", err)
	}
	qv := pu.Query()
	qv.Set("search_path", schema)
	pu.RawQuery = qv.Encode()
	st, err := storeopen.Open(ctx, config.Database{URL: pu.String()}, nil)
	if err != nil {
		drop()
		return nil, "", func() {}, err
	}
	return st, "postgres (temporary schema " + schema + ")", func() { _ = st.Close(); drop() }, nil
}

// importArchive writes the archive's games into a file:// lake in
// dir/lake (with their metadata sidecars, as `nbasim import` does): the
// setup of load and box-cli.
func (e *env) importArchive(ctx context.Context, dir string) (*lake.Lake, int, error) {
	lk, err := lake.Open(ctx, "file://"+filepath.Join(dir, "lake"), "")
	if err != nil {
		return nil, 0, err
	}
	ms, err := e.readArchive()
	if err != nil {
		lk.Close()
		return nil, 0, err
	}
	meta := lake.Meta{Source: "nba_stats", Endpoint: "playbyplayv2", FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i, mb := range ms {
		key, err := layout.Make("nba_stats", "playbyplayv2", archiveSeason, mb.id)
		if err == nil {
			meta.Origin = "seasons/" + archiveSeason + "/playbyplayv2.tar.gz:" + mb.name
			err = lk.Put(ctx, key, mb.data, meta)
		}
		if err != nil {
			lk.Close()
			return nil, i, fmt.Errorf("%s: %w", mb.name, err)
		}
	}
	return lk, len(ms), nil
}

// archiveLake makes a scenario's temporary folder and imports the archive
// into a lake there (a setup step of m); cleanup closes the lake and
// removes the folder.
func (e *env) archiveLake(ctx context.Context, m *meter, name string) (dir string, lk *lake.Lake, games int, cleanup func(), err error) {
	dir, rm, err := e.tempDir(name)
	if err != nil {
		return "", nil, 0, func() {}, err
	}
	if err := m.setup("import archive into a file:// lake", func() (err error) {
		lk, games, err = e.importArchive(ctx, dir)
		return err
	}); err != nil {
		rm()
		return "", nil, 0, func() {}, err
	}
	return dir, lk, games, func() { lk.Close(); rm() }, nil
}

func runLoad(ctx context.Context, e *env) ([]Result, error) {
	m := newMeter("load", "")
	fail := func(err error) ([]Result, error) { return []Result{m.done()}, err }
	dir, lk, games, cleanLake, err := e.archiveLake(ctx, m, "load")
	if err != nil {
		return fail(err)
	}
	defer cleanLake()
	var st store.Store
	cleanup := func() {}
	if err := m.setup("open and migrate the store", func() (err error) {
		st, m.res.Target, cleanup, err = e.openStore(ctx, dir)
		return err
	}); err != nil {
		return fail(err)
	}
	var sum load.Summary
	err = m.measure("load (parse + write)", func() (int64, error) {
		e.opt.Progress.Begin("load", int64(games))
		defer e.opt.Progress.End()
		var err error
		sum, err = (&load.Loader{Lake: lk, Store: st, Log: e.opt.Log}).Run(ctx, load.Options{
			Progress: func(done, total int) { e.opt.Progress.Set(int64(done)) },
		})
		return int64(sum.Events), err
	})
	_ = m.setup("close the store (drop the schema)", func() error { cleanup(); return nil })
	m.res.Unit = "events"
	m.res.Input = fmt.Sprintf("%d games of the %s archive from a file:// lake into %s", games, archiveSeason, m.res.Target)
	m.metric("games parsed", float64(sum.Parsed), "")
	m.metric("plays rows", float64(sum.Rows["plays"]), "rows")
	m.metric("quarantined", float64(sum.Quarantined), "items")
	if err == nil && sum.Parsed != games {
		err = fmt.Errorf("bench: load parsed %d of %d games (statuses %v)", sum.Parsed, games, sum.ByStatus)
	}
	return []Result{m.done()}, err
}

// lakeWorkers is how many goroutines write objects (like the collectors,
// which write many objects at once).
func lakeWorkers() int { return max(8, 4*runtime.GOMAXPROCS(0)) }

func runLake(ctx context.Context, e *env) ([]Result, error) {
	dir, rm, err := e.tempDir("lake")
	if err != nil {
		return nil, err
	}
	defer rm()
	type target struct{ url, prefix, name string }
	targets := []target{{url: "file://" + filepath.Join(dir, "lake"), name: "file:// (temporary folder)"}}
	if e.opt.LakeURL != "" {
		var b [4]byte
		_, _ = crand.Read(b[:])
		targets = append(targets, target{url: e.opt.LakeURL, prefix: "nbasim-bench-" + hex.EncodeToString(b[:]), name: lake.Redact(e.opt.LakeURL)})
	}
	var out []Result
	var firstErr error
	for _, t := range targets {
		res, err := lakeTarget(ctx, e, t.url, t.prefix, t.name)
		out = append(out, res...)
		firstErr = cmpOr(firstErr, err)
	}
	return out, firstErr
}

// lakeTarget writes e.opt.LakeObjects objects with lake.Store (the
// collectors' versioned write: stat, then an atomic write with metadata),
// lists them with Walk, then deletes them.
func lakeTarget(ctx context.Context, e *env, u, prefix, name string) ([]Result, error) {
	n := e.opt.LakeObjects
	w := newMeter("lake", "write")
	w.res.Target, w.res.Unit = name, "objects"
	var lk *lake.Lake
	if err := w.setup("open", func() (err error) { lk, err = lake.Open(ctx, u, prefix); return err }); err != nil {
		return []Result{w.done()}, err
	}
	defer lk.Close()
	key := func(i int) string {
		return fmt.Sprintf("nba_stats/playbyplayv2/%s/00218%05d.json", archiveSeason, i)
	}
	var bytes atomic.Int64
	err := w.measure(fmt.Sprintf("Store ×%d", n), func() (int64, error) {
		e.opt.Progress.Begin("lake write", int64(n))
		defer e.opt.Progress.End()
		var next, done atomic.Int64
		var wg sync.WaitGroup
		var mu sync.Mutex
		var first error
		meta := lake.Meta{Source: "bench", Endpoint: "bench", ContentType: "application/json"}
		for range lakeWorkers() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= n || ctx.Err() != nil {
						return
					}
					body := fmt.Appendf(nil, `{"bench":true,"n":%d,"pad":%q}`+"\n", i, strings.Repeat("x", 200+i%300))
					meta := meta
					meta.FetchedAt = time.Now()
					if _, err := lk.Store(ctx, key(i), body, meta); err != nil {
						mu.Lock()
						first = cmpOr(first, fmt.Errorf("%s: %w", key(i), err))
						mu.Unlock()
						return
					}
					bytes.Add(int64(len(body)))
					if d := done.Add(1); d%64 == 0 {
						e.opt.Progress.Set(d)
					}
				}
			}()
		}
		wg.Wait()
		return done.Load(), cmpOr(first, ctx.Err())
	})
	w.res.Input = fmt.Sprintf("%d objects of about 0.5 KB with lake.Store, %d goroutines", n, lakeWorkers())
	if w.res.Wall > 0 {
		w.metric("bytes", float64(bytes.Load()), "B")
	}
	out := []Result{w.done()}
	if err != nil {
		return out, err
	}
	l := newMeter("lake", "list")
	l.res.Target, l.res.Unit = name, "objects"
	l.res.Input = fmt.Sprintf("Walk over the %d objects just written", n)
	var listed int64
	err = l.measure("Walk", func() (int64, error) {
		err := lk.Walk(ctx, "", func(lake.Object) error { listed++; return nil })
		return listed, err
	})
	if err == nil && listed != int64(n) {
		err = fmt.Errorf("bench: listed %d objects of %d written", listed, n)
	}
	if prefix != "" {
		// a user's lake: remove what the bench wrote
		derr := l.setup("delete", func() error {
			var keys []string
			if err := lk.Walk(ctx, "", func(o lake.Object) error { keys = append(keys, o.Key); return nil }); err != nil {
				return err
			}
			for _, k := range keys {
				if err := lk.Delete(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
		err = cmpOr(err, derr)
	}
	return append(out, l.done()), err
}

func runReconcile(ctx context.Context, e *env) ([]Result, error) {
	m := newMeter("reconcile", "")
	fail := func(err error) ([]Result, error) { return []Result{m.done()}, err }
	dir, rm, err := e.tempDir("reconcile")
	if err != nil {
		return fail(err)
	}
	defer rm()
	root := filepath.Join(dir, "lake")
	// a realistic lake: one game in 200 missing from one dataset, a few
	// zero-byte objects and keys outside the layout
	so := synth.Options{Objects: e.opt.Objects, MissingEvery: 200, ZeroBytes: 10, Unknown: 10, ListingOnly: true}
	var objs []synth.Object
	var games []model.GameRow
	if err := m.setup("plan synthetic lake", func() (err error) {
		objs, games, err = synth.Plan(so)
		return err
	}); err != nil {
		return fail(err)
	}
	if err := m.setup(fmt.Sprintf("write %d objects", len(objs)), func() error {
		_, err := synth.WriteLake(ctx, nil, root, objs, so)
		return err
	}); err != nil {
		return fail(err)
	}
	objs = nil
	var st store.Store
	cleanup := func() {}
	defer func() { cleanup() }()
	if err := m.setup("store with the schedule", func() error {
		var err error
		// the reconcile scenario always uses a temporary SQLite store
		sub := *e
		sub.opt.DatabaseURL = ""
		if st, _, cleanup, err = sub.openStore(ctx, dir); err != nil {
			return err
		}
		return synth.WriteSchedule(ctx, st, games)
	}); err != nil {
		return fail(err)
	}
	cfg := config.Default()
	cfg.Seasons = synth.SeasonsOf(games)
	cfg.CacheDir = filepath.Join(dir, "cache")
	cfg.Reconcile.OutputDir = filepath.Join(dir, "reports")
	lk, err := lake.Open(ctx, "file://"+root, "")
	if err != nil {
		return fail(err)
	}
	defer lk.Close()
	r := &reconcile.Runner{Config: cfg, Lister: lk, LakeURL: "file://" + root,
		Store: st, Enqueue: reconcile.QueueEnqueue(st, e.opt.Log, 0), Log: e.opt.Log, RunID: "bench",
		Tail:     reconcile.FileTail(root),
		Progress: func(listed int64) { e.opt.Progress.Set(listed) }}
	var rep *reconcile.Report
	err = m.measure("reconcile cycle", func() (int64, error) {
		e.opt.Progress.Begin("reconcile scan", int64(e.opt.Objects))
		defer e.opt.Progress.End()
		var err error
		rep, err = r.Run(ctx, reconcile.Options{})
		if rep == nil || rep.Scan == nil {
			return 0, err
		}
		return rep.Scan.Listed, err
	})
	m.res.Unit = "objects"
	m.res.Target = "file:// directory walk, SQLite store"
	m.res.Input = fmt.Sprintf("synthetic lake of %d objects over %d season(s): scan, analyze, detect, generate (River inserts, gaps.json)", e.opt.Objects, len(cfg.Seasons))
	if rep != nil {
		m.res.Detail = &rep.Timing
		m.metric("gaps", float64(len(rep.Gaps)), "")
		if rep.Plan != nil {
			m.metric("tasks", float64(len(rep.Plan.Tasks)), "")
		}
		m.metric("tasks queued", float64(rep.Inserted), "")
		if rep.Analysis != nil {
			m.metric("completeness", 100*rep.Analysis.Completeness, "%")
		}
	}
	return []Result{m.done()}, err
}
