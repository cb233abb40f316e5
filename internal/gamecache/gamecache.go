// Package gamecache keeps compiled games (pbp.Compile output) in memory, so
// that a box at a moment costs a fold, not a database read plus a compile.
//
// The cache is an LRU bounded by a number of games, keyed by game, play-by-
// play provider and overrides version: a new overrides file (or a game read
// from another provider) is another key, never a stale hit. Concurrent
// misses of one key share a single load. A *pbp.Compiled is read-only once
// compiled (BoxAt, StateAt, Window and Stints fold into their own state), so
// one cached value serves any number of goroutines.
//
// Each cached game carries the version of the stored data it was compiled
// from (Source: the game's updated_at, which the loader moves on whenever
// it rewrites the game's plays or boxes from changed input); Revalidate
// drops the games whose version moved, so a reloaded game is never served
// from its old plays for longer than one revalidation interval.
//
// The web server (internal/web) and the MCP box_score tool share the
// Source: the same compiled games, cache, overrides and invalidation.
package gamecache

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/nbasim/nbasim/internal/pbp"
)

// DefaultCapacity is the number of games a cache holds when New is given 0:
// a whole regular season (1,230 games) plus playoffs, about 350 MB (a
// compiled game of the archive holds ~230 kB: its events once, in engine
// order, ~400 bytes each, the compiled events and the checkpoints; Source
// compiles in place, pbp.CompileOwned).
const DefaultCapacity = 1500

// Key names one compiled game.
type Key struct {
	GameID   string // NBA game id
	Provider string // play-by-play provider, e.g. "nba_stats/playbyplayv2"
	// Overrides is the version of the overrides the game was compiled
	// with (Version of the set); "" for none.
	Overrides string
}

// String renders the key for logs and errors.
func (k Key) String() string {
	return fmt.Sprintf("%s/%s@%s", k.GameID, k.Provider, k.Overrides)
}

// Loader compiles a game on a miss.
type Loader func(ctx context.Context) (*pbp.Compiled, error)

// VersionedLoader compiles a game on a miss and says which version of the
// stored data it read (what Revalidate compares).
type VersionedLoader func(ctx context.Context) (*pbp.Compiled, string, error)

// Stats are the cache's counters since New.
type Stats struct {
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
	Shared int64 `json:"shared"` // misses that waited for another caller's load
	Loads  int64 `json:"loads"`
	// PackHits are the loads served from a stored fold pack (a read and a
	// decode), Compiles those that read the game's plays and compiled
	// them (Source; a Cache used without a Source counts neither).
	PackHits int64 `json:"pack_hits"`
	Compiles int64 `json:"compiles"`
	// PackRejects are current packs (this variant, format and version)
	// that did not decode to their game: the game was compiled instead,
	// until a load that changes the game writes its pack again.
	PackRejects int64 `json:"pack_rejects"`
	Errors      int64 `json:"errors"`
	Evictions   int64 `json:"evictions"`
	// Invalidations are games dropped because their stored data changed
	// (Revalidate, Remove).
	Invalidations int64 `json:"invalidations"`
	Size          int   `json:"size"`
	Capacity      int   `json:"capacity"`
}

type entry struct {
	key Key
	val *pbp.Compiled
	ver string
}

type call struct {
	done chan struct{}
	val  *pbp.Compiled
	ver  string
	err  error
}

// Cache is an LRU of compiled games, safe for concurrent use.
type Cache struct {
	mu       sync.Mutex
	capacity int
	ll       *list.List // front = most recently used
	items    map[Key]*list.Element
	inflight map[Key]*call
	stats    Stats
}

// New returns a cache holding at most capacity games (DefaultCapacity when
// capacity <= 0).
func New(capacity int) *Cache {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Cache{capacity: capacity, ll: list.New(), items: map[Key]*list.Element{}, inflight: map[Key]*call{}}
}

// Get returns the compiled game of key, calling load on a miss. Concurrent
// misses of the same key wait for one load; errors are returned to every
// waiter and not cached. A waiter whose ctx ends stops waiting; the load
// itself runs with ctx's values but not its cancellation, so that one
// caller giving up does not fail the others waiting for the same game
// (bound the load's own I/O, e.g. with the database's statement timeout).
func (c *Cache) Get(ctx context.Context, key Key, load Loader) (*pbp.Compiled, error) {
	return c.GetVersioned(ctx, key, func(ctx context.Context) (*pbp.Compiled, string, error) {
		v, err := load(ctx)
		return v, "", err
	})
}

