package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/source"
)

// Importing a bucket (nba_simulator's, read in place): every key is mapped
// to its nbasim key by the bucket's layout profile (layout.NBASimulator, or
// nbasim's own), the object is read and validated (ESPN and stats.nba.com
// responses like fetched ones; Parquet, SQLite and CSV by their header),
// its content may refine the dataset (an ESPN API summary kept under
// espn_play_by_play/ is an espn/summary; a v3 box score under a v2 folder is
// the v3 dataset), and it is written under the nbasim key with the legacy
// key as provenance (origin). Between two buckets of one S3 endpoint the
// write is a server-side CopyObject. Objects of one game are handled in
// order, by one worker: the current name (espn_*) wins, a different object
// under an older name is kept as an earlier version.

// bucketWorkers is the number of objects imported at once.
const bucketWorkers = 16

// maxReadBytes bounds what is read into memory to validate JSON; bigger
// files (bulk CSV, Parquet, SQLite) are hashed as a stream.
const maxReadBytes = 64 << 20

type bucketObject struct {
	lake.Object
	key   layout.Key // nbasim key by the profile
	rank  int        // layout.LegacyRank
	group string     // objects of one game/item are serialized
}

func (im *Importer) scanBucket(ctx context.Context, u string, rep *Report) error {
	src, err := lake.Open(ctx, u, im.SourcePrefix)
	if err != nil {
		return err
	}
	defer src.Close()
	var objs []lake.Object
	if err := src.WalkAll(ctx, 0, func(o lake.Object) error {
		if strings.HasPrefix(o.Key, lake.HistoryPrefix) || strings.HasPrefix(o.Key, "_health/") {
			return nil
		}
		objs = append(objs, o)
		return nil
	}); err != nil {
		return err
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Key < objs[j].Key })
	return im.importObjects(ctx, src, u, objs, rep, true)
}

// ImportKeys adopts the listed keys of the bucket at u (an import task
// planned by reconciliation: internal/queue kind "import"), as Import
// adopts a whole bucket. A key no longer there is reported as not adopted.
func (im *Importer) ImportKeys(ctx context.Context, u string, keys []string) (*Report, error) {
	start := time.Now()
	rep := &Report{ByDataset: map[string]int{}}
	im.progress = progress{log: im.log(), last: time.Now()}
	src, err := lake.Open(ctx, u, im.SourcePrefix)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var objs []lake.Object
	for _, k := range keys {
		o, err := src.Stat(ctx, k)
		if errors.Is(err, lake.ErrNotFound) {
			rep.Files++
			rep.Skipped = append(rep.Skipped, Skipped{k, "no longer in the bucket"})
			continue
		}
		if err != nil {
			return rep, err
		}
		o.ETag = strings.Trim(o.ETag, `"`) // as listings give it
		objs = append(objs, o)
	}
	err = im.importObjects(ctx, src, u, objs, rep, false)
	rep.Elapsed = time.Since(start)
	return rep, err
}

