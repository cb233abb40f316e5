package store

import (
	"context"
	"fmt"
)

// A fold pack (table fold_packs, migration 0025; docs/store.md "Fold
// packs") is a game compiled for folding, encoded (pbp.AppendFoldPack):
// what a process that keeps compiled games (internal/gamecache.Source)
// would compile from the game's stored plays, kept so that its cache miss
// is one read and a decode. The store holds the bytes and the three things
// that say whether they are still what a compile would give: the variant
// of the compile (gamecache.Source.Variant: overrides version, prepare,
// fold), the encoding's format (pbp.FoldPackFormat) and the version of the
// game it was compiled from (games.updated_at, which the loader moves on
// whenever it rewrites the game's plays or boxes). The store does not
// decode them (it knows no engine).

// FoldPack is one row of fold_packs.
type FoldPack struct {
	GameID   string
	Provider string // the play-by-play provider compiled
	Variant  string
	Version  string // games.updated_at of the game when it was compiled
	Format   int64
	Pack     []byte
}

// StoredFoldPack is a fold pack read for a game (LoadFoldPacks).
type StoredFoldPack struct {
	Provider string
	Version  string
	Format   int64
	Pack     []byte
}

// LoadFoldPacks reads, in one query, the fold packs of gameID of variant
// (from provider, or from every provider when provider is "") and, when
// version is set, the game's current version (its games.updated_at, read
// by a join: a pack of a game without a games row is then not returned;
// without version, current is ""). No pack, or no fold_packs table (a
// database not migrated, read through a read-only handle), is no error:
// the caller compiles the game.
func LoadFoldPacks(ctx context.Context, q Querier, gameID, provider, variant string, version bool) (packs []StoredFoldPack, current string, err error) {
	query := `SELECT f.provider, f.version, f.format, f.pack, '' FROM fold_packs f WHERE f.game_id = $1 AND f.variant = $2`
	if version {
		query = `SELECT f.provider, f.version, f.format, f.pack, g.updated_at FROM fold_packs f JOIN games g ON g.game_id = f.game_id
WHERE f.game_id = $1 AND f.variant = $2`
	}
	args := []any{gameID, variant}
	if provider != "" {
		query += ` AND f.provider = $3`
		args = append(args, provider)
	}
	rows, err := q.Query(ctx, query+` ORDER BY f.provider`, args...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		return nil, "", nil
	}
	defer rows.Close()
	for rows.Next() {
		var p StoredFoldPack
		if err := rows.Scan(&p.Provider, &p.Version, &p.Format, &p.Pack, &current); err != nil {
			return nil, "", fmt.Errorf("store: fold packs of game %s: %w", gameID, err)
		}
		packs = append(packs, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store: fold packs of game %s: %w", gameID, err)
	}
	return packs, current, nil
}

// GamesWithoutFoldPack lists the games that have plays (a play pack) but
// no fold pack of variant and format built from their current version:
// the games loaded or re-stamped since their pack was written, and those
// that never had one. On an up-to-date database it is one query that
// returns nothing.
func GamesWithoutFoldPack(ctx context.Context, q Querier, variant string, format int64) ([]string, error) {
	ids, err := queryStrings(ctx, q, `SELECT g.game_id FROM games g
WHERE EXISTS (SELECT 1 FROM play_packs p WHERE p.game_id = g.game_id)
AND NOT EXISTS (SELECT 1 FROM fold_packs f WHERE f.game_id = g.game_id AND f.variant = $1 AND f.format = $2 AND f.version = g.updated_at)
ORDER BY g.game_id`, variant, format)
	if err != nil {
		return nil, fmt.Errorf("store: games without a current fold pack: %w", err)
	}
	return ids, nil
}

// ReplaceFoldPacks writes packs in one transaction: each game's packs of
// the packs' variant (every provider) are replaced by the given ones. Two
// writers of the same game's packs at once do not fail: the later wins.
func ReplaceFoldPacks(ctx context.Context, q Querier, packs []FoldPack) error {
	if len(packs) == 0 {
		return nil
	}
	byVariant := map[string][]string{}
	seen := map[[2]string]bool{}
	for _, p := range packs {
		if p.GameID == "" || p.Provider == "" || p.Variant == "" {
			return fmt.Errorf("store: fold pack without a game, provider or variant (%q, %q, %q)", p.GameID, p.Provider, p.Variant)
		}
		if k := [2]string{p.GameID, p.Variant}; !seen[k] {
			seen[k] = true
			byVariant[p.Variant] = append(byVariant[p.Variant], p.GameID)
		}
	}
	err := RunInTx(ctx, q, func(tx Tx) error {
		for v, ids := range byVariant {
			err := InChunks(ids, 2, []any{v}, func(in string, args []any) error {
				_, err := tx.Exec(ctx, `DELETE FROM fold_packs WHERE variant = $1 AND game_id IN (`+in+`)`, args...)
				return err
			})
			if err != nil {
				return err
			}
		}
		// an upsert, not an insert: two loads packing the same game at
		// once (nbasim run's load workers) both succeed, the later wins
		b := Batch{Table: "fold_packs", Columns: []string{"game_id", "provider", "variant", "version", "format", "pack"},
			Key: []string{"game_id", "provider", "variant"}}
		for _, p := range packs {
			b.Rows = append(b.Rows, []any{p.GameID, p.Provider, p.Variant, p.Version, p.Format, p.Pack})
		}
		_, err := tx.Upsert(ctx, b)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: write %d fold pack(s): %w", len(packs), err)
	}
	return nil
}

// DeleteFoldPacksExcept deletes the fold packs of every variant but
// variant (packs compiled with overrides no longer used) and returns how
// many it deleted.
func DeleteFoldPacksExcept(ctx context.Context, q Querier, variant string) (int64, error) {
	n, err := q.Exec(ctx, `DELETE FROM fold_packs WHERE variant <> $1`, variant)
	if err != nil {
		return 0, fmt.Errorf("store: delete fold packs of other variants: %w", err)
	}
	return n, nil
}
