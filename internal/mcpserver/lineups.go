package mcpserver

import (
	"context"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/advanced"
	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/teams"
)

// LineupsIn selects the games and rows of the lineups tool.
type LineupsIn struct {
	Kind       string  `json:"kind,omitempty" jsonschema:"lineups (default) or on_off"`
	GameID     string  `json:"game_id,omitempty" jsonschema:"one game: NBA (0021800001), short (21800001), ESPN or bbref id"`
	Season     string  `json:"season,omitempty" jsonschema:"every game of a season with play-by-play (2018-19), summed per team"`
	Team       string  `json:"team,omitempty" jsonschema:"one team (BOS)"`
	Player     string  `json:"player,omitempty" jsonschema:"on_off: players whose name contains this (accent- and case-insensitive) or a player id"`
	MinSeconds float64 `json:"min_seconds,omitempty" jsonschema:"lineups: at least this many seconds together"`
	Limit      int     `json:"limit,omitempty" jsonschema:"at most this many rows (default 50, max 1000)"`
}

// LineupsOut is the lineups tool's answer: the CLI's nbasim lineups /
// nbasim onoff --json shapes.
type LineupsOut struct {
	Game      string            `json:"game,omitempty" jsonschema:"the game the id resolved to"`
	Games     int               `json:"games"`
	Skipped   []advanced.Skip   `json:"skipped"`
	Count     int               `json:"count" jsonschema:"rows that match, before the limit"`
	Truncated bool              `json:"truncated"`
	Lineups   []advanced.Lineup `json:"lineups,omitempty"`
	OnOff     []advanced.OnOff  `json:"on_off,omitempty"`
}

func (s *Server) addLineupsTool() {
	mcp.AddTool(s.srv, readOnlyTool("lineups", "Lineups and on/off",
		"Five-man lineups (kind=lineups) or each player's on/off (kind=on_off) of one game or a season: minutes, possessions, points for and against, points per 100 possessions. Computed from play-by-play stints (docs/advanced.md)."), s.lineups)
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
		sel.Player = nbastats.FoldName(in.Player)
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
	out.Games, out.Skipped = len(games), skips
	if out.Skipped == nil {
		out.Skipped = []advanced.Skip{}
	}
	byGame := sel.GameID != ""
	if in.Kind == "lineups" {
		ls := sel.FilterLineups(advanced.Lineups(games, byGame))
		out.Count = len(ls)
		out.Truncated = len(ls) > in.Limit
		out.Lineups = ls[:min(len(ls), in.Limit)]
	} else {
		os := sel.FilterOnOffs(advanced.OnOffs(games, byGame))
		out.Count = len(os)
		out.Truncated = len(os) > in.Limit
		out.OnOff = os[:min(len(os), in.Limit)]
	}
	statsFrom(ctx).rows = len(out.Lineups) + len(out.OnOff)
	return nil, out, nil
}
