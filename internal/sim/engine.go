package sim

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/nbasim/nbasim/internal/model"
)

func exp2(x float64) float64 { return math.Exp2(x) }

// rng is wyrand: a tiny, fast generator whose sequence depends only on
// the seed (so results are reproducible on every platform).
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// float returns a uniform number in [0,1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// Start is the state a simulation starts from: the tip, or a moment of a
// real game.
type Start struct {
	Period  int                  `json:"period"`       // 1.. (0 or 1 with Clock 12:00: the tip)
	Clock   model.Tenths         `json:"clock_tenths"` // remaining in the period
	Home    int                  `json:"home_score"`   // score
	Away    int                  `json:"away_score"`   // score
	Ball    model.Side           `json:"ball"`         // who has the ball (NoSide: a jump ball decides)
	Fouls   [3]int8              `json:"-"`            // team fouls in the period, by side
	Last2   [3]bool              `json:"-"`            // a team foul already in the last two minutes, by side
	First   model.Side           `json:"first_ball"`   // who had the first possession of the game (NoSide: unknown)
	OnCourt [3][5]model.PlayerID `json:"-"`            // the ten on the court, when known
	// LineupEdge: points per 100 possessions the ten on the court are worth
	// above their teams' ratings, by side, for offense and defense
	// (RAPM-style, docs/sim.md); 0 when not estimated.
	LineupOff, LineupDef [3]float64 `json:"-"`
}

// Tip is the start of a game.
func Tip() Start { return Start{Period: 1, Clock: model.RegulationPeriod} }

// Situation tables: the normal situation by the offense's margin (steps of
// 4 points from -20 to +20: the score effect), then the other classes.
const (
	marginBuckets = 11
	numSits       = marginBuckets + int(NumClasses) - 1
)

// sitIndex is the table of a possession's situation.
func sitIndex(cl Class, margin int) int {
	if cl != Normal {
		return marginBuckets + int(cl) - 1
	}
	return min(max((margin+22)/4, 0), marginBuckets-1)
}

// bucketMargin is the margin a normal-situation table is built for.
func bucketMargin(i int) float64 { return float64(-20 + 4*i) }

// matchTables are the outcome distributions of one matchup.
type matchTables struct {
	// dist[level][side][situation][bonus]
	dist   [][3][numSits][2]Dist
	lineup [3][numSits][2]Dist // with the lineup edge, noise level 0 (median)
	hasLU  bool
	dur    [NumClasses][256]int32 // possession lengths (tenths) by class, pace-scaled
}

// noiseLevels are the rating draws: the standard-normal quantiles at
// (k + 1/2)/8, scaled by 1/0.9225 to unit variance (the quantiles alone
// have variance 0.851: they drew 8% less rating spread than NetSD).
var noiseLevels = []float64{-1.663, -0.9617, -0.5298, -0.1705, 0.1705, 0.5298, 0.9617, 1.663}

// Matchup is a prepared game between two teams under a model.
type Matchup struct {
	m          *Model
	HomeID     string  `json:"home_team_id"`
	AwayID     string  `json:"away_team_id"`
	HomePer100 float64 `json:"home_points_per_100"` // expected home offense per 100 possessions
	AwayPer100 float64 `json:"away_points_per_100"`
	Pace       float64 `json:"pace_per_48"`
	NetSD      float64 `json:"net_sd_per_100"` // uncertainty of the home-minus-away efficiency
	Neutral    bool    `json:"neutral"`
	HomeB2B    bool    `json:"home_back_to_back"` // the home team played the day before
	AwayB2B    bool    `json:"away_back_to_back"`
	// ExpectedMargin is the pregame blend's home margin (points) and
	// Features the features it was computed from.
	ExpectedMargin float64            `json:"expected_margin"`
	Features       map[string]float64 `json:"features"`
	tables         matchTables
}

