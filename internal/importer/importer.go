// Package importer adopts provider responses that already exist elsewhere
// into the lake: a folder of recordings laid out like ../shared/data
// (nba_stats/index.tsv and URLS.tsv give each file's URL), or an
// nba_simulator bucket or folder in its legacy layout, or bulk archives of
// per-game play-by-play (bulk.go: *.tar.zst, *.tar.gz, *.zip, a CSV of many
// games), streamed without unpacking them to disk:
//
//	espn_play_by_play/{id}.json  espn_box_scores/{id}.json  espn_team_stats/{id}.json
//	espn_schedules/{YYYYMMDD}.json
//	nba_api_incremental/{YYYY-MM-DD}/game_{id}_{pbp|boxscore}.json
//	pbp/ box_scores/ team_stats/ schedule/ nba_pbp/ nba_box_score/ nba_team_stats/ nba_schedule_json/ (older names)
//
// Each file is recognised (which source, dataset, season and item it is),
// validated exactly like a fetched response, and stored under our layout
// through lake.Store with provenance (origin = its original path). Files it
// does not recognise, or that fail validation, are listed with the reason,
// never silently dropped. Importing twice writes nothing new: identical
// bytes are skipped, and so are payloads already kept as earlier versions.
package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/source"
)

// Importer imports into Lake, building requests (real URLs, validation)
// with Registry's sources.
type Importer struct {
	Lake     *lake.Lake
	Registry *source.Registry
	Log      *slog.Logger
	// Profile is the key layout of an imported bucket (nil: detected from
	// a sample of its keys).
	Profile *layout.Profile
	// SkipBulk lists the bulk archives found in a folder as not adopted
	// instead of streaming them (a quick import of a folder's loose files).
	SkipBulk bool
	// SourcePrefix confines an imported bucket to a key prefix.
	SourcePrefix string

	progress progress
}

// Skipped is a file (or archive member) that was not adopted.
type Skipped struct {
	Path   string
	Reason string
}

// Report is what an import did.
type Report struct {
	Files     int            // files and archive members looked at
	Written   int            // objects written (new, or a new version)
	Unchanged int            // already in the lake (current or earlier version)
	ByDataset map[string]int // adopted (written + unchanged) per source/dataset
	Skipped   []Skipped      // unrecognised or invalid, with the reason
	Elapsed   time.Duration
	// Buckets only:
	Layout       string         // the bucket's layout and how it was chosen
	NotData      map[string]int // objects that are not data, per prefix (left where they are)
	Archived     int            // written as earlier versions (different copies under older names)
	ServerCopies int            // written by a server-side copy (S3 CopyObject)
}

// Adopted is Written + Unchanged.
func (r *Report) Adopted() int { return r.Written + r.Unchanged }

// SkippedByReason counts skipped files per reason.
func (r *Report) SkippedByReason() map[string]int {
	out := map[string]int{}
	for _, s := range r.Skipped {
		out[s.Reason]++
	}
	return out
}

// String summarizes the report.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d files: adopted %d (written %d, already in lake %d), not adopted %d, in %s\n",
		r.Files, r.Adopted(), r.Written, r.Unchanged, len(r.Skipped), r.Elapsed.Round(time.Millisecond))
	if r.Layout != "" {
		nd := 0
		for _, n := range r.NotData {
			nd += n
		}
		fmt.Fprintf(&b, "  %s; %d written by server-side copy, %d kept as earlier versions; %d not data (left in place)\n", r.Layout, r.ServerCopies, r.Archived, nd)
		for _, k := range sortedKeys(r.NotData) {
			fmt.Fprintf(&b, "  not data %-40s %6d\n", k, r.NotData[k])
		}
	}
	for _, k := range sortedKeys(r.ByDataset) {
		fmt.Fprintf(&b, "  adopted %-40s %6d\n", k, r.ByDataset[k])
	}
	by := r.SkippedByReason()
	for _, k := range sortedKeys(by) {
		fmt.Fprintf(&b, "  not adopted: %-70s %6d\n", k, by[k])
	}
	return strings.TrimRight(b.String(), "\n")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// candidate is a recognised file, ready to validate and store.
