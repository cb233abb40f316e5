package pbp

import "github.com/nbasim/nbasim/internal/model"

// Facts are the engine's decisions about one compiled event: what the
// box-score fold itself uses, exported for consumers that walk the events
// (the simulator's possession model reads possessions, rebounds, turnovers
// and fouls through them instead of re-deciding them).
type Facts struct {
	// PossessionEnd is the side whose possession this event ends (NoSide:
	// none); docs/pbp-engine.md, "Possessions".
	PossessionEnd model.Side
	// OffensiveRebound and DefensiveRebound: a rebound as the engine counts it.
	OffensiveRebound, DefensiveRebound bool
	// Turnover: a turnover that counts (player or team).
	Turnover bool
	// PersonalFoul: a foul charged as a personal foul to a player or to the
	// team (technicals and defensive three seconds are not).
	PersonalFoul bool
	// Technical: a technical foul or technical free throw.
	Technical bool
}

// Facts returns the engine's decisions about Events[i].
func (c *Compiled) Facts(i int) Facts {
	if i < 0 || i >= len(c.ev) {
		return Facts{}
	}
	e := &c.ev[i]
	return Facts{
		PossessionEnd:    e.possEnd,
		OffensiveRebound: e.typ == model.Rebound && e.flags&fOREB != 0,
		DefensiveRebound: e.typ == model.Rebound && e.flags&fDREB != 0,
		Turnover:         e.typ == model.Turnover && e.flags&fTOV != 0,
		PersonalFoul:     e.typ == model.Foul && e.flags&(fPF|fTeamPF) != 0,
		Technical:        e.flags&fTech != 0,
	}
}

// Replay folds the whole game one event at a time and calls fn after each
// event i (of Events) with the state then. fn must not keep or modify s.
// Replay allocates one State; the fold itself allocates nothing.
func (c *Compiled) Replay(fn func(i int, s *State)) {
	var s State
	s.init(len(c.Players))
	for i := range c.ev {
		c.fold(&s, i+1)
		fn(i, &s)
	}
}

// OnCourt returns the players of side on the court in s (empty ids for
// slots the engine could not fill).
func (c *Compiled) OnCourt(s *State, side model.Side) (out [5]model.PlayerID) {
	if side != model.Home && side != model.Away {
		return out
	}
	for j, p := range s.On[side] {
		if p >= 0 && int(p) < len(c.Players) {
			out[j] = c.Players[p].ID
		}
	}
	return out
}
