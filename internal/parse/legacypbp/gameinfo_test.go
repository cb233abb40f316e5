package legacypbp

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/archive/archivetest"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestGameInfoDatesEveryArchiveGame: every game of the bulk archive but
// one (archivetest.NoGameInfo: 0021400968, SAC@PHI, whose neighbours
// 0021400967 and 0021400969 are dated 2015-03-13) has a game_info file that parses to a date in its
// season and two franchises; per season, the exact count of archive games
// with a date: 14,060 of 14,061.
func TestGameInfoDatesEveryArchiveGame(t *testing.T) {
	data := testutil.RealDataDir(t)
	ctx := context.Background()
	rows := map[string]struct{ date, home, away string }{}
	members := 0
	err := archive.Walk(ctx, filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz"), archive.Options{}, func(m *archive.Member) error {
		members++
		res, err := ParseGameInfo(m.Data, parse.Hint{Key: m.Name, Item: m.GameID})
		if err != nil {
			t.Errorf("%s: %v", m.Name, err)
			return nil
		}
		g := res.Games[0]
		rows[g.GameID] = struct{ date, home, away string }{g.Date, g.HomeCode, g.AwayCode}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if members != 15353 || len(rows) != 15353 {
		t.Fatalf("game_info: %d members, %d games; want 15,353", members, len(rows))
	}
	total := 0
	for season, want := range archivetest.SeasonGames {
		dated, games := 0, 0
		start, end := season[:4]+"-10-01", "20"+season[5:]+"-09-30" // a season's games fall in these dates (2019-20's bubble ended in October 2020)
		if season == "2019-20" {
			end = "2020-10-31"
		}
		err := archive.Walk(ctx, filepath.Join(data, "archive", "legacy_pbp", season+".tar.zst"), archive.Options{}, func(m *archive.Member) error {
			games++
			r, ok := rows[m.GameID]
			switch {
			case !ok && archivetest.NoGameInfo[m.GameID] == season:
			case !ok:
				t.Errorf("%s %s: no game_info", season, m.GameID)
			case r.date < start || r.date > end:
				t.Errorf("%s %s: game_info date %s outside %s..%s", season, m.GameID, r.date, start, end)
			case r.home == "" || r.away == "":
				t.Errorf("%s %s: teams %q@%q", season, m.GameID, r.away, r.home)
			default:
				dated++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantDated := archivetest.DatedGames(season)
		if games != want || dated != wantDated {
			t.Errorf("%s: %d archive games, %d with a date; want %d, %d", season, games, dated, want, wantDated)
		}
		total += dated
	}
	if total != 14060 {
		t.Errorf("archive games with a date: %d, want 14,060 of 14,061", total)
	}
}

func TestParseGameInfo(t *testing.T) {
	t.Parallel()
	const ok = `{"homeTeam": {"name": "Pacers", "score": 87, "logo": "https://cdn.nba.com/logos/nba/1610612754/primary/L/logo.svg"},
	 "awayTeam": {"name": "Magic", "score": 97, "logo": "https://cdn.nba.com/logos/nba/1610612753/primary/L/logo.svg"},
	 "game_id": "21300001", "date": "2013-10-29", "status": "Final"}`
	res, err := ParseGameInfo([]byte(ok), parse.Hint{Key: "k", Item: "0021300001"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Games[0]
	if g.GameID != "0021300001" || g.Date != "2013-10-29" || g.Season != "2013-14" || g.SeasonType != "regular" ||
		g.HomeCode != "IND" || g.AwayCode != "ORL" || g.HomeTeamID != "1610612754" || g.AwayTeamID != "1610612753" ||
		g.HomePts != -1 || g.AwayPts != -1 || g.Final {
		t.Errorf("row %+v", g)
	}
	for _, c := range []struct{ name, data, item, want string }{
		{"not JSON", `{`, "", "game_info JSON"},
		{"other game", ok, "0021300002", "game 0021300001 in the file of game 0021300002"},
		{"bad date", strings.Replace(ok, "2013-10-29", "10/29/2013", 1), "", `date "10/29/2013" is not YYYY-MM-DD`},
		{"no team id", strings.Replace(ok, "1610612754", "xx", 1), "", "no NBA team id in the logo URL"},
		{"same teams", strings.Replace(ok, "1610612753", "1610612754", 1), "", "home and away are the same team"},
		{"no game id", strings.Replace(ok, `"21300001"`, `"x"`, 1), "", "no NBA game id"},
	} {
		_, err := ParseGameInfo([]byte(c.data), parse.Hint{Key: "k", Item: c.item})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
}