type candidate struct {
	origin string
	req    *source.Request
	body   []byte                 // set when already read
	load   func() ([]byte, error) // reads the body when body is nil
	rank   int                    // among candidates of one key, higher is stored first
}

// Import imports the folder or bucket at root (a path, or a lake URL such
// as s3://bucket?region=... for a legacy bucket). Files are read one at a
// time: memory does not grow with the size of the import.
func (im *Importer) Import(ctx context.Context, root string) (*Report, error) {
	start := time.Now()
	rep := &Report{ByDataset: map[string]int{}}
	im.progress = progress{log: im.log(), last: time.Now()}
	var err error
	if st, serr := os.Stat(root); serr == nil && !st.IsDir() {
		if !IsBulkArchive(root) {
			err = fmt.Errorf("import %s: a file that is not a bulk archive (want a folder, a bucket URL, *.tar.zst, *.tar.gz, *.zip, a playbyplayv2 CSV or a game_info *.jsonl.gz)", root)
		} else {
			err = im.ImportArchive(ctx, root, rep)
		}
	} else if strings.Contains(root, "://") {
		err = im.scanBucket(ctx, root, rep)
	} else {
		err = im.scanFolder(ctx, root, rep)
	}
	rep.Elapsed = time.Since(start)
	return rep, err
}

// storeAll stores recorded candidates. Several files for one key (a
// recording and its original): the plainest is stored last, so it is the
// current version and the others are kept as earlier versions.
func (im *Importer) storeAll(ctx context.Context, cands []candidate, rep *Report) error {
	sort.SliceStable(cands, func(i, j int) bool {
		ki, _ := cands[i].req.Key()
		kj, _ := cands[j].req.Key()
		if ki != kj {
			return ki < kj
		}
		return cands[i].rank > cands[j].rank
	})
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.store(ctx, c, rep); err != nil {
			return err
		}
	}
	return nil
}

// progress logs a line every 10 seconds of a long import.
type progress struct {
	log  *slog.Logger
	last time.Time
}

func (p *progress) tick(rep *Report) {
	if time.Since(p.last) >= 10*time.Second {
		p.last = time.Now()
		p.log.Info("import progress", "files", rep.Files, "written", rep.Written, "already", rep.Unchanged, "not_adopted", len(rep.Skipped))
	}
}

func (im *Importer) store(ctx context.Context, c candidate, rep *Report) error {
	defer im.progress.tick(rep)
	if c.body == nil && c.load != nil {
		b, err := c.load()
		if err != nil {
			return fmt.Errorf("import %s: %w", c.origin, err)
		}
		c.body = b
	}
	resp := &source.Response{Request: c.req, Status: 200, Body: c.body}
	if c.req.Validate != nil {
		if err := c.req.Validate(resp); err != nil {
			rep.Skipped = append(rep.Skipped, Skipped{c.origin, "invalid: " + reasonOf(err)})
			im.log().Warn("import: invalid file", "path", c.origin, "err", err)
			return nil
		}
	}
	key, err := c.req.Key()
	if err != nil {
		rep.Skipped = append(rep.Skipped, Skipped{c.origin, "no lake key: " + err.Error()})
		return nil
	}
	sha := lake.SHA256(c.body)
	// An earlier version already adopted counts as present.
	if ok, err := im.Lake.Exists(ctx, lake.HistoryKey(key, sha)); err != nil {
		return err
	} else if ok {
		rep.Unchanged++
		rep.ByDataset[c.req.Source+"/"+c.req.Dataset]++
		return nil
	}
	ct := "application/json"
	if strings.HasSuffix(key, ".html") {
		ct = "text/html"
	}
	res, err := im.Lake.Store(ctx, key, c.body, lake.Meta{Source: c.req.Source, Endpoint: c.req.Dataset, URL: c.req.URL,
		FetchedAt: time.Now().UTC(), ContentType: ct, Origin: c.origin})
	if err != nil {
		return fmt.Errorf("import %s: %w", c.origin, err)
	}
	if res.Unchanged {
		rep.Unchanged++
	} else {
		rep.Written++
	}
	rep.ByDataset[c.req.Source+"/"+c.req.Dataset]++
	return nil
}

