package pbp

import (
	"os"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
)

// Quirk rules: each is named (the name appears in Compiled.Notes and in
// docs/pbp-engine.md, with the real game that tests it).
const (
	// RuleDuplicateRow drops an event that repeats an earlier one with the
	// same event number and identical content (v2 feeds; 0021800073).
	RuleDuplicateRow = "duplicate-row"
	// RuleBadSide clears a Side that is neither home nor away.
	RuleBadSide = "bad-side"
	// RulePeriodOutOfRange leaves out an event whose period is not 1..MaxPeriod.
	RulePeriodOutOfRange = "period-out-of-range"
	// RulePeriodOrder moves events of period p that the feed lists among
	// another period's events back into period p (stable).
	RulePeriodOrder = "period-order"
	// RuleEventBeforePeriodStart moves the period-start event before
	// events of its period logged ahead of it (technical free throws
	// shot during the break).
	RuleEventBeforePeriodStart = "event-before-period-start"
	// RuleMissingPeriodBoundary adds a period start or end the feed omits.
	RuleMissingPeriodBoundary = "missing-period-boundary"
	// RuleReboundBeforeMiss puts a rebound logged before the miss it
	// follows (same clock) after that miss.
	RuleReboundBeforeMiss = "rebound-before-miss"
	// RuleSubBetweenFTAndRebound moves substitutions logged between a
	// missed free throw and its rebound after the rebound.
	RuleSubBetweenFTAndRebound = "sub-between-ft-and-rebound"
	// RuleSubDuringFreeThrows applies substitutions logged between the
	// free throws of one trip (same clock) after the trip's last free
	// throw: the official plus-minus credits the trip's points to the
	// players on the court when the foul was called.
	RuleSubDuringFreeThrows = "sub-during-free-throws"
	// RuleSubOrder sorts a run of substitutions at the same clock by
	// event number (the order they were logged) when the rows list them
	// otherwise: a player must enter before he can leave (0021700482
	// events 733-739).
	RuleSubOrder = "sub-order"
	// RuleClockBackwards clamps an event whose clock runs backwards
	// within a period to the time of the event before it.
	RuleClockBackwards = "clock-backwards"
	// RuleElapsedFromClock recomputes Elapsed from Period and Clock when
	// the feed's Elapsed disagrees with them.
	RuleElapsedFromClock = "elapsed-from-clock"
	// RuleReboundTally decides a rebound's kind from the running counts
	// the feed prints ("(Off:2 Def:1)", read by the parser into
	// Event.Facts), not the row order (0021800001).
	RuleReboundTally = "rebound-tally"
	// RuleFTKofN takes "Free Throw 1 of 2" (and Technical, Flagrant,
	// Clear Path), as the parser read it from the description into
	// Event.Facts, for a free throw the parser left without k of n (v3
	// feeds; 0022200552).
	RuleFTKofN = "ft-k-of-n"
	// RuleTechnicalByName treats a foul of no known kind whose name says
	// "tech foul" as a technical: no personal foul, no possession change
	// ("Non-Unsportsmanlike Tech Foul - Flopping", 0022300539).
	RuleTechnicalByName = "technical-by-name"
	// RuleFTUnmarkedMiss treats as missed a free throw that NBA feeds of
	// older seasons log as bare "Free Throw 2 of 2": no player name, no
	// MISS, no "(N PTS)", and no score change (the row has no SCORE). The
	// feed's next event is the other team's rebound; game_info and the
	// final score agree that the shot missed (0021400072 event 610; eight
	// games of 2014-15).
	RuleFTUnmarkedMiss = "ft-unmarked-miss"
)

// Rules lists every quirk rule, in the order the engine applies them.
func Rules() []string {
	return []string{RuleBadSide, RulePeriodOutOfRange, RuleDuplicateRow, RuleFTKofN, RuleElapsedFromClock,
		RulePeriodOrder, RuleEventBeforePeriodStart, RuleMissingPeriodBoundary, RuleReboundBeforeMiss,
		RuleSubBetweenFTAndRebound, RuleSubDuringFreeThrows, RuleSubOrder, RuleClockBackwards,
		RuleTechnicalByName, RuleReboundTally, RuleFTUnmarkedMiss}
}

