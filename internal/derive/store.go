package derive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// ProviderPreference orders the play-by-play providers a game is derived
// from when the store holds several.
var ProviderPreference = []string{
	"nba_stats/playbyplayv2", "nba_stats/playbyplayv3", "nba_live/playbyplay", "nbacom/game", "espn/summary", "bbref/pbp",
}

// GameFromStore reads a game's plays (from provider, or the preferred one
// the store holds) and names from the store.
func GameFromStore(ctx context.Context, q store.Querier, gameID, provider string) (*model.Game, error) {
	g, _, err := GameAndVersionFromStore(ctx, q, gameID, provider, ReadOptions{})
	return g, err
}

// GameAndVersionFromStore is GameFromStore that also returns the version of
// the game's stored data (its games row's updated_at; "" when the game has
// no row), read before its plays: a reload committed in between leaves an
// old version with new plays (which a cache drops at its next
// revalidation), never new plays passed off as the old version's. Three
// queries: the games row, the plays (one read of the game's play packs,
// store.LoadPreferredPlays) and the names; fewer with o.
func GameAndVersionFromStore(ctx context.Context, q store.Querier, gameID, provider string, o ReadOptions) (*model.Game, string, error) {
	var row store.Game
	var err error
	if o.Row != nil {
		row = *o.Row
	} else if row, err = store.GetGame(ctx, q, gameID); err != nil && !errors.Is(err, store.ErrNoRows) {
		return nil, "", err
	}
	var evs []model.Event
	if provider == "" {
		provider, evs, err = store.LoadPreferredPlays(ctx, q, gameID, PreferredProvider)
		if err == nil && provider == "" {
			return nil, "", fmt.Errorf("game %s: no plays in the store (run nbasim load, or pass --file)", gameID)
		}
	} else {
		evs, err = store.LoadPlays(ctx, q, gameID, provider)
	}
	if err != nil {
		return nil, "", err
	}
	if len(evs) == 0 {
		return nil, "", fmt.Errorf("game %s: no plays from %s in the store", gameID, provider)
	}
	g := &model.Game{GameID: gameID, Provider: provider, Events: evs, Players: map[model.PlayerID]model.PlayerInfo{}}
	if row.GameID != "" {
		g.Date = row.Date
		g.Home = model.Team{ID: row.HomeTeamID, Code: row.HomeCode, Pts: row.HomePts}
		g.Away = model.Team{ID: row.AwayTeamID, Code: row.AwayCode, Pts: row.AwayPts}
	}
	// names of the players the plays mention
	ids := map[string]bool{}
	for i := range evs {
		e := &evs[i]
		for _, id := range [...]model.PlayerID{e.Player, e.Assist, e.Block, e.Steal, e.Fouled, e.SubIn, e.SubOut, e.Jump2, e.JumpTo} {
			if id != "" {
				ids[string(id)] = true
			}
		}
	}
	if err := o.Names.read(ctx, q, ids, g.Players); err != nil {
		return nil, "", fmt.Errorf("game %s: players: %w", gameID, err)
	}
	return g, row.UpdatedAt, nil
}

// ReadOptions spare GameAndVersionFromStore reads.
type ReadOptions struct {
	// Row is the game's games row when the caller has just read it (a
	// box_score call resolved the id): it is not read again, and its
	// updated_at is the version, so it must have been read before the
	// plays are, as GameAndVersionFromStore reads it.
	Row *store.Game
	// Names, when set, remembers players' names across games: only the
	// players it has not seen are read.
	Names *NameMemo
}

// NameMemo remembers the players' names GameAndVersionFromStore read from
// the players table (and the ids it has no row for), for a process that
// reads many games (a game cache's misses: ~30 primary-key reads a game
// were the largest query of a miss, ~0.3 ms; a league has a few thousand
// players). Its names are as fresh as its last Reset (gamecache resets it
// at every full revalidation); at most nameMemoCap ids are kept. Safe for
// concurrent use; the zero value is empty.
type NameMemo struct {
	mu sync.Mutex
	m  map[string]memoName
}

// memoName is a remembered lookup: the name, or no players row (ok false).
type memoName struct {
	name string
	ok   bool
}

const nameMemoCap = 100_000

// Reset forgets every name.
func (n *NameMemo) Reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.m = nil
}

