package pbp

import (
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

// FuzzCompile mutates a synthetic game's events (types, sides, players,
// periods, clocks, order) and checks that compiling, folding and asking for
// boxes never panics and keeps lineups at five or fewer.
func FuzzCompile(f *testing.F) {
	f.Add(uint64(1), []byte{0, 1, 2, 3})
	f.Add(uint64(2), []byte{255, 17, 4, 99, 3, 3, 3})
	f.Add(uint64(3), []byte{})
	f.Fuzz(func(t *testing.T, seed uint64, ops []byte) {
		g, _ := SyntheticGame(seed % 50)
		evs := g.Events
		for i := 0; i+2 < len(ops); i += 3 {
			k := int(ops[i+1]) * len(evs) / 256
			if k >= len(evs) {
				continue
			}
			e := &evs[k]
			v := ops[i+2]
			switch ops[i] % 9 {
			case 0:
				e.Type = model.EventType(v % 20)
			case 1:
				e.Side = model.Side(v % 4)
			case 2:
				e.Period = int(v%8) - 1
			case 3:
				e.Clock = model.Tenths(int(v)*30 - 500)
			case 4:
				e.Player, e.SubIn = e.SubIn, e.Player
			case 5:
				j := int(v) * len(evs) / 256
				evs[k], evs[j] = evs[j], evs[k]
			case 6:
				evs = append(evs[:k], evs[k+1:]...)
			case 7:
				evs = append(evs, *e)
			case 8:
				e.Team = !e.Team
				e.Points = int8(v % 5)
			}
		}
		g.Events = evs
		c := Compile(g, nil)
		b := c.Final()
		_ = c.BoxAt(AtElapsed(model.Tenths(ops0(ops)) * 100))
		_ = c.Window(BeforeElapsed(100), AtElapsed(20000))
		_ = c.Stints()
		var s State
		c.StateAt(&s, AtElapsed(15000))
		for _, side := range []model.Side{model.Home, model.Away} {
			seen := map[int16]bool{}
			for _, p := range s.On[side] {
				if p >= 0 && seen[p] {
					t.Fatalf("player %d twice on the court", p)
				}
				seen[p] = true
			}
		}
		_ = b
	})
}

func ops0(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return int(b[0])
}
