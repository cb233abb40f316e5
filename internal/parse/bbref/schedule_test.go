package bbref

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

// gameRowRe counts the game rows of a schedule page independently of the
// parser: every row header cell of the date column with a game key.
var gameRowRe = regexp.MustCompile(`<th scope="row"[^>]*data-stat="date_game"`)

var pageNameRe = regexp.MustCompile(`^NBA_(\d{4})_games-([a-z]+)(\.fullpage)?\.html$`)

// TestParseScheduleRealFiles parses every real schedule page: each game row
// parses (none skipped), the per-season totals by season type are the
// league's, and every INDEX game of those seasons is found with its score.
func TestParseScheduleRealFiles(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "bbref", "schedules", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 61 {
		t.Errorf("%d schedule pages, want 61", len(files))
	}
	index := readIndex(t, dir)
	byID := map[string]model.GameRow{}
	counts := map[string]int{}
	var fullpage, fragment []model.GameRow
	for _, f := range files {
		base := filepath.Base(f)
		m := pageNameRe.FindStringSubmatch(base)
		if m == nil {
			t.Errorf("unexpected file %s", base)
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		season := layoutSeasonOfEndYear(m[1])
		res, err := ParseSchedule(data, parse.Hint{Key: f, Item: m[2], Season: season})
		if err != nil {
			t.Errorf("%s: %v", base, err)
			continue
		}
		if len(res.Issues) != 0 {
			t.Errorf("%s: issues %+v", base, res.Issues)
		}
		if want := len(gameRowRe.FindAll(data, -1)); len(res.Games) != want {
			t.Errorf("%s: %d games parsed, the page lists %d", base, len(res.Games), want)
		}
		for _, g := range res.Games {
			if g.Season != season {
				t.Errorf("%s: game %s in season %s", base, g.BBRefID, g.Season)
			}
			if g.BBRefID == "" || g.Date == "" || g.HomeCode == "" || g.AwayCode == "" || g.HomeTeamID == "" || g.AwayTeamID == "" {
				t.Errorf("%s: incomplete row %+v", base, g)
			}
			if g.Final != (g.HomePts >= 0) || (g.Final && (g.Periods < 4 || g.HomePts == g.AwayPts)) {
				t.Errorf("%s: inconsistent row %+v", base, g)
			}
		}
		switch {
		case m[3] != "":
			fullpage = res.Games
			continue // the same month as the fragment page
		case m[1] == "2019" && m[2] == "april":
			fragment = res.Games
		}
		for _, g := range res.Games {
			if _, dup := byID[g.BBRefID]; dup {
				t.Errorf("%s: game %s listed twice", base, g.BBRefID)
			}
			byID[g.BBRefID] = g
			counts[g.Season+" "+g.SeasonType]++
		}
	}
	// The whole saved page (saved before April 2019: 79 regular season
	// games, none played yet, no box links) and the content area agree on every game they share.
	frag := map[string]model.GameRow{}
	for _, g := range fragment {
		frag[g.BBRefID] = g
	}
	if len(fullpage) != 79 {
		t.Errorf("april 2019 full page: %d games, want 79", len(fullpage))
	}
	unplayed := 0
	for _, g := range fullpage {
		f, ok := frag[g.BBRefID]
		if !g.Final { // saved before the game: compare what was known
			unplayed++
			f.HomePts, f.AwayPts, f.Final, f.Periods = -1, -1, false, 0
		}
		if !ok || f != g {
			t.Errorf("april 2019 %s: full page %+v, fragment %+v", g.BBRefID, g, f)
		}
	}
	if unplayed != 79 {
		t.Errorf("april 2019 full page: %d unplayed games, want 79", unplayed)
	}
	// League totals (2019-20: COVID season, 1,059 regular games; its
	// playoffs list 78 of the 83 games in these pages; 2023-24: pages
	// saved before the play-in).
	want := map[string]int{
		"2017-18 regular": 1230, "2017-18 playoffs": 82,
		"2018-19 regular": 1230, "2018-19 playoffs": 82,
		"2019-20 regular": 1059, "2019-20 play_in": 1, "2019-20 playoffs": 78,
		"2020-21 regular": 1080, "2020-21 play_in": 6, "2020-21 playoffs": 85,
		"2021-22 regular": 1230, "2021-22 play_in": 6, "2021-22 playoffs": 87,
		"2022-23 regular": 1230, "2022-23 play_in": 6, "2022-23 playoffs": 84,
		"2023-24 regular": 1230, "2023-24 cup_final": 1,
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d games, want %d", k, counts[k], n)
		}
	}
	for k, n := range counts {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s: %d games", k, n)
		}
	}
	// INDEX games of these seasons: same teams' score, same season type.
	found, covered := 0, 0
	for id, ix := range index {
		if ix.season >= "2017-18" && ix.season <= "2023-24" {
			covered++
		}
		g, ok := byID[id]
		if !ok {
			continue
		}
		found++
		if g.HomePts != ix.homePts || g.AwayPts != ix.awayPts {
			t.Errorf("%s: schedule %d-%d, INDEX %d-%d", id, g.HomePts, g.AwayPts, ix.homePts, ix.awayPts)
		}
		if g.SeasonType != ix.seasonType {
			t.Errorf("%s: season type %s, INDEX %s", id, g.SeasonType, ix.seasonType)
		}
		if wantP := 4 + otCount(ix.overtimes); g.Periods != wantP && id != "201701010ATL" {
			t.Errorf("%s: %d periods, INDEX overtimes %q", id, g.Periods, ix.overtimes)
		}
	}
	if found != covered || found == 0 {
		t.Errorf("%d INDEX games found in the schedules, %d in the seasons they cover", found, covered)
	}
}

