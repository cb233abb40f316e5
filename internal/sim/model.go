package sim

import (
	"fmt"
	"time"
)

// Config sets the whole model.
type Config struct {
	Ratings RatingConfig
	// SituationHalfLifeDays: forgetting of the league possession chains
	// per situation (slower than team ratings: league trends move slowly).
	SituationHalfLifeDays float64
	// LineupMinutes: mean length of the stretch during which the ten on
	// the court at a moment keep playing (simulations from a moment).
	LineupSeconds float64
	// RatingNoise scales the per-simulation draw of team strength from the
	// ratings' posterior (0: ratings taken as exact).
	RatingNoise float64
	// ScoreEffect: points per possession the offense loses per point it
	// leads by (gains per point behind), margins up to 20 (docs/sim.md,
	// "Score effects").
	ScoreEffect float64
	// StrengthScale multiplies each team's (and the home court's) distance
	// from the league in expected efficiency: ratings are fit to whole-game
	// efficiencies, which the score effect pulls toward the league, so a
	// team's efficiency at an even score is further from it.
	StrengthScale float64
	// Stretch: when the simulator's own game spread (GameSD) exceeds the
	// fitted win spread (WinSD), the teams' strength difference is
	// stretched by GameSD/WinSD so that the simulated pregame win
	// probability stays Φ(M/WinSD) (without it the simulator is
	// under-confident: no rating noise can narrow the spread).
	Stretch bool
	// Players sets the player ratings and expected lineups; Blend the
	// regression that turns the features into an expected margin.
	Players PlayerConfig
	Blend   BlendConfig
	// Neutral: the games NeutralSite names are played without a home
	// team (features, team ratings, matchups).
	Neutral bool
}

// DefaultConfig is the configuration the backtests report.
var DefaultConfig = Config{Ratings: DefaultRatingConfig, SituationHalfLifeDays: 180, LineupSeconds: 240, RatingNoise: 1, ScoreEffect: 0.005, StrengthScale: 1.4,
	Stretch: true, Players: DefaultPlayerConfig, Blend: DefaultBlendConfig, Neutral: true}

// Estimator walks a corpus forward in date order and gives the model as it
// stood before any date: only games played on earlier dates are ever
// folded in (walk-forward; the leak guard test holds it to that).
type Estimator struct {
	cfg     Config
	corpus  *Corpus
	next    int // index of the next corpus game not folded in
	asOf    string
	ratings *teamRatings
	players *playerRatings
	blend   *blendFit
	counts  [NumClasses][2]Counts
	lastDn  int
	latest  string // date of the latest game folded in
	folded  int
}

// NewEstimator starts an estimator over c (games in date order).
func NewEstimator(c *Corpus, cfg Config) *Estimator {
	return &Estimator{cfg: cfg, corpus: c, ratings: newTeamRatings(cfg.Ratings), players: newPlayerRatings(cfg.Players, c.Players),
		blend: newBlendFit(cfg.Blend), lastDn: -1}
}

// neutral reports whether a game of the date is played at a neutral site
// under the configuration.
func (c *Config) neutral(date string) bool { return c.Neutral && NeutralSite(date) }

// dayNumber converts a YYYY-MM-DD date to days since 1970-01-01.
func dayNumber(date string) (int, error) {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return 0, fmt.Errorf("sim: date %q: want YYYY-MM-DD", date)
	}
	return int(t.Unix() / 86400), nil
}

// AdvanceTo folds in every game played before date. Dates must not go
// backwards.
func (e *Estimator) AdvanceTo(date string) error {
	if date < e.asOf {
		return fmt.Errorf("sim: estimator is at %s, cannot go back to %s", e.asOf, date)
	}
	games := e.corpus.Games
	for e.next < len(games) && games[e.next].Date < date {
		day := games[e.next].Date
		j := e.next
		for j < len(games) && games[j].Date == day {
			j++
		}
		// the blend learns each day's games from the features as they
		// stood before that day, then the day is folded in
		if err := e.learnBlend(games[e.next:j], day); err != nil {
			return err
		}
		for k := e.next; k < j; k++ {
			if err := e.fold(&games[k], date); err != nil {
				return err
			}
		}
		e.next = j
	}
	e.asOf = date
	return nil
}

