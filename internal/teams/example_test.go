package teams_test

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/teams"
)

func ExampleLookup() {
	for _, code := range []string{"BRK", "GS", "UTAH", "PHO", "NJN"} {
		t, _ := teams.Lookup(code)
		fmt.Printf("%-4s -> %s (ESPN %s, bbref %s) %s\n", code, t.Code, t.ESPNCode, t.BBRefCode, t.FullName())
	}
	// Output:
	// BRK  -> BKN (ESPN BKN, bbref BRK) Brooklyn Nets
	// GS   -> GSW (ESPN GS, bbref GSW) Golden State Warriors
	// UTAH -> UTA (ESPN UTAH, bbref UTA) Utah Jazz
	// PHO  -> PHX (ESPN PHX, bbref PHO) Phoenix Suns
	// NJN  -> BKN (ESPN BKN, bbref BRK) Brooklyn Nets
}

func ExampleMatchGames() {
	nba := []model.GameRow{{GameID: "0022300979", Date: "2024-03-17", HomeCode: "ORL", AwayCode: "TOR"}}
	espn := []model.GameRow{{ESPNID: "401585607", Date: "2024-03-17", HomeCode: "ORL", AwayCode: "TOR"}}
	bbref := []model.GameRow{{BBRefID: "202403170ORL", Date: "2024-03-17", HomeCode: "ORL", AwayCode: "TOR"}}
	for _, g := range teams.MatchGames(nba, espn, bbref) {
		fmt.Println(g.GameID, g.ESPNID, g.BBRefID)
	}
	// Output: 0022300979 401585607 202403170ORL
}
