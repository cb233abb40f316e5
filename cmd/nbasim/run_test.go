package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/runloop"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/testutil"
)

// runFullEnv runs the run tests on the whole 2018-19 season (1,230
// games, several minutes) instead of its first two game dates.
const runFullEnv = "NBASIM_TEST_RUN_FULL"

// seasonServer is the replay server of ../shared/data (with the 2018-19
// playbyplayv2 archive). Unless NBASIM_TEST_RUN_FULL is set, the 2018-19
// team game log it serves keeps only the games of the season's first two
// dates (13 games), so the loop has a small schedule to complete.
func seasonServer(t *testing.T) *httptest.Server {
	t.Helper()
	data := testutil.RealDataDir(t)
	opts := replay.Options{Archives: true}
	if os.Getenv(runFullEnv) == "" {
		opts.ScheduleUntil = "2018-10-17"
	}
	rs, err := replay.Load(data, opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(rs)
	t.Cleanup(hs.Close)
	return hs
}

// runEnv is one installation: a config file with its lake and database.
type runEnv struct {
	dir, config, lakeDir string
}

// newRunEnv writes nbasim.yaml for a lake and a database (dbURL: a
// PostgreSQL URL; empty: SQLite in dir) with every source at base, 20
// requests per second per host, and the loop's timings shortened.
func newRunEnv(t *testing.T, base, dbURL string) runEnv {
	t.Helper()
	dir := t.TempDir()
	e := runEnv{dir: dir, config: filepath.Join(dir, "nbasim.yaml"), lakeDir: filepath.Join(dir, "lake")}
	var b strings.Builder
	fmt.Fprintf(&b, "lake:\n  url: file://%s\n", e.lakeDir)
	if dbURL != "" {
		fmt.Fprintf(&b, "database:\n  url: %q\n  max_conns: 8\n", dbURL)
	} else {
		fmt.Fprintf(&b, "database:\n  sqlite_path: %s\n", filepath.Join(dir, "nbasim.db"))
	}
	fmt.Fprintf(&b, "cache_dir: %s\nwork_dir: %s\nseasons: [\"2018-19\"]\n", filepath.Join(dir, "cache"), filepath.Join(dir, "work"))
	// small caps: the plan comes in several reconciliations, so objects of
	// one game are loaded in different orders (bbref before NBA data too)
	fmt.Fprintf(&b, "reconcile:\n  current_season: \"2025-26\"\n  schedule_as_listed: true\n  output_dir: %s\n  caps:\n    critical: 25\n    high: 25\n    medium: 25\n    low: 25\n", filepath.Join(dir, "reports"))
	fmt.Fprintf(&b, "run:\n  http_addr: \"\"\n  poll_interval: 100ms\n  job_timeout: 1m\n  rescue_after: 2m\n")
	b.WriteString("sources:\n")
	for name, u := range replay.BaseURLs(base) {
		fmt.Fprintf(&b, "  %s:\n    base_url: %q\n    rate: 20\n    burst: 4\n    concurrency: 4\n    timeout: 20s\n", name, u)
	}
	if err := os.WriteFile(e.config, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// nbasim runs one command in-process and returns its stdout.
func (e runEnv) nbasim(ctx context.Context, t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs(append([]string{"--config", e.config, "--log-level", "warn", "--log-format", "json"}, args...))
	err := root.ExecuteContext(ctx)
	return out.String(), err
}

// openStore opens e's database.
func (e runEnv) openStore(t *testing.T) store.Store {
	t.Helper()
	cfg, _, err := config.Load(config.Options{ConfigPath: e.config})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storeopen.Open(context.Background(), cfg.Database, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// lakeHashes returns the sha256 of every object of a file lake.
func lakeHashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Close()
	out := map[string]string{}
	err = lk.Walk(ctx, "", func(o lake.Object) error {
		b, err := lk.Read(ctx, o.Key)
		if err != nil {
			return err
		}
		out[o.Key] = lake.SHA256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checksumTables are the tables compared between the loop and the
// fetch+load+verify reference (store.CoreTables), without the columns that
// record when a process wrote a row.
var checksumTables = store.CoreTables

var whenColumns = []string{"updated_at", "created_at", "parsed_at", "fetched_at"}

func tableChecksums(t *testing.T, e runEnv) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := e.openStore(t)
	defer st.Close()
	out := map[string]string{}
	for _, tb := range checksumTables {
		s, err := store.TableChecksumExcept(ctx, st, tb, whenColumns...)
		if err != nil {
			t.Fatal(err)
		}
		out[tb] = s
	}
	return out
}

// referenceRun fills e's lake and database the way an operator would by
// hand: fetch the season's schedules, load them, fetch every game of the
// season, load, verify every game.
func referenceRun(ctx context.Context, t *testing.T, e runEnv) {
	t.Helper()
	steps := [][]string{
		{"fetch", "schedule", "--season", "2018-19", "--source", "nba_stats,espn,bbref"},
		{"load"},
		{"fetch", "season", "2018-19", "--source", "nba_stats,bbref"}, // ESPN ids of 2018-19 games are unknown without ESPN scoreboards; nba_live starts in 2019-20
		{"load"},
		{"verify", "--all", "--save"},
	}
	for _, s := range steps {
		if out, err := e.nbasim(ctx, t, s...); err != nil {
			t.Fatalf("reference: nbasim %s: %v\n%s", strings.Join(s, " "), err, out)
		}
	}
}

func TestRunUntilCompleteSQLite(t *testing.T) {
	hs := seasonServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	loop := newRunEnv(t, hs.URL, "")
	start := time.Now()
	out, err := loop.nbasim(ctx, t, "run", "--until-complete", "--season", "2018-19", "--json")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	t.Logf("run --until-complete on SQLite, one process: %s", time.Since(start).Round(time.Millisecond))
	checkRunSummary(t, out)
	checkQueueStatus(ctx, t, loop)
	compareWithReference(ctx, t, hs.URL, loop)
}

func TestRunUntilCompletePostgresThreeProcesses(t *testing.T) {
	hs := seasonServer(t)
	dbURL := storetest.PostgresSchemaURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	loop := newRunEnv(t, hs.URL, dbURL)
	// migrate once first (three processes starting together would race on
	// the first migration)
	if out, err := loop.nbasim(ctx, t, "db", "migrate"); err != nil {
		t.Fatalf("db migrate: %v\n%s", err, out)
	}
	start := time.Now()
	var wg sync.WaitGroup
	outs := make([]string, 3)
	errs := make([]error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = loop.nbasim(ctx, t, "run", "--until-complete", "--season", "2018-19", "--json")
		}()
	}
	wg.Wait()
	t.Logf("run --until-complete on PostgreSQL, three loops: %s", time.Since(start).Round(time.Millisecond))
	for i := range 3 {
		if errs[i] != nil {
			t.Fatalf("loop %d: %v\n%s", i, errs[i], outs[i])
		}
		checkRunSummary(t, outs[i])
	}
	compareWithReference(ctx, t, hs.URL, loop)
}

// checkRunSummary checks that the run completed, every cell of the
// coverage holds everything the providers could serve, and what remains
// are listed permanent failures.
func checkRunSummary(t *testing.T, out string) {
	t.Helper()
	checkJSONSchema(t, "run", out)
	var sum runloop.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("run --json: %v\n%s", err, out)
	}
	if !sum.Complete || sum.Stopped != "complete" || sum.Last == nil {
		t.Fatalf("run did not complete: %+v", sum)
	}
	if sum.Last.Inserted != 0 || sum.Last.Merged != 0 {
		t.Errorf("last reconciliation still planned work: %+v", sum.Last)
	}
	if sum.Last.Present == 0 {
		t.Errorf("nothing present after the run: %+v", sum.Last)
	}
	for _, c := range sum.Last.Coverage {
		if c.Expected > 0 && c.Share != 1 {
			t.Errorf("coverage of %s/%s/%s: %d present of %d expected, %d unavailable: %.4f, want 1", c.Source, c.Dataset, c.Season, c.Present, c.Expected, c.Unavailable, c.Share)
		}
	}
	if len(sum.Failures) == 0 {
		t.Error("no permanent failures listed, but the replay server cannot serve every expected object")
	}
	for _, f := range sum.Failures {
		if f.Class != "permanent" || f.Status != 404 {
			t.Errorf("failure %s: class %s status %d (%s), want permanent 404", f.Key, f.Class, f.Status, f.Reason)
		}
	}
	for _, c := range sum.Jobs {
		if c.State != "completed" && c.State != "cancelled" {
			t.Errorf("%d %s jobs left in queue %s in state %s", c.Jobs, c.Kind, c.Queue, c.State)
		}
	}
}

// compareWithReference fills a second lake and database by hand (fetch,
// load, verify) from the same server and compares lakes (sha256 of every
// object) and tables (checksums).
func compareWithReference(ctx context.Context, t *testing.T, base string, loop runEnv) {
	t.Helper()
	ref := newRunEnv(t, base, "")
	referenceRun(ctx, t, ref)
	compareEnvs(t, loop, ref)
}

// compareEnvs compares the lakes (sha256 of every object) and tables
// (checksums without the "when" columns) of loop and ref.
func compareEnvs(t *testing.T, loop, ref runEnv) {
	t.Helper()
	got, want := lakeHashes(t, loop.lakeDir), lakeHashes(t, ref.lakeDir)
	if len(want) == 0 {
		t.Fatal("the reference lake is empty")
	}
	var diffs []string
	for k, h := range want {
		if got[k] != h {
			diffs = append(diffs, fmt.Sprintf("%s: loop %q, reference %s", k, got[k], h))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, k+": only in the loop's lake")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("lakes differ in %d objects (of %d):\n%s", len(diffs), len(want), strings.Join(diffs[:min(len(diffs), 30)], "\n"))
	}
	t.Logf("lake: %d objects, identical sha256 each", len(want))
	gc, wc := tableChecksums(t, loop), tableChecksums(t, ref)
	for _, tb := range checksumTables {
		t.Logf("table %-12s %s %s", tb, gc[tb], map[bool]string{true: "equal", false: "DIFFERENT"}[gc[tb] == wc[tb]])
	}
	for tb, w := range wc {
		if gc[tb] != w {
			t.Errorf("table %s: checksum %s after the loop, %s after fetch+load+verify\n%s", tb, gc[tb], w, rowDiff(t, loop, ref, tb))
		}
	}
}

// rowDiff shows the first rows of table that differ between a and b.
func rowDiff(t *testing.T, a, b runEnv, table string) string {
	t.Helper()
	ra, rb := tableRows(t, a, table), tableRows(t, b, table)
	var out []string
	for r, n := range ra {
		if rb[r] != n {
			out = append(out, "loop only: "+r)
		}
	}
	for r, n := range rb {
		if ra[r] != n {
			out = append(out, "reference only: "+r)
		}
	}
	sort.Strings(out)
	return strings.Join(out[:min(len(out), 12)], "\n")
}

func tableRows(t *testing.T, e runEnv, table string) map[string]int {
	t.Helper()
	ctx := context.Background()
	st := e.openStore(t)
	defer st.Close()
	cols, err := store.Columns(ctx, st, st.Dialect(), table)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, c := range cols {
		if !slices.Contains(whenColumns, c) {
			keep = append(keep, c)
		}
	}
	rows, err := st.Query(ctx, `SELECT `+store.ColumnList(keep)+` FROM `+store.QuoteIdent(table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	vals := make([]any, len(keep))
	dest := make([]any, len(keep))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&b, "%s=%v ", keep[i], v)
		}
		out[b.String()]++
	}
	return out
}

// TestCompareInstallations compares two installations (config files
// NBASIM_COMPARE_A and NBASIM_COMPARE_B; skipped without them): the sha256
// of every lake object and the tables' checksums. scripts/run-season.sh
// uses it after the full-size runs with real processes.
func TestCompareInstallations(t *testing.T) {
	a, b := os.Getenv("NBASIM_COMPARE_A"), os.Getenv("NBASIM_COMPARE_B")
	if a == "" || b == "" {
		t.Skip("NBASIM_COMPARE_A and NBASIM_COMPARE_B (config files) not set: nothing to compare")
	}
	env := func(path string) runEnv {
		cfg, _, err := config.Load(config.Options{ConfigPath: path})
		if err != nil {
			t.Fatal(err)
		}
		dir, ok := strings.CutPrefix(cfg.Lake.URL, "file://")
		if !ok {
			t.Fatalf("%s: lake %s is not a folder", path, cfg.Lake.URL)
		}
		return runEnv{dir: filepath.Dir(path), config: path, lakeDir: dir}
	}
	compareEnvs(t, env(a), env(b))
}

// checkQueueStatus checks `nbasim queue --json` after a completed run:
// every kind worked, nothing waiting, the permanent failures by class.
func checkQueueStatus(ctx context.Context, t *testing.T, e runEnv) {
	t.Helper()
	out, err := e.nbasim(ctx, t, "queue", "--json")
	if err != nil {
		t.Fatalf("queue --json: %v\n%s", err, out)
	}
	checkJSONSchema(t, "queue", out)
	var s queueStatus
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("queue --json: %v\n%s", err, out)
	}
	for _, k := range []string{"fetch/completed", "load/completed", "verify/completed"} {
		if s.ByKindState[k] == 0 {
			t.Errorf("queue: no %s job (%v)", k, s.ByKindState)
		}
	}
	if s.Active != 0 || s.Oldest != nil {
		t.Errorf("queue: %d jobs not finished, oldest %+v", s.Active, s.Oldest)
	}
	if s.FailuresByClass["permanent"] == 0 || len(s.RecentPermanent) == 0 {
		t.Errorf("queue: permanent failures %d, recent %d", s.FailuresByClass["permanent"], len(s.RecentPermanent))
	}
}

// TestRunStopsOnSignal starts `nbasim run` (no --until-complete), stops
// it as SIGTERM does (main's signal context is cancelled) while jobs are in
// flight, and checks that it exits cleanly within the shutdown timeout and
// leaves no job running: each finished or went back to the queue.
func TestRunStopsOnSignal(t *testing.T) {
	hs := seasonServer(t)
	e := newRunEnv(t, hs.URL, "")
	r := startForever(t, e)
	// wait for game objects in the lake (the schedule's reconciliation
	// planned them), then "SIGTERM". This once flaked in CI ("wrote
	// nothing in 3 minutes") for two reasons, both fixed: a reconciliation
	// asked for while the start one still ran was merged with it and lost
	// (queue.InsertAfterRunning), and the rest of a plan cut by the caps
	// waited for the periodic reconciliation, 15 min later, although the
	// queue was idle (TestRunPlansAgainWhenDrained).
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if objs, _ := filepath.Glob(filepath.Join(e.lakeDir, "*", "*", "2018-19", "*.json")); len(objs) > 1 {
			break
		}
		if time.Now().After(deadline) {
			q, _ := e.nbasim(context.Background(), t, "queue", "--json")
			objs, _ := filepath.Glob(filepath.Join(e.lakeDir, "*", "*", "*", "*"))
			t.Fatalf("the run wrote no game object in 3 minutes; lake: %v; queue: %s", objs, q)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopped := time.Now()
	r.cancel()
	var out string
	select {
	case err := <-r.done:
		out = r.out
		if err != nil {
			t.Fatalf("run after the signal: %v\n%s", err, out)
		}
	case <-time.After(45 * time.Second):
		t.Fatal("run did not stop within the shutdown timeout (30 s) and a margin")
	}
	t.Logf("stopped %s after the signal", time.Since(stopped).Round(time.Millisecond))
	var sum runloop.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("run --json: %v\n%s", err, out)
	}
	if sum.Stopped != "signal" || sum.Complete {
		t.Errorf("summary: stopped %q complete %v, want a stop by signal", sum.Stopped, sum.Complete)
	}
	for _, c := range sum.Jobs {
		if c.State == "running" {
			t.Errorf("%d %s jobs left running after the stop", c.Jobs, c.Kind)
		}
	}
	// a second start finishes the work
	out2, err := e.nbasim(context.Background(), t, "run", "--until-complete", "--season", "2018-19", "--json")
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out2)
	}
	checkRunSummary(t, out2)
}

