package sim

import "math"

// BlendConfig sets the pregame blend: a ridge regression of the real home
// margin on the pregame features of every earlier game (docs/sim.md,
// "The pregame blend").
type BlendConfig struct {
	// HalfLifeDays: the weight of a game in the fit halves every
	// HalfLifeDays (the home-court effect drifts: 2020-21 had no crowds).
	HalfLifeDays float64
	// Prior: ridge weight (in games) pulling each coefficient to its
	// prior (1 for the rating features, 0 for the others).
	Prior float64
	// WinIntercept: the margin-to-probability mapping Φ(M/s + c) gets a
	// fitted intercept c besides its spread s (0: c = 0).
	WinIntercept bool
}

// DefaultBlendConfig is the configuration the backtests report.
var DefaultBlendConfig = BlendConfig{HalfLifeDays: 365, Prior: 50}

// Pregame features of a game, in points of home margin.
const (
	featHome    = iota // 1 at the home team's court, 0 at a neutral site
	featTeam           // team ratings: (O_h + D_a - O_a - D_h) * pace / 100
	featPlayers        // expected lineups: (V_h - V_a) * pace / 100
	featB2BHome        // 1: the home team played the day before
	featB2BAway        // 1: the away team played the day before
	numFeatures
)

// featureNames name the features in reports (snake_case JSON keys).
var featureNames = [numFeatures]string{"home", "team_ratings", "players", "home_back_to_back", "away_back_to_back"}

// blendFit is the walk-forward regression of the home margin on the
// features, with the walk-forward residual spread (each game's residual
// is taken before the game is added to the fit).
type blendFit struct {
	cfg    BlendConfig
	ata    [numFeatures][numFeatures]float64
	aty    [numFeatures]float64
	sse    float64 // decayed squared residuals
	sw     float64 // decayed residual weights
	lastDn int
	beta   [numFeatures]float64
	// the walk-forward predictions, outcomes and day numbers of every game
	// added, for the win-probability spread
	pred []float64
	won  []bool
	day  []int
	// winSD is the spread s for which Φ(M/s) fits the home wins of the
	// earlier games best (maximum likelihood, decayed like the fit).
	winSD float64
	// winC is the fitted probit intercept c of Φ(M/winSD + winC) (0
	// without BlendConfig.WinIntercept).
	winC float64
}

// blendPrior is the coefficient prior: the rating features at face value,
// a home edge of 2.5 points.
var blendPrior = [numFeatures]float64{2.5, 0.5, 0.5, 0, 0}

func newBlendFit(cfg BlendConfig) *blendFit {
	return &blendFit{cfg: cfg, lastDn: -1, beta: blendPrior, winSD: 12}
}

func (b *blendFit) decayTo(dn int) {
	if b.lastDn >= 0 && dn > b.lastDn && b.cfg.HalfLifeDays > 0 {
		f := math.Exp2(-float64(dn-b.lastDn) / b.cfg.HalfLifeDays)
		for i := range b.ata {
			for j := range b.ata[i] {
				b.ata[i][j] *= f
			}
			b.aty[i] *= f
		}
		b.sse *= f
		b.sw *= f
	}
	if dn > b.lastDn {
		b.lastDn = dn
	}
}

// predict is the expected home margin of a feature vector.
func (b *blendFit) predict(f [numFeatures]float64) float64 {
	s := 0.0
	for i := range f {
		s += b.beta[i] * f[i]
	}
	return s
}

// add records a game's features and real margin (after decayTo).
func (b *blendFit) add(f [numFeatures]float64, margin float64) {
	pr := b.predict(f)
	b.pred = append(b.pred, pr)
	b.won = append(b.won, margin > 0)
	b.day = append(b.day, b.lastDn)
	r := margin - pr
	b.sse += r * r
	b.sw++
	for i := range f {
		for j := range f {
			b.ata[i][j] += f[i] * f[j]
		}
		b.aty[i] += f[i] * margin
	}
}

