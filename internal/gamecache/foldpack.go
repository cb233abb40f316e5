package gamecache

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// BoxNamesPrepare is the PrepareName of BoxNames: the MCP box_score
// tool's source (BoxScoreOptions).
const BoxNamesPrepare = "box-names"

// BoxNames is the Prepare of the MCP box_score tool's source: names and
// sides of the players the players table lacks, from any stored box.
func BoxNames(ctx context.Context, q store.Querier, g *model.Game) error {
	return FillPlayersFromBoxes(ctx, q, g.GameID, g)
}

// BoxScoreOptions are the options of the MCP box_score tool's source (the
// embedded overrides, BoxNames, fold only) reading from q: the variant the
// loader writes fold packs of (WriteFoldPacks), so that the tool's cache
// misses are served from them.
func BoxScoreOptions(q store.Querier, cache *Cache) SourceOptions {
	return SourceOptions{Querier: q, Cache: cache, Prepare: BoxNames, PrepareName: BoxNamesPrepare, FoldOnly: true}
}

// FillPlayersFromBoxes adds the names and sides of players the players
// table lacks from any stored box of the game. A query, scan or row error
// is returned: a box without names would be silently worse.
func FillPlayersFromBoxes(ctx context.Context, q store.Querier, gameID string, game *model.Game) error {
	rows, err := q.Query(ctx, `SELECT player_id, name, side, starter FROM player_box WHERE game_id = $1 AND scope = 'game' ORDER BY source`, gameID)
	if err != nil {
		return fmt.Errorf("box_score %s: player names: %w", gameID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		var side, starter int
		if err := rows.Scan(&id, &name, &side, &starter); err != nil {
			return fmt.Errorf("box_score %s: player names: %w", gameID, err)
		}
		if p, ok := game.Players[model.PlayerID(id)]; !ok || p.Name == "" {
			game.Players[model.PlayerID(id)] = model.PlayerInfo{ID: model.PlayerID(id), Name: name, Side: model.Side(side), Starter: starter != 0}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("box_score %s: player names: %w", gameID, err)
	}
	return nil
}

// FoldPackSummary is what WriteFoldPacks did.
type FoldPackSummary struct {
	Written int // games whose pack was written
	Deleted int // packs of other variants deleted
	// Failed are the games that did not compile (no plays from the
	// preferred provider, an engine panic): no pack; the first error is
	// FirstFailure. They are tried again by the next call.
	Failed       int
	FirstFailure error
}

// foldPacksPerTx is how many games' packs one transaction writes.
const foldPacksPerTx = 200

// WriteFoldPacks stores the fold pack (table fold_packs, docs/store.md
// "Fold packs") of every game with plays that has none of o's variant
// built from its current version (store.GamesWithoutFoldPack: the games
// loaded or re-stamped since their pack was written, and those never
// packed): the game a Source of o compiles on a miss of Get(id, ""),
// compiled by workers goroutines (1 when < 1), foldPacksPerTx games a
// transaction. o must be FoldOnly (a pack keeps no events). Packs of other
// variants (older overrides) are deleted. Nothing is written when a quirk
// rule is disabled in this process (pbp.AllRulesOn): such a compile is not
// what a server compiles. On an up-to-date store it is two queries.
func WriteFoldPacks(ctx context.Context, o SourceOptions, workers int) (FoldPackSummary, error) {
	var sum FoldPackSummary
	if !o.FoldOnly {
		return sum, errors.New("gamecache: fold packs are of fold-only sources")
	}
	if !pbp.AllRulesOn() {
		return sum, nil
	}
	if o.Cache == nil {
		o.Cache = New(1) // unused: the games are compiled, not cached
	}
	s, err := NewSource(o)
	if err != nil {
		return sum, err
	}
	n, err := store.DeleteFoldPacksExcept(ctx, s.q, s.variant)
	if err != nil {
		return sum, err
	}
	sum.Deleted = int(n)
	ids, err := store.GamesWithoutFoldPack(ctx, s.q, s.variant, pbp.FoldPackFormat)
	if err != nil {
		return sum, err
	}
	workers = max(workers, 1)
	for lo := 0; lo < len(ids); lo += foldPacksPerTx {
		part := ids[lo:min(lo+foldPacksPerTx, len(ids))]
		packs := make([]*store.FoldPack, len(part))
		errs := make([]error, len(part))
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(workers, len(part)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					packs[i], errs[i] = s.foldPack(ctx, part[i])
				}
			}()
		}
		for i := range part {
			next <- i
		}
		close(next)
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		rows := make([]store.FoldPack, 0, len(part))
		for i, p := range packs {
			if errs[i] != nil {
				sum.Failed++
				if sum.FirstFailure == nil {
					sum.FirstFailure = errs[i]
				}
				continue
			}
			rows = append(rows, *p)
		}
		if err := store.ReplaceFoldPacks(ctx, s.q, rows); err != nil {
			return sum, err
		}
		sum.Written += len(rows)
	}
	return sum, nil
}

// foldPack compiles game id as s does on a miss and encodes it.
func (s *Source) foldPack(ctx context.Context, id string) (p *store.FoldPack, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("game %s: play-by-play engine failed: %v", id, r)
		}
	}()
	c, ver, err := s.compile(ctx, id, "", nil)
	if err != nil {
		return nil, err
	}
	return &store.FoldPack{GameID: id, Provider: c.Game.Provider, Variant: s.variant, Version: ver,
		Format: pbp.FoldPackFormat, Pack: c.AppendFoldPack(nil)}, nil
}
