package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// ResolveGame turns a typed game id (NBA id, short id, ESPN or
// basketball-reference id) into the store's NBA game id.
func ResolveGame(ctx context.Context, q store.Querier, s string) (string, error) {
	r, err := gameref.Resolve(ctx, q, s)
	if err != nil {
		return "", fmt.Errorf("sim: %w", err)
	}
	return r.Game.GameID, nil
}

// HistoryDays is how far back before a game's date a single prediction
// reads the store (the backtest reads everything before the date; with a
// 75-day half-life, games older than this weigh less than 1/150).
const HistoryDays = 550

// Request asks for one simulation.
type Request struct {
	GameID string // a game of the store; or Home, Away and Date
	Home   string // team code (BOS) or NBA team id
	Away   string
	Date   string // YYYY-MM-DD: the model knows games before this date
	At     string // a moment of the game ("Q3 7:02"); empty: the tip
	N      int
	Seed   uint64
	Config *Config // nil: DefaultConfig
}

// Team names one side of a simulated game.
type Team struct {
	ID   string `json:"team_id"`
	Code string `json:"code"`
}

// Result is a simulation's answer.
type Result struct {
	GameID   string   `json:"game_id,omitempty"`
	Date     string   `json:"date"`
	Home     Team     `json:"home"`
	Away     Team     `json:"away"`
	At       string   `json:"at"`                 // "tip" or the moment
	Start    Start    `json:"start"`              // the state the simulations start from
	Model    ModelRef `json:"model"`              // what the model knew
	Matchup  *Matchup `json:"matchup"`            // expected efficiencies and pace
	Summary  Summary  `json:"summary"`            // the answer
	Final    *[2]int  `json:"final,omitempty"`    // the real final score (home, away), when known
	Warnings []string `json:"warnings,omitempty"` // anything the caller should know
}

// ModelRef says what a prediction's model was built from.
type ModelRef struct {
	AsOf       string `json:"as_of"`
	LatestGame string `json:"latest_game"`
	Games      int    `json:"games"`
	From       string `json:"history_from"`
}

// addDays shifts a YYYY-MM-DD date.
func addDays(date string, days int) (string, error) {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return "", fmt.Errorf("sim: date %q: want YYYY-MM-DD", date)
	}
	return t.AddDate(0, 0, days).Format("2006-01-02"), nil
}

// LoadModel builds the model as of date from the store (games in the
// HistoryDays before it).
func LoadModel(ctx context.Context, q store.Querier, date string, cfg Config) (*Model, ModelRef, error) {
	from, err := addDays(date, -HistoryDays)
	if err != nil {
		return nil, ModelRef{}, err
	}
	c, err := LoadCorpus(ctx, q, LoadOptions{FromDate: from, ToDate: date})
	if err != nil {
		return nil, ModelRef{}, err
	}
	m, err := ModelAt(c, date, cfg)
	if err != nil {
		return nil, ModelRef{}, err
	}
	return m, ModelRef{AsOf: m.AsOf, LatestGame: m.LatestGame, Games: m.Games, From: from}, nil
}

// resolveTeam finds a team by NBA code or id in the store.
func resolveTeam(ctx context.Context, q store.Querier, s string) (Team, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Team{}, errors.New("sim: empty team")
	}
	var id, code string
	err := q.QueryRow(ctx, `SELECT team_id, code FROM teams WHERE team_id = $1 OR UPPER(code) = $2 ORDER BY team_id LIMIT 1`, s, strings.ToUpper(s)).Scan(&id, &code)
	if err == nil {
		return Team{ID: id, Code: code}, nil
	}
	if !errors.Is(err, store.ErrNoRows) {
		return Team{}, fmt.Errorf("sim: team %q: %w", s, err)
	}
	err = q.QueryRow(ctx, `SELECT home_team_id, home_code FROM games WHERE home_team_id = $1 OR UPPER(home_code) = $2 ORDER BY game_date DESC LIMIT 1`, s, strings.ToUpper(s)).Scan(&id, &code)
	if err != nil {
		if errors.Is(err, store.ErrNoRows) {
			return Team{}, fmt.Errorf("sim: no team %q in the store (give an NBA code such as BOS or a team id)", s)
		}
		return Team{}, fmt.Errorf("sim: team %q: %w", s, err)
	}
	return Team{ID: id, Code: code}, nil
}

