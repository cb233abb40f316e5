// Package load turns raw lake objects into rows: it catalogues the lake in
// raw_objects, parses each object with its dataset's parser (registry),
// and writes seasons, teams, players, games, plays and official boxes with
// idempotent upserts. An object that fails to parse, and every row-level
// problem of one that parses, goes to quarantine with the key, the position
// and the reason; the batch goes on.
//
// Objects parse in parallel (a worker pool per chunk); one writer applies
// each chunk in one transaction, in a fixed order (NBA schedules and game
// logs first, then NBA per-game data, then ESPN, then basketball-reference),
// so that the result does not depend on timing and ESPN and bbref games can
// be matched to NBA game ids.
package load

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/registry"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/teams"
)

// Options select what a load does.
type Options struct {
	GameID string // only the objects of this NBA game (and its ESPN/bbref ids when known)
	Season string // only the objects of this season
	// Keys, when set, are the only objects loaded (the lake keys of a
	// fetch job); keys absent from the lake are ignored.
	Keys []string
	// Reparse re-parses objects that an older parser version loaded.
	Reparse bool
	// Force re-parses every selected object, whatever its status.
	Force   bool
	Workers int // parser goroutines; default GOMAXPROCS
	Chunk   int // objects per write transaction; default 128
	// Progress, when set, is called after each written chunk.
	Progress func(done, total int)
}

// Summary is what a load did.
type Summary struct {
	Scanned   int `json:"scanned"`   // lake objects listed
	Ignored   int `json:"ignored"`   // keys outside the layout (history, foreign files)
	Unchanged int `json:"unchanged"` // already loaded by the current parser version
	// Outdated counts the objects among Unchanged that an older parser
	// version loaded: they keep their rows until a load with Reparse (the
	// CLI says so, naming `nbasim load --reparse`).
	Outdated    int              `json:"outdated"`
	Parsed      int              `json:"parsed"`            // objects parsed this run
	ByStatus    map[string]int   `json:"objects_by_status"` // parse status of the objects parsed or skipped this run
	Events      int              `json:"events"`            // play-by-play events written
	Rows        map[string]int64 `json:"rows_written"`      // rows written this run, by table
	Quarantined int              `json:"quarantined"`       // quarantine items written
	// Waiting counts archive/game_info objects whose game is not loaded
	// (no play-by-play of it in the lake yet): a later load that loads the
	// game applies them.
	Waiting int           `json:"waiting"`
	Elapsed time.Duration `json:"-"` // the CLI prints elapsed_seconds
}

// Loader loads a lake into a store.
type Loader struct {
	Lake  *lake.Lake
	Store store.Store
	Log   *slog.Logger
}

// object is one lake object selected for this run.
type object struct {
	key   layout.Key
	raw   string
	size  int64
	mod   time.Time
	entry registry.Entry
	rank  int
	// what raw_objects said before this run: whether the object was
	// catalogued, and the sha256 and parser version of its last parse
	known       bool
	prevSHA     string
	prevVersion int
}

// parsed is the outcome of parsing one object.
type parsed struct {
	obj   object
	sha   string
	res   *parse.Result
	err   error
	stamp string
}

// datasetRank orders the work: schedules and logs, NBA per-game data,
// ESPN, bbref.
var datasetRank = map[string]int{
	"nba_live/schedule": 0, "nba_stats/leaguegamelog": 1,
	"nba_stats/boxscoretraditionalv3": 2, "nba_stats/boxscoretraditionalv2": 3, "nba_live/boxscore": 4,
	"archive/playbyplayv2": 5, "nba_stats/playbyplayv2": 5, "nba_stats/playbyplayv3": 6, "nba_live/playbyplay": 7,
	"nba_stats/boxscoretraditionalv2_range": 8, "nba_stats/gamerotation": 9,
	"espn/scoreboard": 10, "espn/summary": 11,
	"bbref/schedule": 12, "bbref/boxscores": 13, "bbref/pbp": 14,
	// completes games the NBA objects above describe (loader: complete)
	"archive/game_info": 9,
}

