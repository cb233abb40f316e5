package collect

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/teams"
	"github.com/nbasim/nbasim/internal/testutil"
)

func mustSource(t *testing.T, reg *source.Registry, name string) source.Source {
	t.Helper()
	s, err := reg.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := storeopen.Open(context.Background(), config.Database{SQLitePath: filepath.Join(t.TempDir(), "nbasim.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSeasonGamesAndCrossProviderIDs enumerates the 2018-19 games of
// nba_stats (leaguegamelog) and bbref (monthly schedules) from schedules
// fetched from the replay server, matches them by date and teams, stores
// the ids, and then finds the season's games and a game's ids in the store.
func TestSeasonGamesAndCrossProviderIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, loadReplay(t))
	ctx := context.Background()
	se := layout.Season(2018)
	nba, from, err := e.col.Games(ctx, mustSource(t, e.reg, "nba_stats"), se)
	if err != nil || from != FromFetched {
		t.Fatalf("nba_stats games: %v (from %s)", err, from)
	}
	if len(nba) != 1230 {
		t.Errorf("nba_stats 2018-19: %d games, want 1230", len(nba))
	}
	bb, from, err := e.col.Games(ctx, mustSource(t, e.reg, "bbref"), se)
	if err != nil || from != FromFetched {
		t.Fatalf("bbref games: %v (from %s)", err, from)
	}
	bbID := regexp.MustCompile(`^\d{8}0[A-Z]{3}$`)
	for _, g := range bb {
		if !bbID.MatchString(g.BBRefID) {
			t.Errorf("bbref game without an id: %+v", g)
		}
	}
	if len(bb) < 1300 { // 1,230 regular season + 82 playoff games
		t.Errorf("bbref 2018-19: %d games, want 1312", len(bb))
	}
	// Again: now from the lake, without a request.
	e.rs.ResetLog()
	if _, from, err := e.col.Games(ctx, mustSource(t, e.reg, "bbref"), se); err != nil || from != FromLake || len(e.rs.Log()) != 0 {
		t.Errorf("second enumeration: from %s, %d requests, %v", from, len(e.rs.Log()), err)
	}

	matched := teams.MatchGames(nba, nil, bb)
	both := 0
	for _, g := range matched {
		if g.GameID != "" && g.BBRefID != "" {
			both++
		}
	}
	if both != 1230 {
		t.Errorf("%d regular-season games matched across nba_stats and bbref, want 1230", both)
	}
	var rows []model.GameRow // the games table is keyed by NBA GAME_ID
	for _, g := range matched {
		if g.GameID != "" {
			rows = append(rows, g)
		}
	}
	st := openStore(t)
	if _, err := store.UpsertGames(ctx, st, rows); err != nil {
		t.Fatal(err)
	}
	e.col.Store = st
	games, from, err := e.col.Games(ctx, mustSource(t, e.reg, "bbref"), se)
	if err != nil || from != FromStore || len(games) < 1230 {
		t.Fatalf("games from store: %d, from %s, %v", len(games), from, err)
	}
	ids, err := e.col.GameIDs(ctx, "201810160BOS")
	if err != nil || ids.GameID != "0021800001" || ids.Season != "2018-19" {
		t.Errorf("ids of 201810160BOS: %+v %v, want NBA 0021800001", ids, err)
	}
}

func TestLiveScheduleFromLake(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	e := newEnv(t, loadReplay(t))
	ctx := context.Background()
	b, err := os.ReadFile(filepath.Join(data, "nba_live/staticData/scheduleLeagueV2_2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.lake.Put(ctx, "nba_live/schedule/2023-24/schedule.json", b, lake.Meta{Source: "nba_live", Endpoint: "schedule"}); err != nil {
		t.Fatal(err)
	}
	games, from, err := e.col.Games(ctx, mustSource(t, e.reg, "nba_live"), 2023)
	if err != nil || from != FromLake {
		t.Fatalf("%v from %s", err, from)
	}
	regular := 0
	for _, g := range games {
		if g.SeasonType == "regular" {
			regular++
		}
	}
	if regular < 1200 {
		t.Errorf("%d regular-season games in the 2023-24 live schedule", regular)
	}
}

// TestPermanentFailuresAreLogged fetches 2018-19 play-by-play of the first
// 100 games: those without a recording fail with 404, are logged in
// fetch_log, and are not asked again by the next run unless asked to.
func TestPermanentFailuresAreLogged(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testPermanentFailures(t, open(t))
		})
	}
}

func testPermanentFailures(t *testing.T, st store.Store) {
	e := newEnv(t, loadReplay(t))
	e.col.Store = st
	ctx := context.Background()
	src := mustSource(t, e.reg, "nba_stats")
	sum, _, err := e.col.Season(ctx, src, 2018, []string{"playbyplayv2"}, 100, Options{})
	if err != nil {
		t.Fatal(err)
	}
	missing := sum.Failed["permanent"]
	if missing == 0 || sum.Fetched == 0 || missing+sum.Fetched != 100 {
		t.Fatalf("first run: %s", sum)
	}
	var n int
	if err := e.col.Store.QueryRow(ctx, `SELECT COUNT(*) FROM fetch_log WHERE class = 'permanent' AND status = 404 AND dataset = 'playbyplayv2'`).Scan(&n); err != nil || n != missing {
		t.Fatalf("fetch_log holds %d 404s, want %d (%v)", n, missing, err)
	}
	e.rs.ResetLog()
	sum2, _, err := e.col.Season(ctx, src, 2018, []string{"playbyplayv2"}, 100, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range e.rs.Log() {
		if strings.HasSuffix(le.Path, "playbyplayv2") {
			t.Errorf("second run asked again: %s?%s", le.Path, le.Query)
		}
	}
	if sum2.Known404 != missing || sum2.Present != sum.Fetched {
		t.Errorf("second run: %s", sum2)
	}
	sum3, _, err := e.col.Season(ctx, src, 2018, []string{"playbyplayv2"}, 100, Options{RetryPermanent: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum3.Failed["permanent"] != missing {
		t.Errorf("--retry-permanent run: %s", sum3)
	}
	if err := e.col.Store.QueryRow(ctx, `SELECT MAX(failures) FROM fetch_log`).Scan(&n); err != nil || n != 2 {
		t.Errorf("failures counter %d, want 2 (%v)", n, err)
	}
}
