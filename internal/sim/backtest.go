package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
)

// BacktestOptions set a backtest.
type BacktestOptions struct {
	Seasons []string // seasons whose games are predicted ("2018-19")
	N       int      // simulations per prediction (default 2,000)
	// PregameN: simulations of the pregame prediction (0: N). The pregame
	// probability is the one a user asks for most (nbasim sim GAME runs
	// 10,000): with few simulations its Monte Carlo noise alone adds
	// p(1-p)/n to its Brier score (0.0002 at n = 1,000).
	PregameN int
	Seed     uint64
	Config   Config
	// PregameOnly predicts before the tip only (the in-game moments are
	// left out: a quick check of the pregame model).
	PregameOnly bool
	// Progress, when set, is called after each predicted game.
	Progress func(done, total int)
}

// Score accumulates accuracy, Brier score and log loss.
type Score struct {
	N        int     `json:"predictions"`
	Accuracy float64 `json:"accuracy"`
	Brier    float64 `json:"brier"`
	LogLoss  float64 `json:"log_loss"`
	right    float64
	brier    float64
	logloss  float64
}

func (s *Score) add(p float64, won bool) {
	y := 0.0
	if won {
		y = 1
	}
	s.N++
	if (p > 0.5) == won || (p == 0.5 && won) {
		s.right++
	}
	s.brier += (p - y) * (p - y)
	q := math.Min(math.Max(p, 1e-4), 1-1e-4) // probabilities of 0 or 1 cost at most log(1e4)
	if won {
		s.logloss -= math.Log(q)
	} else {
		s.logloss -= math.Log(1 - q)
	}
	s.finish()
}

func (s *Score) merge(o *Score) {
	s.N += o.N
	s.right += o.right
	s.brier += o.brier
	s.logloss += o.logloss
	s.finish()
}

func (s *Score) finish() {
	if s.N == 0 {
		return
	}
	s.Accuracy = round4(s.right / float64(s.N))
	s.Brier = round4(s.brier / float64(s.N))
	s.LogLoss = round4(s.logloss / float64(s.N))
}

// Bin is one row of a calibration table.
type Bin struct {
	From, To  float64 `json:"-"`
	Range     string  `json:"range"`
	N         int     `json:"predictions"`
	Predicted float64 `json:"mean_predicted"`
	Observed  float64 `json:"observed_rate"`
	GapPP     float64 `json:"gap_pp"` // |observed - predicted| in percentage points
	sumP, won float64
}

// Calibration is a table of predicted vs observed home win rates by decile.
type Calibration []Bin

func newCalibration() Calibration {
	c := make(Calibration, 10)
	for i := range c {
		c[i].From, c[i].To = float64(i)/10, float64(i+1)/10
		c[i].Range = fmt.Sprintf("%.1f-%.1f", c[i].From, c[i].To)
	}
	return c
}

func (c Calibration) add(p float64, won bool) {
	i := min(int(p*10), 9)
	c[i].N++
	c[i].sumP += p
	if won {
		c[i].won++
	}
	c[i].finish()
}

func (b *Bin) finish() {
	if b.N == 0 {
		return
	}
	b.Predicted = round4(b.sumP / float64(b.N))
	b.Observed = round4(b.won / float64(b.N))
	b.GapPP = round4(100 * math.Abs(b.Observed-b.Predicted))
}

func (c Calibration) merge(o Calibration) {
	for i := range c {
		c[i].N += o[i].N
		c[i].sumP += o[i].sumP
		c[i].won += o[i].won
		c[i].finish()
	}
}

// MaxGapPP is the largest gap over deciles holding at least minN predictions.
func (c Calibration) MaxGapPP(minN int) float64 {
	g := 0.0
	for _, b := range c {
		if b.N >= minN {
			g = math.Max(g, b.GapPP)
		}
	}
	return g
}

// Predictors of a backtest.
const (
	PredSim      = "sim"
	PredElo      = "elo"
	PredHome     = "home"
	PredLogistic = "logistic"
)

// SeasonReport is one season's backtest.
type SeasonReport struct {
	Season string `json:"season"`
	Games  int    `json:"games"`
	// Scores[moment][predictor]
	Scores map[string]map[string]*Score `json:"scores"`
	// InGame: every in-game moment pooled, per predictor; TimeAveraged:
	// the mean over the six moments of each predictor's Brier score.
	InGame       map[string]*Score      `json:"in_game"`
	TimeAveraged map[string]float64     `json:"time_averaged_brier"`
	Calibration  map[string]Calibration `json:"calibration"` // "pregame" and "in_game" (sim)
}

