package sim

import "math"

// The availability model (PlayerConfig.Availability; docs/sim.md,
// "Availability"): whether a player on a team's list plays its next game
// is predicted from the team's earlier games only. A player who played
// the team's last game plays its next one nine times in ten; one who
// missed the last five has a long injury or left the rotation. The
// probability is a decayed frequency over every earlier team game of the
// store, by the player's state before that game.

// availMaxMiss caps the run of missed team games the model tells apart.
const availMaxMiss = 12

// availRoles: a player's role by his usual share when he plays (share 5:
// the whole game), at least 2.9 (28 minutes), at least 1.5 (14 minutes),
// less.
const availRoles = 3

// availCtx: the game's context for the player: his last game was short
// (he played less than availShort of his usual share: hurt, or in foul
// trouble), the team plays on the second night of a back-to-back (stars
// rest), both, neither.
const availCtx = 4

// availShort: a last game below this fraction of the usual share is short.
const availShort = 0.6

// availKeys: (seen this season, missed run, role, context).
const availKeys = 2 * (availMaxMiss + 1) * availRoles * availCtx

// availHalfLifeDays: the counts' weight halves every year (resting
// patterns drift).
const availHalfLifeDays = 365

// availEntry is a player's state on a team's list.
type availEntry struct {
	play float64 // usual share of the team's minutes when he plays (5: all of them)
	miss int     // team games missed since his last game for the team (this season)
	seen bool    // he has played for the team this season
	// short: his latest game for the team was below availShort of his
	// usual share
	short bool
}

// key is the entry's cell of the counts before a game (b2b: the team
// played the day before).
func (e *availEntry) key(b2b bool) int {
	k := 0
	if e.seen {
		k = 1
	}
	k = k*(availMaxMiss+1) + min(e.miss, availMaxMiss)
	role := 2
	switch {
	case e.play >= 2.9:
		role = 0
	case e.play >= 1.5:
		role = 1
	}
	ctx := 0
	if e.short {
		ctx = 1
	}
	if b2b {
		ctx += 2
	}
	return (k*availRoles+role)*availCtx + ctx
}

// availCounts are the decayed counts of team games by state before the
// game: players in the state, and those of them who played.
type availCounts struct {
	n, y   []float64
	lastDn int
}

func newAvailCounts() availCounts {
	return availCounts{n: make([]float64, availKeys), y: make([]float64, availKeys), lastDn: -1}
}

func (c *availCounts) decayTo(dn int) {
	if c.lastDn >= 0 && dn > c.lastDn {
		f := math.Exp2(-float64(dn-c.lastDn) / availHalfLifeDays)
		for i := range c.n {
			c.n[i] *= f
			c.y[i] *= f
		}
	}
	if dn > c.lastDn {
		c.lastDn = dn
	}
}

// prob is the probability that a player in state key plays the team's
// next game: the decayed frequency, shrunk with 10 games toward 0.9 for a
// player who played the last game and 0.3 otherwise.
func (c *availCounts) prob(key int) float64 {
	p0 := 0.3
	if (key/availRoles/availCtx)%(availMaxMiss+1) == 0 {
		p0 = 0.9
	}
	const k = 10
	return (c.y[key] + k*p0) / (c.n[key] + k)
}

// addAvailability folds a team's game (day dn of season; played: who
// played for it, secs: their seconds on the court of total) into the
// availability counts and the team's list. A team's first game of a
// season starts it: every player on its list is "not seen this season"
// until he plays for it (the season of a game is known before it; the
// 2019-20 restart after 4.5 months is not a new season).
func (r *playerRatings) addAvailability(team, season string, played map[int32]bool, secs map[int32]float64, total float64, dn int) {
	list := r.av[team]
	if list == nil {
		list = map[int32]*availEntry{}
		r.av[team] = list
	}
	if prev, ok := r.teamSeason[team]; ok && prev != season {
		// a new season: who did not play for the team the whole last
		// season leaves its list
		for pl, e := range list {
			if !e.seen {
				delete(list, pl)
				continue
			}
			e.seen, e.miss = false, 0
		}
	}
	last, ok := r.teamLast[team]
	b2b := ok && last == dn-1
	r.teamLast[team] = dn
	r.teamSeason[team] = season
	r.avail.decayTo(dn)
	for pl, e := range list {
		k := e.key(b2b)
		r.avail.n[k]++
		if played[pl] {
			r.avail.y[k]++
		}
	}
	for pl := range played {
		s := 0.0
		if total > 0 {
			s = 5 * secs[pl] / total
		}
		e := list[pl]
		if e == nil {
			e = &availEntry{play: s}
			list[pl] = e
			// he left any other team's list
			for t2, l2 := range r.av {
				if t2 != team {
					delete(l2, pl)
				}
			}
		} else {
			e.short = s < availShort*e.play
			d := r.cfg.AvailDecay
			e.play = d*e.play + (1-d)*s
		}
		e.miss, e.seen = 0, true
	}
	for pl, e := range list {
		if !played[pl] {
			e.miss++
			if e.miss > 82 {
				delete(list, pl)
			}
		}
	}
}

// expectedShares is each listed player's expected share of the team's
// next game, on day dn: his usual share when he plays times the
// probability that he plays.
func (r *playerRatings) expectedShares(team string, dn int) map[int32]float64 {
	out := map[int32]float64{}
	last, ok := r.teamLast[team]
	b2b := ok && last == dn-1
	for pl, e := range r.av[team] {
		if v := e.play * r.avail.prob(e.key(b2b)); v >= 0.01 {
			out[pl] = v
		}
	}
	return out
}