// read fills out with the names of ids: those n remembers, the others
// read from the store (and remembered). A nil n reads them all.
func (n *NameMemo) read(ctx context.Context, q store.Querier, ids map[string]bool, out map[model.PlayerID]model.PlayerInfo) error {
	if n == nil {
		return playerNames(ctx, q, ids, out)
	}
	n.mu.Lock()
	unseen := map[string]bool{}
	for id := range ids {
		if e, ok := n.m[id]; !ok {
			unseen[id] = true
		} else if e.ok {
			out[model.PlayerID(id)] = model.PlayerInfo{ID: model.PlayerID(id), Name: e.name}
		}
	}
	n.mu.Unlock()
	if len(unseen) == 0 {
		return nil
	}
	read := map[model.PlayerID]model.PlayerInfo{}
	if err := playerNames(ctx, q, unseen, read); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil || len(n.m)+len(unseen) > nameMemoCap {
		n.m = make(map[string]memoName, len(unseen))
	}
	for id := range unseen {
		p, ok := read[model.PlayerID(id)]
		// the id's own copy: it may be a substring of the game's decoded
		// play pack, which the memo would otherwise keep alive
		n.m[strings.Clone(id)] = memoName{name: p.Name, ok: ok}
		if ok {
			out[p.ID] = p
		}
	}
	return nil
}

// PreferredProvider is the provider of ProviderPreference that have lists
// first, else have's first: the provider a game is read from when none is
// asked for (GameAndVersionFromStore), and the stored fold pack a cache
// miss uses (gamecache).
func PreferredProvider(have []string) string {
	for _, p := range ProviderPreference {
		if contains(have, p) {
			return p
		}
	}
	return have[0]
}

