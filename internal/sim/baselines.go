package sim

import (
	"math"
)

// Elo is the FiveThirtyEight-style NBA Elo baseline: K=20, home advantage
// 100 points, a margin-of-victory multiplier, and 3/4 of a rating carried
// over to the next season (the rest reverts to 1505).
type Elo struct {
	K, HomeAdv, CarryOver, Mean float64
	rating                      map[string]float64
	season                      map[string]string // season of each team's last game
}

// NewElo returns the baseline with FiveThirtyEight's constants.
func NewElo() *Elo {
	return &Elo{K: 20, HomeAdv: 100, CarryOver: 0.75, Mean: 1505, rating: map[string]float64{}, season: map[string]string{}}
}

func (e *Elo) get(team, season string) float64 {
	r, ok := e.rating[team]
	if !ok {
		r = 1500
	}
	if s, ok := e.season[team]; ok && s != season {
		r = e.CarryOver*r + (1-e.CarryOver)*e.Mean
		e.rating[team] = r
	}
	e.season[team] = season
	return r
}

// Prob returns the home team's win probability.
func (e *Elo) Prob(home, away, season string) float64 {
	d := e.get(home, season) + e.HomeAdv - e.get(away, season)
	return 1 / (1 + math.Pow(10, -d/400))
}

// Update adds a finished game.
func (e *Elo) Update(g *Game) {
	rh, ra := e.get(g.HomeID, g.Season), e.get(g.AwayID, g.Season)
	d := rh + e.HomeAdv - ra
	p := 1 / (1 + math.Pow(10, -d/400))
	mov := float64(g.HomePts - g.AwayPts)
	s := 0.0
	winDiff := -d
	if mov > 0 {
		s = 1
		winDiff = d
	}
	mult := math.Pow(math.Abs(mov)+3, 0.8) / (7.5 + 0.006*winDiff)
	delta := e.K * mult * (s - p)
	e.rating[g.HomeID] = rh + delta
	e.rating[g.AwayID] = ra - delta
}

// HomeRate is the "home team always" baseline: it predicts the home team
// with the home teams' historical win rate (games before the date).
type HomeRate struct{ wins, games float64 }

// Prob returns the historical home win rate (0.6 before any game).
func (h *HomeRate) Prob() float64 {
	if h.games == 0 {
		return 0.6
	}
	return (h.wins + 6) / (h.games + 10)
}

// Update adds a finished game.
func (h *HomeRate) Update(g *Game) {
	h.games++
	if g.HomePts > g.AwayPts {
		h.wins++
	}
}

// Logistic is the in-game baseline: P(home wins) = logistic(b0 + b1*m +
// b2*m/sqrt(t+1)) with m the home margin and t the minutes left,
// fitted by Newton's method on the states of earlier games at the
// backtest moments.
type Logistic struct {
	X    [][3]float64
	Y    []float64
	Beta [3]float64
}

func logisticFeatures(st Start) [3]float64 {
	m := float64(st.Home - st.Away)
	t := minutesLeft(st)
	return [3]float64{1, m, m / math.Sqrt(t+1)}
}

// minutesLeft is regulation time left (overtime counts its own clock).
func minutesLeft(st Start) float64 {
	if st.Period > 4 {
		return st.Clock.Seconds() / 60
	}
	return (float64(4-st.Period)*720 + st.Clock.Seconds()) / 60
}

// Add records a finished game's states.
func (l *Logistic) Add(g *Game) {
	y := 0.0
	if g.HomePts > g.AwayPts {
		y = 1
	}
	for _, st := range g.Starts {
		l.X = append(l.X, logisticFeatures(st))
		l.Y = append(l.Y, y)
	}
}

// Fit refits the coefficients on everything added so far.
func (l *Logistic) Fit() {
	if len(l.Y) < 30 {
		return
	}
	b := l.Beta
	for it := 0; it < 25; it++ {
		var g [3]float64
		var h [3][3]float64
		for i, x := range l.X {
			z := b[0]*x[0] + b[1]*x[1] + b[2]*x[2]
			p := 1 / (1 + math.Exp(-z))
			w := p * (1 - p)
			for a := 0; a < 3; a++ {
				g[a] += (l.Y[i] - p) * x[a]
				for c := 0; c < 3; c++ {
					h[a][c] += w * x[a] * x[c]
				}
			}
		}
		for a := 0; a < 3; a++ {
			h[a][a] += 1e-6
		}
		step, ok := solve3(h, g)
		if !ok {
			return
		}
		maxStep := 0.0
		for a := 0; a < 3; a++ {
			b[a] += step[a]
			maxStep = math.Max(maxStep, math.Abs(step[a]))
		}
		if maxStep < 1e-9 {
			break
		}
	}
	l.Beta = b
}

// Prob returns the home team's win probability at st.
func (l *Logistic) Prob(st Start) float64 {
	if st.Period >= 4 && st.Clock == 0 && st.Home != st.Away {
		if st.Home > st.Away {
			return 1
		}
		return 0
	}
	x := logisticFeatures(st)
	return 1 / (1 + math.Exp(-(l.Beta[0]*x[0] + l.Beta[1]*x[1] + l.Beta[2]*x[2])))
}

func solve3(a [3][3]float64, b [3]float64) ([3]float64, bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(a)
	if math.Abs(d) < 1e-300 {
		return [3]float64{}, false
	}
	var x [3]float64
	for c := 0; c < 3; c++ {
		m := a
		for r := 0; r < 3; r++ {
			m[r][c] = b[r]
		}
		x[c] = det(m) / d
	}
	return x, true
}
