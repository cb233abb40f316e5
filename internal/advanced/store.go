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

// Selection says which games and rows a lineup or on/off question is
// about: one game, or a season's games with play-by-play (of one team when
// TeamID is set); rows of one team, players whose folded name contains
// Player (model.FoldName) or whose id is Player, and lineups of at least
// MinSeconds together.
type Selection struct {
	GameID     string
	Season     string
	TeamID     string // NBA team id
	TeamCode   string
	Player     string // folded name part, or a player id
	MinSeconds float64
}

// Games lists the selection's games that have play-by-play in the store,
// in id order. An unknown season or a season without play-by-play is an
// error (a question over nothing is not an answer).
func (s Selection) Games(ctx context.Context, q store.Querier) ([]string, error) {
	if s.GameID != "" {
		return []string{s.GameID}, nil
	}
	if s.Season == "" {
		return nil, errors.New("lineups: give a game or a season")
	}
	sql := `SELECT g.game_id FROM games g WHERE g.season = $1 AND EXISTS (SELECT 1 FROM plays p WHERE p.game_id = g.game_id)`
	args := []any{s.Season}
	if s.TeamID != "" {
		sql += ` AND (g.home_team_id = $2 OR g.away_team_id = $2)`
		args = append(args, s.TeamID)
	}
	rows, err := q.Query(ctx, sql+` ORDER BY g.game_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("games of %s: %w", s.Season, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		what := "season " + s.Season
		if s.TeamCode != "" {
			what += " for " + s.TeamCode
		}
		return nil, fmt.Errorf("no game of %s with play-by-play in the database (nbasim games --season %s lists its games; nbasim load loads plays)", what, s.Season)
	}
	return ids, nil
}

func (s Selection) team(id, code string) bool {
	return s.TeamID == "" || id == s.TeamID || (s.TeamCode != "" && code == s.TeamCode)
}

// FilterLineups keeps the lineups of the selection's team that played at
// least MinSeconds together.
func (s Selection) FilterLineups(ls []Lineup) []Lineup {
	out := []Lineup{}
	for _, l := range ls {
		if s.team(l.TeamID, l.TeamCode) && l.Seconds >= s.MinSeconds {
			out = append(out, l)
		}
	}
	return out
}

// FilterOnOffs keeps the rows of the selection's team and player.
func (s Selection) FilterOnOffs(os []OnOff) []OnOff {
	out := []OnOff{}
	for _, o := range os {
		if !s.team(o.TeamID, o.TeamCode) {
			continue
		}
		if s.Player != "" && o.PlayerID != s.Player && !strings.Contains(model.FoldName(o.Name), s.Player) {
			continue
		}
		out = append(out, o)
	}
	return out
}