// NewMatchup prepares home vs away under m (neutral: no home court).
//
// The pregame blend gives the expected home margin M (points) from the
// features; the two sides' efficiencies keep the team ratings' level and
// are moved apart so that their difference is M * 100 / pace (times the
// strength scale, for the score effect); the blend's residual spread
// beyond the simulator's own game spread is drawn as rating noise.
func (m *Model) NewMatchup(homeID, awayID string, neutral bool) *Matchup {
	h, a := m.team(homeID), m.team(awayID)
	hc := m.Ratings.Home / 2
	if neutral {
		hc = 0
	}
	mu := m.Ratings.Mean
	k := m.cfg.StrengthScale
	if k <= 0 {
		k = 1
	}
	f := features(&m.Ratings, m.PlayerValues, homeID, awayID, neutral, m.asOfDn)
	margin := 0.0
	for i := range f {
		margin += m.blendBeta[i] * f[i]
	}
	x := &Matchup{m: m, HomeID: homeID, AwayID: awayID, Neutral: neutral,
		HomeB2B: f[featB2BHome] == 1, AwayB2B: f[featB2BAway] == 1,
		HomePer100:     mu + k*(h.Offense+a.Defense+hc),
		AwayPer100:     mu + k*(a.Offense+h.Defense-hc),
		Pace:           m.Ratings.Pace + h.Pace + a.Pace,
		ExpectedMargin: round3(margin),
		Features:       map[string]float64{},
	}
	for i, name := range featureNames {
		x.Features[name] = round4(f[i])
	}
	pace := x.Pace
	if pace <= 0 {
		pace = 100
	}
	// the simulator's own game spread beyond the fitted win spread: the
	// strength difference is stretched so that the simulated win
	// probability is still Φ(M/WinSD) (docs/sim.md, "Rating uncertainty")
	tilt := margin
	if m.cfg.Stretch && m.WinSD > 0 && m.GameSD > m.WinSD {
		tilt = margin * m.GameSD / m.WinSD
	}
	shift := (tilt*100/pace*k - (x.HomePer100 - x.AwayPer100)) / 2
	x.HomePer100 += shift
	x.AwayPer100 -= shift
	noise := math.Sqrt(math.Max(m.WinSD*m.WinSD-m.GameSD*m.GameSD, 0))
	x.NetSD = noise * 100 / pace * k * m.cfg.RatingNoise
	x.build(Start{})
	return x
}

func (x *Matchup) build(st Start) {
	m := x.m
	ratio := 1.0
	if m.LeaguePoint > 0 {
		ratio = m.NormalPoint / m.LeaguePoint
	}
	levels := []float64{0}
	if x.NetSD > 0 {
		levels = noiseLevels
	}
	x.tables.dist = make([][3][numSits][2]Dist, len(levels))
	kappa := m.cfg.ScoreEffect
	mk := func(side model.Side, per100 float64) [numSits][2]Dist {
		var out [numSits][2]Dist
		factor := per100 / 100 * ratio / m.NormalPoint
		for si := 0; si < numSits; si++ {
			c, shift := Normal, 0.0
			if si < marginBuckets {
				shift = -kappa * bucketMargin(si)
			} else {
				c = Class(si - marginBuckets + 1)
			}
			f := factor
			if c == Garbage {
				f = 1 + (factor-1)/2
			}
			for b := 0; b < 2; b++ {
				ch := &m.Chains[c][b]
				target := ch.expected(0)*f + shift
				out[si][b] = ch.Distribution(ch.DeltaFor(target))
			}
		}
		return out
	}
	for i, z := range levels {
		d := z * x.NetSD / 2 // half of the net shift to each side
		x.tables.dist[i][model.Home] = mk(model.Home, x.HomePer100+d)
		x.tables.dist[i][model.Away] = mk(model.Away, x.AwayPer100-d)
	}
	x.tables.hasLU = false
	if st.LineupOff != [3]float64{} || st.LineupDef != [3]float64{} {
		x.tables.hasLU = true
		x.tables.lineup[model.Home] = mk(model.Home, x.HomePer100+st.LineupOff[model.Home]+st.LineupDef[model.Away])
		x.tables.lineup[model.Away] = mk(model.Away, x.AwayPer100+st.LineupOff[model.Away]+st.LineupDef[model.Home])
	}
	pace := x.Pace
	if pace <= 0 {
		pace = m.Ratings.Pace
	}
	for c := Class(0); c < NumClasses; c++ {
		scale := 1.0
		if (c == Normal || c == Garbage) && pace > 0 && m.Ratings.Pace > 0 {
			scale = m.Ratings.Pace / pace
		}
		for i, v := range m.dur[c] {
			x.tables.dur[c][i] = int32(max(float64(v)*scale, 10))
		}
	}
}

