package mcpserver

import (
	"context"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/advanced"
	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/teams"
)

// LineupsIn selects the games and rows of the lineups tool.
type LineupsIn struct {
	Kind       string  `json:"kind,omitempty" jsonschema:"lineups (default) or on_off"`
	GameID     string  `json:"game_id,omitempty" jsonschema:"one game (any id kind)"`
	Season     string  `json:"season,omitempty" jsonschema:"or a season (2018-19)"`
	Team       string  `json:"team,omitempty" jsonschema:"BOS"`
	Player     string  `json:"player,omitempty" jsonschema:"on_off: name part or id"`
	MinSeconds float64 `json:"min_seconds,omitempty"`
	Limit      int     `json:"limit,omitempty" jsonschema:"default 50, max 1000"`
}

// LineupsOut is the lineups tool's answer. Rows have the shapes of the
// CLI's nbasim lineups / nbasim onoff --json rows (advanced.Lineup,
// advanced.OnOff); typed as []any so tools/list stays small. Not bare
// any: its schema is `true`, which the TypeScript SDK refuses as a
// property's schema (TestTypeScriptClient).
type LineupsOut struct {
	Game      string `json:"game,omitempty"`
	Games     int    `json:"games"`
	Skipped   []any  `json:"skipped"`
	Count     int    `json:"count"`
	Truncated bool   `json:"truncated"`
	Rows      []any  `json:"rows"`
}

func (s *Server) addLineupsTool() {
	mcp.AddTool(s.srv, readOnlyTool("lineups", "Lineups",
		"Five-man lineups (kind=lineups) or players' on/off (kind=on_off) of a game or season, per 100 possessions, from play-by-play stints."), s.lineups)
}

func (s *Server) lineups(ctx context.Context, _ *mcp.CallToolRequest, in LineupsIn) (*mcp.CallToolResult, LineupsOut, error) {
	if in.Kind == "" {
		in.Kind = "lineups"
	}
	if in.Kind != "lineups" && in.Kind != "on_off" {
		return nil, LineupsOut{}, fmt.Errorf("kind %q: want lineups or on_off", in.Kind)
	}
	if (in.GameID == "") == (in.Season == "") {
		return nil, LineupsOut{}, errors.New("give game_id or season (not both)")
	}
	if in.Limit <= 0 {
		in.Limit = 50
	}
	in.Limit = min(in.Limit, 1000)
	q := readonly.Querier(s.opts.DB)
	sel := advanced.Selection{Season: in.Season, MinSeconds: in.MinSeconds}
	var out LineupsOut
	if in.GameID != "" {
		r, err := gameref.Resolve(ctx, q, in.GameID)
		if err != nil {
			return nil, LineupsOut{}, err
		}
		sel.GameID, out.Game = r.GameID, r.Describe()
	}
	if in.Team != "" {
		t, ok := teams.Lookup(in.Team)
		if !ok {
			return nil, LineupsOut{}, fmt.Errorf("team %q: not a team code or name", in.Team)
		}
		sel.TeamID, sel.TeamCode = t.NBAID, t.Code
	}
	if in.Player != "" {
		sel.Player = model.FoldName(in.Player)
	}
	ids, err := sel.Games(ctx, q)
	if err != nil {
		return nil, LineupsOut{}, err
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		return nil, LineupsOut{}, err
	}
	games, skips, err := advanced.FromStore(ctx, q, ids, ov)
	if err != nil {
		return nil, LineupsOut{}, err
	}
	out.Games, out.Skipped = len(games), asAny(skips)
	byGame := sel.GameID != ""
	n := 0
	if in.Kind == "lineups" {
		ls := sel.FilterLineups(advanced.Lineups(games, byGame))
		out.Count = len(ls)
		out.Truncated = len(ls) > in.Limit
		rows := ls[:min(len(ls), in.Limit)]
		out.Rows, n = asAny(rows), len(rows)
	} else {
		os := sel.FilterOnOffs(advanced.OnOffs(games, byGame))
		out.Count = len(os)
		out.Truncated = len(os) > in.Limit
		rows := os[:min(len(os), in.Limit)]
		out.Rows, n = asAny(rows), len(rows)
	}
	statsFrom(ctx).rows = n
	return nil, out, nil
}

// asAny copies xs into a []any (never nil: an empty list is []).
func asAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
