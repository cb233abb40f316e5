package pbp

import "github.com/nbasim/nbasim/internal/model"

// Possession is one possession of a compiled game: the offense, when it
// began and ended (elapsed game time), and the points the offense scored.
type Possession struct {
	Number   int        // 1-based, in game order
	Offense  model.Side // the team that had the ball
	Period   int
	From, To model.Tenths // elapsed
	Points   int
	EndEvent int // EVENTNUM of the event that ended it
}

// Possessions lists the game's possessions as the engine counts them
// (docs/pbp-engine.md, "Possessions"): each ends with the event the
// engine marks as its end; the next one begins there. Their count per
// side equals the box's TeamLine.Possessions.
func (c *Compiled) Possessions() []Possession {
	out := make([]Possession, 0, 220)
	var score [3]int
	start := model.Tenths(0)
	startScore := [3]int{}
	period := 0
	for i := range c.ev {
		e := &c.ev[i]
		if int(e.period) != period {
			period = int(e.period)
			if i > 0 {
				start = e.elapsed
				startScore = score
			}
		}
		if e.pts != 0 && e.side <= model.Away {
			score[e.side] += int(e.pts)
		}
		if e.possEnd == model.NoSide {
			continue
		}
		s := e.possEnd
		out = append(out, Possession{Number: len(out) + 1, Offense: s, Period: int(e.period), From: start, To: e.elapsed,
			Points: score[s] - startScore[s], EndEvent: int(e.num)})
		start = e.elapsed
		startScore = score
	}
	return out
}
