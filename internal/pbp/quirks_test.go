package pbp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

// A small game for the quirk rules: five starters a side (Starter set in
// the roster), period 1 only unless a case adds more.
func quirkGame(events ...model.Event) *model.Game {
	g := &model.Game{GameID: "0029900001", Players: map[model.PlayerID]model.PlayerInfo{}}
	for _, p := range []string{"h1", "h2", "h3", "h4", "h5", "h6"} {
		g.Players[model.PlayerID(p)] = model.PlayerInfo{ID: model.PlayerID(p), Name: p, Side: model.Home, Starter: p != "h6"}
	}
	for _, p := range []string{"a1", "a2", "a3", "a4", "a5", "a6"} {
		g.Players[model.PlayerID(p)] = model.PlayerInfo{ID: model.PlayerID(p), Name: p, Side: model.Away, Starter: p != "a6"}
	}
	g.Events = events
	for i := range g.Events {
		e := &g.Events[i]
		if e.Elapsed == 0 && e.Period >= 1 {
			e.Elapsed = model.Elapsed(e.Period, e.Clock)
		}
		e.ScoreHome, e.ScoreAway = -1, -1
	}
	return g
}

// ev builds an event of period 1 at clock (tenths remaining).
func ev(num int, clock model.Tenths, typ model.EventType, side model.Side, player string) model.Event {
	return model.Event{EventNum: num, Period: 1, Clock: clock, Type: typ, Side: side, Player: model.PlayerID(player)}
}

func begin(num, period int) model.Event {
	return model.Event{EventNum: num, Period: period, Clock: model.PeriodLength(period), Type: model.PeriodBegin}
}

func end(num, period int) model.Event {
	return model.Event{EventNum: num, Period: period, Clock: 0, Type: model.PeriodEnd}
}

func made(num int, clock model.Tenths, side model.Side, player string, pts int8) model.Event {
	e := ev(num, clock, model.ShotMade, side, player)
	e.Made, e.Points = true, pts
	return e
}

func ft(num int, clock model.Tenths, side model.Side, player string, ok bool, k, n int) model.Event {
	e := ev(num, clock, model.FreeThrow, side, player)
	e.Made, e.FTNum, e.FTOf = ok, k, n
	if ok {
		e.Points = 1
	}
	return e
}

func subst(num int, clock model.Tenths, side model.Side, in, out string) model.Event {
	e := ev(num, clock, model.Substitution, side, "")
	e.SubIn, e.SubOut = model.PlayerID(in), model.PlayerID(out)
	return e
}

func line(t *testing.T, c *Compiled, id string) model.PlayerLine {
	t.Helper()
	for _, p := range c.Final().Players {
		if p.PlayerID == model.PlayerID(id) {
			return p
		}
	}
	t.Fatalf("no line for %s", id)
	return model.PlayerLine{}
}

func indexOf(c *Compiled, num int) int {
	for i, e := range c.Events {
		if e.EventNum == num {
			return i
		}
	}
	return -1
}

