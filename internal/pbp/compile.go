package pbp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
)

// Note records one application of a quirk rule, an override or a lineup
// decision while compiling a game.
type Note struct {
	Rule     string `json:"rule"`
	Period   int    `json:"period,omitempty"`
	EventNum int    `json:"event_num,omitempty"`
	Detail   string `json:"detail"`
}

// PeriodInfo is what the engine decided about one period.
type PeriodInfo struct {
	Period   int
	Start    model.Tenths // elapsed at the period start
	Starters [3][5]model.PlayerID
	// Method says how each side's starters were found: "events" (who acts
	// before being subbed in), "override", "previous-period-end" (fallback,
	// degraded), "incomplete" (degraded).
	Method   [3]string
	starters [3][5]pidx
}

// Compiled is a game ready to be folded: events in engine order, dense
// player ids, resolved rebounds, fouls, possessions and lineups, and a
// checkpoint at every period start.
type Compiled struct {
	Game    *model.Game
	Events  []model.Event      // events in engine order (after overrides and quirk rules)
	Players []model.PlayerInfo // dense index -> player
	Periods []PeriodInfo
	Notes   []Note
	// Degraded is set when the engine had to fall back on a guess (period
	// starters not found in the events); Reasons says why.
	Degraded bool
	Reasons  []string

	disabled    map[string]bool // quirk rules switched off (DisableRulesEnv)
	index       map[model.PlayerID]pidx
	ev          []cev
	checkpoints []State
	final       State
	played      []bool
	starter     []bool
}

// Index returns the dense index of a player, or -1.
func (c *Compiled) Index(id model.PlayerID) int {
	if p, ok := c.index[id]; ok {
		return int(p)
	}
	return -1
}

// NumEvents returns the number of events the engine folds.
func (c *Compiled) NumEvents() int { return len(c.ev) }

func (c *Compiled) note(rule string, period, eventNum int, format string, args ...any) {
	c.Notes = append(c.Notes, Note{Rule: rule, Period: period, EventNum: eventNum, Detail: fmt.Sprintf(format, args...)})
}

func (c *Compiled) degrade(format string, args ...any) {
	c.Degraded = true
	c.Reasons = append(c.Reasons, fmt.Sprintf(format, args...))
}

// Compile prepares g for folding. It never fails: what it cannot resolve
// is recorded in Notes, and guesses mark the game Degraded. ov may be nil.
func Compile(g *model.Game, ov *Overrides) *Compiled {
	if g == nil {
		g = &model.Game{}
	}
	evs := make([]model.Event, len(g.Events))
	copy(evs, g.Events)
	return compile(g, evs, ov)
}

// CompileOwned is Compile for a game the caller hands over and no longer
// reads (a game just read from the store for a cache): its events are
// rewritten and put in engine order in place instead of being copied, and
// the compiled game keeps them once, as Compiled.Events; g.Events is set to
// nil. A cached game then holds one copy of its events, not two (half the
// memory the garbage collector scans), and a compile allocates none.
func CompileOwned(g *model.Game, ov *Overrides) *Compiled {
	if g == nil {
		g = &model.Game{}
	}
	evs := g.Events
	g.Events = nil
	return compile(g, evs, ov)
}

// compile compiles g whose events (owned by the compile) are evs.
func compile(g *model.Game, evs []model.Event, ov *Overrides) *Compiled {
	c := &Compiled{Game: g, index: map[model.PlayerID]pidx{}, disabled: disabledRules()}
	var gov *GameOverrides
	if ov != nil {
		gov = ov.Game(g.GameID)
	}
	evs = c.applyEventOverrides(evs, gov)
	evs = c.applyQuirks(evs)
	c.Events = evs
	c.intern()
	c.build(gov)
	c.checkpointAll()
	return c
}

