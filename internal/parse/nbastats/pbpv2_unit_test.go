package nbastats

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

var v2Headers = []string{"GAME_ID", "EVENTNUM", "EVENTMSGTYPE", "EVENTMSGACTIONTYPE", "PERIOD", "WCTIMESTRING", "PCTIMESTRING", "HOMEDESCRIPTION", "NEUTRALDESCRIPTION", "VISITORDESCRIPTION", "SCORE", "SCOREMARGIN", "PERSON1TYPE", "PLAYER1_ID", "PLAYER1_NAME", "PLAYER1_TEAM_ID", "PLAYER1_TEAM_CITY", "PLAYER1_TEAM_NICKNAME", "PLAYER1_TEAM_ABBREVIATION", "PERSON2TYPE", "PLAYER2_ID", "PLAYER2_NAME", "PLAYER2_TEAM_ID", "PLAYER2_TEAM_CITY", "PLAYER2_TEAM_NICKNAME", "PLAYER2_TEAM_ABBREVIATION", "PERSON3TYPE", "PLAYER3_ID", "PLAYER3_NAME", "PLAYER3_TEAM_ID", "PLAYER3_TEAM_CITY", "PLAYER3_TEAM_NICKNAME", "PLAYER3_TEAM_ABBREVIATION", "VIDEO_AVAILABLE_FLAG"}

const (
	bos = 1610612738
	phi = 1610612755
)

// v2p is a person slot: type, id, name, team.
type v2p struct {
	typ  any
	id   int
	name any
	team any
}

func homeP(id int, name string) v2p { return v2p{4, id, name, bos} }
func awayP(id int, name string) v2p { return v2p{5, id, name, phi} }

var none = v2p{0, 0, nil, nil}

func v2row(num, typ, action, period int, clock string, home, neutral, visitor, score any, ps ...v2p) []any {
	for len(ps) < 3 {
		ps = append(ps, none)
	}
	margin := any(nil)
	r := []any{"0021800001", num, typ, action, period, "8:00 PM", clock, home, neutral, visitor, score, margin}
	for _, p := range ps {
		var city, nick, abbr any
		switch p.team {
		case bos:
			city, nick, abbr = "Boston", "Celtics", "BOS"
		case phi:
			city, nick, abbr = "Philadelphia", "76ers", "PHI"
		}
		r = append(r, p.typ, p.id, p.name, p.team, city, nick, abbr)
	}
	return append(r, 1)
}