// TestQuirkRules gives every rule of Rules() a game that needs it and
// asserts what the rule achieves (not merely its note), so that each case
// fails when its rule is switched off (scripts/rulecheck.sh does so).
func TestQuirkRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule  string
		game  *model.Game
		check func(t *testing.T, c *Compiled)
	}{
		{RuleBadSide, quirkGame(begin(1, 1), func() model.Event { e := made(2, 7000, model.Home, "h1", 2); e.Side = 7; return e }(), end(3, 1)),
			func(t *testing.T, c *Compiled) {
				if s := c.Events[indexOf(c, 2)].Side; s != model.NoSide {
					t.Errorf("side %d kept", s)
				}
			}},
		{RulePeriodOutOfRange, quirkGame(begin(1, 1), made(2, 7000, model.Home, "h1", 2), func() model.Event { e := made(3, 6000, model.Home, "h1", 2); e.Period = 20; return e }(), end(4, 1)),
			func(t *testing.T, c *Compiled) {
				if indexOf(c, 3) >= 0 {
					t.Error("the period-20 event was kept")
				}
			}},
		{RuleDuplicateRow, quirkGame(begin(1, 1), made(2, 7000, model.Home, "h1", 2), made(2, 7000, model.Home, "h1", 2), end(3, 1)),
			func(t *testing.T, c *Compiled) {
				if pts := line(t, c, "h1").PTS; pts != 2 {
					t.Errorf("h1 PTS %d, want 2 (the repeated row counted)", pts)
				}
			}},
		{RuleFTKofN, quirkGame(begin(1, 1), func() model.Event {
			e := ft(2, 7000, model.Home, "h1", true, 0, 0)
			e.Description = "Free Throw 1 of 2"
			e.Facts = model.TextFacts{FTNum: 1, FTOf: 2} // as the parser reads it
			return e
		}(), end(3, 1)),
			func(t *testing.T, c *Compiled) {
				if e := c.Events[indexOf(c, 2)]; e.FTNum != 1 || e.FTOf != 2 {
					t.Errorf("free throw %d of %d, want 1 of 2", e.FTNum, e.FTOf)
				}
			}},
		{RuleElapsedFromClock, quirkGame(begin(1, 1), func() model.Event { e := made(2, 7000, model.Home, "h1", 2); e.Elapsed = 5; return e }(), end(3, 1)),
			func(t *testing.T, c *Compiled) {
				if got, want := c.Events[indexOf(c, 2)].Elapsed, model.Elapsed(1, 7000); got != want {
					t.Errorf("elapsed %s, want %s", got, want)
				}
			}},
		{RulePeriodOrder, quirkGame(begin(1, 1), made(2, 7000, model.Home, "h1", 2), end(3, 1), begin(4, 2),
			func() model.Event { e := made(5, 100, model.Home, "h1", 2); return e }(), // period 1 among period 2's rows
			made(6, 6000, model.Home, "h2", 2), end(7, 2)),
			func(t *testing.T, c *Compiled) {
				if i, j := indexOf(c, 5), indexOf(c, 4); i > j {
					t.Errorf("period-1 event at %d after the period-2 start at %d", i, j)
				}
			}},
		{RuleEventBeforePeriodStart, quirkGame(begin(1, 1), end(2, 1),
			func() model.Event {
				e := ft(3, model.RegulationPeriod, model.Home, "h1", true, 1, 1)
				e.Period = 2
				e.FTKind = model.FTTechnical
				return e
			}(),
			begin(4, 2), made(5, 6000, model.Home, "h2", 2), end(6, 2)),
			func(t *testing.T, c *Compiled) {
				if i, j := indexOf(c, 4), indexOf(c, 3); i > j {
					t.Errorf("period start at %d after the technical free throw at %d", i, j)
				}
			}},
		{RuleMissingPeriodBoundary, quirkGame(made(2, 7000, model.Home, "h1", 2)),
			func(t *testing.T, c *Compiled) {
				var b, e int
				for _, x := range c.Events {
					switch x.Type {
					case model.PeriodBegin:
						b++
					case model.PeriodEnd:
						e++
					}
				}
				if b != 1 || e != 1 {
					t.Errorf("%d period starts and %d ends, want 1 and 1", b, e)
				}
			}},
		{RuleReboundBeforeMiss, quirkGame(begin(1, 1),
			func() model.Event { e := ev(2, 7000, model.Rebound, model.Away, "a1"); return e }(),
			ev(3, 7000, model.ShotMissed, model.Home, "h1"), end(4, 1)),
			func(t *testing.T, c *Compiled) {
				if l := line(t, c, "a1"); l.DREB != 1 || indexOf(c, 2) < indexOf(c, 3) {
					t.Errorf("a1 DREB %d, rebound at %d, miss at %d", l.DREB, indexOf(c, 2), indexOf(c, 3))
				}
			}},
		{RuleSubBetweenFTAndRebound, quirkGame(begin(1, 1), ft(2, 7000, model.Home, "h1", false, 1, 1),
			subst(3, 7000, model.Away, "a6", "a1"), ev(4, 7000, model.Rebound, model.Away, "a1"), end(5, 1)),
			func(t *testing.T, c *Compiled) {
				if indexOf(c, 4) != indexOf(c, 2)+1 {
					t.Errorf("rebound at %d, not right after the free throw at %d", indexOf(c, 4), indexOf(c, 2))
				}
			}},
		{RuleSubDuringFreeThrows, quirkGame(begin(1, 1),
			func() model.Event {
				e := ev(2, 7000, model.Foul, model.Away, "a1")
				e.Foul = model.FoulShooting
				e.Fouled = "h1"
				return e
			}(),
			ft(3, 7000, model.Home, "h1", true, 1, 2), subst(4, 7000, model.Home, "h6", "h2"),
			ft(5, 7000, model.Home, "h1", true, 2, 2), end(6, 1)),
			func(t *testing.T, c *Compiled) {
				// h2 was on the court at the foul: both points count for him
				if pm := line(t, c, "h2").PlusMinus; pm != 2 {
					t.Errorf("h2 plus-minus %d, want 2", pm)
				}
			}},
		{RuleSubOrder, quirkGame(begin(1, 1), made(2, 7000, model.Home, "h1", 2),
			subst(6, 6000, model.Home, "h2", "h6"), subst(5, 6000, model.Home, "h6", "h2"), end(7, 1)),
			func(t *testing.T, c *Compiled) {
				if i, j := indexOf(c, 5), indexOf(c, 6); i > j {
					t.Errorf("sub 5 at %d after sub 6 at %d", i, j)
				}
			}},
		{RuleClockBackwards, quirkGame(begin(1, 1), made(2, 6000, model.Home, "h1", 2), made(3, 6500, model.Home, "h2", 2), end(4, 1)),
			func(t *testing.T, c *Compiled) {
				if a, b := c.Events[indexOf(c, 2)].Elapsed, c.Events[indexOf(c, 3)].Elapsed; b < a {
					t.Errorf("elapsed runs back from %s to %s", a, b)
				}
			}},
		{RuleTechnicalByName, quirkGame(begin(1, 1), func() model.Event {
			e := ev(2, 7000, model.Foul, model.Home, "h1")
			e.Foul, e.Description = model.FoulOther, "Non-Unsportsmanlike Tech Foul - Flopping"
			e.Facts = model.TextFacts{TechnicalName: true}
			return e
		}(), end(3, 1)),
			func(t *testing.T, c *Compiled) {
				if pf := line(t, c, "h1").PF; pf != 0 {
					t.Errorf("h1 PF %d, want 0 (a technical)", pf)
				}
			}},
		{RuleReboundTally, quirkGame(begin(1, 1), ev(2, 7000, model.ShotMissed, model.Away, "a1"),
			// the row order says defensive (the away team missed); the
			// tally says Brown's offensive count went up
			func() model.Event {
				e := ev(3, 7000, model.Rebound, model.Home, "h1")
				e.Description = "Brown REBOUND (Off:1 Def:0)"
				e.Facts = model.TextFacts{ReboundTally: true, RebOff: 1}
				return e
			}(), end(4, 1)),
			func(t *testing.T, c *Compiled) {
				if l := line(t, c, "h1"); l.OREB != 1 || l.DREB != 0 {
					t.Errorf("h1 OREB %d DREB %d, want 1 and 0", l.OREB, l.DREB)
				}
			}},
		{RuleFTUnmarkedMiss, func() *model.Game {
			// 0021400072 event 610: "Free Throw 2 of 2", no shooter's name, no
			// points, no score; the other team rebounds
			g := quirkGame(begin(1, 1), ft(2, 360, model.Away, "a1", true, 1, 2), ft(3, 360, model.Away, "a1", true, 2, 2),
				ev(4, 360, model.Rebound, model.Home, ""), end(5, 1))
			g.Provider = "nba_stats/playbyplayv2"
			g.Events[1].Description, g.Events[1].ScoreAway, g.Events[1].ScoreHome = "LaVine Free Throw 1 of 2 (3 PTS)", 1, 0
			g.Events[2].Description, g.Events[2].ScoreAway, g.Events[2].ScoreHome = "Free Throw 2 of 2", 1, 0
			g.Events[1].Facts = model.TextFacts{FTNum: 1, FTOf: 2}
			g.Events[2].Facts = model.TextFacts{FTNum: 2, FTOf: 2, FTUnmarked: true}
			return g
		}(),
			func(t *testing.T, c *Compiled) {
				if l := line(t, c, "a1"); l.FTM != 1 || l.FTA != 2 || l.PTS != 1 {
					t.Errorf("a1 FTM %d FTA %d PTS %d, want 1, 2, 1", l.FTM, l.FTA, l.PTS)
				}
			}},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.rule] = true
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			tc.check(t, Compile(tc.game, nil))
		})
	}
	for _, r := range Rules() {
		if !seen[r] {
			t.Errorf("rule %s has no case", r)
		}
	}
}

// TestRulesTableMatchesCode checks that docs/pbp-model.md's table of quirk
// rules lists exactly the rules in code.
func TestRulesTableMatchesCode(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "pbp-model.md"))
	if err != nil {
		t.Fatal(err)
	}
	var doc []string
	in := false
	for _, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, "| rule |"):
			in = true
		case in && !strings.HasPrefix(l, "|"):
			in = false
		case in && strings.HasPrefix(l, "| `"):
			doc = append(doc, strings.Trim(strings.Split(l, "|")[1], " `"))
		}
	}
	code := Rules()
	slices.Sort(doc)
	slices.Sort(code)
	if !slices.Equal(doc, code) {
		t.Fatalf("docs/pbp-model.md lists rules %v; the code has %v", doc, code)
	}
}
