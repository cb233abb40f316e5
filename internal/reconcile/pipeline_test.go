package reconcile_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

const testExpectations = `version: 1
schedule: {source: nba_stats, dataset: leaguegamelog, items: [regular_T, playoffs_T]}
datasets:
  - {source: nba_stats, dataset: leaguegamelog, seasons: "2020-21..", required: true, freshness_days: 1, enumeration: per_season, items: [regular_T]}
  - {source: nba_stats, dataset: playbyplayv3, seasons: "2020-21..", required: true, enumeration: per_game_from_schedule, fallback: per_game_known_count}
`

var testNow = time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)

type fixture struct {
	dir   string
	lake  string
	st    store.Store
	cfg   *config.Config
	sleep []time.Duration
	runs  int
}

func gameID(i int) string { return fmt.Sprintf("00225%05d", i) }

func gameDate(i int) time.Time { return time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i) }

func pbpKey(i int) string { return "nba_stats/playbyplayv3/2025-26/" + gameID(i) + ".json" }

func put(t *testing.T, root, key string, body []byte, mt time.Time) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mt, mt); err != nil {
		t.Fatal(err)
	}
}

// newFixture: season 2025-26 (in progress on testNow) with 20 regular
// games from 2026-01-21 to 2026-02-09, a future game and a preseason game.
// The lake holds play-by-play of games 1-20 except 10, 19 and 20; game 1 is
// zero bytes, game 2 truncated JSON (load marked it failed), game 3 was
// fetched on game day (stale), plus a preseason object and unknown keys.
func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{dir: t.TempDir(), st: st}
	f.lake = filepath.Join(f.dir, "lake")
	exp := filepath.Join(f.dir, "expectations.yaml")
	os.WriteFile(exp, []byte(testExpectations), 0o644)
	f.cfg = config.Default()
	f.cfg.Seasons = []string{"2025-26"}
	f.cfg.CacheDir = filepath.Join(f.dir, "cache")
	f.cfg.Reconcile.OutputDir = filepath.Join(f.dir, "reports")
	f.cfg.Reconcile.Expectations = exp
	f.cfg.Reconcile.RetryBase = time.Millisecond

	var games []model.GameRow
	for i := 1; i <= 20; i++ {
		games = append(games, model.GameRow{GameID: gameID(i), Season: "2025-26", SeasonType: "regular", Date: gameDate(i).Format("2006-01-02"), HomeCode: "BOS", AwayCode: "NYK", HomePts: 100, AwayPts: 90, Final: true})
	}
	games = append(games,
		model.GameRow{GameID: gameID(21), Season: "2025-26", SeasonType: "regular", Date: "2026-03-01", HomeCode: "BOS", AwayCode: "NYK"},
		model.GameRow{GameID: "0012500001", Season: "2025-26", SeasonType: "preseason", Date: "2025-10-05", HomeCode: "BOS", AwayCode: "NYK", Final: true, HomePts: 1, AwayPts: 2},
	)
	if _, err := store.UpsertGames(ctx, st, games); err != nil {
		t.Fatal(err)
	}
	fetched := testNow.Add(-time.Hour)
	for i := 1; i <= 18; i++ {
		if i == 10 {
			continue
		}
		body, mt := []byte(`{"game":{"gameId":"`+gameID(i)+`"}}`), fetched
		switch i {
		case 1:
			body = nil
		case 2:
			body = body[:10]
		case 3:
			mt = gameDate(3).Add(20 * time.Hour) // during the game
		}
		put(t, f.lake, pbpKey(i), body, mt)
	}
	put(t, f.lake, "nba_stats/playbyplayv3/2025-26/0012500001.json", []byte("{}"), fetched)
	put(t, f.lake, "nba_stats/playbyplayv3/2025-26/garbage.json", []byte("{}"), fetched)
	put(t, f.lake, "espn_play_by_play/401584800.json", []byte("{}"), fetched)
	put(t, f.lake, "_history/"+pbpKey(4)+"@0123456789abcdef", []byte("{}"), fetched)
	if _, err := st.Exec(ctx, `INSERT INTO raw_objects (key, source, endpoint, season, item, size, parse_status, error) VALUES ($1, 'nba_stats', 'playbyplayv3', '2025-26', $2, 10, 'failed', 'unexpected end of JSON input')`, pbpKey(2), gameID(2)); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) runner(t *testing.T, l reconcile.Lister) *reconcile.Runner {
	t.Helper()
	if l == nil {
		l = reconcile.FolderLake(t, f.lake)
	}
	f.runs++
	return &reconcile.Runner{
		RunID:  fmt.Sprintf("run%d", f.runs),
		Config: f.cfg, Lister: l, LakeURL: "file://" + f.lake, Store: f.st, Now: func() time.Time { return testNow },
		Sleep:   func(_ context.Context, d time.Duration) error { f.sleep = append(f.sleep, d); return nil },
		Enqueue: reconcile.QueueEnqueue(f.st, nil, 0),
	}
}

