// Package collect orchestrates fetches: it turns "the schedule of a
// season", "a game" or "every game of a season" into requests of the
// sources, skips what the lake already holds (so an interrupted run,
// started again, fetches only what is missing), sends the requests through
// the shared paced client, writes every validated response to the lake
// with its provenance, and reports progress and a summary.
package collect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/source/bbref"
	"github.com/nbasim/nbasim/internal/source/espn"
	"github.com/nbasim/nbasim/internal/source/nbalive"
	"github.com/nbasim/nbasim/internal/source/nbastats"
	"github.com/nbasim/nbasim/internal/store"
)

// Registry returns the four sources with the base URLs of cfg (empty: the
// real hosts).
func Registry(cfg map[string]config.Source) *source.Registry {
	base := func(n string) string { return cfg[n].BaseURL }
	return source.NewRegistry(
		nbastats.New(base(nbastats.Name)),
		nbalive.New(base(nbalive.Name)),
		espn.New(base(espn.Name)),
		bbref.New(base(bbref.Name)),
	)
}

// NewClient returns a client with each source's policy, overridden by the
// non-zero fields of cfg.
func NewClient(reg *source.Registry, cfg map[string]config.Source) *source.Client {
	c := source.NewClient(nil)
	for _, s := range reg.All() {
		c.SetPolicy(s.Host(), s.Policy().Apply(cfg[s.Name()]))
	}
	return c
}

// Collector fetches into a lake.
type Collector struct {
	Lake     *lake.Lake
	Client   *source.Client
	Registry *source.Registry
	// Store, when set, gives the games of a season (table games, filled by
	// the loader from schedules) and the providers' ids of a game.
	Store store.Querier
	Log   *slog.Logger
	// Progress, when set, makes a progress reporter for total items.
	Progress func(label string, total int) Progress
}

// Progress reports advancement of a batch.
type Progress interface {
	Add(n int)
	Finish()
}

// Options tune a batch.
type Options struct {
	// Force fetches even what the lake already holds (identical bytes
	// still write nothing; a changed payload keeps the earlier version).
	Force bool
	// Workers per host (default: the host's concurrency cap).
	Workers int
	// RetryPermanent asks again for objects whose last fetch failed
	// permanently (404, ...) less than PermanentTTL ago (default 24 h);
	// otherwise they are skipped. Needs Collector.Store (table fetch_log).
	RetryPermanent bool
	PermanentTTL   time.Duration
}

// Failure is one failed item.
type Failure struct {
	Key   string
	URL   string
	Class source.Class
	Err   error
}

// Summary is what a batch did.
type Summary struct {
	Requested int              // items asked for
	Present   int              // already in the lake: not fetched
	Known404  int              // failed permanently in a recent run (fetch_log): not asked again
	Fetched   int              // new objects written (including changed payloads)
	Changed   int              // of Fetched: a different payload was there, archived
	Unchanged int              // fetched, identical to the lake: nothing written
	Failed    map[string]int   // failed items by class
	Failures  []Failure        // every failed item
	Bytes     int64            // bytes fetched
	Requests  map[string]int64 // attempts per host
	Elapsed   time.Duration
}

func newSummary() *Summary {
	return &Summary{Failed: map[string]int{}, Requests: map[string]int64{}}
}

// Add merges o into s.
func (s *Summary) Add(o *Summary) {
	s.Requested += o.Requested
	s.Present += o.Present
	s.Known404 += o.Known404
	s.Fetched += o.Fetched
	s.Changed += o.Changed
	s.Unchanged += o.Unchanged
	s.Bytes += o.Bytes
	s.Elapsed += o.Elapsed
	for k, v := range o.Failed {
		s.Failed[k] += v
	}
	s.Failures = append(s.Failures, o.Failures...)
	for k, v := range o.Requests {
		s.Requests[k] += v
	}
}

// FailedTotal is the number of failed items.
func (s *Summary) FailedTotal() int {
	n := 0
	for _, v := range s.Failed {
		n += v
	}
	return n
}

