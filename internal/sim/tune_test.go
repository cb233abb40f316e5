package sim

import (
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/store/sqlite"
)

// The tuning loop (docs/sim.md, "Tuning"): the pregame model's analytic
// win probability Φ((M + shift)/WinSD), the same walk-forward as the
// backtest but without simulations, for named model variants, on the
// store of scripts/sim-backtest.sh. Off unless NBASIM_SIM_TUNE_DB names
// that store's nbasim.db:
//
//	NBASIM_SIM_TUNE_DB=/tmp/simbt/data/nbasim.db \
//	NBASIM_SIM_TUNE_CACHE=/tmp/simtune/corpus.gob \
//	NBASIM_SIM_TUNE=base,intercept NBASIM_SIM_TUNE_SEASONS=2014-15,2015-16,2016-17 \
//	nice -n 15 go test ./internal/sim/ -run TestTune -v -timeout 2h
//
// TestTuneSimCheck compares the simulator with the analytic probability
// game by game; TestTuneBacktest runs the real backtest of a variant
// (NBASIM_SIM_TUNE_N simulations, default 300).

// tuneBase is the configuration before the tuning of 2026-12-07 (main
// 1e3113e; DefaultConfig without the stretch, the availability model,
// garbage time left out of the team ratings and the neutral site):
// every variant below changes it.
func tuneBase() Config {
	c := DefaultConfig
	c.Stretch, c.Neutral, c.Ratings.DropGarbage = false, false, false
	c.Players.Availability, c.Players.ReplacementFill = false, false
	return c
}

