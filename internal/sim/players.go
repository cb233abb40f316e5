package sim

import (
	"github.com/nbasim/nbasim/internal/model"
	"math"
	"sort"
)

// PlayerConfig sets the player ratings (regularised adjusted plus-minus,
// RAPM) and the expected lineups built from who really played in each
// team's earlier games (docs/sim.md, "Player ratings and availability").
type PlayerConfig struct {
	// HalfLifeDays: the weight of a stint halves every HalfLifeDays.
	HalfLifeDays float64
	// Prior: ridge weight, in possessions, pulling each player's rating
	// to PriorMean.
	Prior float64
	// PriorMean: points per 100 possessions a player with no data is
	// worth against an average player (new players are below average).
	PriorMean float64
	// ShareDecay: each team game, a player's expected share of the
	// team's minutes moves (1-ShareDecay) of the way to his share in that
	// game (0 when he did not play).
	ShareDecay float64
	// SolveEveryDays: ratings are re-solved when the model is this many
	// days older than the last solve (shares are always current).
	SolveEveryDays int
	// KeepGarbage: possessions of garbage time (4th quarter, 7:00 or
	// less, margin 18 or more) count in the ratings (benches decide them).
	KeepGarbage bool
	// BoxPrior: each player's rating is pulled toward a box-score
	// estimate (a regression, refitted at every solve, of the ratings on
	// his per-36-minute box-score rates and minutes per game) in place
	// of PriorMean.
	BoxPrior bool
	// BoxPriorSeconds: a player's box-score rates are shrunk toward the
	// league's with this many seconds of league-average play.
	BoxPriorSeconds float64
	// BoxPriorScaled: BoxPriorSeconds and the minutes-per-game shrinkage
	// are on the scale of the decayed weights (multiplied by the weights'
	// growth at each solve), so they shrink alike in every season.
	BoxPriorScaled bool
	// Availability: a player's expected share is his usual share when he
	// plays (an exponential average over the team's games he played, with
	// AvailDecay) times the probability that he plays, estimated from the
	// earlier games by his run of missed team games, his role and whether
	// he has played for the team this season (docs/sim.md, "Availability").
	// Off: the single exponential average with ShareDecay.
	Availability bool
	// AvailDecay: each game he plays, a player's usual share moves
	// (1-AvailDecay) of the way to his share in that game.
	AvailDecay float64
	// ReplacementFill: with Availability, the minutes the expected
	// shares leave empty (they sum to less than a whole game when
	// players are likely out) go to players of rating Replacement, in
	// place of scaling every listed player's share up.
	ReplacementFill bool
	Replacement     float64
}

// DefaultPlayerConfig is the configuration the backtests report.
var DefaultPlayerConfig = PlayerConfig{HalfLifeDays: 365, Prior: 4000, PriorMean: -1, ShareDecay: 0.6, SolveEveryDays: 7,
	BoxPrior: true, BoxPriorSeconds: 30000, Availability: true, AvailDecay: 0.85, ReplacementFill: true, Replacement: -1}

// activeDays: players who played within this many days are re-solved;
// the others keep their last rating.
const activeDays = 400

// playerRatings is a walk-forward RAPM: one net rating per player (points
// per 100 possessions his presence on the court adds to his team's margin,
// offense and defense together) from every stint of the games folded in,
// solved by conjugate gradients on the normal equations.
type playerRatings struct {
	cfg  PlayerConfig
	n    int         // players (coefficients)
	rows [][]float64 // normal matrix by rows, weights grown by 2^((day-d0)/half-life) (allocated as players appear)
	b    []float64
	w    []float64 // diagonal data weight per player (grown)
	last []int     // day number of each player's latest game (-1: none)
	d0   int       // day number the growth starts from
	x    []float64 // latest solution
	// solvedDn is the day number of the latest solve (-1: never).
	solvedDn int
	// share[team][player]: expected share of the team's minutes (the five
	// on the court sum to 5).
	share map[string]map[int32]float64
	// ids are the corpus's player ids: every sum runs in player-id order,
	// so the result does not depend on the order players were first met
	// (which games the store holds after the date must not matter).
	ids []model.PlayerID
	// box-score sums per player (grown weights): boxStats rates, seconds
	// and games, for the box-score prior; prior is each player's prior
	// mean (PriorMean without BoxPrior); beta the last fit of it.
	box   [][numBox]float64
	secs  []float64
	gp    []float64
	prior []float64
	beta  []float64
	// av[team][player]: the availability model's state (Availability);
	// avail its counts.
	av    map[string]map[int32]*availEntry
	avail availCounts
	// teamLast is the day number of each team's latest game.
	teamLast map[string]int
	// teamSeason is the season of each team's latest game.
	teamSeason map[string]string
}