// Run loads the selected objects.
func (l *Loader) Run(ctx context.Context, opt Options) (Summary, error) {
	start := time.Now()
	sum := Summary{ByStatus: map[string]int{}, Rows: map[string]int64{}}
	log := l.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Chunk <= 0 {
		opt.Chunk = 128
	}
	objs, err := l.list(ctx, opt, &sum)
	if err != nil {
		return sum, err
	}
	work, err := l.select_(ctx, objs, opt, &sum)
	if err != nil {
		return sum, err
	}
	w, err := newWriter(ctx, l.Store, log)
	if err != nil {
		return sum, err
	}
	// the 30 franchises with every provider's code
	if n, err := store.UpsertTeams(ctx, l.Store, franchiseRows()); err != nil {
		return sum, err
	} else {
		sum.Rows["teams"] += n
	}
	log.Info("load: selected objects", "scanned", sum.Scanned, "to_parse", len(work), "unchanged", sum.Unchanged, "ignored", sum.Ignored)

	// parse chunk k+1 while chunk k is written
	chunks := make(chan []parsed, 1)
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(chunks)
		for lo := 0; lo < len(work); lo += opt.Chunk {
			hi := min(lo+opt.Chunk, len(work))
			out := l.parseChunk(pctx, work[lo:hi], opt.Workers)
			select {
			case chunks <- out:
			case <-pctx.Done():
				return
			}
		}
	}()
	done := 0
	for ch := range chunks {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if err := w.write(ctx, ch, &sum); err != nil {
			cancel()
			return sum, err
		}
		done += len(ch)
		sum.Parsed += len(ch)
		if opt.Progress != nil {
			opt.Progress(done, len(work))
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	// game_info objects loaded before their game (unchanged since): the
	// games loaded now get their dates
	if late := waitingInfo(objs, work, w); len(late) > 0 {
		for lo := 0; lo < len(late); lo += opt.Chunk {
			ch := l.parseChunk(ctx, late[lo:min(lo+opt.Chunk, len(late))], opt.Workers)
			if err := w.write(ctx, ch, &sum); err != nil {
				return sum, err
			}
			sum.Parsed += len(ch)
			sum.Unchanged -= len(ch)
		}
	}
	// games loaded before play_packs (or by a build with another pack
	// format) get their packs: one query when there are none
	if n, err := store.BackfillPlayPacks(ctx, l.Store); err != nil {
		return sum, err
	} else if n > 0 {
		sum.Rows["play_packs"] += int64(n)
		log.Info("load: packed the plays of games loaded before play packs", "games", n)
	}
	// the fold packs of the MCP box_score tool's games (docs/store.md
	// "Fold packs"): of the games loaded or re-stamped now, and of any
	// without a current one; one query when every pack is current
	fs, err := gamecache.WriteFoldPacks(ctx, gamecache.BoxScoreOptions(l.Store, nil), opt.Workers)
	if err != nil {
		return sum, err
	}
	if fs.Written > 0 {
		sum.Rows["fold_packs"] += int64(fs.Written)
		log.Info("load: wrote fold packs", "games", fs.Written, "deleted_other_variants", fs.Deleted)
	}
	if fs.Failed > 0 {
		log.Warn("load: games without a fold pack (they compile on a cache miss)", "games", fs.Failed, "first", fs.FirstFailure)
	}
	if sum.Events > 10000 || sum.Parsed > 500 {
		// a bulk load: refresh the planner's statistics
		if err := store.Analyze(ctx, l.Store, "games", "players", "plays", "player_box", "team_box", "raw_objects"); err != nil {
			log.Warn("load: analyze", "err", err)
		}
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// waitingInfo returns the archive/game_info objects not parsed this run
// whose game is known now and has no date.
func waitingInfo(objs, work []object, w *writer) []object {
	parsedNow := make(map[string]bool, len(work))
	for _, o := range work {
		parsedNow[o.raw] = true
	}
	var out []object
	for _, o := range objs {
		if o.key.Source != "archive" || o.key.Dataset != "game_info" || parsedNow[o.raw] {
			continue
		}
		if g, ok := w.games[o.key.Item]; ok && g.Date == "" {
			out = append(out, o)
		}
	}
	return out
}

// list walks the lake (or the prefixes of a season or a game).
func (l *Loader) list(ctx context.Context, opt Options, sum *Summary) ([]object, error) {
	var prefixes []string
	only := map[string]bool{}
	switch {
	case len(opt.Keys) > 0:
		for _, k := range opt.Keys {
			if !only[k] {
				only[k] = true
				prefixes = append(prefixes, k)
			}
		}
	case opt.GameID != "":
		s, err := layout.SeasonOfGameID(opt.GameID)
		if err != nil {
			return nil, err
		}
		ids := map[string]bool{opt.GameID: true}
		if g, err := store.GetGame(ctx, l.Store, opt.GameID); err == nil {
			if g.ESPNID != "" {
				ids[g.ESPNID] = true
			}
			if g.BBRefID != "" {
				ids[g.BBRefID] = true
			}
		} else if !errors.Is(err, store.ErrNoRows) {
			return nil, err
		}
		for _, d := range layout.Datasets() {
			if d.Per == layout.PerGame || d.Per == layout.PerRange {
				for id := range ids {
					if d.Item.MatchString(id) || (d.Per == layout.PerRange && strings.HasPrefix(id, "00")) {
						prefixes = append(prefixes, d.Source+"/"+d.Name+"/"+s.String()+"/"+id)
					}
				}
			}
		}
	case opt.Season != "":
		if _, err := layout.ParseSeason(opt.Season); err != nil {
			return nil, err
		}
		for _, d := range layout.Datasets() {
			prefixes = append(prefixes, d.Source+"/"+d.Name+"/"+opt.Season+"/")
		}
	default:
		prefixes = []string{""}
	}
	sort.Strings(prefixes)
	var out []object
	seen := map[string]bool{}
	for _, p := range prefixes {
		// a whole folder (the lake, a season): Scan, which reads a folder
		// lake's tree directly (the page-by-page Walk of a folder lake reads
		// every object's .attrs sidecar and re-walks the tree per page:
		// 18 s of CPU for the 29,414 objects of the bulk archive); a key or
		// a game's key prefix: Walk, whose prefix need not be a folder
		walk := l.Lake.Walk
		if p == "" || strings.HasSuffix(p, "/") {
			walk = l.Lake.Scan
		}
		err := walk(ctx, p, func(o lake.Object) error {
			if seen[o.Key] || (len(only) > 0 && !only[o.Key]) {
				return nil
			}
			seen[o.Key] = true
			sum.Scanned++
			k, d, err := layout.Parse(o.Key)
			if err != nil {
				sum.Ignored++
				return nil
			}
			if opt.GameID != "" && d.Per == layout.PerGame && k.Item != opt.GameID && !strings.HasPrefix(o.Key, p) {
				return nil
			}
			e, ok := registry.Lookup(d.Source, d.Name)
			if !ok {
				sum.Ignored++
				return nil
			}
			out = append(out, object{key: k, raw: o.Key, size: o.Size, mod: o.ModTime, entry: e, rank: datasetRank[d.ID()]})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load: list lake %q: %w", p, err)
		}
	}
	// in key order whichever way the lake was listed
	sort.Slice(out, func(i, j int) bool { return out[i].raw < out[j].raw })
	return out, nil
}

// select_ keeps the objects that need parsing.
func (l *Loader) select_(ctx context.Context, objs []object, opt Options, sum *Summary) ([]object, error) {
	known := map[string]store.RawObject{}
	if len(objs) > 0 {
		f := store.RawFilter{Season: opt.Season}
		if opt.GameID != "" || len(opt.Keys) > 0 {
			for _, o := range objs {
				r, err := store.GetRawObject(ctx, l.Store, o.raw)
				if err == nil {
					known[o.raw] = r
				} else if !errors.Is(err, store.ErrNoRows) {
					return nil, err
				}
			}
		} else {
			rows, err := store.ListRawObjects(ctx, l.Store, f)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				known[r.Key] = r
			}
		}
	}
	var work []object
	for _, o := range objs {
		r, ok := known[o.raw]
		need := !ok || r.ParseStatus == store.ParsePending || r.Size != o.size || opt.Force
		if ok && opt.Reparse && o.entry.Parse != nil && r.ParserVersion < o.entry.Version {
			need = true
		}
		if ok && o.entry.Parse == nil && r.ParseStatus == store.ParseSkipped && r.Size == o.size && !opt.Force {
			need = false
		}
		if !need {
			sum.Unchanged++
			if ok && o.entry.Parse != nil && r.ParserVersion < o.entry.Version {
				sum.Outdated++
			}
			continue
		}
		if ok {
			o.known, o.prevSHA, o.prevVersion = true, r.SHA256, r.ParserVersion
		}
		work = append(work, o)
	}
	sort.SliceStable(work, func(i, j int) bool {
		if work[i].rank != work[j].rank {
			return work[i].rank < work[j].rank
		}
		return work[i].raw < work[j].raw
	})
	return work, nil
}

// parseChunk reads and parses objs with n workers; the output keeps objs'
// order.
func (l *Loader) parseChunk(ctx context.Context, objs []object, n int) []parsed {
	out := make([]parsed, len(objs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, len(objs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = l.parseOne(ctx, objs[i])
			}
		}()
	}
	for i := range objs {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	return out
}

func (l *Loader) parseOne(ctx context.Context, o object) (p parsed) {
	p.obj = o
	p.stamp = store.Now()
	if ctx.Err() != nil {
		p.err = ctx.Err()
		return p
	}
	data, err := l.Lake.Read(ctx, o.raw)
	if err != nil {
		p.err = &parse.Error{Key: o.raw, Reason: "read from the lake", Err: err}
		return p
	}
	p.sha = lake.SHA256(data)
	if o.entry.Parse == nil {
		return p
	}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err == nil {
			data, err = io.ReadAll(io.LimitReader(zr, 256<<20))
		}
		if err != nil {
			p.err = &parse.Error{Key: o.raw, Reason: "gzip", Err: err}
			return p
		}
	}
	h := parse.Hint{Key: o.raw, Season: o.key.Season, Item: o.key.Item}
	func() {
		defer func() {
			if r := recover(); r != nil { // a parser bug must not stop the batch
				p.err = &parse.Error{Key: o.raw, Reason: fmt.Sprintf("parser panic: %v", r)}
			}
		}()
		p.res, p.err = o.entry.Parse(data, h)
	}()
	return p
}

func franchiseRows() []model.TeamRow {
	var out []model.TeamRow
	for _, t := range teams.All() {
		out = append(out, model.TeamRow{TeamID: t.NBAID, Code: t.Code, City: t.City, Name: t.Name, ESPNID: t.ESPNID, ESPNCode: t.ESPNCode, BBRefCode: t.BBRefCode})
	}
	return out
}

// positionOf returns the position of a parse error.
func positionOf(err error) (string, string) {
	var pe *parse.Error
	if errors.As(err, &pe) {
		reason := pe.Reason
		if pe.Err != nil {
			reason += ": " + pe.Err.Error()
		}
		return pe.Position, reason
	}
	return "", err.Error()
}

// sidesOf returns the game's home side as a box has it.
func orient(b *model.Box, homeTeamID string) bool {
	if homeTeamID == "" || b.Home.TeamID == homeTeamID || b.Away.TeamID != homeTeamID {
		return false
	}
	b.Home, b.Away = b.Away, b.Home
	b.Home.Side, b.Away.Side = model.Home, model.Away
	for i := range b.Players {
		b.Players[i].Side = b.Players[i].Side.Other()
	}
	return true
}

func timeDate(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