// gameSpread is the standard deviation of the final margin the simulator
// gives two league-average teams with no rating noise (4,000 games, a
// fixed seed).
func (m *Model) gameSpread() float64 {
	mu := m.Ratings.Mean
	x := &Matchup{m: m, HomePer100: mu, AwayPer100: mu, Pace: m.Ratings.Pace, Neutral: true}
	x.build(Start{})
	o, err := x.Simulate(Tip(), Options{N: 4000, Seed: 0x5eed})
	if err != nil {
		return 0
	}
	var s, s2 float64
	for i := range o.Home {
		d := float64(o.Home[i]) - float64(o.Away[i])
		s += d
		s2 += d * d
	}
	n := float64(len(o.Home))
	return math.Sqrt(math.Max(s2/n-(s/n)*(s/n), 0))
}

// Options of a simulation run.
type Options struct {
	N    int    // simulations (default 10,000)
	Seed uint64 // same seed, same model, same start: same results
}

// Outcomes are the raw results of a run.
type Outcomes struct {
	Home, Away []int16
	OT         int // games that went to overtime
}

// Simulate plays the rest of the game from st n times.
func (x *Matchup) Simulate(st Start, opt Options) (*Outcomes, error) {
	if opt.N <= 0 {
		opt.N = 10000
	}
	if st.Period < 1 {
		st.Period, st.Clock = 1, model.RegulationPeriod
	}
	if st.Clock < 0 || st.Clock > model.PeriodLength(st.Period) {
		return nil, fmt.Errorf("sim: clock %s outside period %d", st.Clock, st.Period)
	}
	if st.LineupOff != [3]float64{} || st.LineupDef != [3]float64{} || x.tables.hasLU {
		x.build(st)
	}
	out := &Outcomes{Home: make([]int16, opt.N), Away: make([]int16, opt.N)}
	r := rng{s: opt.Seed ^ 0x9e3779b97f4a7c15}
	levels := uint64(len(x.tables.dist))
	elapsed0 := model.Elapsed(st.Period, st.Clock)
	for i := 0; i < opt.N; i++ {
		lvl := 0
		if levels > 1 {
			lvl = int((r.next() >> 32) * levels >> 32)
		}
		luEnd := model.Tenths(-1)
		if x.tables.hasLU {
			luEnd = elapsed0 + model.Tenths(-math.Log(1-r.float())*x.m.cfg.LineupSeconds*10)
		}
		h, a, ot := x.play(&r, st, &x.tables.dist[lvl], luEnd)
		out.Home[i], out.Away[i] = int16(h), int16(a)
		if ot {
			out.OT++
		}
	}
	return out, nil
}

// play simulates one game from st.
func (x *Matchup) play(r *rng, st Start, dist *[3][numSits][2]Dist, luEnd model.Tenths) (home, away int, ot bool) {
	score := [3]int{0, st.Home, st.Away}
	period, clock := st.Period, st.Clock
	fouls, last2 := st.Fouls, st.Last2
	ball, first := st.Ball, st.First
	jump := func() model.Side {
		if r.next()&1 == 0 {
			return model.Home
		}
		return model.Away
	}
	if ball == model.NoSide {
		ball = jump()
		if period == 1 && clock == model.RegulationPeriod {
			first = ball
		}
	}
	if first == model.NoSide {
		first = jump()
	}
	tb := &x.tables
	for {
		if clock <= 0 {
			if period >= 4 && score[model.Home] != score[model.Away] {
				break
			}
			period++
			clock = model.PeriodLength(period)
			fouls, last2 = [3]int8{}, [3]bool{}
			switch period {
			case 2, 3:
				ball = first.Other()
			case 4:
				ball = first
			default:
				ball = jump()
			}
			if period > 12 { // safety: never loop forever
				if score[model.Home] == score[model.Away] {
					score[jump()]++
				}
				break
			}
		}
		def := ball.Other()
		margin := score[ball] - score[def]
		cl := Classify(period, clock, margin)
		b := 0
		if inBonus(fouls[def], last2[def], period, clock) {
			b = 1
		}
		si := sitIndex(cl, margin)
		d := &dist[ball][si][b]
		if luEnd >= 0 && model.Elapsed(period, clock) < luEnd {
			d = &tb.lineup[ball][si][b]
		}
		u := r.next()
		o := d.draw(u)
		dur := model.Tenths(tb.dur[cl][r.next()>>56])
		if dur >= clock {
			// the buzzer: the possession counts if its shot got off in time
			if model.Tenths(r.next()>>40)%dur >= clock {
				o = Outcome{}
			}
			dur = clock
		}
		clock -= dur
		score[ball] += int(o.Pts)
		if o.Fouls > 0 {
			fouls[def] += o.Fouls
			if clock <= 1200 {
				last2[def] = true
			}
		}
		ball = def
	}
	return score[model.Home], score[model.Away], period > 4
}