// learnBlend adds a day's games to the blend with the features of the
// model as it stood before that day.
func (e *Estimator) learnBlend(games []Game, day string) error {
	dn, err := dayNumber(day)
	if err != nil {
		return err
	}
	r, err := e.ratings.snapshot()
	if err != nil {
		return err
	}
	e.players.solve(dn)
	pv := e.players.values(dn)
	e.blend.decayTo(dn)
	for i := range games {
		g := &games[i]
		f := features(&r, pv, g.HomeID, g.AwayID, e.cfg.neutral(g.Date), dn)
		e.blend.add(f, float64(g.HomePts-g.AwayPts))
	}
	e.blend.refit()
	return nil
}

// features are a game's pregame features under ratings r and expected
// lineup values pv, for a game on day number dn.
func features(r *Ratings, pv map[string]float64, home, away string, neutral bool, dn int) [numFeatures]float64 {
	var f [numFeatures]float64
	h, a := r.Teams[home], r.Teams[away]
	pace := r.Pace + h.Pace + a.Pace
	if !neutral {
		f[featHome] = 1
	}
	f[featTeam] = (h.Offense + a.Defense - a.Offense - h.Defense) * pace / 100
	f[featPlayers] = (pv[home] - pv[away]) * pace / 100
	if d, ok := r.played[home]; ok && d == dn-1 {
		f[featB2BHome] = 1
	}
	if d, ok := r.played[away]; ok && d == dn-1 {
		f[featB2BAway] = 1
	}
	return f
}

// fold adds one finished game; it refuses a game not strictly before asOf.
func (e *Estimator) fold(g *Game, asOf string) error {
	if !(g.Date < asOf) {
		return fmt.Errorf("sim: leak: game %s of %s folded into a model as of %s", g.ID, g.Date, asOf)
	}
	dn, err := dayNumber(g.Date)
	if err != nil {
		return fmt.Errorf("sim: game %s: %w", g.ID, err)
	}
	e.ratings.decayTo(dn)
	if e.lastDn >= 0 && dn > e.lastDn {
		f := pow2(-float64(dn-e.lastDn) / e.cfg.SituationHalfLifeDays)
		for c := range e.counts {
			for b := range e.counts[c] {
				e.counts[c][b].Scale(f)
			}
		}
	}
	if dn > e.lastDn {
		e.lastDn = dn
	}
	e.ratings.add(g, dn, e.cfg.neutral(g.Date))
	e.players.add(g, dn, len(e.corpus.Players))
	for i := range g.Poss {
		p := &g.Poss[i]
		cl := Classify(int(p.Period), p.Clock, int(p.Margin))
		b := 0
		if p.Bonus {
			b = 1
		}
		e.counts[cl][b].Add(p, 1)
	}
	if g.Date > e.latest {
		e.latest = g.Date
	}
	e.folded++
	return nil
}

// Model is the possession model as it stood before a date.
type Model struct {
	AsOf        string  `json:"as_of"`         // the model knows games played before this date
	LatestGame  string  `json:"latest_game"`   // date of the latest game it knows
	Games       int     `json:"games"`         // games folded in
	Ratings     Ratings `json:"ratings"`       // team ratings
	LeaguePoint float64 `json:"league_points"` // observed points per possession, all situations
	NormalPoint float64 `json:"normal_points"` // observed points per possession, normal situation
	// Chains by situation and penalty (0: defense not in the penalty).
	Chains [NumClasses][2]Chain `json:"-"`
	// PlayerValues: each team's expected lineup worth (points per 100
	// above an average team) from its players' ratings and who played in
	// its earlier games.
	PlayerValues map[string]float64 `json:"player_values_per_100"`
	// Blend: the coefficients of the pregame features (points of home
	// margin per unit of each feature) and the walk-forward residual spread.
	Blend    map[string]float64 `json:"blend"`
	MarginSD float64            `json:"margin_sd"`
	// GameSD is the spread (standard deviation, points) of the final
	// margin the simulator itself gives two teams of known strength; the
	// rest of MarginSD is drawn as rating noise.
	GameSD float64 `json:"game_sd"`
	// WinSD is the spread s for which Φ(M/s) best fits the home wins of
	// the earlier games (walk-forward; below MarginSD: real margins have
	// heavy tails): the simulated win probability is held to it.
	WinSD     float64 `json:"win_sd"`
	blendBeta [numFeatures]float64
	dur       [NumClasses]durTable
	cfg       Config
	asOfDn    int
}