// DisableRulesEnv names the environment variable that switches quirk rules
// off: a comma-separated list of rule names. It exists for
// scripts/rulecheck.sh, which disables each rule in turn to show that a
// test fails without it; a production run never sets it.
const DisableRulesEnv = "NBASIM_PBP_DISABLE_RULES"

// disabledRules reads DisableRulesEnv.
func disabledRules() map[string]bool {
	v := os.Getenv(DisableRulesEnv)
	if v == "" {
		return nil
	}
	m := map[string]bool{}
	for _, r := range strings.Split(v, ",") {
		m[strings.TrimSpace(r)] = true
	}
	return m
}

// on reports whether rule applies (it is not disabled).
func (c *Compiled) on(rule string) bool { return !c.disabled[rule] }

// MaxPeriod is the last period the engine accepts (ten overtimes).
const MaxPeriod = 14

func sameContent(a, b *model.Event) bool {
	x, y := *a, *b
	x.Order, y.Order = 0, 0
	return x == y
}

// applyQuirks puts the events into engine order.
func (c *Compiled) applyQuirks(evs []model.Event) []model.Event {
	// duplicate-row (and periods out of range)
	seen := make(map[int]int, len(evs))
	out := evs[:0]
	for i := range evs {
		e := evs[i]
		if e.Side > model.Away && c.on(RuleBadSide) {
			c.note(RuleBadSide, e.Period, e.EventNum, "side %d is neither home nor away: cleared", e.Side)
			e.Side = model.NoSide
		}
		if (e.Period > MaxPeriod || e.Period < 0) && c.on(RulePeriodOutOfRange) {
			c.note(RulePeriodOutOfRange, e.Period, e.EventNum, "period %d out of range (1..%d): event left out: %s", e.Period, MaxPeriod, e.Description)
			c.degrade("event %d has period %d: left out", e.EventNum, e.Period)
			continue
		}
		if j, ok := seen[e.EventNum]; ok && e.EventNum != 0 && sameContent(&out[j], &e) && c.on(RuleDuplicateRow) {
			c.note(RuleDuplicateRow, e.Period, e.EventNum, "dropped a repeated row: %s", e.Description)
			continue
		}
		seen[e.EventNum] = len(out)
		out = append(out, e)
	}
	evs = out

	// ft-unmarked-miss: in feed order, before anything moves
	if strings.HasPrefix(c.Game.Provider, "nba_stats/") && c.on(RuleFTUnmarkedMiss) {
		for i := 1; i < len(evs); i++ {
			e, prev := &evs[i], &evs[i-1]
			if e.Type != model.FreeThrow || !e.Made || e.ScoreHome != prev.ScoreHome || e.ScoreAway != prev.ScoreAway {
				continue
			}
			if !e.Facts.FTUnmarked {
				continue
			}
			c.note(RuleFTUnmarkedMiss, e.Period, e.EventNum, "%q: no shooter, no points, no score change: missed", e.Description)
			e.Made, e.Points = false, 0
		}
	}

	// elapsed-from-clock, and periods outside 1..
	for i := range evs {
		e := &evs[i]
		if e.Type == model.FreeThrow && e.FTOf == 0 && c.on(RuleFTKofN) {
			ftFromFacts(e)
		}
		if e.Period < 1 {
			continue
		}
		if e.Clock < 0 {
			e.Clock = 0
		}
		if e.Clock > model.PeriodLength(e.Period) {
			e.Clock = model.PeriodLength(e.Period)
		}
		if want := model.Elapsed(e.Period, e.Clock); e.Elapsed != want && c.on(RuleElapsedFromClock) {
			if e.Elapsed != 0 {
				c.note(RuleElapsedFromClock, e.Period, e.EventNum, "elapsed %s recomputed from the clock", e.Elapsed)
			}
			e.Elapsed = want
		}
	}

	// period-order: a stable sort by period (events without a period stay
	// with the event before them).
	per := make([]int, len(evs))
	cur := 0
	moved := 0
	for i := range evs {
		if evs[i].Period >= 1 {
			cur = evs[i].Period
		}
		per[i] = cur
		if i > 0 && per[i] < per[i-1] {
			moved++
		}
	}
	if moved > 0 && c.on(RulePeriodOrder) {
		idx := make([]int, len(evs))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return per[idx[a]] < per[idx[b]] })
		re := make([]model.Event, len(evs))
		for k, i := range idx {
			re[k] = evs[i]
		}
		evs = re
		c.note(RulePeriodOrder, 0, 0, "%d event(s) listed among another period's events moved back", moved)
	}

	// event-before-period-start and missing-period-boundary
	evs = c.fixPeriodBoundaries(evs)

	if c.on(RuleReboundBeforeMiss) {
		evs = c.fixReboundBeforeMiss(evs)
	}
	if c.on(RuleSubBetweenFTAndRebound) {
		evs = c.fixSubBeforeRebound(evs)
	}
	if c.on(RuleSubDuringFreeThrows) {
		evs = c.fixSubDuringFreeThrows(evs)
	}
	if c.on(RuleSubOrder) {
		c.fixSubOrder(evs)
	}

	// clock-backwards
	for i := 1; i < len(evs) && c.on(RuleClockBackwards); i++ {
		e, p := &evs[i], &evs[i-1]
		if e.Period == p.Period && e.Elapsed < p.Elapsed {
			c.note(RuleClockBackwards, e.Period, e.EventNum, "clock %s after %s: held at %s", e.Clock, p.Clock, p.Clock)
			e.Elapsed = p.Elapsed
			e.Clock = p.Clock
		}
	}
	for i := range evs {
		evs[i].Order = i
	}
	return evs
}

