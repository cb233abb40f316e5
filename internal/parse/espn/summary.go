package espn

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// Provider names of the ESPN outputs.
const (
	SummaryProvider    = "espn/summary"
	ScoreboardProvider = "espn/scoreboard"
)

type competitor struct {
	ID       flexString `json:"id"`
	HomeAway string     `json:"homeAway"`
	Score    flexString `json:"score"`
	Winner   bool       `json:"winner"`
	Team     struct {
		ID           flexString `json:"id"`
		Location     string     `json:"location"`
		Name         string     `json:"name"`
		Abbreviation string     `json:"abbreviation"`
		DisplayName  string     `json:"displayName"`
	} `json:"team"`
}

type status struct {
	Period flexInt `json:"period"`
	Type   struct {
		ID        flexString `json:"id"`
		Name      string     `json:"name"`
		State     string     `json:"state"`
		Completed bool       `json:"completed"`
	} `json:"type"`
}

type competition struct {
	ID          flexString   `json:"id"`
	Date        string       `json:"date"`
	Competitors []competitor `json:"competitors"`
	Status      status       `json:"status"`
}

type summaryDoc struct {
	Header *struct {
		ID     flexString `json:"id"`
		Season struct {
			Year flexInt `json:"year"`
			Type flexInt `json:"type"`
		} `json:"season"`
		Competitions []competition `json:"competitions"`
	} `json:"header"`
	Boxscore struct {
		Teams []struct {
			Team struct {
				ID           flexString `json:"id"`
				Abbreviation string     `json:"abbreviation"`
			} `json:"team"`
			HomeAway   string `json:"homeAway"`
			Statistics []struct {
				Name         string `json:"name"`
				DisplayValue string `json:"displayValue"`
			} `json:"statistics"`
		} `json:"teams"`
		Players []struct {
			Team struct {
				ID           flexString `json:"id"`
				Abbreviation string     `json:"abbreviation"`
			} `json:"team"`
			Statistics []struct {
				Names    []string          `json:"names"`
				Labels   []string          `json:"labels"`
				Athletes []json.RawMessage `json:"athletes"`
			} `json:"statistics"`
		} `json:"players"`
	} `json:"boxscore"`
	Plays []json.RawMessage `json:"plays"`
}

type athleteLine struct {
	Athlete struct {
		ID          flexString `json:"id"`
		DisplayName string     `json:"displayName"`
	} `json:"athlete"`
	Starter    bool     `json:"starter"`
	DidNotPlay bool     `json:"didNotPlay"`
	Reason     string   `json:"reason"`
	Ejected    bool     `json:"ejected"`
	Stats      []string `json:"stats"`
}