// reasonOf shortens a validation error to its reason (no URL).
func reasonOf(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && strings.Contains(s, "invalid response from") {
		return s[i+2:]
	}
	return s
}

func (im *Importer) log() *slog.Logger {
	if im.Log != nil {
		return im.Log
	}
	return slog.New(slog.DiscardHandler)
}

// scanFolder recognises the files of a folder: recordings named by its
// indexes first, then legacy names; everything else is listed.
func (im *Importer) scanFolder(ctx context.Context, root string, rep *Report) error {
	var cands []candidate
	indexed := map[string]bool{}
	if hasIndex(root) {
		rs, err := replay.Load(root, replay.Options{Archives: true})
		if err != nil {
			return err
		}
		for _, e := range rs.Entries() {
			rep.Files++
			if e.File != "" {
				indexed[filepath.ToSlash(e.File)] = true
			} else {
				indexed[strings.SplitN(e.Member, ":", 2)[0]] = true
			}
			origin := e.Name()
			if strings.HasSuffix(origin, ".pbpstats_fixture_reordered.json") {
				rep.Skipped = append(rep.Skipped, Skipped{origin, "test fixture altered on purpose (rows swapped): not a server response"})
				continue
			}
			req, reason, err := im.recogniseURL(e, func() ([]byte, error) { return rs.Body(e) })
			if err != nil {
				return err
			}
			if req == nil {
				rep.Skipped = append(rep.Skipped, Skipped{origin, reason})
				continue
			}
			rank := strings.Count(filepath.Base(origin), ".")
			if e.File == "" {
				rank = 0
			}
			cands = append(cands, candidate{origin: filepath.Join(root, origin), req: req, rank: rank,
				load: func() ([]byte, error) { return rs.Body(e) }})
		}
		if err := im.storeAll(ctx, cands, rep); err != nil {
			return err
		}
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if indexed[rel] || rel == "nba_stats/index.tsv" || rel == "URLS.tsv" {
			return nil
		}
		if IsBulkArchive(p) {
			if im.SkipBulk {
				rep.Files++
				rep.Skipped = append(rep.Skipped, Skipped{rel, "bulk archive: not streamed (skip bulk archives)"})
				return nil
			}
			if err := im.ImportArchive(ctx, p, rep); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				rep.Skipped = append(rep.Skipped, Skipped{rel, "bulk archive not read to the end: " + err.Error()})
				im.log().Warn("import: bulk archive", "path", p, "err", err)
			}
			return nil
		}
		rep.Files++
		c, reason, err := im.recogniseLegacy(rel, func() ([]byte, error) { return os.ReadFile(p) })
		if err != nil {
			return err
		}
		if c == nil {
			rep.Skipped = append(rep.Skipped, Skipped{rel, reason})
			return nil
		}
		c.origin = p
		return im.store(ctx, *c, rep)
	})
	return err
}

func hasIndex(root string) bool {
	for _, f := range []string{"nba_stats/index.tsv", "URLS.tsv"} {
		if _, err := os.Stat(filepath.Join(root, f)); err == nil {
			return true
		}
	}
	return false
}