func (c *Compiled) fixPeriodBoundaries(evs []model.Event) []model.Event {
	if periodsBounded(evs) {
		return evs // nothing to add or move: no copy
	}
	out := make([]model.Event, 0, len(evs)+4)
	i := 0
	for i < len(evs) {
		p := evs[i].Period
		j := i
		for j < len(evs) && evs[j].Period == p {
			j++
		}
		block := evs[i:j]
		if p < 1 {
			out = append(out, block...)
			i = j
			continue
		}
		// period start first
		b := -1
		for k := range block {
			if block[k].Type == model.PeriodBegin {
				b = k
				break
			}
		}
		switch {
		case b < 0 && c.on(RuleMissingPeriodBoundary):
			c.note(RuleMissingPeriodBoundary, p, 0, "no period start in the feed: added one")
			out = append(out, model.Event{GameID: c.Game.GameID, Period: p, Clock: model.PeriodLength(p), Elapsed: model.PeriodStart(p), Type: model.PeriodBegin, ScoreHome: -1, ScoreAway: -1, Description: "period start (added)"})
			out = append(out, block...)
		case b > 0 && c.on(RuleEventBeforePeriodStart):
			c.note(RuleEventBeforePeriodStart, p, block[b].EventNum, "%d event(s) logged before the period start moved after it", b)
			out = append(out, block[b])
			out = append(out, block[:b]...)
			out = append(out, block[b+1:]...)
		default:
			out = append(out, block...)
		}
		hasEnd := false
		for k := range block {
			if block[k].Type == model.PeriodEnd {
				hasEnd = true
			}
		}
		if !hasEnd && c.on(RuleMissingPeriodBoundary) {
			c.note(RuleMissingPeriodBoundary, p, 0, "no period end in the feed: added one")
			out = append(out, model.Event{GameID: c.Game.GameID, Period: p, Clock: 0, Elapsed: model.PeriodStart(p) + model.PeriodLength(p), Type: model.PeriodEnd, ScoreHome: -1, ScoreAway: -1, Description: "period end (added)"})
		}
		i = j
	}
	return out
}