// tuneVariants are the model variants the tuning loop knows, as changes
// of tuneBase ("default" is DefaultConfig).
var tuneVariants = map[string]func(*Config){
	"default":     func(c *Config) { *c = DefaultConfig },
	"base":        func(*Config) {},
	"intercept":   func(c *Config) { c.Blend.WinIntercept = true },
	"k75":         func(c *Config) { c.ScoreEffect, c.StrengthScale = 0.0075, 1.6 },
	"k10":         func(c *Config) { c.ScoreEffect, c.StrengthScale = 0.01, 1.8 },
	"bxscaled":    func(c *Config) { c.Players.BoxPriorScaled = true },
	"bxscaled6":   func(c *Config) { c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds = true, 6000 },
	"bxscaled100": func(c *Config) { c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds = true, 100000 },
	"solve1":      func(c *Config) { c.Players.SolveEveryDays = 1 },
	"solve3":      func(c *Config) { c.Players.SolveEveryDays = 3 },
	"phl250":      func(c *Config) { c.Players.HalfLifeDays = 250 },
	"phl500":      func(c *Config) { c.Players.HalfLifeDays = 500 },
	"thl50":       func(c *Config) { c.Ratings.HalfLifeDays = 50 },
	"thl110":      func(c *Config) { c.Ratings.HalfLifeDays = 110 },
	"bhl200":      func(c *Config) { c.Blend.HalfLifeDays = 200 },
	"bhl700":      func(c *Config) { c.Blend.HalfLifeDays = 700 },
	"share5":      func(c *Config) { c.Players.ShareDecay = 0.5 },
	"share7":      func(c *Config) { c.Players.ShareDecay = 0.7 },
	"bxscaled300": func(c *Config) { c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds = true, 300000 },
	"thl90":       func(c *Config) { c.Ratings.HalfLifeDays = 90 },
	"thl150":      func(c *Config) { c.Ratings.HalfLifeDays = 150 },
	"combo": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays = true, 100000, 110
	},
	"combo2": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays, c.Players.HalfLifeDays = true, 100000, 110, 500
	},
	"combo3": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays, c.Players.HalfLifeDays = true, 200000, 130, 500
	},
	"combo2l3": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays, c.Players.HalfLifeDays, c.Players.Prior = true, 100000, 110, 500, 3000
	},
	"combo2l6": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays, c.Players.HalfLifeDays, c.Players.Prior = true, 100000, 110, 500, 6000
	},
	"combo2p700": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays, c.Players.HalfLifeDays = true, 100000, 110, 700
	},
	"combo3s": func(c *Config) {
		c.Players.BoxPriorScaled, c.Players.BoxPriorSeconds, c.Ratings.HalfLifeDays, c.Players.HalfLifeDays = true, 200000, 130, 500
		c.Stretch = true
	},
	"stretch":       func(c *Config) { c.Stretch = true },
	"avail6":        func(c *Config) { c.Players.Availability, c.Players.AvailDecay = true, 0.6 },
	"avail75":       func(c *Config) { c.Players.Availability, c.Players.AvailDecay = true, 0.75 },
	"avail85":       func(c *Config) { c.Players.Availability, c.Players.AvailDecay = true, 0.85 },
	"neutral":       func(c *Config) { c.Neutral = true },
	"nogarb":        func(c *Config) { c.Ratings.DropGarbage = true },
	"nogarbneutral": func(c *Config) { c.Ratings.DropGarbage, c.Neutral = true, true },
	"all1": func(c *Config) {
		c.Ratings.DropGarbage, c.Neutral = true, true
		c.Players.Availability, c.Players.AvailDecay = true, 0.85
	},
	"rep1": func(c *Config) {
		c.Players.Availability, c.Players.AvailDecay, c.Players.ReplacementFill, c.Players.Replacement = true, 0.85, true, -1
	},
	"rep2": func(c *Config) {
		c.Players.Availability, c.Players.AvailDecay, c.Players.ReplacementFill, c.Players.Replacement = true, 0.85, true, -2
	},
	"rep3": func(c *Config) {
		c.Players.Availability, c.Players.AvailDecay, c.Players.ReplacementFill, c.Players.Replacement = true, 0.85, true, -3
	},
	"all2s": func(c *Config) {
		c.Ratings.DropGarbage, c.Neutral, c.Stretch = true, true, true
		c.Players.Availability, c.Players.AvailDecay, c.Players.ReplacementFill, c.Players.Replacement = true, 0.85, true, -1
	},

	"all2": func(c *Config) {
		c.Ratings.DropGarbage, c.Neutral = true, true
		c.Players.Availability, c.Players.AvailDecay, c.Players.ReplacementFill, c.Players.Replacement = true, 0.85, true, -1
	},
	"oracle":  func(*Config) {},                                                              // base, with who really played (a ceiling, never a model)
	"oracle2": func(c *Config) { c.Players.Availability, c.Players.AvailDecay = true, 0.85 }, // who plays, at usual shares
	"k75s":    func(c *Config) { c.ScoreEffect, c.StrengthScale = 0.0075, 1.67 },
	"k85s":    func(c *Config) { c.ScoreEffect, c.StrengthScale = 0.0085, 1.78 },
}