func v2doc(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	doc := map[string]any{
		"resource":   "playbyplay",
		"parameters": map[string]any{"GameID": "0021800001"},
		"resultSets": []any{map[string]any{"name": "PlayByPlay", "headers": v2Headers, "rowSet": rows}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePlayByPlayV2Quirks(t *testing.T) {
	t.Parallel()
	horford, tatum := homeP(201143, "Al Horford"), homeP(1628369, "Jayson Tatum")
	embiid, simmons := awayP(203954, "Joel Embiid"), awayP(1627732, "Ben Simmons")
	rows := [][]any{
		v2row(2, 12, 0, 1, "12:00", nil, "Start of 1st Period", nil, nil),
		v2row(4, 10, 0, 1, "12:00", "Jump Ball Horford vs. Embiid: Tip to Simmons", nil, nil, nil, horford, embiid, simmons),
		v2row(7, 2, 1, 1, "11:40", nil, nil, "MISS Embiid 27' 3PT Jump Shot", nil, embiid, none, horford),
		v2row(8, 4, 0, 1, "11:40", "CELTICS Rebound", nil, nil, nil, v2p{2, bos, nil, nil}),
		// away scores: SCORE is "AWAY - HOME"
		v2row(17, 1, 41, 1, "10:55", nil, nil, "Embiid 1' Running Layup (2 PTS) (Simmons 1 AST)", "2 - 0", embiid, simmons),
		// exact duplicate of 17: dropped
		v2row(17, 1, 41, 1, "10:55", nil, nil, "Embiid 1' Running Layup (2 PTS) (Simmons 1 AST)", "2 - 0", embiid, simmons),
		v2row(20, 1, 1, 1, "10:30", "Tatum 25' 3PT Jump Shot (3 PTS)", nil, nil, "2 - 3", tatum),
		v2row(21, 6, 2, 1, "10:10", "Horford S.FOUL (P1.T1)", nil, nil, nil, horford, embiid),
		v2row(22, 3, 11, 1, "10:10", nil, nil, "MISS Embiid Free Throw 1 of 2", nil, embiid),
		v2row(23, 4, 0, 1, "10:10", nil, nil, "76ERS Rebound", nil, v2p{3, phi, nil, nil}),
		v2row(24, 3, 12, 1, "10:10", nil, nil, "Embiid Free Throw 2 of 2 (3 PTS)", "3 - 3", embiid),
		// same EVENTNUM, different content: kept
		v2row(24, 9, 1, 1, "10:10", "Celtics Timeout: Regular (Reg.1 Short 0)", nil, nil, nil, v2p{2, bos, nil, nil}),
		v2row(26, 2, 1, 1, "9:50", "MISS Tatum 20' Jump Shot", nil, nil, nil, tatum),
		v2row(27, 4, 0, 1, "9:48", "Tatum REBOUND (Off:1 Def:0)", nil, nil, nil, tatum),
		v2row(28, 5, 1, 1, "9:40", "Tatum Bad Pass Turnover (P1.T1)", nil, "Simmons STEAL (1 STL)", nil, tatum, simmons),
		v2row(29, 8, 0, 1, "9:40", "SUB: Horford FOR Tatum", nil, nil, nil, tatum, horford),
		v2row(30, 3, 16, 1, "9:30", nil, nil, "Embiid Free Throw Technical (4 PTS)", "4 - 3", embiid),
		v2row(31, 3, 18, 1, "9:30", "Tatum Free Throw Flagrant 1 of 2 (4 PTS)", nil, nil, "4 - 4", tatum),
		v2row(32, 6, 14, 1, "9:30", nil, nil, "Simmons FLAGRANT.FOUL.TYPE1 (P1.T2)", nil, simmons, tatum),
		v2row(33, 13, 0, 1, "0:00.0", nil, "End of 1st Period", nil, "4 - 4"),
	}
	res, err := ParsePlayByPlayV2(v2doc(t, rows...), parse.Hint{Key: "test", Item: "0021800001"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.PBP
	if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0], "EVENTNUM 17") {
		t.Errorf("warnings %q, want one duplicate of EVENTNUM 17", g.Warnings)
	}
	if len(g.Events) != len(rows)-1 {
		t.Fatalf("%d events, want %d", len(g.Events), len(rows)-1)
	}
	if g.Home.ID != "1610612738" || g.Home.Code != "BOS" || g.Away.Code != "PHI" || g.Home.Pts != 4 || g.Away.Pts != 4 {
		t.Errorf("teams %+v %+v", g.Home, g.Away)
	}
	byNum := func(n, k int) model.Event {
		for _, e := range g.Events {
			if e.EventNum == n {
				if k == 0 {
					return e
				}
				k--
			}
		}
		t.Fatalf("no event %d", n)
		return model.Event{}
	}
	tests := []struct {
		name string
		got  model.Event
		ok   func(e model.Event) bool
	}{
		{"jump ball", byNum(4, 0), func(e model.Event) bool {
			return e.Type == model.JumpBall && e.Player == "201143" && e.Jump2 == "203954" && e.JumpTo == "1627732" && e.Side == model.Away
		}},
		{"missed three with block", byNum(7, 0), func(e model.Event) bool {
			return e.Type == model.ShotMissed && e.Three && !e.Made && e.Block == "201143" && e.Side == model.Away && e.Subtype == "jump shot"
		}},
		{"team rebound defensive", byNum(8, 0), func(e model.Event) bool {
			return e.Type == model.Rebound && e.Team && e.Side == model.Home && e.Rebound == model.ReboundDefensive && e.Player == ""
		}},
		{"away basket score orientation", byNum(17, 0), func(e model.Event) bool {
			return e.Made && e.Points == 2 && e.Assist == "1627732" && e.ScoreAway == 2 && e.ScoreHome == 0 && e.Side == model.Away
		}},
		{"home three", byNum(20, 0), func(e model.Event) bool { return e.Points == 3 && e.ScoreHome == 3 && e.ScoreAway == 2 }},
		{"shooting foul", byNum(21, 0), func(e model.Event) bool {
			return e.Foul == model.FoulShooting && e.Player == "201143" && e.Fouled == "203954"
		}},
		{"missed ft 1 of 2", byNum(22, 0), func(e model.Event) bool { return !e.Made && e.FTNum == 1 && e.FTOf == 2 && e.Points == 0 }},
		{"team rebound after ft offensive", byNum(23, 0), func(e model.Event) bool {
			return e.Team && e.Side == model.Away && e.Rebound == model.ReboundOffensive
		}},
		{"made ft 2 of 2", byNum(24, 0), func(e model.Event) bool { return e.Made && e.FTNum == 2 && e.FTOf == 2 && e.Points == 1 }},
		{"same EVENTNUM other content kept", byNum(24, 1), func(e model.Event) bool { return e.Type == model.Timeout && e.Side == model.Home }},
		{"offensive rebound", byNum(27, 0), func(e model.Event) bool { return e.Rebound == model.ReboundOffensive && e.Player == "1628369" }},
		{"turnover with steal", byNum(28, 0), func(e model.Event) bool {
			return e.Type == model.Turnover && e.Steal == "1627732" && e.Subtype == "bad pass" && !e.Team
		}},
		{"substitution", byNum(29, 0), func(e model.Event) bool { return e.SubOut == "1628369" && e.SubIn == "201143" && e.Side == model.Home }},
		{"technical ft", byNum(30, 0), func(e model.Event) bool { return e.FTKind == model.FTTechnical && e.FTNum == 1 && e.FTOf == 1 }},
		{"flagrant ft", byNum(31, 0), func(e model.Event) bool { return e.FTKind == model.FTFlagrant && e.FTNum == 1 && e.FTOf == 2 }},
		{"flagrant foul", byNum(32, 0), func(e model.Event) bool { return e.Foul == model.FoulFlagrant1 }},
		{"period end clock", byNum(33, 0), func(e model.Event) bool { return e.Type == model.PeriodEnd && e.Elapsed == model.RegulationPeriod }},
	}
	for _, tc := range tests {
		if !tc.ok(tc.got) {
			t.Errorf("%s: %+v", tc.name, tc.got)
		}
	}
	if len(g.Players) != 4 {
		t.Errorf("players %v", g.Players)
	}
}

func TestParsePlayByPlayV2Errors(t *testing.T) {
	t.Parallel()
	good := v2row(2, 12, 0, 1, "12:00", nil, "Start", nil, nil)
	tests := []struct {
		name    string
		data    []byte
		item    string
		wantErr string
		issues  int
	}{
		{"not json", []byte("<html>"), "", "invalid JSON", 0},
		{"no result sets", []byte(`{"resource":"x"}`), "", "missing resultSets", 0},
		{"missing column", []byte(`{"resultSets":[{"name":"PlayByPlay","headers":["GAME_ID"],"rowSet":[]}]}`), "", "missing column EVENTNUM", 0},
		{"other game", v2doc(t, good), "0021800002", "payload is game 0021800001", 0},
		{"bad clock row", v2doc(t, good, v2row(3, 1, 1, 1, "xx", nil, nil, nil, nil)), "", "", 1},
		{"bad period row", v2doc(t, good, v2row(3, 1, 1, 0, "1:00", nil, nil, nil, nil)), "", "", 1},
		{"short row", []byte(strings.Replace(string(v2doc(t, good)), `"rowSet":[[`, `"rowSet":[[1],[`, 1)), "", "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := ParsePlayByPlayV2(tc.data, parse.Hint{Key: "k", Item: tc.item})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Issues) != tc.issues {
				t.Fatalf("issues %v, want %d", res.Issues, tc.issues)
			}
		})
	}
}

func TestJSONNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"0", true}, {"-0", true}, {"12", true}, {"1.5", true}, {"-1.25e+10", true}, {"1E5", true}, {"0.0", true},
		{"01", false}, {"-", false}, {"1.", false}, {".5", false}, {"1e", false}, {"1e+", false}, {"--1", false}, {"1.2.3", false}, {"+1", false},
	} {
		_, err := jsonParse([]byte("[" + tc.in + "]"))
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}
