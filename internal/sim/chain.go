package sim

import (
	"math"
	"sort"

	"github.com/nbasim/nbasim/internal/model"
)

// Class is the game situation a possession is played in: the possession
// model shifts with score and time (docs/sim.md, "Situations").
type Class uint8

// Situations.
const (
	Normal    Class = iota
	Garbage         // fourth quarter, 7:00 or less, a margin of 18 or more
	LateLead        // fourth quarter or overtime, 1:00 or less, offense ahead by 1-9: the defense fouls
	LateTrail       // fourth quarter or overtime, 1:00 or less, offense tied or behind by 1-9
	NumClasses
)

var classNames = [...]string{"normal", "garbage", "late_lead", "late_trail"}

// String names c.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "class?"
}

// Classify returns the situation of a possession starting in period with
// clock remaining and the offense's margin.
func Classify(period int, clock model.Tenths, margin int) Class {
	if period >= 4 {
		if clock <= 600 && margin >= -9 && margin <= 9 {
			if margin > 0 {
				return LateLead
			}
			return LateTrail
		}
		if period == 4 && clock <= 4200 && (margin >= 18 || margin <= -18) {
			return Garbage
		}
	}
	return Normal
}

// Counts sums the chain counts of many possessions.
type Counts struct {
	Poss, Pts                         float64
	TO, Trip1, Trip2, Trip3, And1     float64
	FGA2, FGM2, FGA3, FGM3, FTA, FTM  float64
	OrebFG, OrebFT, MissFG, MissFTEnd float64
	ExtraFouls                        float64 // defensive team fouls not explained by free-throw trips
	Dur                               float64 // tenths, possessions not cut by the buzzer
	DurN                              float64
	Hist                              [durBins]float64 // possession lengths by whole second (last bin: longer)
}

const durBins = 36

// Add adds possession p with weight w.
func (c *Counts) Add(p *Poss, w float64) {
	c.Poss += w
	c.Pts += w * float64(p.Pts)
	c.TO += w * float64(p.TO)
	c.Trip1 += w * float64(p.Trip1)
	c.Trip2 += w * float64(p.Trip2)
	c.Trip3 += w * float64(p.Trip3)
	c.And1 += w * float64(p.And1)
	c.FGA2 += w * float64(p.FGA2)
	c.FGM2 += w * float64(p.FGM2)
	c.FGA3 += w * float64(p.FGA3)
	c.FGM3 += w * float64(p.FGM3)
	c.FTA += w * float64(p.FTA)
	c.FTM += w * float64(p.FTM)
	c.OrebFG += w * float64(p.OrebFG)
	c.OrebFT += w * float64(p.OrebFT)
	c.MissFG += w * float64(p.MissFG)
	c.MissFTEnd += w * float64(p.MissFTEnd)
	trips := int(p.Trip1) + int(p.Trip2) + int(p.Trip3) + int(p.And1)
	if x := int(p.FoulsDef) - trips; x > 0 {
		c.ExtraFouls += w * float64(x)
	}
	if !p.Buzzer {
		c.Dur += w * float64(p.Dur)
		c.DurN += w
		c.Hist[min(int(p.Dur)/10, durBins-1)] += w
	}
}

// Scale multiplies every count by f (exponential forgetting).
func (c *Counts) Scale(f float64) {
	for _, p := range []*float64{&c.Poss, &c.Pts, &c.TO, &c.Trip1, &c.Trip2, &c.Trip3, &c.And1, &c.FGA2, &c.FGM2, &c.FGA3, &c.FGM3,
		&c.FTA, &c.FTM, &c.OrebFG, &c.OrebFT, &c.MissFG, &c.MissFTEnd, &c.ExtraFouls, &c.Dur, &c.DurN} {
		*p *= f
	}
	for i := range c.Hist {
		c.Hist[i] *= f
	}
}

// durTable is the inverse CDF of possession length in tenths, 256 steps.
type durTable [256]float32