// ParseSummary parses an ESPN game summary. It returns the game row (ESPN
// event id, date, season, teams, score, status), both teams, every player
// of the box score, the play-by-play as a normalized model.Game (player ids
// are ESPN athlete ids, with names in Game.Players so the loader can map
// them), and the box score (player lines and team totals; team TOV is
// ESPN's totalTurnovers, which includes team turnovers like the NBA's).
//
// A summary without plays (a game not started) gives no PBP; one without a
// box score gives no Boxes. A play or athlete line that does not decode
// becomes an issue and the rest parses.
func ParseSummary(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc summaryDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(h, "summary", err)
	}
	if doc.Header == nil || len(doc.Header.Competitions) == 0 {
		return nil, parse.Errorf(h, "header.competitions", "missing: not an ESPN summary")
	}
	hd := doc.Header
	comp := hd.Competitions[0]
	eventID := string(hd.ID)
	if eventID == "" {
		eventID = string(comp.ID)
	}
	if layout.IsESPNGameID(h.Item) && eventID != h.Item {
		return nil, parse.Errorf(h, "header.id", "summary is for event %s, not %s", eventID, h.Item)
	}
	res := &parse.Result{}
	g, home, away, err := gameOf(comp, h, "header.competitions[0]")
	if err != nil {
		return nil, err
	}
	g.ESPNID = eventID
	if g.Season == "" {
		g.Season = seasonOf(int(hd.Season.Year))
	}
	if st := seasonType(int(hd.Season.Type)); st != "" {
		g.SeasonType = st
	}
	res.Games = append(res.Games, g)
	res.Teams = append(res.Teams, teamRowOf(away), teamRowOf(home))

	sideOf := map[string]model.Side{string(home.Team.ID): model.Home, string(away.Team.ID): model.Away}

	// Box score and players.
	players := map[model.PlayerID]model.PlayerInfo{}
	var box *model.Box
	if len(doc.Boxscore.Players) > 0 {
		b := model.Box{GameID: eventID, Source: SummaryProvider}
		for ti, tp := range doc.Boxscore.Players {
			side := sideOf[string(tp.Team.ID)]
			if side == model.NoSide {
				res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("boxscore.players[%d].team.id", ti), Reason: fmt.Sprintf("team %s is not in the game", tp.Team.ID)})
				continue
			}
			teamID := g.HomeTeamID
			if side == model.Away {
				teamID = g.AwayTeamID
			}
			if len(tp.Statistics) == 0 {
				continue
			}
			st := tp.Statistics[0]
			col := map[string]int{}
			for i, n := range st.Labels {
				col[n] = i
			}
			for i, n := range st.Names {
				if _, ok := col[n]; !ok {
					col[n] = i
				}
			}
			for ai, raw := range st.Athletes {
				pos := fmt.Sprintf("boxscore.players[%d].statistics[0].athletes[%d]", ti, ai)
				var a athleteLine
				if err := json.Unmarshal(raw, &a); err != nil {
					res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
					continue
				}
				id := model.PlayerID(a.Athlete.ID)
				if id == "" {
					res.Issues = append(res.Issues, parse.Issue{Position: pos + ".athlete.id", Reason: "missing"})
					continue
				}
				l := model.PlayerLine{PlayerID: id, Name: a.Athlete.DisplayName, Side: side, TeamID: teamID, Starter: a.Starter}
				if a.DidNotPlay || len(a.Stats) == 0 {
					l.DNP = true
					l.DNPReason = a.Reason
				} else {
					s, err := athleteStats(a.Stats, col)
					if err != nil {
						res.Issues = append(res.Issues, parse.Issue{Position: pos + ".stats", Reason: err.Error()})
						continue
					}
					l.Stats = s
				}
				b.Players = append(b.Players, l)
				players[id] = model.PlayerInfo{ID: id, Name: l.Name, Side: side, Starter: l.Starter}
				res.Players = append(res.Players, model.PlayerRow{Name: l.Name, ESPNID: string(id)})
			}
		}
		b.Home = model.TeamLine{TeamID: g.HomeTeamID, Code: g.HomeCode, Side: model.Home}
		b.Away = model.TeamLine{TeamID: g.AwayTeamID, Code: g.AwayCode, Side: model.Away}
		b.Home.PTS, b.Away.PTS = g.HomePts, g.AwayPts
		for ti, tt := range doc.Boxscore.Teams {
			side := sideOf[string(tt.Team.ID)]
			line := &b.Home
			switch side {
			case model.Away:
				line = &b.Away
			case model.NoSide:
				res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("boxscore.teams[%d].team.id", ti), Reason: fmt.Sprintf("team %s is not in the game", tt.Team.ID)})
				continue
			}
			stats := map[string]string{}
			for _, s := range tt.Statistics {
				stats[s.Name] = s.DisplayValue
			}
			if err := teamStats(&line.Stats, stats); err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("boxscore.teams[%d].statistics", ti), Reason: err.Error()})
			}
		}
		box = &b
	}

	// Plays.
	if len(doc.Plays) > 0 {
		game := &model.Game{
			GameID:   eventID,
			Provider: SummaryProvider,
			Date:     g.Date,
			Home:     model.Team{ID: g.HomeTeamID, Code: g.HomeCode, Name: home.Team.DisplayName, Pts: g.HomePts},
			Away:     model.Team{ID: g.AwayTeamID, Code: g.AwayCode, Name: away.Team.DisplayName, Pts: g.AwayPts},
			Players:  players,
		}
		pc := playContext{sideOf: sideOf, players: players, game: game}
		for i, raw := range doc.Plays {
			pos := fmt.Sprintf("plays[%d]", i)
			var p play
			if err := json.Unmarshal(raw, &p); err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
				continue
			}
			ev, err := pc.event(p)
			if err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("%s (id %s)", pos, p.ID), Reason: err.Error()})
				continue
			}
			ev.GameID = eventID
			ev.Order = len(game.Events)
			game.Events = append(game.Events, ev)
		}
		parse.SetTextFacts(game)
		res.PBP = game
		if res.Games[0].Final && res.Games[0].Periods == 0 {
			for _, e := range game.Events {
				res.Games[0].Periods = max(res.Games[0].Periods, e.Period)
			}
		}
		// Players in the plays but not in the box score keep their id; the
		// side is the event's when they are its primary actor.
		for _, e := range game.Events {
			for _, id := range []model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.SubIn, e.SubOut, e.Jump2, e.JumpTo} {
				if _, ok := players[id]; id == "" || ok {
					continue
				}
				info := model.PlayerInfo{ID: id}
				if id == e.Player || id == e.SubIn || id == e.SubOut || id == e.Assist {
					info.Side = e.Side
				}
				players[id] = info
				game.Warnings = append(game.Warnings, fmt.Sprintf("player %s in play %d is not in the box score", id, e.EventNum))
			}
		}
	}
	if box != nil {
		// Team minutes: five players for the length of the game (ESPN's
		// player minutes are rounded to whole minutes).
		if n := res.Games[0].Periods; n >= 4 {
			box.Home.Seconds = 5 * model.PeriodStart(n+1)
			box.Away.Seconds = box.Home.Seconds
		}
		res.Boxes = append(res.Boxes, *box)
	}
	return res, nil
}

