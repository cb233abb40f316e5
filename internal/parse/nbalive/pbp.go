// Package nbalive parses cdn.nba.com liveData responses: play-by-play
// (liveData/playbyplay), box scores (liveData/boxscore) and the league
// schedule (staticData/scheduleLeagueV2). Parsers are pure functions from
// the response bytes to a parse.Result.
package nbalive

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// Provider names used in model.Game.Provider and model.Box.Source.
const (
	ProviderPBP = "nba_live/playbyplay"
	SourceBox   = "nba_live/boxscore"
)

type liveAction struct {
	ActionNumber      int         `json:"actionNumber"`
	Clock             string      `json:"clock"`
	Period            int         `json:"period"`
	TeamID            json.Number `json:"teamId"`
	TeamTricode       string      `json:"teamTricode"`
	ActionType        string      `json:"actionType"`
	SubType           string      `json:"subType"`
	Descriptor        string      `json:"descriptor"`
	Qualifiers        []string    `json:"qualifiers"`
	PersonID          json.Number `json:"personId"`
	ScoreHome         string      `json:"scoreHome"`
	ScoreAway         string      `json:"scoreAway"`
	ShotResult        string      `json:"shotResult"`
	IsFieldGoal       int         `json:"isFieldGoal"`
	Description       string      `json:"description"`
	PlayerName        string      `json:"playerName"`
	PlayerNameI       string      `json:"playerNameI"`
	AssistPersonID    json.Number `json:"assistPersonId"`
	BlockPersonID     json.Number `json:"blockPersonId"`
	StealPersonID     json.Number `json:"stealPersonId"`
	FoulDrawnPersonID json.Number `json:"foulDrawnPersonId"`
	JumpWon           json.Number `json:"jumpBallWonPersonId"`
	JumpLost          json.Number `json:"jumpBallLostPersonId"`
	JumpRecovered     json.Number `json:"jumpBallRecoverdPersonId"` // sic
	JumpRecovered2    json.Number `json:"jumpBallRecoveredPersonId"`
	OrderNumber       int64       `json:"orderNumber"`
}

type liveDoc struct {
	Game *struct {
		GameID  string            `json:"gameId"`
		Actions []json.RawMessage `json:"actions"`
	} `json:"game"`
}

func id(n json.Number) string {
	s := strings.TrimSpace(string(n))
	if s == "" || s == "0" {
		return ""
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return ""
	}
	return s
}

func has(qs []string, q string) bool {
	for _, x := range qs {
		if strings.EqualFold(x, q) {
			return true
		}
	}
	return false
}

func checkGame(h parse.Hint, gameID string) error {
	if h.Item != "" && len(h.Item) == 10 && gameID != "" && gameID != h.Item {
		return parse.Errorf(h, "game.gameId", "payload is game %s, key names %s", gameID, h.Item)
	}
	return nil
}

