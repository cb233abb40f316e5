package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/httpserve"
	"github.com/nbasim/nbasim/internal/httpserve/httpservetest"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/testutil"
	"github.com/nbasim/nbasim/internal/timing"
)

// The fixture game: the real play-by-play of 0021800001 (PHI at BOS,
// 2018-10-16) from ../shared/data, with an "official" box equal to the
// derived one except one planted difference, so verification has a
// difference with a cause.
const fixtureGame = "0021800001"

type fixture struct {
	dialect store.Dialect
	store   store.Store
	db      *readonly.DB
	srv     *Server
	ts      *httptest.Server // corkable (httpserve.Corkable), as nbasim serve's
	writes  *atomic.Int64    // the writes to ts's connections
	game    *pbp.Compiled    // the fixture game compiled the way the server does
}

// newFixture seeds a database of the given engine ("sqlite" or
// "postgres") with real data and starts the server on a read-only handle
// (on PostgreSQL as a SELECT-only role).
func newFixture(t testing.TB, dialect store.Dialect) *fixture {
	t.Helper()
	dir := testutil.RealDataDir(t)
	ctx := context.Background()
	rf := newDatabase(t, dialect)
	s := rf.Store
	seedFixture(t, ctx, s, dir)
	db := openReader(t, rf)
	srv, err := New(Options{DB: db, Cache: gamecache.New(16), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	writes := new(atomic.Int64)
	ts.Listener = httpserve.Corkable(ts.Config, httpservetest.CountWrites(ts.Listener, writes))
	ts.Start()
	t.Cleanup(ts.Close)
	g, err := derive.GameFromStore(ctx, s, fixtureGame, "")
	if err != nil {
		t.Fatal(err)
	}
	ov, _ := pbp.DefaultOverrides()
	return &fixture{dialect: dialect, store: s, db: db, srv: srv, ts: ts, writes: writes, game: pbp.Compile(g, ov)}
}

// newDatabase returns an empty migrated database of the engine with its
// read-only role (PostgreSQL).
func newDatabase(t testing.TB, dialect store.Dialect) *readonlytest.Fixture {
	t.Helper()
	if dialect == store.Postgres {
		return readonlytest.Postgres(t)
	}
	return readonlytest.SQLite(t)
}

// openReader opens the read-only handle of rf the server uses (on
// PostgreSQL as its SELECT-only role, granted the tables the seed created,
// River's included), closed when the test ends.
func openReader(t testing.TB, rf *readonlytest.Fixture) *readonly.DB {
	t.Helper()
	ctx := context.Background()
	var db *readonly.DB
	var err error
	if rf.Dialect == store.Postgres {
		for _, q := range []string{"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + rf.Reader, "ANALYZE"} {
			if _, err := rf.Store.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		db, err = readonly.OpenPostgres(ctx, rf.ReaderURL, readonly.Options{})
	} else {
		db, err = readonly.OpenSQLite(ctx, rf.SQLitePath, readonly.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func seedFixture(t testing.TB, ctx context.Context, s store.Store, dir string) {
	t.Helper()
	g, err := derive.LoadV2File(filepath.Join(dir, "nba_stats", "playbyplayv2", fixtureGame+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ReplacePlays(ctx, s, fixtureGame, "nba_stats/playbyplayv2", g.Events); err != nil {
		t.Fatal(err)
	}
	now := store.Now()
	players := store.Batch{Table: "players", Columns: []string{"player_id", "name", "updated_at"}, Key: []string{"player_id"}}
	for id, p := range g.Players {
		if p.Name != "" {
			players.Rows = append(players.Rows, []any{string(id), p.Name, now})
		}
	}
	players.Rows = append(players.Rows, []any{"1629029", "Luka Dončić", now})
	for i := range 1200 { // more players than one capped read holds
		players.Rows = append(players.Rows, []any{fmt.Sprintf("99%05d", i), fmt.Sprintf("Zed Filler %04d", i), now})
	}
	batches := []store.Batch{players,
		{Table: "games", Columns: []string{"game_id", "season", "season_type", "game_date", "home_team_id", "away_team_id", "home_code", "away_code",
			"home_pts", "away_pts", "status", "espn_id", "bbref_id", "updated_at"}, Key: []string{"game_id"}, Rows: [][]any{
			{fixtureGame, "2018-19", "regular", "2018-10-16", "1610612738", "1610612755", "BOS", "PHI", 105, 87, "final", "401070213", "201810160BOS", now},
			{"0021800002", "2018-19", "regular", "2018-10-16", "1610612744", "1610612760", "GSW", "OKC", 108, 100, "final", nil, "201810160GSW", now},
			{"0021800003", "2018-19", "regular", "2018-10-17", "1610612766", "1610612749", "CHA", "MIL", nil, nil, "scheduled", nil, nil, now},
		}},
		{Table: "fetch_log", Columns: []string{"lake_key", "source", "dataset", "season", "item", "url", "class", "status", "reason", "attempts", "failures", "first_at", "last_at"},
			Key: []string{"lake_key"}, Rows: [][]any{
				{"nba_stats/playbyplayv2/2018-19/0021800003.json", "nba_stats", "playbyplayv2", "2018-19", "0021800003", "https://stats.nba.com/stats/playbyplayv2?GameID=0021800003",
					"retriable", 503, "503 Service Unavailable", 3, 1, "2026-12-01T10:00:00Z", "2026-12-01T10:05:00Z"},
			}},
	}
	for _, b := range batches {
		if _, err := s.Upsert(ctx, b); err != nil {
			t.Fatalf("seed %s: %v", b.Table, err)
		}
	}
	if _, err := store.UpsertRawObjects(ctx, s, []store.RawObject{
		{Key: "nba_stats/playbyplayv2/2018-19/0021800001.json", Source: "nba_stats", Endpoint: "playbyplayv2", Season: "2018-19", Item: fixtureGame, Size: 10, FetchedAt: "2026-12-01T09:15:00Z"},
		{Key: "nba_stats/playbyplayv2/2018-19/0021800002.json", Source: "nba_stats", Endpoint: "playbyplayv2", Season: "2018-19", Item: "0021800002", Size: 10, FetchedAt: "2026-12-01T10:20:00Z"},
		{Key: "bbref/boxscores/2018-19/201810160BOS.html", Source: "bbref", Endpoint: "boxscores", Season: "2018-19", Item: "201810160BOS", Size: 10, FetchedAt: "2026-12-01T10:40:00Z"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddQuarantine(ctx, s,
		store.QuarantineItem{Key: "bbref/boxscores/2018-19/201810160BOS.html", Position: "table box-BOS-h1-basic tfoot", Source: "bbref/boxscores", GameID: fixtureGame,
			Reason: "team totals (PTS 28) differ from the sum of the player rows (PTS 27)", ParserVersion: 1},
		store.QuarantineItem{Key: "espn/summary/2018-19/401070213.json", Source: "espn/summary", Reason: "plays: event 12 has no clock", ParserVersion: 2},
	); err != nil {
		t.Fatal(err)
	}

	// verification with one planted difference (Embiid's assists)
	ov, _ := pbp.DefaultOverrides()
	off := pbp.Compile(g, ov).Final()
	off.Source = "bbref/boxscores"
	for i := range off.Players {
		if off.Players[i].Name == "Joel Embiid" {
			off.Players[i].AST++
		}
	}
	if _, err := store.UpsertBoxes(ctx, s, []model.Box{off}); err != nil {
		t.Fatal(err)
	}
	res, skip, err := derive.VerifyGameStore(ctx, s, fixtureGame, ov, false)
	if err != nil || skip != "" {
		t.Fatalf("verify: %v %s", err, skip)
	}
	rep := &derive.Report{Name: "fixture", Games: res}
	rep.Summarize()
	if err := derive.SaveReport(ctx, s, "vrun0001", "game "+fixtureGame, time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC), rep); err != nil {
		t.Fatal(err)
	}

	// two reconciliation runs
	cells := func(present int) []*reconcile.Cell {
		return []*reconcile.Cell{
			{Source: "nba_stats", Dataset: "playbyplayv2", Season: "2018-19", Expected: 1230, Present: present, Missing: 1230 - present, Completeness: float64(present) / 1230, Required: true},
			{Source: "bbref", Dataset: "boxscores", Season: "2018-19", Expected: 1230, Present: 205, Missing: 1025, Completeness: 205.0 / 1230},
		}
	}
	for i, present := range []int{1000, 1204} {
		start := time.Date(2026, 12, 1, 12+i, 0, 0, 0, time.UTC)
		rep := timing.Report{Total: 3 * time.Second, Steps: []timing.Step{{Name: "scan", Duration: time.Second, Share: 1.0 / 3, MemPeak: 1 << 20},
			{Name: "analyze", Duration: 2 * time.Second, Share: 2.0 / 3, MemPeak: 2 << 20}}}
		if err := reconcile.SaveRun(ctx, s, reconcile.RunRecord{RunID: "rrun000" + string(rune('1'+i)), StartedAt: start, FinishedAt: start.Add(3 * time.Second),
			Status: "ok", ScanMode: "full", Objects: 2000, Expected: 2460, Present: present + 205, Completeness: float64(present+205) / 2460, Gaps: 2, Tasks: 2,
			TimingJSON: reconcile.TimingJSON(rep, 50<<20)}, cells(present)); err != nil {
			t.Fatal(err)
		}
	}

	// the job queue: three fetch jobs, one of which failed once
	q, err := queue.Open(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var jobs []queue.Job
	for i, src := range []string{"nba_stats", "nba_stats", "bbref"} {
		jobs = append(jobs, queue.Job{Kind: queue.KindFetch, Priority: 2, Task: queue.Task{TaskID: "task" + string(rune('a'+i)), Gap: "missing",
			Priority: "HIGH", Source: src, Dataset: "playbyplayv2", Season: "2018-19", Keys: []string{"k"}, Count: 1, Reason: "missing", RunID: "rrun0002"}})
	}
	if _, err := q.Enqueue(ctx, jobs); err != nil {
		t.Fatal(err)
	}
	fail := `UPDATE river_job SET state = 'retryable', attempt = 1, attempted_at = CURRENT_TIMESTAMP,
 errors = jsonb('[{"at":"2026-12-01T12:00:00Z","attempt":1,"error":"stats.nba.com: 503 Service Unavailable"}]') WHERE queue = 'fetch_bbref'`
	if s.Dialect() == store.Postgres {
		fail = `UPDATE river_job SET state = 'retryable', attempt = 1, attempted_at = now(),
 errors = ARRAY['{"at":"2026-12-01T12:00:00Z","attempt":1,"error":"stats.nba.com: 503 Service Unavailable"}'::jsonb] WHERE queue = 'fetch_bbref'`
	}
	if n, err := s.Exec(ctx, fail); err != nil || n != 1 {
		t.Fatalf("mark a job failed: %d rows, %v", n, err)
	}
}