func tuneCorpus(t *testing.T) *Corpus {
	db := os.Getenv("NBASIM_SIM_TUNE_DB")
	cache := os.Getenv("NBASIM_SIM_TUNE_CACHE")
	if cache != "" {
		if f, err := os.Open(cache); err == nil {
			defer f.Close()
			var c Corpus
			if err := gob.NewDecoder(f).Decode(&c); err != nil {
				t.Fatal(err)
			}
			return &c
		}
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	c, err := LoadCorpus(ctx, st, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("corpus: %d games in %s", len(c.Games), time.Since(t0))
	if cache != "" {
		f, err := os.Create(cache)
		if err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(f).Encode(c); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// standIn walks the corpus and predicts every game of the seasons with
// the analytic pregame probability.
//
// oracle (a diagnostic, never a model: it reads who played in the
// predicted game) replaces the expected lineups by the real minutes of
// the game, to measure how much a better availability model could gain.
func standIn(c *Corpus, cfg Config, seasons map[string]bool, oracle bool, kg map[string][]Score) (map[string]*Score, map[string]Calibration, error) {
	last := ""
	for i := range c.Games {
		if seasons[c.Games[i].Season] {
			last = c.Games[i].Date
		}
	}
	est := NewEstimator(c, cfg)
	dump, err := newTuneDump(c, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer dump.close()
	scores := map[string]*Score{"overall": {}}
	cals := map[string]Calibration{"overall": newCalibration()}
	for i := 0; i < len(c.Games); {
		date := c.Games[i].Date
		if date > last {
			break
		}
		j := dayEnd(c.Games, i)
		var day []*Game
		for k := i; k < j; k++ {
			if seasons[c.Games[k].Season] {
				day = append(day, &c.Games[k])
			}
		}
		i = j
		if len(day) == 0 {
			continue
		}
		if err := est.AdvanceTo(date); err != nil {
			return nil, nil, err
		}
		r, err := est.ratings.snapshot()
		if err != nil {
			return nil, nil, err
		}
		dn, err := dayNumber(date)
		if err != nil {
			return nil, nil, err
		}
		est.players.solve(dn)
		pv := est.players.values(dn)
		for _, g := range day {
			f := features(&r, pv, g.HomeID, g.AwayID, cfg.neutral(g.Date), dn)
			if oracle && cfg.Players.Availability {
				var v [3]float64
				for side, team := range [3]string{"", g.HomeID, g.AwayID} {
					if side == 0 {
						continue
					}
					list := est.players.av[team]
					num, den := 0.0, 0.0
					for _, b := range g.Box {
						if int(b.Side) != side {
							continue
						}
						sh := 5 * float64(b.Seconds) / 2880
						if e := list[b.Player]; e != nil {
							sh = e.play
						}
						num += sh * est.players.x[b.Player]
						den += sh
					}
					if den > 0 {
						v[side] = 5 * num / den
					}
				}
				h, a := r.Teams[g.HomeID], r.Teams[g.AwayID]
				f[featPlayers] = (v[1] - v[2]) * (r.Pace + h.Pace + a.Pace) / 100
			} else if oracle {
				var v, w [3]float64
				for _, b := range g.Box {
					if int(b.Player) < len(est.players.x) {
						v[b.Side] += float64(b.Seconds) * est.players.x[b.Player]
						w[b.Side] += float64(b.Seconds)
					}
				}
				if w[1] > 0 && w[2] > 0 {
					h, a := r.Teams[g.HomeID], r.Teams[g.AwayID]
					f[featPlayers] = 5 * (v[1]/w[1] - v[2]/w[2]) * (r.Pace + h.Pace + a.Pace) / 100
				}
			}
			p := est.blend.winProb(est.blend.predict(f))
			won := g.HomePts > g.AwayPts
			if err := dump.write(c, est, &r, g, f, p, dn); err != nil {
				return nil, nil, err
			}
			if kg != nil {
				ph := "regular"
				switch {
				case g.SeasonType != "regular":
					ph = "playoffs"
				case g.Date[5:7] == "10" || g.Date[5:7] == "11":
					ph = "oct-nov"
				case g.Date[5:7] == "04":
					ph = "april"
				}
				if kg[ph] == nil {
					kg[ph] = make([]Score, 9)
				}
				z := est.blend.predict(f) / est.blend.winSD
				for i := range kg[ph] {
					k := 0.8 + 0.05*float64(i)
					kg[ph][i].add(0.5*math.Erfc(-k*z/math.Sqrt2), won)
				}
			}
			if scores[g.Season] == nil {
				scores[g.Season] = &Score{}
				cals[g.Season] = newCalibration()
			}
			keys := []string{g.Season, "overall"}
			if os.Getenv("NBASIM_SIM_TUNE_MONTHS") != "" {
				keys = append(keys, g.Season+" "+g.Date[5:7])
			}
			for _, k := range keys {
				if scores[k] == nil {
					scores[k] = &Score{}
					cals[k] = newCalibration()
				}
				scores[k].add(p, won)
				cals[k].add(p, won)
			}
		}
	}
	return scores, cals, nil
}

// tuneDump writes, for analyses outside Go (docs/sim.md, "Tuning,
// fourth session"), one CSV line per predicted game (NBASIM_SIM_TUNE_DUMP
// = FILE): id, season, season type, date, home, away, the five blend
// features, the expected margin M, the win spread, the probability, the
// points of both sides, and a last column that is 0 unless
// NBASIM_SIM_TUNE_FUTURE is set: then it is the players feature under the
// player ratings of the end of the game's season (a leaky diagnostic:
// those ratings saw the game and the rest of the season; never a model).
// FILE.games lists every game of the corpus (id, season, season type,
// date, home, away, points), for schedule features.
type tuneDump struct {
	w   *os.File
	fut *Estimator           // the estimator of the season's end (NBASIM_SIM_TUNE_FUTURE)
	fx  map[string][]float64 // the player ratings at each season's end
}

// newTuneDump opens the dump of NBASIM_SIM_TUNE_DUMP (nil when unset).
func newTuneDump(c *Corpus, cfg Config) (*tuneDump, error) {
	fn := os.Getenv("NBASIM_SIM_TUNE_DUMP")
	if fn == "" {
		return nil, nil
	}
	var b strings.Builder
	for i := range c.Games {
		g := &c.Games[i]
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%d,%d\n", g.ID, g.Season, g.SeasonType, g.Date, g.HomeCode, g.AwayCode, g.HomePts, g.AwayPts)
	}
	if err := os.WriteFile(fn+".games", []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	w, err := os.Create(fn)
	if err != nil {
		return nil, err
	}
	d := &tuneDump{w: w, fx: map[string][]float64{}}
	if os.Getenv("NBASIM_SIM_TUNE_FUTURE") != "" {
		d.fut = NewEstimator(c, cfg)
	}
	return d, nil
}

// write dumps one predicted game (f its features, p its probability).
func (d *tuneDump) write(c *Corpus, est *Estimator, r *Ratings, g *Game, f [numFeatures]float64, p float64, dn int) error {
	if d == nil {
		return nil
	}
	future := 0.0
	if d.fut != nil {
		if d.fx[g.Season] == nil {
			end := ""
			for k := range c.Games {
				if c.Games[k].Season == g.Season {
					end = c.Games[k].Date
				}
			}
			t, err := time.Parse("2006-01-02", end)
			if err != nil {
				return err
			}
			next := t.AddDate(0, 0, 1).Format("2006-01-02")
			if err := d.fut.AdvanceTo(next); err != nil {
				return err
			}
			ndn, err := dayNumber(next)
			if err != nil {
				return err
			}
			d.fut.players.solve(ndn)
			d.fx[g.Season] = append([]float64(nil), d.fut.players.x...)
		}
		saved := est.players.x
		est.players.x = append(append([]float64(nil), d.fx[g.Season]...), make([]float64, max(len(saved)-len(d.fx[g.Season]), 0))...)
		pv := est.players.values(dn)
		est.players.x = saved
		h, a := r.Teams[g.HomeID], r.Teams[g.AwayID]
		future = (pv[g.HomeID] - pv[g.AwayID]) * (r.Pace + h.Pace + a.Pace) / 100
	}
	_, err := fmt.Fprintf(d.w, "%s,%s,%s,%s,%s,%s,%g,%g,%g,%g,%g,%g,%g,%g,%d,%d,%g\n", g.ID, g.Season, g.SeasonType, g.Date, g.HomeCode, g.AwayCode,
		f[0], f[1], f[2], f[3], f[4], est.blend.predict(f), est.blend.winSD, p, g.HomePts, g.AwayPts, future)
	return err
}

// close closes the dump (a nil dump is a no-op).
func (d *tuneDump) close() {
	if d != nil {
		d.w.Close()
	}
}

func TestTune(t *testing.T) {
	if os.Getenv("NBASIM_SIM_TUNE_DB") == "" {
		t.Skip("the tuning loop runs with NBASIM_SIM_TUNE_DB=path/to/nbasim.db (docs/sim.md, \"Tuning\")")
	}
	c := tuneCorpus(t)
	seasons := map[string]bool{}
	for _, s := range strings.Split(os.Getenv("NBASIM_SIM_TUNE_SEASONS"), ",") {
		if s != "" {
			seasons[s] = true
		}
	}
	if len(seasons) == 0 {
		seasons = map[string]bool{"2014-15": true, "2015-16": true, "2016-17": true}
	}
	names := strings.Split(os.Getenv("NBASIM_SIM_TUNE"), ",")
	if names[0] == "" {
		names = []string{"base"}
	}
	out := make([]string, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for vi, name := range names {
		set, ok := tuneVariants[name]
		if !ok {
			t.Fatalf("no variant %q", name)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := tuneBase()
			set(&cfg)
			t0 := time.Now()
			var kg map[string][]Score
			if os.Getenv("NBASIM_SIM_TUNE_SPREAD") != "" {
				kg = map[string][]Score{}
			}
			sc, cal, err := standIn(c, cfg, seasons, strings.HasPrefix(name, "oracle"), kg)
			if err != nil {
				out[vi] = fmt.Sprintf("%s: %v", name, err)
				return
			}
			var b strings.Builder
			if os.Getenv("NBASIM_SIM_TUNE_AVAIL") != "" && cfg.Players.Availability {
				est := NewEstimator(c, cfg)
				if err := est.AdvanceTo("2017-06-30"); err == nil {
					a := est.players.avail
					for k := range a.n {
						fmt.Fprintf(&b, "avail key seen=%d miss=%d role=%d ctx=%d n=%.0f p=%.3f\n", k/availCtx/availRoles/(availMaxMiss+1), (k/availCtx/availRoles)%(availMaxMiss+1), (k/availCtx)%availRoles, k%availCtx, a.n[k], a.prob(k))
					}
				}
			}
			if os.Getenv("NBASIM_SIM_TUNE_AVAIL") != "" && cfg.Players.Availability {
				est := NewEstimator(c, cfg)
				if err := est.AdvanceTo("2017-01-15"); err == nil {
					for team := range est.players.av {
						tot := 0.0
						for _, v := range est.players.expectedShares(team, 17200) {
							tot += v
						}
						fmt.Fprintf(&b, "team %s expected shares sum %.2f\n", team, tot)
					}
				}
			}
			for ph, v := range kg {
				fmt.Fprintf(&b, "spread scale %s:", ph)
				for i := range v {
					fmt.Fprintf(&b, " %.2f:%.5f", 0.8+0.05*float64(i), v[i].brier/float64(v[i].N))
				}
				fmt.Fprintf(&b, " (n=%d)\n", v[0].N)
			}
			o := sc["overall"]
			fmt.Fprintf(&b, "%-24s overall n=%d brier=%.5f logloss=%.5f acc=%.4f maxgap(>=100)=%.1f pp (%s)\n", name, o.N, o.brier/float64(o.N), o.logloss/float64(o.N), o.Accuracy, cal["overall"].MaxGapPP(100), time.Since(t0).Round(time.Second))
			var keys []string
			for s := range sc {
				if s != "overall" {
					keys = append(keys, s)
				}
			}
			sort.Strings(keys)
			for _, s := range keys {
				if x := sc[s]; x != nil {
					fmt.Fprintf(&b, "    %s n=%d brier=%.5f logloss=%.5f gap=%.1f\n", s, x.N, x.brier/float64(x.N), x.logloss/float64(x.N), cal[s].MaxGapPP(100))
				}
			}
			for _, bin := range cal["overall"] {
				if bin.N > 0 {
					fmt.Fprintf(&b, "    %s n=%d pred=%.3f obs=%.3f gap=%.1f\n", bin.Range, bin.N, bin.Predicted, bin.Observed, bin.GapPP)
				}
			}
			out[vi] = b.String()
			t.Log("\n" + out[vi])
		}()
	}
	wg.Wait()
	if f := os.Getenv("NBASIM_SIM_TUNE_OUT"); f != "" {
		fh, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(fh, "== %s seasons=%v\n%s", time.Now().UTC().Format(time.RFC3339), os.Getenv("NBASIM_SIM_TUNE_SEASONS"), strings.Join(out, ""))
			fh.Close()
		}
	}
}

// TestTuneSimCheck compares the simulator's pregame win probability with
// the analytic one, game by game, on a sample of dates.
func TestTuneSimCheck(t *testing.T) {
	if os.Getenv("NBASIM_SIM_TUNE_DB") == "" {
		t.Skip("the tuning loop runs with NBASIM_SIM_TUNE_DB=path/to/nbasim.db (docs/sim.md, \"Tuning\")")
	}
	c := tuneCorpus(t)
	season := os.Getenv("NBASIM_SIM_TUNE_SEASONS")
	if season == "" {
		season = "2016-17"
	}
	names := strings.Split(os.Getenv("NBASIM_SIM_TUNE"), ",")
	cfg := tuneBase()
	for _, n := range names {
		if set, ok := tuneVariants[n]; ok {
			set(&cfg)
		}
	}
	est := NewEstimator(c, cfg)
	var bins [10]struct{ n, pa, ps, dm float64 }
	var sa, ss Score
	nd := 0
	for i := 0; i < len(c.Games); {
		date := c.Games[i].Date
		j := dayEnd(c.Games, i)
		var day []*Game
		for k := i; k < j; k++ {
			if c.Games[k].Season == season {
				day = append(day, &c.Games[k])
			}
		}
		i = j
		if len(day) == 0 {
			continue
		}
		nd++
		if nd%4 != 0 {
			continue
		}
		if err := est.AdvanceTo(date); err != nil {
			t.Fatal(err)
		}
		m, err := est.Model()
		if err != nil {
			t.Fatal(err)
		}
		if nd%40 == 0 {
			t.Logf("%s WinSD=%.2f GameSD=%.2f MarginSD=%.2f", date, m.WinSD, m.GameSD, m.MarginSD)
		}
		for _, g := range day {
			x := m.NewMatchup(g.HomeID, g.AwayID, false)
			pa := est.blend.winProb(x.ExpectedMargin)
			o, err := x.Simulate(Tip(), Options{N: 4000, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			s := Summarize(o, 0)
			sa.add(pa, g.HomePts > g.AwayPts)
			ss.add(s.HomeWinProb, g.HomePts > g.AwayPts)
			b := &bins[min(int(pa*10), 9)]
			b.n++
			b.pa += pa
			b.ps += s.HomeWinProb
			b.dm += s.Margin.Mean - x.ExpectedMargin
		}
	}
	t.Logf("%v n=%d brier analytic=%.5f sim=%.5f", names, sa.N, sa.brier/float64(sa.N), ss.brier/float64(ss.N))
	for k, b := range bins {
		if b.n > 0 {
			t.Logf("%.1f n=%.0f analytic=%.3f sim=%.3f sim-analytic=%+.3f margin sim-M=%+.2f", float64(k)/10, b.n, b.pa/b.n, b.ps/b.n, (b.ps-b.pa)/b.n, b.dm/b.n)
		}
	}
}

// TestTuneBacktest runs the real (simulated) backtest of a variant on
// NBASIM_SIM_TUNE_SEASONS with NBASIM_SIM_TUNE_N simulations.
func TestTuneBacktest(t *testing.T) {
	if os.Getenv("NBASIM_SIM_TUNE_DB") == "" {
		t.Skip("the tuning loop runs with NBASIM_SIM_TUNE_DB=path/to/nbasim.db (docs/sim.md, \"Tuning\")")
	}
	c := tuneCorpus(t)
	var seasons []string
	for _, s := range strings.Split(os.Getenv("NBASIM_SIM_TUNE_SEASONS"), ",") {
		if s != "" {
			seasons = append(seasons, s)
		}
	}
	cfg := tuneBase()
	names := strings.Split(os.Getenv("NBASIM_SIM_TUNE"), ",")
	for _, n := range names {
		if set, ok := tuneVariants[n]; ok {
			set(&cfg)
		}
	}
	n := 300
	fmt.Sscan(os.Getenv("NBASIM_SIM_TUNE_N"), &n)
	pn := 0
	fmt.Sscan(os.Getenv("NBASIM_SIM_TUNE_PREGAME_N"), &pn)
	t0 := time.Now()
	rep, err := Backtest(context.Background(), c, BacktestOptions{Seasons: seasons, N: n, PregameN: pn, Seed: 1, Config: cfg,
		PregameOnly: os.Getenv("NBASIM_SIM_TUNE_PREGAME_ONLY") != ""})
	if err != nil {
		t.Fatal(err)
	}
	if f := os.Getenv("NBASIM_SIM_TUNE_PRED"); f != "" {
		// every prediction (NaN: no prediction at that moment), for
		// merging backtests run season by season (the predictions do not
		// depend on which seasons a run predicts)
		type row struct {
			Game, Season string
			HomeWon      bool
			Probs        map[string][]*float64
		}
		rows := make([]row, 0, len(rep.Predictions))
		for _, p := range rep.Predictions {
			r := row{Game: p.GameID, Season: p.Season, HomeWon: p.HomeWon, Probs: map[string][]*float64{}}
			for k, v := range p.Probs {
				for i := range v {
					if math.IsNaN(v[i]) {
						r.Probs[k] = append(r.Probs[k], nil)
					} else {
						r.Probs[k] = append(r.Probs[k], &v[i])
					}
				}
			}
			rows = append(rows, r)
		}
		b, err := json.Marshal(rows)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := rep.Overall
	pre := o.Scores[Moments[0].Name][PredSim]
	t.Logf("%v seasons=%v n=%d (%s): pregame brier=%.4f logloss=%.4f cal=%.1f pp; in-game time-avg=%.4f (logistic %.4f) cal=%.1f pp",
		names, seasons, n, time.Since(t0).Round(time.Second), pre.Brier, pre.LogLoss, o.Calibration["pregame"].MaxGapPP(100),
		o.TimeAveraged[PredSim], o.TimeAveraged[PredLogistic], o.Calibration["in_game"].MaxGapPP(100))
	for _, m := range Moments {
		t.Logf("  %-12s brier=%.4f", m.Name, o.Scores[m.Name][PredSim].Brier)
	}
	for _, k := range []string{"pregame", "in_game"} {
		for _, b := range o.Calibration[k] {
			t.Logf("  %s %s n=%d pred=%.3f obs=%.3f gap=%.1f", k, b.Range, b.N, b.Predicted, b.Observed, b.GapPP)
		}
	}
}

// TestTuneMerge pools the predictions of TestTuneBacktest runs
// (NBASIM_SIM_TUNE_MERGE: their NBASIM_SIM_TUNE_PRED files, comma
// separated, seasons in order) into one report, scored by the backtest's
// own code, and writes it with WriteBacktestFiles to
// NBASIM_SIM_TUNE_MERGE_OUT.
func TestTuneMerge(t *testing.T) {
	files := os.Getenv("NBASIM_SIM_TUNE_MERGE")
	if files == "" {
		t.Skip("merges TestTuneBacktest predictions: NBASIM_SIM_TUNE_MERGE=a.json,b.json NBASIM_SIM_TUNE_MERGE_OUT=DIR")
	}
	rep := &Report{Simulations: 1000, PregameSimulations: 1000, Seed: 1}
	fmt.Sscan(os.Getenv("NBASIM_SIM_TUNE_PREGAME_N"), &rep.PregameSimulations)
	bySeason := map[string]*SeasonReport{}
	for _, f := range strings.Split(files, ",") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			Game, Season string
			HomeWon      bool
			Probs        map[string][]*float64
		}
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			p := &Prediction{GameID: r.Game, Season: r.Season, HomeWon: r.HomeWon, Probs: map[string][]float64{}}
			for k, v := range r.Probs {
				for _, q := range v {
					if q == nil {
						p.Probs[k] = append(p.Probs[k], math.NaN())
					} else {
						p.Probs[k] = append(p.Probs[k], *q)
					}
				}
			}
			sr := bySeason[p.Season]
			if sr == nil {
				sr = newSeasonReport(p.Season)
				bySeason[p.Season] = sr
			}
			sr.add(p)
		}
	}
	rep.finish(bySeason)
	if err := WriteBacktestFiles(os.Getenv("NBASIM_SIM_TUNE_MERGE_OUT"), rep); err != nil {
		t.Fatal(err)
	}
	pre := rep.Overall.Scores[Moments[0].Name][PredSim]
	t.Logf("%d games: pregame brier %.4f log loss %.4f, %d seasons better than Elo", rep.Overall.Games, pre.Brier, pre.LogLoss, rep.SeasonsBeatingElo)
}