// TestRunPlansAgainWhenDrained runs `nbasim run` forever (no
// --until-complete) with small per-priority caps and the periodic
// reconciliation an hour away: every game's play-by-play must still reach
// the lake, because once the queue drains after a reconciliation that
// queued work the loop reconciles again (the rest of a capped plan, keys
// the loads revealed). Without that a run idled after its first capped
// plans until the periodic reconciliation.
func TestRunPlansAgainWhenDrained(t *testing.T) {
	hs := seasonServer(t)
	e := newRunEnv(t, hs.URL, "")
	b, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.ReplaceAll(string(b), ": 25\n", ": 8\n")
	cfg = strings.Replace(cfg, "run:\n", "run:\n  reconcile_every: 1h\n", 1)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startForever(t, e)
	// the 13 games of the season's first two dates (seasonServer) but
	// 0021800002, which the 2018-19 archive lacks (a permanent 404)
	const games = 12
	start := time.Now()
	for {
		objs, _ := filepath.Glob(filepath.Join(e.lakeDir, "nba_stats", "playbyplayv2", "2018-19", "*.json"))
		if len(objs) == games {
			break
		}
		select {
		case err := <-r.done:
			t.Fatalf("run ended before the lake held the play-by-play: %v\n%s", err, r.out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Since(start) > 5*time.Minute {
			q, _ := e.nbasim(context.Background(), t, "queue", "--json")
			t.Fatalf("after 5 minutes the lake holds the play-by-play of %d of the %d games served; queue: %s", len(objs), games, q)
		}
	}
	t.Logf("play-by-play of the %d games in the lake after %s", games, time.Since(start).Round(time.Millisecond))
	r.cancel()
	if err := <-r.done; err != nil {
		t.Fatalf("run after the signal: %v\n%s", err, r.out)
	}
}

// foreverRun is `nbasim run --season 2018-19 --json` without
// --until-complete, in-process; cancel is its SIGTERM.
type foreverRun struct {
	cancel context.CancelFunc
	done   chan error // its result; out is set before
	out    string
}

func startForever(t *testing.T, e runEnv) *foreverRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r := &foreverRun{cancel: cancel, done: make(chan error, 1)}
	go func() {
		out, err := e.nbasim(ctx, t, "run", "--season", "2018-19", "--json")
		r.out = out
		r.done <- err
	}()
	return r
}