// durationsFrom builds an inverse-CDF table from a histogram of whole
// seconds (uniform within a second), falling back on prior.
func durationsFrom(h [durBins]float64, prior *durTable) durTable {
	total := 0.0
	for _, v := range h {
		total += v
	}
	if total < 50 && prior != nil {
		return *prior
	}
	if total <= 0 {
		var t durTable
		for i := range t {
			t[i] = float32(20 + float64(i)*250/256) // 2-27 s
		}
		return t
	}
	var t durTable
	acc, bin := 0.0, 0
	for i := range t {
		q := (float64(i) + 0.5) / 256 * total
		for bin < durBins-1 && acc+h[bin] < q {
			acc += h[bin]
			bin++
		}
		frac := 0.5
		if h[bin] > 0 {
			frac = (q - acc) / h[bin]
		}
		t[i] = float32((float64(bin) + math.Min(math.Max(frac, 0), 1)) * 10)
	}
	return t
}

// Chain is the possession as a chain of chances (docs/sim.md): each
// chance ends in a turnover, a free-throw trip or a field-goal attempt; a
// missed shot or a missed last free throw may be rebounded by the offense,
// which starts a new chance of the same possession.
type Chain struct {
	TO      float64 `json:"turnover"`             // P(turnover) per chance
	Trip    float64 `json:"ft_trip"`              // P(free-throw trip without a field-goal attempt) per chance
	Trip3   float64 `json:"ft_trip_3_share"`      // share of trips of three free throws
	Trip1   float64 `json:"ft_trip_1_share"`      // share of trips of one free throw
	Three   float64 `json:"three_share"`          // share of field-goal attempts that are threes
	Make2   float64 `json:"make_2"`               // P(two made)
	Make3   float64 `json:"make_3"`               // P(three made)
	And1    float64 `json:"and_one"`              // P(and-one free throw | made field goal)
	FT      float64 `json:"ft_pct"`               // P(free throw made)
	OrebFG  float64 `json:"oreb_after_fg_miss"`   // P(offensive rebound | missed field goal)
	OrebFT  float64 `json:"oreb_after_ft_miss"`   // P(offensive rebound | missed last free throw)
	Foul    float64 `json:"extra_foul"`           // P(a defensive team foul without free throws) per possession
	MeanDur float64 `json:"mean_seconds"`         // mean possession length
	Points  float64 `json:"points_per_poss"`      // observed points per possession
	Weight  float64 `json:"possessions_weighted"` // weighted possessions behind it
}

func ratio(a, b, dflt float64) float64 {
	if b <= 0 {
		return dflt
	}
	return a / b
}

// shrink mixes an observed rate with a prior worth k observations.
func shrink(num, den, prior, k float64) float64 { return (num + k*prior) / (den + k) }

// ChainFrom estimates a chain from counts, shrunk toward prior (a chain of
// the normal situation) with the weight of k possessions.
func ChainFrom(c Counts, prior *Chain, k float64) Chain {
	fga := c.FGA2 + c.FGA3
	trips := c.Trip1 + c.Trip2 + c.Trip3
	ends := c.TO + trips + fga
	p := defaultChain
	if prior != nil {
		p = *prior
	}
	ch := Chain{
		TO:     shrink(c.TO, ends, p.TO, k),
		Trip:   shrink(trips, ends, p.Trip, k),
		Trip3:  shrink(c.Trip3, trips, p.Trip3, k/4),
		Trip1:  shrink(c.Trip1, trips, p.Trip1, k/4),
		Three:  shrink(c.FGA3, fga, p.Three, k),
		Make2:  shrink(c.FGM2, c.FGA2, p.Make2, k),
		Make3:  shrink(c.FGM3, c.FGA3, p.Make3, k),
		And1:   shrink(c.And1, c.FGM2+c.FGM3, p.And1, k/2),
		FT:     shrink(c.FTM, c.FTA, p.FT, k/2),
		OrebFG: shrink(c.OrebFG, c.MissFG, p.OrebFG, k/2),
		OrebFT: shrink(c.OrebFT, c.MissFTEnd, p.OrebFT, k/4),
		Foul:   shrink(c.ExtraFouls, c.Poss, p.Foul, k),
		Points: ratio(c.Pts, c.Poss, p.Points),
		Weight: c.Poss,
	}
	ch.MeanDur = shrink(c.Dur/10, c.DurN, p.MeanDur, k)
	return ch
}