// periodsBounded says whether every period's block of events (periods
// >= 1) starts with its period start and holds its period end, so that
// fixPeriodBoundaries would return the events as they are.
func periodsBounded(evs []model.Event) bool {
	for i := 0; i < len(evs); {
		p := evs[i].Period
		j := i
		hasEnd := false
		for j < len(evs) && evs[j].Period == p {
			hasEnd = hasEnd || evs[j].Type == model.PeriodEnd
			j++
		}
		if p >= 1 && (evs[i].Type != model.PeriodBegin || !hasEnd) {
			return false
		}
		i = j
	}
	return true
}

func isMiss(e *model.Event) bool {
	return e.Type == model.ShotMissed || e.Type == model.FreeThrow && !e.Made
}

// fixReboundBeforeMiss swaps a rebound that no unrebounded miss precedes
// with the next missed shot or free throw at the same clock.
func (c *Compiled) fixReboundBeforeMiss(evs []model.Event) []model.Event {
	pendingMiss := false
	for i := 0; i < len(evs); i++ {
		e := &evs[i]
		switch {
		case isMiss(e):
			pendingMiss = true
		case e.Type == model.Rebound:
			if !pendingMiss && c.swapReboundAhead(evs, i) {
				i-- // position i now holds the next event: look at it again
				continue
			}
			pendingMiss = false
		case e.Type == model.ShotMade || e.Type == model.Turnover || e.Type == model.PeriodBegin:
			pendingMiss = false
		}
	}
	return evs
}

// swapReboundAhead moves the rebound at i after the first miss among the
// next three events at the same time, and reports whether it did.
func (c *Compiled) swapReboundAhead(evs []model.Event, i int) bool {
	e := evs[i]
	for k := i + 1; k < len(evs) && k <= i+3 && evs[k].Elapsed == e.Elapsed && evs[k].Period == e.Period; k++ {
		if isMiss(&evs[k]) {
			copy(evs[i:k], evs[i+1:k+1])
			evs[k] = e
			c.note(RuleReboundBeforeMiss, e.Period, e.EventNum, "rebound logged before the miss %d: moved after it", evs[k-1].EventNum)
			return true
		}
	}
	return false
}

// fixSubBeforeRebound moves substitutions between a missed free throw
// and its rebound (same clock) after the rebound.
func (c *Compiled) fixSubBeforeRebound(evs []model.Event) []model.Event {
	for i := 0; i < len(evs); i++ {
		e := &evs[i]
		if e.Type != model.FreeThrow || e.Made {
			continue
		}
		k := i + 1
		for k < len(evs) && evs[k].Elapsed == e.Elapsed && (evs[k].Type == model.Substitution || evs[k].Type == model.Timeout) {
			k++
		}
		if k == i+1 || k >= len(evs) || evs[k].Type != model.Rebound || evs[k].Elapsed != e.Elapsed {
			continue
		}
		hasSub := false
		for j := i + 1; j < k; j++ {
			if evs[j].Type == model.Substitution {
				hasSub = true
			}
		}
		if !hasSub {
			continue
		}
		r := evs[k]
		copy(evs[i+2:k+1], evs[i+1:k])
		evs[i+1] = r
		c.note(RuleSubBetweenFTAndRebound, r.Period, r.EventNum, "rebound moved before %d substitution/timeout event(s) logged after the missed free throw", k-i-1)
	}
	return evs
}

