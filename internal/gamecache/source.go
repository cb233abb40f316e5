package gamecache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// DefaultRevalidate is how often Watch compares the cached games' versions
// with the store: a reloaded game is served from its new plays at most
// this long after the load committed.
const DefaultRevalidate = time.Second

// Watch's two kinds of pass. Most passes read only the games stamped since
// the newest stamp seen before, or in the last RecentMargin of the clock
// (a load that committed late, or a writer whose clock is behind): one
// small query, whatever the number of cached games. Every FullRevalidate a
// pass compares every cached game's version (Revalidate), so a change the
// recent pass cannot see (a writer's clock more than RecentMargin behind,
// a deleted game) is seen within that long.
const (
	RecentMargin   = 10 * time.Minute
	FullRevalidate = 30 * time.Second
)

// Prepare completes a game read from the store before it is compiled
// (e.g. names from stored boxes).
type Prepare func(ctx context.Context, q store.Querier, g *model.Game) error

// SourceOptions configure a Source.
type SourceOptions struct {
	Querier store.Querier // required: where games are read
	// Cache holds the compiled games; nil makes one of DefaultCapacity.
	// Sources sharing a cache must compile alike (same Overrides and
	// Prepare) or use distinct PrepareNames.
	Cache *Cache
	// Overrides are the play-by-play corrections games are compiled with;
	// nil is the embedded defaults (pbp.DefaultOverrides).
	Overrides *pbp.Overrides
	// Prepare, when set, runs on every game read before it is compiled;
	// PrepareName names it in the cache key (required with Prepare).
	Prepare     Prepare
	PrepareName string
	// FoldOnly makes the compiled games keep no events
	// (pbp.Compiled.ReleaseEvents): for a caller that only folds them
	// (the MCP box_score tool). Such a game holds ~50 kB with few pointers
	// instead of ~230 kB of events, so a cache of them is small and
	// costs the garbage collector almost nothing to mark. Part of the
	// cache key (Variant).
	FoldOnly bool
}

// Source is where the web server and the MCP server get compiled games:
// from the cache, or on a miss from the game's stored fold pack when it is
// current (a FoldOnly source: docs/store.md "Fold packs", written by the
// loader, WriteFoldPacks), else read from the store
// (derive.GameFromStore, the same game `nbasim box` derives) and
// compiled, each kept with the
// version of the data it was compiled from so that Revalidate and Watch
// drop it when the game is reloaded.
type Source struct {
	cache   *Cache
	q       store.Querier
	ov      *pbp.Overrides
	variant string // Key.Overrides: overrides version (+ prepare name, + "fold")
	prepare Prepare
	fold    bool // FoldOnly
	packs   bool // read stored fold packs (every quirk rule on: pbp.AllRulesOn)
	scanAt  int  // scanAllAt (tests lower it)
	// names remembers players' names across misses; reset by every
	// revalidation pass that drops games (a load happened) and every full
	// pass, so a renamed player is read again within FullRevalidate
	names derive.NameMemo

	rv struct {
		sync.Mutex
		mark     string    // newest updated_at seen by the last pass
		lastFull time.Time // when the last full pass (Revalidate) ran
	}
}

// NewSource returns a Source.
func NewSource(o SourceOptions) (*Source, error) {
	if o.Querier == nil {
		return nil, errors.New("gamecache: source without a database")
	}
	if o.Prepare != nil && o.PrepareName == "" {
		return nil, errors.New("gamecache: a source with Prepare needs a PrepareName (it is part of the cache key)")
	}
	if o.Cache == nil {
		o.Cache = New(0)
	}
	if o.Overrides == nil {
		ov, err := pbp.DefaultOverrides()
		if err != nil {
			return nil, fmt.Errorf("gamecache: %w", err)
		}
		o.Overrides = ov
	}
	ver, err := Version(o.Overrides)
	if err != nil {
		return nil, err
	}
	if o.PrepareName != "" {
		ver += "+" + o.PrepareName
	}
	if o.FoldOnly {
		ver += "+fold"
	}
	return &Source{cache: o.Cache, q: o.Querier, ov: o.Overrides, variant: ver, prepare: o.Prepare, fold: o.FoldOnly,
		packs: o.FoldOnly && pbp.AllRulesOn(), scanAt: scanAllAt}, nil
}

// Cache returns the source's cache (for its counters).
func (s *Source) Cache() *Cache { return s.cache }

// Overrides returns the corrections games are compiled with.
func (s *Source) Overrides() *pbp.Overrides { return s.ov }

// Variant is the version of the overrides (and the Prepare's name) that
// the source's games are compiled with: Key.Overrides of its games.
func (s *Source) Variant() string { return s.variant }

func (s *Source) key(gameID, provider string) Key {
	return Key{GameID: gameID, Provider: provider, Overrides: s.variant}
}

// Lookup returns the cached game without reading the store (a hit costs
// no database read at all).
func (s *Source) Lookup(gameID, provider string) (*pbp.Compiled, bool) {
	return s.cache.Lookup(s.key(gameID, provider))
}

