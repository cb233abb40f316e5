package nbastats

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// Box sources.
const (
	SourceBoxV2 = "nba_stats/boxscoretraditionalv2"
	SourceBoxV3 = "nba_stats/boxscoretraditionalv3"
)

// fullGameEnd is the EndRange callers pass for "the whole game" (55800
// tenths of a second: 93 minutes, longer than any game).
const fullGameEnd = 55800

// ParseBoxScoreTraditionalV2 parses a boxscoretraditionalv2 response: the
// official box (PlayerStats, TeamStats) of one game, or of a time window
// when the request was RangeType=2 with StartRange/EndRange (tenths of a
// second of elapsed game time) narrower than the game: the Box then carries
// From and To. The payload does not say which team is at home: stats.nba.com
// lists the visitors' players first, and the parser relies on that order
// (the loader re-orients a box when the game's home team is known).
func ParseBoxScoreTraditionalV2(data []byte, h parse.Hint) (*parse.Result, error) {
	doc, sets, err := decodeResultSets(data, h)
	if err != nil {
		return nil, err
	}
	box := model.Box{Source: SourceBoxV2}
	// the window, from the echoed parameters
	if params := doc.get("parameters"); params != nil && params.k == jObj {
		num := func(k string) int {
			v := params.get(k)
			if v == nil {
				return 0
			}
			v.text(data)
			n, _, _ := cellInt(v, k)
			return n
		}
		if num("RangeType") == 2 {
			from, to := num("StartRange"), num("EndRange")
			if to < from || from < 0 || to > 1e6 {
				return nil, parse.Errorf(h, "parameters", "bad range %d-%d", from, to)
			}
			if !(from == 0 && to >= fullGameEnd) {
				box.From, box.To = model.Tenths(from), model.Tenths(to)
			}
		}
	}
	// a range item in the key (<game>_<from>-<to>) must agree
	if _, rng, ok := strings.Cut(h.Item, "_"); ok {
		a, b, _ := strings.Cut(rng, "-")
		fa, e1 := strconv.Atoi(a)
		fb, e2 := strconv.Atoi(b)
		if e1 != nil || e2 != nil {
			return nil, parse.Errorf(h, "", "key item %q: want <game>_<from>-<to>", h.Item)
		}
		if box.From == 0 && box.To == 0 {
			box.From, box.To = model.Tenths(fa), model.Tenths(fb)
		} else if model.Tenths(fa) != box.From || model.Tenths(fb) != box.To {
			return nil, parse.Errorf(h, "parameters", "window %d-%d, key names %d-%d", box.From, box.To, fa, fb)
		}
	}
	ps, psi := find(sets, "PlayerStats")
	ts, tsi := find(sets, "TeamStats")
	if ps == nil || ts == nil {
		return nil, parse.Errorf(h, "resultSets", "want PlayerStats and TeamStats")
	}
	pt, err := newTable(ps, psi, h, "GAME_ID", "TEAM_ID", "PLAYER_ID", "PLAYER_NAME", "MIN", "PTS")
	if err != nil {
		return nil, err
	}
	tt, err := newTable(ts, tsi, h, "GAME_ID", "TEAM_ID", "TEAM_ABBREVIATION", "PTS")
	if err != nil {
		return nil, err
	}
	res := &parse.Result{}
	var order []string // team ids in PlayerStats order: visitors first
	for i, raw := range ps.RowSet {
		pos := rowPos(psi, i)
		r, err := pt.decode(raw)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		gid := r.str("GAME_ID")
		if box.GameID == "" {
			box.GameID = gid
			if err := checkGame(h, gid); err != nil {
				return nil, err
			}
		}
		tid, err1 := r.id("TEAM_ID")
		pid, err2 := r.id("PLAYER_ID")
		if err1 != nil || err2 != nil || tid == "" || pid == "" || gid != box.GameID {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: "missing or bad GAME_ID, TEAM_ID or PLAYER_ID"})
			continue
		}
		if !slices.Contains(order, tid) {
			order = append(order, tid)
		}
		st, err := statsOf(r)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		comment := r.str("COMMENT")
		name := r.str("PLAYER_NAME")
		res.Players = append(res.Players, model.PlayerRow{PlayerID: pid, Name: name})
		box.Players = append(box.Players, model.PlayerLine{
			PlayerID: model.PlayerID(pid), Name: name, TeamID: tid,
			Starter: strings.TrimSpace(r.str("START_POSITION")) != "",
			DNP:     r.isNull("MIN") || strings.HasPrefix(strings.ToUpper(strings.TrimSpace(comment)), "DNP") || strings.HasPrefix(strings.ToUpper(strings.TrimSpace(comment)), "DND") || strings.HasPrefix(strings.ToUpper(strings.TrimSpace(comment)), "NWT"),
			Stats:   st,
		})
	}
	if box.GameID == "" {
		box.GameID = h.Item
		if i := strings.IndexByte(box.GameID, '_'); i > 0 {
			box.GameID = box.GameID[:i]
		}
	}
	lines := map[string]model.TeamLine{}
	for i, raw := range ts.RowSet {
		pos := rowPos(tsi, i)
		r, err := tt.decode(raw)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		tid, err := r.id("TEAM_ID")
		if err != nil || tid == "" {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: "missing TEAM_ID"})
			continue
		}
		st, err := statsOf(r)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		code := r.str("TEAM_ABBREVIATION")
		lines[tid] = model.TeamLine{TeamID: tid, Code: code, Stats: st}
		res.Teams = append(res.Teams, model.TeamRow{TeamID: tid, Code: code, City: r.str("TEAM_CITY"), Name: r.str("TEAM_NAME")})
		if !slices.Contains(order, tid) {
			order = append(order, tid)
		}
	}
	if len(order) != 2 || len(lines) != 2 {
		return nil, parse.Errorf(h, "resultSets", "want two teams, found %d with lines for %d", len(order), len(lines))
	}
	away, home := order[0], order[1]
	box.Away, box.Home = lines[away], lines[home]
	box.Away.Side, box.Home.Side = model.Away, model.Home
	for i := range box.Players {
		if box.Players[i].TeamID == home {
			box.Players[i].Side = model.Home
		} else {
			box.Players[i].Side = model.Away
		}
	}
	res.Boxes = []model.Box{box}
	if box.From == 0 && box.To == 0 {
		res.Games = []model.GameRow{gameRowOf(box, h)}
	}
	return res, nil
}

