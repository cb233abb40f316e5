package nbastats

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// SourceLeagueGameLog names boxes from leaguegamelog.
const SourceLeagueGameLog = "nba_stats/leaguegamelog"

// ParseLeagueGameLog parses a leaguegamelog response, team mode
// (PlayerOrTeam=T: one row per team-game) or player mode (P: one row per
// player-game). It returns one GameRow per game (home and away from
// MATCHUP: "BOS vs. PHI" is BOS at home, "PHI @ BOS" PHI away), the teams,
// the players (P mode) and one official box per game holding the team lines
// (T) or the player lines (P).
func ParseLeagueGameLog(data []byte, h parse.Hint) (*parse.Result, error) {
	_, sets, err := decodeResultSets(data, h)
	if err != nil {
		return nil, err
	}
	rs, si := find(sets, "LeagueGameLog")
	if rs == nil {
		if len(sets) == 0 {
			return nil, parse.Errorf(h, "resultSets", "no result set")
		}
		rs, si = &sets[0], 0
	}
	t, err := newTable(rs, si, h, "TEAM_ID", "TEAM_ABBREVIATION", "GAME_ID", "GAME_DATE", "MATCHUP", "PTS")
	if err != nil {
		return nil, err
	}
	_, playerMode := t.idx["PLAYER_ID"]
	res := &parse.Result{}
	type gameAcc struct {
		row model.GameRow
		box model.Box
		pos string
	}
	games := map[string]*gameAcc{}
	teams := map[string]model.TeamRow{}
	var order []string
	for i, raw := range rs.RowSet {
		pos := fmt.Sprintf("resultSets[%d].rowSet[%d]", si, i)
		r, err := t.decode(raw)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		gid := r.str("GAME_ID")
		teamID, err := r.id("TEAM_ID")
		if err != nil || gid == "" || teamID == "" {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("missing GAME_ID or TEAM_ID (%v)", err)})
			continue
		}
		code := r.str("TEAM_ABBREVIATION")
		matchup := r.str("MATCHUP")
		home, away, side, ok := parseMatchup(matchup, code)
		if !ok {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("MATCHUP %q does not name %s", matchup, code)})
			continue
		}
		st, err := statsOf(r)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		g := games[gid]
		if g == nil {
			g = &gameAcc{pos: pos}
			g.row = model.GameRow{GameID: gid, Season: seasonOf(r.str("SEASON_ID"), h), SeasonType: layout.SeasonTypeOfGameID(gid),
				Date: dateOnly(r.str("GAME_DATE")), HomeCode: home, AwayCode: away, HomePts: -1, AwayPts: -1}
			g.box = model.Box{GameID: gid, Source: SourceLeagueGameLog}
			games[gid] = g
			order = append(order, gid)
		}
		if _, ok := teams[teamID]; !ok {
			teams[teamID] = model.TeamRow{TeamID: teamID, Code: code, Name: r.str("TEAM_NAME")}
		}
		if playerMode {
			pid, err := r.id("PLAYER_ID")
			if err != nil || pid == "" {
				res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: "missing PLAYER_ID"})
				continue
			}
			name := r.str("PLAYER_NAME")
			res.Players = append(res.Players, model.PlayerRow{PlayerID: pid, Name: name})
			g.box.Players = append(g.box.Players, model.PlayerLine{PlayerID: model.PlayerID(pid), Name: name, Side: side, TeamID: teamID, Stats: st})
			tl := &g.box.Home
			if side == model.Away {
				tl = &g.box.Away
			}
			tl.TeamID, tl.Code, tl.Side = teamID, code, side
			if side == model.Home {
				g.row.HomeTeamID = teamID
			} else {
				g.row.AwayTeamID = teamID
			}
			continue
		}
		tl := model.TeamLine{TeamID: teamID, Code: code, Side: side, Stats: st}
		if side == model.Home {
			g.box.Home = tl
			g.row.HomeTeamID, g.row.HomePts = teamID, st.PTS
		} else {
			g.box.Away = tl
			g.row.AwayTeamID, g.row.AwayPts = teamID, st.PTS
		}
		if g.row.HomePts >= 0 && g.row.AwayPts >= 0 {
			g.row.Final = true
		}
	}
	for _, gid := range order {
		g := games[gid]
		if playerMode {
			// Team lines of a player log are the sums of its players.
			for _, p := range g.box.Players {
				if p.Side == model.Home {
					g.box.Home.Stats.Add(p.Stats)
				} else {
					g.box.Away.Stats.Add(p.Stats)
				}
			}
			g.row.HomePts, g.row.AwayPts = g.box.Home.PTS, g.box.Away.PTS
			g.row.Final = g.box.Home.TeamID != "" && g.box.Away.TeamID != ""
			if !g.row.Final {
				g.row.HomePts, g.row.AwayPts = -1, -1
			}
		}
		res.Games = append(res.Games, g.row)
		if g.box.Home.TeamID != "" && g.box.Away.TeamID != "" {
			res.Boxes = append(res.Boxes, g.box)
		} else {
			res.Issues = append(res.Issues, parse.Issue{Position: g.pos, Reason: fmt.Sprintf("game %s: only one team in the log; box not stored", gid)})
		}
	}
	ids := make([]string, 0, len(teams))
	for id := range teams {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		res.Teams = append(res.Teams, teams[id])
	}
	return res, nil
}

// parseMatchup reads "BOS vs. PHI" (BOS home) or "PHI @ BOS" (PHI away).
func parseMatchup(m, code string) (home, away string, side model.Side, ok bool) {
	if a, b, found := strings.Cut(m, " vs. "); found {
		home, away = strings.TrimSpace(a), strings.TrimSpace(b)
	} else if a, b, found := strings.Cut(m, " @ "); found {
		away, home = strings.TrimSpace(a), strings.TrimSpace(b)
	} else {
		return "", "", model.NoSide, false
	}
	switch code {
	case home:
		return home, away, model.Home, true
	case away:
		return home, away, model.Away, true
	}
	return "", "", model.NoSide, false
}

// statsOf reads the counting stats columns of a box or log row. MIN may be
// minutes (240), "MM:SS" or absent.
func statsOf(r row) (model.Stats, error) {
	var s model.Stats
	dst := []*int{&s.PTS, &s.FGM, &s.FGA, &s.FG3M, &s.FG3A, &s.FTM, &s.FTA, &s.OREB, &s.DREB, &s.REB, &s.AST, &s.STL, &s.BLK, &s.TOV, &s.PF, &s.PlusMinus}
	cols := []string{"PTS", "FGM", "FGA", "FG3M", "FG3A", "FTM", "FTA", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TO", "PF", "PLUS_MINUS"}
	for i, c := range cols {
		if c == "TO" {
			if _, ok := r.t.idx["TO"]; !ok {
				c = "TOV"
			}
		}
		v, err := r.num(c)
		if err != nil {
			return s, err
		}
		*dst[i] = v
	}
	secs, err := minutesOf(r.cell("MIN"))
	if err != nil {
		return s, fmt.Errorf("column MIN: %w", err)
	}
	s.Seconds = secs
	return s, nil
}

func seasonOf(seasonID string, h parse.Hint) string {
	// SEASON_ID is "22018": type digit + start year.
	if len(seasonID) == 5 {
		var y int
		if _, err := fmt.Sscanf(seasonID[1:], "%d", &y); err == nil && y > 1945 && y < 2100 {
			return fmt.Sprintf("%d-%02d", y, (y+1)%100)
		}
	}
	return h.Season
}

func dateOnly(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return ""
}