// gameOf builds the game row of a competition (summary header or
// scoreboard event) and returns its home and away competitors.
func gameOf(c competition, h parse.Hint, pos string) (model.GameRow, competitor, competitor, error) {
	var home, away competitor
	var nh, na int
	for _, x := range c.Competitors {
		switch x.HomeAway {
		case "home":
			home = x
			nh++
		case "away":
			away = x
			na++
		}
	}
	if nh != 1 || na != 1 {
		return model.GameRow{}, home, away, parse.Errorf(h, pos+".competitors", "want one home and one away team, found %d and %d", nh, na)
	}
	g := model.GameRow{
		ESPNID:   string(c.ID),
		Date:     localDate(c.Date),
		HomeCode: nbaCode(home.Team.Abbreviation),
		AwayCode: nbaCode(away.Team.Abbreviation),
		HomePts:  -1,
		AwayPts:  -1,
		Final:    c.Status.Type.Completed,
	}
	if t, ok := teamByESPNID(string(home.Team.ID)); ok {
		g.HomeTeamID = t.NBAID
	}
	if t, ok := teamByESPNID(string(away.Team.ID)); ok {
		g.AwayTeamID = t.NBAID
	}
	if home.Score != "" && away.Score != "" {
		hp, err1 := strconv.Atoi(string(home.Score))
		ap, err2 := strconv.Atoi(string(away.Score))
		if err1 != nil || err2 != nil {
			return g, home, away, parse.Errorf(h, pos+".competitors[].score", "scores %q and %q", home.Score, away.Score)
		}
		g.HomePts, g.AwayPts = hp, ap
	}
	if g.Final && c.Status.Period >= 4 {
		g.Periods = int(c.Status.Period)
	}
	if !g.Final && c.Status.Type.State == "pre" {
		g.HomePts, g.AwayPts = -1, -1
	}
	return g, home, away, nil
}

func teamRowOf(c competitor) model.TeamRow {
	r := model.TeamRow{Code: nbaCode(c.Team.Abbreviation), City: c.Team.Location, Name: c.Team.Name, ESPNID: string(c.Team.ID), ESPNCode: c.Team.Abbreviation}
	if t, ok := teamByESPNID(string(c.Team.ID)); ok {
		r.TeamID, r.BBRefCode = t.NBAID, t.BBRefCode
	}
	return r
}

