package pbp

import (
	"slices"
	"sort"

	"github.com/nbasim/nbasim/internal/model"
)

// The engine works in two steps.
//
// Compile (compile.go) runs once per game: it applies the overrides and the
// quirk rules (quirks.go) to the normalized events, interns player ids to
// dense small ints, resolves everything that needs look-ahead or look-back
// (offensive or defensive rebound, whether a foul is a personal foul, which
// team's possession an event ends, the period starters and the lineup slot
// every substitution takes), and folds the game once to keep a checkpoint
// (a State) at the start of every period.
//
// Fold (this file) applies compiled events to a State. It only adds
// integers held in slices indexed by dense player ids: no map, no string,
// no allocation per event. Seconds played and plus-minus are not added per
// event: a player's entry time and the score margin at entry are kept, and
// they are settled when the player leaves the court or when a box is read.

// Game time is measured in tenths of a second; players are dense indexes.
type pidx = int16

const none pidx = -1

// Flags of a compiled event.
const (
	fPF     uint16 = 1 << iota // Player is charged a personal foul
	fPF2                       // Fouled is also charged (double personal foul)
	fOREB                      // rebound is offensive
	fDREB                      // rebound is defensive
	fTOV                       // turnover counts (player or team)
	fTech                      // technical (foul or free throw)
	fTeamPF                    // team foul charged to no player
	fPeriodStart
	fPeriodEnd
)

// cev is a compiled event: fixed size, no pointers.
type cev struct {
	elapsed model.Tenths
	src     int32 // index in Compiled.Events
	num     int32 // the event's EventNum
	typ     model.EventType
	side    model.Side
	team    bool
	made    bool
	three   bool
	pts     int8
	possEnd model.Side // the possession of this side ends with this event
	flags   uint16
	period  uint8
	p       pidx // primary player
	a       pidx // assist
	blk     pidx
	stl     pidx
	fouled  pidx
	in, out pidx
	slot    int8 // lineup slot the substitution takes (-1: none)
}

// State is the game state after a prefix of the compiled events.
// PlusMinus and Seconds in P are settled only for players off the court;
// Box settles the others.
type State struct {
	Next    int          // index of the next compiled event to apply
	Period  int          // current period (0 before the first)
	Elapsed model.Tenths // game time of the last applied event

	P       []model.Stats  // by dense player index
	onSince []model.Tenths // when the player last entered the court
	entry   []int32        // home margin when the player last entered
	On      [3][5]pidx
	Score   [3]int32 // by Side
	// Team-only events: rebounds and turnovers credited to a team, fouls
	// charged to no player.
	TeamOREB, TeamDREB, TeamTOV, TeamPF [3]int32
	Poss                                [3]int32 // possessions ended, by team

	stints     *[]Stint
	openStints [3]int // 1 + index of each side's open stint, 0 when none
}

func (s *State) init(n int) {
	s.P = make([]model.Stats, n)
	s.onSince = make([]model.Tenths, n)
	s.entry = make([]int32, n)
	for i := range s.On {
		for j := range s.On[i] {
			s.On[i][j] = none
		}
	}
}

// CopyFrom makes s a copy of o, reusing s's buffers.
func (s *State) CopyFrom(o *State) {
	p, on, en := s.P, s.onSince, s.entry
	*s = *o
	s.P = append(p[:0], o.P...)
	s.onSince = append(on[:0], o.onSince...)
	s.entry = append(en[:0], o.entry...)
	s.stints = nil
}

func (s *State) margin() int32 { return s.Score[model.Home] - s.Score[model.Away] }

// leave settles a player leaving the court at t.
func (s *State) leave(p pidx, side model.Side, t model.Tenths) {
	if p < 0 {
		return
	}
	st := &s.P[p]
	st.Seconds += t - s.onSince[p]
	d := s.margin() - s.entry[p]
	if side == model.Away {
		d = -d
	}
	st.PlusMinus += int(d)
}

func (s *State) enter(p pidx, t model.Tenths) {
	if p < 0 {
		return
	}
	s.onSince[p] = t
	s.entry[p] = s.margin()
}