// Report is a whole backtest.
type Report struct {
	Seasons     []*SeasonReport `json:"seasons"`
	Overall     *SeasonReport   `json:"overall"`
	Simulations int             `json:"simulations_per_prediction"`
	// PregameSimulations: simulations of each pregame prediction.
	PregameSimulations int    `json:"pregame_simulations_per_prediction"`
	Seed               uint64 `json:"seed"`
	// SeasonsBeatingElo counts the seasons whose pregame sim predictions
	// have a lower Brier score and a lower log loss than Elo's.
	SeasonsBeatingElo int          `json:"seasons_better_than_elo"`
	Predictions       []Prediction `json:"-"`
	// Skipped games of the corpus (not predicted, not learnt from).
	Skipped []Skipped `json:"skipped,omitempty"`
}

// Prediction is one game's predictions at every moment.
type Prediction struct {
	GameID  string               `json:"game_id"`
	Season  string               `json:"season"`
	Date    string               `json:"date"`
	Home    string               `json:"home"`
	Away    string               `json:"away"`
	HomeWon bool                 `json:"home_won"`
	Probs   map[string][]float64 `json:"home_win_prob"` // predictor -> one per moment
}

func newSeasonReport(season string) *SeasonReport {
	r := &SeasonReport{Season: season, Scores: map[string]map[string]*Score{}, InGame: map[string]*Score{},
		TimeAveraged: map[string]float64{}, Calibration: map[string]Calibration{"pregame": newCalibration(), "in_game": newCalibration()}}
	for _, m := range Moments {
		r.Scores[m.Name] = map[string]*Score{}
	}
	return r
}

func (r *SeasonReport) score(moment, pred string) *Score {
	s := r.Scores[moment][pred]
	if s == nil {
		s = &Score{}
		r.Scores[moment][pred] = s
	}
	return s
}

func (r *SeasonReport) add(p *Prediction) {
	r.Games++
	for pred, probs := range p.Probs {
		for i, q := range probs {
			if math.IsNaN(q) {
				continue
			}
			r.score(Moments[i].Name, pred).add(q, p.HomeWon)
			if i > 0 {
				s := r.InGame[pred]
				if s == nil {
					s = &Score{}
					r.InGame[pred] = s
				}
				s.add(q, p.HomeWon)
			}
			if pred == PredSim {
				if i == 0 {
					r.Calibration["pregame"].add(q, p.HomeWon)
				} else {
					r.Calibration["in_game"].add(q, p.HomeWon)
				}
			}
		}
	}
}

func (r *SeasonReport) finish() {
	preds := map[string]bool{}
	for _, m := range r.Scores {
		for p := range m {
			preds[p] = true
		}
	}
	for p := range preds {
		sum, n := 0.0, 0
		for _, m := range Moments {
			if s := r.Scores[m.Name][p]; s != nil && s.N > 0 {
				sum += s.Brier
				n++
			}
		}
		if n == len(Moments) {
			r.TimeAveraged[p] = round4(sum / float64(n))
		}
	}
}