// importObjects adopts objs of the bucket src (opened from u). With
// listDest the destination lake is listed first (worth it for a whole
// bucket); without, each object's key is looked up.
func (im *Importer) importObjects(ctx context.Context, src *lake.Lake, u string, objs []lake.Object, rep *Report, listDest bool) error {
	prof := im.Profile
	if prof == nil {
		sample := make([]string, 0, 1000)
		for i := 0; i < len(objs) && len(sample) < 1000; i += max(1, len(objs)/1000) {
			sample = append(sample, objs[i].Key)
		}
		d := layout.Detect(sample)
		prof = d.Profile
		rep.Layout = d.Reason
	} else {
		rep.Layout = "layout: " + prof.Name()
	}
	im.log().Info("import: bucket listed", "bucket", src.URL(), "objects", len(objs), "layout", rep.Layout)
	groups := map[string][]bucketObject{}
	var order []string
	for _, o := range objs {
		rep.Files++
		k, _, err := prof.Map(o.Key)
		if err != nil {
			var nd *layout.NotDataError
			if errors.As(err, &nd) {
				if rep.NotData == nil {
					rep.NotData = map[string]int{}
				}
				rep.NotData[nd.Prefix]++
				continue
			}
			var pe *layout.ParseError
			reason := err.Error()
			if errors.As(err, &pe) {
				reason = "unknown key: " + pe.Reason
			}
			rep.Skipped = append(rep.Skipped, Skipped{o.Key, reason})
			continue
		}
		g := k.Source + "/" + k.Season + "/" + k.Item
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], bucketObject{Object: o, key: k, rank: layout.LegacyRank(o.Key), group: g})
	}
	var known *known
	if listDest {
		var err error
		if known, err = listKnown(ctx, im.Lake); err != nil {
			return err
		}
	}
	origin := strings.TrimSuffix(lake.Redact(u), "/")
	if i := strings.Index(origin, "?"); i >= 0 {
		origin = origin[:i]
	}
	if p := strings.Trim(im.SourcePrefix, "/"); p != "" {
		origin += "/" + p
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan string)
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < bucketWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range next {
				objs := groups[g]
				sort.Slice(objs, func(i, j int) bool {
					if objs[i].rank != objs[j].rank {
						return objs[i].rank < objs[j].rank
					}
					return objs[i].Key < objs[j].Key
				})
				done := map[string]string{} // keys written in this group -> sha256
				// keys whose current object a preferred copy of this
				// group holds: another copy there is an earlier version
				held := map[string]bool{}
				for _, o := range objs {
					res, err := im.adopt(ctx, src, origin, o, known, done, held)
					mu.Lock()
					if err != nil && first == nil {
						first = err
						cancel()
					}
					if err == nil {
						res.apply(rep)
						im.progress.tick(rep)
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}
		}()
	}
