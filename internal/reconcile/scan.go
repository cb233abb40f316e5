package reconcile

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
)

// Object is one listed lake object.
type Object = lake.Object

// Lister lists a lake: *lake.Lake (a folder lake by a directory walk, any
// other by the paged listing), or a test's wrapper of one.
type Lister = lake.Lister

// FileLakeRoot returns the directory of a file:// lake URL (with prefix),
// or "" when u is not a file:// URL.
func FileLakeRoot(u, prefix string) (string, error) {
	if !strings.HasPrefix(u, "file://") {
		return "", nil
	}
	p, _, _ := strings.Cut(strings.TrimPrefix(u, "file://"), "?")
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return "", err
	}
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		abs = filepath.Join(abs, filepath.FromSlash(prefix))
	}
	return abs, nil
}

// Entry is what the scan keeps of one object (no pointers: a million of
// them cost the garbage collector nothing to scan).
type Entry struct {
	Size    int64
	ModTime int64 // Unix seconds
}

// Group holds the objects of one source × dataset × season.
type Group struct {
	Source, Dataset, Season string
	Items                   map[string]Entry  // item -> entry
	ETags                   map[string]string // item -> etag, when the lister gives one
	// Origins maps items to their storage key when the lake's layout is not
	// nbasim's own (an nba_simulator bucket): the key to import from.
	Origins map[string]string
	Bytes   int64
	copies  map[string][]copyRec // items under several keys (during the scan)
}

// put records an object of the group. A second object for the same item
// (the same data under another legacy name) is a copy: every object of such
// an item is remembered (finish compares them), and the one under the
// preferred name is kept.
func (g *Group) put(item string, e Entry, etag, origin string) {
	if old, ok := g.Items[item]; ok {
		if g.copies == nil {
			g.copies = map[string][]copyRec{}
		}
		if len(g.copies[item]) == 0 {
			g.copies[item] = []copyRec{{key: g.Origins[item], e: old, etag: g.ETags[item]}}
		}
		g.copies[item] = append(g.copies[item], copyRec{key: origin, e: e, etag: etag})
		if !preferOrigin(origin, g.Origins[item]) {
			return
		}
		g.Bytes -= old.Size
	}
	g.Items[item] = e
	if etag != "" {
		if g.ETags == nil {
			g.ETags = map[string]string{}
		}
		g.ETags[item] = etag
	} else if g.ETags != nil {
		delete(g.ETags, item)
	}
	if origin != "" {
		if g.Origins == nil {
			g.Origins = map[string]string{}
		}
		g.Origins[item] = origin
	}
	g.Bytes += e.Size
}

// copyRec is one of the keys of an item held under several.
type copyRec struct {
	key  string
	e    Entry
	etag string
}

// countCopies compares every copy of an item with the object under the
// preferred name (the one kept), so the figures do not depend on the order
// in which the prefixes were listed.
func (g *Group) countCopies(cs *CopyStats) {
	items := make([]string, 0, len(g.copies))
	for it := range g.copies {
		items = append(items, it)
	}
	sort.Strings(items)
	for _, it := range items {
		recs := g.copies[it]
		best := 0
		for i := range recs {
			if preferOrigin(recs[i].key, recs[best].key) {
				best = i
			}
		}
		cs.Items++
		for i, r := range recs {
			if i != best {
				cs.add(recs[best].e, recs[best].etag, recs[best].key, r.e, r.etag, r.key)
			}
		}
	}
	g.copies = nil
}

