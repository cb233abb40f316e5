package web

// The moment grammar and the game-id resolver are the project's own
// (internal/moment, internal/gameref: one strict grammar and every id kind
// across the CLI, MCP and this API); this file adapts them to the API's
// parameter errors.

import (
	"context"

	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/store"
)

const momentSyntax = moment.Syntax

// parseMoment reads "Q3 7:02.4" strictly into (period, clock remaining).
func parseMoment(s string) (period int, clock model.Tenths, err error) {
	m, err := moment.Parse(s)
	if err != nil {
		return 0, 0, err
	}
	return m.Period, m.Clock, nil
}

// periodName names period p: Q1-Q4, OT1, OT2, ...
func periodName(p int) string { return moment.PeriodName(p) }

// clockString writes tenths as M:SS, or M:SS.t when the tenth is not zero.
func clockString(t model.Tenths) string { return moment.ClockString(t) }

// momentOf is the (period, clock) of game time t in a game whose last
// period is last (the end of a period belongs to it: 2880 s is "Q4 0:00").
func momentOf(t model.Tenths, last int) (int, model.Tenths) {
	m := moment.FromElapsed(t, last)
	return m.Period, m.Clock
}

var errGameNotFound = gameref.ErrNotFound

// resolveGame finds the NBA game id of a typed id (gameref: NBA, short,
// ESPN or basketball-reference id). A malformed id is a parameter error;
// an unknown one wraps errGameNotFound.
func resolveGame(ctx context.Context, q store.Querier, s string) (string, error) {
	if _, err := gameref.Parse(s); err != nil {
		return "", badParam("game_id", "%v", err)
	}
	r, err := gameref.Resolve(ctx, q, s)
	if err != nil {
		return "", err // wraps gameref.ErrNotFound for an unknown game
	}
	return r.GameID, nil
}