// String renders the summary on a few lines.
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "requested %d: fetched %d (changed %d), unchanged %d, already in lake %d, failed %d",
		s.Requested, s.Fetched, s.Changed, s.Unchanged, s.Present, s.FailedTotal())
	if s.Known404 > 0 {
		fmt.Fprintf(&b, ", skipped %d that failed permanently in a recent run", s.Known404)
	}
	if len(s.Failed) > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Failed) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Failed[k]))
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, "\n%.1f MB in %s", float64(s.Bytes)/1e6, s.Elapsed.Round(time.Millisecond))
	if len(s.Requests) > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Requests) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Requests[k]))
		}
		fmt.Fprintf(&b, "; requests: %s", strings.Join(parts, ", "))
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *Collector) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Fetch fetches reqs (skipping those the lake holds unless opts.Force)
// and writes each validated response to the lake. Hosts are worked in
// parallel, each by as many workers as its concurrency cap. A failed item
// is counted and listed, never written; the batch goes on. The error is
// non-nil only when the context ended or the lake failed.
func (c *Collector) Fetch(ctx context.Context, label string, reqs []*source.Request, opts Options) (*Summary, error) {
	start := time.Now()
	sum := newSummary()
	sum.Requested = len(reqs)
	before := hostRequests(c.Client)

	var keys []string
	for _, r := range reqs {
		if k, err := r.Key(); err == nil {
			keys = append(keys, k)
		}
	}
	logd, err := c.loggedFailures(ctx, keys)
	if err != nil {
		c.log().Warn("fetch_log unavailable", "err", err)
		logd = map[string]logged{}
	}
	ttl := opts.PermanentTTL
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	// Skip what is there: the lake is the checkpoint.
	var todo []*source.Request
	planned := map[string]bool{}
	for _, r := range reqs {
		key, err := r.Key()
		if err != nil {
			sum.Failed[source.Permanent.String()]++
			sum.Failures = append(sum.Failures, Failure{Key: r.String(), URL: r.URL, Class: source.Permanent, Err: err})
			continue
		}
		if planned[key] { // asked twice in one batch: once is enough
			sum.Requested--
			continue
		}
		planned[key] = true
		if !opts.Force {
			ok, err := c.Lake.Exists(ctx, key)
			if err != nil {
				return sum, err
			}
			if ok {
				sum.Present++
				continue
			}
			if l, ok := logd[key]; ok && !opts.RetryPermanent && l.class == source.Permanent.String() && time.Since(l.at) < ttl {
				sum.Known404++
				continue
			}
		}
		todo = append(todo, r)
	}
	var prog Progress = nopProgress{}
	if c.Progress != nil && len(todo) > 0 {
		prog = c.Progress(label, len(todo))
	}
	byHost := map[string][]*source.Request{}
	for _, r := range todo {
		byHost[r.Host] = append(byHost[r.Host], r)
	}
	var mu sync.Mutex
	var lakeErr error
	var done []*source.Request // fetched (written or unchanged)
	var wg sync.WaitGroup
	// A lake write error stops every worker of every host: fetching more
	// would only spend the sources' rate limits on bytes that cannot be
	// kept. wctx is cancelled on the first one.
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	for host, rs := range byHost {
		workers := opts.Workers
		if workers <= 0 {
			workers = c.hostConcurrency(host)
		}
		ch := make(chan *source.Request)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range ch {
					if wctx.Err() != nil {
						continue // drain: the feeder stops on wctx too
					}
					res, n, ferr, err := c.one(wctx, r)
					mu.Lock()
					switch {
					case err != nil:
						if lakeErr == nil {
							lakeErr = err
							stop()
						}
					case ferr != nil && wctx.Err() != nil && ctx.Err() == nil:
						// a fetch cut short because another worker's lake
						// write failed: not a failure of the item
					case ferr != nil:
						cl := source.ClassOf(ferr)
						name := cl.String()
						if cl == 0 {
							name = "error"
						}
						sum.Failed[name]++
						sum.Failures = append(sum.Failures, Failure{Key: r.String(), URL: r.URL, Class: cl, Err: ferr})
						lvl := slog.LevelWarn
						if cl == source.Permanent {
							lvl = slog.LevelDebug // reported in the summary; usually "not there (yet)"
						}
						c.log().Log(ctx, lvl, "fetch failed", "item", r.String(), "url", r.URL, "class", name, "err", ferr)
					case res.Unchanged:
						sum.Unchanged++
						done = append(done, r)
					default:
						done = append(done, r)
						sum.Fetched++
						if res.Archived != "" {
							sum.Changed++
						}
					}
					sum.Bytes += int64(n)
					mu.Unlock()
					prog.Add(1)
				}
			}()
		}
		go func(rs []*source.Request) {
			defer close(ch)
			for _, r := range rs {
				select {
				case ch <- r:
				case <-wctx.Done():
					return
				}
			}
		}(rs)
	}
	wg.Wait()
	prog.Finish()
	after := hostRequests(c.Client)
	for h, n := range after {
		if d := n - before[h]; d > 0 {
			sum.Requests[h] = d
		}
	}
	// The failure log: record this batch's failures, forget the ones
	// fetched now.
	byName := map[string]*source.Request{}
	for _, r := range todo {
		byName[r.String()] = r
	}
	if err := c.recordFailures(ctx, sum.Failures, byName); err != nil {
		c.log().Warn("fetch_log not updated", "err", err)
	}
	var cleared []string
	for _, r := range done {
		if k, _ := r.Key(); logd[k].class != "" {
			cleared = append(cleared, k)
		}
	}
	if err := c.clearFailures(ctx, cleared); err != nil {
		c.log().Warn("fetch_log not updated", "err", err)
	}
	sum.Elapsed = time.Since(start)
	if lakeErr != nil {
		return sum, lakeErr
	}
	return sum, ctx.Err()
}

