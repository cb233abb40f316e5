package pbp

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/nbasim/nbasim/internal/model"
)

func TestSyntheticGamesFoldToTheirBox(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 200; seed++ {
		g, want := SyntheticGame(seed)
		c := Compile(g, nil)
		for _, pi := range c.Periods {
			for _, side := range []model.Side{model.Home, model.Away} {
				// A player without an event in a whole period (overtime)
				// is found only by the flagged fallback.
				if m := pi.Method[side]; m != "events" && m != "events+provider-starters" && m != "previous-period-end" {
					t.Fatalf("seed %d period %d %s: starters by %q: %v", seed, pi.Period, side, m, c.Reasons)
				}
				if pi.Method[side] == "previous-period-end" && !c.Degraded {
					t.Fatalf("seed %d: fallback used but the game is not marked degraded", seed)
				}
			}
		}
		got := c.Final()
		compareBoxes(t, seed, got, want)
	}
}

func compareBoxes(t *testing.T, seed uint64, got, want model.Box) {
	t.Helper()
	gl := map[model.PlayerID]model.PlayerLine{}
	for _, l := range got.Players {
		gl[l.PlayerID] = l
	}
	if len(got.Players) != len(want.Players) {
		t.Errorf("seed %d: %d player lines, want %d", seed, len(got.Players), len(want.Players))
	}
	for _, w := range want.Players {
		g, ok := gl[w.PlayerID]
		if !ok {
			t.Errorf("seed %d: player %s missing", seed, w.PlayerID)
			continue
		}
		if g.Stats != w.Stats {
			t.Errorf("seed %d: player %s:\n got %+v\nwant %+v", seed, w.PlayerID, g.Stats, w.Stats)
		}
		if g.Starter != w.Starter {
			t.Errorf("seed %d: player %s starter %v, want %v", seed, w.PlayerID, g.Starter, w.Starter)
		}
	}
	for _, p := range [][2]model.TeamLine{{got.Home, want.Home}, {got.Away, want.Away}} {
		g, w := p[0], p[1]
		g.Possessions = 0
		if g != w {
			t.Errorf("seed %d: team %s:\n got %+v\nwant %+v", seed, w.Code, g, w)
		}
	}
}

func TestSyntheticGameShape(t *testing.T) {
	t.Parallel()
	g, want := SyntheticGame(7)
	n := map[model.EventType]int{}
	for _, e := range g.Events {
		n[e.Type]++
	}
	if len(g.Events) < 350 || n[model.Substitution] < 20 || n[model.FreeThrow] < 20 || n[model.PeriodBegin] < 4 {
		t.Fatalf("unrealistic synthetic game: %d events, %v", len(g.Events), n)
	}
	if want.Home.PTS < 60 || want.Away.PTS < 60 {
		t.Fatalf("unrealistic score %d-%d", want.Home.PTS, want.Away.PTS)
	}
	t.Logf("%d events %v score %d-%d", len(g.Events), n, want.Home.PTS, want.Away.PTS)
}

// A box at any moment from a checkpoint plus a short replay equals the box
// from folding every event from the tip.
func TestBoxAtMatchesFullReplay(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 20; seed++ {
		g, _ := SyntheticGame(seed)
		c := Compile(g, nil)
		for _, at := range []model.Tenths{0, 1, 1500, 7200, 7201, 9999, 14400, 20000, 28799, 28800, 40000} {
			m := AtElapsed(at)
			got := c.BoxAt(m)
			n, tt := c.locate(m)
			var s State
			s.init(len(c.Players))
			c.fold(&s, n)
			want := c.box(&s, tt)
			if len(got.Players) != len(want.Players) {
				t.Fatalf("seed %d at %s: %d lines, want %d", seed, at, len(got.Players), len(want.Players))
			}
			for i := range got.Players {
				if got.Players[i] != want.Players[i] {
					t.Fatalf("seed %d at %s: %+v, want %+v", seed, at, got.Players[i], want.Players[i])
				}
			}
			if got.Home != want.Home || got.Away != want.Away {
				t.Fatalf("seed %d at %s: team lines differ", seed, at)
			}
		}
		// Seconds at a moment add up to five players per side.
		b := c.BoxAt(AtElapsed(1234))
		if b.Home.Seconds != 1234 || b.Away.Seconds != 1234 {
			t.Fatalf("seed %d: team seconds at 1234 = %d/%d", seed, b.Home.Seconds, b.Away.Seconds)
		}
	}
}