// ReleaseEvents drops the compiled game's events (Events becomes nil) and
// the notes about them (Notes, ~15 strings a game; Degraded and Reasons
// stay) and returns c, for a game kept only to be folded: what folds and reads a
// compiled game (Final, BoxAt, BoxInto, StateAt, Fold, Window,
// PeriodWindow, LineupAt, Stints, Possessions, NumEvents, Index) reads the
// compiled events, never Events. The player ids the game keeps (Players,
// Periods, Game.Players, the index) are copied out of the events' memory,
// which they may share with every other string of the feed (a decoded
// play pack's descriptions: store.DecodePlayPack). A game of the archive
// then holds ~40 kB, nearly all of it without pointers, instead of ~230
// kB of which the events (~13 strings each) are what a garbage collection
// marks: a cache of such games costs the collector little. Call it before
// the game is shared.
func (c *Compiled) ReleaseEvents() *Compiled {
	c.Events, c.Notes = nil, nil
	index := make(map[model.PlayerID]pidx, len(c.Players))
	for i := range c.Players {
		p := &c.Players[i]
		p.ID = model.PlayerID(strings.Clone(string(p.ID)))
		index[p.ID] = pidx(i)
	}
	c.index = index
	own := func(id model.PlayerID) model.PlayerID {
		if p, ok := index[id]; ok {
			return c.Players[p].ID
		}
		return model.PlayerID(strings.Clone(string(id)))
	}
	for i := range c.Periods {
		for s := range c.Periods[i].Starters {
			for j, id := range c.Periods[i].Starters[s] {
				c.Periods[i].Starters[s][j] = own(id)
			}
		}
	}
	if c.Game != nil && c.Game.Players != nil {
		players := make(map[model.PlayerID]model.PlayerInfo, len(c.Game.Players))
		for id, p := range c.Game.Players {
			p.ID = own(p.ID)
			players[own(id)] = p
		}
		c.Game.Players = players
	}
	return c
}

// sideOf returns the side of a player from the feed's roster, or NoSide.
func (c *Compiled) sideOf(id model.PlayerID) model.Side {
	if p, ok := c.index[id]; ok {
		return c.Players[p].Side
	}
	return model.NoSide
}

func (c *Compiled) intern() {
	g := c.Game
	// votes[id][side]: how many events put the player on each side. The
	// feed's roster decides when it knows; otherwise the majority does (a
	// single odd event, e.g. a jump ball whose Side is the team that got
	// the tip, cannot move a player to the other team).
	votes := map[model.PlayerID]*[3]int{}
	add := func(id model.PlayerID, side model.Side) {
		if id == "" {
			return
		}
		if _, ok := c.index[id]; !ok {
			info := model.PlayerInfo{ID: id}
			if gi, ok := g.Players[id]; ok {
				info.Name = gi.Name
				info.Side = gi.Side
				info.Starter = gi.Starter
			}
			c.index[id] = pidx(len(c.Players))
			c.Players = append(c.Players, info)
			votes[id] = &[3]int{}
		}
		votes[id][side]++
	}
	// Roster first, in a stable order, so dense ids do not depend on map order.
	ids := make([]string, 0, len(g.Players))
	for id := range g.Players {
		ids = append(ids, string(id))
	}
	sort.Strings(ids)
	for _, id := range ids {
		add(model.PlayerID(id), model.NoSide)
	}
	for i := range c.Events {
		e := &c.Events[i]
		s := e.Side
		switch e.Type {
		case model.Substitution:
			add(e.SubIn, s)
			add(e.SubOut, s)
		case model.JumpBall:
			add(e.Player, model.NoSide)
			add(e.Jump2, model.NoSide)
			add(e.JumpTo, model.NoSide)
		case model.Foul:
			add(e.Player, s)
			if e.Foul == model.FoulDouble || e.Foul == model.FoulDoubleTechnical {
				add(e.Fouled, model.NoSide)
			} else {
				add(e.Fouled, s.Other())
			}
		default:
			if !e.Team {
				add(e.Player, s)
			}
			add(e.Fouled, model.NoSide)
		}
		add(e.Assist, s)
		add(e.Block, s.Other())
		add(e.Steal, s.Other())
	}
	for i := range c.Players {
		pl := &c.Players[i]
		if pl.Side != model.NoSide {
			continue
		}
		v := votes[pl.ID]
		switch {
		case v[model.Home] > v[model.Away]:
			pl.Side = model.Home
		case v[model.Away] > v[model.Home]:
			pl.Side = model.Away
		}
	}
}