// Stint is a stretch of game time during which one team's five did not
// change. A possession belongs to the stint on the court when the event
// that ends it happens (docs/pbp-engine.md, "Stints and lineups"): PossFor
// counts the possessions the team ended on offense, PossAgainst the
// opponent's; summed over a side's stints they equal the box's
// TeamLine.Possessions of each team.
type Stint struct {
	Side         model.Side
	Period       int
	From, To     model.Tenths // elapsed
	Players      [5]model.PlayerID
	PtsFor       int
	PtsAgainst   int
	PossFor      int
	PossAgainst  int
	startFor     int32
	startAgainst int32
}

func (c *Compiled) openStint(s *State, side model.Side, period int, t model.Tenths) {
	if s.stints == nil {
		return
	}
	st := Stint{Side: side, Period: period, From: t, startFor: s.Score[side], startAgainst: s.Score[side.Other()]}
	for j, p := range s.On[side] {
		if p >= 0 {
			st.Players[j] = c.Players[p].ID
		}
	}
	s.openStints[side] = len(*s.stints) + 1
	*s.stints = append(*s.stints, st)
}

func (c *Compiled) closeStint(s *State, side model.Side, t model.Tenths) {
	if s.stints == nil || s.openStints[side] == 0 {
		return
	}
	st := &(*s.stints)[s.openStints[side]-1]
	st.To = t
	st.PtsFor = int(s.Score[side] - st.startFor)
	st.PtsAgainst = int(s.Score[side.Other()] - st.startAgainst)
	s.openStints[side] = 0
}

// fold applies compiled events [s.Next, end) to s.
func (c *Compiled) fold(s *State, end int) {
	ev := c.ev
	P := s.P
	for i := s.Next; i < end; i++ {
		e := &ev[i]
		switch e.typ {
		case model.ShotMade:
			s.Score[e.side] += int32(e.pts)
			if e.p >= 0 {
				st := &P[e.p]
				st.PTS += int(e.pts)
				st.FGM++
				st.FGA++
				if e.three {
					st.FG3M++
					st.FG3A++
				}
			}
			if e.a >= 0 {
				P[e.a].AST++
			}
		case model.ShotMissed:
			if e.p >= 0 {
				st := &P[e.p]
				st.FGA++
				if e.three {
					st.FG3A++
				}
			}
			if e.blk >= 0 {
				P[e.blk].BLK++
			}
		case model.FreeThrow:
			if e.made {
				s.Score[e.side]++
			}
			if e.p >= 0 {
				st := &P[e.p]
				st.FTA++
				if e.made {
					st.FTM++
					st.PTS++
				}
			}
		case model.Rebound:
			if e.p >= 0 {
				st := &P[e.p]
				st.REB++
				if e.flags&fOREB != 0 {
					st.OREB++
				} else {
					st.DREB++
				}
			} else if e.side != model.NoSide {
				if e.flags&fOREB != 0 {
					s.TeamOREB[e.side]++
				} else {
					s.TeamDREB[e.side]++
				}
			}
		case model.Turnover:
			if e.flags&fTOV != 0 {
				if e.p >= 0 {
					P[e.p].TOV++
				} else if e.side != model.NoSide {
					s.TeamTOV[e.side]++
				}
			}
			if e.stl >= 0 {
				P[e.stl].STL++
			}
		case model.Foul:
			if e.flags&fPF != 0 && e.p >= 0 {
				P[e.p].PF++
			}
			if e.flags&fPF2 != 0 && e.fouled >= 0 {
				P[e.fouled].PF++
			}
			if e.flags&fTeamPF != 0 && e.side != model.NoSide {
				s.TeamPF[e.side]++
			}
		case model.JumpBall:
			if e.stl >= 0 {
				P[e.stl].STL++
			}
		case model.Substitution:
			if e.slot >= 0 {
				side := e.side
				s.leave(e.out, side, e.elapsed)
				s.On[side][e.slot] = e.in
				s.enter(e.in, e.elapsed)
				if s.stints != nil {
					c.closeStint(s, side, e.elapsed)
					c.openStint(s, side, int(e.period), e.elapsed)
				}
			}
		case model.PeriodBegin:
			c.beginPeriod(s, int(e.period), e.elapsed)
		}
		if e.possEnd != model.NoSide {
			s.Poss[e.possEnd]++
			if s.stints != nil {
				if i := s.openStints[e.possEnd]; i > 0 {
					(*s.stints)[i-1].PossFor++
				}
				if i := s.openStints[e.possEnd.Other()]; i > 0 {
					(*s.stints)[i-1].PossAgainst++
				}
			}
		}
		s.Elapsed = e.elapsed
		s.Period = int(e.period)
	}
	if end > s.Next {
		s.Next = end
	}
}

