package nbalive

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func seeds(f *testing.F, rel string, inline ...string) {
	f.Helper()
	// the real file when present and under 1 MB (the fuzzer minimizes new
	// inputs, which a large seed makes slow)
	if b, err := os.ReadFile(filepath.Join(testutil.ModuleRoot(f), "..", "shared", "data", rel)); err == nil && len(b) < 1<<20 {
		f.Add(b)
	}
	for _, s := range inline {
		f.Add([]byte(s))
	}
}

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
			if e.Order != i || e.Period < 1 || e.Period > 20 || e.Clock < 0 {
				t.Fatalf("event %d: %+v", i, e)
			}
		}
	}
}

func FuzzParsePlayByPlay(f *testing.F) {
	seeds(f, "nba_live/liveData/playbyplay/playbyplay_0022000001.json",
		`{"game":{"gameId":"0022000001","actions":[{"actionNumber":66,"clock":"PT07M20.00S","period":1,"teamId":1,"actionType":"substitution","subType":"out","personId":5},{"actionNumber":67,"clock":"PT07M20.00S","period":1,"teamId":1,"actionType":"substitution","subType":"in","personId":6},{"actionNumber":70,"clock":"PT07M00.00S","period":1,"teamId":1,"actionType":"3pt","shotResult":"Made","personId":6,"scoreHome":"3","scoreAway":"0"}]}}`,
		`{"game":{"actions":[{"actionType":"steal","period":1,"clock":"PT1M"}]}}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParsePlayByPlay, data) })
}

func FuzzParseBoxScore(f *testing.F) {
	seeds(f, "nba_live/liveData/boxscore/boxscore_0022000001.json",
		`{"game":{"gameId":"0022000001","gameStatus":3,"homeTeam":{"teamId":1,"statistics":{"points":"7"}},"awayTeam":{"teamId":2,"players":[{"personId":3,"statistics":{"minutes":"PT99M"}}]}}}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParseBoxScore, data) })
}

func FuzzParseSchedule(f *testing.F) {
	seeds(f, "nba_live/staticData/scheduleLeagueV2_2.json",
		`{"leagueSchedule":{"seasonYear":"2023-24","gameDates":[{"games":[{"gameId":"0022300001","gameStatus":3,"gameDateEst":"2023-10-24T00:00:00Z","homeTeam":{"teamId":1610612743,"teamTricode":"DEN","score":119},"awayTeam":{"teamId":1610612747,"teamTricode":"LAL","score":107}}]}]}}`)
	f.Fuzz(func(t *testing.T, data []byte) { check(t, ParseSchedule, data) })
}
