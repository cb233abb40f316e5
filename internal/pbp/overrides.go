package pbp

import (
	_ "embed"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/nbasim/nbasim/internal/model"
)

// Overrides are corrections to play-by-play feeds, kept as data (never
// edits to raw files). The embedded default file (overrides.yaml next to
// this source) holds the corrections the project knows; a user file adds
// to it or replaces a game's entries. Format: docs/pbp-engine.md.
type Overrides struct {
	Games map[string]*GameOverrides `yaml:"games"`
}

// GameOverrides are one game's corrections.
type GameOverrides struct {
	Note           string             `yaml:"note,omitempty"`
	PeriodStarters []StartersOverride `yaml:"period_starters,omitempty"`
	Events         []EventOverride    `yaml:"events,omitempty"`
}

// StartersOverride sets the five players of one team on the court at a
// period start.
type StartersOverride struct {
	Period  int      `yaml:"period"`
	Team    string   `yaml:"team"` // "home", "away", a team id or a team code
	Players []string `yaml:"players"`
}

// EventOverride corrects one event, found by its provider event number.
type EventOverride struct {
	EventNum  int               `yaml:"event_num"`
	Drop      bool              `yaml:"drop,omitempty"`
	MoveAfter int               `yaml:"move_after,omitempty"` // put it after this event number
	Set       map[string]string `yaml:"set,omitempty"`        // player, assist, block, steal, fouled, sub_in, sub_out, side, clock, period, type, foul, made, points, team
	Reason    string            `yaml:"reason,omitempty"`
}

//go:embed overrides.yaml
var defaultOverrides []byte

// DefaultOverrides returns the embedded overrides.
func DefaultOverrides() (*Overrides, error) {
	return ParseOverrides(defaultOverrides, "embedded overrides.yaml")
}

// ParseOverrides reads an overrides document; name is used in errors.
func ParseOverrides(data []byte, name string) (*Overrides, error) {
	var o Overrides
	if err := yaml.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("overrides %s: %w", name, err)
	}
	if o.Games == nil {
		o.Games = map[string]*GameOverrides{}
	}
	for id, g := range o.Games {
		if g == nil {
			return nil, fmt.Errorf("overrides %s: game %s: empty entry", name, id)
		}
		for i, s := range g.PeriodStarters {
			if s.Period < 1 {
				return nil, fmt.Errorf("overrides %s: game %s period_starters[%d]: period must be >= 1", name, id, i)
			}
			if len(s.Players) != 5 {
				return nil, fmt.Errorf("overrides %s: game %s period_starters[%d]: want 5 players, got %d", name, id, i, len(s.Players))
			}
		}
		for i, e := range g.Events {
			if e.EventNum == 0 {
				return nil, fmt.Errorf("overrides %s: game %s events[%d]: event_num is required", name, id, i)
			}
			for k, v := range e.Set {
				if _, err := setField(&model.Event{}, k, v); err != nil {
					return nil, fmt.Errorf("overrides %s: game %s events[%d] (event %d): %w", name, id, i, e.EventNum, err)
				}
			}
		}
	}
	return &o, nil
}

