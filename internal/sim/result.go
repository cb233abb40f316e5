package sim

import (
	"math"
)

// Dist5 describes a distribution by its mean and percentiles.
type Dist5 struct {
	Mean float64 `json:"mean"`
	P10  int     `json:"p10"`
	P50  int     `json:"p50"`
	P90  int     `json:"p90"`
}

// Summary is what a simulation run says about a game.
type Summary struct {
	Simulations  int     `json:"simulations"`
	Seed         uint64  `json:"seed"`
	HomeWinProb  float64 `json:"home_win_prob"`
	AwayWinProb  float64 `json:"away_win_prob"`
	OvertimeProb float64 `json:"overtime_prob"`
	Home         Dist5   `json:"home_points"`
	Away         Dist5   `json:"away_points"`
	Margin       Dist5   `json:"home_margin"`
	Total        Dist5   `json:"total_points"`
}

// Summarize reduces outcomes to a Summary. Percentiles are exact order
// statistics (nearest rank), so the summary is a pure function of the
// outcomes.
func Summarize(o *Outcomes, seed uint64) Summary {
	n := len(o.Home)
	s := Summary{Simulations: n, Seed: seed}
	if n == 0 {
		return s
	}
	const off = 400 // counting sorts over [-off, 2*off)
	var hh, ah, mh, th [3 * off]int
	wins := 0
	var sh, sa, sm, st float64
	for i := 0; i < n; i++ {
		h, a := int(o.Home[i]), int(o.Away[i])
		if h > a {
			wins++
		}
		hh[clampIdx(h+off)]++
		ah[clampIdx(a+off)]++
		mh[clampIdx(h-a+off)]++
		th[clampIdx(h+a)]++
		sh += float64(h)
		sa += float64(a)
		sm += float64(h - a)
		st += float64(h + a)
	}
	s.HomeWinProb = float64(wins) / float64(n)
	s.AwayWinProb = 1 - s.HomeWinProb
	s.OvertimeProb = float64(o.OT) / float64(n)
	mk := func(hist *[3 * off]int, sum float64, shift int) Dist5 {
		return Dist5{Mean: round3(sum / float64(n)), P10: pct(hist, n, 0.10) - shift, P50: pct(hist, n, 0.50) - shift, P90: pct(hist, n, 0.90) - shift}
	}
	s.Home = mk(&hh, sh, off)
	s.Away = mk(&ah, sa, off)
	s.Margin = mk(&mh, sm, off)
	s.Total = mk(&th, st, 0)
	s.HomeWinProb = round4(s.HomeWinProb)
	s.AwayWinProb = round4(s.AwayWinProb)
	s.OvertimeProb = round4(s.OvertimeProb)
	return s
}

func clampIdx(i int) int { return min(max(i, 0), 3*400-1) }

// pct returns the nearest-rank q-quantile index of a histogram.
func pct(hist *[1200]int, n int, q float64) int {
	rank := int(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	acc := 0
	for i, c := range hist {
		acc += c
		if acc >= rank {
			return i
		}
	}
	return len(hist) - 1
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
