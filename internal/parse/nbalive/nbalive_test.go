package nbalive

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/testutil"
)

func read(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RealDataDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLiveGameAgreesWithBoxAndV2(t *testing.T) {
	t.Parallel()
	live, err := ParsePlayByPlay(read(t, "nba_live/liveData/playbyplay/playbyplay_0022000001.json"), parse.Hint{Key: "pbp", Item: "0022000001"})
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Issues) > 0 {
		t.Fatalf("issues %v", live.Issues)
	}
	box, err := ParseBoxScore(read(t, "nba_live/liveData/boxscore/boxscore_0022000001.json"), parse.Hint{Key: "box", Item: "0022000001"})
	if err != nil {
		t.Fatal(err)
	}
	if len(box.Issues) > 0 || len(box.Boxes) != 1 || len(box.Games) != 1 {
		t.Fatalf("box: %+v", box)
	}
	v2, err := nbastats.ParsePlayByPlayV2(read(t, "nba_stats/playbyplayv2/0022000001.json"), parse.Hint{Item: "0022000001"})
	if err != nil {
		t.Fatal(err)
	}
	g, b, o := live.PBP, box.Boxes[0], v2.PBP
	row := box.Games[0]
	if row.HomeCode != "BKN" || row.AwayCode != "GSW" || row.HomePts != 125 || row.AwayPts != 99 || row.Date != "2020-12-22" || !row.Final || row.Season != "2020-21" {
		t.Errorf("game row %+v", row)
	}
	if g.Home.ID != b.Home.TeamID || g.Away.ID != b.Away.TeamID || g.Home.Pts != 125 || g.Away.Pts != 99 {
		t.Errorf("live pbp teams %+v %+v", g.Home, g.Away)
	}
	if o.Home.ID != g.Home.ID || o.Home.Pts != g.Home.Pts || o.Away.Pts != g.Away.Pts {
		t.Errorf("v2 teams %+v %+v", o.Home, o.Away)
	}
	for _, s := range []model.Side{model.Home, model.Away} {
		want := b.Home.Stats
		if s == model.Away {
			want = b.Away.Stats
		}
		if got := model.Shooting(g.Events, s); got != want.ShootingOnly() {
			t.Errorf("%s live pbp %+v, box %+v", s, got, want.ShootingOnly())
		}
		if got := model.Shooting(o.Events, s); got != want.ShootingOnly() {
			t.Errorf("%s v2 %+v, box %+v", s, got, want.ShootingOnly())
		}
	}
	// players who appear: live, v2 and the box's players who played
	ids := func(m map[model.PlayerID]model.PlayerInfo) []string {
		var out []string
		for id := range m {
			out = append(out, string(id))
		}
		slices.Sort(out)
		return out
	}
	var played []string
	for _, p := range b.Players {
		if !p.DNP {
			played = append(played, string(p.PlayerID))
		}
	}
	slices.Sort(played)
	if x, y := ids(g.Players), ids(o.Players); !slices.Equal(x, y) {
		t.Errorf("players: live %v, v2 %v", x, y)
	}
	if x := ids(g.Players); !slices.Equal(x, played) {
		t.Errorf("players: live %v, box played %v", x, played)
	}
	// team rebounds and turnovers: box team line includes them
	if b.Home.REB != b.Home.OREB+b.Home.DREB {
		t.Errorf("home rebounds %+v", b.Home.Stats)
	}
	subs := 0
	for _, e := range g.Events {
		if e.Type == model.Substitution {
			subs++
			if e.SubIn == "" || e.SubOut == "" {
				t.Errorf("unpaired substitution %+v", e)
			}
		}
	}
	if subs != 48 {
		t.Errorf("%d substitutions, want 48 pairs", subs)
	}
}

func TestParseSchedule(t *testing.T) {
	t.Parallel()
	res, err := ParseSchedule(read(t, "nba_live/staticData/scheduleLeagueV2_2.json"), parse.Hint{Key: "s", Season: "2023-24"})
	if err != nil {
		t.Fatal(err)
	}
	// As of 2023-09-16 the schedule lists 1,200 regular-season games with
	// teams and 6 in-season tournament knockout games with teams to be
	// decided (the other 24 games were scheduled later).
	regular, undecided := 0, 0
	for _, g := range res.Games {
		if g.SeasonType != "regular" {
			continue
		}
		regular++
		if g.HomeCode == "" && g.AwayCode == "" {
			undecided++
			continue
		}
		if g.HomeCode == "" || g.AwayCode == "" || g.Date < "2023-10-24" || g.Date > "2024-04-14" || g.Final {
			t.Errorf("regular game %+v", g)
		}
	}
	if regular != 1206 || undecided != 6 {
		t.Errorf("%d regular-season games, %d undecided; want 1206 and 6", regular, undecided)
	}
	if len(res.Teams) != 30 {
		t.Errorf("%d teams", len(res.Teams))
	}
	if _, err := ParseSchedule(read(t, "nba_live/staticData/scheduleLeagueV2_2.json"), parse.Hint{Key: "s", Season: "2022-23"}); err == nil || !strings.Contains(err.Error(), "season 2023-24") {
		t.Errorf("wrong season: %v", err)
	}
}

func TestLiveErrors(t *testing.T) {
	t.Parallel()
	for _, f := range []parse.Func{ParsePlayByPlay, ParseBoxScore, ParseSchedule} {
		for _, in := range []string{"", "{", "[]", `{"game":null}`, `{"meta":{}}`} {
			if _, err := f([]byte(in), parse.Hint{Key: "k"}); err == nil {
				t.Errorf("%q: no error", in)
			}
		}
	}
	if _, err := ParsePlayByPlay([]byte(`{"game":{"gameId":"0022000002","actions":[]}}`), parse.Hint{Key: "k", Item: "0022000001"}); err == nil {
		t.Error("game id mismatch accepted")
	}
}
