package advanced

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// StintColumns are the columns of the stints table (docs/advanced.md).
var StintColumns = []string{"game_id", "team_id", "ord", "provider", "side", "period", "elapsed_from", "elapsed_to",
	"lineup_id", "p1", "p2", "p3", "p4", "p5", "names", "pts_for", "pts_against", "poss_for", "poss_against"}

// SaveStints replaces the stored stints of each game (table stints, what
// the views lineup_games, lineup_seasons, player_on_off and
// player_on_off_seasons sum), in one transaction. It returns the rows
// written.
func SaveStints(ctx context.Context, q store.Querier, games []GameStints) (int64, error) {
	var n int64
	err := store.RunInTx(ctx, q, func(tx store.Tx) error {
		b := store.Batch{Table: "stints", Columns: StintColumns}
		for gi := range games {
			g := &games[gi]
			if g.GameID == "" {
				return errors.New("stints: a game without an id")
			}
			if _, err := tx.Exec(ctx, `DELETE FROM stints WHERE game_id = $1`, g.GameID); err != nil {
				return fmt.Errorf("stints of %s: %w", g.GameID, err)
			}
			ord := [3]int{}
			for _, st := range g.Stints {
				ord[st.Side]++
				k := LineupKey(st.Players)
				names := make([]string, 0, 5)
				row := []any{g.GameID, g.TeamID(st.Side), ord[st.Side], g.Provider, int(st.Side), st.Period, int64(st.From), int64(st.To), LineupID(st.Players)}
				for _, p := range k {
					if p == "" {
						row = append(row, nil)
						continue
					}
					row = append(row, string(p))
					names = append(names, g.Name(p))
				}
				row = append(row, strings.Join(names, ", "), st.PtsFor, st.PtsAgainst, st.PossFor, st.PossAgainst)
				b.Rows = append(b.Rows, row)
			}
		}
		if len(b.Rows) == 0 {
			return nil
		}
		w, err := tx.Insert(ctx, b)
		n = w
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("save stints: %w", err)
	}
	return n, nil
}

// Skip is a game the stints could not be computed for, and why.
type Skip struct {
	GameID string `json:"game_id"`
	Reason string `json:"reason"`
}

// FromStore compiles each game from the store's play-by-play (the
// preferred provider, internal/derive) and returns its stints, with the
// season and teams from the games table. A game without plays, or one the
// engine fails on, is skipped with the reason.
func FromStore(ctx context.Context, q store.Querier, gameIDs []string, ov *pbp.Overrides) ([]GameStints, []Skip, error) {
	var out []GameStints
	var skips []Skip
	for _, id := range gameIDs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		g, err := derive.GameFromStore(ctx, q, id, "")
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			skips = append(skips, Skip{GameID: id, Reason: err.Error()})
			continue
		}
		season := ""
		if row, err := store.GetGame(ctx, q, id); err == nil {
			season = row.Season
		} else if !errors.Is(err, store.ErrNoRows) {
			return nil, nil, err
		}
		gs, err := compileStints(g, ov, season)
		if err != nil {
			skips = append(skips, Skip{GameID: id, Reason: err.Error()})
			continue
		}
		out = append(out, gs)
	}
	return out, skips, nil
}

func compileStints(g *model.Game, ov *pbp.Overrides, season string) (gs GameStints, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("game %s: play-by-play engine failed: %v", g.GameID, p)
		}
	}()
	return FromCompiled(pbp.Compile(g, ov), season), nil
}