// Model returns the model as of the estimator's date.
func (e *Estimator) Model() (*Model, error) {
	r, err := e.ratings.snapshot()
	if err != nil {
		return nil, err
	}
	dn, err := dayNumber(e.asOf)
	if err != nil {
		return nil, err
	}
	e.players.solve(dn)
	m := &Model{AsOf: e.asOf, LatestGame: e.latest, Games: e.folded, Ratings: r, cfg: e.cfg, asOfDn: dn,
		PlayerValues: e.players.values(dn), Blend: map[string]float64{}, MarginSD: round4(e.blend.sigma()), WinSD: round4(e.blend.winSD), blendBeta: e.blend.beta}
	for i, name := range featureNames {
		m.Blend[name] = round4(e.blend.beta[i])
	}
	var all, normal Counts
	for b := 0; b < 2; b++ {
		normal.addCounts(&e.counts[Normal][b])
	}
	for c := range e.counts {
		for b := range e.counts[c] {
			all.addCounts(&e.counts[c][b])
		}
	}
	base := ChainFrom(normal, nil, 2000)
	m.LeaguePoint = ratio(all.Pts, all.Poss, defaultChain.Points)
	m.NormalPoint = ratio(normal.Pts, normal.Poss, defaultChain.Points)
	normDur := durationsFrom(normal.Hist, nil)
	for c := Class(0); c < NumClasses; c++ {
		var both Counts
		both.addCounts(&e.counts[c][0])
		both.addCounts(&e.counts[c][1])
		cb := ChainFrom(both, &base, 300)
		for b := 0; b < 2; b++ {
			m.Chains[c][b] = ChainFrom(e.counts[c][b], &cb, 300)
		}
		m.dur[c] = durationsFrom(both.Hist, &normDur)
	}
	m.GameSD = round4(m.gameSpread())
	return m, nil
}

func (c *Counts) addCounts(o *Counts) {
	c.Poss += o.Poss
	c.Pts += o.Pts
	c.TO += o.TO
	c.Trip1 += o.Trip1
	c.Trip2 += o.Trip2
	c.Trip3 += o.Trip3
	c.And1 += o.And1
	c.FGA2 += o.FGA2
	c.FGM2 += o.FGM2
	c.FGA3 += o.FGA3
	c.FGM3 += o.FGM3
	c.FTA += o.FTA
	c.FTM += o.FTM
	c.OrebFG += o.OrebFG
	c.OrebFT += o.OrebFT
	c.MissFG += o.MissFG
	c.MissFTEnd += o.MissFTEnd
	c.ExtraFouls += o.ExtraFouls
	c.Dur += o.Dur
	c.DurN += o.DurN
	for i := range c.Hist {
		c.Hist[i] += o.Hist[i]
	}
}

func pow2(x float64) float64 { return exp2(x) }

// ModelAt builds the model as it stood before date from c.
func ModelAt(c *Corpus, date string, cfg Config) (*Model, error) {
	e := NewEstimator(c, cfg)
	if err := e.AdvanceTo(date); err != nil {
		return nil, err
	}
	return e.Model()
}

// sideRating returns a team's rating or zero (an unknown team is average).
func (m *Model) team(id string) TeamRating {
	if r, ok := m.Ratings.Teams[id]; ok {
		return r
	}
	return TeamRating{SD: 11 * 0.4}
}
