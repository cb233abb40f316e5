package bbref

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

// shootingOf sums each side's shooting stats from a play stream.
func shootingOf(g *model.Game) map[model.Side]model.Stats {
	out := map[model.Side]model.Stats{}
	for _, side := range []model.Side{model.Home, model.Away, model.NoSide} {
		out[side] = model.Shooting(g.Events, side)
	}
	return out
}

// TestParsePlayByPlayPage parses testdata/pbp_201901020MIA.html, a
// fictional game written in the structure of bbref play-by-play pages
// (as on the site: rows directly in <table> without <tbody>, a header row
// with id q<n> per period, the first quarter opening on the jump ball with no
// "Start of 1st quarter" row, six-cell team rows, neutral rows spanning five
// cells, player links), and pins the mapping of every play form.
func TestParsePlayByPlayPage(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "pbp_201901020MIA.html"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ParsePlayByPlay(data, parse.Hint{Key: "testdata/pbp_201901020MIA.html", Item: "201901020MIA"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.PBP
	if len(res.Issues) != 0 || len(g.Warnings) != 0 {
		t.Fatalf("issues %v warnings %v", res.Issues, g.Warnings)
	}
	if g.Home.Code != "MIA" || g.Away.Code != "BOS" || g.Date != "2019-01-02" || g.Home.Pts != 15 || g.Away.Pts != 17 || g.GameID != "201901020MIA" {
		t.Errorf("game %+v %+v %s", g.Home, g.Away, g.Date)
	}
	row := res.Games[0]
	if row.Periods != 5 || row.Season != "2018-19" || row.HomePts != 15 || row.AwayPts != 17 || row.BBRefID != "201901020MIA" {
		t.Errorf("game row %+v", row)
	}
	sums := shootingOf(g)
	wantAway := model.Stats{PTS: 17, FGM: 6, FGA: 8, FG3M: 1, FG3A: 2, FTM: 4, FTA: 5}
	wantHome := model.Stats{PTS: 15, FGM: 5, FGA: 7, FG3M: 2, FG3A: 3, FTM: 3, FTA: 4}
	if sums[model.Away] != wantAway || sums[model.Home] != wantHome || sums[model.NoSide] != (model.Stats{}) {
		t.Errorf("shooting %+v", sums)
	}
	// Running score: every event's score equals the points scored so far.
	var h, a int
	for _, e := range g.Events {
		if e.Made {
			if e.Side == model.Home {
				h += int(e.Points)
			} else {
				a += int(e.Points)
			}
		}
		if e.ScoreHome != h || e.ScoreAway != a {
			t.Errorf("event %d %q: score %d-%d, want %d-%d", e.Order, e.Description, e.ScoreAway, e.ScoreHome, a, h)
		}
	}
	if g.Players["kingke01"].Side != model.Home || g.Players["archeal01"].Side != model.Away || g.Players["archeal01"].Name != "A. Archer" || len(g.Players) != 12 {
		t.Errorf("players %+v", g.Players)
	}
	byDesc := map[string]model.Event{}
	for _, e := range g.Events {
		byDesc[e.Description] = e
	}
	cases := []struct {
		desc string
		want model.Event
	}{
		{"Start of 2nd quarter", model.Event{Type: model.PeriodBegin, Period: 2, Clock: 7200, Elapsed: 7200, ScoreHome: 6, ScoreAway: 5}},
		{"Jump ball: A. Archer vs. K. King (G. Green gains possession)", model.Event{Type: model.JumpBall, Period: 1, Clock: 7200, Player: "kingke01", Jump2: "archeal01", JumpTo: "greenga01"}},
		{"G. Green makes 2-pt layup from 1 ft (assist by H. Hall)", model.Event{Type: model.ShotMade, Side: model.Home, Made: true, Points: 2, Player: "greenga01", Assist: "hallha01", Subtype: "layup", Period: 1, Clock: 7010, Elapsed: 190, ScoreHome: 2}},
		{"J. Jones misses 2-pt hook shot from 6 ft (block by A. Archer)", model.Event{Type: model.ShotMissed, Side: model.Home, Player: "jonesja01", Block: "archeal01", Subtype: "hook shot"}},
		{"Offensive rebound by Team", model.Event{Type: model.Rebound, Side: model.Home, Team: true, Rebound: model.ReboundOffensive, Subtype: "offensive rebound"}},
		{"Turnover by K. King (bad pass; steal by C. Cole)", model.Event{Type: model.Turnover, Side: model.Home, Player: "kingke01", Steal: "coleca01", Subtype: "bad pass"}},
		{"Turnover by Team (shot clock)", model.Event{Type: model.Turnover, Side: model.Home, Team: true, Subtype: "shot clock"}},
		{"C. Cole makes 2-pt dunk at rim", model.Event{Type: model.ShotMade, Side: model.Away, Made: true, Points: 2, Player: "coleca01", Subtype: "dunk"}},
		{"H. Hall makes free throw 1 of 2", model.Event{Type: model.FreeThrow, Side: model.Home, Made: true, Points: 1, FTNum: 1, FTOf: 2, Player: "hallha01", Subtype: "free throw"}},
		{"H. Hall misses free throw 2 of 2", model.Event{Type: model.FreeThrow, Side: model.Home, FTNum: 2, FTOf: 2, Player: "hallha01", Subtype: "free throw"}},
		{"A. Archer makes 3-pt jump shot from 25 ft (assist by E. Ellis)", model.Event{Type: model.ShotMade, Side: model.Away, Made: true, Points: 3, Three: true, Player: "archeal01", Assist: "ellised01", Subtype: "jump shot"}},
		{"Miami full timeout", model.Event{Type: model.Timeout, Side: model.Home, Team: true, Subtype: "miami full timeout"}},
		{"Official timeout", model.Event{Type: model.Timeout, Subtype: "official timeout"}},
		{"F. Ford enters the game for D. Dunn", model.Event{Type: model.Substitution, Side: model.Away, SubIn: "fordfr01", SubOut: "dunnda01", Player: "fordfr01"}},
		{"Shooting foul by D. Dunn (drawn by H. Hall)", model.Event{Type: model.Foul, Side: model.Away, Foul: model.FoulShooting, Player: "dunnda01", Fouled: "hallha01", Subtype: "shooting foul"}},
		{"Offensive charge foul by F. Ford (drawn by I. Irwin)", model.Event{Type: model.Foul, Side: model.Away, Foul: model.FoulOffensive, Player: "fordfr01", Fouled: "irwinir01", Subtype: "offensive charge foul"}},
		{"Turnover by F. Ford (offensive foul)", model.Event{Type: model.Turnover, Side: model.Away, Player: "fordfr01", Subtype: "offensive foul"}},
		{"Def 3 sec tech foul by H. Hall", model.Event{Type: model.Foul, Side: model.Home, Foul: model.FoulDefensive3Seconds, Player: "hallha01", Subtype: "def 3 sec tech foul"}},
		{"A. Archer makes technical free throw", model.Event{Type: model.FreeThrow, Side: model.Away, Made: true, Points: 1, FTKind: model.FTTechnical, FTNum: 1, FTOf: 1, Player: "archeal01", Subtype: "technical free throw"}},
		{"Double technical foul by G. Green and C. Cole", model.Event{Type: model.Foul, Side: model.Home, Foul: model.FoulDoubleTechnical, Player: "greenga01", Fouled: "coleca01", Subtype: "double technical foul"}},
		{"Violation by B. Baker (kicked ball)", model.Event{Type: model.Violation, Side: model.Away, Player: "bakerbo01", Subtype: "kicked ball"}},
		{"Violation by Team (delay of game)", model.Event{Type: model.Violation, Side: model.Home, Team: true, Subtype: "delay of game"}},
		{"Instant Replay (Request: Challenge: Ruling Stands)", model.Event{Type: model.Replay, Subtype: "instant replay"}},
		{"Flagrant foul type 1 by I. Irwin (drawn by E. Ellis)", model.Event{Type: model.Foul, Side: model.Home, Foul: model.FoulFlagrant1, Player: "irwinir01", Fouled: "ellised01", Subtype: "flagrant foul type 1"}},
		{"Flagrant foul type 2 by K. King (drawn by B. Baker)", model.Event{Type: model.Foul, Side: model.Home, Foul: model.FoulFlagrant2, Player: "kingke01", Fouled: "bakerbo01", Subtype: "flagrant foul type 2"}},
		{"E. Ellis makes flagrant free throw 2 of 2", model.Event{Type: model.FreeThrow, Side: model.Away, Made: true, Points: 1, FTKind: model.FTFlagrant, FTNum: 2, FTOf: 2, Player: "ellised01", Subtype: "flagrant free throw"}},
		{"G. Green makes clear path free throw 1 of 2", model.Event{Type: model.FreeThrow, Side: model.Home, Made: true, Points: 1, FTKind: model.FTClearPath, FTNum: 1, FTOf: 2, Player: "greenga01", Subtype: "clear path free throw"}},
		{"Clear path foul by A. Archer (drawn by G. Green)", model.Event{Type: model.Foul, Side: model.Away, Foul: model.FoulClearPath, Player: "archeal01", Fouled: "greenga01", Subtype: "clear path foul"}},
		{"K. King ejected from game", model.Event{Type: model.Ejection, Side: model.Home, Player: "kingke01"}},
		{"C. Cole makes 2-pt tip-in at rim", model.Event{Type: model.ShotMade, Side: model.Away, Made: true, Points: 2, Player: "coleca01", Subtype: "tip-in"}},
		{"Jump ball: G. Green vs. C. Cole", model.Event{Type: model.JumpBall, Period: 5, Clock: 3000, Elapsed: 28800, Player: "greenga01", Jump2: "coleca01"}},
		{"End of 1st overtime", model.Event{Type: model.PeriodEnd, Period: 5, Elapsed: 31800}},
	}
	for _, c := range cases {
		e, ok := byDesc[c.desc]
		if !ok {
			t.Errorf("no event %q", c.desc)
			continue
		}
		got := e
		// Compare only what the case sets, beyond type and players.
		if c.want.Period == 0 {
			c.want.Period, c.want.Clock, c.want.Elapsed = got.Period, got.Clock, got.Elapsed
		}
		if c.want.ScoreHome == 0 && c.want.ScoreAway == 0 {
			c.want.ScoreHome, c.want.ScoreAway = got.ScoreHome, got.ScoreAway
		}
		c.want.GameID, c.want.Order, c.want.EventNum, c.want.Description = got.GameID, got.Order, got.EventNum, got.Description
		c.want.Facts = parse.ReadTextFacts(got.Subtype, got.Description) // the parser sets them (parse.SetTextFacts)
		if got != c.want {
			t.Errorf("%q\n got %+v\nwant %+v", c.desc, got, c.want)
		}
	}
	// The table hidden in a comment parses the same.
	hidden := strings.Replace(strings.Replace(string(data), `<div class="table_container" id="div_pbp">`, `<div class="placeholder"></div><!--<div class="table_container" id="div_pbp">`, 1), "</table>", "</table>-->", 1)
	res2, err := ParsePlayByPlay([]byte(hidden), parse.Hint{Key: "hidden", Item: "201901020MIA"})
	if err != nil || len(res2.PBP.Events) != len(g.Events) {
		t.Errorf("commented table: %v, %d events", err, len(res2.PBP.Events))
	}
	if _, err := ParsePlayByPlay(data, parse.Hint{Key: "k", Item: "201901020BOS"}); err == nil {
		t.Error("hint for another game: no error")
	}
}

func TestParsePlayByPlayBadRows(t *testing.T) {
	t.Parallel()
	page := `<table id="pbp"><tr class="thead" id="q1"><th colspan="6">1st Q</th></tr>
<tr><td>12:00.0</td><td colspan="5">Start of 1st quarter</td></tr>
<tr><td>1x:00.0</td><td colspan="5">x</td></tr>
<tr><td>11:00.0</td><td>A makes 2-pt layup at rim</td><td>+2</td><td>2-0</td><td></td><td>B misses 2-pt layup at rim</td></tr>
<tr><td>11:00.0</td><td>A makes 2-pt layup at rim</td><td>+2</td><td>two</td><td></td><td></td></tr>
<tr><td>10:00.0</td><td>x</td><td>y</td></tr>
<tr><td>13:00.0</td><td colspan="5">Official timeout</td></tr>
<tr><td>9:00.0</td><td>Something new happened</td><td></td><td>0-0</td><td></td><td></td></tr>
</table>`
	res, err := ParsePlayByPlay([]byte(page), parse.Hint{Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"row 2", "row 3", "row 4", "row 5", "row 6"}
	if len(res.Issues) != len(want) {
		t.Fatalf("issues %+v", res.Issues)
	}
	for i, w := range want {
		if !strings.HasSuffix(res.Issues[i].Position, w) {
			t.Errorf("issue %d at %s, want %s", i, res.Issues[i].Position, w)
		}
	}
	if len(res.PBP.Events) != 2 || res.PBP.Events[1].Type != model.Unknown || len(res.PBP.Warnings) != 1 {
		t.Errorf("events %+v warnings %v", res.PBP.Events, res.PBP.Warnings)
	}
	for _, bad := range []string{"", "<table id=other></table>", "<table id=pbp></table>"} {
		if _, err := ParsePlayByPlay([]byte(bad), parse.Hint{Key: "k"}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestParseScraperPBPReal parses every bbref/pbp_parsed output: no issue,
// every text understood, CSV and JSON forms equal, and the shooting of
// 201810160BOS equal to its bbref box score.
func TestParseScraperPBPReal(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	pdir := filepath.Join(dir, "bbref", "pbp_parsed")
	games := map[string]string{"2018_10_16_BOS": "201810160BOS", "2018_10_22_POR": "201810220POR", "2003_10_29_TOR": "200310290TOR"}
	index := readIndex(t, dir)
	for stem, id := range games {
		var streams []*model.Game
		for _, f := range []string{stem + "_pbp.csv", stem + "_pbp.json", filepath.Join("end_to_end_output", stem+"_pbp.csv")} {
			data, err := os.ReadFile(filepath.Join(pdir, f))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			res, err := ParseScraperPBP(data, parse.Hint{Key: f, Item: id})
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			if len(res.Issues) != 0 || len(res.PBP.Warnings) != 0 {
				t.Errorf("%s: issues %v warnings %v", f, res.Issues, res.PBP.Warnings)
			}
			for _, e := range res.PBP.Events {
				if e.Side == model.NoSide && e.Type != model.Timeout {
					t.Errorf("%s: event without a team: %+v", f, e)
				}
			}
			if ix, ok := index[id]; ok {
				g := res.Games[0]
				if g.HomePts != ix.homePts || g.AwayPts != ix.awayPts || g.Periods != 4+otCount(ix.overtimes) {
					t.Errorf("%s: final %d-%d in %d periods, INDEX %d-%d %q", f, g.HomePts, g.AwayPts, g.Periods, ix.homePts, ix.awayPts, ix.overtimes)
				}
			}
			streams = append(streams, res.PBP)
		}
		if len(streams) < 2 {
			t.Errorf("%s: %d forms parsed", stem, len(streams))
			continue
		}
		for _, s := range streams[1:] {
			if len(s.Events) != len(streams[0].Events) {
				t.Errorf("%s: forms differ: %d vs %d events", stem, len(s.Events), len(streams[0].Events))
				continue
			}
			for i := range s.Events {
				if s.Events[i] != streams[0].Events[i] {
					t.Errorf("%s event %d: %+v vs %+v", stem, i, s.Events[i], streams[0].Events[i])
					break
				}
			}
		}
		box := filepath.Join(dir, "bbref", "boxscores", id+".html.gz")
		data, err := os.ReadFile(box)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		bres, err := ParseBoxScore(data, parse.Hint{Key: box, Item: id})
		if err != nil {
			t.Fatal(err)
		}
		sums := shootingOf(streams[0])
		for _, team := range []model.TeamLine{bres.Boxes[0].Home, bres.Boxes[0].Away} {
			want := model.Stats{PTS: team.PTS, FGM: team.FGM, FGA: team.FGA, FG3M: team.FG3M, FG3A: team.FG3A, FTM: team.FTM, FTA: team.FTA}
			if sums[team.Side] != want {
				t.Errorf("%s %s: plays %+v, box %+v", id, team.Code, sums[team.Side], want)
			}
		}
	}
}

func TestParseScraperPBPBad(t *testing.T) {
	t.Parallel()
	head := "period,period_type,remaining_seconds_in_period,relevant_team,away_team,home_team,away_score,home_score,description\n"
	ok := "1,QUARTER,700.0,BOSTON CELTICS,MIAMI HEAT,BOSTON CELTICS,0,2,J. Tatum makes 2-pt layup at rim\n"
	cases := []struct{ name, data, wantErr, wantIssue string }{
		{"empty", "", "CSV header", ""},
		{"no column", "period,description\n1,x\n", "lacks column", ""},
		{"bad number", head + ok + "x,QUARTER,1,A,B,C,0,0,y\n", "", "line 3"},
		{"bad period type", head + ok + "1,HALF,1,A,B,C,0,0,y\n", "", "row 2 period_type"},
		{"clock too long", head + ok + "1,QUARTER,800,A,B,C,0,0,y\n", "", "row 2"},
		{"short row", head + ok + "1,QUARTER\n", "", "line 3"},
		{"json", `[{"period":1,"period_type":"QUARTER","remaining_seconds_in_period":10,"away_team":"MIAMI HEAT","home_team":"BOSTON CELTICS","relevant_team":"MIAMI HEAT","description":"Turnover by Team (shot clock)"},{"period":"x"}]`, "", "[1]"},
		{"wrong game", head + ok, "not the home team", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			item := ""
			if c.name == "wrong game" {
				item = "201901020MIA"
			}
			res, err := ParseScraperPBP([]byte(c.data), parse.Hint{Key: "k", Item: item})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, is := range res.Issues {
				if strings.Contains(is.Position, c.wantIssue) {
					found = true
				}
			}
			if !found {
				t.Errorf("issues %+v, want %q", res.Issues, c.wantIssue)
			}
		})
	}
}

// TestDescribeForms maps the rarer bbref play forms, among them the ones
// with no name ("Turnover by  (8 sec)", "Jump ball:  vs.", "Technical foul
// by", "ejected from game").
func TestDescribeForms(t *testing.T) {
	t.Parallel()
	id := func(name string) model.PlayerID { return model.PlayerID(name) }
	cases := []struct {
		text string
		want model.Event
	}{
		{"Turnover by (8 sec)", model.Event{Type: model.Turnover, Team: true, Subtype: "8 sec"}},
		{"Turnover by A. B (turnover; steal by C. D)", model.Event{Type: model.Turnover, Player: "A. B", Steal: "C. D", Subtype: "turnover"}},
		{"Turnover by A. B", model.Event{Type: model.Turnover, Player: "A. B"}},
		{"Jump ball: vs.", model.Event{Type: model.JumpBall}},
		{"Technical foul by", model.Event{Type: model.Foul, Foul: model.FoulTechnical, Subtype: "technical foul"}},
		{"Technical foul by Team", model.Event{Type: model.Foul, Foul: model.FoulTechnical, Team: true, Subtype: "technical foul"}},
		{"ejected from game", model.Event{Type: model.Ejection}},
		{"A. B ejected from game", model.Event{Type: model.Ejection, Player: "A. B"}},
		{"Violation by A. B (double lane)", model.Event{Type: model.Violation, Player: "A. B", Subtype: "double lane"}},
		{"Violation by Team (jump ball)", model.Event{Type: model.Violation, Team: true, Subtype: "jump ball"}},
		{"A. B makes flagrant free throw 3 of 3", model.Event{Type: model.FreeThrow, Made: true, Points: 1, FTKind: model.FTFlagrant, FTNum: 3, FTOf: 3, Player: "A. B", Subtype: "flagrant free throw"}},
		{"A. B misses 2-pt shot", model.Event{Type: model.ShotMissed, Player: "A. B", Subtype: "shot"}},
		{"Personal take foul by A. B (drawn by C. D)", model.Event{Type: model.Foul, Foul: model.FoulPersonal, Player: "A. B", Fouled: "C. D", Subtype: "personal take foul"}},
		{"Away from play foul by A. B (drawn by C. D)", model.Event{Type: model.Foul, Foul: model.FoulAwayFromPlay, Player: "A. B", Fouled: "C. D", Subtype: "away from play foul"}},
		{"Inbound foul by A. B", model.Event{Type: model.Foul, Foul: model.FoulInbound, Player: "A. B", Subtype: "inbound foul"}},
		{"Double personal foul by A. B and C. D", model.Event{Type: model.Foul, Foul: model.FoulDouble, Player: "A. B", Fouled: "C. D", Subtype: "double personal foul"}},
		{"Defensive three seconds by A. B", model.Event{Type: model.Foul, Foul: model.FoulDefensive3Seconds, Player: "A. B", Subtype: "defensive three seconds"}},
		{"Instant Replay", model.Event{Type: model.Replay, Subtype: "instant replay"}},
		{"Start of 2nd overtime", model.Event{Type: model.PeriodBegin}},
		{"Something else entirely", model.Event{Type: model.Unknown}},
	}
	for _, c := range cases {
		var e model.Event
		known := describe(&e, c.text, id)
		if e != c.want || known != (c.want.Type != model.Unknown) {
			t.Errorf("%q\n got %+v (%v)\nwant %+v", c.text, e, known, c.want)
		}
	}
}
