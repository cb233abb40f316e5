package main

import (
	"github.com/nbasim/nbasim/internal/model"
)

// The JSON shapes the CLI prints: snake_case keys, times in decimal seconds
// with the unit in the name (seconds_played), one schema per output in
// docs/json-schemas (checked by TestJSONSchemas).

// statsJSON is one box line's counting stats (the shape the API shares).
type statsJSON = model.StatLine

func statsOf(s model.Stats) statsJSON { return model.StatLineOf(s) }

// playerJSON is a player's line.
type playerJSON struct {
	PlayerID  string `json:"player_id"`
	Name      string `json:"name"`
	Side      string `json:"side"`
	TeamID    string `json:"team_id"`
	Starter   bool   `json:"starter"`
	DNP       bool   `json:"dnp"`
	DNPReason string `json:"dnp_reason,omitempty"`
	statsJSON
}

// teamJSON is a team's line.
type teamJSON struct {
	TeamID string `json:"team_id"`
	Code   string `json:"code"`
	Side   string `json:"side"`
	statsJSON
	TeamOREB    int      `json:"team_oreb"`
	TeamDREB    int      `json:"team_dreb"`
	TeamTOV     int      `json:"team_tov"`
	Possessions int      `json:"possessions"`
	OnCourt     []string `json:"on_court"`
}

// boxJSON is a box score as box --json prints it.
type boxJSON struct {
	GameID            string       `json:"game_id"`
	Game              string       `json:"game"`
	Source            string       `json:"source"`
	Provider          string       `json:"provider"`
	Moment            string       `json:"moment"`
	ElapsedSeconds    *float64     `json:"elapsed_seconds"`
	WindowFromSeconds *float64     `json:"window_from_seconds"`
	WindowToSeconds   *float64     `json:"window_to_seconds"`
	Degraded          bool         `json:"degraded"`
	DegradedReasons   []string     `json:"degraded_reasons"`
	Away              teamJSON     `json:"away"`
	Home              teamJSON     `json:"home"`
	Players           []playerJSON `json:"players"`
}

func teamOf(t model.TeamLine, onCourt []string) teamJSON {
	if onCourt == nil {
		onCourt = []string{}
	}
	return teamJSON{TeamID: t.TeamID, Code: t.Code, Side: t.Side.String(), statsJSON: statsOf(t.Stats),
		TeamOREB: t.TeamOREB, TeamDREB: t.TeamDREB, TeamTOV: t.TeamTOV, Possessions: t.Possessions, OnCourt: onCourt}
}

func (o boxOutput) json() boxJSON {
	b := o.Box
	out := boxJSON{GameID: o.GameID, Game: o.Game, Source: b.Source, Provider: o.Provider, Moment: o.Moment,
		Degraded: o.Degraded, DegradedReasons: o.Reasons, Home: teamOf(b.Home, o.OnCourt[0]), Away: teamOf(b.Away, o.OnCourt[1]),
		Players: []playerJSON{}}
	if out.DegradedReasons == nil {
		out.DegradedReasons = []string{}
	}
	if o.at != nil {
		v := o.at.Seconds()
		out.ElapsedSeconds = &v
	}
	if b.From != 0 || b.To != 0 {
		f, t := b.From.Seconds(), b.To.Seconds()
		out.WindowFromSeconds, out.WindowToSeconds = &f, &t
	}
	for _, p := range b.Players {
		out.Players = append(out.Players, playerJSON{PlayerID: string(p.PlayerID), Name: p.Name, Side: p.Side.String(), TeamID: p.TeamID,
			Starter: p.Starter, DNP: p.DNP, DNPReason: p.DNPReason, statsJSON: statsOf(p.Stats)})
	}
	return out
}