// beginPeriod puts the period's starters on the court.
func (c *Compiled) beginPeriod(s *State, period int, t model.Tenths) {
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for _, p := range s.On[side] {
			s.leave(p, side, t)
		}
	}
	if s.stints != nil {
		c.closeStint(s, model.Home, t)
		c.closeStint(s, model.Away, t)
	}
	pi := c.period(period)
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for j := 0; j < 5; j++ {
			p := none
			if pi != nil {
				p = pi.starters[side][j]
			}
			s.On[side][j] = p
			s.enter(p, t)
		}
		c.openStint(s, side, period, t)
	}
}

func (c *Compiled) period(p int) *PeriodInfo {
	if p >= 1 && p <= len(c.Periods) {
		return &c.Periods[p-1]
	}
	return nil
}

// Box builds the box score of s, settling players on the court at t.
func (c *Compiled) box(s *State, t model.Tenths) model.Box {
	var b model.Box
	c.boxInto(s, t, &b)
	return b
}

// boxInto builds the box score of s into b, reusing b.Players.
func (c *Compiled) boxInto(s *State, t model.Tenths, bp *model.Box) {
	b := bp
	*b = model.Box{GameID: c.Game.GameID, Source: SourceDerived, Players: b.Players[:0]}
	if cap(b.Players) < len(c.Players) {
		b.Players = make([]model.PlayerLine, 0, len(c.Players))
	}
	onAt := func(p int) (model.Side, bool) {
		for _, side := range [2]model.Side{model.Home, model.Away} {
			for _, q := range s.On[side] {
				if int(q) == p {
					return side, true
				}
			}
		}
		return model.NoSide, false
	}
	b.Home = model.TeamLine{TeamID: c.Game.Home.ID, Code: c.Game.Home.Code, Side: model.Home}
	b.Away = model.TeamLine{TeamID: c.Game.Away.ID, Code: c.Game.Away.Code, Side: model.Away}
	for i, info := range c.Players {
		st := s.P[i]
		if side, on := onAt(i); on {
			st.Seconds += t - s.onSince[i]
			d := s.margin() - s.entry[i]
			if side == model.Away {
				d = -d
			}
			st.PlusMinus += int(d)
		}
		if info.Side == model.NoSide || !c.played[i] && st == (model.Stats{}) {
			continue
		}
		line := model.PlayerLine{PlayerID: info.ID, Name: info.Name, Side: info.Side, Starter: c.starter[i], Stats: st}
		line.DNP = !c.played[i]
		if info.Side == model.Home {
			line.TeamID = c.Game.Home.ID
			b.Home.Stats.Add(st)
		} else {
			line.TeamID = c.Game.Away.ID
			b.Away.Stats.Add(st)
		}
		b.Players = append(b.Players, line)
	}
	for _, tl := range []*model.TeamLine{&b.Home, &b.Away} {
		sd := tl.Side
		tl.TeamOREB = int(s.TeamOREB[sd])
		tl.TeamDREB = int(s.TeamDREB[sd])
		tl.TeamTOV = int(s.TeamTOV[sd])
		tl.TOV += tl.TeamTOV
		tl.PTS = int(s.Score[sd])
		tl.Possessions = int(s.Poss[sd])
		// Team seconds and plus-minus: five players' worth of game time.
		tl.Seconds /= 5
		tl.PlusMinus = int(s.Score[sd] - s.Score[sd.Other()])
	}
	sortLines(b.Players)
}

// cmpLines is the order of a box's lines: by side, starters first, then
// by seconds played, most first.
func cmpLines(a, b *model.PlayerLine) int {
	switch {
	case a.Side != b.Side:
		return int(a.Side) - int(b.Side)
	case a.Starter != b.Starter:
		if a.Starter {
			return -1
		}
		return 1
	}
	return int(b.Seconds - a.Seconds)
}