// GameTimeline reads one game from the store and replays it.
func GameTimeline(ctx context.Context, q store.Querier, gameID string) (*Timeline, store.Game, error) {
	row, err := store.GetGame(ctx, q, gameID)
	if err != nil {
		if errors.Is(err, store.ErrNoRows) {
			return nil, row, fmt.Errorf("sim: no game %s in the store", gameID)
		}
		return nil, row, err
	}
	provs, err := store.PlayProviders(ctx, q, gameID)
	if err != nil {
		return nil, row, err
	}
	if len(provs) == 0 {
		return nil, row, fmt.Errorf("sim: game %s has no play-by-play in the store", gameID)
	}
	best := provs[0]
	for _, p := range provs {
		if rank(p) < rank(best) {
			best = p
		}
	}
	evs, err := store.LoadPlays(ctx, q, gameID, best)
	if err != nil {
		return nil, row, err
	}
	pg := &model.Game{GameID: gameID, Provider: best, Date: row.Date, Events: evs,
		Home: model.Team{ID: row.HomeTeamID, Code: row.HomeCode}, Away: model.Team{ID: row.AwayTeamID, Code: row.AwayCode}}
	return NewTimeline(pbp.Compile(pg, nil)), row, nil
}

// Run answers a Request from the store.
func Run(ctx context.Context, q store.Querier, req Request) (*Result, error) {
	cfg := DefaultConfig
	if req.Config != nil {
		cfg = *req.Config
	}
	res := &Result{At: "tip"}
	start := Tip()
	var tl *Timeline
	if req.GameID != "" {
		if req.Home != "" || req.Away != "" {
			return nil, errors.New("sim: give a game id, or --home/--away/--date, not both")
		}
		id, err := ResolveGame(ctx, q, req.GameID)
		if err != nil {
			return nil, err
		}
		req.GameID = id
		var row store.Game
		tl, row, err = GameTimeline(ctx, q, req.GameID)
		if err != nil && req.At != "" {
			return nil, err
		}
		if err != nil {
			// a scheduled game without plays can still be predicted pregame
			row, err = store.GetGame(ctx, q, req.GameID)
			if err != nil {
				return nil, fmt.Errorf("sim: game %s: %w", req.GameID, err)
			}
		}
		if row.Date == "" || row.HomeTeamID == "" || row.AwayTeamID == "" {
			return nil, fmt.Errorf("sim: game %s has no date or teams in the store", req.GameID)
		}
		res.GameID, res.Date = row.GameID, row.Date
		res.Home, res.Away = Team{row.HomeTeamID, row.HomeCode}, Team{row.AwayTeamID, row.AwayCode}
		if row.HasScore && row.Status == "final" {
			res.Final = &[2]int{row.HomePts, row.AwayPts}
		}
	} else {
		if req.Home == "" || req.Away == "" || req.Date == "" {
			return nil, errors.New("sim: give a game id, or --home, --away and --date")
		}
		if req.At != "" {
			return nil, errors.New("sim: --at needs a game id (the state of a real game)")
		}
		if _, err := dayNumber(req.Date); err != nil {
			return nil, err
		}
		var err error
		if res.Home, err = resolveTeam(ctx, q, req.Home); err != nil {
			return nil, err
		}
		if res.Away, err = resolveTeam(ctx, q, req.Away); err != nil {
			return nil, err
		}
		res.Date = req.Date
	}
	if req.At != "" {
		mo, err := moment.Parse(req.At)
		if err != nil {
			return nil, fmt.Errorf("sim: --at: %w", err)
		}
		start, err = tl.At(mo.Period, mo.Clock)
		if err != nil {
			return nil, err
		}
		res.At = req.At
	}
	m, ref, err := LoadModel(ctx, q, res.Date, cfg)
	if err != nil {
		return nil, err
	}
	res.Model = ref
	if m.Games == 0 {
		res.Warnings = append(res.Warnings, "the store holds no finished game before "+res.Date+": league defaults only")
	}
	for _, t := range []Team{res.Home, res.Away} {
		if _, ok := m.Ratings.Teams[t.ID]; !ok {
			res.Warnings = append(res.Warnings, fmt.Sprintf("no earlier game of %s: rated as an average team", t.Code))
		}
	}
	x := m.NewMatchup(res.Home.ID, res.Away.ID, m.cfg.neutral(res.Date))
	o, err := x.Simulate(start, Options{N: req.N, Seed: req.Seed})
	if err != nil {
		return nil, err
	}
	res.Start, res.Matchup = start, x
	res.Summary = Summarize(o, req.Seed)
	return res, nil
}