// ParsePlayByPlay parses a liveData playbyplay response. The feed does not
// name the home team: it is the team whose made shots raise scoreHome.
// Steal and block actions are folded into the turnover and the shot (which
// already name them); substitutions, one action per player in the feed,
// are paired out/in per team and clock. Stoppages and "game end" are not
// events of the model and are dropped with a warning.
func ParsePlayByPlay(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc liveDoc
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
	g := &model.Game{GameID: doc.Game.GameID, Provider: ProviderPBP, Players: map[model.PlayerID]model.PlayerInfo{}}
	if g.GameID == "" {
		g.GameID = h.Item
	}
	acts := make([]liveAction, 0, len(doc.Game.Actions))
	poss := make([]string, 0, len(doc.Game.Actions))
	codes := map[string]string{}
	prevH, prevA := 0, 0
	for i, raw := range doc.Game.Actions {
		pos := fmt.Sprintf("game.actions[%d]", i)
		var a liveAction
		if err := json.Unmarshal(raw, &a); err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		if a.Period < 1 || a.Period > 20 {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("period %d out of range", a.Period)})
			continue
		}
		if ck, err := model.ParseClock(a.Clock); err != nil || ck > model.PeriodLength(a.Period) {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("clock %q: bad value", a.Clock)})
			continue
		}
		team := id(a.TeamID)
		if team != "" {
			codes[team] = a.TeamTricode
		}
		// home team: the team whose points raise scoreHome
		sh, e1 := strconv.Atoi(a.ScoreHome)
		sa, e2 := strconv.Atoi(a.ScoreAway)
		if e1 == nil && e2 == nil {
			if team != "" && (g.Home.ID == "" || g.Away.ID == "") {
				switch {
				case sh > prevH && sa == prevA && g.Home.ID == "" && team != g.Away.ID:
					g.Home.ID = team
				case sa > prevA && sh == prevH && g.Away.ID == "" && team != g.Home.ID:
					g.Away.ID = team
				}
			}
			prevH, prevA = sh, sa
		}
		acts = append(acts, a)
		poss = append(poss, pos)
	}
	for t := range codes {
		switch {
		case g.Home.ID == "" && t != g.Away.ID:
			g.Home.ID = t
		case g.Away.ID == "" && t != g.Home.ID:
			g.Away.ID = t
		}
	}
	g.Home.Code, g.Away.Code = codes[g.Home.ID], codes[g.Away.ID]
	sideOf := func(team string) model.Side {
		switch {
		case team == "":
			return model.NoSide
		case team == g.Home.ID:
			return model.Home
		case team == g.Away.ID:
			return model.Away
		}
		return model.NoSide
	}
	player := func(pid string, name string, s model.Side) model.PlayerID {
		if pid == "" {
			return ""
		}
		p := model.PlayerID(pid)
		if info, ok := g.Players[p]; !ok || (info.Name == "" && name != "") || (info.Side == model.NoSide && s != model.NoSide) {
			if ok && name == "" {
				name = info.Name
			}
			if ok && s == model.NoSide {
				s = info.Side
			}
			g.Players[p] = model.PlayerInfo{ID: p, Name: name, Side: s}
		}
		return p
	}
	scoreHome, scoreAway := 0, 0
	dropped := map[string]int{}
	for i, a := range acts {
		ck, _ := model.ParseClock(a.Clock)
		team := id(a.TeamID)
		side := sideOf(team)
		e := model.Event{GameID: g.GameID, EventNum: a.ActionNumber, Period: a.Period, Clock: ck, Elapsed: model.Elapsed(a.Period, ck),
			Side: side, Description: strings.Join(strings.Fields(a.Description), " ")}
		person := id(a.PersonID)
		typ := strings.ToLower(a.ActionType)
		if typ != "period" && typ != "game" && typ != "instantreplay" && typ != "stoppage" {
			e.Player = player(person, a.PlayerNameI, side)
		}
		sub := strings.ToLower(a.SubType)
		switch typ {
		case "2pt", "3pt":
			e.Made = strings.EqualFold(a.ShotResult, "made")
			e.Type = model.ShotMissed
			e.Three = typ == "3pt"
			if e.Made {
				e.Type = model.ShotMade
				e.Points = 2
				if e.Three {
					e.Points = 3
				}
				e.Assist = player(id(a.AssistPersonID), "", side)
			} else {
				e.Block = player(id(a.BlockPersonID), "", side.Other())
			}
			e.Subtype = strings.TrimSpace(strings.ToLower(a.Descriptor + " " + a.SubType))
		case "freethrow":
			e.Type = model.FreeThrow
			e.Made = strings.EqualFold(a.ShotResult, "made")
			if e.Made {
				e.Points = 1
			}
			e.FTNum, e.FTOf, e.FTKind = ftKind(sub, a.Descriptor, a.Qualifiers)
			e.Subtype = sub
		case "rebound":
			e.Type = model.Rebound
			e.Team = person == "" || has(a.Qualifiers, "team")
			switch sub {
			case "offensive":
				e.Rebound = model.ReboundOffensive
			case "defensive":
				e.Rebound = model.ReboundDefensive
			}
			e.Subtype = sub
		case "turnover":
			e.Type = model.Turnover
			e.Team = person == ""
			e.Steal = player(id(a.StealPersonID), "", side.Other())
			e.Subtype = strings.TrimSpace(sub + " " + strings.ToLower(a.Descriptor))
		case "foul":
			e.Type = model.Foul
			e.Foul = liveFoulKind(sub, strings.ToLower(a.Descriptor))
			e.Fouled = player(id(a.FoulDrawnPersonID), "", side.Other())
			e.Team = person == ""
			e.Subtype = strings.TrimSpace(sub + " " + strings.ToLower(a.Descriptor))
		case "violation":
			e.Type = model.Violation
			e.Team = person == ""
			e.Subtype = sub
		case "substitution":
			e.Type = model.Substitution
			e.Player = ""
			p := player(person, a.PlayerNameI, side)
			if sub == "in" {
				e.SubIn = p
			} else {
				e.SubOut = p
			}
			// pair with an earlier unpaired opposite half of the same team and clock
			if pairSub(g, e) {
				continue
			}
		case "timeout":
			e.Type, e.Team = model.Timeout, true
			e.Subtype = sub
		case "jumpball":
			e.Type = model.JumpBall
			won, lost := id(a.JumpWon), id(a.JumpLost)
			rec := id(a.JumpRecovered)
			if rec == "" {
				rec = id(a.JumpRecovered2)
			}
			e.Player = player(won, "", model.NoSide)
			e.Jump2 = player(lost, "", model.NoSide)
			if info, ok := g.Players[e.Player]; ok && info.Side == model.Away {
				e.Player, e.Jump2 = e.Jump2, e.Player
			} else if info, ok := g.Players[e.Jump2]; ok && info.Side == model.Home {
				e.Player, e.Jump2 = e.Jump2, e.Player
			}
			e.JumpTo = player(rec, "", side)
			e.Subtype = strings.ToLower(a.Descriptor)
		case "ejection":
			e.Type = model.Ejection
			e.Subtype = sub
		case "period":
			e.Side = model.NoSide
			if sub == "start" {
				e.Type = model.PeriodBegin
			} else {
				e.Type = model.PeriodEnd
			}
		case "instantreplay":
			e.Type, e.Side = model.Replay, model.NoSide
			e.Subtype = sub
		case "steal":
			if attach(g, a.ActionNumber, model.Turnover, e.Player) {
				continue
			}
			e.Type = model.Unknown
			e.Subtype = typ
		case "block":
			if attach(g, a.ActionNumber, model.ShotMissed, e.Player) {
				continue
			}
			e.Type = model.Unknown
			e.Subtype = typ
		case "stoppage", "game", "memo":
			dropped[typ]++
			continue
		default:
			e.Type = model.Unknown
			e.Subtype = typ
			g.Warnings = append(g.Warnings, fmt.Sprintf("%s: unknown actionType %q kept as unknown", poss[i], a.ActionType))
		}
		if sh, err1 := strconv.Atoi(a.ScoreHome); err1 == nil {
			if sa, err2 := strconv.Atoi(a.ScoreAway); err2 == nil {
				scoreHome, scoreAway = sh, sa
			}
		}
		e.ScoreHome, e.ScoreAway = scoreHome, scoreAway
		e.Order = len(g.Events)
		g.Events = append(g.Events, e)
	}
	for k, n := range dropped {
		g.Warnings = append(g.Warnings, fmt.Sprintf("dropped %d %q actions (not events of the model)", n, k))
	}
	g.Home.Pts, g.Away.Pts = scoreHome, scoreAway
	parse.SetTextFacts(g)
	res.PBP = g
	for _, t := range []model.Team{g.Home, g.Away} {
		if t.ID != "" && t.Code != "" {
			res.Teams = append(res.Teams, model.TeamRow{TeamID: t.ID, Code: t.Code})
		}
	}
	return res, nil
}

