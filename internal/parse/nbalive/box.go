package nbalive

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

type liveStats map[string]json.RawMessage

func (s liveStats) num(k string) (int, error) {
	raw, ok := s[k]
	if !ok || string(raw) == "null" {
		return 0, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		var str string
		if err2 := json.Unmarshal(raw, &str); err2 == nil {
			if str == "" {
				return 0, nil
			}
			if v, err3 := strconv.ParseFloat(str, 64); err3 == nil {
				f = v
			} else {
				return 0, fmt.Errorf("statistics.%s: %s is not a number", k, raw)
			}
		} else {
			return 0, fmt.Errorf("statistics.%s: %s is not a number", k, raw)
		}
	}
	if math.IsNaN(f) || math.Abs(f) > 1e9 {
		return 0, fmt.Errorf("statistics.%s: %v out of range", k, f)
	}
	return int(math.Round(f)), nil
}

func (s liveStats) str(k string) string {
	var v string
	_ = json.Unmarshal(s[k], &v)
	return v
}

// stats reads a live statistics object; team lines add team rebounds and
// turnovers (reboundsTeam*, turnoversTotal).
func (s liveStats) stats(team bool) (model.Stats, error) {
	var st model.Stats
	var err error
	get := func(k string) int {
		if err != nil {
			return 0
		}
		var v int
		v, err = s.num(k)
		return v
	}
	st.PTS = get("points")
	st.FGM, st.FGA = get("fieldGoalsMade"), get("fieldGoalsAttempted")
	st.FG3M, st.FG3A = get("threePointersMade"), get("threePointersAttempted")
	st.FTM, st.FTA = get("freeThrowsMade"), get("freeThrowsAttempted")
	st.OREB, st.DREB, st.REB = get("reboundsOffensive"), get("reboundsDefensive"), get("reboundsTotal")
	st.AST, st.STL, st.BLK = get("assists"), get("steals"), get("blocks")
	st.TOV, st.PF = get("turnovers"), get("foulsPersonal")
	st.PlusMinus = get("plusMinusPoints")
	if team {
		st.OREB += get("reboundsTeamOffensive")
		st.DREB += get("reboundsTeamDefensive")
		if _, ok := s["turnoversTotal"]; ok {
			st.TOV = get("turnoversTotal")
		}
	}
	if err != nil {
		return st, err
	}
	if m := s.str("minutes"); m != "" {
		t, perr := model.ParseClock(m)
		if perr != nil {
			return st, fmt.Errorf("statistics.minutes: %w", perr)
		}
		st.Seconds = t
	}
	return st, nil
}

type liveTeam struct {
	TeamID      json.Number `json:"teamId"`
	TeamName    string      `json:"teamName"`
	TeamCity    string      `json:"teamCity"`
	TeamTricode string      `json:"teamTricode"`
	Score       json.Number `json:"score"`
	Players     []struct {
		Status     string      `json:"status"`
		PersonID   json.Number `json:"personId"`
		Starter    string      `json:"starter"`
		Played     string      `json:"played"`
		Name       string      `json:"name"`
		Statistics liveStats   `json:"statistics"`
	} `json:"players"`
	Statistics liveStats `json:"statistics"`
}

type liveBoxDoc struct {
	Game *struct {
		GameID       string    `json:"gameId"`
		GameTimeHome string    `json:"gameTimeHome"`
		GameTimeUTC  string    `json:"gameTimeUTC"`
		GameEt       string    `json:"gameEt"`
		GameStatus   int       `json:"gameStatus"`
		HomeTeam     *liveTeam `json:"homeTeam"`
		AwayTeam     *liveTeam `json:"awayTeam"`
	} `json:"game"`
}

// ParseBoxScore parses a liveData boxscore response: the game (teams, date,
// final score), its teams and players and the official box (source
// nba_live/boxscore). Team lines include team rebounds and team turnovers.
func ParseBoxScore(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc liveBoxDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	g := doc.Game
	if g == nil || g.HomeTeam == nil || g.AwayTeam == nil {
		return nil, parse.Errorf(h, "game", "missing game, homeTeam or awayTeam")
	}
	if err := checkGame(h, g.GameID); err != nil {
		return nil, err
	}
	res := &parse.Result{}
	box := model.Box{GameID: g.GameID, Source: SourceBox}
	row := model.GameRow{GameID: g.GameID, SeasonType: layout.SeasonTypeOfGameID(g.GameID), HomePts: -1, AwayPts: -1}
	if s, err := layout.SeasonOfGameID(g.GameID); err == nil {
		row.Season = s.String()
	}
	// local date of the game: gameEt (Eastern) or gameTimeHome
	for _, ts := range []string{g.GameEt, g.GameTimeHome} {
		if t, err := time.Parse(time.RFC3339, ts); err == nil {
			row.Date = t.Format("2006-01-02")
			break
		}
	}
	for _, side := range []model.Side{model.Home, model.Away} {
		t := g.HomeTeam
		pos := "game.homeTeam"
		if side == model.Away {
			t, pos = g.AwayTeam, "game.awayTeam"
		}
		tid := id(t.TeamID)
		if tid == "" {
			return nil, parse.Errorf(h, pos+".teamId", "missing team id")
		}
		res.Teams = append(res.Teams, model.TeamRow{TeamID: tid, Code: t.TeamTricode, City: t.TeamCity, Name: t.TeamName})
		st, err := t.Statistics.stats(true)
		if err != nil {
			return nil, parse.Errorf(h, pos+".statistics", "%v", err)
		}
		line := model.TeamLine{TeamID: tid, Code: t.TeamTricode, Side: side, Stats: st}
		if side == model.Home {
			box.Home, row.HomeCode, row.HomeTeamID, row.HomePts = line, t.TeamTricode, tid, st.PTS
		} else {
			box.Away, row.AwayCode, row.AwayTeamID, row.AwayPts = line, t.TeamTricode, tid, st.PTS
		}
		for i, p := range t.Players {
			ppos := fmt.Sprintf("%s.players[%d]", pos, i)
			pid := id(p.PersonID)
			if pid == "" {
				res.Issues = append(res.Issues, parse.Issue{Position: ppos, Reason: "missing personId"})
				continue
			}
			ps, err := p.Statistics.stats(false)
			if err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: ppos, Reason: err.Error()})
				continue
			}
			res.Players = append(res.Players, model.PlayerRow{PlayerID: pid, Name: p.Name})
			box.Players = append(box.Players, model.PlayerLine{PlayerID: model.PlayerID(pid), Name: p.Name, Side: side, TeamID: tid,
				Starter: p.Starter == "1", DNP: p.Played == "0", Stats: ps})
		}
	}
	row.Final = g.GameStatus == 3
	if !row.Final {
		row.HomePts, row.AwayPts = -1, -1
	}
	res.Games = []model.GameRow{row}
	res.Boxes = []model.Box{box}
	return res, nil
}