// playerNames reads the names of ids (primary-key lookups, 500 ids a
// query: a game names ~30 players, the table holds thousands) into out.
func playerNames(ctx context.Context, q store.Querier, ids map[string]bool, out map[model.PlayerID]model.PlayerInfo) error {
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	sort.Strings(list)
	return store.InChunks(list, 1, nil, func(in string, args []any) error {
		rows, err := q.Query(ctx, `SELECT player_id, name FROM players WHERE player_id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			out[model.PlayerID(id)] = model.PlayerInfo{ID: model.PlayerID(id), Name: name}
		}
		return rows.Err()
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// SaveDerived stores derived boxes (source "derived"; window boxes with
// their range scope).
func SaveDerived(ctx context.Context, q store.Querier, boxes ...model.Box) error {
	for i := range boxes {
		boxes[i].Source = pbp.SourceDerived
	}
	_, err := store.UpsertBoxes(ctx, q, boxes)
	return err
}

// OfficialBoxes returns every full-game official box the store holds for
// a game, NBA sources first.
func OfficialBoxes(ctx context.Context, q store.Querier, gameID string) ([]model.Box, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT source FROM team_box WHERE game_id = $1 AND scope = 'game' AND source <> 'derived' ORDER BY source DESC`, gameID)
	if err != nil {
		return nil, fmt.Errorf("official boxes of %s: %w", gameID, err)
	}
	var sources []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		sources = append(sources, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []model.Box
	for _, s := range sources {
		b, err := store.LoadBox(ctx, q, gameID, s, "game")
		if err != nil {
			if errors.Is(err, store.ErrNoRows) {
				continue
			}
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// OfficialPreference orders official box sources: the first one a game
// has is its primary official box (NBA boxes share the feed's player ids;
// the team game log has team lines only).
var OfficialPreference = []string{
	"nba_stats/boxscoretraditionalv2", "nba_stats/boxscoretraditionalv3", "nba_live/boxscore",
	"bbref/boxscores", "nbacom/game", "espn/summary", "nba_stats/leaguegamelog",
}

func officialRank(source string) int {
	for i, s := range OfficialPreference {
		if s == source {
			return i
		}
	}
	return len(OfficialPreference)
}

// VerifyGameStore derives a game from the store's plays, stores the derived
// box, and compares it with its primary official box (every official box
// when all is set). A game without plays or without an official box is not
// verified: skip says why.
func VerifyGameStore(ctx context.Context, q store.Querier, gameID string, ov *pbp.Overrides, all bool) (res []GameResult, skip string, err error) {
	return VerifyGame(ctx, q, gameID, ov, all, true)
}

// VerifyGame is VerifyGameStore that stores the derived box only when save
// is set: nbasim verify reads by default.
func VerifyGame(ctx context.Context, q store.Querier, gameID string, ov *pbp.Overrides, all, save bool) (res []GameResult, skip string, err error) {
	officials, err := OfficialBoxes(ctx, q, gameID)
	if err != nil {
		return nil, "", err
	}
	if len(officials) == 0 {
		return nil, "no official box in the store", nil
	}
	sort.SliceStable(officials, func(i, j int) bool { return officialRank(officials[i].Source) < officialRank(officials[j].Source) })
	if !all {
		officials = officials[:1]
	}
	provs, err := store.PlayProviders(ctx, q, gameID)
	if err != nil {
		return nil, "", err
	}
	if len(provs) == 0 {
		return nil, "no play-by-play in the store", nil
	}
	g, err := GameFromStore(ctx, q, gameID, "")
	if err != nil {
		for _, o := range officials {
			res = append(res, Failed(gameID, o.Source, &o, err))
		}
		return res, "", nil
	}
	defer func() {
		if p := recover(); p != nil {
			res = nil
			for _, o := range officials {
				res = append(res, Failed(gameID, o.Source, &o, fmt.Errorf("engine panic: %v", p)))
			}
		}
	}()
	c := pbp.Compile(g, ov)
	d := c.Final()
	if save {
		if err := SaveDerived(ctx, q, d); err != nil {
			return nil, "", err
		}
	}
	for _, o := range officials {
		r := Compare(d, o, ConventionFor(o.Source), c)
		r.GameID = gameID
		res = append(res, r)
	}
	return res, "", nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// SaveReport stores a verification run: the run row, the latest result of
// every game and source, and its differences.
func SaveReport(ctx context.Context, s store.Store, runID, scope string, started time.Time, rep *Report) error {
	sum, err := json.Marshal(rep.Summary)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	return s.InTx(ctx, func(tx store.Tx) error {
		x := rep.Summary
		if _, err := tx.Upsert(ctx, store.Batch{Table: "verify_runs", Key: []string{"run_id"},
			Columns: []string{"run_id", "started_at", "finished_at", "scope", "games", "failed", "degraded", "cells", "cells_exact", "fully_exact",
				"team_points_exact", "team_totals_exact", "minutes_compared", "minutes_ok", "cells_exact_share", "summary_json"},
			Rows: [][]any{{runID, started.UTC().Format(time.RFC3339), now, scope, int64(x.Games), int64(x.Failed), int64(x.Degraded), int64(x.Cells), int64(x.CellsExact),
				int64(x.FullyExact), int64(x.TeamPointsExact), int64(x.TeamTotalsExact), int64(x.MinutesCompared), int64(x.MinutesOK), x.CellsExactShare, string(sum)}},
		}); err != nil {
			return fmt.Errorf("verify: save run: %w", err)
		}
		games := store.Batch{Table: "verify_games", Key: []string{"game_id", "source"},
			Columns: []string{"game_id", "source", "provider", "run_id", "verified_at", "grade", "error", "cells", "cells_exact", "player_lines",
				"minutes_compared", "minutes_ok", "plus_minus_ok", "team_points_exact", "team_totals_exact", "fully_exact", "degraded", "degraded_reasons", "quirks"}}
		diffs := store.Batch{Table: "verify_diffs", Key: []string{"game_id", "source", "seq"},
			Columns: []string{"game_id", "source", "seq", "scope", "side", "player_id", "official_id", "name", "stat", "derived", "official", "cause"}}
		for _, g := range rep.Games {
			if _, err := tx.Exec(ctx, `DELETE FROM verify_diffs WHERE game_id = $1 AND source = $2`, g.GameID, g.Source); err != nil {
				return fmt.Errorf("verify: clear diffs of %s: %w", g.GameID, err)
			}
			games.Rows = append(games.Rows, []any{g.GameID, g.Source, g.Provider, runID, now, g.Grade, g.Error, int64(g.Cells), int64(g.CellsExact), int64(g.Lines),
				int64(g.MinutesCompared), int64(g.MinutesOK), int64(g.PlusMinusOK), b2i(g.TeamPointsExact), b2i(g.TeamTotalsExact), b2i(g.FullyExact), b2i(g.Degraded),
				strings.Join(g.Reasons, "; "), strings.Join(g.Quirks, ", ")})
			for i, d := range g.Diffs {
				diffs.Rows = append(diffs.Rows, []any{g.GameID, g.Source, int64(i), d.Scope, d.Side, d.PlayerID, d.Official, d.Name, d.Stat, int64(d.Derived), int64(d.Expected), d.Cause})
			}
		}
		if len(games.Rows) > 0 {
			if _, err := tx.Upsert(ctx, games); err != nil {
				return fmt.Errorf("verify: save games: %w", err)
			}
		}
		if len(diffs.Rows) > 0 {
			if _, err := tx.Upsert(ctx, diffs); err != nil {
				return fmt.Errorf("verify: save diffs: %w", err)
			}
		}
		return nil
	})
}
