package load

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/load/realdata"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// expectedQuarantine lists every quarantine reason the real data produces,
// with why it is right. A reason matching none fails the test.
var expectedQuarantine = []struct {
	key, reason *regexp.Regexp
	why         string
}{
	{regexp.MustCompile(`^espn/scoreboard/2024-25/20241201\.json$`), regexp.MustCompile(`^no NBA game id for espn`),
		"the lake holds no NBA schedule of 2024-25: ESPN's games of 2024-12-01 cannot be given an NBA game id"},
	{regexp.MustCompile(`^bbref/`), regexp.MustCompile(`^no NBA game id for bbref`),
		"bbref schedules cover 2017-18..2023-24 but the lake holds NBA schedules only for 2018-19 (game log) and 2023-24"},
	{regexp.MustCompile(`^bbref/boxscores/`), regexp.MustCompile(`^box of bbref game \d{8}0[A-Z]{3}: no NBA game id`),
		"a box score page of a game no NBA file of the lake names"},
	{regexp.MustCompile(`^nba_stats/leaguegamelog/2025-26/regular_T\.json$`), regexp.MustCompile(`^game 00225\d{5}: only one team in the log; box not stored$`),
		"the 2025-26 log was recorded mid-season: the last rows of a date list one team of a game only"},
	{regexp.MustCompile(`^bbref/boxscores/2016-17/201701010ATL\.html$`), regexp.MustCompile(`^team totals \(PTS \d+\) differ from the sum of the player rows \(PTS \d+\); the window's team line is the sum$`),
		"the complete 2017 page's quarter and half tables repeat the game totals in <tfoot>; the bbref parser keeps the player sums"},
	{regexp.MustCompile(`^bbref/boxscores/2016-17/201701010ATL\.html$`), regexp.MustCompile(`^no player has a line in this window table`),
		"the page has an empty table for an overtime that was not played"},
}

func tableSet(t *testing.T, ctx context.Context, st store.Store, tables []string) (map[string]string, map[string]int64) {
	t.Helper()
	sums := map[string]string{}
	counts := map[string]int64{}
	for _, tb := range tables {
		c, err := store.TableChecksum(ctx, st, tb)
		if err != nil {
			t.Fatal(err)
		}
		sums[tb] = c
		var n int64
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[tb] = n
	}
	return sums, counts
}

func importAll(t *testing.T, ctx context.Context, archive bool) (*lake.Lake, realdata.Manifest) {
	t.Helper()
	dir := testutil.RealDataDir(t)
	lk, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	m, err := realdata.Import(ctx, lk, dir, realdata.Options{Season2018Archive: archive})
	if err != nil {
		t.Fatal(err)
	}
	return lk, m
}

func TestLoadRealDataSQLite(t *testing.T) {
	t.Parallel()
	testLoadRealData(t, storetest.SQLite(t))
}

func TestLoadRealDataPostgres(t *testing.T) {
	t.Parallel()
	testLoadRealData(t, storetest.Postgres(t))
}