// sortLines sorts lines by cmpLines, stably: what slices.SortStableFunc
// gives, but a line (~170 bytes, with pointers) moves once instead of once
// per inversion: an insertion sort of indexes, then the permutation applied
// cycle by cycle. A box at a moment sorts its ~26 lines on every call.
func sortLines(lines []model.PlayerLine) {
	const most = 256
	if len(lines) > most {
		slices.SortStableFunc(lines, func(a, b model.PlayerLine) int { return cmpLines(&a, &b) })
		return
	}
	var ord [most]uint8
	idx := ord[:len(lines)]
	for i := range idx {
		idx[i] = uint8(i)
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && cmpLines(&lines[idx[j-1]], &lines[idx[j]]) > 0; j-- {
			idx[j-1], idx[j] = idx[j], idx[j-1]
		}
	}
	// lines[k] becomes the old lines[idx[k]]
	var done [most]bool
	for k := range idx {
		if done[k] {
			continue
		}
		done[k] = true
		if int(idx[k]) == k {
			continue
		}
		tmp := lines[k]
		j := k
		for {
			n := int(idx[j])
			done[j] = true
			if n == k {
				lines[j] = tmp
				break
			}
			lines[j] = lines[n]
			j = n
		}
	}
}

// SourceDerived is the Box.Source of boxes the engine computes.
const SourceDerived = "derived"

// Final returns the box score of the whole game.
func (c *Compiled) Final() model.Box {
	return c.box(&c.final, c.final.Elapsed)
}

// FinalState returns the state after the last event (read only).
func (c *Compiled) FinalState() *State { return &c.final }

// Moment names a point of a game: after every event at or before an
// elapsed game time, or after a given event.
type Moment struct {
	Elapsed model.Tenths
	// Event, when >= 0, is an index into Compiled.Events: the moment is
	// just after that event (Elapsed is then ignored).
	Event int
	// Before makes the moment exclude the events at Elapsed itself (the
	// start of a window: NBA range boxes count the events at both ends).
	Before bool
}

// BeforeElapsed is the moment after every event strictly before t.
func BeforeElapsed(t model.Tenths) Moment { return Moment{Elapsed: t, Event: -1, Before: true} }

// AtElapsed is the moment after every event at or before t.
func AtElapsed(t model.Tenths) Moment { return Moment{Elapsed: t, Event: -1} }

// StateAt returns into dst the state at m, from the checkpoint of m's
// period plus a replay of that period's events up to m. It returns the
// game time the box should be settled at.
func (c *Compiled) StateAt(dst *State, m Moment) model.Tenths {
	end, t := c.locate(m)
	// Latest checkpoint at or before event index end.
	k := sort.Search(len(c.checkpoints), func(i int) bool { return c.checkpoints[i].Next > end }) - 1
	if k < 0 {
		k = 0
	}
	dst.CopyFrom(&c.checkpoints[k])
	c.fold(dst, end)
	if dst.Next == 0 {
		dst.Elapsed = 0
	}
	return t
}

// locate returns the number of compiled events a moment includes and the
// time to settle at.
func (c *Compiled) locate(m Moment) (int, model.Tenths) {
	if m.Event >= 0 {
		// src index -> compiled index
		for i := range c.ev {
			if int(c.ev[i].src) == m.Event {
				return i + 1, c.ev[i].elapsed
			}
		}
		return len(c.ev), c.final.Elapsed
	}
	t := m.Elapsed
	if t < 0 {
		t = 0
	}
	if t > c.final.Elapsed {
		t = c.final.Elapsed
	}
	if m.Before {
		return sort.Search(len(c.ev), func(i int) bool { return c.ev[i].elapsed >= t }), t
	}
	n := sort.Search(len(c.ev), func(i int) bool { return c.ev[i].elapsed > t })
	return n, t
}

// BoxAt returns the box score at moment m.
func (c *Compiled) BoxAt(m Moment) model.Box {
	var s State
	t := c.StateAt(&s, m)
	return c.box(&s, t)
}

// BoxInto is BoxAt reusing a caller's State and Box buffers: no
// allocation once they have grown to the game's size.
func (c *Compiled) BoxInto(s *State, m Moment, dst *model.Box) {
	t := c.StateAt(s, m)
	c.boxInto(s, t, dst)
}