feed:
	for _, g := range order {
		select {
		case next <- g:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// adoption is what happened to one object.
type adoption struct {
	dataset   string // source/dataset adopted as ("" when skipped)
	written   bool
	unchanged bool
	archived  bool // kept as an earlier version (a different copy under an older name)
	copied    bool // written by a server-side copy
	skipped   *Skipped
	split     *Report // a many-games playbyplayv2 CSV split into per-game objects
}

func (a adoption) apply(rep *Report) {
	if s := a.split; s != nil {
		rep.Files += s.Files
		rep.Written += s.Written
		rep.Unchanged += s.Unchanged
		rep.Skipped = append(rep.Skipped, s.Skipped...)
		for k, n := range s.ByDataset {
			rep.ByDataset[k] += n
		}
	}
	switch {
	case a.skipped != nil:
		rep.Skipped = append(rep.Skipped, *a.skipped)
		return
	case a.unchanged:
		rep.Unchanged++
	default:
		rep.Written++
		if a.archived {
			rep.Archived++
		}
		if a.copied {
			rep.ServerCopies++
		}
	}
	rep.ByDataset[a.dataset]++
}

// known is what the destination lake holds, from one listing before the
// import: the ETag of each current object and of its earlier versions.
// A legacy object whose ETag is among its key's is already adopted (a
// server-side copy keeps the ETag); a key not listed needs no stat.
type known struct {
	current map[string]string
	history map[string][]string
}

func listKnown(ctx context.Context, l *lake.Lake) (*known, error) {
	k := &known{current: map[string]string{}, history: map[string][]string{}}
	err := l.WalkAll(ctx, 0, func(o lake.Object) error {
		if h, ok := strings.CutPrefix(o.Key, lake.HistoryPrefix); ok {
			if i := strings.LastIndexByte(h, '@'); i > 0 {
				k.history[h[:i]] = append(k.history[h[:i]], o.ETag)
			}
			return nil
		}
		k.current[o.Key] = o.ETag
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("import: list the lake: %w", err)
	}
	return k, nil
}

// listed reports whether key was listed (with or without an ETag).
func (k *known) listed(key string) bool {
	_, ok := k.current[key]
	return ok
}

// has reports whether an object with etag is at key or among its earlier
// versions.
func (k *known) has(key, etag string) bool {
	if etag == "" {
		return false
	}
	if k.current[key] == etag {
		return true
	}
	for _, e := range k.history[key] {
		if e == etag {
			return true
		}
	}
	return false
}

// adopt validates one legacy object and writes it under its nbasim key.
// done holds the keys this import wrote for the object's game so far (with
// their sha256), which the listing before the import cannot know.
func (im *Importer) adopt(ctx context.Context, src *lake.Lake, origin string, o bucketObject, kn *known, done map[string]string, held map[string]bool) (adoption, error) {
	if kn != nil && kn.has(o.key.String(), o.ETag) {
		if kn.current[o.key.String()] == o.ETag {
			held[o.key.String()] = true
		}
		return adoption{dataset: o.key.Source + "/" + o.key.Dataset, unchanged: true}, nil
	}
	body, sha, err := readHashed(ctx, src, o.Object, o.key.Ext == "json")
	if err != nil {
		return adoption{}, fmt.Errorf("import %s: %w", o.Key, err)
	}
	skip := func(reason string) (adoption, error) {
		im.log().Warn("import: not adopted", "key", o.Key, "reason", reason)
		return adoption{skipped: &Skipped{Path: o.Key, Reason: reason}}, nil
	}
	k, reqURL, reason := im.target(o.key, body)
	if reason != "" {
		return skip(reason)
	}
	key := k.String()
	ds := k.Source + "/" + k.Dataset
	// Already adopted: the same bytes are the current object or an
	// earlier version.
	var cur lake.Object
	exists := false
	if sha0, ok := done[key]; ok {
		cur.Meta.SHA256, exists = sha0, true
	} else if kn == nil || kn.current[key] != "" || len(kn.history[key]) > 0 || kn.listed(key) {
		cur, err = im.Lake.Stat(ctx, key)
		exists = err == nil
		if err != nil && !errors.Is(err, lake.ErrNotFound) {
			return adoption{}, err
		}
	}
	if exists && cur.Meta.SHA256 == sha {
		held[key] = true
		return adoption{dataset: ds, unchanged: true}, nil
	}
	hk := lake.HistoryKey(key, sha)
	if _, ok := done[hk]; ok {
		return adoption{dataset: ds, unchanged: true}, nil
	}
	if exists {
		if ok, err := im.Lake.Exists(ctx, hk); err != nil {
			return adoption{}, err
		} else if ok {
			return adoption{dataset: ds, unchanged: true}, nil
		}
	}
	m := lake.Meta{Source: k.Source, Endpoint: k.Dataset, URL: reqURL, FetchedAt: o.ModTime, SHA256: sha,
		ContentType: contentType(k.Ext), Origin: origin + "/" + o.Key}
	if m.FetchedAt.IsZero() {
		m.FetchedAt = time.Now()
	}
	dst := key
	res := adoption{dataset: ds, written: true}
	switch {
	case exists && (o.rank > 0 || held[key]):
		// a different object under an older name, or under another name
		// of the same rank after the preferred one (the scan's choice,
		// reconcile.preferOrigin: the smaller key), whose copy is current:
		// an earlier version
		dst, res.archived = hk, true
	case exists:
		oldSHA := cur.Meta.SHA256
		if oldSHA == "" {
			b, err := im.Lake.Read(ctx, key)
			if err != nil {
				return adoption{}, err
			}
			oldSHA = lake.SHA256(b)
		}
		if err := im.Lake.Bucket().Copy(ctx, lake.HistoryKey(key, oldSHA), key, nil); err != nil {
			return adoption{}, fmt.Errorf("import %s: archive %s: %w", o.Key, key, err)
		}
	}
	copied, err := im.Lake.CopyFrom(ctx, src, o.Key, dst, m)
	if err != nil {
		return adoption{}, err
	}
	if !copied {
		if body == nil { // hashed as a stream: read it now to write it
			if body, err = src.Read(ctx, o.Key); err != nil {
				return adoption{}, fmt.Errorf("import %s: %w", o.Key, err)
			}
		}
		if err := im.Lake.Put(ctx, dst, body, m); err != nil {
			return adoption{}, fmt.Errorf("import %s: %w", o.Key, err)
		}
	}
	res.copied = copied
	if res.archived {
		done[dst] = sha
	} else {
		done[key] = sha
		held[key] = true
	}
	if k.Ext == "csv" && !res.archived {
		if res.split, err = im.splitBulk(ctx, src, o.Key, origin+"/"+o.Key, sha, body); err != nil {
			return adoption{}, err
		}
	}
	return res, nil
}

// splitBulk routes a many-games CSV of the bucket (Kaggle's play_by_play
// table) through the bulk-archive path: when its header is the
// playbyplayv2 result set, every game's rows become an
// archive/playbyplayv2 object (internal/archive, ImportArchive), with the
// legacy object as provenance. Other CSVs (hoopR's ESPN-based rows, other
// tables) are kept whole only: nil.
func (im *Importer) splitBulk(ctx context.Context, src *lake.Lake, key, origin, sha string, head []byte) (*Report, error) {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if v2Header(string(line)) != "" {
		return nil, nil
	}
	r, err := src.Bucket().NewReader(ctx, key, nil)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", key, err)
	}
	defer r.Close()
	rep := &Report{ByDataset: map[string]int{}}
	name := path.Base(key)
	err = archive.WalkReader(ctx, r, archive.CSV, name, archive.Options{}, func(m *archive.Member) error {
		rep.Files++
		m.ArchiveSHA256 = sha
		mk, reason := archiveKey(m)
		if reason != "" {
			rep.Skipped = append(rep.Skipped, Skipped{origin + ":" + m.Name, reason})
			return nil
		}
		w, u, err := im.storeMember(ctx, origin, mk, m)
		switch {
		case err != nil:
			return err
		case w:
			rep.Written++
		case u:
			rep.Unchanged++
		}
		rep.ByDataset["archive/playbyplayv2"]++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("import %s: split the many-games CSV: %w", key, err)
	}
	return rep, nil
}

// readHashed returns the object's sha256 and, for JSON objects (or small
// ones), its bytes; bigger files are hashed as a stream and only their first
// bytes are kept (enough to check a magic number).
func readHashed(ctx context.Context, l *lake.Lake, o lake.Object, wantBody bool) ([]byte, string, error) {
	if wantBody || o.Size <= maxReadBytes {
		b, err := l.Read(ctx, o.Key)
		if err != nil {
			return nil, "", err
		}
		return b, lake.SHA256(b), nil
	}
	r, err := l.Bucket().NewReader(ctx, o.Key, nil)
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	h := sha256.New()
	head := &headWriter{n: 4096} // magic numbers, a CSV's header line
	if _, err := io.Copy(io.MultiWriter(h, head), r); err != nil {
		return nil, "", err
	}
	return head.b, hex.EncodeToString(h.Sum(nil)), nil
}

type headWriter struct {
	b []byte
	n int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.n - len(w.b); room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func contentType(ext string) string {
	switch ext {
	case "json":
		return "application/json"
	case "html":
		return "text/html"
	case "csv":
		return "text/csv"
	case "parquet":
		return "application/vnd.apache.parquet"
	case "sqlite":
		return "application/vnd.sqlite3"
	}
	return "application/octet-stream"
}

// target validates body as an object of k and returns the key to adopt it
// under (the content may refine the dataset) and the URL it answers when
// known, or the reason it is not adopted.
func (im *Importer) target(k layout.Key, body []byte) (layout.Key, string, string) {
	d, _ := layout.Lookup(k.Source, k.Dataset)
	switch k.Ext {
	case "parquet":
		if !bytes.HasPrefix(body, []byte("PAR1")) {
			return k, "", "invalid: not a Parquet file (no PAR1 magic)"
		}
		return k, "", ""
	case "sqlite":
		if !bytes.HasPrefix(body, []byte("SQLite format 3\x00")) {
			return k, "", "invalid: not a SQLite database (no header)"
		}
		return k, "", ""
	case "csv":
		line, _, _ := bytes.Cut(body, []byte("\n"))
		if len(bytes.TrimSpace(line)) == 0 || bytes.IndexByte(body, 0) >= 0 {
			return k, "", "invalid: not a CSV file (empty header line or binary bytes)"
		}
		return k, "", ""
	}
	var top map[string]json.RawMessage
	isObject := json.Unmarshal(body, &top) == nil
	if !isObject && !json.Valid(body) {
		return k, "", "invalid: not JSON"
	}
	switch k.Source + "/" + k.Dataset {
	case "espn/playbyplay", "espn/boxscore", "espn/matchup":
		if _, ok := top["header"]; ok { // an API summary (the incremental collector)
			s := espnSeason(body)
			if s == "" {
				return k, "", "invalid: ESPN summary without header.season"
			}
			k.Dataset, k.Season = "summary", s
			return im.validated(k, body)
		}
		if _, ok := top["page"]; !ok {
			return k, "", "invalid: neither an ESPN API summary (header) nor an ESPN web page (page.content)"
		}
		return k, "https://www.espn.com/nba/" + k.Dataset + "/_/gameId/" + k.Item + "?_xhr=1", ""
	case "espn/scoreboard":
		if _, ok := top["page"]; ok { // the web schedule page
			k.Dataset = "schedule"
			return k, "https://www.espn.com/nba/schedule/_/date/" + k.Item + "?_xhr=1", ""
		}
		return im.validated(k, body)
	}
	if k.Source == "nba_stats" {
		_, v2 := top["resultSets"]
		_, v2b := top["resultSet"]
		if !v2 && !v2b && strings.HasSuffix(k.Dataset, "v2") {
			if v3, ok := layout.Lookup(k.Source, strings.TrimSuffix(k.Dataset, "v2")+"v3"); ok {
				k.Dataset = v3.Name // a v3 response kept under the v2 name
			}
		}
		d, _ = layout.Lookup(k.Source, k.Dataset)
		if !d.Adopted { // a dataset nbasim fetches: its source validates
			return im.validated(k, body)
		}
		if !isObject {
			return k, "", "invalid: a stats.nba.com response is a JSON object"
		}
		var p struct {
			Parameters map[string]any `json:"parameters"`
		}
		_ = json.Unmarshal(body, &p)
		if g, ok := p.Parameters["GameID"].(string); ok && d.Per == layout.PerGame && g != k.Item {
			return k, "", fmt.Sprintf("invalid: payload is for game %s, the key names %s", g, k.Item)
		}
		return k, "https://stats.nba.com/stats/" + k.Dataset, ""
	}
	return k, "", ""
}

// validated validates body like a fetched response of the dataset's source.
func (im *Importer) validated(k layout.Key, body []byte) (layout.Key, string, string) {
	s, err := im.Registry.Get(k.Source)
	if err != nil {
		return k, "", err.Error()
	}
	r, err := s.Request(k.Dataset, k.Season, k.Item)
	if err != nil {
		return k, "", "no lake key: " + err.Error()
	}
	if r.Validate != nil {
		if err := r.Validate(&source.Response{Request: r, Status: 200, Body: body}); err != nil {
			return k, "", "invalid: " + reasonOf(err)
		}
	}
	return k, r.URL, ""
}