// Backtest predicts every game of the chosen seasons walk-forward: each
// game from a model built only from games played before its date, before
// the tip and at every backtest moment, next to the baselines (Elo, home
// rate, in-game logistic) updated the same way.
func Backtest(ctx context.Context, c *Corpus, opt BacktestOptions) (*Report, error) {
	if opt.N <= 0 {
		opt.N = 2000
	}
	want := map[string]bool{}
	for _, s := range opt.Seasons {
		want[s] = true
	}
	total := 0
	for i := range c.Games {
		if want[c.Games[i].Season] {
			total++
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("sim: backtest: the store holds no finished game with play-by-play of season(s) %v", opt.Seasons)
	}
	if opt.PregameN <= 0 {
		opt.PregameN = opt.N
	}
	rep := &Report{Simulations: opt.N, PregameSimulations: opt.PregameN, Seed: opt.Seed, Skipped: c.Skipped}
	bySeason := map[string]*SeasonReport{}
	est := NewEstimator(c, opt.Config)
	elo, home, lg := NewElo(), &HomeRate{}, &Logistic{}
	learnt := 0 // games folded into the baselines
	var model *Model
	modelDate := ""
	done := 0
	for i := 0; i < len(c.Games); {
		date := c.Games[i].Date
		j := dayEnd(c.Games, i)
		// baselines learn every game before this date
		for ; learnt < i; learnt++ {
			g := &c.Games[learnt]
			elo.Update(g)
			home.Update(g)
			lg.Add(g)
		}
		predictToday := false
		for k := i; k < j; k++ {
			if want[c.Games[k].Season] {
				predictToday = true
			}
		}
		if predictToday {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := est.AdvanceTo(date); err != nil {
				return nil, err
			}
			if modelDate != date {
				m, err := est.Model()
				if err != nil {
					return nil, err
				}
				model, modelDate = m, date
				lg.Fit()
			}
			// the day's games are simulated in parallel (each from its own
			// seed), then scored in game order: the report does not depend
			// on the number of workers
			var day []*Game
			for k := i; k < j; k++ {
				if want[c.Games[k].Season] {
					day = append(day, &c.Games[k])
				}
			}
			preds, err := predictDay(ctx, model, day, opt, elo, home, lg)
			if err != nil {
				return nil, err
			}
			for _, p := range preds {
				sr := bySeason[p.Season]
				if sr == nil {
					sr = newSeasonReport(p.Season)
					bySeason[p.Season] = sr
				}
				sr.add(p)
				rep.Predictions = append(rep.Predictions, *p)
				done++
				if opt.Progress != nil {
					opt.Progress(done, total)
				}
			}
		}
		i = j
	}
	rep.finish(bySeason)
	return rep, nil
}

// finish scores the seasons' reports in season order and pools them into
// the overall report.
func (rep *Report) finish(bySeason map[string]*SeasonReport) {
	seasons := make([]string, 0, len(bySeason))
	for s := range bySeason {
		seasons = append(seasons, s)
	}
	sort.Strings(seasons)
	overall := newSeasonReport("overall")
	for _, s := range seasons {
		sr := bySeason[s]
		sr.finish()
		rep.Seasons = append(rep.Seasons, sr)
		if s, e := sr.Scores[Moments[0].Name][PredSim], sr.Scores[Moments[0].Name][PredElo]; s != nil && e != nil && s.Brier < e.Brier && s.LogLoss < e.LogLoss {
			rep.SeasonsBeatingElo++
		}
		overall.Games += sr.Games
		for m, preds := range sr.Scores {
			for p, sc := range preds {
				overall.score(m, p).merge(sc)
			}
		}
		for p, sc := range sr.InGame {
			if overall.InGame[p] == nil {
				overall.InGame[p] = &Score{}
			}
			overall.InGame[p].merge(sc)
		}
		for k, cal := range sr.Calibration {
			overall.Calibration[k].merge(cal)
		}
	}
	overall.finish()
	rep.Overall = overall
}

// predictDay predicts one day's games: the baselines in order (Elo's
// season carry-over writes), the simulations on up to GOMAXPROCS workers.
func predictDay(ctx context.Context, m *Model, games []*Game, opt BacktestOptions, elo *Elo, home *HomeRate, lg *Logistic) ([]*Prediction, error) {
	out := make([]*Prediction, len(games))
	errs := make([]error, len(games))
	pe := make([]float64, len(games))
	for k, g := range games {
		pe[k] = elo.Prob(g.HomeID, g.AwayID, g.Season)
	}
	ph := home.Prob()
	workers := min(runtime.GOMAXPROCS(0), len(games))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				out[k], errs[k] = predictGame(m, games[k], opt, pe[k], ph, lg)
			}
		}()
	}
	for k := range games {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// predictGame predicts one game at every moment with every predictor (pe
// and ph: the Elo and home-rate pregame probabilities).
func predictGame(m *Model, g *Game, opt BacktestOptions, pe, ph float64, lg *Logistic) (*Prediction, error) {
	p := &Prediction{GameID: g.ID, Season: g.Season, Date: g.Date, Home: g.HomeCode, Away: g.AwayCode, HomeWon: g.HomePts > g.AwayPts,
		Probs: map[string][]float64{}}
	x := m.NewMatchup(g.HomeID, g.AwayID, m.cfg.neutral(g.Date))
	for i, st := range g.Starts {
		if opt.PregameOnly && i > 0 {
			for _, k := range []string{PredSim, PredLogistic, PredElo, PredHome} {
				p.Probs[k] = append(p.Probs[k], math.NaN())
			}
			continue
		}
		n := opt.N
		if i == 0 {
			n = opt.PregameN
		}
		o, err := x.Simulate(st, Options{N: n, Seed: opt.Seed + uint64(i)})
		if err != nil {
			return nil, fmt.Errorf("sim: game %s at %s: %w", g.ID, Moments[i].Name, err)
		}
		s := Summarize(o, 0)
		p.Probs[PredSim] = append(p.Probs[PredSim], s.HomeWinProb)
		p.Probs[PredLogistic] = append(p.Probs[PredLogistic], lg.Prob(st))
		if i == 0 {
			p.Probs[PredElo] = append(p.Probs[PredElo], pe)
			p.Probs[PredHome] = append(p.Probs[PredHome], ph)
		} else {
			p.Probs[PredElo] = append(p.Probs[PredElo], math.NaN())
			p.Probs[PredHome] = append(p.Probs[PredHome], math.NaN())
		}
	}
	return p, nil
}

// dayEnd returns the index after the last game of games (ordered by date)
// played on the date of games[i].
func dayEnd(games []Game, i int) int {
	j := i
	for j < len(games) && games[j].Date == games[i].Date {
		j++
	}
	return j
}
