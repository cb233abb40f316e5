package sim

import (
	"fmt"
	"math"

	"github.com/nbasim/nbasim/internal/model"
)

// maxTeams bounds the teams a rating system tracks (30 franchises; NBA
// team ids are stable across relocations and renames).
const maxTeams = 40

// RatingConfig sets the team rating estimator (docs/sim.md, "Team
// ratings").
type RatingConfig struct {
	HalfLifeDays float64 // weight of a game halves every HalfLifeDays
	Prior        float64 // ridge weight (in games) pulling each team rating to 0
	// DropGarbage: the efficiencies leave out the possessions of garbage
	// time (4th quarter, 7:00 or less, margin 18 or more: benches).
	DropGarbage bool
}

// DefaultRatingConfig is the configuration the backtests report.
var DefaultRatingConfig = RatingConfig{HalfLifeDays: 75, Prior: 6, DropGarbage: true}

// ridge is a decayed, ridge-regularised least-squares system A x = b.
type ridge struct {
	n      int
	a      []float64 // data part, n*n
	b      []float64
	lambda []float64 // prior precision per coefficient
	mean   []float64 // prior mean per coefficient
}

func newRidge(n int) *ridge {
	return &ridge{n: n, a: make([]float64, n*n), b: make([]float64, n), lambda: make([]float64, n), mean: make([]float64, n)}
}

func (r *ridge) scale(f float64) {
	for i := range r.a {
		r.a[i] *= f
	}
	for i := range r.b {
		r.b[i] *= f
	}
}

// add adds one observation y = sum x[idx[k]]*val[k] with weight w.
func (r *ridge) add(idx []int, val []float64, y, w float64) {
	for i, ii := range idx {
		for j, jj := range idx {
			r.a[ii*r.n+jj] += w * val[i] * val[j]
		}
		r.b[ii] += w * val[i] * y
	}
}

// solve returns the posterior mean and the diagonal of the inverse of the
// system matrix.
func (r *ridge) solve() (x, variance []float64, err error) {
	n := r.n
	m := make([]float64, n*(n+n+1))
	w := 2*n + 1
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m[i*w+j] = r.a[i*n+j]
		}
		m[i*w+i] += r.lambda[i]
		m[i*w+n+i] = 1
		m[i*w+2*n] = r.b[i] + r.lambda[i]*r.mean[i]
	}
	// Gauss-Jordan with partial pivoting (n is small: 2*maxTeams+2)
	for col := 0; col < n; col++ {
		piv := col
		for i := col + 1; i < n; i++ {
			if math.Abs(m[i*w+col]) > math.Abs(m[piv*w+col]) {
				piv = i
			}
		}
		if math.Abs(m[piv*w+col]) < 1e-12 {
			return nil, nil, fmt.Errorf("sim: rating system is singular at coefficient %d", col)
		}
		if piv != col {
			for j := 0; j < w; j++ {
				m[col*w+j], m[piv*w+j] = m[piv*w+j], m[col*w+j]
			}
		}
		d := m[col*w+col]
		for j := 0; j < w; j++ {
			m[col*w+j] /= d
		}
		for i := 0; i < n; i++ {
			if i == col || m[i*w+col] == 0 {
				continue
			}
			f := m[i*w+col]
			for j := 0; j < w; j++ {
				m[i*w+j] -= f * m[col*w+j]
			}
		}
	}
	x = make([]float64, n)
	variance = make([]float64, n)
	for i := 0; i < n; i++ {
		x[i] = m[i*w+2*n]
		variance[i] = m[i*w+n+i]
	}
	return x, variance, nil
}

// teamRatings estimates per-team offense, defense and pace, a league mean
// and a home-court effect, from games before a date.
type teamRatings struct {
	cfg    RatingConfig
	teams  map[string]int
	eff    *ridge // [mu, home, O_1..O_T, D_1..D_T], points per 100 possessions
	pace   *ridge // [pi, P_1..P_T], possessions per 48 minutes
	games  []float64
	lastDn int // day number of the last decay
	// played is the day number of each team's latest game: a team that
	// played the day before is on the second night of a back-to-back.
	played map[string]int
}

// Coefficients of the efficiency system before the team ratings.
const (
	effMu = iota
	effHome
	effB2BOff // own offense on the second night of a back-to-back
	effB2BDef // opponent's offense when the defense is on a back-to-back
	effTeams
)

func newTeamRatings(cfg RatingConfig) *teamRatings {
	t := &teamRatings{cfg: cfg, teams: map[string]int{}, eff: newRidge(effTeams + 2*maxTeams), pace: newRidge(1 + maxTeams), games: make([]float64, maxTeams), lastDn: -1,
		played: map[string]int{}}
	t.eff.lambda[effMu], t.eff.mean[effMu] = 1e-3, 108
	t.eff.lambda[effHome], t.eff.mean[effHome] = 0.05, 3
	t.eff.lambda[effB2BOff], t.eff.lambda[effB2BDef] = 1, 1
	for i := effTeams; i < t.eff.n; i++ {
		t.eff.lambda[i] = cfg.Prior
	}
	t.pace.lambda[0], t.pace.mean[0] = 1e-3, 98
	for i := 1; i < t.pace.n; i++ {
		t.pace.lambda[i] = cfg.Prior
	}
	return t
}