// refit solves the ridge system for the coefficients.
func (b *blendFit) refit() {
	const n = numFeatures
	m := make([]float64, n*n)
	v := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m[i*n+j] = b.ata[i][j]
		}
		m[i*n+i] += b.cfg.Prior
		v[i] = b.aty[i] + b.cfg.Prior*blendPrior[i]
	}
	x, ok := solveDense(m, v, n)
	if !ok {
		return
	}
	copy(b.beta[:], x)
	b.fitWinSD()
}

// fitWinSD refits winSD: the probit slope a = 1/s maximising the decayed
// likelihood of the earlier games' home wins given their walk-forward
// predicted margins (Newton's method from the previous slope; games older
// than four half-lives are left out). Real margins have heavier tails than
// a normal law, so s is below the RMS residual.
func (b *blendFit) fitWinSD() {
	if len(b.pred) < 200 {
		return
	}
	from := 0
	if b.cfg.HalfLifeDays > 0 {
		for from < len(b.day) && float64(b.lastDn-b.day[from]) > 4*b.cfg.HalfLifeDays {
			from++
		}
	}
	a, c := 1/b.winSD, b.winC
	for it := 0; it < 4; it++ {
		var ga, gc, haa, hac, hcc float64
		for i := from; i < len(b.pred); i++ {
			w := 1.0
			if b.cfg.HalfLifeDays > 0 {
				w = math.Exp2(-float64(b.lastDn-b.day[i]) / b.cfg.HalfLifeDays)
			}
			m := b.pred[i]
			z := a*m + c
			p := 0.5 * math.Erfc(-z/math.Sqrt2)
			p = math.Min(math.Max(p, 1e-9), 1-1e-9)
			phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
			// the score and the expected information (Fisher scoring)
			y := 0.0
			if b.won[i] {
				y = 1
			}
			k := w * phi / (p * (1 - p))
			ga += k * (y - p) * m
			gc += k * (y - p)
			haa += k * phi * m * m
			hac += k * phi * m
			hcc += k * phi
		}
		if haa <= 0 {
			return
		}
		if b.cfg.WinIntercept {
			det := haa*hcc - hac*hac
			if det <= 0 {
				return
			}
			a += (hcc*ga - hac*gc) / det
			c += (haa*gc - hac*ga) / det
			c = math.Min(math.Max(c, -0.5), 0.5)
		} else {
			a += ga / haa
		}
		a = math.Min(math.Max(a, 1/30.0), 1/6.0)
	}
	b.winSD = 1 / a
	b.winC = c
}

// winProb is the home win probability of an expected margin m under the
// fitted mapping Φ(m/winSD + winC).
func (b *blendFit) winProb(m float64) float64 {
	return 0.5 * math.Erfc(-(m/b.winSD+b.winC)/math.Sqrt2)
}

// sigma is the walk-forward residual standard deviation of the margin
// (13 points before any game).
func (b *blendFit) sigma() float64 {
	const prior = 50 // games of 13 points
	return math.Sqrt((b.sse + prior*13*13) / (b.sw + prior))
}

// solveDense solves m x = v (n by n, row-major) by Gaussian elimination
// with partial pivoting; ok is false for a singular system.
func solveDense(m, v []float64, n int) ([]float64, bool) {
	a := append([]float64(nil), m...)
	x := append([]float64(nil), v...)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r*n+c]) > math.Abs(a[p*n+c]) {
				p = r
			}
		}
		if math.Abs(a[p*n+c]) < 1e-12 {
			return nil, false
		}
		if p != c {
			for k := 0; k < n; k++ {
				a[c*n+k], a[p*n+k] = a[p*n+k], a[c*n+k]
			}
			x[c], x[p] = x[p], x[c]
		}
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / a[c*n+c]
			if f == 0 {
				continue
			}
			for k := c; k < n; k++ {
				a[r*n+k] -= f * a[c*n+k]
			}
			x[r] -= f * x[c]
		}
	}
	for c := n - 1; c >= 0; c-- {
		s := x[c]
		for k := c + 1; k < n; k++ {
			s -= a[c*n+k] * x[k]
		}
		x[c] = s / a[c*n+c]
	}
	return x, true
}
