package nbastats

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// ProviderPBPV3 names the playbyplayv3 stream in model.Game.Provider.
const ProviderPBPV3 = "nba_stats/playbyplayv3"

type v3Doc struct {
	Game *struct {
		GameID  string            `json:"gameId"`
		Actions []json.RawMessage `json:"actions"`
	} `json:"game"`
}

type v3Action struct {
	ActionNumber int         `json:"actionNumber"`
	Clock        string      `json:"clock"`
	Period       int         `json:"period"`
	TeamID       json.Number `json:"teamId"`
	TeamTricode  string      `json:"teamTricode"`
	PersonID     json.Number `json:"personId"`
	PlayerName   string      `json:"playerName"`
	PlayerNameI  string      `json:"playerNameI"`
	ShotResult   string      `json:"shotResult"`
	IsFieldGoal  int         `json:"isFieldGoal"`
	ScoreHome    string      `json:"scoreHome"`
	ScoreAway    string      `json:"scoreAway"`
	Location     string      `json:"location"`
	Description  string      `json:"description"`
	ActionType   string      `json:"actionType"`
	SubType      string      `json:"subType"`
	ShotValue    int         `json:"shotValue"`
	ActionID     int         `json:"actionId"`
}

func numID(n json.Number) string {
	s := strings.TrimSpace(string(n))
	if s == "" || s == "0" {
		return ""
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return ""
	}
	return s
}

// nameIndex resolves a player's surname, as descriptions write it, to an
// id within one team. Two players of a team with one surname make the
// name ambiguous (resolved to "").
type nameIndex map[string]map[string]string // team id -> name -> player id

func (n nameIndex) add(team, name, id string) {
	name = model.FoldName(name)
	if team == "" || name == "" || id == "" {
		return
	}
	m := n[team]
	if m == nil {
		m = map[string]string{}
		n[team] = m
	}
	if prev, ok := m[name]; ok && prev != id {
		m[name] = "" // ambiguous
		return
	}
	m[name] = id
}

func (n nameIndex) lookup(team, name string) string {
	return n[team][model.FoldName(name)]
}