func (t *teamRatings) team(id string) int {
	if i, ok := t.teams[id]; ok {
		return i
	}
	if len(t.teams) >= maxTeams {
		return -1
	}
	i := len(t.teams)
	t.teams[id] = i
	return i
}

// decayTo ages the data to day number dn.
func (t *teamRatings) decayTo(dn int) {
	if t.lastDn >= 0 && dn > t.lastDn {
		f := math.Pow(0.5, float64(dn-t.lastDn)/t.cfg.HalfLifeDays)
		t.eff.scale(f)
		t.pace.scale(f)
		for i := range t.games {
			t.games[i] *= f
		}
	}
	if dn > t.lastDn {
		t.lastDn = dn
	}
}

// b2b is 1 when team played on day dn-1.
func (t *teamRatings) b2b(team string, dn int) float64 {
	if d, ok := t.played[team]; ok && d == dn-1 {
		return 1
	}
	return 0
}

// add adds a finished game of day dn (the caller has aged the data to it;
// neutral: played at a neutral site).
func (t *teamRatings) add(g *Game, dn int, neutral bool) {
	rh, ra := t.b2b(g.HomeID, dn), t.b2b(g.AwayID, dn)
	t.played[g.HomeID], t.played[g.AwayID] = dn, dn
	h, a := t.team(g.HomeID), t.team(g.AwayID)
	if h < 0 || a < 0 {
		return
	}
	poss := float64(g.PossHome+g.PossAway) / 2
	if poss <= 0 {
		return
	}
	hp, ap, ep := float64(g.HomePts), float64(g.AwayPts), poss
	if t.cfg.DropGarbage {
		var pts, n [3]float64
		for i := range g.Poss {
			p := &g.Poss[i]
			if Classify(int(p.Period), p.Clock, int(p.Margin)) == Garbage {
				continue
			}
			pts[p.Off] += float64(p.Pts)
			n[p.Off]++
		}
		if m := (n[model.Home] + n[model.Away]) / 2; m > 0 {
			hp, ap, ep = pts[model.Home], pts[model.Away], m
		}
	}
	hc := 0.5
	if neutral {
		hc = 0
	}
	T := maxTeams
	w := ep / 100
	t.eff.add([]int{effMu, effHome, effB2BOff, effB2BDef, effTeams + h, effTeams + T + a}, []float64{1, hc, rh, ra, 1, 1}, 100*hp/ep, w)
	t.eff.add([]int{effMu, effHome, effB2BOff, effB2BDef, effTeams + a, effTeams + T + h}, []float64{1, -hc, ra, rh, 1, 1}, 100*ap/ep, w)
	t.pace.add([]int{0, 1 + h, 1 + a}, []float64{1, 1, 1}, poss*2880/g.Seconds, 1)
	t.games[h]++
	t.games[a]++
}

// TeamRating is one team's estimate before a date.
type TeamRating struct {
	Offense float64 `json:"offense_per_100"` // points per 100 possessions above the league
	Defense float64 `json:"defense_per_100"` // points allowed per 100 above the league (lower is better)
	Pace    float64 `json:"pace_per_48"`     // possessions per 48 minutes above the league
	Games   float64 `json:"games_weighted"`  // decayed games behind the estimate
	SD      float64 `json:"net_sd_per_100"`  // posterior standard deviation of offense minus defense
}

// Ratings is a snapshot of the team ratings.
type Ratings struct {
	Mean float64 `json:"league_points_per_100"`
	Home float64 `json:"home_points_per_100"` // home minus away efficiency at equal strength
	Pace float64 `json:"league_pace_per_48"`
	// B2BOffense and B2BDefense: points per 100 a team's offense gains and
	// its opponent's offense gains when the team played the day before.
	B2BOffense float64               `json:"b2b_offense_per_100"`
	B2BDefense float64               `json:"b2b_defense_per_100"`
	Teams      map[string]TeamRating `json:"teams"`
	played     map[string]int
}

func (t *teamRatings) snapshot() (Ratings, error) {
	x, v, err := t.eff.solve()
	if err != nil {
		return Ratings{}, err
	}
	p, _, err := t.pace.solve()
	if err != nil {
		return Ratings{}, err
	}
	T := maxTeams
	r := Ratings{Mean: x[effMu], Home: x[effHome], B2BOffense: x[effB2BOff], B2BDefense: x[effB2BDef], Pace: p[0],
		Teams: make(map[string]TeamRating, len(t.teams)), played: make(map[string]int, len(t.played))}
	for k, v := range t.played {
		r.played[k] = v
	}
	// residual variance of one per-100 observation: about 11^2 at w=1
	for id, i := range t.teams {
		r.Teams[id] = TeamRating{Offense: x[effTeams+i], Defense: x[effTeams+T+i], Pace: p[1+i], Games: t.games[i],
			SD: 11 * math.Sqrt(v[effTeams+i]+v[effTeams+T+i])}
	}
	return r, nil
}
