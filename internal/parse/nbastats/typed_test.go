package nbastats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestTypedParsersRealFiles parses every recording of the three endpoints
// with typed tables: no issue, every table named, the rows a response holds.
func TestTypedParsersRealFiles(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, tc := range []struct {
		endpoint string
		parse    parse.Func
		files    int
		rows     map[string]int // table -> rows over every file
	}{
		{"boxscoreadvancedv3", ParseBoxScoreAdvancedV3, 2, map[string]int{"player_box_advanced": 51, "team_box_advanced": 4}},
		// 6 files: the G League one (2021900002) parses the same way
		{"boxscoresummaryv2", ParseBoxScoreSummaryV2, 6, map[string]int{"game_summaries": 6, "game_team_summaries": 12,
			"line_scores": 54, "game_officials": 18, "game_inactive_players": 35}},
		{"commonplayerinfo", ParseCommonPlayerInfo, 1, map[string]int{"player_info": 1, "player_info_seasons": 32}},
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "nba_stats", tc.endpoint, "*.json"))
		if len(files) != tc.files {
			t.Fatalf("%s: %d files, want %d", tc.endpoint, len(files), tc.files)
		}
		got := map[string]int{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			item := strings.TrimSuffix(filepath.Base(f), ".json")
			res, err := tc.parse(data, parse.Hint{Key: f, Item: item})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if len(res.Issues) != 0 || len(res.RowSets) == 0 || len(res.Tables) != len(tc.rows) {
				t.Errorf("%s: issues %v, %d row sets, %d tables", f, res.Issues, len(res.RowSets), len(res.Tables))
			}
			for _, tb := range res.Tables {
				got[tb.Table] += len(tb.Rows)
				for i, r := range tb.Rows {
					if len(r) != len(tb.Columns) {
						t.Errorf("%s: %s row %d: %d values for %d columns", f, tb.Table, i, len(r), len(tb.Columns))
					}
				}
			}
		}
		for table, want := range tc.rows {
			if got[table] != want {
				t.Errorf("%s: %d rows, want %d", table, got[table], want)
			}
		}
	}
}

// TestTypedParsersBadInput: a response of another game, a missing result
// set or column is an error naming it; a bad cell is an issue naming the
// row and the column, and the rest of the response parses.
func TestTypedParsersBadInput(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dir, "nba_stats", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	adv, sum, info := read("boxscoreadvancedv3/0022200552.json"), read("boxscoresummaryv2/0022200552.json"), read("commonplayerinfo/PlayerID-1628378.json")
	for _, tc := range []struct {
		name, body, item string
		parse            parse.Func
		err, issue       string // substrings of the error or of the one issue
	}{
		{"advanced of another game", adv, "0022200553", ParseBoxScoreAdvancedV3, "payload is game 0022200552, key names 0022200553", ""},
		{"advanced without a team id", strings.Replace(adv, `"homeTeam":{"teamId":1610612739`, `"homeTeam":{"teamIdX":1610612739`, 1), "0022200552",
			ParseBoxScoreAdvancedV3, "no boxScoreAdvanced.homeTeam.teamId column", ""},
		{"advanced minutes", strings.Replace(adv, `"minutes":"49:48"`, `"minutes":"lots"`, 1), "0022200552", ParseBoxScoreAdvancedV3,
			"", `boxScoreAdvanced.homeTeam.players[`},
		{"summary of another game", sum, "0022200553", ParseBoxScoreSummaryV2, "key names 0022200553", ""},
		{"summary without GameSummary", strings.Replace(sum, `"name":"GameSummary"`, `"name":"GameSummaryX"`, 1), "0022200552",
			ParseBoxScoreSummaryV2, "no GameSummary result set", ""},
		{"summary game time", strings.Replace(sum, `"2:51"`, `"long"`, 1), "0022200552", ParseBoxScoreSummaryV2, "", `GameInfo: GAME_TIME: "long" is not H:MM`},
		{"summary record", strings.Replace(sum, `"24-14"`, `"24 and 14"`, 1), "0022200552", ParseBoxScoreSummaryV2, "", `LineScore[0]: TEAM_WINS_LOSSES: "24 and 14" is not W-L`},
		{"player without PERSON_ID", strings.Replace(info, `"PERSON_ID"`, `"PERSON"`, 1), "PlayerID-1628378", ParseCommonPlayerInfo, "no PERSON_ID column", ""},
		{"player height", strings.Replace(info, `"6-2"`, `"tall"`, 1), "PlayerID-1628378", ParseCommonPlayerInfo, "", `CommonPlayerInfo[0]: HEIGHT: "tall" is not feet-inches`},
		{"player season id", strings.Replace(info, `"22017"`, `"x"`, 1), "PlayerID-1628378", ParseCommonPlayerInfo, "", `AvailableSeasons[1]: SEASON_ID "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.body == adv || tc.body == sum || tc.body == info {
				if tc.err == "" {
					t.Fatal("the body was not altered")
				}
			}
			res, err := tc.parse([]byte(tc.body), parse.Hint{Key: "k", Item: tc.item})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Issues) != 1 || !strings.Contains(res.Issues[0].Position+": "+res.Issues[0].Reason, tc.issue) {
				t.Fatalf("issues %+v, want one with %q", res.Issues, tc.issue)
			}
			if len(res.Tables) == 0 || len(res.RowSets) == 0 {
				t.Fatalf("%d tables, %d row sets", len(res.Tables), len(res.RowSets))
			}
		})
	}
}