func hostRequests(c *source.Client) map[string]int64 {
	out := map[string]int64{}
	for _, s := range c.Stats() {
		out[s.Host] = s.Requests
	}
	return out
}

// hostConcurrency is how many requests to host the client lets fly at
// once: the policy the client was configured with (NewClient applies the
// run's config over the source's default), not the source's default.
func (c *Collector) hostConcurrency(host string) int {
	p, _ := c.Client.Policy(host)
	return max(p.Concurrency, 1)
}

// one fetches and stores one request: (store result, bytes, fetch error,
// fatal error).
func (c *Collector) one(ctx context.Context, r *source.Request) (lake.StoreResult, int, error, error) {
	key, _ := r.Key()
	resp, err := c.Client.Fetch(ctx, r)
	if err != nil {
		if ctx.Err() != nil {
			return lake.StoreResult{}, 0, nil, ctx.Err()
		}
		return lake.StoreResult{}, 0, err, nil
	}
	res, err := c.Lake.Store(ctx, key, resp.Body, lake.Meta{
		Source: r.Source, Endpoint: r.Dataset, URL: r.URL, FetchedAt: resp.FetchedAt, ContentType: resp.ContentType,
	})
	if err != nil {
		return res, len(resp.Body), nil, fmt.Errorf("collect: write %s: %w", key, err)
	}
	return res, len(resp.Body), nil, nil
}

// Schedule fetches the schedule objects of season for src. Schedules
// change while a season runs, so they are always fetched again (identical
// bytes write nothing).
func (c *Collector) Schedule(ctx context.Context, src source.Source, season layout.Season) (*Summary, error) {
	reqs, err := src.ScheduleRequests(season)
	if err != nil {
		return nil, err
	}
	return c.Fetch(ctx, src.Name()+" schedule "+season.String(), reqs, Options{Force: true})
}

// scheduleDataset is the dataset of src's schedule objects.
func scheduleDataset(src source.Source) string {
	for _, d := range src.Datasets() {
		if ds, ok := layout.Lookup(src.Name(), d); ok && ds.Per != layout.PerGame && ds.Per != layout.PerRange {
			return d
		}
	}
	return ""
}

// GameSource says where a season's games came from.
type GameSource string

// Where games come from.
const (
	FromStore   GameSource = "store"   // table games
	FromLake    GameSource = "lake"    // schedule objects in the lake
	FromFetched GameSource = "fetched" // schedule fetched now
	FromNowhere GameSource = "none"
)

// Games lists season's games in src's id space: from the store's games
// table when it holds the season, else from the schedule objects in the
// lake, else after fetching the schedule.
func (c *Collector) Games(ctx context.Context, src source.Source, season layout.Season) ([]model.GameRow, GameSource, error) {
	if c.Store != nil {
		rows, err := c.storeGames(ctx, season.String())
		if err != nil {
			c.log().Warn("games table unavailable; using the lake", "err", err)
		}
		var have []model.GameRow
		for _, g := range rows {
			if src.GameItem(g) != "" {
				have = append(have, g)
			}
		}
		if len(have) > 0 {
			return have, FromStore, nil
		}
	}
	rows, err := c.lakeGames(ctx, src, season)
	if err != nil {
		return nil, FromNowhere, err
	}
	if len(rows) > 0 {
		return rows, FromLake, nil
	}
	sum, err := c.Schedule(ctx, src, season)
	if err != nil {
		return nil, FromNowhere, err
	}
	c.log().Info("schedule fetched", "source", src.Name(), "season", season.String(), "summary", sum.String())
	rows, err = c.lakeGames(ctx, src, season)
	if err != nil {
		return nil, FromNowhere, err
	}
	if len(rows) == 0 {
		return nil, FromNowhere, fmt.Errorf("collect: no %s schedule of %s could be fetched (%d failed)", src.Name(), season, sum.FailedTotal())
	}
	return rows, FromFetched, nil
}