type schedDoc struct {
	LeagueSchedule *struct {
		SeasonYear string `json:"seasonYear"`
		GameDates  []struct {
			GameDate string `json:"gameDate"`
			Games    []struct {
				GameID      string `json:"gameId"`
				GameStatus  int    `json:"gameStatus"`
				GameDateEst string `json:"gameDateEst"`
				HomeTeam    struct {
					TeamID      json.Number `json:"teamId"`
					TeamName    string      `json:"teamName"`
					TeamCity    string      `json:"teamCity"`
					TeamTricode string      `json:"teamTricode"`
					Score       json.Number `json:"score"`
				} `json:"homeTeam"`
				AwayTeam struct {
					TeamID      json.Number `json:"teamId"`
					TeamName    string      `json:"teamName"`
					TeamCity    string      `json:"teamCity"`
					TeamTricode string      `json:"teamTricode"`
					Score       json.Number `json:"score"`
				} `json:"awayTeam"`
			} `json:"games"`
		} `json:"gameDates"`
	} `json:"leagueSchedule"`
}

// ParseSchedule parses staticData/scheduleLeagueV2: one GameRow per NBA
// game (preseason, regular season, play-in, playoffs, cup) with date (US
// Eastern) and teams; final games (gameStatus 3) carry the score. Games
// whose teams are not decided yet (playoff placeholders) keep empty teams.
// Teams of other leagues' exhibition games (non-NBA team ids) are skipped.
func ParseSchedule(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc schedDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	ls := doc.LeagueSchedule
	if ls == nil {
		return nil, parse.Errorf(h, "leagueSchedule", "missing leagueSchedule")
	}
	season := ls.SeasonYear
	if _, err := layout.ParseSeason(season); err != nil {
		season = h.Season
	}
	if h.Season != "" && season != "" && season != h.Season {
		return nil, parse.Errorf(h, "leagueSchedule.seasonYear", "payload is season %s, key names %s", season, h.Season)
	}
	res := &parse.Result{}
	teams := map[string]model.TeamRow{}
	var order []string
	for di, d := range ls.GameDates {
		for gi, gm := range d.Games {
			pos := fmt.Sprintf("leagueSchedule.gameDates[%d].games[%d]", di, gi)
			if _, err := layout.SeasonOfGameID(gm.GameID); err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
				continue
			}
			row := model.GameRow{GameID: gm.GameID, Season: season, SeasonType: layout.SeasonTypeOfGameID(gm.GameID), HomePts: -1, AwayPts: -1}
			if len(gm.GameDateEst) >= 10 {
				row.Date = gm.GameDateEst[:10]
			}
			nbaTeam := func(tid string) bool { return strings.HasPrefix(tid, "16106127") }
			if ht := id(gm.HomeTeam.TeamID); nbaTeam(ht) {
				row.HomeTeamID, row.HomeCode = ht, gm.HomeTeam.TeamTricode
				teams[ht] = model.TeamRow{TeamID: ht, Code: gm.HomeTeam.TeamTricode, City: gm.HomeTeam.TeamCity, Name: gm.HomeTeam.TeamName}
			}
			if at := id(gm.AwayTeam.TeamID); nbaTeam(at) {
				row.AwayTeamID, row.AwayCode = at, gm.AwayTeam.TeamTricode
				teams[at] = model.TeamRow{TeamID: at, Code: gm.AwayTeam.TeamTricode, City: gm.AwayTeam.TeamCity, Name: gm.AwayTeam.TeamName}
			}
			if gm.GameStatus == 3 {
				hp, e1 := strconv.Atoi(string(gm.HomeTeam.Score))
				ap, e2 := strconv.Atoi(string(gm.AwayTeam.Score))
				if e1 == nil && e2 == nil {
					row.HomePts, row.AwayPts, row.Final = hp, ap, true
				}
			}
			res.Games = append(res.Games, row)
		}
	}
	for tid := range teams {
		order = append(order, tid)
	}
	slices.Sort(order)
	for _, tid := range order {
		res.Teams = append(res.Teams, teams[tid])
	}
	return res, nil
}
