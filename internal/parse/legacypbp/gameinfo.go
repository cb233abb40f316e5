// Package legacypbp parses the per-game files of the gabriel1200/legacy_pbp
// archive other than its playbyplayv2 CSVs (those are nbastats'): the
// game_info descriptors, adopted by `nbasim import` as archive/game_info.
package legacypbp

import (
	"encoding/json"
	"regexp"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/teams"
)

// gameInfo is one game_info file. Its homeTeam.score and awayTeam.score are
// SWAPPED in the source (the home team's points are under awayTeam): they
// are not read here; derive.ReadGameInfoScores reads them, swapped back, as
// a reference for verification only.
type gameInfo struct {
	HomeTeam side   `json:"homeTeam"`
	AwayTeam side   `json:"awayTeam"`
	GameID   string `json:"game_id"`
	Date     string `json:"date"`
	Status   string `json:"status"`
}

type side struct {
	Name string `json:"name"`
	Logo string `json:"logo"`
}

// logoTeam is the NBA team id in a cdn.nba.com logo URL
// (.../logos/nba/1610612754/primary/L/logo.svg).
var logoTeam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/logos/nba/(16106127\d\d)/`) })

// ParseGameInfo parses one game_info file into the game's row: the date
// (US local date, as the NBA lists the game) and the home and away teams
// (their NBA ids from the logo URLs, and codes). Scores are left unknown
// (see gameInfo) and so is the status: the row completes a game that the
// play-by-play describes, it does not make one final. A file of another
// game than the key's, or without a valid date or teams, is an error.
func ParseGameInfo(data []byte, h parse.Hint) (*parse.Result, error) {
	var gi gameInfo
	if err := json.Unmarshal(data, &gi); err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "game_info JSON", Err: err}
	}
	id := layout.NBAGameID(gi.GameID)
	if id == "" {
		return nil, parse.Errorf(h, "game_id", "no NBA game id in %q", gi.GameID)
	}
	if h.Item != "" && h.Item != id {
		return nil, parse.Errorf(h, "game_id", "game %s in the file of game %s", id, h.Item)
	}
	if _, err := time.Parse("2006-01-02", gi.Date); err != nil {
		return nil, parse.Errorf(h, "date", "date %q is not YYYY-MM-DD", gi.Date)
	}
	g := model.GameRow{GameID: id, Date: gi.Date, SeasonType: layout.SeasonTypeOfGameID(id), HomePts: -1, AwayPts: -1}
	if s, err := layout.SeasonOfGameID(id); err == nil {
		g.Season = s.String()
	}
	for _, t := range []struct {
		where    string
		s        side
		id, code *string
	}{{"homeTeam.logo", gi.HomeTeam, &g.HomeTeamID, &g.HomeCode}, {"awayTeam.logo", gi.AwayTeam, &g.AwayTeamID, &g.AwayCode}} {
		m := logoTeam().FindStringSubmatch(t.s.Logo)
		if m == nil {
			return nil, parse.Errorf(h, t.where, "no NBA team id in the logo URL %q (team %q)", t.s.Logo, t.s.Name)
		}
		*t.id = m[1]
		if tm, ok := teams.ByNBAID(m[1]); ok {
			*t.code = tm.Code
		}
	}
	if g.HomeTeamID == g.AwayTeamID {
		return nil, parse.Errorf(h, "awayTeam.logo", "home and away are the same team %s", g.HomeTeamID)
	}
	return &parse.Result{Games: []model.GameRow{g}}, nil
}