func TestWindowIsDifference(t *testing.T) {
	t.Parallel()
	g, _ := SyntheticGame(3)
	c := Compile(g, nil)
	w1 := c.Window(AtElapsed(0), AtElapsed(7200))
	w2 := c.Window(AtElapsed(7200), AtElapsed(c.FinalState().Elapsed))
	f := c.Final()
	var sum model.Stats
	sum.Add(w1.Home.Stats)
	sum.Add(w2.Home.Stats)
	if sum != f.Home.Stats {
		t.Fatalf("windows sum %+v, final %+v", sum, f.Home.Stats)
	}
	if w1.Home.Seconds != 7200 {
		t.Fatalf("first-half window seconds %d", w1.Home.Seconds)
	}
}

// Stints of a side cover the whole game once, their points add up to the
// final score and their possessions to the box's possessions.
func TestStintsCoverTheGame(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 30; seed++ {
		g, want := SyntheticGame(seed)
		c := Compile(g, nil)
		var dur [3]model.Tenths
		var pf, pa, posf, posa [3]int
		for _, st := range c.Stints() {
			dur[st.Side] += st.To - st.From
			pf[st.Side] += st.PtsFor
			pa[st.Side] += st.PtsAgainst
			posf[st.Side] += st.PossFor
			posa[st.Side] += st.PossAgainst
			for _, p := range st.Players {
				if p == "" {
					t.Fatalf("seed %d: stint with an empty slot: %+v", seed, st)
				}
			}
		}
		end := c.FinalState().Elapsed
		for _, side := range []model.Side{model.Home, model.Away} {
			tl := want.Home
			if side == model.Away {
				tl = want.Away
			}
			if dur[side] != end || pf[side] != tl.PTS || pa[side] != tl.PTS-tl.PlusMinus {
				t.Fatalf("seed %d %s: stints cover %s of %s, points %d-%d, want %d-%d", seed, side, dur[side], end, pf[side], pa[side], tl.PTS, tl.PTS-tl.PlusMinus)
			}
			fin := c.Final()
			own, opp := fin.Home.Possessions, fin.Away.Possessions
			if side == model.Away {
				own, opp = opp, own
			}
			if posf[side] != own || posa[side] != opp || own == 0 {
				t.Fatalf("seed %d %s: stints' possessions %d for, %d against; box %d, %d", seed, side, posf[side], posa[side], own, opp)
			}
		}
	}
}

// Bad input never panics: an empty game, events without a period, unknown
// players in substitutions.
func TestCompileOddInput(t *testing.T) {
	t.Parallel()
	for name, g := range map[string]*model.Game{
		"nil":    nil,
		"empty":  {GameID: "x"},
		"noise":  {GameID: "x", Events: []model.Event{{Type: model.Substitution, SubIn: "a"}, {Type: model.ShotMade, Player: "b", Side: model.Home, Period: 3, Clock: -5}, {Type: model.Rebound, Period: 99}}},
		"outsub": {GameID: "x", Events: []model.Event{{Type: model.PeriodBegin, Period: 1, Clock: model.RegulationPeriod}, {Type: model.Substitution, Period: 1, Side: model.Home, SubIn: "a", SubOut: "b", Clock: 100}, {Type: model.Substitution, Period: 1, Side: model.Home, SubIn: "a", SubOut: "c", Clock: 90}}},
	} {
		c := Compile(g, nil)
		_ = c.Final()
		_ = c.BoxAt(AtElapsed(100))
		_ = c.Window(BeforeElapsed(0), AtElapsed(99999))
		_ = c.Stints()
		t.Logf("%s: %d notes, degraded %v", name, len(c.Notes), c.Degraded)
	}
}

// CompileOwned compiles the caller's events in place: the same compiled
// game as Compile (events, boxes at every minute, notes), one copy of the
// events (the compiled events are the input's array) and g.Events cleared.
func TestCompileOwnedIsCompileWithoutTheCopy(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 50; seed++ {
		g, _ := SyntheticGame(seed)
		want := Compile(g, nil)
		own := *g
		own.Events = append([]model.Event(nil), g.Events...)
		first := &own.Events[0]
		got := CompileOwned(&own, nil)
		if own.Events != nil {
			t.Fatalf("seed %d: g.Events not cleared", seed)
		}
		if &got.Events[0] != first {
			t.Fatalf("seed %d: the events were copied", seed)
		}
		if !reflect.DeepEqual(got.Events, want.Events) || !reflect.DeepEqual(got.Notes, want.Notes) || !reflect.DeepEqual(got.Players, want.Players) {
			t.Fatalf("seed %d: CompileOwned and Compile differ", seed)
		}
		for at := model.Tenths(0); at <= want.FinalState().Elapsed; at += 600 {
			if a, b := got.BoxAt(AtElapsed(at)), want.BoxAt(AtElapsed(at)); !reflect.DeepEqual(a, b) {
				t.Fatalf("seed %d at %s: boxes differ", seed, at)
			}
		}
	}
}