// pairSub merges a substitution half into the latest event of the same
// team and clock that lacks the other half. It reports whether it merged.
func pairSub(g *model.Game, e model.Event) bool {
	for j := len(g.Events) - 1; j >= 0; j-- {
		p := &g.Events[j]
		if p.Period != e.Period || p.Clock != e.Clock {
			return false
		}
		if p.Type != model.Substitution || p.Side != e.Side {
			continue
		}
		switch {
		case e.SubIn != "" && p.SubIn == "" && p.SubOut != "":
			p.SubIn = e.SubIn
			p.Description += " | " + e.Description
			return true
		case e.SubOut != "" && p.SubOut == "" && p.SubIn != "":
			p.SubOut = e.SubOut
			p.Description += " | " + e.Description
			return true
		}
	}
	return false
}

// attach sets the stealer of a turnover or the blocker of a missed shot
// with the given action number when the feed's own action had it empty.
func attach(g *model.Game, num int, typ model.EventType, p model.PlayerID) bool {
	for j := len(g.Events) - 1; j >= 0 && j >= len(g.Events)-8; j-- {
		e := &g.Events[j]
		if e.Type != typ {
			continue
		}
		if typ == model.Turnover && (e.Steal == p || e.Steal == "") {
			e.Steal = p
			return true
		}
		if typ == model.ShotMissed && (e.Block == p || e.Block == "") {
			e.Block = p
			return true
		}
	}
	return false
}