// LoadOverrides returns the embedded overrides merged with the user file
// at path (when path is not empty): a game in the user file replaces the
// embedded entry of that game.
func LoadOverrides(path string) (*Overrides, error) {
	o, err := DefaultOverrides()
	if err != nil {
		return nil, err
	}
	if path == "" {
		return o, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	u, err := ParseOverrides(data, path)
	if err != nil {
		return nil, err
	}
	for id, g := range u.Games {
		o.Games[id] = g
	}
	return o, nil
}

// Game returns the overrides of one game, or nil.
func (o *Overrides) Game(id string) *GameOverrides {
	if o == nil {
		return nil
	}
	return o.Games[id]
}

func (g *GameOverrides) starters(period int, side model.Side, game *model.Game) []model.PlayerID {
	if g == nil {
		return nil
	}
	for _, s := range g.PeriodStarters {
		if s.Period != period {
			continue
		}
		t := strings.ToLower(s.Team)
		var match bool
		switch side {
		case model.Home:
			match = t == "home" || t == strings.ToLower(game.Home.ID) && t != "" || t == strings.ToLower(game.Home.Code) && t != ""
		case model.Away:
			match = t == "away" || t == strings.ToLower(game.Away.ID) && t != "" || t == strings.ToLower(game.Away.Code) && t != ""
		}
		if match {
			ids := make([]model.PlayerID, len(s.Players))
			for i, p := range s.Players {
				ids[i] = model.PlayerID(p)
			}
			return ids
		}
	}
	return nil
}

func (c *Compiled) applyEventOverrides(evs []model.Event, g *GameOverrides) []model.Event {
	if g == nil {
		return evs
	}
	find := func(n int) int {
		for i := range evs {
			if evs[i].EventNum == n {
				return i
			}
		}
		return -1
	}
	for _, o := range g.Events {
		i := find(o.EventNum)
		if i < 0 {
			c.note("override", 0, o.EventNum, "event %d not in the feed: override not applied", o.EventNum)
			continue
		}
		switch {
		case o.Drop:
			c.note("override", evs[i].Period, o.EventNum, "dropped: %s", o.Reason)
			evs = append(evs[:i], evs[i+1:]...)
			continue
		case len(o.Set) > 0:
			for k, v := range o.Set {
				evs[i], _ = setField(&evs[i], k, v)
			}
			c.note("override", evs[i].Period, o.EventNum, "fields set: %s", o.Reason)
		}
		if o.MoveAfter != 0 {
			j := find(o.MoveAfter)
			if j < 0 {
				c.note("override", evs[i].Period, o.EventNum, "move_after %d: event not in the feed", o.MoveAfter)
				continue
			}
			e := evs[i]
			evs = append(evs[:i], evs[i+1:]...)
			if j > i {
				j--
			}
			evs = append(evs[:j+1], append([]model.Event{e}, evs[j+1:]...)...)
			c.note("override", e.Period, o.EventNum, "moved after event %d: %s", o.MoveAfter, o.Reason)
		}
	}
	return evs
}

func setField(e *model.Event, k, v string) (model.Event, error) {
	out := *e
	switch k {
	case "player":
		out.Player = model.PlayerID(v)
	case "assist":
		out.Assist = model.PlayerID(v)
	case "block":
		out.Block = model.PlayerID(v)
	case "steal":
		out.Steal = model.PlayerID(v)
	case "fouled":
		out.Fouled = model.PlayerID(v)
	case "sub_in":
		out.SubIn = model.PlayerID(v)
	case "sub_out":
		out.SubOut = model.PlayerID(v)
	case "side":
		switch v {
		case "home":
			out.Side = model.Home
		case "away":
			out.Side = model.Away
		default:
			return out, fmt.Errorf("side %q: want home or away", v)
		}
	case "clock":
		t, err := model.ParseClock(v)
		if err != nil {
			return out, err
		}
		out.Clock = t
		if out.Period > 0 {
			out.Elapsed = model.Elapsed(out.Period, t)
		}
	case "period":
		var p int
		if _, err := fmt.Sscanf(v, "%d", &p); err != nil || p < 1 {
			return out, fmt.Errorf("period %q", v)
		}
		out.Period = p
		out.Elapsed = model.Elapsed(p, out.Clock)
	case "type":
		t, ok := model.ParseEventType(v)
		if !ok {
			return out, fmt.Errorf("type %q unknown", v)
		}
		out.Type = t
	case "made", "team", "three":
		b := v == "true" || v == "1"
		if !b && v != "false" && v != "0" {
			return out, fmt.Errorf("%s %q: want true or false", k, v)
		}
		switch k {
		case "made":
			out.Made = b
		case "team":
			out.Team = b
		default:
			out.Three = b
		}
	case "points":
		var p int
		if _, err := fmt.Sscanf(v, "%d", &p); err != nil || p < 0 || p > 4 {
			return out, fmt.Errorf("points %q", v)
		}
		out.Points = int8(p)
	default:
		return out, fmt.Errorf("field %q cannot be set", k)
	}
	return out, nil
}