// Box-score rates of the box-score prior.
const (
	bxPTS = iota
	bxFGA
	bxFG3A
	bxFTA
	bxOREB
	bxDREB
	bxAST
	bxSTL
	bxBLK
	bxTOV
	bxPF
	numBox
)

func newPlayerRatings(cfg PlayerConfig, ids []model.PlayerID) *playerRatings {
	return &playerRatings{cfg: cfg, d0: -1, solvedDn: -1, share: map[string]map[int32]float64{}, ids: ids,
		av: map[string]map[int32]*availEntry{}, avail: newAvailCounts(), teamLast: map[string]int{}, teamSeason: map[string]string{}}
}

func (r *playerRatings) grow(n int) {
	for r.n < n {
		r.rows = append(r.rows, nil)
		r.b = append(r.b, 0)
		r.w = append(r.w, 0)
		r.last = append(r.last, -1)
		r.x = append(r.x, r.cfg.PriorMean)
		r.box = append(r.box, [numBox]float64{})
		r.secs = append(r.secs, 0)
		r.gp = append(r.gp, 0)
		r.prior = append(r.prior, r.cfg.PriorMean)
		r.n++
	}
	for i := range r.rows {
		if len(r.rows[i]) < r.n {
			nr := make([]float64, r.n+r.n/2+64)
			copy(nr, r.rows[i])
			r.rows[i] = nr[:r.n]
		} else {
			r.rows[i] = r.rows[i][:r.n]
		}
	}
}

// stint is a stretch of a game with the same ten players on the court.
type stint struct {
	pts  [3]int // points by side
	poss [3]int // possessions by side
}

// add folds a finished game of day dn into the ratings and the teams'
// expected shares.
func (r *playerRatings) add(g *Game, dn int, players int) {
	if r.d0 < 0 {
		r.d0 = dn
	}
	r.grow(players)
	gw := math.Exp2(float64(dn-r.d0) / r.cfg.HalfLifeDays)
	for _, b := range g.Box {
		if int(b.Player) >= r.n {
			continue
		}
		v := &r.box[b.Player]
		v[bxPTS] += gw * float64(b.PTS)
		v[bxFGA] += gw * float64(b.FGA)
		v[bxFG3A] += gw * float64(b.FG3A)
		v[bxFTA] += gw * float64(b.FTA)
		v[bxOREB] += gw * float64(b.OREB)
		v[bxDREB] += gw * float64(b.DREB)
		v[bxAST] += gw * float64(b.AST)
		v[bxSTL] += gw * float64(b.STL)
		v[bxBLK] += gw * float64(b.BLK)
		v[bxTOV] += gw * float64(b.TOV)
		v[bxPF] += gw * float64(b.PF)
		r.secs[b.Player] += gw * float64(b.Seconds)
		r.gp[b.Player] += gw
	}
	byTen := map[[10]int32]*stint{}
	var order [][10]int32
	secs := map[int32]float64{}
	total := 0.0
	for i := range g.Poss {
		p := &g.Poss[i]
		d := p.Dur.Seconds()
		total += d
		for _, pl := range p.Lineup {
			if pl >= 0 {
				secs[pl] += d
			}
		}
		if !r.cfg.KeepGarbage && Classify(int(p.Period), p.Clock, int(p.Margin)) == Garbage {
			continue
		}
		st := byTen[p.Lineup]
		if st == nil {
			st = &stint{}
			byTen[p.Lineup] = st
			order = append(order, p.Lineup)
		}
		st.pts[p.Off] += int(p.Pts)
		st.poss[p.Off]++
	}
	for _, key := range order {
		st := byTen[key]
		n := float64(st.poss[1]+st.poss[2]) / 2
		if n <= 0 {
			continue
		}
		y := 100 * float64(st.pts[1]-st.pts[2]) / n // home margin per 100
		w := gw * n
		var idx []int
		var val []float64
		for j, pl := range key {
			if pl < 0 {
				continue
			}
			v := 1.0
			if j >= 5 {
				v = -1
			}
			idx = append(idx, int(pl))
			val = append(val, v)
		}
		for i, ii := range idx {
			row := r.rows[ii]
			for j, jj := range idx {
				row[jj] += w * val[i] * val[j]
			}
			r.b[ii] += w * val[i] * y
			r.w[ii] += w
		}
	}
	// players of each side and the expected shares
	for side, team := range [2]string{g.HomeID, g.AwayID} {
		played := map[int32]bool{}
		for i := range g.Poss {
			for j := 0; j < 5; j++ {
				if pl := g.Poss[i].Lineup[5*side+j]; pl >= 0 {
					played[pl] = true
				}
			}
		}
		sh := r.share[team]
		if sh == nil {
			sh = map[int32]float64{}
			r.share[team] = sh
		}
		k := r.cfg.ShareDecay
		for pl, v := range sh {
			sh[pl] = k * v
		}
		for pl := range played {
			r.last[pl] = dn
			if total > 0 {
				sh[pl] += (1 - k) * 5 * secs[pl] / total
			}
			// a player on another team's list left it
			for t2, s2 := range r.share {
				if t2 != team {
					delete(s2, pl)
				}
			}
		}
		for pl, v := range sh {
			if v < 0.01 {
				delete(sh, pl)
			}
		}
		r.addAvailability(team, g.Season, played, secs, total, dn)
	}
}