// defaultChain is the prior when the store holds no earlier game at all:
// round league figures of the 2010s (docs/sim.md).
var defaultChain = Chain{TO: 0.13, Trip: 0.075, Trip3: 0.03, Trip1: 0.04, Three: 0.33, Make2: 0.50, Make3: 0.355,
	And1: 0.06, FT: 0.76, OrebFG: 0.23, OrebFT: 0.13, Foul: 0.12, MeanDur: 14.3, Points: 1.08}

// Outcome is one result of a possession: points scored and team fouls the
// defense was charged.
type Outcome struct {
	Pts   int8
	Fouls int8
}

// Dist is a possession outcome distribution: cumulative thresholds over
// outcomes, in 2^64 units for one comparison per outcome.
type Dist struct {
	cum   []uint64
	outs  []Outcome
	guide [256]uint8 // first outcome whose threshold exceeds each 1/256 of the range
	Mean  float64    // expected points
	P     []float64
}

const maxChances = 5

// Distribution computes the outcome distribution of a chain whose shots
// are made with log-odds shifted by delta.
func (ch *Chain) Distribution(delta float64) Dist {
	m2 := logistic(logit(ch.Make2) + delta)
	m3 := logistic(logit(ch.Make3) + delta)
	fga := math.Max(0, 1-ch.TO-ch.Trip)
	// probabilities over (points 0..8, trip fouls 0..3), then extra foul
	var p [9][4]float64
	add := func(pts, fouls int, w float64) { p[min(pts, 8)][min(fouls, 3)] += w }
	// mass still alive after k chances, by (points so far, fouls so far)
	var alive, next [9][4]float64
	alive[0][0] = 1
	ft := ch.FT
	t2 := 1 - ch.Trip1 - ch.Trip3
	for k := 0; k < maxChances; k++ {
		next = [9][4]float64{}
		last := k == maxChances-1
		any := false
		for pts := range alive {
			for fl := range alive[pts] {
				w := alive[pts][fl]
				if w == 0 {
					continue
				}
				any = true
				cont := func(p2, f2 int, x float64) {
					next[min(p2, 8)][min(f2, 3)] += x
				}
				// turnover
				add(pts, fl, w*ch.TO)
				// free-throw trip of n
				for _, trip := range [3]struct {
					n int
					p float64
				}{{1, ch.Trip1}, {2, t2}, {3, ch.Trip3}} {
					wt := w * ch.Trip * trip.p
					if wt <= 0 {
						continue
					}
					for made := 0; made < trip.n; made++ { // made before the last: binomial(n-1, ft)
						pm := binom(trip.n-1, made, ft) * wt
						add(pts+made+1, fl+1, pm*ft)
						miss := pm * (1 - ft)
						if last {
							add(pts+made, fl+1, miss)
						} else {
							add(pts+made, fl+1, miss*(1-ch.OrebFT))
							cont(pts+made, fl+1, miss*ch.OrebFT)
						}
					}
				}
				// field-goal attempts
				for _, shot := range [2]struct {
					pts  int
					p, m float64
				}{{2, 1 - ch.Three, m2}, {3, ch.Three, m3}} {
					ws := w * fga * shot.p
					made := ws * shot.m
					add(pts+shot.pts, fl, made*(1-ch.And1))
					and1 := made * ch.And1
					add(pts+shot.pts+1, fl+1, and1*ft)
					add(pts+shot.pts, fl+1, and1*(1-ft)) // a missed and-one: defensive rebound assumed
					miss := ws * (1 - shot.m)
					if last {
						add(pts, fl, miss)
					} else {
						add(pts, fl, miss*(1-ch.OrebFG))
						cont(pts, fl, miss*ch.OrebFG)
					}
				}
			}
		}
		alive = next
		if !any {
			break
		}
	}
	for pts := range alive { // cut chains end with what they have
		for fl := range alive[pts] {
			add(pts, fl, alive[pts][fl])
		}
	}
	// extra (non-shooting, non-bonus) foul, independent of the chain
	var q [9][4]float64
	for a := range p {
		for f := range p[a] {
			q[a][f] += p[a][f] * (1 - ch.Foul)
			q[a][min(f+1, 3)] += p[a][f] * ch.Foul
		}
	}
	type cell struct {
		o Outcome
		w float64
	}
	var cells []cell
	total, mean := 0.0, 0.0
	for a := range q {
		for f := range q[a] {
			if q[a][f] > 1e-9 {
				cells = append(cells, cell{Outcome{int8(a), int8(f)}, q[a][f]})
				total += q[a][f]
				mean += float64(a) * q[a][f]
			}
		}
	}
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].w > cells[j].w })
	d := Dist{Mean: mean / total}
	acc := 0.0
	for i, c := range cells {
		acc += c.w / total
		th := uint64(math.MaxUint64)
		if i < len(cells)-1 && acc < 1 {
			th = uint64(acc * float64(math.MaxUint64))
		}
		d.cum = append(d.cum, th)
		d.outs = append(d.outs, c.o)
		d.P = append(d.P, c.w/total)
	}
	d.index()
	return d
}