func testLoadRealData(t *testing.T, st store.Store) {
	ctx := context.Background()
	lk, m := importAll(t, ctx, !testing.Short())
	l := &Loader{Lake: lk, Store: st}
	sum, err := l.Run(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %+v", sum)
	keys := map[string]bool{}
	for _, f := range m.Files {
		keys[f.Key] = true
	}
	if sum.Parsed != len(keys) {
		t.Errorf("parsed %d objects, imported %d keys", sum.Parsed, len(keys))
	}
	// every object parsed, or was skipped for having no parser, or failed
	// with a reason checked below
	objs, err := store.ListRawObjects(ctx, st, store.RawFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		switch o.ParseStatus {
		case store.ParseOK:
		case store.ParseSkipped:
			if o.Endpoint != "gamerotation" {
				t.Errorf("%s skipped: %s", o.Key, o.Error)
			}
		default:
			t.Errorf("%s: status %s: %s", o.Key, o.ParseStatus, o.Error)
		}
	}
	q, err := store.ListQuarantine(ctx, st, store.QuarantineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q {
		ok := false
		for _, e := range expectedQuarantine {
			if e.key.MatchString(it.Key) && e.reason.MatchString(it.Reason) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("unexpected quarantine %s at %q: %s", it.Key, it.Position, it.Reason)
		}
	}
	// ESPN and bbref games found their NBA game: by date and teams, or by
	// season, teams and score when only NBA play-by-play names the game;
	// never the next day's game of the same teams (SAC-DEN met on 2022-12-27
	// and 2022-12-28)
	for _, c := range []struct{ game, bbref, espn, date string }{
		{"0022200514", "202212270SAC", "", "2022-12-27"},
		{"0022300979", "", "401585607", "2024-03-17"},
		{"0021800001", "201810160BOS", "", "2018-10-16"},
	} {
		g, err := store.GetGame(ctx, st, c.game)
		if err != nil {
			t.Fatal(err)
		}
		if g.Date != c.date || (c.bbref != "" && g.BBRefID != c.bbref) || (c.espn != "" && g.ESPNID != c.espn) {
			t.Errorf("game %s: date %s, bbref %q, espn %q; want %s %q %q", c.game, g.Date, g.BBRefID, g.ESPNID, c.date, c.bbref, c.espn)
		}
	}
	tables := []string{"seasons", "teams", "players", "games", "plays", "player_box", "team_box", "raw_objects", "quarantine"}
	sums1, counts1 := tableSet(t, ctx, st, tables)
	t.Logf("rows: %v; quarantined %d", counts1, len(q))

	// a second load changes nothing
	sum2, err := l.Run(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Parsed != 0 || sum2.Unchanged != len(keys) {
		t.Errorf("second load parsed %d, unchanged %d", sum2.Parsed, sum2.Unchanged)
	}
	sums2, counts2 := tableSet(t, ctx, st, tables)
	for _, tb := range tables {
		if sums1[tb] != sums2[tb] || counts1[tb] != counts2[tb] {
			t.Errorf("second load changed %s: %d -> %d rows", tb, counts1[tb], counts2[tb])
		}
	}
	// re-parsing everything again gives the same data (raw_objects only
	// records the new parse time)
	if _, err := l.Run(ctx, Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	sums3, counts3 := tableSet(t, ctx, st, tables)
	for _, tb := range tables {
		if tb == "raw_objects" {
			if counts3[tb] != counts1[tb] {
				t.Errorf("forced reload: raw_objects %d -> %d rows", counts1[tb], counts3[tb])
			}
			continue
		}
		if sums1[tb] != sums3[tb] || counts1[tb] != counts3[tb] {
			t.Errorf("forced reload changed %s: %d -> %d rows", tb, counts1[tb], counts3[tb])
		}
	}
	checkCrossProvider(t, ctx, st)
}

// checkCrossProvider compares, for each game whose play-by-play the lake
// holds in two providers' formats, the two normalized streams as loaded:
// final score, each team's FGM/FGA/3PM/3PA/FTM/FTA, the players who appear.
func checkCrossProvider(t *testing.T, ctx context.Context, st store.Store) {
	t.Helper()
	pairs := []struct{ game, a, b string }{
		{"0022200552", "nba_stats/playbyplayv2", "nba_stats/playbyplayv3"},
		{"0022000001", "nba_stats/playbyplayv2", "nba_live/playbyplay"},
		{"0022300979", "nba_stats/playbyplayv2", "espn/summary"},
	}
	for _, p := range pairs {
		t.Run("pair_"+p.game, func(t *testing.T) {
			ea, err := store.LoadPlays(ctx, st, p.game, p.a)
			if err != nil {
				t.Fatal(err)
			}
			eb, err := store.LoadPlays(ctx, st, p.game, p.b)
			if err != nil {
				t.Fatal(err)
			}
			if len(ea) == 0 || len(eb) == 0 {
				t.Fatalf("%s: %d events from %s, %d from %s", p.game, len(ea), p.a, len(eb), p.b)
			}
			la, lb := lastScore(ea), lastScore(eb)
			if la != lb {
				t.Errorf("final score %s %v, %s %v", p.a, la, p.b, lb)
			}
			for _, side := range []model.Side{model.Home, model.Away} {
				if x, y := shootLine(ea, side), shootLine(eb, side); x != y {
					t.Errorf("%s: %s %s, %s %s", side, p.a, x, p.b, y)
				}
			}
			if x, y := playersOf(ea), playersOf(eb); !slices.Equal(x, y) {
				t.Errorf("players:\n%s %v\n%s %v", p.a, x, p.b, y)
			}
		})
	}
}

func lastScore(ev []model.Event) [2]int {
	h, a := 0, 0
	for _, e := range ev {
		if e.ScoreHome >= 0 {
			h, a = e.ScoreHome, e.ScoreAway
		}
	}
	return [2]int{h, a}
}

func shootLine(ev []model.Event, side model.Side) string {
	s := model.Shooting(ev, side)
	return fmt.Sprintf("PTS %d FGM %d FGA %d 3PM %d 3PA %d FTM %d FTA %d", s.PTS, s.FGM, s.FGA, s.FG3M, s.FG3A, s.FTM, s.FTA)
}

func playersOf(ev []model.Event) []string {
	set := map[string]bool{}
	for _, e := range ev {
		for _, id := range []model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.SubIn, e.SubOut, e.Jump2, e.JumpTo} {
			if id != "" && e.Type != model.Foul && e.Type != model.Ejection || (id != "" && id == e.Fouled) {
				set[string(id)] = true
			}
		}
	}
	var out []string
	for id := range set {
		if !strings.HasPrefix(id, "16106127") {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
