package sim

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// Live is the state of a real game after one of its events.
type Live struct {
	Index    int          `json:"event_index"` // index in Compiled.Events
	EventNum int          `json:"event_num"`
	Period   int          `json:"period"`
	Clock    model.Tenths `json:"clock_tenths"`
	Elapsed  model.Tenths `json:"elapsed_tenths"`
	Home     int          `json:"home_score"`
	Away     int          `json:"away_score"`
	Ball     model.Side   `json:"-"`
	Fouls    [3]int8      `json:"-"`
	Last2    [3]bool      `json:"-"`
}

// Timeline is the state of a real game after every event, from which a
// simulation can start at any moment.
type Timeline struct {
	Comp     *pbp.Compiled
	States   []Live
	firstOff map[int]model.Side // offense of each period's first possession
	onCourt  [][2][5]model.PlayerID
}

// NewTimeline replays a compiled game once and keeps its state after
// every event.
func NewTimeline(comp *pbp.Compiled) *Timeline {
	tl := &Timeline{Comp: comp, firstOff: map[int]model.Side{}}
	for i := range comp.Events {
		if fa := comp.Facts(i); fa.PossessionEnd != model.NoSide {
			p := comp.Events[i].Period
			if _, ok := tl.firstOff[p]; !ok {
				tl.firstOff[p] = fa.PossessionEnd
			}
		}
	}
	var f fouls
	ball := model.NoSide
	tl.States = make([]Live, 0, len(comp.Events))
	tl.onCourt = make([][2][5]model.PlayerID, 0, len(comp.Events))
	comp.Replay(func(i int, s *pbp.State) {
		e := &comp.Events[i]
		fa := comp.Facts(i)
		if e.Period > 0 && e.Period != f.period {
			f.reset(e.Period)
			ball = model.NoSide
			if e.Period >= 2 && e.Period <= 4 {
				ball = tl.firstOff[e.Period]
			}
		}
		switch e.Type {
		case model.ShotMade, model.ShotMissed:
			ball = e.Side
		case model.FreeThrow:
			if !fa.Technical {
				ball = e.Side
			}
		case model.Rebound, model.Turnover:
			if e.Side != model.NoSide {
				ball = e.Side
			}
		case model.JumpBall:
			if ix := comp.Index(e.JumpTo); ix >= 0 && comp.Players[ix].Side != model.NoSide {
				ball = comp.Players[ix].Side
			}
		case model.Foul:
			if countsTeamFoul(e, fa) {
				f.add(e.Side, e.Clock)
			}
		}
		if fa.PossessionEnd != model.NoSide {
			ball = fa.PossessionEnd.Other()
		}
		if e.Type == model.PeriodEnd {
			ball = model.NoSide
		}
		tl.States = append(tl.States, Live{Index: i, EventNum: e.EventNum, Period: e.Period, Clock: e.Clock, Elapsed: e.Elapsed,
			Home: int(s.Score[model.Home]), Away: int(s.Score[model.Away]), Ball: ball, Fouls: f.n, Last2: f.last2})
		tl.onCourt = append(tl.onCourt, [2][5]model.PlayerID{comp.OnCourt(s, model.Home), comp.OnCourt(s, model.Away)})
	})
	return tl
}

// First returns the side of the game's first possession (NoSide when the
// play-by-play does not say).
func (tl *Timeline) First() model.Side { return tl.firstOff[1] }

// After returns the start of a simulation just after event i.
func (tl *Timeline) After(i int) Start {
	l := tl.States[i]
	st := Start{Period: l.Period, Clock: l.Clock, Home: l.Home, Away: l.Away, Ball: l.Ball, Fouls: l.Fouls, Last2: l.Last2, First: tl.First()}
	st.OnCourt[model.Home], st.OnCourt[model.Away] = tl.onCourt[i][0], tl.onCourt[i][1]
	if l.Period >= 1 {
		if st.Clock <= 0 { // after the end of a period: the next one's start
			st = tl.periodStart(l.Period+1, l.Home, l.Away)
			if l.Period >= 4 && l.Home != l.Away {
				st.Period, st.Clock = l.Period, 0 // final
			}
		}
	}
	return st
}

// periodStart is the state at the start of period p with a score.
func (tl *Timeline) periodStart(p, home, away int) Start {
	st := Start{Period: p, Clock: model.PeriodLength(p), Home: home, Away: away, First: tl.First()}
	if p >= 2 && p <= 4 {
		st.Ball = tl.firstOff[p]
	}
	return st
}

// At returns the start of a simulation at a moment given as period and
// clock remaining. A moment includes every event at its time; the start of
// a period (clock = its length) includes only the events of earlier
// periods, and the ball goes to the team the rules give it to (the team
// of the period's first possession; a jump ball in the first period and in
// overtime).
func (tl *Timeline) At(period int, clock model.Tenths) (Start, error) {
	if period < 1 || clock < 0 || clock > model.PeriodLength(period) {
		return Start{}, fmt.Errorf("sim: moment period %d clock %s is not a game time", period, clock)
	}
	last := -1
	for i := range tl.States {
		l := &tl.States[i]
		if l.Period < period || (l.Period == period && clock < model.PeriodLength(period) && l.Clock >= clock) {
			last = i
		}
	}
	if last >= 0 && tl.States[last].Period > period {
		last = -1
	}
	if period == 1 && clock == model.RegulationPeriod {
		st := Tip()
		return st, nil
	}
	if last < 0 {
		if period > 1 {
			return Start{}, fmt.Errorf("sim: the play-by-play has no event before period %d clock %s", period, clock)
		}
		return Tip(), nil
	}
	maxPeriod := tl.States[len(tl.States)-1].Period
	if period > maxPeriod {
		return Start{}, fmt.Errorf("sim: the game has no period %d (it ended in period %d)", period, maxPeriod)
	}
	l := tl.States[last]
	if clock == model.PeriodLength(period) {
		return tl.periodStart(period, l.Home, l.Away), nil
	}
	if l.Period < period { // no event of the period yet
		st := tl.periodStart(period, l.Home, l.Away)
		st.Clock = clock
		return st, nil
	}
	st := tl.After(last)
	st.Period, st.Clock = period, clock
	return st, nil
}

// Final is the real final score.
func (tl *Timeline) Final() (home, away int) {
	if len(tl.States) == 0 {
		return 0, 0
	}
	l := tl.States[len(tl.States)-1]
	return l.Home, l.Away
}

// Moment is a fixed point of a game the backtest predicts from.
type Moment struct {
	Name   string       `json:"name"`
	Period int          `json:"period"`
	Clock  model.Tenths `json:"clock_tenths"`
}

// Moments are the backtest's prediction points: before the tip, the start
// of each later quarter, and 5:00 and 1:00 left in the fourth.
var Moments = []Moment{
	{"pregame", 1, model.RegulationPeriod},
	{"q2_start", 2, model.RegulationPeriod},
	{"q3_start", 3, model.RegulationPeriod},
	{"q4_start", 4, model.RegulationPeriod},
	{"q4_5:00", 4, 3000},
	{"q4_1:00", 4, 600},
}
