package espn_test

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/espn"
)

// ESPN team codes become NBA codes, and UTC start times US dates.
func ExampleParseScoreboard() {
	body := `{"events":[{"id":"401704877","date":"2024-12-02T01:00Z","season":{"year":2025,"type":2},
"competitions":[{"id":"401704877","status":{"period":4,"type":{"state":"post","completed":true}},
"competitors":[{"homeAway":"home","score":"104","team":{"id":"26","abbreviation":"UTAH"}},
{"homeAway":"away","score":"105","team":{"id":"13","abbreviation":"LAL"}}]}]}]}`
	res, err := espn.ParseScoreboard([]byte(body), parse.Hint{Key: "espn/scoreboard/2024-25/20241201.json", Item: "20241201"})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := res.Games[0]
	fmt.Println(g.ESPNID, g.Date, g.Season, g.AwayCode, g.AwayPts, "@", g.HomeCode, g.HomePts, g.Final)
	// Output:
	// 401704877 2024-12-01 2024-25 LAL 105 @ UTA 104 true
}