// solve re-solves the ratings of the players active before day dn.
func (r *playerRatings) solve(dn int) {
	if r.n == 0 || (r.solvedDn >= 0 && dn-r.solvedDn < r.cfg.SolveEveryDays) {
		return
	}
	r.solvedDn = dn
	lam := r.cfg.Prior * math.Exp2(float64(dn-r.d0)/r.cfg.HalfLifeDays)
	order := make([]int, r.n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return r.ids[order[a]] < r.ids[order[b]] })
	var act []int
	for _, i := range order {
		if r.last[i] >= 0 && dn-r.last[i] <= activeDays {
			act = append(act, i)
		}
	}
	if len(act) == 0 {
		return
	}
	if r.cfg.BoxPrior {
		g := 1.0
		if r.cfg.BoxPriorScaled {
			g = math.Exp2(float64(dn-r.d0) / r.cfg.HalfLifeDays)
		}
		r.fitBoxPrior(act, g)
	}
	// (A + lam I) x = b + lam*mean, over the active players; inactive
	// players are fixed at their last rating.
	mv := func(v []float64, out []float64) { // out = (A+lam I) v on active, v indexed by player
		for k, i := range act {
			row := r.rows[i]
			s := lam * v[i]
			for _, j := range act {
				s += row[j] * v[j]
			}
			out[k] = s
		}
	}
	x := r.x
	full := make([]float64, r.n)
	copy(full, x)
	res := make([]float64, len(act))
	ax := make([]float64, len(act))
	// residual includes the inactive players' fixed part
	inact := make([]bool, r.n)
	for i := range inact {
		inact[i] = true
	}
	for _, i := range act {
		inact[i] = false
	}
	for k, i := range act {
		s := r.b[i] + lam*r.prior[i]
		row := r.rows[i]
		for _, j := range order {
			if inact[j] && row[j] != 0 {
				s -= row[j] * x[j]
			}
		}
		res[k] = s
	}
	mv(full, ax)
	for k := range res {
		res[k] -= ax[k]
	}
	p := make([]float64, r.n)
	for k, i := range act {
		p[i] = res[k]
	}
	rr := dot(res, res)
	scale := 0.0
	for _, i := range act {
		scale += r.b[i] * r.b[i]
	}
	ap := make([]float64, len(act))
	for it := 0; it < 60 && rr > 1e-10*math.Max(scale, 1); it++ {
		mv(p, ap)
		pap := 0.0
		for k, i := range act {
			pap += p[i] * ap[k]
		}
		if pap <= 0 {
			break
		}
		alpha := rr / pap
		for k, i := range act {
			x[i] += alpha * p[i]
			res[k] -= alpha * ap[k]
		}
		rn := dot(res, res)
		beta := rn / rr
		rr = rn
		for k, i := range act {
			p[i] = res[k] + beta*p[i]
		}
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// teamValue is the team's expected lineup worth: the sum over its players
// of expected share times rating (points per 100 above an average team),
// and the expected players in order of share (for reports).
func (r *playerRatings) teamValue(team string, dn int) (float64, []int32) {
	sh := r.share[team]
	if r.cfg.Availability {
		sh = r.expectedShares(team, dn)
	}
	v, tot := 0.0, 0.0
	ids := make([]int32, 0, len(sh))
	for pl := range sh {
		ids = append(ids, pl)
	}
	sort.Slice(ids, func(i, j int) bool {
		if sh[ids[i]] != sh[ids[j]] {
			return sh[ids[i]] > sh[ids[j]]
		}
		return r.ids[ids[i]] < r.ids[ids[j]]
	})
	for _, pl := range ids { // in a fixed order: a float sum depends on it
		tot += sh[pl]
	}
	if tot <= 0 {
		return 0, nil
	}
	if r.cfg.Availability && r.cfg.ReplacementFill {
		// the five slots sum to 25 shares: what the listed players leave
		// empty is played at the replacement level
		for _, pl := range ids {
			v += sh[pl] * r.x[pl]
		}
		v += math.Max(25-tot, 0) * r.cfg.Replacement
		return 5 * v / math.Max(tot, 25), ids
	}
	for _, pl := range ids {
		v += 5 * sh[pl] / tot * r.x[pl]
	}
	return v, ids
}

// values is every team's expected lineup worth.
func (r *playerRatings) values(dn int) map[string]float64 {
	out := make(map[string]float64, len(r.share))
	for team := range r.share {
		v, _ := r.teamValue(team, dn)
		out[team] = v
	}
	return out
}

// boxFeatures are a player's standardised box-score features: per-36
// rates shrunk toward the league's, and minutes per game.
func (r *playerRatings) boxFeatures(i int, league *[numBox]float64, leagueSecs, g float64) [numBox + 1]float64 {
	var f [numBox + 1]float64
	m := r.cfg.BoxPriorSeconds * g
	for k := 0; k < numBox; k++ {
		lr := 0.0
		if leagueSecs > 0 {
			lr = league[k] / leagueSecs
		}
		f[k] = 2160 * (r.box[i][k] + m*lr) / (r.secs[i] + m)
	}
	f[numBox] = (r.secs[i] + 600*5*g) / (r.gp[i] + 5*g) / 60 // minutes per game, 5 games of 10 minutes
	return f
}

// fitBoxPrior refits the box-score prior on the active players: the
// ridge regression (unweighted: the prior's penalty is the same for every
// player) of their current ratings on their box-score features, then sets
// every active player's prior mean to its prediction.
func (r *playerRatings) fitBoxPrior(act []int, g float64) {
	const nf = numBox + 2 // features and the intercept
	var league [numBox]float64
	leagueSecs := 0.0
	for _, i := range act {
		for k := 0; k < numBox; k++ {
			league[k] += r.box[i][k]
		}
		leagueSecs += r.secs[i]
	}
	feats := make([][numBox + 1]float64, len(act))
	var mean, sd [numBox + 1]float64
	for k, i := range act {
		feats[k] = r.boxFeatures(i, &league, leagueSecs, g)
		for j := range mean {
			mean[j] += feats[k][j]
		}
	}
	n := float64(len(act))
	for j := range mean {
		mean[j] /= n
	}
	for k := range feats {
		for j := range sd {
			d := feats[k][j] - mean[j]
			sd[j] += d * d
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j]/n) + 1e-9
	}
	ata := make([]float64, nf*nf)
	atb := make([]float64, nf)
	row := make([]float64, nf)
	for k, i := range act {
		row[0] = 1
		for j := 0; j < numBox+1; j++ {
			row[1+j] = (feats[k][j] - mean[j]) / sd[j]
		}
		for a := 0; a < nf; a++ {
			for b := 0; b < nf; b++ {
				ata[a*nf+b] += row[a] * row[b]
			}
			atb[a] += row[a] * r.x[i]
		}
	}
	for a := 1; a < nf; a++ {
		ata[a*nf+a] += 10 // weak ridge on the standardised coefficients
	}
	beta, ok := solveDense(ata, atb, nf)
	if !ok {
		return
	}
	r.beta = beta
	for k, i := range act {
		v := beta[0]
		for j := 0; j < numBox+1; j++ {
			v += beta[1+j] * (feats[k][j] - mean[j]) / sd[j]
		}
		r.prior[i] = v
	}
}
