package teams

import (
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

func TestLookupCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, code, espn, bbref string
	}{
		{"BKN", "BKN", "BKN", "BRK"}, {"BRK", "BKN", "BKN", "BRK"}, {"NJN", "BKN", "BKN", "BRK"},
		{"CHO", "CHA", "CHA", "CHO"}, {"CHA", "CHA", "CHA", "CHO"},
		{"PHO", "PHX", "PHX", "PHO"}, {"PHX", "PHX", "PHX", "PHO"},
		{"GS", "GSW", "GS", "GSW"}, {"NY", "NYK", "NY", "NYK"}, {"SA", "SAS", "SA", "SAS"},
		{"NO", "NOP", "NO", "NOP"}, {"UTAH", "UTA", "UTAH", "UTA"}, {"WSH", "WAS", "WSH", "WAS"},
		{"utah", "UTA", "UTAH", "UTA"}, {"1610612744", "GSW", "GS", "GSW"},
		{"Golden State Warriors", "GSW", "GS", "GSW"}, {"Trail Blazers", "POR", "POR", "POR"},
		{"LA Clippers", "LAC", "LAC", "LAC"}, {"Los Angeles Clippers", "LAC", "LAC", "LAC"},
		{"SEA", "OKC", "OKC", "OKC"},
	}
	for _, tc := range tests {
		if got := Code(tc.in); got != tc.code {
			t.Errorf("Code(%q) = %q, want %q", tc.in, got, tc.code)
		}
		if got := ESPNCode(tc.in); got != tc.espn {
			t.Errorf("ESPNCode(%q) = %q, want %q", tc.in, got, tc.espn)
		}
		if got := BBRefCode(tc.in); got != tc.bbref {
			t.Errorf("BBRefCode(%q) = %q, want %q", tc.in, got, tc.bbref)
		}
	}
	if Code("XYZ") != "" {
		t.Error("unknown code resolved")
	}
}

func TestAllDistinct(t *testing.T) {
	t.Parallel()
	ts := All()
	if len(ts) != 30 {
		t.Fatalf("%d teams, want 30", len(ts))
	}
	seen := map[string]bool{}
	for _, tm := range ts {
		for _, k := range []string{"nba:" + tm.Code, "id:" + tm.NBAID, "espn:" + tm.ESPNCode, "espnid:" + tm.ESPNID, "bbref:" + tm.BBRefCode} {
			if seen[k] {
				t.Errorf("duplicate %s", k)
			}
			seen[k] = true
		}
		if got, ok := ByNBAID(tm.NBAID); !ok || got.Code != tm.Code {
			t.Errorf("ByNBAID(%s) = %v", tm.NBAID, got)
		}
	}
}

// TestMatchGamesConsecutiveDays: the same two teams on consecutive days,
// with ESPN giving the UTC date of the first game (the date of the second):
// the scores keep each ESPN row with its own game.
func TestMatchGamesConsecutiveDays(t *testing.T) {
	t.Parallel()
	nba := []model.GameRow{
		{GameID: "0022200480", Date: "2022-12-27", HomeCode: "DEN", AwayCode: "SAC", HomePts: 113, AwayPts: 106, Final: true},
		{GameID: "0022200487", Date: "2022-12-28", HomeCode: "DEN", AwayCode: "SAC", HomePts: 127, AwayPts: 126, Final: true},
	}
	espn := []model.GameRow{
		{ESPNID: "401468600", Date: "2022-12-28", HomeCode: "DEN", AwayCode: "SAC", HomePts: 113, AwayPts: 106, Final: true}, // UTC date of the 27th's game
		{ESPNID: "401468610", Date: "2022-12-29", HomeCode: "DEN", AwayCode: "SAC", HomePts: 127, AwayPts: 126, Final: true}, // UTC date of the 28th's game
	}
	got := MatchGames(nba, espn, nil)
	want := map[string]string{"0022200480": "401468600", "0022200487": "401468610"}
	if len(got) != 2 {
		t.Fatalf("%d rows, want 2: %+v", len(got), got)
	}
	for _, g := range got {
		if want[g.GameID] != g.ESPNID {
			t.Errorf("%s matched ESPN %q, want %q", g.GameID, g.ESPNID, want[g.GameID])
		}
	}
}

func TestMatchGames(t *testing.T) {
	t.Parallel()
	nba := []model.GameRow{
		{GameID: "0022300979", Date: "2024-03-17", HomeCode: "ORL", AwayCode: "TOR", Season: "2023-24"},
		{GameID: "0022000001", Date: "2020-12-22", HomeCode: "BKN", AwayCode: "GSW"},
		{GameID: "0022300100", Date: "2023-11-10", HomeCode: "PHX", AwayCode: "UTA"},
	}
	espn := []model.GameRow{
		{ESPNID: "401585607", Date: "2024-03-17", HomeCode: "ORL", AwayCode: "TOR"},
		{ESPNID: "401267165", Date: "2020-12-23", HomeCode: "BKN", AwayCode: "GS"},   // UTC date
		{ESPNID: "400000001", Date: "2023-11-10", HomeCode: "UTAH", AwayCode: "PHX"}, // other direction: a different game
	}
	bbref := []model.GameRow{
		{BBRefID: "202403170ORL", Date: "2024-03-17", HomeCode: "ORL", AwayCode: "TOR", HomePts: 113, AwayPts: 98, Final: true},
		{BBRefID: "202012220BRK", Date: "2020-12-22", HomeCode: "BRK", AwayCode: "GSW"},
		{BBRefID: "202311100PHO", Date: "2023-11-10", HomeCode: "PHO", AwayCode: "UTA"},
	}
	got := MatchGames(nba, espn, bbref)
	if len(got) != 4 {
		t.Fatalf("%d rows, want 4: %+v", len(got), got)
	}
	want := map[string][2]string{
		"0022300979": {"401585607", "202403170ORL"},
		"0022000001": {"401267165", "202012220BRK"},
		"0022300100": {"", "202311100PHO"},
	}
	for _, g := range got {
		if g.GameID == "" {
			if g.ESPNID != "400000001" || g.HomeCode != "UTA" {
				t.Errorf("unmatched ESPN row wrong: %+v", g)
			}
			continue
		}
		w := want[g.GameID]
		if g.ESPNID != w[0] || g.BBRefID != w[1] {
			t.Errorf("%s: espn %q bbref %q, want %q %q", g.GameID, g.ESPNID, g.BBRefID, w[0], w[1])
		}
		if g.GameID == "0022300979" && (!g.Final || g.HomePts != 113) {
			t.Errorf("score not filled from bbref: %+v", g)
		}
		if g.GameID == "0022000001" && (g.HomeCode != "BKN" || g.HomeTeamID != "1610612751") {
			t.Errorf("codes not normalized: %+v", g)
		}
	}
}