// A compiled game without its events folds as before: every reading of a
// compiled game gives what it gave with them (a reading that still used
// Events would fail here, indexing a nil slice).
func TestReleasedEventsFoldTheSame(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 50; seed++ {
		g, _ := SyntheticGame(seed)
		want := Compile(g, nil)
		got := Compile(g, nil).ReleaseEvents()
		if got.Events != nil || got.Notes != nil {
			t.Fatalf("seed %d: events or notes kept", seed)
		}
		if got.Degraded != want.Degraded || !reflect.DeepEqual(got.Reasons, want.Reasons) {
			t.Fatalf("seed %d: degraded reasons differ", seed)
		}
		end := want.FinalState().Elapsed
		for _, c := range []struct {
			name      string
			got, want any
		}{
			{"final", got.Final(), want.Final()},
			{"events", got.NumEvents(), want.NumEvents()},
			{"stints", got.Stints(), want.Stints()},
			{"possessions", got.Possessions(), want.Possessions()},
			{"window", got.Window(BeforeElapsed(end/4), AtElapsed(end/2)), want.Window(BeforeElapsed(end/4), AtElapsed(end/2))},
			{"periods", got.PeriodWindow(2, 3), want.PeriodWindow(2, 3)},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Fatalf("seed %d: %s differs without the events", seed, c.name)
			}
		}
		for at := model.Tenths(0); at <= end; at += 600 {
			if a, b := got.BoxAt(AtElapsed(at)), want.BoxAt(AtElapsed(at)); !reflect.DeepEqual(a, b) {
				t.Fatalf("seed %d at %s: boxes differ", seed, at)
			}
		}
		for i := 0; i < len(want.Events); i += 37 {
			h1, a1 := got.LineupAt(i)
			h2, a2 := want.LineupAt(i)
			if h1 != h2 || a1 != a2 {
				t.Fatalf("seed %d: lineup after event %d differs", seed, i)
			}
		}
	}
}

// A game without its events keeps no string that points into the events'
// memory (a decoded play pack's ids are substrings of one string that
// holds every description of the game): here every player id of the feed
// is a substring of one string, and none of the ids the game keeps may be.
func TestReleasedEventsKeepNoEventMemory(t *testing.T) {
	g, _ := SyntheticGame(3)
	var b strings.Builder
	for id := range g.Players {
		b.WriteString(string(id))
	}
	roster := b.Len()
	for i := range g.Events {
		for _, id := range eventIDs(&g.Events[i]) {
			b.WriteString(string(*id))
		}
	}
	all := b.String()
	off := roster
	for i := range g.Events {
		for _, id := range eventIDs(&g.Events[i]) {
			n := len(*id)
			*id = model.PlayerID(all[off : off+n])
			off += n
		}
	}
	players := map[model.PlayerID]model.PlayerInfo{}
	for id, p := range g.Players {
		players[model.PlayerID(all[strings.Index(all, string(id)):][:len(id)])] = p
	}
	g.Players = players
	lo := uintptr(unsafe.Pointer(unsafe.StringData(all)))
	in := func(s model.PlayerID) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(string(s))))
		return s != "" && p >= lo && p < lo+uintptr(len(all))
	}
	want := Compile(g, nil).Final()
	c := CompileOwned(g, nil).ReleaseEvents()
	if !reflect.DeepEqual(c.Final(), want) {
		t.Fatal("the game with shared ids folds to another box")
	}
	for _, p := range c.Players {
		if in(p.ID) {
			t.Fatalf("player %s shares the events' memory", p.ID)
		}
	}
	for id := range c.index {
		if in(id) {
			t.Fatalf("index key %s shares the events' memory", id)
		}
	}
	for id, p := range c.Game.Players {
		if in(id) || in(p.ID) {
			t.Fatalf("game player %s shares the events' memory", id)
		}
	}
	for _, pi := range c.Periods {
		for _, side := range pi.Starters {
			for _, id := range side {
				if in(id) {
					t.Fatalf("period %d starter %s shares the events' memory", pi.Period, id)
				}
			}
		}
	}
}

// eventIDs are the player id fields of an event.
func eventIDs(e *model.Event) []*model.PlayerID {
	return []*model.PlayerID{&e.Player, &e.Assist, &e.Block, &e.Steal, &e.Fouled, &e.SubIn, &e.SubOut, &e.Jump2, &e.JumpTo}
}