func cell(t *testing.T, a *reconcile.Analysis, id string) *reconcile.Cell {
	t.Helper()
	for _, c := range a.Cells {
		if c.ID() == id {
			return c
		}
	}
	t.Fatalf("no cell %s", id)
	return nil
}

func TestReconcilePipeline(t *testing.T) {
	t.Parallel()
	for _, eng := range []struct {
		name string
		open func(testing.TB) store.Store
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newFixture(t, eng.open(t))
			rep, err := f.runner(t, nil).Run(ctx, reconcile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Analyze: per source × dataset × season.
			c := cell(t, rep.Analysis, "nba_stats/playbyplayv3/2025-26")
			want := reconcile.Cell{Expected: 20, Present: 15, Missing: 3, Stale: 1, Invalid: 2, Extra: 1}
			if c.Expected != want.Expected || c.Present != want.Present || c.Missing != want.Missing || c.Stale != want.Stale || c.Invalid != want.Invalid || c.Extra != want.Extra {
				t.Errorf("cell = exp %d present %d missing %d stale %d invalid %d extra %d; want %+v", c.Expected, c.Present, c.Missing, c.Stale, c.Invalid, c.Extra, want)
			}
			if c.Completeness != 0.75 || c.Estimated {
				t.Errorf("completeness %v estimated %v", c.Completeness, c.Estimated)
			}
			reasons := map[string]string{}
			for _, k := range c.InvalidKeys {
				reasons[k.Item] = k.Reason
			}
			if reasons[gameID(1)] != "zero bytes" || !strings.Contains(reasons[gameID(2)], "unexpected end of JSON input") {
				t.Errorf("invalid reasons %v", reasons)
			}
			if rep.Scan.UnknownCount != 2 || rep.Scan.History != 1 {
				t.Errorf("unknown %d history %d", rep.Scan.UnknownCount, rep.Scan.History)
			}
			// Detect: recent missing games are CRITICAL, the rest HIGH (current season).
			kinds := map[string]reconcile.Priority{}
			for _, g := range rep.Gaps {
				kinds[fmt.Sprintf("%s/%s/%d", g.Dataset, g.Kind, g.Count)] = g.Priority
			}
			for k, p := range map[string]reconcile.Priority{
				"playbyplayv3/missing/2":  reconcile.Critical, // games 19, 20 (last 7 days)
				"playbyplayv3/missing/1":  reconcile.High,     // game 10
				"playbyplayv3/invalid/2":  reconcile.High,
				"playbyplayv3/stale/1":    reconcile.High,
				"leaguegamelog/missing/1": reconcile.Critical,
			} {
				if got, ok := kinds[k]; !ok || got != p {
					t.Errorf("gap %s: priority %v (present %v), want %v; gaps %v", k, got, ok, p, kinds)
				}
			}
			// Generate: one task per key, the season's game log batched.
			if len(rep.Plan.Tasks) != 7 || rep.Inserted != 7 || rep.Merged != 0 {
				t.Fatalf("%d tasks, %d inserted, %d merged", len(rep.Plan.Tasks), rep.Inserted, rep.Merged)
			}
			ids1 := taskIDs(rep.Plan.Tasks)

			// gaps.json: documented schema, version 1.
			var doc map[string]any
			b, err := os.ReadFile(rep.PlanPath)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			if doc["version"].(float64) != 1 || len(doc["tasks"].([]any)) != 7 {
				t.Errorf("gaps.json version %v, %d tasks", doc["version"], len(doc["tasks"].([]any)))
			}
			for _, p := range []string{rep.HeatmapSVG, rep.HeatmapPNG} {
				if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
					t.Errorf("heat map %s: %v", p, err)
				}
			}

			// Idempotence: a rerun gives the same ids and merges.
			rep2, err := f.runner(t, nil).Run(ctx, reconcile.Options{UseCache: true})
			if err != nil {
				t.Fatal(err)
			}
			if !rep2.Scan.FromCache {
				t.Error("second run did not use the cache")
			}
			if ids2 := taskIDs(rep2.Plan.Tasks); strings.Join(ids1, ",") != strings.Join(ids2, ",") {
				t.Errorf("task ids changed:\n%v\n%v", ids1, ids2)
			}
			if rep2.Inserted != 0 || rep2.Merged != 7 {
				t.Errorf("rerun inserted %d merged %d", rep2.Inserted, rep2.Merged)
			}
			q, err := queue.Open(ctx, f.st, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			qids, err := q.TaskIDs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(qids) != 7 {
				t.Errorf("%d queued task ids, want 7", len(qids))
			}
			for id, n := range qids {
				if n != 1 {
					t.Errorf("task %s queued %d times", id, n)
				}
			}
			// Coverage history: two runs.
			runs, err := reconcile.RecentRuns(ctx, f.st, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 2 || runs[0].Present != 15 || runs[0].Expected != 21 {
				t.Fatalf("runs %+v", runs)
			}
			cells, err := reconcile.RunCells(ctx, f.st, runs[0].RunID)
			if err != nil || len(cells) != 2 {
				t.Fatalf("cells %v %v", cells, err)
			}
		})
	}
}

