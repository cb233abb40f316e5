package sim

import (
	"context"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/testutil"
)

// season2018 is the 2018-19 regular season parsed from ../shared/data
// (playbyplayv2 archive + the league game log for dates, teams and scores),
// parsed once per test binary.
type season2018 struct {
	games []model.GameRow // by date, id
	plays map[string]*model.Game
}

var (
	seasonOnce sync.Once
	seasonData *season2018
	seasonErr  error
)

func loadSeason2018(t testing.TB) *season2018 {
	t.Helper()
	dir := testutil.RealDataDir(t)
	seasonOnce.Do(func() {
		sf := derive.DefaultSeason(dir)
		games, _, err := derive.LoadSeason(sf.PBPArchive)
		if err != nil {
			seasonErr = err
			return
		}
		data, err := os.ReadFile(sf.GameLog)
		if err != nil {
			seasonErr = err
			return
		}
		res, err := nbastats.ParseLeagueGameLog(data, parse.Hint{Key: sf.GameLog})
		if err != nil {
			seasonErr = err
			return
		}
		s := &season2018{plays: games}
		for _, g := range res.Games {
			if _, ok := games[g.GameID]; ok && g.Final {
				s.games = append(s.games, g)
			}
		}
		sort.Slice(s.games, func(i, j int) bool {
			if s.games[i].Date != s.games[j].Date {
				return s.games[i].Date < s.games[j].Date
			}
			return s.games[i].GameID < s.games[j].GameID
		})
		seasonData = s
	})
	if seasonErr != nil {
		t.Fatal(seasonErr)
	}
	return seasonData
}

// fillStore writes the games of 2018-19 played before until (and their
// plays) into st, the way nbasim load does (games rows, plays rows).
func fillStore(t testing.TB, st store.Store, until string) []model.GameRow {
	t.Helper()
	ctx := context.Background()
	s := loadSeason2018(t)
	var rows []model.GameRow
	var plays []store.GamePlays
	for _, g := range s.games {
		if g.Date >= until {
			break
		}
		rows = append(rows, g)
		plays = append(plays, store.GamePlays{GameID: g.GameID, Provider: "nba_stats/playbyplayv2", Events: s.plays[g.GameID].Events})
	}
	if _, err := store.UpsertGames(ctx, st, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ReplacePlaysBatch(ctx, st, plays); err != nil {
		t.Fatal(err)
	}
	return rows
}

// fullSize says whether the real-data tests run at full size
// (NBASIM_SIM_FULL=1); CI runs them on the season's first weeks.
func fullSize() bool { return strings.TrimSpace(os.Getenv("NBASIM_SIM_FULL")) == "1" }