func (c *Compiled) pid(id model.PlayerID) pidx {
	if id == "" {
		return none
	}
	if p, ok := c.index[id]; ok {
		return p
	}
	return none
}

// countsPF says whether a foul of kind k is charged to the player as a
// personal foul in the official box: every foul except technicals (and
// defensive three seconds, a technical in substance).
func countsPF(k model.FoulKind) bool {
	switch k {
	case model.FoulTechnical, model.FoulDoubleTechnical, model.FoulDefensive3Seconds:
		return false
	}
	return true
}

func (c *Compiled) isTechnical(e *model.Event) bool {
	switch e.Type {
	case model.Foul:
		if e.Foul == model.FoulOther && c.on(RuleTechnicalByName) && e.Facts.TechnicalName {
			return true // rule technical-by-name: "Non-Unsportsmanlike Tech Foul - Flopping" (0022300539)
		}
		return e.Foul == model.FoulTechnical || e.Foul == model.FoulDoubleTechnical || e.Foul == model.FoulDefensive3Seconds
	case model.FreeThrow:
		return e.FTKind == model.FTTechnical
	}
	return false
}

// build resolves rebounds, fouls, possessions, starters and lineups and
// produces the compiled events.
func (c *Compiled) build(gov *GameOverrides) {
	n := len(c.Players)
	c.played = make([]bool, n)
	c.starter = make([]bool, n)
	c.ev = make([]cev, len(c.Events))
	lastMiss := model.NoSide
	tally := reboundTally{}
	for i := range c.Events {
		e := &c.Events[i]
		ce := &c.ev[i]
		*ce = cev{
			elapsed: e.Elapsed, src: int32(i), num: int32(e.EventNum), typ: e.Type, side: e.Side, team: e.Team,
			made: e.Made, three: e.Three, pts: e.Points, period: uint8(e.Period),
			p: c.pid(e.Player), a: c.pid(e.Assist), blk: c.pid(e.Block), stl: c.pid(e.Steal),
			fouled: c.pid(e.Fouled), in: c.pid(e.SubIn), out: c.pid(e.SubOut), slot: -1,
		}
		if e.Team {
			ce.p = none
		}
		if e.Period > 255 || e.Period < 0 {
			ce.period = 0
		}
		if c.isTechnical(e) {
			ce.flags |= fTech
		}
		switch e.Type {
		case model.ShotMade:
			if ce.pts == 0 {
				ce.pts = 2
				if e.Three {
					ce.pts = 3
				}
			}
			lastMiss = model.NoSide
		case model.ShotMissed:
			lastMiss = e.Side
		case model.FreeThrow:
			if !e.Made {
				lastMiss = e.Side
			}
		case model.Rebound:
			kind := e.Rebound
			if k, ok := tally.kind(e); ok && c.on(RuleReboundTally) {
				kind = k
			} else if lastMiss != model.NoSide && e.Side != model.NoSide {
				// the feed's own kind was inferred from its row order;
				// ours comes after the quirk rules reordered the rows
				kind = model.ReboundDefensive
				if lastMiss == e.Side {
					kind = model.ReboundOffensive
				}
			}
			if kind == model.ReboundOffensive {
				ce.flags |= fOREB
			} else {
				ce.flags |= fDREB
			}
		case model.Turnover:
			// Every turnover counts, "No Turnover" rows included: their
			// (P1.T11) tallies show the official count includes them
			// (0021800144 event 636).
			ce.flags |= fTOV
			// lastMiss stays: a rebound after a turnover with no miss in
			// between is a row out of order, and belongs to the last miss
			// (0021801199 event 360).
		case model.Foul:
			if countsPF(e.Foul) && ce.flags&fTech == 0 {
				if ce.p >= 0 && !e.Team {
					ce.flags |= fPF
				} else {
					ce.flags |= fTeamPF
				}
				if e.Foul == model.FoulDouble && ce.fouled >= 0 {
					ce.flags |= fPF2
				}
			}
		case model.JumpBall:
			// A steal on a jump ball is carried on the event (Steal) by
			// the parser; rule jump-ball-steal.
		case model.PeriodBegin:
			ce.flags |= fPeriodStart
			lastMiss = model.NoSide
		case model.PeriodEnd:
			ce.flags |= fPeriodEnd
		}
		for _, p := range [...]pidx{ce.p, ce.a, ce.blk, ce.stl, ce.in} {
			if p >= 0 && !(ce.flags&fTech != 0 || e.Type == model.Ejection) {
				c.played[p] = true
			}
		}
	}
	c.resolvePossessions()
	c.resolveLineups(gov)
	c.settleSlots()
}

