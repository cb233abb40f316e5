package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
)

// PlaysFilter narrows StreamPlays to the games of a date range (game_date
// of the games table, YYYY-MM-DD; empty bounds are open). Games without a
// date are left out when a bound is set.
type PlaysFilter struct {
	FromDate string // first date included
	ToDate   string // first date excluded
}

// StreamPlays reads the plays of many games in one ordered scan and calls
// fn once per game and provider with that game's events in order
// (Event.GameID set). It is the bulk counterpart of LoadPlays for
// consumers that read whole seasons (the simulator's estimator). fn may
// keep evs. An error from fn stops the scan and is returned.
func StreamPlays(ctx context.Context, q Querier, f PlaysFilter, fn func(gameID, provider string, evs []model.Event) error) error {
	var where []string
	var args []any
	if f.FromDate != "" {
		args = append(args, f.FromDate)
		where = append(where, fmt.Sprintf("g.game_date >= $%d", len(args)))
	}
	if f.ToDate != "" {
		args = append(args, f.ToDate)
		where = append(where, fmt.Sprintf("g.game_date < $%d", len(args)))
	}
	cols := make([]string, 0, len(PlayColumns))
	for _, c := range PlayColumns {
		cols = append(cols, "p."+c)
	}
	query := `SELECT ` + strings.Join(cols, ", ") + ` FROM plays p`
	if len(where) > 0 {
		query += ` JOIN games g ON g.game_id = p.game_id WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY p.game_id, p.provider, p.ord`
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: stream plays: %w", err)
	}
	defer rows.Close()
	var (
		cur, curProv string
		evs          []model.Event
	)
	for rows.Next() {
		var e model.Event
		var gid, prov string
		if err := scanPlay(rows, &e, &gid, &prov); err != nil {
			return fmt.Errorf("store: stream plays (after game %s): %w", cur, err)
		}
		if gid != cur || prov != curProv {
			if len(evs) > 0 {
				if err := fn(cur, curProv, evs); err != nil {
					return err
				}
			}
			cur, curProv, evs = gid, prov, nil
		}
		e.GameID = gid
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: stream plays (after game %s): %w", cur, err)
	}
	if len(evs) > 0 {
		return fn(cur, curProv, evs)
	}
	return nil
}