// fixSubDuringFreeThrows moves substitutions logged between a foul and
// the last free throw of the trip it gives (same clock) after that free
// throw, unless the entering player shoots in the trip (an injured shooter
// replaced). A trip is the run of non-technical free throws of one side at
// one clock; team rebounds of a missed first free throw may sit inside it.
func (c *Compiled) fixSubDuringFreeThrows(evs []model.Event) []model.Event {
	inTrip := func(x *model.Event) bool {
		return x.Type == model.Substitution || x.Type == model.Timeout || x.Type == model.Replay || x.Type == model.Violation ||
			x.Type == model.Rebound && x.Team || x.Type == model.Foul && c.isTechnical(x) || x.Type == model.FreeThrow && x.FTKind == model.FTTechnical
	}
	for i := 0; i < len(evs); i++ {
		e := &evs[i]
		if e.Type != model.FreeThrow || e.FTKind == model.FTTechnical {
			continue
		}
		// the trip's start: the foul before it at the same clock
		start := i
		for j := i - 1; j >= 0 && evs[j].Elapsed == e.Elapsed && evs[j].Period == e.Period; j-- {
			if evs[j].Type == model.Foul && !c.isTechnical(&evs[j]) {
				start = j
				break
			}
			if !inTrip(&evs[j]) {
				break
			}
		}
		last := i
		for k := i + 1; k < len(evs) && evs[k].Elapsed == e.Elapsed && evs[k].Period == e.Period; k++ {
			x := &evs[k]
			if x.Type == model.FreeThrow && x.Side == e.Side && x.FTKind != model.FTTechnical {
				last = k
				if x.FTOf > 0 && x.FTNum == x.FTOf {
					break
				}
				continue
			}
			if !inTrip(x) {
				break
			}
		}
		// A missed last free throw leaves the ball live: the substitution
		// waits for the next dead ball, after the rebound and any putback
		// at the same clock (0021800001 Q3 0:45: Morris Sr.'s tip-in
		// counts for Saric, not Covington).
		if evs[last].Type == model.FreeThrow && !evs[last].Made {
			for k := last + 1; k < len(evs) && evs[k].Elapsed == e.Elapsed && evs[k].Period == e.Period &&
				evs[k].Type != model.Substitution && evs[k].Type != model.PeriodEnd && evs[k].Type != model.Timeout; k++ {
				last = k
			}
		}
		hasSub, entering := false, false
		for k := start + 1; k < last; k++ {
			if evs[k].Type != model.Substitution {
				continue
			}
			hasSub = true
			for m := k + 1; m <= last; m++ {
				if evs[m].Player == evs[k].SubIn && evs[m].Player != "" {
					entering = true
				}
			}
		}
		if !hasSub || entering {
			i = last
			continue
		}
		// stable partition of (start, last]: others first, then subs
		var keep, subs []model.Event
		for k := start + 1; k <= last; k++ {
			if evs[k].Type == model.Substitution {
				subs = append(subs, evs[k])
			} else {
				keep = append(keep, evs[k])
			}
		}
		n := copy(evs[start+1:], keep)
		copy(evs[start+1+n:], subs)
		c.note(RuleSubDuringFreeThrows, e.Period, e.EventNum, "%d substitution(s) logged between the foul and the last free throw applied after the trip", len(subs))
		i = last
	}
	return evs
}

// fixSubOrder sorts every run of consecutive substitutions at the same
// clock by event number.
func (c *Compiled) fixSubOrder(evs []model.Event) {
	for i := 0; i < len(evs); {
		if evs[i].Type != model.Substitution {
			i++
			continue
		}
		j := i + 1
		for j < len(evs) && evs[j].Type == model.Substitution && evs[j].Elapsed == evs[i].Elapsed && evs[j].Period == evs[i].Period {
			j++
		}
		run := evs[i:j]
		if !sort.SliceIsSorted(run, func(a, b int) bool { return run[a].EventNum < run[b].EventNum }) {
			sort.SliceStable(run, func(a, b int) bool { return run[a].EventNum < run[b].EventNum })
			c.note(RuleSubOrder, run[0].Period, run[0].EventNum, "%d substitutions at %s put in event-number order", len(run), run[0].Clock)
		}
		i = j
	}
}

// ftFromFacts fills FTNum/FTOf from the "Free Throw 1 of 2" the parser
// read from the text (Event.Facts), and the kind from its "Technical",
// "Flagrant", "Clear Path", when the parser left them unset (rule
// ft-k-of-n).
func ftFromFacts(e *model.Event) {
	f := e.Facts
	if f.FTOf > 0 {
		e.FTNum, e.FTOf = f.FTNum, f.FTOf
	}
	switch {
	case e.FTKind != model.FTRegular:
	case f.FTKind == model.FTTechnical:
		e.FTKind = model.FTTechnical
		if e.FTOf == 0 {
			e.FTNum, e.FTOf = 1, 1
		}
	case f.FTKind != model.FTRegular:
		e.FTKind = f.FTKind
	}
}