// Window returns the box of the game between two moments: the box at to
// minus the box at from. Players who were neither on the court nor
// credited with anything in the window are left out. For the window of
// an NBA range box (events at both ends count) pass BeforeElapsed(from)
// and AtElapsed(to).
func (c *Compiled) Window(from, to Moment) model.Box {
	var sa, sb State
	ta := c.StateAt(&sa, from)
	tb := c.StateAt(&sb, to)
	a := c.box(&sa, ta)
	b := c.box(&sb, tb)
	onCourt := map[model.PlayerID]bool{}
	for _, s := range []*State{&sa, &sb} {
		for _, side := range [2]model.Side{model.Home, model.Away} {
			for _, p := range s.On[side] {
				if p >= 0 {
					onCourt[c.Players[p].ID] = true
				}
			}
		}
	}
	w := model.Box{GameID: b.GameID, Source: b.Source, Home: b.Home, Away: b.Away}
	_, w.From = c.locate(from)
	_, w.To = c.locate(to)
	prev := make(map[model.PlayerID]model.Stats, len(a.Players))
	for _, l := range a.Players {
		prev[l.PlayerID] = l.Stats
	}
	for _, l := range b.Players {
		l.Stats = sub(l.Stats, prev[l.PlayerID])
		if l.Stats == (model.Stats{}) && !onCourt[l.PlayerID] {
			continue
		}
		l.DNP = false
		w.Players = append(w.Players, l)
	}
	w.Home.Stats = sub(b.Home.Stats, a.Home.Stats)
	w.Away.Stats = sub(b.Away.Stats, a.Away.Stats)
	w.Home.TeamOREB -= a.Home.TeamOREB
	w.Home.TeamDREB -= a.Home.TeamDREB
	w.Home.TeamTOV -= a.Home.TeamTOV
	w.Home.Possessions -= a.Home.Possessions
	w.Away.TeamOREB -= a.Away.TeamOREB
	w.Away.TeamDREB -= a.Away.TeamDREB
	w.Away.TeamTOV -= a.Away.TeamTOV
	w.Away.Possessions -= a.Away.Possessions
	return w
}

func sub(a, b model.Stats) model.Stats {
	v := a
	v.PTS -= b.PTS
	v.FGM -= b.FGM
	v.FGA -= b.FGA
	v.FG3M -= b.FG3M
	v.FG3A -= b.FG3A
	v.FTM -= b.FTM
	v.FTA -= b.FTA
	v.OREB -= b.OREB
	v.DREB -= b.DREB
	v.REB -= b.REB
	v.AST -= b.AST
	v.STL -= b.STL
	v.BLK -= b.BLK
	v.TOV -= b.TOV
	v.PF -= b.PF
	v.PlusMinus -= b.PlusMinus
	v.Seconds -= b.Seconds
	return v
}

// LineupAt returns the players on the court for each side after event
// index i of Compiled.Events.
func (c *Compiled) LineupAt(i int) (home, away [5]model.PlayerID) {
	var s State
	c.StateAt(&s, Moment{Event: i})
	for j := 0; j < 5; j++ {
		if p := s.On[model.Home][j]; p >= 0 {
			home[j] = c.Players[p].ID
		}
		if p := s.On[model.Away][j]; p >= 0 {
			away[j] = c.Players[p].ID
		}
	}
	return home, away
}

// Stints replays the game and returns every stint of both teams.
func (c *Compiled) Stints() []Stint {
	var s State
	s.init(len(c.Players))
	out := make([]Stint, 0, 64)
	s.stints = &out
	c.fold(&s, len(c.ev))
	c.closeStint(&s, model.Home, s.Elapsed)
	c.closeStint(&s, model.Away, s.Elapsed)
	// drop empty stints (subs at the same moment)
	res := out[:0]
	for _, st := range out {
		if st.To > st.From || st.PtsFor != 0 || st.PtsAgainst != 0 || st.PossFor != 0 || st.PossAgainst != 0 {
			res = append(res, st)
		}
	}
	return res
}

// PeriodWindow returns the box of periods first..last (1-based), bounded
// by events rather than by time: events logged at the boundary belong to
// their own period (a heave at 0:00 of Q1 is in Q1, a technical free
// throw at 12:00 of Q2 in Q2).
func (c *Compiled) PeriodWindow(first, last int) model.Box {
	before := -1 // last event of a period before first
	end := -1    // last event of a period up to last
	for i := range c.ev {
		p := int(c.ev[i].period)
		if p < first {
			before = i
		}
		if p <= last {
			end = i
		}
	}
	from := BeforeElapsed(0)
	if before >= 0 {
		from = Moment{Event: int(c.ev[before].src)}
	}
	to := BeforeElapsed(0)
	if end >= 0 {
		to = Moment{Event: int(c.ev[end].src)}
	}
	w := c.Window(from, to)
	w.From, w.To = model.PeriodStart(first), model.PeriodStart(last)+model.PeriodLength(last)
	return w
}