// Get returns the compiled game of gameID (an NBA id) from provider ("":
// the preferred provider the store holds, derive.ProviderPreference),
// reading and compiling it on a miss.
func (s *Source) Get(ctx context.Context, gameID, provider string) (*pbp.Compiled, error) {
	return s.get(ctx, gameID, provider, nil)
}

// GetRead is Get for a game whose games row the caller has just read (it
// resolved the id the user typed, gameref.Resolve): on a miss the row is
// not read again (its updated_at is the version, read before the plays).
func (s *Source) GetRead(ctx context.Context, row store.Game, provider string) (*pbp.Compiled, error) {
	return s.get(ctx, row.GameID, provider, &row)
}

func (s *Source) get(ctx context.Context, gameID, provider string, row *store.Game) (*pbp.Compiled, error) {
	return s.cache.GetVersioned(ctx, s.key(gameID, provider), func(ctx context.Context) (*pbp.Compiled, string, error) {
		if c, ver, ok := s.fromPack(ctx, gameID, provider, row); ok {
			s.cache.countLoad(true)
			return c, ver, nil
		}
		c, ver, err := s.compile(ctx, gameID, provider, row)
		if err == nil {
			s.cache.countLoad(false)
		}
		return c, ver, err
	})
}

// compile reads a game from the store and compiles it as the source's
// games are compiled, returning it with the version it was read at.
func (s *Source) compile(ctx context.Context, gameID, provider string, row *store.Game) (*pbp.Compiled, string, error) {
	// the version is read first (GameAndVersionFromStore): a reload
	// between it and the plays leaves an old version with new plays
	// (dropped at the next revalidation, read again), never the reverse
	g, ver, err := derive.GameAndVersionFromStore(ctx, s.q, gameID, provider, derive.ReadOptions{Row: row, Names: &s.names})
	if err != nil {
		return nil, "", err
	}
	if s.prepare != nil {
		if err := s.prepare(ctx, s.q, g); err != nil {
			return nil, "", err
		}
	}
	// the game was read for the cache alone: its events are compiled
	// in place and kept once, or not at all
	c := pbp.CompileOwned(g, s.ov)
	if s.fold {
		c.ReleaseEvents()
	}
	return c, ver, nil
}

// fromPack returns the game from its stored fold pack (docs/store.md,
// "Fold packs"; one query and a decode) when the store holds one that is
// exactly what compile would give now: of the source's variant, of this
// build's pbp.FoldPackFormat, and built from the game's current version
// (row's updated_at when the caller read the row, else the one the query
// reads). With provider "" the pack is the preferred provider's among
// those packed (derive.PreferredProvider: the rule the plays are read
// with). ok is false when there is none (the caller compiles).
func (s *Source) fromPack(ctx context.Context, gameID, provider string, row *store.Game) (c *pbp.Compiled, ver string, ok bool) {
	if !s.packs {
		return nil, "", false
	}
	// the version: the row the caller read, else the games row's now
	packs, cur, err := store.LoadFoldPacks(ctx, s.q, gameID, provider, s.variant, row == nil)
	if err != nil || len(packs) == 0 {
		return nil, "", false
	}
	if row != nil {
		cur = row.UpdatedAt
	}
	k := &packs[0]
	if provider == "" && len(packs) > 1 {
		have := make([]string, len(packs))
		for i := range packs {
			have[i] = packs[i].Provider
		}
		p := derive.PreferredProvider(have)
		for i := range packs {
			if packs[i].Provider == p {
				k = &packs[i]
			}
		}
	}
	if cur == "" || k.Version != cur || k.Format != pbp.FoldPackFormat {
		return nil, "", false
	}
	c, err = pbp.DecodeFoldPack(k.Pack)
	if err != nil || c.Game.GameID != gameID || c.Game.Provider != k.Provider {
		s.cache.countPackReject() // not what it claims: counted, and the game compiled
		return nil, "", false
	}
	return c, cur, true
}

// Revalidate reads the current version of every cached game (one query per
// 500 games) and drops the games whose version changed since they were
// compiled, of every provider and variant. It returns how many it dropped.
func (s *Source) Revalidate(ctx context.Context) (int, error) {
	s.rv.Lock()
	defer s.rv.Unlock()
	// the newest stamp before the versions are read: a load committing
	// meanwhile is stamped after it and seen by the next recent pass
	var mark *string
	if err := s.q.QueryRow(ctx, `SELECT MAX(updated_at) FROM games`).Scan(&mark); err != nil {
		return 0, fmt.Errorf("gamecache: revalidate: newest stamp: %w", err)
	}
	s.names.Reset()
	n, err := s.revalidateAll(ctx)
	if err != nil {
		return n, err
	}
	s.rv.mark, s.rv.lastFull = "", time.Now()
	if mark != nil {
		s.rv.mark = *mark
	}
	return n, nil
}

// recentQuery reads the games stamped since $1: a range of the index on
// games.updated_at (migration 0024), which finds nothing when nothing was
// loaded, instead of a read of the whole games table every second.
const recentQuery = `SELECT game_id, updated_at FROM games WHERE updated_at > $1`