var (
	bbBox   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/boxscores/(\d{8}0[A-Z]{3})\.html$`) })
	bbPBP   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/boxscores/pbp/(\d{8}0[A-Z]{3})\.html$`) })
	bbSched = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/leagues/NBA_(\d{4})_games-([a-z]+)\.html$`) })
	liveRe  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^/static/json/liveData/(playbyplay|boxscore)/(?:playbyplay|boxscore)_(\d{10})\.json$`)
	})
	schedRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^/static/json/staticData/scheduleLeagueV2(_\d+)?\.json$`)
	})
)

// recogniseURL maps a recording's URL to a request of ours, or says why not.
func (im *Importer) recogniseURL(e *replay.Entry, read func() ([]byte, error)) (*source.Request, string, error) {
	var readErr error
	readBody := func() []byte {
		b, err := read()
		if err != nil {
			readErr = err
		}
		return b
	}
	res := func(r *source.Request, reason string) (*source.Request, string, error) {
		return r, reason, readErr
	}
	req := func(src, ds, season, item string) (*source.Request, string, error) {
		s, err := im.Registry.Get(src)
		if err != nil {
			return res(nil, err.Error())
		}
		r, err := s.Request(ds, season, item)
		if err != nil {
			return res(nil, "no lake key: "+err.Error())
		}
		r.URL = e.URL() // provenance: the URL the recording answered
		return res(r, "")
	}
	q := e.Query
	src := func(name string) source.Source {
		s, _ := im.Registry.Get(name)
		return s
	}
	switch e.Host {
	case "stats.nba.com":
		ep := strings.TrimPrefix(e.Path, "/stats/")
		cs, ok := src("nba_stats").(interface{ Catalog() *layout.Catalog })
		if !ok {
			return res(nil, "stats.nba.com: no source with an endpoint catalog")
		}
		ce, ok := cs.Catalog().ForPath(ep, q)
		if !ok {
			return res(nil, "stats.nba.com "+strings.ToLower(ep)+": endpoint not in the catalog")
		}
		season, item, err := ce.Recognise(q)
		if err != nil {
			return res(nil, "stats.nba.com "+err.Error())
		}
		return req("nba_stats", ce.Name, season, item)
	case "cdn.nba.com":
		if m := liveRe().FindStringSubmatch(e.Path); m != nil {
			s, _ := layout.SeasonOfGameID(m[2])
			return req("nba_live", m[1], s.String(), m[2])
		}
		if schedRe().MatchString(e.Path) {
			var p struct {
				LeagueSchedule struct {
					SeasonYear string `json:"seasonYear"`
				} `json:"leagueSchedule"`
			}
			if err := json.Unmarshal(readBody(), &p); err != nil || p.LeagueSchedule.SeasonYear == "" {
				return res(nil, "cdn.nba.com schedule without leagueSchedule.seasonYear")
			}
			return req("nba_live", "schedule", p.LeagueSchedule.SeasonYear, "schedule")
		}
		return res(nil, "cdn.nba.com: path without a dataset in the lake layout")
	case "site.api.espn.com":
		switch {
		case strings.HasSuffix(e.Path, "/nba/summary"):
			return req("espn", "summary", espnSeason(readBody()), q.Get("event"))
		case strings.HasSuffix(e.Path, "/nba/scoreboard"):
			d, err := time.Parse("20060102", q.Get("dates"))
			if err != nil {
				return res(nil, "espn scoreboard without dates=YYYYMMDD")
			}
			return req("espn", "scoreboard", layout.SeasonOfDate(d).String(), q.Get("dates"))
		}
		return res(nil, "espn "+path.Base(e.Path)+": endpoint without a dataset in the lake layout")
	case "www.basketball-reference.com":
		if m := bbBox().FindStringSubmatch(e.Path); m != nil {
			return req("bbref", "boxscores", bbrefSeason(m[1]), m[1])
		}
		if m := bbPBP().FindStringSubmatch(e.Path); m != nil {
			return req("bbref", "pbp", bbrefSeason(m[1]), m[1])
		}
		if m := bbSched().FindStringSubmatch(e.Path); m != nil {
			var y int
			fmt.Sscan(m[1], &y)
			return req("bbref", "schedule", layout.Season(y-1).String(), m[2])
		}
		return res(nil, "basketball-reference: page without a dataset in the lake layout")
	}
	return res(nil, e.Host+": host without a source")
}

func bbrefSeason(id string) string {
	d, err := time.Parse("20060102", id[:8])
	if err != nil {
		return ""
	}
	return layout.SeasonOfDate(d).String()
}

// espnSeason reads an ESPN summary's season (header.season.year is the
// year the season ends); "" when absent.
func espnSeason(body []byte) string {
	var p struct {
		Header struct {
			Season struct {
				Year int `json:"year"`
			} `json:"season"`
		} `json:"header"`
	}
	if json.Unmarshal(body, &p) != nil || p.Header.Season.Year == 0 {
		return ""
	}
	return layout.Season(p.Header.Season.Year - 1).String()
}

var (
	legacyGame = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:^|/)(espn_play_by_play|espn_box_scores|espn_team_stats|pbp|box_scores|team_stats|nba_pbp|nba_box_score|nba_team_stats)/(\d{9})\.json$`)
	})
	legacySched = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:^|/)(espn_schedules|schedule|nba_schedule_json)/(\d{8})\.json$`)
	})
	legacyNBA = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:^|/)nba_api_incremental/(\d{4}-\d{2}-\d{2})/game_(\d{10})_(pbp|boxscore)\.json$`)
	})
)