func taskIDs(ts []reconcile.Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	sort.Strings(out)
	return out
}

// flaky fails its first n ListDirs calls.
type flaky struct {
	reconcile.Lister
	n   int
	err error
}

func (f *flaky) ListDirs(ctx context.Context, p string) ([]string, []reconcile.Object, error) {
	if f.n > 0 {
		f.n--
		return nil, nil, f.err
	}
	return f.Lister.ListDirs(ctx, p)
}

func TestReconcileRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, storetest.SQLite(t))
	l := &flaky{Lister: reconcile.FolderLake(t, f.lake), n: 2, err: errors.New("connection reset")}
	rep, err := f.runner(t, l).Run(ctx, reconcile.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Attempts["scan"] != 3 || len(f.sleep) != 2 || f.sleep[1] < 2*f.sleep[0]*9/10 {
		t.Errorf("attempts %d, sleeps %v", rep.Attempts["scan"], f.sleep)
	}
	// Exhausted retries: a StepError after 3 attempts.
	f2 := newFixture(t, storetest.SQLite(t))
	_, err = f2.runner(t, &flaky{Lister: reconcile.FolderLake(t, f2.lake), n: 5, err: errors.New("timeout")}).Run(ctx, reconcile.Options{DryRun: true})
	var se *reconcile.StepError
	if !errors.As(err, &se) || se.Step != "scan" || se.Attempts != 3 {
		t.Errorf("err = %v, want a scan StepError after 3 attempts", err)
	}
	// Permanent errors are not retried.
	f3 := newFixture(t, storetest.SQLite(t))
	_, err = f3.runner(t, &flaky{Lister: reconcile.FolderLake(t, f3.lake), n: 5, err: reconcile.Permanent(errors.New("access denied"))}).Run(ctx, reconcile.Options{DryRun: true})
	if !errors.As(err, &se) || se.Attempts != 1 || len(f3.sleep) != 0 {
		t.Errorf("permanent: err %v sleeps %v", err, f3.sleep)
	}
}

func TestReconcileCacheProblemsAndDryRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, storetest.SQLite(t))
	path := reconcile.CachePath(f.cfg.CacheDir, "file://"+f.lake)
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("\x1f\x8b garbage"), 0o644)
	rep, err := f.runner(t, nil).Run(ctx, reconcile.Options{UseCache: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Scan.FromCache || !strings.Contains(strings.Join(rep.Warnings, "\n"), "corrupt") {
		t.Errorf("corrupt cache: from cache %v, warnings %v", rep.Scan.FromCache, rep.Warnings)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.Reconcile.OutputDir, "gaps.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dry run wrote gaps.json: %v", err)
	}
	if runs, _ := reconcile.RecentRuns(ctx, f.st, 5); len(runs) != 0 {
		t.Errorf("dry run stored history: %v", runs)
	}
	if len(rep.Plan.Tasks) != 7 {
		t.Errorf("dry run planned %d tasks", len(rep.Plan.Tasks))
	}
	// --steps analyze without a usable cache is a clear permanent error.
	f2 := newFixture(t, storetest.SQLite(t))
	_, err = f2.runner(t, nil).Run(ctx, reconcile.Options{Steps: []string{"analyze"}})
	if err == nil || !strings.Contains(err.Error(), "scan not selected") {
		t.Errorf("analyze without cache: %v", err)
	}
	if _, err := f2.runner(t, nil).Run(ctx, reconcile.Options{Steps: []string{"scan", "bogus"}}); err == nil || !reconcile.IsPermanent(err) {
		t.Errorf("bogus step: %v", err)
	}
}

func TestReconcileVerifyFindsTruncation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.SQLite(t))
	// game 4 cut short, never loaded: only --verify can tell
	put(t, f.lake, pbpKey(4), []byte(`{"game":{"gameId":"0022500004","actions":[{"a`), testNow.Add(-time.Hour))
	r := f.runner(t, nil)
	r.Tail = reconcile.FileTail(f.lake)
	rep, err := r.Run(context.Background(), reconcile.Options{Verify: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	c := cell(t, rep.Analysis, "nba_stats/playbyplayv3/2025-26")
	if c.Invalid != 3 || c.Present != 14 {
		t.Fatalf("invalid %d present %d, want 3 and 14", c.Invalid, c.Present)
	}
	found := false
	for _, k := range c.InvalidKeys {
		if k.Item == gameID(4) && strings.HasPrefix(k.Reason, "truncated JSON: ends with") {
			found = true
		}
	}
	if !found {
		t.Errorf("truncated object not reported: %+v", c.InvalidKeys)
	}
	// without --verify the same lake counts it as present
	rep, err = f.runner(t, nil).Run(context.Background(), reconcile.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := cell(t, rep.Analysis, "nba_stats/playbyplayv3/2025-26"); c.Invalid != 2 {
		t.Errorf("without --verify: invalid %d, want 2", c.Invalid)
	}
}

func TestReconcileSampled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.SQLite(t))
	rep, err := f.runner(t, nil).Run(context.Background(), reconcile.Options{SampleRate: 0.5, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	c := cell(t, rep.Analysis, "nba_stats/playbyplayv3/2025-26")
	if !c.Estimated || c.Expected != 20 || c.Completeness < 0 || c.Completeness > 1 {
		t.Errorf("sampled cell %+v", c)
	}
	for _, tk := range rep.Plan.Tasks {
		for _, k := range tk.Keys {
			if _, err := os.Stat(filepath.Join(f.lake, k)); err == nil && tk.Gap == reconcile.GapMissing {
				t.Errorf("sampled scan planned a fetch of %s which exists", k)
			}
		}
	}
}