func (c *Collector) storeGames(ctx context.Context, season string) ([]model.GameRow, error) {
	rs, err := c.Store.Query(ctx, `SELECT game_id, COALESCE(espn_id, ''), COALESCE(bbref_id, ''), COALESCE(game_date, ''),
		COALESCE(home_code, ''), COALESCE(away_code, ''), season_type FROM games WHERE season = $1 ORDER BY game_date, game_id`, season)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []model.GameRow
	for rs.Next() {
		g := model.GameRow{Season: season}
		if err := rs.Scan(&g.GameID, &g.ESPNID, &g.BBRefID, &g.Date, &g.HomeCode, &g.AwayCode, &g.SeasonType); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rs.Err()
}

func (c *Collector) lakeGames(ctx context.Context, src source.Source, season layout.Season) ([]model.GameRow, error) {
	ds := scheduleDataset(src)
	if ds == "" {
		return nil, fmt.Errorf("collect: %s has no schedule dataset", src.Name())
	}
	prefix := src.Name() + "/" + ds + "/" + season.String() + "/"
	seen := map[string]bool{}
	var out []model.GameRow
	err := c.Lake.Walk(ctx, prefix, func(o lake.Object) error {
		k, _, err := layout.Parse(o.Key)
		if err != nil {
			return nil // not ours; reconcile reports it
		}
		data, err := c.Lake.Read(ctx, o.Key)
		if err != nil {
			return err
		}
		rows, err := src.Games(ds, data, parse.Hint{Key: o.Key, Season: k.Season, Item: k.Item})
		if err != nil {
			c.log().Warn("schedule object does not parse; skipped", "key", o.Key, "err", err)
			return nil
		}
		for _, g := range rows {
			id := src.GameItem(g)
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, g)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return src.GameItem(out[i]) < src.GameItem(out[j])
	})
	return out, err
}

// GameRequests builds the requests of datasets (default: the source's
// per-game datasets) for the games.
func GameRequests(src source.Source, season string, games []model.GameRow, datasets []string) ([]*source.Request, error) {
	if len(datasets) == 0 {
		datasets = src.GameDatasets()
	}
	var out []*source.Request
	for _, g := range games {
		item := src.GameItem(g)
		if item == "" {
			continue
		}
		s := season
		if s == "" {
			s = g.Season
		}
		for _, d := range datasets {
			r, err := src.Request(d, s, item)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// SeasonRequests lists the requests of the per-game datasets (default:
// the source's) of every game of season, the first limit games when
// limit > 0, in date order.
func (c *Collector) SeasonRequests(ctx context.Context, src source.Source, season layout.Season, datasets []string, limit int) ([]*source.Request, GameSource, error) {
	games, from, err := c.Games(ctx, src, season)
	if err != nil {
		return nil, from, err
	}
	if limit > 0 && len(games) > limit {
		games = games[:limit]
	}
	reqs, err := GameRequests(src, season.String(), games, datasets)
	if err != nil {
		return nil, from, err
	}
	c.log().Info("season planned", "source", src.Name(), "season", season.String(), "games", len(games), "games_from", string(from), "requests", len(reqs))
	return reqs, from, nil
}

// Season fetches the per-game datasets of every game of season (see
// SeasonRequests).
func (c *Collector) Season(ctx context.Context, src source.Source, season layout.Season, datasets []string, limit int, opts Options) (*Summary, GameSource, error) {
	reqs, from, err := c.SeasonRequests(ctx, src, season, datasets, limit)
	if err != nil {
		return nil, from, err
	}
	sum, err := c.Fetch(ctx, src.Name()+" "+season.String(), reqs, opts)
	return sum, from, err
}

// GameIDs resolves a game id of any provider to the row of ids the store
// knows (or just that id when the store does not know it).
func (c *Collector) GameIDs(ctx context.Context, id string) (model.GameRow, error) {
	g := model.GameRow{}
	switch {
	case len(id) == 10:
		g.GameID = id
		s, err := layout.SeasonOfGameID(id)
		if err != nil {
			return g, err
		}
		g.Season = s.String()
	case len(id) == 9:
		g.ESPNID = id
	case len(id) == 12:
		g.BBRefID = id
		if d, err := time.Parse("20060102", id[:8]); err == nil {
			g.Season = layout.SeasonOfDate(d).String()
		}
	default:
		return g, fmt.Errorf("collect: game id %q: want an NBA GAME_ID (10 digits), an ESPN event id (9) or a bbref id (YYYYMMDD0XXX)", id)
	}
	if c.Store == nil {
		return g, nil
	}
	rs, err := c.Store.Query(ctx, `SELECT game_id, season, COALESCE(espn_id, ''), COALESCE(bbref_id, '') FROM games
		WHERE game_id = $1 OR espn_id = $1 OR bbref_id = $1`, id)
	if err != nil {
		return g, nil //nolint: the games table is optional
	}
	defer rs.Close()
	if rs.Next() {
		var r model.GameRow
		if err := rs.Scan(&r.GameID, &r.Season, &r.ESPNID, &r.BBRefID); err == nil {
			return r, nil
		}
	}
	return g, nil
}

// ErrNoSeason is returned when a game's season cannot be told.
var ErrNoSeason = errors.New("collect: season of the game unknown (pass --season)")

type nopProgress struct{}

func (nopProgress) Add(int) {}
func (nopProgress) Finish() {}
