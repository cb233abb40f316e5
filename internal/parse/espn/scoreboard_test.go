package espn

import (
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// TestParseScoreboardReal parses the real scoreboard of 2024-12-01.
func TestParseScoreboardReal(t *testing.T) {
	t.Parallel()
	data := readReal(t, "espn/scoreboard_20241201.json")
	res, err := ParseScoreboard(data, parse.Hint{Key: "espn/scoreboard_20241201.json", Item: "20241201"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Issues) != 0 || len(res.Games) != 10 || len(res.Teams) != 20 {
		t.Fatalf("issues %v games %d teams %d", res.Issues, len(res.Games), len(res.Teams))
	}
	want := map[string]model.GameRow{
		"401704871": {ESPNID: "401704871", Season: "2024-25", SeasonType: "regular", Date: "2024-12-01", HomeCode: "BKN", AwayCode: "ORL", HomeTeamID: "1610612751", AwayTeamID: "1610612753", HomePts: 92, AwayPts: 100, Final: true, Periods: 4},
		"401704874": {ESPNID: "401704874", Season: "2024-25", SeasonType: "regular", Date: "2024-12-01", HomeCode: "NYK", AwayCode: "NOP", HomeTeamID: "1610612752", AwayTeamID: "1610612740", HomePts: 118, AwayPts: 85, Final: true, Periods: 4},
		"401704877": {ESPNID: "401704877", Season: "2024-25", SeasonType: "regular", Date: "2024-12-01", HomeCode: "UTA", AwayCode: "LAL", HomeTeamID: "1610612762", AwayTeamID: "1610612747", HomePts: 104, AwayPts: 105, Final: true, Periods: 4},
		"401704879": {ESPNID: "401704879", Season: "2024-25", SeasonType: "regular", Date: "2024-12-01", HomeCode: "SAC", AwayCode: "SAS", HomeTeamID: "1610612758", AwayTeamID: "1610612759", HomePts: 125, AwayPts: 127, Final: true, Periods: 4},
	}
	for _, g := range res.Games {
		if g.Date != "2024-12-01" {
			t.Errorf("%s: date %s (UTC %s games are still Dec 1 in the US)", g.ESPNID, g.Date, g.ESPNID)
		}
		if w, ok := want[g.ESPNID]; ok && g != w {
			t.Errorf("game\n got %+v\nwant %+v", g, w)
		}
	}
	if _, err := ParseScoreboard(data, parse.Hint{Key: "k", Item: "20241202"}); err == nil || !strings.Contains(err.Error(), "another date") {
		t.Errorf("wrong date hint: %v", err)
	}
}

func TestParseScoreboardStates(t *testing.T) {
	t.Parallel()
	ev := func(id, state string, completed bool, hs, as string) string {
		return `{"id":"` + id + `","date":"2025-01-02T00:30Z","season":{"year":2025,"type":2},"competitions":[{"id":"` + id + `","status":{"type":{"state":"` + state + `","completed":` + map[bool]string{true: "true", false: "false"}[completed] + `}},"competitors":[{"homeAway":"home","score":"` + hs + `","team":{"id":"9","abbreviation":"GS"}},{"homeAway":"away","score":"` + as + `","team":{"id":"27","abbreviation":"WSH"}}]}]}`
	}
	data := `{"events":[` + ev("1", "pre", false, "0", "0") + `,` + ev("2", "in", false, "50", "48") + `,` + ev("3", "post", true, "101", "99") + `,{"id":4}]}`
	res, err := ParseScoreboard([]byte(data), parse.Hint{Key: "k", Item: "20250101"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Games) != 3 || len(res.Issues) != 1 || !strings.Contains(res.Issues[0].Position, "events[3]") {
		t.Fatalf("games %+v issues %+v", res.Games, res.Issues)
	}
	g := res.Games
	if g[0].HomePts != -1 || g[0].Final || g[1].HomePts != 50 || g[1].Final || !g[2].Final || g[2].AwayPts != 99 {
		t.Errorf("states %+v", g)
	}
	if g[0].HomeCode != "GSW" || g[0].AwayCode != "WAS" || g[0].Date != "2025-01-01" {
		t.Errorf("codes/date %+v", g[0])
	}
	for _, bad := range []string{``, `[]`, `{}`, `{"events":{}}`} {
		if _, err := ParseScoreboard([]byte(bad), parse.Hint{Key: "k"}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