func gameRowOf(b model.Box, h parse.Hint) model.GameRow {
	row := model.GameRow{GameID: b.GameID, Season: h.Season, SeasonType: layout.SeasonTypeOfGameID(b.GameID),
		HomeCode: b.Home.Code, AwayCode: b.Away.Code, HomeTeamID: b.Home.TeamID, AwayTeamID: b.Away.TeamID,
		HomePts: b.Home.PTS, AwayPts: b.Away.PTS, Final: true}
	if s, err := layout.SeasonOfGameID(b.GameID); err == nil {
		row.Season = s.String()
	}
	return row
}

type v3Stats struct {
	Minutes                string      `json:"minutes"`
	FieldGoalsMade         json.Number `json:"fieldGoalsMade"`
	FieldGoalsAttempted    json.Number `json:"fieldGoalsAttempted"`
	ThreePointersMade      json.Number `json:"threePointersMade"`
	ThreePointersAttempted json.Number `json:"threePointersAttempted"`
	FreeThrowsMade         json.Number `json:"freeThrowsMade"`
	FreeThrowsAttempted    json.Number `json:"freeThrowsAttempted"`
	ReboundsOffensive      json.Number `json:"reboundsOffensive"`
	ReboundsDefensive      json.Number `json:"reboundsDefensive"`
	ReboundsTotal          json.Number `json:"reboundsTotal"`
	Assists                json.Number `json:"assists"`
	Steals                 json.Number `json:"steals"`
	Blocks                 json.Number `json:"blocks"`
	Turnovers              json.Number `json:"turnovers"`
	FoulsPersonal          json.Number `json:"foulsPersonal"`
	Points                 json.Number `json:"points"`
	PlusMinusPoints        json.Number `json:"plusMinusPoints"`
}

func (s v3Stats) stats() (model.Stats, error) {
	var st model.Stats
	fields := []struct {
		dst *int
		v   json.Number
		n   string
	}{
		{&st.FGM, s.FieldGoalsMade, "fieldGoalsMade"}, {&st.FGA, s.FieldGoalsAttempted, "fieldGoalsAttempted"},
		{&st.FG3M, s.ThreePointersMade, "threePointersMade"}, {&st.FG3A, s.ThreePointersAttempted, "threePointersAttempted"},
		{&st.FTM, s.FreeThrowsMade, "freeThrowsMade"}, {&st.FTA, s.FreeThrowsAttempted, "freeThrowsAttempted"},
		{&st.OREB, s.ReboundsOffensive, "reboundsOffensive"}, {&st.DREB, s.ReboundsDefensive, "reboundsDefensive"},
		{&st.REB, s.ReboundsTotal, "reboundsTotal"}, {&st.AST, s.Assists, "assists"}, {&st.STL, s.Steals, "steals"},
		{&st.BLK, s.Blocks, "blocks"}, {&st.TOV, s.Turnovers, "turnovers"}, {&st.PF, s.FoulsPersonal, "foulsPersonal"},
		{&st.PTS, s.Points, "points"}, {&st.PlusMinus, s.PlusMinusPoints, "plusMinusPoints"},
	}
	for _, f := range fields {
		v := jval{k: jNum, s: string(f.v)}
		if f.v == "" {
			continue
		}
		n, err := row{t: &table{}, vals: []jval{v}}.numAt(0, f.n)
		if err != nil {
			return st, err
		}
		*f.dst = n
	}
	secs, err := minutesOf(&jval{k: jStr, s: s.Minutes})
	if err != nil {
		return st, fmt.Errorf("minutes: %w", err)
	}
	st.Seconds = secs
	return st, nil
}