// preferOrigin reports whether storage key a is a better name than b for
// the same item: the current names (espn_*) over the older ones, then the
// smaller key, so the choice does not depend on listing order.
func preferOrigin(a, b string) bool {
	ra, rb := layout.LegacyRank(a), layout.LegacyRank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

// CopyStats counts items held under more than one key (nba_simulator keeps
// much of its ESPN data under its current and older names). Copies with the
// same size and ETag are identical; others differ (another version).
type CopyStats struct {
	Items          int64            // items with at least one copy
	Copies         int64            // keys beyond the first
	Identical      int64            // copies with the first's size and ETag
	SizeOnly       int64            // identical by size, no ETag to compare (file:// listings)
	Different      int64            // copies whose size or ETag differ
	RedundantBytes int64            // bytes held by identical copies
	ByPrefixes     map[string]int64 // "espn_play_by_play/ + pbp/" -> copies
	Examples       []CopyExample    // the first maxCopyExamples
}

// CopyExample is one item found under two keys.
type CopyExample struct {
	Key, Copy string
	Identical bool
}

const maxCopyExamples = 20

func (cs *CopyStats) add(a Entry, aTag, aKey string, b Entry, bTag, bKey string) {
	cs.Copies++
	if cs.ByPrefixes == nil {
		cs.ByPrefixes = map[string]int64{}
	}
	cs.ByPrefixes[topPrefix(aKey)+" + "+topPrefix(bKey)]++
	same := a.Size == b.Size && aTag == bTag
	switch {
	case same && aTag != "":
		cs.Identical++
		cs.RedundantBytes += b.Size
	case same:
		cs.SizeOnly++
		cs.RedundantBytes += b.Size
	default:
		cs.Different++
	}
	if len(cs.Examples) < maxCopyExamples {
		cs.Examples = append(cs.Examples, CopyExample{Key: aKey, Copy: bKey, Identical: same})
	}
}

func topPrefix(key string) string {
	if i := strings.IndexByte(key, '/'); i >= 0 {
		return key[:i+1]
	}
	return key
}

// NotData counts the objects of one prefix that are not data.
type NotData struct {
	Count  int64
	Bytes  int64
	Reason string
}

// GroupKey returns "source/dataset/season".
func GroupKey(source, dataset, season string) string { return source + "/" + dataset + "/" + season }

// UnknownKey is a key that follows no layout rule.
type UnknownKey struct {
	Key    string
	Reason string
}

// ScanSchema is the version of ScanResult (and of the scan cache).
const ScanSchema = 4

// maxUnknownExamples bounds the unknown keys a scan lists (all are counted).
const maxUnknownExamples = 200

// ScanResult is the lake's inventory.
type ScanResult struct {
	Schema       int
	Lake         string // lake URL (redacted)
	Mode         string // full, sample, inventory
	SampleRate   float64
	Lister       string
	StartedAt    time.Time
	Duration     time.Duration
	Prefixes     int   // prefixes listed in parallel
	Listed       int64 // objects listed
	Kept         int64 // objects kept (== Listed unless sampled)
	Bytes        int64
	History      int64 // earlier versions under _history/
	UnknownCount int64
	Unknown      []UnknownKey // the first maxUnknownExamples, sorted
	Groups       map[string]*Group
	// Layout is the key layout the scan read (layout.Profile name) and
	// LayoutReason why (lake.layout, or what auto detection saw).
	Layout       string
	LayoutReason string
	// NotData counts keys that are not data, by top-level prefix.
	NotData map[string]*NotData
	// Copies counts items found under more than one key.
	Copies CopyStats
	// FromCache is set when the result was read from the cache.
	FromCache bool `json:"-"`
}

// Scale is the factor by which kept counts estimate the lake (1/rate).
func (r *ScanResult) Scale() float64 {
	if r.Mode == "sample" && r.SampleRate > 0 && r.SampleRate < 1 {
		return 1 / r.SampleRate
	}
	return 1
}

// ScanOptions configures Scan.
type ScanOptions struct {
	SampleRate  float64 // 0 or 1: full scan
	Concurrency int     // parallel listers, default 32
	LakeURL     string
	// Profile maps keys to nbasim keys (nil: nbasim's own layout).
	Profile *layout.Profile
	// Progress, when set, is called with the number of objects listed so
	// far, never concurrently.
	Progress func(listed int64)
}

// keep reports whether a sampled scan keeps key: a hash of the key, so the
// same sample is drawn on every run.
func keep(key string, rate float64) bool {
	if rate <= 0 || rate >= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return float64(h.Sum64())/float64(math.MaxUint64) < rate
}

// collector accumulates objects (one per lister goroutine, merged at the end).
type collector struct {
	profile *layout.Profile
	rate    float64
	listed  int64
	kept    int64
	bytes   int64
	history int64
	unknown int64
	unk     []UnknownKey
	groups  map[string]*Group
	notData map[string]*NotData
}

func newCollector(rate float64, p *layout.Profile) *collector {
	if p == nil {
		p = layout.NBASim
	}
	return &collector{rate: rate, profile: p, groups: map[string]*Group{}}
}

func (c *collector) add(o Object) {
	c.listed++
	if strings.HasPrefix(o.Key, lake.HistoryPrefix) {
		c.history++
		return
	}
	if !keep(o.Key, c.rate) {
		return
	}
	c.kept++
	c.bytes += o.Size
	k, _, err := c.profile.Map(o.Key)
	if err != nil {
		var nd *layout.NotDataError
		if errors.As(err, &nd) {
			if c.notData == nil {
				c.notData = map[string]*NotData{}
			}
			n := c.notData[nd.Prefix]
			if n == nil {
				n = &NotData{Reason: nd.Reason}
				c.notData[nd.Prefix] = n
			}
			n.Count++
			n.Bytes += o.Size
			return
		}
		c.unknown++
		if len(c.unk) < maxUnknownExamples {
			reason := err.Error()
			var pe *layout.ParseError
			if errors.As(err, &pe) {
				reason = pe.Reason
			}
			c.unk = append(c.unk, UnknownKey{Key: o.Key, Reason: reason})
		}
		return
	}
	gk := GroupKey(k.Source, k.Dataset, k.Season)
	g := c.groups[gk]
	if g == nil {
		g = &Group{Source: k.Source, Dataset: k.Dataset, Season: k.Season, Items: map[string]Entry{}}
		c.groups[gk] = g
	}
	var mt int64
	if !o.ModTime.IsZero() {
		mt = o.ModTime.Unix()
	}
	// a copy of the item, so the map does not pin the whole listed key
	item := strings.Clone(k.Item)
	origin := ""
	if !c.profile.Native() {
		origin = o.Key
	}
	g.put(item, Entry{Size: o.Size, ModTime: mt}, o.ETag, origin)
}

func (c *collector) merge(into *ScanResult) {
	into.Listed += c.listed
	into.Kept += c.kept
	into.Bytes += c.bytes
	into.History += c.history
	into.UnknownCount += c.unknown
	into.Unknown = append(into.Unknown, c.unk...)
	for p, n := range c.notData {
		if into.NotData == nil {
			into.NotData = map[string]*NotData{}
		}
		if have := into.NotData[p]; have != nil {
			have.Count += n.Count
			have.Bytes += n.Bytes
			continue
		}
		into.NotData[p] = n
	}
	for gk, g := range c.groups {
		if have := into.Groups[gk]; have != nil {
			for it, e := range g.Items {
				if recs := g.copies[it]; len(recs) > 0 {
					for _, r := range recs {
						have.put(it, r.e, r.etag, r.key)
					}
					continue
				}
				have.put(it, e, g.ETags[it], g.Origins[it])
			}
			continue
		}
		into.Groups[gk] = g
	}
}

func (r *ScanResult) finish() {
	r.Copies = CopyStats{}
	gks := make([]string, 0, len(r.Groups))
	for gk := range r.Groups {
		gks = append(gks, gk)
	}
	sort.Strings(gks)
	for _, gk := range gks {
		r.Groups[gk].countCopies(&r.Copies)
	}
	sort.Slice(r.Unknown, func(i, j int) bool { return r.Unknown[i].Key < r.Unknown[j].Key })
	if len(r.Unknown) > maxUnknownExamples {
		r.Unknown = r.Unknown[:maxUnknownExamples]
	}
}

// Scan lists the lake in parallel: prefixes are discovered level by level
// (source/, source/dataset/, source/dataset/season/) and each season prefix
// gets its own paginated lister. Every key is parsed by the layout rules.
func Scan(ctx context.Context, l Lister, opts ScanOptions) (*ScanResult, error) {
	start := time.Now()
	conc := opts.Concurrency
	if conc <= 0 {
		conc = 32
	}
	res := &ScanResult{
		Schema: ScanSchema, Lake: lake.Redact(opts.LakeURL), Mode: "full", SampleRate: 1,
		Lister: l.Describe(), StartedAt: start.UTC(), Groups: map[string]*Group{},
	}
	if opts.SampleRate > 0 && opts.SampleRate < 1 {
		res.Mode, res.SampleRate = "sample", opts.SampleRate
	}
	prof := opts.Profile
	if prof == nil {
		prof = layout.NBASim
	}
	res.Layout = prof.Name()

	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, conc)
		listed   int64
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	mergeC := func(c *collector) {
		mu.Lock()
		defer mu.Unlock()
		c.merge(res)
		listed += c.listed
		if opts.Progress != nil {
			opts.Progress(listed) // under the lock: callers need not be safe for concurrent use
		}
	}
	walk := func(prefix string) {
		defer wg.Done()
		sem <- struct{}{}
		defer func() { <-sem }()
		c := newCollector(res.SampleRate, prof)
		err := l.Scan(ctx, prefix, func(o Object) error {
			c.add(o)
			return nil
		})
		if err != nil {
			fail(fmt.Errorf("scan %q: %w", prefix, err))
			return
		}
		mergeC(c)
		mu.Lock()
		res.Prefixes++
		mu.Unlock()
	}
	// discover lists prefix one level down; depth counts levels below it.
	var discover func(prefix string, depth int)
	discover = func(prefix string, depth int) {
		defer wg.Done()
		sem <- struct{}{}
		dirs, objs, err := l.ListDirs(ctx, prefix)
		<-sem
		if err != nil {
			fail(fmt.Errorf("scan %q: %w", prefix, err))
			return
		}
		c := newCollector(res.SampleRate, prof)
		for _, o := range objs {
			c.add(o)
		}
		mergeC(c)
		for _, d := range dirs {
			wg.Add(1)
			switch {
			case d == healthPrefix:
				wg.Done() // health-check probes: not lake data
			case d == lake.HistoryPrefix:
				go walk(d)
			case !prof.Native():
				go walk(d) // a legacy top-level prefix, walked whole
			case depth == 0 && !knownSource(strings.TrimSuffix(d, "/")):
				go walk(d) // keys will be reported as unknown
			case depth < 2:
				go discover(d, depth+1)
			default:
				go walk(d) // source/dataset/season/
			}
		}
	}
	wg.Add(1)
	discover("", 0)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.finish()
	res.Duration = time.Since(start)
	return res, nil
}

// healthPrefix holds the pre-flight check's probe objects (internal/health).
const healthPrefix = "_health/"

func knownSource(s string) bool {
	for _, x := range layout.Sources() {
		if x == s {
			return true
		}
	}
	return false
}

// NotDataCount is the number of keys that are not data (all prefixes).
func (r *ScanResult) NotDataCount() int64 {
	var n int64
	for _, d := range r.NotData {
		n += d.Count
	}
	return n
}