// settleSlots replays the lineup changes in the order fold applies them
// (starters at each period's begin event, then each substitution into its
// slot) and drops a substitution that would put a player on the court
// twice or take a slot its leaving player does not hold. resolveLineups
// gives slots period by period; when a feed's rows are out of period order
// (a row of period 3 among period 2's), the two orders disagree, and
// without this pass the fold would show a lineup with one player twice
// (FuzzCompile testdata 71b77c19b443275a). Each dropped substitution is a
// note.
func (c *Compiled) settleSlots() {
	var on [3][5]pidx
	for k := range on {
		for j := range on[k] {
			on[k][j] = none
		}
	}
	for i := range c.ev {
		ce := &c.ev[i]
		switch ce.typ {
		case model.PeriodBegin:
			pi := c.period(int(ce.period))
			for _, side := range [2]model.Side{model.Home, model.Away} {
				for j := range on[side] {
					on[side][j] = none
					if pi != nil {
						on[side][j] = pi.starters[side][j]
					}
				}
			}
		case model.Substitution:
			if ce.slot < 0 {
				continue
			}
			side := ce.side
			held := on[side][ce.slot]
			ok := held == ce.out || held == none
			for _, s := range [2]model.Side{model.Home, model.Away} {
				for _, p := range on[s] {
					if p == ce.in && p >= 0 {
						ok = false
					}
				}
			}
			if !ok {
				e := &c.Events[i]
				c.note("substitution", int(ce.period), e.EventNum, "%s for %s is out of order with the period's other rows (slot %d not theirs here); ignored", e.SubIn, e.SubOut, ce.slot)
				ce.slot = -1
				continue
			}
			on[side][ce.slot] = ce.in
		}
	}
}

// resolvePossessions marks the event that ends each possession
// (docs/pbp-engine.md, "Possessions"): a made field goal not followed by
// an and-one free throw, the last free throw of a trip when made (except
// technical, flagrant and clear-path trips, after which the team keeps the
// ball), a defensive rebound, a turnover, and the end of a period with the
// ball live.
func (c *Compiled) resolvePossessions() {
	offense := model.NoSide
	open := false
	pending := -1 // a made FG that may still get an and-one
	end := func(i int, s model.Side) {
		if s == model.NoSide {
			return
		}
		c.ev[i].possEnd = s
		offense = s.Other()
		open = false
	}
	for i := range c.ev {
		e := &c.ev[i]
		src := &c.Events[i]
		if pending >= 0 {
			pe := &c.ev[pending]
			switch {
			case e.typ == model.FreeThrow && e.side == pe.side && e.elapsed == pe.elapsed && e.flags&fTech == 0 && src.FTKind == model.FTRegular:
				pending = -1 // and-one: the free throw decides
			case e.elapsed == pe.elapsed && (e.typ == model.Foul || e.typ == model.Substitution || e.typ == model.Timeout || e.typ == model.Replay || e.typ == model.Violation || e.typ == model.Ejection || e.flags&fTech != 0 || e.typ == model.Unknown):
				// still undecided
			default:
				end(pending, pe.side)
				pending = -1
			}
		}
		switch e.typ {
		case model.ShotMade:
			offense, open = e.side, true
			pending = i
		case model.ShotMissed:
			offense, open = e.side, true
		case model.FreeThrow:
			if e.flags&fTech != 0 {
				break
			}
			offense, open = e.side, true
			if src.FTNum > 0 && src.FTNum == src.FTOf && e.made && src.FTKind == model.FTRegular {
				end(i, e.side)
			}
		case model.Rebound:
			if e.flags&fDREB != 0 && e.side != model.NoSide {
				end(i, e.side.Other())
			} else if e.side != model.NoSide {
				offense, open = e.side, true
			}
		case model.Turnover:
			if e.flags&fTOV != 0 && e.side != model.NoSide {
				end(i, e.side)
			}
		case model.JumpBall:
			if to := c.pid(src.JumpTo); to >= 0 && c.Players[to].Side != model.NoSide {
				offense, open = c.Players[to].Side, true
			}
		case model.PeriodEnd:
			if pending >= 0 {
				end(pending, c.ev[pending].side)
				pending = -1
			}
			if open {
				end(i, offense)
			}
			offense, open = model.NoSide, false
		}
	}
	if pending >= 0 {
		end(pending, c.ev[pending].side)
	}
}