type v3Team struct {
	TeamID      json.Number `json:"teamId"`
	TeamCity    string      `json:"teamCity"`
	TeamName    string      `json:"teamName"`
	TeamTricode string      `json:"teamTricode"`
	Players     []struct {
		PersonID   json.Number `json:"personId"`
		FirstName  string      `json:"firstName"`
		FamilyName string      `json:"familyName"`
		Position   string      `json:"position"`
		Comment    string      `json:"comment"`
		Statistics v3Stats     `json:"statistics"`
	} `json:"players"`
	Statistics v3Stats `json:"statistics"`
}

// ParseBoxScoreTraditionalV3 parses a boxscoretraditionalv3 response (home
// and away are explicit in v3).
func ParseBoxScoreTraditionalV3(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc struct {
		Box *struct {
			GameID     string      `json:"gameId"`
			HomeTeamID json.Number `json:"homeTeamId"`
			AwayTeamID json.Number `json:"awayTeamId"`
			HomeTeam   *v3Team     `json:"homeTeam"`
			AwayTeam   *v3Team     `json:"awayTeam"`
		} `json:"boxScoreTraditional"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	b := doc.Box
	if b == nil || b.HomeTeam == nil || b.AwayTeam == nil {
		return nil, parse.Errorf(h, "boxScoreTraditional", "missing box, homeTeam or awayTeam")
	}
	if err := checkGame(h, b.GameID); err != nil {
		return nil, err
	}
	res := &parse.Result{}
	box := model.Box{GameID: b.GameID, Source: SourceBoxV3}
	for _, side := range []model.Side{model.Home, model.Away} {
		t, pos := b.HomeTeam, "boxScoreTraditional.homeTeam"
		if side == model.Away {
			t, pos = b.AwayTeam, "boxScoreTraditional.awayTeam"
		}
		tid := numID(t.TeamID)
		if tid == "" {
			return nil, parse.Errorf(h, pos+".teamId", "missing team id")
		}
		st, err := t.Statistics.stats()
		if err != nil {
			return nil, parse.Errorf(h, pos+".statistics", "%v", err)
		}
		line := model.TeamLine{TeamID: tid, Code: t.TeamTricode, Side: side, Stats: st}
		if side == model.Home {
			box.Home = line
		} else {
			box.Away = line
		}
		res.Teams = append(res.Teams, model.TeamRow{TeamID: tid, Code: t.TeamTricode, City: t.TeamCity, Name: t.TeamName})
		for i, p := range t.Players {
			ppos := fmt.Sprintf("%s.players[%d]", pos, i)
			pid := numID(p.PersonID)
			if pid == "" {
				res.Issues = append(res.Issues, parse.Issue{Position: ppos, Reason: "missing personId"})
				continue
			}
			ps, err := p.Statistics.stats()
			if err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: ppos, Reason: err.Error()})
				continue
			}
			name := strings.TrimSpace(p.FirstName + " " + p.FamilyName)
			res.Players = append(res.Players, model.PlayerRow{PlayerID: pid, Name: name})
			c := strings.ToUpper(strings.TrimSpace(p.Comment))
			box.Players = append(box.Players, model.PlayerLine{PlayerID: model.PlayerID(pid), Name: name, Side: side, TeamID: tid,
				Starter: strings.TrimSpace(p.Position) != "",
				DNP:     p.Statistics.Minutes == "" || strings.HasPrefix(c, "DNP") || strings.HasPrefix(c, "DND") || strings.HasPrefix(c, "NWT"),
				Stats:   ps})
		}
	}
	res.Boxes = []model.Box{box}
	res.Games = []model.GameRow{gameRowOf(box, h)}
	return res, nil
}