// recentSince is where a recent pass reads from: the earlier of the
// newest stamp the last pass saw (mark) and now less RecentMargin. A stamp
// older than both was written more than RecentMargin ago and seen by a
// pass since; a load that committed late or a writer whose clock is behind
// write stamps within the margin of now. Not mark less RecentMargin: after
// a bulk load (the whole archive stamped within minutes) that window held
// every game, and every pass read them all (14,061 rows a second) for as
// long as nothing newer was loaded.
func recentSince(mark string, now time.Time) string {
	return min(mark, store.FormatTime(now.Add(-RecentMargin)))
}

// RevalidateRecent drops the cached games whose version changed, reading
// only the games stamped since the last pass (less RecentMargin); it runs
// a full pass (Revalidate) first, and then every FullRevalidate. Watch
// calls it: when nothing was loaded it costs one query returning no row,
// not a read of every cached game's version. It returns how many games it
// dropped.
func (s *Source) RevalidateRecent(ctx context.Context) (int, error) {
	s.rv.Lock()
	full := s.rv.mark == "" || time.Since(s.rv.lastFull) >= FullRevalidate
	mark := s.rv.mark
	s.rv.Unlock()
	if full {
		return s.Revalidate(ctx)
	}
	cur := map[string]string{}
	if err := s.versions(ctx, cur, recentQuery, recentSince(mark, time.Now())); err != nil {
		return 0, fmt.Errorf("gamecache: revalidate recent games: %w", err)
	}
	newest := mark
	for _, at := range cur {
		newest = max(newest, at)
	}
	n := 0
	if len(cur) > 0 {
		for _, v := range s.cache.Versions() {
			if at, ok := cur[v.Key.GameID]; ok && at != v.Version && s.cache.RemoveIf(v.Key, v.Version) {
				n++
			}
		}
	}
	if n > 0 || newest != mark {
		s.names.Reset() // something was loaded: names too, perhaps
	}
	s.rv.Lock()
	if s.rv.mark == mark { // no full pass meanwhile
		s.rv.mark = newest
	}
	s.rv.Unlock()
	return n, nil
}

// scanAllAt is the number of cached games from which a full pass reads
// every game's version in one scan of the games table instead of the
// cached games' by id, 500 a statement: on the 14,061-game archive the
// scan costs ~18 ms, 7,000 cached ids in chunks 35-72 ms (SQLite prepares
// each 500-id IN list again on every run: sqlite_stat4).
const scanAllAt = 1000

// versions reads (game_id, updated_at) rows of query into cur.
func (s *Source) versions(ctx context.Context, cur map[string]string, query string, args ...any) error {
	rows, err := s.q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		cur[id] = at
	}
	return rows.Err()
}

// revalidateAll compares every cached game's version with the store.
func (s *Source) revalidateAll(ctx context.Context) (int, error) {
	cached := s.cache.Versions()
	if len(cached) == 0 {
		return 0, nil
	}
	seen := map[string]bool{}
	var ids []string
	for _, v := range cached {
		if !seen[v.Key.GameID] {
			seen[v.Key.GameID] = true
			ids = append(ids, v.Key.GameID)
		}
	}
	cur := make(map[string]string, len(ids))
	var err error
	if len(ids) >= s.scanAt {
		err = s.versions(ctx, cur, `SELECT game_id, updated_at FROM games`)
	} else {
		err = store.InChunks(ids, 1, nil, func(in string, args []any) error {
			return s.versions(ctx, cur, `SELECT game_id, updated_at FROM games WHERE game_id IN (`+in+`)`, args...)
		})
	}
	if err != nil {
		return 0, fmt.Errorf("gamecache: revalidate: %w", err)
	}
	n := 0
	for _, v := range cached {
		if cur[v.Key.GameID] != v.Version && s.cache.RemoveIf(v.Key, v.Version) {
			n++
		}
	}
	return n, nil
}

// Preload compiles the games ids (NBA ids, preferred provider) into the
// cache with workers goroutines (1 when < 1), so that their first requests
// are hits: at most the cache's capacity, in the order given (put the
// likeliest first). A game that fails to load is skipped (it will fail
// again, visibly, when asked for); it returns how many games are cached
// and the first failure, and stops early when ctx ends.
func (s *Source) Preload(ctx context.Context, ids []string, workers int) (int, error) {
	if c := s.cache.Stats().Capacity; len(ids) > c {
		ids = ids[:c]
	}
	workers = max(workers, 1)
	next := make(chan string)
	var (
		mu    sync.Mutex
		n     int
		first error
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				_, err := s.Get(ctx, id, "")
				mu.Lock()
				if err == nil {
					n++
				} else if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, id := range ids {
		select {
		case next <- id:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return n, first
}

// Watch revalidates the cache every interval (DefaultRevalidate when
// <= 0; RevalidateRecent: the games loaded since, and all of them every
// FullRevalidate) until ctx ends, logging failures (the cache keeps
// serving).
func (s *Source) Watch(ctx context.Context, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		every = DefaultRevalidate
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.RevalidateRecent(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("gamecache: revalidate", "err", err)
		} else if n > 0 {
			log.Info("gamecache: reloaded games dropped from the cache", "games", n)
		}
	}
}