// athleteStats reads one athlete's stats array by column label.
func athleteStats(vals []string, col map[string]int) (model.Stats, error) {
	var s model.Stats
	get := func(label string) (string, bool) {
		i, ok := col[label]
		if !ok || i >= len(vals) {
			return "", false
		}
		return vals[i], true
	}
	pairs := []struct {
		label  string
		m, a   *int
		altKey string
	}{
		{"FG", &s.FGM, &s.FGA, "fieldGoalsMade-fieldGoalsAttempted"},
		{"3PT", &s.FG3M, &s.FG3A, "threePointFieldGoalsMade-threePointFieldGoalsAttempted"},
		{"FT", &s.FTM, &s.FTA, "freeThrowsMade-freeThrowsAttempted"},
	}
	for _, p := range pairs {
		v, ok := get(p.label)
		if !ok {
			return s, fmt.Errorf("column %s missing", p.label)
		}
		m, a, err := splitMadeAtt(v)
		if err != nil {
			return s, fmt.Errorf("column %s: %v", p.label, err)
		}
		*p.m, *p.a = m, a
	}
	ints := []struct {
		label string
		dst   *int
	}{
		{"PTS", &s.PTS}, {"OREB", &s.OREB}, {"DREB", &s.DREB}, {"REB", &s.REB}, {"AST", &s.AST},
		{"STL", &s.STL}, {"BLK", &s.BLK}, {"TO", &s.TOV}, {"PF", &s.PF}, {"+/-", &s.PlusMinus},
	}
	for _, c := range ints {
		v, ok := get(c.label)
		if !ok {
			if c.label == "+/-" {
				continue
			}
			return s, fmt.Errorf("column %s missing", c.label)
		}
		n, err := atoi(v)
		if err != nil {
			return s, fmt.Errorf("column %s: %v", c.label, err)
		}
		*c.dst = n
	}
	if v, ok := get("MIN"); ok {
		n, err := atoi(v)
		if err != nil {
			return s, fmt.Errorf("column MIN: %v", err)
		}
		s.Seconds = model.Tenths(n * 600) // ESPN gives whole minutes
	}
	return s, nil
}

// teamStats reads boxscore.teams[].statistics by name.
func teamStats(s *model.Stats, m map[string]string) error {
	pairs := []struct {
		name string
		m, a *int
	}{
		{"fieldGoalsMade-fieldGoalsAttempted", &s.FGM, &s.FGA},
		{"threePointFieldGoalsMade-threePointFieldGoalsAttempted", &s.FG3M, &s.FG3A},
		{"freeThrowsMade-freeThrowsAttempted", &s.FTM, &s.FTA},
	}
	for _, p := range pairs {
		v, ok := m[p.name]
		if !ok {
			return fmt.Errorf("%s missing", p.name)
		}
		a, b, err := splitMadeAtt(v)
		if err != nil {
			return fmt.Errorf("%s: %v", p.name, err)
		}
		*p.m, *p.a = a, b
	}
	tov := "totalTurnovers"
	if _, ok := m[tov]; !ok {
		tov = "turnovers"
	}
	ints := []struct {
		name string
		dst  *int
	}{
		{"offensiveRebounds", &s.OREB}, {"defensiveRebounds", &s.DREB}, {"totalRebounds", &s.REB},
		{"assists", &s.AST}, {"steals", &s.STL}, {"blocks", &s.BLK}, {tov, &s.TOV}, {"fouls", &s.PF},
	}
	for _, c := range ints {
		v, ok := m[c.name]
		if !ok {
			return fmt.Errorf("%s missing", c.name)
		}
		n, err := atoi(v)
		if err != nil {
			return fmt.Errorf("%s: %v", c.name, err)
		}
		*c.dst = n
	}
	return nil
}

// trimText normalizes an ESPN play text (trailing newlines and spaces).
func trimText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