func ftKind(sub, desc string, qs []string) (k, n int, kind model.FreeThrowKind) {
	s := strings.ToLower(sub + " " + desc + " " + strings.Join(qs, " "))
	switch {
	case strings.Contains(s, "flagrant"):
		kind = model.FTFlagrant
	case strings.Contains(s, "clear path") || strings.Contains(s, "clearpath"):
		kind = model.FTClearPath
	case strings.Contains(s, "technical"):
		kind = model.FTTechnical
	}
	var a, b int
	if _, err := fmt.Sscanf(strings.TrimSpace(sub), "%d of %d", &a, &b); err == nil && a >= 1 && a <= b && b <= 3 {
		k, n = a, b
	}
	if kind == model.FTTechnical && n == 0 {
		k, n = 1, 1
	}
	return k, n, kind
}

// liveFoulKind maps live foul subType ("personal", "offensive",
// "technical", "flagrant") and descriptor ("shooting", "loose ball",
// "charge", "take", "type1", ...).
func liveFoulKind(sub, desc string) model.FoulKind {
	switch sub {
	case "offensive":
		return model.FoulOffensive
	case "technical":
		if strings.Contains(desc, "defensive 3") || strings.Contains(desc, "3 second") {
			return model.FoulDefensive3Seconds
		}
		if strings.Contains(desc, "double") {
			return model.FoulDoubleTechnical
		}
		return model.FoulTechnical
	case "flagrant":
		if strings.Contains(desc, "2") {
			return model.FoulFlagrant2
		}
		return model.FoulFlagrant1
	case "personal":
		switch {
		case strings.Contains(desc, "shooting"):
			return model.FoulShooting
		case strings.Contains(desc, "loose ball"):
			return model.FoulLooseBall
		case strings.Contains(desc, "away from play"):
			return model.FoulAwayFromPlay
		case strings.Contains(desc, "clear path"):
			return model.FoulClearPath
		case strings.Contains(desc, "transition take"):
			return model.FoulTransitionTake
		case strings.Contains(desc, "inbound"):
			return model.FoulInbound
		case strings.Contains(desc, "double"):
			return model.FoulDouble
		}
		return model.FoulPersonal
	}
	if strings.Contains(sub, "double") {
		return model.FoulDouble
	}
	return model.FoulOther
}
