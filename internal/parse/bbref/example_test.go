package bbref_test

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
)

// A schedule table hidden in an HTML comment, as basketball-reference
// serves many tables: the parser reads comments as HTML too.
func ExampleParseSchedule() {
	page := `<div><!--
<table id="schedule"><tbody>
<tr><th scope="row" data-stat="date_game" csk="202403010DET"><a>Fri, Mar 1, 2024</a></th>
<td data-stat="visitor_team_name"><a href="/teams/CHO/2024.html">Charlotte Hornets</a></td><td data-stat="visitor_pts">110</td>
<td data-stat="home_team_name"><a href="/teams/DET/2024.html">Detroit Pistons</a></td><td data-stat="home_pts">100</td>
<td data-stat="box_score_text"><a href="/boxscores/202403010DET.html">Box Score</a></td><td data-stat="overtimes">OT</td></tr>
</tbody></table>
--></div>`
	res, err := bbref.ParseSchedule([]byte(page), parse.Hint{Key: "bbref/schedule/2023-24/march.html", Item: "march", Season: "2023-24"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range res.Games {
		fmt.Println(g.BBRefID, g.Date, g.AwayCode, g.AwayPts, "@", g.HomeCode, g.HomePts, "periods", g.Periods, g.SeasonType)
	}
	// Output:
	// 202403010DET 2024-03-01 CHA 110 @ DET 100 periods 5 regular
}
