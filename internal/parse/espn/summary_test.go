package espn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
	"github.com/nbasim/nbasim/internal/testutil"
)

func readReal(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RealDataDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shooting sums the team shooting stats of a play stream per side.
func shooting(g *model.Game) map[model.Side]*model.Stats {
	out := map[model.Side]*model.Stats{}
	for _, side := range []model.Side{model.Home, model.Away, model.NoSide} {
		s := model.Shooting(g.Events, side)
		out[side] = &s
	}
	return out
}

// TestParseSummaryReal parses the real summary of ESPN 401585607 (NBA
// 0022300979, TOR @ ORL 2024-03-17) and checks the plays against ESPN's own
// box and against the basketball-reference box of 202403170ORL.
func TestParseSummaryReal(t *testing.T) {
	t.Parallel()
	data := readReal(t, "espn/summary_401585607.json")
	res, err := ParseSummary(data, parse.Hint{Key: "espn/summary_401585607.json", Item: "401585607"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Issues) != 0 {
		t.Errorf("issues: %+v", res.Issues)
	}
	g := res.Games[0]
	want := model.GameRow{ESPNID: "401585607", Season: "2023-24", SeasonType: "regular", Date: "2024-03-17",
		HomeCode: "ORL", AwayCode: "TOR", HomeTeamID: "1610612753", AwayTeamID: "1610612761", HomePts: 111, AwayPts: 96, Final: true, Periods: 4}
	if g != want {
		t.Errorf("game\n got %+v\nwant %+v", g, want)
	}
	if res.PBP == nil || len(res.PBP.Events) != 450 {
		t.Fatalf("pbp events: %v", res.PBP)
	}
	// ESPN quirk: plays 548 and 549 are "Ochai Agbaji enters the game for "
	// with no player going out (play 550 is the full substitution).
	if len(res.PBP.Warnings) != 2 || !strings.Contains(res.PBP.Warnings[0], "401585607548") || !strings.Contains(res.PBP.Warnings[1], "401585607549") {
		t.Errorf("warnings: %v", res.PBP.Warnings)
	}
	for _, e := range res.PBP.Events {
		if e.Type == model.Unknown && e.Subtype != "end game" {
			t.Errorf("unknown event %+v", e)
		}
	}
	if len(res.Boxes) != 1 {
		t.Fatalf("boxes %d", len(res.Boxes))
	}
	box := res.Boxes[0]
	if box.Home.Seconds != 240*60*10 || box.Away.Seconds != 240*60*10 {
		t.Errorf("team minutes %v %v", box.Home.Seconds, box.Away.Seconds)
	}
	sums := shooting(res.PBP)
	if s := sums[model.NoSide]; *s != (model.Stats{}) {
		t.Errorf("shots without a side: %+v", s)
	}
	// ESPN plays = ESPN box, team by team.
	for _, team := range []model.TeamLine{box.Home, box.Away} {
		if got, want := *sums[team.Side], team.Stats.ShootingOnly(); got != want {
			t.Errorf("%s: plays %+v, ESPN box %+v", team.Code, got, want)
		}
		var players model.Stats
		for _, l := range box.Players {
			if l.Side == team.Side {
				players.Add(l.Stats)
			}
		}
		if players.ShootingOnly() != team.Stats.ShootingOnly() {
			t.Errorf("%s: ESPN player sum %+v, team %+v", team.Code, players.ShootingOnly(), team.Stats.ShootingOnly())
		}
	}
	// ESPN plays = bbref box of the same game.
	bdata := readReal(t, "bbref/boxscores/202403170ORL.html.gz")
	bres, err := bbref.ParseBoxScore(bdata, parse.Hint{Key: "202403170ORL", Item: "202403170ORL"})
	if err != nil {
		t.Fatal(err)
	}
	bb := bres.Boxes[0]
	for _, team := range []model.TeamLine{bb.Home, bb.Away} {
		if got, want := *sums[team.Side], team.Stats.ShootingOnly(); got != want {
			t.Errorf("%s: ESPN plays %+v, bbref box %+v", team.Code, got, want)
		}
	}
	// Same players on both providers (by name).
	names := map[string]bool{}
	for _, l := range bb.Players {
		if !l.DNP {
			names[l.Name] = true
		}
	}
	for _, l := range box.Players {
		if !l.DNP && !names[l.Name] {
			t.Errorf("ESPN player %q played but is not in the bbref box", l.Name)
		}
	}
	// Every player id of the plays is a box-score athlete.
	for _, e := range res.PBP.Events {
		for _, id := range []model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.SubIn, e.SubOut, e.Jump2, e.JumpTo} {
			if id != "" {
				if _, ok := res.PBP.Players[id]; !ok {
					t.Errorf("event %d: player %s not in the box score", e.Order, id)
				}
			}
		}
	}
	// Substitutions: participants are [in, out], as the text says.
	subs := 0
	for _, e := range res.PBP.Events {
		if e.Type == model.Substitution {
			subs++
			p := res.PBP.Players
			if want := strings.TrimSpace(p[e.SubIn].Name + " enters the game for " + p[e.SubOut].Name); e.Description != want {
				t.Errorf("substitution %q mapped as %q", e.Description, want)
			}
		}
	}
	if subs != 61 {
		t.Errorf("%d substitutions, want 61", subs)
	}
	// The last event carries the final score.
	last := res.PBP.Events[len(res.PBP.Events)-1]
	if last.ScoreHome != 111 || last.ScoreAway != 96 {
		t.Errorf("last event score %d-%d", last.ScoreHome, last.ScoreAway)
	}
}

// TestParseSummaryEvents pins the mapping of one play of each kind.
func TestParseSummaryEvents(t *testing.T) {
	t.Parallel()
	data := readReal(t, "espn/summary_401585607.json")
	res, err := ParseSummary(data, parse.Hint{Key: "summary"})
	if err != nil {
		t.Fatal(err)
	}
	find := func(desc string) model.Event {
		t.Helper()
		for _, e := range res.PBP.Events {
			if e.Description == desc {
				return e
			}
		}
		t.Fatalf("no event %q", desc)
		return model.Event{}
	}
	name := func(id model.PlayerID) string { return res.PBP.Players[id].Name }
	cases := []struct {
		desc  string
		check func(e model.Event) bool
	}{
		{"Kelly Olynyk vs. Wendell Carter Jr. (Jalen Suggs gains possession)", func(e model.Event) bool {
			return e.Type == model.JumpBall && name(e.Player) == "Wendell Carter Jr." && name(e.Jump2) == "Kelly Olynyk" && name(e.JumpTo) == "Jalen Suggs" && e.Clock == 7200 && e.Elapsed == 0
		}},
		{"Kelly Olynyk makes driving layup (Immanuel Quickley assists)", func(e model.Event) bool {
			return e.Type == model.ShotMade && e.Made && e.Points == 2 && !e.Three && name(e.Player) == "Kelly Olynyk" && name(e.Assist) == "Immanuel Quickley" && e.Side == model.Away && e.ScoreAway == 2 && e.ScoreHome == 2
		}},
		{"Moritz Wagner blocks Bruce Brown 's 12-foot pullup jump shot", func(e model.Event) bool {
			return e.Type == model.ShotMissed && name(e.Player) == "Bruce Brown" && name(e.Block) == "Moritz Wagner" && e.Side == model.Away
		}},
		{"Markelle Fultz enters the game for Franz Wagner", func(e model.Event) bool {
			return e.Type == model.Substitution && name(e.SubIn) == "Markelle Fultz" && name(e.SubOut) == "Franz Wagner"
		}},
		{"Gradey Dick bad pass (Wendell Carter Jr. steals)", func(e model.Event) bool {
			return e.Type == model.Turnover && name(e.Player) == "Gradey Dick" && name(e.Steal) == "Wendell Carter Jr." && !e.Team
		}},
		{"Gradey Dick defensive 3-seconds (technical foul)", func(e model.Event) bool {
			return e.Type == model.Foul && e.Foul == model.FoulDefensive3Seconds && e.Clock == 521 && e.Period == 2
		}},
		{"Gary Harris misses technical free throw", func(e model.Event) bool {
			return e.Type == model.FreeThrow && !e.Made && e.FTKind == model.FTTechnical && e.FTNum == 1 && e.FTOf == 1
		}},
		{"Paolo Banchero misses free throw 1 of 2", func(e model.Event) bool {
			return e.Type == model.FreeThrow && !e.Made && e.FTNum == 1 && e.FTOf == 2 && e.Points == 0
		}},
		{"Jalen Suggs personal foul", func(e model.Event) bool { return e.Type == model.Foul && e.Foul == model.FoulPersonal }},
		{"Franz Wagner shooting foul", func(e model.Event) bool { return e.Type == model.Foul && e.Foul == model.FoulShooting }},
		{"Jalen Suggs offensive foul", func(e model.Event) bool { return e.Type == model.Foul && e.Foul == model.FoulOffensive }},
		{"Jalen Suggs turnover", func(e model.Event) bool { return e.Type == model.Turnover && e.Subtype == "offensive foul turnover" }},
		{"Magic defensive team rebound", func(e model.Event) bool {
			return e.Type == model.Rebound && e.Team && e.Rebound == model.ReboundDefensive && e.Side == model.Home && e.Player == ""
		}},
		{"Kelly Olynyk offensive rebound", func(e model.Event) bool {
			return e.Type == model.Rebound && !e.Team && e.Rebound == model.ReboundOffensive
		}},
		{"Raptors Full timeout", func(e model.Event) bool { return e.Type == model.Timeout && e.Side == model.Away && e.Team }},
		{"Bruce Brown kicked ball violation", func(e model.Event) bool { return e.Type == model.Violation }},
		{"Raptors Coach's Challenge", func(e model.Event) bool { return e.Type == model.Replay }},
		{"End of the 1st Quarter", func(e model.Event) bool {
			return e.Type == model.PeriodEnd && e.Period == 1 && e.Clock == 0 && e.Elapsed == 7200
		}},
		{"Gary Harris misses 23-foot three point jumper", func(e model.Event) bool { return e.Type == model.ShotMissed && e.Three }},
	}
	for _, c := range cases {
		e := find(c.desc)
		if !c.check(e) {
			t.Errorf("%q mapped to %+v", c.desc, e)
		}
	}
	// Team shot clock turnovers are team events.
	n := 0
	for _, e := range res.PBP.Events {
		if e.Type == model.Turnover && e.Team {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d team turnovers, want 2 (ORL teamTurnovers)", n)
	}
}

// TestParseSummaryBadInput checks errors and issues on broken summaries.
func TestParseSummaryBadInput(t *testing.T) {
	t.Parallel()
	head := `{"header":{"id":"401585607","season":{"year":2024,"type":2},"competitions":[{"id":"401585607","date":"2024-03-17T22:00Z","status":{"type":{"completed":true}},"competitors":[{"homeAway":"home","score":"2","team":{"id":"19","abbreviation":"ORL"}},{"homeAway":"away","score":"0","team":{"id":"28","abbreviation":"TOR"}}]}]}`
	cases := []struct {
		name, data, hint, wantErr, wantIssue string
	}{
		{"not json", `{"header":`, "", "summary byte", ""},
		{"no header", `{}`, "", "header.competitions", ""},
		{"other game", head + `}`, "401585608", "not 401585608", ""},
		{"one team", strings.Replace(head, `"homeAway":"away"`, `"homeAway":"home"`, 1) + `}`, "", "want one home and one away", ""},
		{"bad clock", head + `,"plays":[{"id":"1","type":{"id":"92","text":"Jump Shot"},"text":"x makes","period":{"number":1},"clock":{"displayValue":"1x:00"},"team":{"id":"19"}}]}`, "", "", "plays[0] (id 1)"},
		{"bad period", head + `,"plays":[{"id":"1","type":{"id":"92","text":"Jump Shot"},"period":{"number":0},"clock":{"displayValue":"1:00"}}]}`, "", "", "plays[0]"},
		{"bad play type", head + `,"plays":[{"id":"1","period":{"number":"x"}}]}`, "", "", "plays[0]"},
		{"bad athlete", head + `,"boxscore":{"players":[{"team":{"id":"19"},"statistics":[{"labels":["MIN","FG"],"athletes":[{"athlete":{"id":"1"},"stats":["1","x"]}]}]}]}}`, "", "", "boxscore.players[0].statistics[0].athletes[0].stats"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := ParseSummary([]byte(c.data), parse.Hint{Key: "k", Item: c.hint})
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

// TestParseSummaryPreGame checks a summary of a game not started (no
// plays, empty box) and a play naming an athlete missing from the box.
func TestParseSummaryPreGame(t *testing.T) {
	t.Parallel()
	head := `{"header":{"id":"401704999","season":{"year":2025,"type":5},"competitions":[{"id":"401704999","date":"2025-04-16T23:30Z","status":{"type":{"state":"pre","completed":false}},"competitors":[{"homeAway":"home","team":{"id":"13","abbreviation":"LAL"}},{"homeAway":"away","team":{"id":"9","abbreviation":"GS"}}]}]}`
	res, err := ParseSummary([]byte(head+`,"boxscore":{"teams":[],"players":[]}}`), parse.Hint{Key: "k", Item: "401704999"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Games[0]
	if g.Final || g.HomePts != -1 || g.SeasonType != "play_in" || g.AwayCode != "GSW" || g.Date != "2025-04-16" || res.PBP != nil || len(res.Boxes) != 0 {
		t.Errorf("pre-game: %+v pbp %v boxes %d", g, res.PBP, len(res.Boxes))
	}
	res, err = ParseSummary([]byte(head+`,"plays":[{"id":"1","sequenceNumber":"5","type":{"id":"95","text":"Layup Shot"},"text":"X makes layup","scoringPlay":true,"scoreValue":2,"shootingPlay":true,"homeScore":2,"awayScore":0,"period":{"number":1},"clock":{"displayValue":"11:00"},"team":{"id":"13"},"participants":[{"athlete":{"id":"77"}}]}]}`), parse.Hint{Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.PBP.Players["77"]; p.Side != model.Home || len(res.PBP.Warnings) != 1 {
		t.Errorf("player %+v warnings %v", p, res.PBP.Warnings)
	}
	if e := res.PBP.Events[0]; e.Type != model.ShotMade || e.Points != 2 || e.EventNum != 5 || e.Elapsed != 600 {
		t.Errorf("event %+v", e)
	}
}

// TestPlayTypes maps play types of ESPN feeds beyond the real game's.
func TestPlayTypes(t *testing.T) {
	t.Parallel()
	home := "19"
	c := playContext{sideOf: map[string]model.Side{"19": model.Home, "28": model.Away}, players: map[model.PlayerID]model.PlayerInfo{}, game: &model.Game{}}
	mk := func(id, typeText, text string, parts ...string) play {
		var p play
		p.ID, p.Type.ID, p.Type.Text, p.Text = "1", flexString(id), typeText, text
		p.Period.Number, p.Clock.DisplayValue = 5, "4:59"
		p.Team = &struct {
			ID flexString `json:"id"`
		}{ID: flexString(home)}
		for _, a := range parts {
			var x struct {
				Athlete struct {
					ID flexString `json:"id"`
				} `json:"athlete"`
			}
			x.Athlete.ID = flexString(a)
			p.Participants = append(p.Participants, x)
		}
		return p
	}
	cases := []struct {
		p    play
		want func(e model.Event) bool
	}{
		{mk("", "Jump Ball Violation", "X jump ball violation", "1"), func(e model.Event) bool { return e.Type == model.Violation }},
		{mk("", "Lane Violation", "X lane violation", "1"), func(e model.Event) bool { return e.Type == model.Violation }},
		{mk("", "Technical Foul", "Coach technical foul"), func(e model.Event) bool { return e.Type == model.Foul && e.Foul == model.FoulTechnical && e.Team }},
		{mk("", "Flagrant Foul Type 2", "X flagrant foul type 2", "1", "2"), func(e model.Event) bool {
			return e.Type == model.Foul && e.Foul == model.FoulFlagrant2 && e.Player == "1" && e.Fouled == "2"
		}},
		{mk("", "Double Technical Foul", "double technical foul: X and Y", "1", "2"), func(e model.Event) bool { return e.Foul == model.FoulDoubleTechnical && e.Fouled == "2" }},
		{mk("", "Transition Take Foul", "X transition take foul", "1"), func(e model.Event) bool { return e.Foul == model.FoulTransitionTake }},
		{mk("", "Free Throw - Flagrant 2 of 2", "X makes flagrant free throw 2 of 2", "1"), func(e model.Event) bool {
			return e.Type == model.FreeThrow && e.FTKind == model.FTFlagrant && e.FTNum == 2 && e.FTOf == 2 && e.Made && e.Points == 1
		}},
		{mk("", "Alley Oop Dunk Shot", "X makes alley oop dunk (Y assists)", "1", "2"), func(e model.Event) bool {
			return e.Type == model.ShotMade && e.Points == 2 && e.Assist == "2" && e.Clock == 2990 && e.Elapsed == 28810
		}},
		{mk("", "Jump Shot", "X misses 26-foot three point jumper", "1"), func(e model.Event) bool { return e.Type == model.ShotMissed && e.Three }},
		{mk("", "Ejection", "X ejected", "1"), func(e model.Event) bool { return e.Type == model.Ejection && e.Player == "1" }},
		{mk("", "Official TV Timeout", "Official timeout"), func(e model.Event) bool { return e.Type == model.Timeout && e.Side == model.NoSide && !e.Team }},
		{mk("", "Start Period", "Start of the 1st Overtime"), func(e model.Event) bool { return e.Type == model.PeriodBegin }},
		{mk("999", "Something New", "?"), func(e model.Event) bool { return e.Type == model.Unknown }},
	}
	for _, tc := range cases {
		e, err := c.event(tc.p)
		if err != nil || !tc.want(e) {
			t.Errorf("%s %q: %+v %v", tc.p.Type.Text, tc.p.Text, e, err)
		}
	}
}