// actors returns the players of side s an event shows on the court, for
// starter inference. Technical fouls and free throws, ejections and team
// events show nobody: bench players can be involved in them.
func (c *Compiled) actors(e *model.Event, out []pidx) []pidx {
	out = out[:0]
	if c.isTechnical(e) || e.Type == model.Ejection || e.Type == model.Timeout || e.Type == model.Replay ||
		e.Type == model.PeriodBegin || e.Type == model.PeriodEnd || e.Type == model.Unknown {
		return out
	}
	if e.Type == model.Foul && (e.Foul == model.FoulFlagrant2) {
		// the fouler is ejected; he was on the court, keep him
	}
	for _, id := range [...]model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.Jump2, e.JumpTo} {
		if id == "" {
			continue
		}
		if e.Team && id == e.Player {
			continue
		}
		if p := c.pid(id); p >= 0 {
			out = append(out, p)
		}
	}
	return out
}

// resolveLineups finds every period's starters and the lineup slot each
// substitution takes.
func (c *Compiled) resolveLineups(gov *GameOverrides) {
	// event index ranges per period
	type rng struct{ from, to int }
	var ranges []rng
	for i := range c.ev {
		p := int(c.ev[i].period)
		if p <= 0 {
			continue
		}
		for len(ranges) < p {
			ranges = append(ranges, rng{-1, -1})
		}
		if ranges[p-1].from < 0 {
			ranges[p-1].from = i
		}
		ranges[p-1].to = i + 1
	}
	c.Periods = make([]PeriodInfo, len(ranges))
	var prevEnd [3][5]pidx
	for k := range prevEnd {
		for j := range prevEnd[k] {
			prevEnd[k][j] = none
		}
	}
	var buf []pidx
	for pi := range ranges {
		period := pi + 1
		info := &c.Periods[pi]
		info.Period = period
		info.Start = model.PeriodStart(period)
		r := ranges[pi]
		for _, side := range [2]model.Side{model.Home, model.Away} {
			found := make([]pidx, 0, 6)
			seenIn := map[pidx]bool{}
			has := func(p pidx) bool {
				for _, q := range found {
					if q == p {
						return true
					}
				}
				return false
			}
			if r.from >= 0 {
				for i := r.from; i < r.to; i++ {
					e := &c.Events[i]
					if e.Type == model.Substitution {
						if e.Side != side && c.sideOf(e.SubIn) != side && c.sideOf(e.SubOut) != side {
							continue
						}
						if o := c.pid(e.SubOut); o >= 0 && !seenIn[o] && !has(o) {
							found = append(found, o)
						}
						if in := c.pid(e.SubIn); in >= 0 {
							seenIn[in] = true
						}
						continue
					}
					buf = c.actors(e, buf)
					for _, p := range buf {
						if c.Players[p].Side == side && !seenIn[p] && !has(p) {
							found = append(found, p)
						}
					}
				}
			}
			method := "events"
			if ov := gov.starters(period, side, c.Game); ov != nil {
				found = found[:0]
				for _, id := range ov {
					if p := c.pid(id); p >= 0 {
						found = append(found, p)
					} else {
						c.note("override", period, 0, "%s starter %s is not in the feed", side, id)
					}
				}
				method = "override"
				c.note("override", period, 0, "%s starters set by the overrides file", side)
			}
			if len(found) > 5 {
				c.degrade("period %d %s: %d players act before being subbed in (a substitution is missing from the feed); kept the first five", period, side, len(found))
				c.note("period-starters", period, 0, "%s: %d candidates, kept the first five", side, len(found))
				found = found[:5]
			}
			if len(found) < 5 && period == 1 {
				// the provider's own starters, when it lists them
				for _, pl := range c.Players {
					if len(found) == 5 {
						break
					}
					if pl.Starter && pl.Side == side {
						p := c.index[pl.ID]
						if !has(p) && !seenIn[p] {
							found = append(found, p)
						}
					}
				}
				if len(found) == 5 && method == "events" {
					method = "events+provider-starters"
				}
			}
			if len(found) < 5 && method != "override" {
				n0 := len(found)
				var added []string
				for _, p := range prevEnd[side] {
					if len(found) == 5 {
						break
					}
					if p >= 0 && !has(p) && !seenIn[p] {
						found = append(found, p)
						added = append(added, string(c.Players[p].ID))
					}
				}
				if len(added) > 0 {
					method = "previous-period-end"
					c.degrade("period %d %s: only %d starters act before a substitution; added %s from the lineup that ended period %d",
						period, side, n0, strings.Join(added, ","), period-1)
					c.note("period-starters", period, 0, "%s: %d found in events, filled from the end of period %d with %s", side, n0, period-1, strings.Join(added, ","))
				}
				if len(found) < 5 {
					method = "incomplete"
					c.degrade("period %d %s: only %d starters found; %d slot(s) stay empty", period, side, len(found), 5-len(found))
				}
			}
			info.Method[side] = method
			for j := 0; j < 5; j++ {
				info.starters[side][j] = none
				if j < len(found) {
					info.starters[side][j] = found[j]
					info.Starters[side][j] = c.Players[found[j]].ID
					c.played[found[j]] = true
					if period == 1 {
						c.starter[found[j]] = true
					}
				}
			}
		}
		// simulate the period's substitutions to give each its slot
		on := info.starters
		if r.from >= 0 {
			for i := r.from; i < r.to; i++ {
				ce := &c.ev[i]
				if ce.typ != model.Substitution {
					continue
				}
				e := &c.Events[i]
				side := ce.side
				if side == model.NoSide {
					side = c.sideOf(e.SubIn)
					if side == model.NoSide {
						side = c.sideOf(e.SubOut)
					}
					ce.side = side
				}
				if side == model.NoSide {
					c.note("substitution", period, e.EventNum, "no team for the substitution; ignored")
					continue
				}
				slot := int8(-1)
				for j, p := range on[side] {
					if p == ce.out && p >= 0 {
						slot = int8(j)
					}
				}
				inOn := false
				for _, p := range on[side] {
					if p == ce.in && p >= 0 {
						inOn = true
					}
				}
				switch {
				case inOn:
					c.note("substitution", period, e.EventNum, "%s enters but is already on the court; ignored", e.SubIn)
					continue
				case slot < 0:
					for j, p := range on[side] {
						if p < 0 {
							slot = int8(j)
							break
						}
					}
					if slot < 0 {
						c.note("substitution", period, e.EventNum, "%s leaves but is not on the court; ignored", e.SubOut)
						continue
					}
					c.note("substitution", period, e.EventNum, "%s leaves but is not on the court; %s takes an empty slot", e.SubOut, e.SubIn)
				}
				ce.slot = slot
				on[side][slot] = ce.in
			}
		}
		prevEnd = on
	}
}