// draw returns the outcome for a uniform 64-bit u.
func (d *Dist) draw(u uint64) Outcome {
	cum := d.cum
	for i := int(d.guide[u>>56]); i < len(cum); i++ {
		if u < cum[i] {
			return d.outs[i]
		}
	}
	return d.outs[len(d.outs)-1]
}

// index fills the guide table.
func (d *Dist) index() {
	i := 0
	for g := range d.guide {
		lo := uint64(g) << 56
		for i < len(d.cum)-1 && d.cum[i] <= lo {
			i++
		}
		d.guide[g] = uint8(i)
	}
}

// PointsPMF returns P(points = k) for k = 0..8.
func (d *Dist) PointsPMF() [9]float64 {
	var out [9]float64
	for i, o := range d.outs {
		out[o.Pts] += d.P[i]
	}
	return out
}

// DeltaFor finds the shot-making log-odds shift that gives the chain an
// expected target points per possession.
func (ch *Chain) DeltaFor(target float64) float64 {
	lo, hi := -2.0, 2.0
	for it := 0; it < 40; it++ {
		mid := (lo + hi) / 2
		if ch.expected(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// expected is the chain's mean points with shift delta (closed form of
// Distribution's mean, without the table).
func (ch *Chain) expected(delta float64) float64 {
	m2 := logistic(logit(ch.Make2) + delta)
	m3 := logistic(logit(ch.Make3) + delta)
	fga := math.Max(0, 1-ch.TO-ch.Trip)
	t2 := 1 - ch.Trip1 - ch.Trip3
	ftPts := ch.Trip * (ch.Trip1*1 + t2*2 + ch.Trip3*3) * ch.FT
	shotPts := fga * ((1-ch.Three)*m2*(2+ch.And1*ch.FT) + ch.Three*m3*(3+ch.And1*ch.FT))
	// probability a chance continues
	pmissLastFT := ch.Trip * (ch.Trip1 + t2 + ch.Trip3) * (1 - ch.FT)
	cont := fga*((1-ch.Three)*(1-m2)+ch.Three*(1-m3))*ch.OrebFG + pmissLastFT*ch.OrebFT
	per := ftPts + shotPts
	// geometric over chances, truncated like Distribution
	total, w := 0.0, 1.0
	for k := 0; k < maxChances; k++ {
		total += w * per
		w *= cont
	}
	return total
}

func binom(n, k int, p float64) float64 {
	c := 1.0
	for i := 0; i < k; i++ {
		c = c * float64(n-i) / float64(i+1)
	}
	return c * math.Pow(p, float64(k)) * math.Pow(1-p, float64(n-k))
}

func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
