package mcpserver

import (
	"context"
	"errors"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/sim"
)

// MaxSimulations caps the simulate tool's n.
const MaxSimulations = 50000

// SimulateIn asks for a simulation of a game.
type SimulateIn struct {
	GameID string `json:"game_id,omitempty"`
	Home   string `json:"home,omitempty" jsonschema:"team code, with away and date"`
	Away   string `json:"away,omitempty"`
	Date   string `json:"date,omitempty"`
	Moment string `json:"moment,omitempty" jsonschema:"e.g. Q3 7:02"`
	N      int    `json:"n,omitempty"`
	Seed   uint64 `json:"seed,omitempty"`
}

// SimulateOut is the simulate tool's answer; points are [mean, p10, p50, p90].
type SimulateOut struct {
	Game        string     `json:"game"`
	Start       string     `json:"start"`
	Model       string     `json:"model"`
	HomeWinProb float64    `json:"home_win_prob"`
	OTProb      float64    `json:"overtime_prob"`
	HomePoints  [4]float64 `json:"home_points"`
	AwayPoints  [4]float64 `json:"away_points"`
	Margin      [4]float64 `json:"home_margin"`
	Total       [4]float64 `json:"total_points"`
	Warnings    []string   `json:"warnings,omitempty"`
}

func (s *Server) addSimulateTool() {
	mcp.AddTool(s.srv, readOnlyTool("simulate", "Simulate",
		"Monte Carlo of a game from the tip or a moment: win probability, points [mean,p10,p50,p90]."), s.simulate)
}

func four(d sim.Dist5) [4]float64 {
	return [4]float64{d.Mean, float64(d.P10), float64(d.P50), float64(d.P90)}
}

func (s *Server) simulate(ctx context.Context, _ *mcp.CallToolRequest, in SimulateIn) (*mcp.CallToolResult, SimulateOut, error) {
	if in.N > MaxSimulations {
		return nil, SimulateOut{}, errors.New("n: at most 50000 simulations")
	}
	if in.N < 0 {
		return nil, SimulateOut{}, errors.New("n: must be positive")
	}
	if in.Seed == 0 {
		in.Seed = 1
	}
	res, err := sim.Run(ctx, readonly.Querier(s.opts.DB), sim.Request{GameID: in.GameID, Home: in.Home, Away: in.Away,
		Date: in.Date, At: in.Moment, N: in.N, Seed: in.Seed})
	if err != nil {
		return nil, SimulateOut{}, err
	}
	return nil, Describe(res), nil
}

// Describe flattens a simulation result for the tool.
func Describe(r *sim.Result) SimulateOut {
	game := r.Away.Code + " at " + r.Home.Code + " " + r.Date
	if r.GameID != "" {
		game = r.GameID + " " + game
	}
	start := "tip"
	if r.At != "tip" {
		start = r.At + ": " + r.Home.Code + " " + itoa(r.Start.Home) + " - " + r.Away.Code + " " + itoa(r.Start.Away)
	}
	return SimulateOut{Game: game, Start: start,
		Model:       "as of " + r.Model.AsOf + ", " + itoa(r.Model.Games) + " games, latest " + r.Model.LatestGame,
		HomeWinProb: r.Summary.HomeWinProb, OTProb: r.Summary.OvertimeProb,
		HomePoints: four(r.Summary.Home), AwayPoints: four(r.Summary.Away), Margin: four(r.Summary.Margin), Total: four(r.Summary.Total),
		Warnings: r.Warnings}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