// checkpointAll folds the game once, keeping a copy of the state at the
// start of every period (checkpoints, from which StateAt folds a moment's
// period only) and the final state.
func (c *Compiled) checkpointAll() { c.checkpoint(true) }

// checkpoint folds the game once into the final state, keeping a copy of
// the state at the start and, with periods, at the start of every period.
// Without them (a game decoded from a fold pack: the MCP box_score cache)
// StateAt folds from the start of the game, ~470 events instead of ~120
// (about a microsecond), and the game holds one copy of the players' state
// instead of one a period (~3 kB each), which a miss would also have to
// fold and write. The checkpoints and the final state share one backing
// array per buffer (players' stats, entry times, entry margins): four
// allocations a game, not three a period.
func (c *Compiled) checkpoint(periods bool) {
	n := len(c.Players)
	k := 1 // checkpoints: the start, then every period begin but the first event
	for i := range c.ev {
		if periods && c.ev[i].typ == model.PeriodBegin && i > 0 {
			k++
		}
	}
	ps := make([]model.Stats, (k+1)*n)
	ons := make([]model.Tenths, (k+1)*n)
	ens := make([]int32, (k+1)*n)
	// buf returns the j-th state's empty buffers (capacity n each: CopyFrom
	// fills them without allocating)
	buf := func(j int) State {
		return State{P: ps[j*n : j*n : (j+1)*n], onSince: ons[j*n : j*n : (j+1)*n], entry: ens[j*n : j*n : (j+1)*n]}
	}
	// the game is folded into the final state's buffers
	c.final = buf(k)
	s := &c.final
	s.P, s.onSince, s.entry = s.P[:n], s.onSince[:n], s.entry[:n]
	for i := range s.On {
		for j := range s.On[i] {
			s.On[i][j] = none
		}
	}
	c.checkpoints = make([]State, 1, k)
	c.checkpoints[0] = buf(0)
	c.checkpoints[0].CopyFrom(s)
	for i := range c.ev {
		if periods && c.ev[i].typ == model.PeriodBegin && i > 0 {
			c.fold(s, i)
			cp := buf(len(c.checkpoints))
			cp.CopyFrom(s)
			c.checkpoints = append(c.checkpoints, cp)
		}
	}
	c.fold(s, len(c.ev))
}

