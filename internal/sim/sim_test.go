package sim

import (
	"math"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/timing"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		period int
		clock  model.Tenths
		margin int
		want   Class
	}{
		{1, 7200, 0, Normal},
		{3, 100, 25, Normal},    // garbage only in the fourth
		{4, 4200, 18, Garbage},  // 7:00, up 18
		{4, 4201, 30, Normal},   // 7:00.1 left
		{4, 3000, -20, Garbage}, // down 20
		{4, 600, 5, LateLead},   // 1:00, up 5: the defense fouls
		{4, 600, 0, LateTrail},  // tied
		{4, 300, -9, LateTrail},
		{4, 300, 10, Normal}, // up 10 in the last minute: over
		{5, 200, 3, LateLead},
		{5, 200, 25, Normal}, // no garbage time in overtime
	} {
		if got := Classify(tc.period, tc.clock, tc.margin); got != tc.want {
			t.Errorf("Classify(%d, %s, %d) = %s, want %s", tc.period, tc.clock, tc.margin, got, tc.want)
		}
	}
}

// The outcome distribution of a chain is a distribution, its mean is the
// closed-form expectation, and DeltaFor hits a target mean.
func TestChainDistribution(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ch     Chain
		target float64
	}{
		{"default", defaultChain, 1.10},
		{"no offensive rebounds", func() Chain { c := defaultChain; c.OrebFG, c.OrebFT = 0, 0; return c }(), 1.00},
		{"fouling", func() Chain { c := defaultChain; c.Trip, c.TO = 0.6, 0.02; return c }(), 1.45},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.ch.Distribution(0)
			sum, mean := 0.0, 0.0
			for i, p := range d.P {
				if p < 0 {
					t.Fatalf("negative probability %v", p)
				}
				sum += p
				mean += p * float64(d.outs[i].Pts)
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("probabilities sum to %v", sum)
			}
			if math.Abs(mean-tc.ch.expected(0)) > 1e-6 || math.Abs(mean-d.Mean) > 1e-9 {
				t.Fatalf("mean %v, closed form %v, Dist.Mean %v", mean, tc.ch.expected(0), d.Mean)
			}
			delta := tc.ch.DeltaFor(tc.target)
			if got := tc.ch.Distribution(delta).Mean; math.Abs(got-tc.target) > 1e-4 {
				t.Fatalf("DeltaFor(%v) gives a mean of %v", tc.target, got)
			}
			// drawing follows the probabilities: the last threshold is the top
			if d.cum[len(d.cum)-1] != math.MaxUint64 {
				t.Fatal("the last cumulative threshold is not 2^64-1")
			}
			if o := d.draw(0); o != d.outs[0] {
				t.Fatalf("draw(0) = %+v, want the first outcome %+v", o, d.outs[0])
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	o := &Outcomes{}
	for i := 1; i <= 10; i++ { // home 101..110, away 100 each: home wins all, margins 1..10
		o.Home = append(o.Home, int16(100+i))
		o.Away = append(o.Away, 100)
	}
	o.OT = 2
	s := Summarize(o, 3)
	want := Summary{Simulations: 10, Seed: 3, HomeWinProb: 1, AwayWinProb: 0, OvertimeProb: 0.2,
		Home:   Dist5{Mean: 105.5, P10: 101, P50: 105, P90: 109},
		Away:   Dist5{Mean: 100, P10: 100, P50: 100, P90: 100},
		Margin: Dist5{Mean: 5.5, P10: 1, P50: 5, P90: 9},
		Total:  Dist5{Mean: 205.5, P10: 201, P50: 205, P90: 209}}
	if s != want {
		t.Fatalf("Summarize =\n%+v\nwant\n%+v", s, want)
	}
}

// TestEloMatchesFiveThirtyEight checks one update against the published
// formula: K=20, home +100, MOV multiplier (|MOV|+3)^0.8/(7.5+0.006*d).
func TestEloMatchesFiveThirtyEight(t *testing.T) {
	e := NewElo()
	p := e.Prob("A", "B", "2018-19")
	if want := 1 / (1 + math.Pow(10, -100.0/400)); math.Abs(p-want) > 1e-12 {
		t.Fatalf("first game home prob %v, want %v", p, want)
	}
	e.Update(&Game{HomeID: "A", AwayID: "B", Season: "2018-19", HomePts: 110, AwayPts: 100})
	mult := math.Pow(13, 0.8) / (7.5 + 0.006*100)
	want := 1500 + 20*mult*(1-p)
	if math.Abs(e.rating["A"]-want) > 1e-9 || math.Abs(e.rating["B"]-(3000-want)) > 1e-9 {
		t.Fatalf("ratings %v, want A %v", e.rating, want)
	}
	// next season: 3/4 carried over toward 1505
	e.Prob("A", "B", "2019-20")
	if got, w := e.rating["A"], 0.75*want+0.25*1505; math.Abs(got-w) > 1e-9 {
		t.Fatalf("carry-over: %v, want %v", got, w)
	}
}

// TestLogisticFits: the in-game baseline recovers a known model.
func TestLogisticFits(t *testing.T) {
	l := &Logistic{}
	r := rng{s: 1}
	for i := 0; i < 20000; i++ {
		st := Start{Period: 1 + int(r.next()%4), Clock: model.Tenths(r.next() % 7200), Home: 50}
		st.Away = 50 - 15 + int(r.next()%31)
		x := logisticFeatures(st)
		z := 0.3 + 0.05*x[1] + 0.4*x[2]
		y := 0.0
		if r.float() < 1/(1+math.Exp(-z)) {
			y = 1
		}
		l.X = append(l.X, x)
		l.Y = append(l.Y, y)
	}
	l.Fit()
	for i, want := range []float64{0.3, 0.05, 0.4} {
		if math.Abs(l.Beta[i]-want) > 0.08 {
			t.Fatalf("beta %v, want about [0.3 0.05 0.4]", l.Beta)
		}
	}
}

// TestSimulateFromStates: a game decided on the clock stays decided, a
// big lead late wins nearly always, and the same seed repeats exactly.
func TestSimulateFromStates(t *testing.T) {
	m, err := ModelAt(&Corpus{}, "2019-01-01", DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	x := m.NewMatchup("A", "B", false)
	for _, tc := range []struct {
		name     string
		st       Start
		min, max float64
	}{
		{"tip between equal teams: home court only", Tip(), 0.50, 0.70},
		{"up 20 with 2:00 left", Start{Period: 4, Clock: 1200, Home: 100, Away: 80, Ball: model.Away}, 0.995, 1},
		{"down 3 with 0:01 left, own ball", Start{Period: 4, Clock: 10, Home: 97, Away: 100, Ball: model.Home}, 0, 0.08},
		{"tied at the start of overtime", Start{Period: 5, Clock: 3000, Home: 100, Away: 100}, 0.4, 0.7},
	} {
		o, err := x.Simulate(tc.st, Options{N: 4000, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(o, 1)
		if s.HomeWinProb < tc.min || s.HomeWinProb > tc.max {
			t.Errorf("%s: home wins %.4f, want %.3f-%.3f", tc.name, s.HomeWinProb, tc.min, tc.max)
		}
		o2, _ := x.Simulate(tc.st, Options{N: 4000, Seed: 1})
		if Summarize(o2, 1) != s {
			t.Errorf("%s: the same seed gave another result", tc.name)
		}
		for i := range o.Home {
			if o.Home[i] == o.Away[i] {
				t.Fatalf("%s: simulation %d ended tied %d-%d", tc.name, i, o.Home[i], o.Away[i])
			}
			if int(o.Home[i]) < tc.st.Home || int(o.Away[i]) < tc.st.Away {
				t.Fatalf("%s: simulation %d lost points", tc.name, i)
			}
		}
	}
	if _, err := x.Simulate(Start{Period: 4, Clock: 9000}, Options{N: 1}); err == nil {
		t.Error("a clock longer than the period was accepted")
	}
}

// BenchmarkSimulate10000 is the speed target: 10,000 full games (from the
// tip) on one core.
func BenchmarkSimulate10000(b *testing.B) {
	m, err := ModelAt(&Corpus{}, "2019-01-01", DefaultConfig)
	if err != nil {
		b.Fatal(err)
	}
	x := m.NewMatchup("A", "B", false)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := timing.CPUTime()
	for i := 0; i < b.N; i++ {
		if _, err := x.Simulate(Tip(), Options{N: 10000, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
	// process CPU time per op: on a loaded machine wall time (ns/op) is not
	// the cost of the work
	b.ReportMetric(float64(timing.CPUTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkMatchup is the cost of preparing a game's outcome tables.
func BenchmarkMatchup(b *testing.B) {
	m, err := ModelAt(&Corpus{}, "2019-01-01", DefaultConfig)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		m.NewMatchup("A", "B", false)
	}
}
