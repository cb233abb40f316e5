package web

import (
	"net/http"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/sim"
)

// Simulation API limits: a request simulates at most this many games
// (win probability: per point, about 450 points a game).
const (
	maxSimulations        = 50000
	maxWinProbSimulations = 2000
)

// Points describes a simulated score distribution.
type Points struct {
	Mean float64 `json:"mean"`
	P10  int     `json:"p10"`
	P50  int     `json:"p50"`
	P90  int     `json:"p90"`
}

func pointsOf(d sim.Dist5) Points { return Points{Mean: d.Mean, P10: d.P10, P50: d.P50, P90: d.P90} }

// SimulationOut is a game's simulation (docs/sim.md).
type SimulationOut struct {
	GameID       string   `json:"game_id"`
	Date         string   `json:"date"`
	HomeCode     string   `json:"home_code"`
	AwayCode     string   `json:"away_code"`
	At           string   `json:"at"`
	StartHome    int      `json:"start_home_score"`
	StartAway    int      `json:"start_away_score"`
	ModelAsOf    string   `json:"model_as_of"`
	ModelGames   int      `json:"model_games"`
	Simulations  int      `json:"simulations"`
	Seed         uint64   `json:"seed"`
	HomeWinProb  float64  `json:"home_win_prob"`
	OvertimeProb float64  `json:"overtime_prob"`
	HomePoints   Points   `json:"home_points"`
	AwayPoints   Points   `json:"away_points"`
	HomeMargin   Points   `json:"home_margin"`
	TotalPoints  Points   `json:"total_points"`
	Warnings     []string `json:"warnings"`
}

func (s *Server) apiSimulate(r *http.Request) (any, error) {
	p := newParams(r, "at", "n", "seed", "pretty")
	at := p.str("at")
	n := p.intIn("n", 10000, 1, maxSimulations)
	seed := p.intIn("seed", 1, 0, 1<<31-1)
	if at != "" {
		if _, err := moment.Parse(at); err != nil {
			p.fail(badParam("at", "%v", err))
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	id, err := resolveGame(ctx, s.q, r.PathValue("game_id"))
	if err != nil {
		return nil, err
	}
	res, err := sim.Run(ctx, s.q, sim.Request{GameID: id, At: at, N: n, Seed: uint64(seed)})
	if err != nil {
		if at != "" {
			return nil, badParam("at", "%v", err)
		}
		return nil, err
	}
	out := SimulationOut{GameID: id, Date: res.Date, HomeCode: res.Home.Code, AwayCode: res.Away.Code, At: res.At,
		StartHome: res.Start.Home, StartAway: res.Start.Away, ModelAsOf: res.Model.AsOf, ModelGames: res.Model.Games,
		Simulations: res.Summary.Simulations, Seed: res.Summary.Seed, HomeWinProb: res.Summary.HomeWinProb,
		OvertimeProb: res.Summary.OvertimeProb, HomePoints: pointsOf(res.Summary.Home), AwayPoints: pointsOf(res.Summary.Away),
		HomeMargin: pointsOf(res.Summary.Margin), TotalPoints: pointsOf(res.Summary.Total), Warnings: res.Warnings}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return out, nil
}

// WinProbPoint is the home win probability after one event.
type WinProbPoint struct {
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	Period         int     `json:"period"`
	Clock          string  `json:"clock"`
	Home           int     `json:"home"`
	Away           int     `json:"away"`
	HomeWinProb    float64 `json:"home_win_prob"`
}

// WinProbOut is a game's win probability after every event.
type WinProbOut struct {
	GameID      string         `json:"game_id"`
	HomeCode    string         `json:"home_code"`
	AwayCode    string         `json:"away_code"`
	Simulations int            `json:"simulations_per_point"`
	Pregame     float64        `json:"pregame_home_win_prob"`
	FinalHome   int            `json:"final_home"`
	FinalAway   int            `json:"final_away"`
	Periods     []Period       `json:"periods"`
	Points      []WinProbPoint `json:"points"`
}

func (s *Server) apiWinProb(r *http.Request) (any, error) {
	p := newParams(r, "n", "seed", "pretty")
	n := p.intIn("n", 300, 1, maxWinProbSimulations)
	seed := p.intIn("seed", 1, 0, 1<<31-1)
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	id, err := resolveGame(ctx, s.q, r.PathValue("game_id"))
	if err != nil {
		return nil, err
	}
	wp, err := sim.RunWinProb(ctx, s.q, id, n, uint64(seed), nil)
	if err != nil {
		return nil, err
	}
	out := WinProbOut{GameID: id, HomeCode: wp.Home.Code, AwayCode: wp.Away.Code, Simulations: wp.Simulations, Pregame: wp.Pregame,
		FinalHome: wp.Final[0], FinalAway: wp.Final[1], Periods: []Period{}, Points: make([]WinProbPoint, 0, len(wp.Points))}
	last := 4
	for _, pt := range wp.Points {
		last = max(last, pt.Period)
		out.Points = append(out.Points, WinProbPoint{ElapsedSeconds: pt.Elapsed, Period: pt.Period, Clock: pt.Clock,
			Home: pt.Home, Away: pt.Away, HomeWinProb: pt.HomeWin})
	}
	for q := 1; q <= last; q++ {
		out.Periods = append(out.Periods, Period{Period: q, Label: periodName(q), StartElapsedSeconds: model.PeriodStart(q).Seconds(),
			EndElapsedSeconds: (model.PeriodStart(q) + model.PeriodLength(q)).Seconds()})
	}
	return out, nil
}