var (
	reV3Assist = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\(([^()]+?) \d+ AST\)`) })
	reV3Sub    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^SUB: (.+?) FOR (.+)$`) })
	reV3Jump   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Jump Ball (.+?) vs\. (.+?)(?:: Tip to (.+))?$`) })
)

// ParsePlayByPlayV3 parses a stats.nba.com playbyplayv3 response. Steals
// and blocks, separate actions in v3 (empty actionType, same actionNumber
// as the turnover or shot), are folded into that event. Assisters, the
// player coming in and the jump ball's other players appear only by name in
// v3: they are resolved through the names the same game uses with ids.
func ParsePlayByPlayV3(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc v3Doc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	if doc.Game == nil {
		return nil, parse.Errorf(h, "game", "missing game object")
	}
	if err := checkGame(h, doc.Game.GameID); err != nil {
		return nil, err
	}
	res := &parse.Result{}
	g := &model.Game{GameID: doc.Game.GameID, Provider: ProviderPBPV3, Players: map[model.PlayerID]model.PlayerInfo{}}
	if g.GameID == "" {
		g.GameID = h.Item
	}
	acts := make([]v3Action, 0, len(doc.Game.Actions))
	poss := make([]string, 0, len(doc.Game.Actions))
	names := nameIndex{}
	teamIDs := map[string]bool{}
	for i, raw := range doc.Game.Actions {
		pos := fmt.Sprintf("game.actions[%d]", i)
		var a v3Action
		if err := json.Unmarshal(raw, &a); err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		if a.Period < 1 || a.Period > 20 {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("period %d out of range", a.Period)})
			continue
		}
		ck, err := model.ParseClock(a.Clock)
		if err != nil || ck > model.PeriodLength(a.Period) {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("clock %q: bad value", a.Clock)})
			continue
		}
		team, person := numID(a.TeamID), numID(a.PersonID)
		if team != "" {
			teamIDs[team] = true
			switch a.Location {
			case "h":
				if g.Home.ID == "" {
					g.Home.ID, g.Home.Code = team, a.TeamTricode
				}
			case "v":
				if g.Away.ID == "" {
					g.Away.ID, g.Away.Code = team, a.TeamTricode
				}
			}
			if person != "" && person != team {
				names.add(team, a.PlayerName, person)
			}
		}
		acts = append(acts, a)
		poss = append(poss, pos)
	}
	// Team-level actions carry teamId 0 and the team's id as personId.
	isTeam := func(id string) bool { return id != "" && (id == g.Home.ID || id == g.Away.ID) }
	sideOf := func(team, loc string) model.Side {
		switch {
		case team != "" && team == g.Home.ID:
			return model.Home
		case team != "" && team == g.Away.ID:
			return model.Away
		case loc == "h":
			return model.Home
		case loc == "v":
			return model.Away
		}
		return model.NoSide
	}
	teamOf := func(s model.Side) string {
		switch s {
		case model.Home:
			return g.Home.ID
		case model.Away:
			return g.Away.ID
		}
		return ""
	}
	addPlayer := func(id, name string, s model.Side) model.PlayerID {
		if id == "" || isTeam(id) {
			return ""
		}
		pid := model.PlayerID(id)
		if _, ok := g.Players[pid]; !ok {
			g.Players[pid] = model.PlayerInfo{ID: pid, Name: name, Side: s}
		}
		return pid
	}
	resolve := func(s model.Side, name string) model.PlayerID {
		id := names.lookup(teamOf(s), name)
		if id == "" {
			return ""
		}
		return addPlayer(id, "", s)
	}
	scoreHome, scoreAway := 0, 0
	var lastMiss model.Side
	for i, a := range acts {
		team, person := numID(a.TeamID), numID(a.PersonID)
		ck, _ := model.ParseClock(a.Clock)
		e := model.Event{GameID: g.GameID, Order: len(g.Events), EventNum: a.ActionNumber, Period: a.Period, Clock: ck,
			Elapsed: model.Elapsed(a.Period, ck), Description: strings.Join(strings.Fields(a.Description), " ")}
		side := sideOf(team, a.Location)
		teamEvent := team == "" && isTeam(person)
		if teamEvent {
			side = sideOf(person, a.Location)
		}
		e.Side, e.Team = side, teamEvent
		if !teamEvent && team != "" { // actions of no team (replays) carry other numbers in personId
			e.Player = addPlayer(person, a.PlayerName, side)
		}
		upper := strings.ToUpper(a.Description)
		switch strings.ToLower(a.ActionType) {
		case "made shot", "missed shot":
			e.Made = strings.EqualFold(a.ActionType, "made shot")
			e.Type = model.ShotMissed
			if e.Made {
				e.Type = model.ShotMade
			}
			e.Three = a.ShotValue == 3 || strings.Contains(upper, "3PT")
			if e.Made {
				e.Points = 2
				if e.Three {
					e.Points = 3
				}
				if m := reV3Assist().FindStringSubmatch(a.Description); m != nil {
					e.Assist = resolve(side, m[1])
					if e.Assist == "" {
						g.Warnings = append(g.Warnings, fmt.Sprintf("%s: assister %q not resolved to an id", poss[i], m[1]))
					}
				}
			} else {
				lastMiss = side
			}
			e.Subtype = strings.ToLower(a.SubType)
		case "free throw":
			e.Type = model.FreeThrow
			e.Made = !reMiss().MatchString(a.Description)
			if a.ShotResult != "" {
				e.Made = strings.EqualFold(a.ShotResult, "made")
			}
			if e.Made {
				e.Points = 1
			} else {
				lastMiss = side
			}
			e.FTNum, e.FTOf, e.FTKind = ftDetail(0, strings.ToUpper(a.SubType+" "+a.Description))
			e.Subtype = ftSubtype(e.FTKind)
		case "rebound":
			e.Type = model.Rebound
			switch {
			case lastMiss == model.NoSide || side == model.NoSide:
			case lastMiss == side:
				e.Rebound = model.ReboundOffensive
			default:
				e.Rebound = model.ReboundDefensive
			}
			lastMiss = model.NoSide
		case "turnover":
			e.Type = model.Turnover
			e.Subtype = strings.ToLower(a.SubType)
		case "foul":
			e.Type = model.Foul
			e.Foul = foulKindName(a.SubType, upper)
			e.Subtype = strings.ToLower(a.SubType)
			if e.Player == "" && side != model.NoSide {
				e.Team = true
			}
		case "violation":
			e.Type = model.Violation
			e.Subtype = strings.ToLower(a.SubType)
			if e.Player == "" && side != model.NoSide {
				e.Team = true
			}
		case "substitution":
			e.Type = model.Substitution
			e.SubOut, e.Player = e.Player, ""
			if m := reV3Sub().FindStringSubmatch(e.Description); m != nil {
				e.SubIn = resolve(side, m[1])
				if e.SubIn == "" {
					g.Warnings = append(g.Warnings, fmt.Sprintf("%s: player coming in %q not resolved to an id", poss[i], m[1]))
				}
			}
		case "timeout":
			e.Type, e.Team, e.Player = model.Timeout, true, ""
			e.Subtype = strings.ToLower(a.SubType)
		case "jump ball":
			e.Type = model.JumpBall
			if m := reV3Jump().FindStringSubmatch(e.Description); m != nil {
				// the first jumper is the action's player; the second is of the other team
				other := side.Other()
				e.Jump2 = resolve(other, m[2])
				if side == model.Away { // Player is the home jumper
					e.Player, e.Jump2 = e.Jump2, e.Player
				}
				if m[3] != "" {
					if id := resolve(model.Home, m[3]); id != "" {
						e.JumpTo, e.Side = id, model.Home
					} else if id := resolve(model.Away, m[3]); id != "" {
						e.JumpTo, e.Side = id, model.Away
					}
				}
			}
		case "ejection":
			e.Type = model.Ejection
		case "period":
			e.Side, e.Team, e.Player = model.NoSide, false, ""
			if strings.EqualFold(a.SubType, "start") {
				e.Type = model.PeriodBegin
			} else {
				e.Type = model.PeriodEnd
			}
		case "instant replay":
			e.Type, e.Side, e.Team, e.Player = model.Replay, model.NoSide, false, ""
			e.Subtype = strings.ToLower(a.SubType)
		case "":
			// a steal or a block: fold into the turnover or shot it belongs to
			if attachStealBlock(g, a.ActionNumber, upper, e.Player) {
				continue
			}
			e.Type = model.Unknown
			g.Warnings = append(g.Warnings, fmt.Sprintf("%s: action without type %q kept as unknown", poss[i], a.Description))
		default:
			e.Type = model.Unknown
			e.Subtype = strings.ToLower(a.ActionType)
		}
		if sh, err1 := strconv.Atoi(strings.TrimSpace(a.ScoreHome)); err1 == nil {
			if sa, err2 := strconv.Atoi(strings.TrimSpace(a.ScoreAway)); err2 == nil {
				scoreHome, scoreAway = sh, sa
			}
		}
		e.ScoreHome, e.ScoreAway = scoreHome, scoreAway
		e.Order = len(g.Events)
		g.Events = append(g.Events, e)
	}
	g.Home.Pts, g.Away.Pts = scoreHome, scoreAway
	parse.SetTextFacts(g)
	res.PBP = g
	for _, t := range []model.Team{g.Home, g.Away} {
		if t.ID != "" && t.Code != "" {
			res.Teams = append(res.Teams, model.TeamRow{TeamID: t.ID, Code: t.Code})
		}
	}
	// v3 names players by surname only: Result.Players stays empty so that
	// loaders do not overwrite full names from other responses.
	return res, nil
}

// attachStealBlock folds a steal or block action into the latest event
// with the same event number: a turnover gets the stealer, a missed shot
// the blocker. It reports whether it found one.
func attachStealBlock(g *model.Game, num int, upper string, player model.PlayerID) bool {
	for j := len(g.Events) - 1; j >= 0 && j >= len(g.Events)-6; j-- {
		e := &g.Events[j]
		if e.EventNum != num {
			continue
		}
		switch {
		case strings.Contains(upper, "STEAL") && e.Type == model.Turnover && e.Steal == "":
			e.Steal = player
			return true
		case strings.Contains(upper, "BLOCK") && e.Type == model.ShotMissed && e.Block == "":
			e.Block = player
			return true
		}
	}
	return false
}

// foulKindName maps a foul's named subtype (v3 "Shooting", live
// "personal"+"shooting", ...) to a FoulKind.
func foulKindName(sub, upper string) model.FoulKind {
	s := strings.ToLower(strings.TrimSpace(sub))
	switch {
	case strings.Contains(s, "double technical"):
		return model.FoulDoubleTechnical
	case strings.Contains(s, "flagrant") && (strings.Contains(s, "2") || strings.Contains(s, "two")):
		return model.FoulFlagrant2
	case strings.Contains(s, "flagrant"):
		return model.FoulFlagrant1
	case strings.Contains(s, "3 second"):
		return model.FoulDefensive3Seconds
	case strings.Contains(s, "technical"), strings.Contains(s, "delay"), strings.Contains(s, "taunt"), strings.Contains(s, "too many"), strings.Contains(s, "hanging"), strings.Contains(s, "excess timeout"), strings.Contains(s, "non-unsportsmanlike"):
		return model.FoulTechnical
	case strings.Contains(s, "clear path"):
		return model.FoulClearPath
	case strings.Contains(s, "transition take"):
		return model.FoulTransitionTake
	case strings.Contains(s, "double personal"), s == "double":
		return model.FoulDouble
	case strings.Contains(s, "away from play"):
		return model.FoulAwayFromPlay
	case strings.Contains(s, "inbound"):
		return model.FoulInbound
	case strings.Contains(s, "loose ball"):
		return model.FoulLooseBall
	case strings.Contains(s, "offensive"), strings.Contains(s, "charge"):
		return model.FoulOffensive
	case strings.Contains(s, "shooting"):
		return model.FoulShooting
	case strings.Contains(s, "personal"), strings.Contains(s, "take"), strings.Contains(s, "block"):
		return model.FoulPersonal
	}
	return foulKind(-1, upper)
}
