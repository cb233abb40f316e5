package nbastats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

// seeds adds the real files matching pattern (under ../shared/data) when
// the data is present (up to 8 files under 400 KB: the fuzzer minimizes
// every new input, which large seeds make slow), plus the inline seeds.
func seeds(f *testing.F, pattern string, inline ...string) {
	f.Helper()
	dir := filepath.Join(testutil.ModuleRoot(f), "..", "shared", "data")
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(files) > 8 {
		files = files[:8]
	}
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 400<<10 {
			f.Add(b)
		}
	}
	for _, s := range inline {
		f.Add([]byte(s))
	}
}

// check runs fn and verifies what every parser promises on any input.
func check(t *testing.T, fn parse.Func, data []byte) {
	res, err := fn(data, parse.Hint{Key: "fuzz"})
	if err != nil {
		if res != nil {
			t.Fatalf("result with an error: %v", err)
		}
		return
	}
	if res == nil {
		t.Fatal("nil result without an error")
	}
	if g := res.PBP; g != nil {
		for i, e := range g.Events {
			if e.Order != i || e.Period < 1 || e.Period > 20 || e.Clock < 0 || e.Elapsed < 0 {
				t.Fatalf("event %d: %+v", i, e)
			}
		}
	}
	for _, b := range res.Boxes {
		if b.To < b.From {
			t.Fatalf("box window %v-%v", b.From, b.To)
		}
	}
}

const v2Seed = `{"resultSets":[{"name":"PlayByPlay","headers":["GAME_ID","EVENTNUM","EVENTMSGTYPE","EVENTMSGACTIONTYPE","PERIOD","WCTIMESTRING","PCTIMESTRING","HOMEDESCRIPTION","NEUTRALDESCRIPTION","VISITORDESCRIPTION","SCORE","SCOREMARGIN","PERSON1TYPE","PLAYER1_ID","PLAYER1_NAME","PLAYER1_TEAM_ID","PLAYER1_TEAM_CITY","PLAYER1_TEAM_NICKNAME","PLAYER1_TEAM_ABBREVIATION","PERSON2TYPE","PLAYER2_ID","PLAYER2_NAME","PLAYER2_TEAM_ID","PLAYER2_TEAM_CITY","PLAYER2_TEAM_NICKNAME","PLAYER2_TEAM_ABBREVIATION","PERSON3TYPE","PLAYER3_ID","PLAYER3_NAME","PLAYER3_TEAM_ID","PLAYER3_TEAM_CITY","PLAYER3_TEAM_NICKNAME","PLAYER3_TEAM_ABBREVIATION","VIDEO_AVAILABLE_FLAG"],"rowSet":[["0021800001",17,1,41,1,"8:05 PM","10:55",null,null,"Embiid 1' Running Layup (2 PTS)","2 - 0","-2",5,203954,"Joel Embiid",1610612755,"Philadelphia","76ers","PHI",0,0,null,null,null,null,null,0,0,null,null,null,null,null,1],["0021800001",18,3,11,1,"8:05 PM","10:55","MISS Tatum Free Throw 1 of 2",null,null,null,null,4,1,"T",1610612738,"Boston","Celtics","BOS",0,0,null,null,null,null,null,0,0,null,null,null,null,null,1]]}]}`

func FuzzParsePlayByPlayV2(f *testing.F) {
	seeds(f, "nba_stats/playbyplayv2/*.json", v2Seed, `{"resultSets":[]}`, `{"resultSets":{"name":"x","headers":[],"rowSet":[[]]}}`, `[`, `"\ud800"`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParsePlayByPlayV2, data) })
}

func FuzzParsePlayByPlayV3(f *testing.F) {
	seeds(f, "nba_stats/playbyplayv3/*.json",
		`{"game":{"gameId":"0022200552","actions":[{"actionNumber":7,"clock":"PT11M41.00S","period":1,"teamId":1610612741,"teamTricode":"CHI","personId":201942,"playerName":"DeRozan","location":"v","description":"DeRozan 24' 3PT Jump Shot (3 PTS) (Vucevic 1 AST)","actionType":"Made Shot","subType":"Jump Shot","shotValue":3,"scoreHome":"0","scoreAway":"3"}]}}`,
		`{"game":{"actions":[{"actionType":"","actionNumber":1,"period":1,"clock":"PT1M"}]}}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParsePlayByPlayV3, data) })
}

func FuzzParseBoxScoreTraditionalV2(f *testing.F) {
	seeds(f, "nba_stats/boxscoretraditionalv2/*.json",
		`{"parameters":{"RangeType":2,"StartRange":100,"EndRange":50},"resultSets":[]}`,
		`{"resultSets":[{"name":"PlayerStats","headers":["GAME_ID","TEAM_ID","PLAYER_ID","PLAYER_NAME","MIN","PTS"],"rowSet":[["0021600270",1,2,"x","10:00",3]]},{"name":"TeamStats","headers":["GAME_ID","TEAM_ID","TEAM_ABBREVIATION","PTS"],"rowSet":[["0021600270",1,"A",3],["0021600270",5,"B",1e300]]}]}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParseBoxScoreTraditionalV2, data) })
}

func FuzzParseBoxScoreTraditionalV3(f *testing.F) {
	seeds(f, "nba_stats/boxscoretraditionalv3/*.json", `{"boxScoreTraditional":{"gameId":"0022200552","homeTeam":{"teamId":1,"statistics":{"minutes":"PT1M"}},"awayTeam":{"teamId":2,"players":[{"personId":3,"statistics":{"points":"x"}}]}}}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParseBoxScoreTraditionalV3, data) })
}

func FuzzParseLeagueGameLog(f *testing.F) {
	seeds(f, "nba_stats/leaguegamelog/*.json",
		`{"resultSets":[{"name":"LeagueGameLog","headers":["SEASON_ID","TEAM_ID","TEAM_ABBREVIATION","GAME_ID","GAME_DATE","MATCHUP","PTS","MIN"],"rowSet":[["22018",1,"BOS","0021800001","2018-10-16","BOS vs. PHI",105,240],["22018",2,"PHI","0021800001","2018-10-16","PHI @ BOS",87,"240:00"]]}]}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParseLeagueGameLog, data) })
}