// Fold replays the whole game into s (allocating s's buffers when needed)
// and returns the number of events folded. It is the engine's hot loop.
func (c *Compiled) Fold(s *State) int {
	if len(s.P) != len(c.Players) {
		s.init(len(c.Players))
	} else {
		s.CopyFrom(&c.checkpoints[0])
	}
	c.fold(s, len(c.ev))
	return len(c.ev)
}

// reboundTally reads the running rebound counts some feeds print in the
// description ("Brown REBOUND (Off:2 Def:1)", NBA v2; the parser reads them
// into Event.Facts): when a player's offensive count went up, the rebound
// is offensive, whatever the row order says (rule rebound-tally;
// 0021800001 events 340 and 317).
type reboundTally map[model.PlayerID][2]int

func (t reboundTally) kind(e *model.Event) (model.ReboundKind, bool) {
	if e.Player == "" || e.Team || !e.Facts.ReboundTally {
		return model.ReboundUnknown, false
	}
	off, def := e.Facts.RebOff, e.Facts.RebDef
	prev, seen := t[e.Player]
	t[e.Player] = [2]int{max(off, prev[0]), max(def, prev[1])}
	switch {
	case off > prev[0] && def <= prev[1]:
		return model.ReboundOffensive, true
	case def > prev[1] && off <= prev[0]:
		return model.ReboundDefensive, true
	case !seen && off+def == 1:
		if off == 1 {
			return model.ReboundOffensive, true
		}
		return model.ReboundDefensive, true
	}
	return model.ReboundUnknown, false
}