// recogniseLegacy recognises a file by its legacy nba_simulator name.
func (im *Importer) recogniseLegacy(rel string, read func() ([]byte, error)) (*candidate, string, error) {
	var src, ds, season, item string
	var body []byte
	var err error
	switch {
	case legacyGame().MatchString(rel):
		m := legacyGame().FindStringSubmatch(rel)
		src, ds, item = "espn", "summary", m[2]
		if body, err = read(); err != nil {
			return nil, "", err
		}
		season = espnSeason(body)
		if season == "" {
			if bytes.Contains(body, []byte(`"gamepackage"`)) {
				return nil, "legacy " + m[1] + ": ESPN web page payload (gamepackage), not an API summary: no dataset", nil
			}
			return nil, "legacy " + m[1] + ": no header.season in the ESPN summary", nil
		}
	case legacySched().MatchString(rel):
		m := legacySched().FindStringSubmatch(rel)
		d, perr := time.Parse("20060102", m[2])
		if perr != nil {
			return nil, "legacy schedule: bad date " + m[2], nil
		}
		src, ds, season, item = "espn", "scoreboard", layout.SeasonOfDate(d).String(), m[2]
	case legacyNBA().MatchString(rel):
		m := legacyNBA().FindStringSubmatch(rel)
		s, _ := layout.SeasonOfGameID(m[2])
		src, season, item = "nba_stats", s.String(), m[2]
		ds = map[string]string{"pbp": "playbyplayv2", "boxscore": "boxscoretraditionalv2"}[m[3]]
	default:
		return nil, "unrecognised: " + describe(rel), nil
	}
	s, err := im.Registry.Get(src)
	if err != nil {
		return nil, "", err
	}
	r, err := s.Request(ds, season, item)
	if err != nil {
		return nil, "no lake key: " + err.Error(), nil
	}
	if body == nil {
		if body, err = read(); err != nil {
			return nil, "", err
		}
	}
	return &candidate{req: r, body: body, rank: 1}, "", nil
}

// describe groups unrecognised files by their top folder and extension.
func describe(rel string) string {
	top, _, nested := strings.Cut(rel, "/")
	ext := path.Ext(rel)
	if strings.HasSuffix(rel, ".gz") {
		ext = path.Ext(strings.TrimSuffix(rel, ".gz")) + ".gz"
	}
	if !nested {
		return "top-level " + ext + " file (no URL in the indexes, no legacy name)"
	}
	return top + "/ " + ext + " (no URL in the indexes, no legacy name)"
}