// GetVersioned is Get with a loader that also returns the version of the
// data it compiled (kept with the game for Revalidate).
func (c *Cache) GetVersioned(ctx context.Context, key Key, load VersionedLoader) (*pbp.Compiled, error) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		c.stats.Hits++
		v := el.Value.(*entry).val
		c.mu.Unlock()
		return v, nil
	}
	c.stats.Misses++
	if cl, ok := c.inflight[key]; ok {
		c.stats.Shared++
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.val, cl.err
		case <-ctx.Done():
			return nil, fmt.Errorf("gamecache: %s: %w", key, ctx.Err())
		}
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.stats.Loads++
	c.mu.Unlock()

	cl.val, cl.ver, cl.err = safeLoad(context.WithoutCancel(ctx), key, load)

	c.mu.Lock()
	delete(c.inflight, key)
	if cl.err != nil {
		c.stats.Errors++
	} else {
		c.add(key, cl.val, cl.ver)
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.val, cl.err
}

// safeLoad runs load, turning a panic (an engine bug on a strange feed)
// into an error naming the game.
func safeLoad(ctx context.Context, key Key, load VersionedLoader) (v *pbp.Compiled, ver string, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, fmt.Errorf("gamecache: game %s (%s): compile failed: %v", key.GameID, key.Provider, p)
		}
	}()
	v, ver, err = load(ctx)
	if err == nil && v == nil {
		err = fmt.Errorf("gamecache: game %s (%s): loader returned nothing", key.GameID, key.Provider)
	}
	return v, ver, err
}

// add stores v under key; c.mu is held.
func (c *Cache) add(key Key, v *pbp.Compiled, ver string) {
	if el, ok := c.items[key]; ok {
		e := el.Value.(*entry)
		e.val, e.ver = v, ver
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&entry{key: key, val: v, ver: ver})
	for c.ll.Len() > c.capacity {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*entry).key)
		c.stats.Evictions++
	}
}

// Lookup returns the cached game of key, counting a hit and marking it
// recently used, without loading on a miss (nothing is counted then).
func (c *Cache) Lookup(key Key) (*pbp.Compiled, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		c.stats.Hits++
		return el.Value.(*entry).val, true
	}
	return nil, false
}

// Peek returns the cached game of key without loading or touching its
// recency.
func (c *Cache) Peek(key Key) (*pbp.Compiled, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		return el.Value.(*entry).val, true
	}
	return nil, false
}

// Remove drops every cached version of a game (all providers and
// overrides), e.g. after it was reloaded.
func (c *Cache) Remove(gameID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, el := range c.items {
		if k.GameID == gameID {
			c.ll.Remove(el)
			delete(c.items, k)
			n++
		}
	}
	c.stats.Invalidations += int64(n)
	return n
}

// Versioned is a cached game's key and the version of its data.
type Versioned struct {
	Key     Key
	Version string
}

// Versions lists the cached games with their versions, most recently used
// first.
func (c *Cache) Versions() []Versioned {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Versioned, 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		e := el.Value.(*entry)
		out = append(out, Versioned{Key: e.key, Version: e.ver})
	}
	return out
}

// RemoveIf drops key if it is still cached at version ver (a game loaded
// again meanwhile, at a newer version, stays) and says whether it did.
func (c *Cache) RemoveIf(key Key, ver string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok || el.Value.(*entry).ver != ver {
		return false
	}
	c.ll.Remove(el)
	delete(c.items, key)
	c.stats.Invalidations++
	return true
}

// Purge empties the cache.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	c.items = map[Key]*list.Element{}
}

// Len returns the number of cached games.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// countLoad counts a Source's load: from a fold pack, or compiled.
// countPackReject counts a current pack that did not decode (Stats.PackRejects).
func (c *Cache) countPackReject() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.PackRejects++
}

func (c *Cache) countLoad(pack bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pack {
		c.stats.PackHits++
	} else {
		c.stats.Compiles++
	}
}

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Size, s.Capacity = c.ll.Len(), c.capacity
	return s
}

// Version returns a short fingerprint of an overrides set for Key.Overrides
// (the same corrections give the same version; nil gives "none"). Compute
// it once per set, not per request.
func Version(ov *pbp.Overrides) (string, error) {
	if ov == nil {
		return "none", nil
	}
	b, err := yaml.Marshal(ov) // map keys come out sorted: stable
	if err != nil {
		return "", fmt.Errorf("gamecache: overrides version: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6]), nil
}