// WinProbPoint is the win probability after one event.
type WinProbPoint struct {
	Event    int          `json:"event_index"`
	EventNum int          `json:"event_num"`
	Period   int          `json:"period"`
	Clock    string       `json:"clock"`
	Elapsed  float64      `json:"elapsed_seconds"`
	Home     int          `json:"home_score"`
	Away     int          `json:"away_score"`
	HomeWin  float64      `json:"home_win_prob"`
	Elapsedt model.Tenths `json:"-"`
}

// WinProb is a game's win probability after every event.
type WinProb struct {
	GameID      string         `json:"game_id"`
	Date        string         `json:"date"`
	Home        Team           `json:"home"`
	Away        Team           `json:"away"`
	Model       ModelRef       `json:"model"`
	Simulations int            `json:"simulations_per_point"`
	Seed        uint64         `json:"seed"`
	Pregame     float64        `json:"pregame_home_win_prob"`
	Points      []WinProbPoint `json:"points"`
	Final       [2]int         `json:"final"`
}

// RunWinProb computes a game's win probability after every event that
// changes the state (score, ball, period, fouls), n simulations each.
func RunWinProb(ctx context.Context, q store.Querier, gameID string, n int, seed uint64, cfg *Config) (*WinProb, error) {
	c := DefaultConfig
	if cfg != nil {
		c = *cfg
	}
	if n <= 0 {
		n = 2000
	}
	gameID, err := ResolveGame(ctx, q, gameID)
	if err != nil {
		return nil, err
	}
	tl, row, err := GameTimeline(ctx, q, gameID)
	if err != nil {
		return nil, err
	}
	if row.Date == "" || row.HomeTeamID == "" || row.AwayTeamID == "" {
		return nil, fmt.Errorf("sim: game %s has no date or teams in the store", gameID)
	}
	m, ref, err := LoadModel(ctx, q, row.Date, c)
	if err != nil {
		return nil, err
	}
	x := m.NewMatchup(row.HomeTeamID, row.AwayTeamID, m.cfg.neutral(row.Date))
	wp := &WinProb{GameID: gameID, Date: row.Date, Home: Team{row.HomeTeamID, row.HomeCode}, Away: Team{row.AwayTeamID, row.AwayCode},
		Model: ref, Simulations: n, Seed: seed}
	wp.Final[0], wp.Final[1] = tl.Final()
	o, err := x.Simulate(Tip(), Options{N: n, Seed: seed})
	if err != nil {
		return nil, err
	}
	wp.Pregame = Summarize(o, seed).HomeWinProb
	var prev Start
	prevP := wp.Pregame
	for i := range tl.States {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l := tl.States[i]
		if l.Period < 1 {
			continue
		}
		st := tl.After(i)
		p := prevP
		if i == 0 || st.Home != prev.Home || st.Away != prev.Away || st.Ball != prev.Ball || st.Period != prev.Period ||
			st.Fouls != prev.Fouls || st.Clock/100 != prev.Clock/100 {
			if st.Period >= 4 && st.Clock == 0 && st.Home != st.Away {
				p = 0
				if st.Home > st.Away {
					p = 1
				}
			} else {
				o, err := x.Simulate(st, Options{N: n, Seed: seed + uint64(i) + 1})
				if err != nil {
					return nil, err
				}
				p = Summarize(o, 0).HomeWinProb
			}
		}
		prev, prevP = st, p
		wp.Points = append(wp.Points, WinProbPoint{Event: i, EventNum: l.EventNum, Period: l.Period, Clock: l.Clock.String(),
			Elapsed: l.Elapsed.Seconds(), Home: l.Home, Away: l.Away, HomeWin: p, Elapsedt: l.Elapsed})
	}
	return wp, nil
}