func layoutSeasonOfEndYear(y string) string {
	n, _ := strconv.Atoi(y)
	return layout.Season(n - 1).String()
}

// TestParseScheduleRows checks the row forms: played with OT, unplayed,
// play-in, the Playoffs header, a broken row.
func TestParseScheduleRows(t *testing.T) {
	t.Parallel()
	row := func(date, csk, v, vp, h, hp, box, ot, remark string) string {
		s := `<tr><th scope="row" data-stat="date_game" csk="` + csk + `"><a>` + date + `</a></th>` +
			`<td data-stat="visitor_team_name"><a href="/teams/` + v + `/2021.html">V</a></td><td data-stat="visitor_pts">` + vp + `</td>` +
			`<td data-stat="home_team_name"><a href="/teams/` + h + `/2021.html">H</a></td><td data-stat="home_pts">` + hp + `</td>`
		if box != "" {
			s += `<td data-stat="box_score_text"><a href="/boxscores/` + box + `.html">Box Score</a></td>`
		} else {
			s += `<td data-stat="box_score_text"></td>`
		}
		return s + `<td data-stat="overtimes">` + ot + `</td><td data-stat="game_remarks">` + remark + `</td></tr>`
	}
	page := `<div><!--<table id="schedule"><tbody>` +
		row("Tue, May 18, 2021", "202105180BOS", "WAS", "100", "BOS", "118", "202105180BOS", "", "Play-In Game") +
		row("Wed, May 19, 2021", "202105190GSW", "PHO", "120", "GSW", "121", "202105190GSW", "2OT", "") +
		row("Thu, May 20, 2021", "202105200MEM", "BRK", "", "MEM", "", "", "", "") +
		`<tr class="thead"><th colspan="11">Playoffs</th></tr>` +
		row("Fri, May 21, 2021", "202105210CHO", "NOP", "99", "CHO", "98", "202105210CHO", "", "") +
		row("Fri, May 21, 2021", "x", "NOP", "9x", "CHO", "98", "", "", "") +
		`</tbody></table>--></div>`
	res, err := ParseSchedule([]byte(page), parse.Hint{Key: "k", Item: "may", Season: "2020-21"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Games) != 4 || len(res.Issues) != 1 || !strings.Contains(res.Issues[0].Position, "row 5") {
		t.Fatalf("games %+v issues %+v", res.Games, res.Issues)
	}
	g := res.Games
	want := []model.GameRow{
		{BBRefID: "202105180BOS", Season: "2020-21", SeasonType: "play_in", Date: "2021-05-18", HomeCode: "BOS", AwayCode: "WAS", HomeTeamID: "1610612738", AwayTeamID: "1610612764", HomePts: 118, AwayPts: 100, Final: true, Periods: 4},
		{BBRefID: "202105190GSW", Season: "2020-21", SeasonType: "regular", Date: "2021-05-19", HomeCode: "GSW", AwayCode: "PHX", HomeTeamID: "1610612744", AwayTeamID: "1610612756", HomePts: 121, AwayPts: 120, Final: true, Periods: 6},
		{BBRefID: "202105200MEM", Season: "2020-21", SeasonType: "regular", Date: "2021-05-20", HomeCode: "MEM", AwayCode: "BKN", HomeTeamID: "1610612763", AwayTeamID: "1610612751", HomePts: -1, AwayPts: -1},
		{BBRefID: "202105210CHO", Season: "2020-21", SeasonType: "playoffs", Date: "2021-05-21", HomeCode: "CHA", AwayCode: "NOP", HomeTeamID: "1610612766", AwayTeamID: "1610612740", HomePts: 98, AwayPts: 99, Final: true, Periods: 4},
	}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("row %d\n got %+v\nwant %+v", i, g[i], want[i])
		}
	}
	for _, c := range []struct{ item, season, want string }{
		{"june", "", "another month"}, {"may", "2019-20", "another season"},
	} {
		if _, err := ParseSchedule([]byte(page), parse.Hint{Key: "k", Item: c.item, Season: c.season}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("hint %s/%s: %v", c.item, c.season, err)
		}
	}
	if _, err := ParseSchedule([]byte(`<table id="other"></table>`), parse.Hint{Key: "k"}); err == nil {
		t.Error("page without schedule: no error")
	}
}
