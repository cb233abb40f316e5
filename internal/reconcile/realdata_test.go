package reconcile_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/importer"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// indexGame is a row of INDEX_games.csv.
type indexGame struct {
	id, season, typ, date, bref, espn string
	files                             map[string]bool
}

func readIndex(t *testing.T, data string) []indexGame {
	t.Helper()
	f, err := os.Open(filepath.Join(data, "INDEX_games.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []indexGame
	for _, r := range recs[1:] {
		g := indexGame{id: r[col["nba_game_id"]], season: r[col["season"]], typ: r[col["season_type"]], date: r[col["date"]],
			bref: r[col["bref_id"]], espn: r[col["espn_id"]], files: map[string]bool{}}
		for _, p := range strings.Split(r[col["files"]], ";") {
			g.files[p] = true
		}
		out = append(out, g)
	}
	return out
}

// tarMembers returns the game ids of the 2018-19 playbyplayv2 archive.
func tarMembers(t *testing.T, path string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := archive.Walk(context.Background(), path, archive.Options{}, func(m *archive.Member) error {
		if id, ok := strings.CutSuffix(filepath.Base(m.Name), ".json"); ok && id == m.GameID {
			out[id] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRealDataCompleteness imports ../shared/data into a lake (what
// fetching it through the replay server stores), takes the schedule from
// INDEX_games.csv, reconciles, and checks every per-game cell against
// counts taken from the index: expected = the season's games (with an id
// in the dataset's id space), present = the games whose files list holds
// the dataset's file, extra = other games of the dataset in the lake.
func TestRealDataCompleteness(t *testing.T) {
	data := testutil.RealDataDir(t)
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	lk, err := lake.Open(ctx, "file://"+filepath.Join(dir, "lake"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Close()
	im := &importer.Importer{Lake: lk, Registry: collect.Registry(nil)}
	if _, err := im.Import(ctx, data); err != nil {
		t.Fatal(err)
	}
	st := storetest.SQLite(t)
	index := readIndex(t, data)
	var games []model.GameRow
	seasonSet := map[string]bool{}
	for _, g := range index {
		d := g.date[:4] + "-" + g.date[4:6] + "-" + g.date[6:]
		games = append(games, model.GameRow{GameID: g.id, Season: g.season, SeasonType: g.typ, Date: d, BBRefID: g.bref, ESPNID: g.espn, HomeCode: "BOS", AwayCode: "NYK", HomePts: 100, AwayPts: 99, Final: true})
		seasonSet[g.season] = true
	}
	if _, err := store.UpsertGames(ctx, st, games); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Seasons = nil
	for s := range seasonSet {
		cfg.Seasons = append(cfg.Seasons, s)
	}
	cfg.CacheDir = filepath.Join(dir, "cache")
	cfg.Reconcile.OutputDir = filepath.Join(dir, "reports")
	r := &reconcile.Runner{Config: cfg, Lister: reconcile.FolderLake(t, filepath.Join(dir, "lake")), LakeURL: "file://" + dir, Store: st,
		Now: func() time.Time { return time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) }}
	rep, err := r.Run(ctx, reconcile.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}

	// What the index says each dataset holds, per game.
	inTar := tarMembers(t, filepath.Join(data, "seasons", "2018-19", "playbyplayv2.tar.gz"))
	type rule struct {
		item func(indexGame) string // the game's item in the dataset's id space ("" unknown)
		has  func(indexGame) bool   // the index lists the dataset's file for the game
	}
	nbaFile := func(ds string) func(indexGame) bool {
		return func(g indexGame) bool { return g.files["nba_stats/"+ds+"/"+g.id+".json"] }
	}
	nbaID := func(g indexGame) string { return g.id }
	rules := map[string]rule{
		"nba_stats/playbyplayv2":          {nbaID, nbaFile("playbyplayv2")},
		"nba_stats/playbyplayv3":          {nbaID, nbaFile("playbyplayv3")},
		"nba_stats/boxscoretraditionalv2": {nbaID, nbaFile("boxscoretraditionalv2")},
		"nba_stats/boxscoretraditionalv3": {nbaID, nbaFile("boxscoretraditionalv3")},
		"nba_stats/gamerotation":          {nbaID, nbaFile("gamerotation")},
		"nba_live/playbyplay":             {nbaID, func(g indexGame) bool { return g.files["nba_live/liveData/playbyplay/playbyplay_"+g.id+".json"] }},
		"nba_live/boxscore":               {nbaID, func(g indexGame) bool { return g.files["nba_live/liveData/boxscore/boxscore_"+g.id+".json"] }},
		"espn/summary":                    {func(g indexGame) string { return g.espn }, func(g indexGame) bool { return g.files["espn/summary_"+g.espn+".json"] }},
		"bbref/boxscores": {func(g indexGame) string { return g.bref }, func(g indexGame) bool {
			return g.files["bbref/boxscores/"+g.bref+".html"] || g.files["bbref/boxscores/"+g.bref+".html.gz"]
		}},
	}
	checked := 0
	totalPresent := map[string]int{}
	for _, c := range rep.Analysis.Cells {
		ru, ok := rules[c.Source+"/"+c.Dataset]
		if !ok {
			continue
		}
		var expected, present, unresolved int
		for _, g := range index {
			if g.season != c.Season {
				continue
			}
			if ru.item(g) == "" {
				unresolved++
				continue
			}
			expected++
			if ru.has(g) {
				present++
			}
		}
		// The store's schedule is the index's few games a season: each
		// cell is an estimate over the season's known count, its named
		// keys those of the index (docs/reconcile.md, partial schedules).
		named := c.Expected - c.Unnamed
		if named != expected || c.Present != present || c.Unresolved != unresolved || c.Invalid != 0 {
			t.Errorf("%s: expected %d (named) present %d unresolved %d invalid %d; the index says %d, %d, %d, 0",
				c.ID(), named, c.Present, c.Unresolved, c.Invalid, expected, present, unresolved)
		}
		if !c.SchedulePartial || !c.Estimated || c.Unnamed != c.ScheduleKnown-c.ScheduleGames || c.Unnamed <= 0 {
			t.Errorf("%s: a partial schedule not marked as an estimate: partial %v estimated %v schedule %d of %d, unnamed %d",
				c.ID(), c.SchedulePartial, c.Estimated, c.ScheduleGames, c.ScheduleKnown, c.Unnamed)
		}
		want := 1.0
		if c.Expected > 0 {
			want = float64(present) / float64(c.Expected)
		}
		if c.Completeness != want || c.Completeness < 0 || c.Completeness > 1 {
			t.Errorf("%s: completeness %v, want %v", c.ID(), c.Completeness, want)
		}
		if c.ID() == "nba_stats/playbyplayv2/2018-19" {
			// the season archive holds games the index does not list
			extra := 0
			for id := range inTar {
				listed := false
				for _, g := range index {
					if g.id == id && g.season == "2018-19" {
						listed = true
					}
				}
				if !listed {
					extra++
				}
			}
			if c.Extra != extra {
				t.Errorf("%s: extra %d, want %d (archive games not in the index)", c.ID(), c.Extra, extra)
			}
		}
		totalPresent[c.Source+"/"+c.Dataset] += c.Present
		checked++
	}
	if checked < 30 {
		t.Fatalf("only %d cells checked", checked)
	}
	// Sanity: every game of the index has play-by-play v2, 205 bbref pages.
	if totalPresent["nba_stats/playbyplayv2"] != len(index) {
		t.Errorf("playbyplayv2 present %d, want %d (every index game)", totalPresent["nba_stats/playbyplayv2"], len(index))
	}
	t.Logf("checked %d cells; present per dataset: %v; overall %.1f%% of %d expected", checked, totalPresent, 100*rep.Analysis.Completeness, rep.Analysis.Expected)

	// The same lake against every endpoint of the catalog (expectations
	// "catalog"): a per-game endpoint is expected once per index game of
	// the season and present for each game object of the lake; a
	// per-season one once per season; per team and season 30 times.
	cfg.Reconcile.Expectations = reconcile.ExpectationsCatalog
	rep, err = r.Run(ctx, reconcile.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	cat := layout.BuiltinCatalog()
	inIndex := map[string]string{}
	for _, g := range index {
		inIndex[g.id] = g.season
	}
	lakeGames := map[string]int{} // per-game objects of index games, per dataset
	err = lk.Walk(ctx, "nba_stats/", func(o lake.Object) error {
		k, d, err := layout.Parse(o.Key)
		if err == nil && d.Per == layout.PerGame && inIndex[k.Item] == k.Season {
			lakeGames[k.Dataset]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	perDataset := map[string][2]int{} // expected, present
	seasons := len(seasonSet)
	for _, c := range rep.Analysis.Cells {
		if c.Source != "nba_stats" {
			continue
		}
		v := perDataset[c.Dataset]
		perDataset[c.Dataset] = [2]int{v[0] + c.Expected - c.Unnamed, v[1] + c.Present} // named keys (partial schedules)
	}
	catalogCells := 0
	for _, ep := range cat.Endpoints {
		x := reconcile.CatalogExpectation(&ep)
		got, ok := perDataset[ep.Name]
		anySeason := x.Enumeration == reconcile.PerDump
		for s := range seasonSet {
			anySeason = anySeason || covers(t, x, s)
		}
		if ok != anySeason {
			t.Errorf("catalog endpoint %s (seasons %q): a coverage cell: %v", ep.Name, x.Seasons, ok)
		}
		if !ok {
			continue // the season in progress only ("current"): not configured here
		}
		catalogCells++
		switch {
		case ep.Name == "playbyplayv2" || ep.Name == "boxscoretraditionalv2":
			// listed in expectations.yaml (seasons up to 2024-25, season types)
		case x.Enumeration == reconcile.PerGameFromSchedule:
			want := 0
			for _, g := range index {
				if covers(t, x, g.season) {
					want++
				}
			}
			if got[0] != want || got[1] != lakeGames[ep.Name] {
				t.Errorf("%s: expected %d present %d, want %d and %d (index games, game objects in the lake)", ep.Name, got[0], got[1], want, lakeGames[ep.Name])
			}
		case x.Enumeration == reconcile.PerDump:
			if got[0] != len(x.Items) {
				t.Errorf("%s: expected %d, want %d", ep.Name, got[0], len(x.Items))
			}
		case x.Enumeration == reconcile.PerTeamSeason:
			want := 0
			for s := range seasonSet {
				if covers(t, x, s) {
					want += 30
				}
			}
			if got[0] != want {
				t.Errorf("%s: expected %d, want %d (30 teams a season)", ep.Name, got[0], want)
			}
		case x.Enumeration == reconcile.PerPlayerSeason || x.Enumeration == reconcile.PerPlayer:
			// the store holds games and no player: counted, never expected
			// (TestAnalyzePerPlayer has players)
			if got[0] != 0 {
				t.Errorf("%s: per player with no player in the store, yet %d expected", ep.Name, got[0])
			}
		case x.Enumeration == reconcile.None:
			if got[0] != 0 {
				t.Errorf("%s: on demand, yet %d expected", ep.Name, got[0])
			}
		}
	}
	if catalogCells != 110 || seasons != 9 {
		t.Errorf("%d catalog endpoints with coverage over %d seasons, want 110 (12 are of the season in progress only) over 9", catalogCells, seasons)
	}
	t.Logf("catalog: %d endpoints, expected %d, present %d over %d seasons", catalogCells, rep.Analysis.Expected, rep.Analysis.Present, seasons)
}

// covers says whether x expects season s (a season the test configures).
func covers(t *testing.T, x reconcile.Expectation, s string) bool {
	t.Helper()
	se, err := layout.ParseSeason(s)
	if err != nil {
		t.Fatal(err)
	}
	return len(x.SeasonsFor([]layout.Season{se}, layout.Season(2026))) == 1
}
