// Package synth writes synthetic lakes with the real key layouts, for tests
// and benchmarks at scale: N objects spread over seasons (newest first) and
// the per-game, per-date and per-season datasets, a matching schedule for
// the store, and optional defects (zero-byte objects, truncated JSON, keys in
// no layout).
package synth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/teams"
)

// Options configure a synthetic lake.
type Options struct {
	Objects int           // objects to write (defects included)
	Newest  layout.Season // newest season (default 2024-25); older seasons follow
	// Ranges is the number of boxscoretraditionalv2_range objects per game
	// (default 4, one per quarter).
	Ranges int
	// MissingEvery leaves every n-th game out of one dataset (0: none), so
	// the lake has realistic gaps.
	MissingEvery int
	ZeroBytes    int // objects written with zero bytes
	Truncated    int // JSON objects cut in the middle
	Unknown      int // keys in no layout
	Workers      int // parallel writers (default 4×GOMAXPROCS, at least 16)
	// ListingOnly writes plain small files straight into a file:// lake's
	// directory (no metadata sidecar): only what a listing sees, cheaply.
	ListingOnly bool
	// ModTime, when set, is given to every object (file:// only).
	ModTime time.Time
}

// Object is one synthetic object.
type Object struct {
	Key  string
	Body []byte
}

// perGame datasets in the order objects are assigned.
var perGame = []struct{ source, dataset string }{
	{"nba_stats", "playbyplayv3"}, {"nba_stats", "boxscoretraditionalv3"}, {"nba_stats", "playbyplayv2"},
	{"nba_stats", "boxscoretraditionalv2"}, {"nba_stats", "gamerotation"}, {"nba_live", "playbyplay"},
	{"nba_live", "boxscore"}, {"espn", "summary"}, {"bbref", "boxscores"}, {"bbref", "pbp"},
}

// Season returns the synthetic schedule of season s: its regular season
// (the known count: 1,230 in most seasons), play-in games (2020-21 on) and
// about 80 playoff games, with NBA, ESPN and basketball-reference ids.
func Season(s layout.Season) []model.GameRow {
	all := teams.All()
	regular := 1230
	switch {
	case s == 1998:
		regular = 725
	case s < 2004:
		regular = 1189
	case s == 2011:
		regular = 990
	case s == 2012:
		regular = 1229
	case s == 2019:
		regular = 1059
	case s == 2020:
		regular = 1080
	}
	yy := int(s) % 100
	start := time.Date(int(s), time.October, 22, 0, 0, 0, 0, time.UTC)
	var out []model.GameRow
	game := func(typ string, id string, day int, n int) {
		d := start.AddDate(0, 0, day)
		home, away := all[n%len(all)], all[(n*7+3)%len(all)]
		if home.Code == away.Code {
			away = all[(n+1)%len(all)]
		}
		out = append(out, model.GameRow{
			GameID: id, Season: s.String(), SeasonType: typ, Date: d.Format("2006-01-02"),
			HomeCode: home.Code, AwayCode: away.Code, HomeTeamID: home.NBAID, AwayTeamID: away.NBAID,
			ESPNID:  fmt.Sprintf("4%02d%06d", yy, len(out)+1),
			BBRefID: d.Format("20060102") + "0" + home.BBRefCode,
			HomePts: 100 + n%30, AwayPts: 95 + n%27, Final: true,
		})
	}
	for i := 1; i <= regular; i++ {
		game("regular", fmt.Sprintf("002%02d%05d", yy, i), (i-1)*173/regular, i)
	}
	if s >= 2020 {
		for i := 1; i <= 6; i++ {
			game("play_in", fmt.Sprintf("005%02d00%03d", yy, 100+i), 176+i/4, regular+i)
		}
	}
	n := 0
	for round, series := 1, 8; round <= 4; round, series = round+1, series/2 {
		for sr := 0; sr < series; sr++ {
			games := 4 + (int(s)+sr+round)%4
			for g := 1; g <= games; g++ {
				n++
				game("playoffs", fmt.Sprintf("004%02d00%d%d%d", yy, round, sr, g), 180+round*14+g*2, regular+100+n)
			}
		}
	}
	return out
}

func body(key string, i int) []byte {
	if strings.HasSuffix(key, ".html") {
		return []byte(fmt.Sprintf("<html><!-- synthetic %d --><body>%s</body></html>\n", i, key))
	}
	return []byte(fmt.Sprintf(`{"synthetic":true,"n":%d,"key":%q}`+"\n", i, key))
}

// Plan returns the objects of a synthetic lake and the schedules (games) of
// the seasons it covers, deterministically.
func Plan(opts Options) ([]Object, []model.GameRow, error) {
	if opts.Objects <= 0 {
		return nil, nil, errors.New("synth: --objects must be > 0")
	}
	if opts.Newest == 0 {
		opts.Newest = 2024
	}
	if opts.Ranges < 0 {
		opts.Ranges = 0
	} else if opts.Ranges == 0 {
		opts.Ranges = 4
	}
	defects := opts.ZeroBytes + opts.Truncated + opts.Unknown
	want := opts.Objects - opts.Unknown
	if want < 0 {
		return nil, nil, fmt.Errorf("synth: %d defects exceed %d objects", defects, opts.Objects)
	}
	var objs []Object
	var games []model.GameRow
	var keyErr error // the first key the layout refused: stops the build
	add := func(src, ds, season, item string) bool {
		if keyErr != nil || len(objs) >= want {
			return false
		}
		key, err := layout.Make(src, ds, season, item)
		if err != nil {
			keyErr = fmt.Errorf("synth: %w", err)
			return false
		}
		objs = append(objs, Object{Key: key, Body: body(key, len(objs))})
		return true
	}
	full := true
	for s := opts.Newest; full && s >= 1946; s-- {
		sg := Season(s)
		games = append(games, sg...)
		season := s.String()
		for _, it := range []string{"regular_T", "regular_P", "playoffs_T", "playoffs_P"} {
			if !add("nba_stats", "leaguegamelog", season, it) {
				full = false
			}
		}
		for _, m := range []string{"october", "november", "december", "january", "february", "march", "april", "may", "june"} {
			add("bbref", "schedule", season, m)
		}
		dates := map[string]bool{}
		for gi, g := range sg {
			if !dates[g.Date] {
				dates[g.Date] = true
				add("espn", "scoreboard", season, strings.ReplaceAll(g.Date, "-", ""))
			}
			for di, d := range perGame {
				if opts.MissingEvery > 0 && (gi+di)%opts.MissingEvery == 0 && di == gi%len(perGame) {
					continue
				}
				item := g.GameID
				switch d.source {
				case "espn":
					item = g.ESPNID
				case "bbref":
					item = g.BBRefID
				}
				if !add(d.source, d.dataset, season, item) {
					full = false
					break
				}
			}
			for r := 0; r < opts.Ranges; r++ {
				add("nba_stats", "boxscoretraditionalv2_range", season, fmt.Sprintf("%s_%d-%d", g.GameID, r*7200, (r+1)*7200))
			}
			if len(objs) >= want {
				full = false
				break
			}
		}
	}
	if keyErr != nil {
		return nil, nil, keyErr
	}
	// defects: zero bytes and truncation overwrite the first JSON objects of
	// the newest season; unknown keys are added.
	zi, ti := opts.ZeroBytes, opts.Truncated
	for i := range objs {
		if zi == 0 && ti == 0 {
			break
		}
		if !strings.HasSuffix(objs[i].Key, ".json") || strings.Contains(objs[i].Key, "leaguegamelog") {
			continue
		}
		switch {
		case zi > 0:
			objs[i].Body = nil
			zi--
		case ti > 0:
			objs[i].Body = objs[i].Body[:len(objs[i].Body)/2]
			ti--
		}
	}
	unknown := []string{"espn_play_by_play/%d.json", "nba_stats/playbyplayv3/2023-24/notagame%d.json", "misc/notes-%d.txt", "nba_stats/playbyplayv3/23-24/00223%05d.json", "bbref/boxscores/2023-24/%d.htm"}
	for i := 0; i < opts.Unknown; i++ {
		k := fmt.Sprintf(unknown[i%len(unknown)], 401584800+i)
		objs = append(objs, Object{Key: k, Body: []byte("{}")})
	}
	return objs, games, nil
}

// Result says what Write did.
type Result struct {
	Objects  int
	Bytes    int64
	Seasons  int
	Games    int
	Duration time.Duration
}

// WriteLake writes objs to the lake l in parallel; with opts.ListingOnly
// and a file:// lake at root, plain files are written straight to disk.
func WriteLake(ctx context.Context, l *lake.Lake, root string, objs []Object, opts Options) (int64, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = max(16, 4*runtime.GOMAXPROCS(0))
	}
	if opts.ListingOnly && root == "" {
		return 0, errors.New("synth: listing-only mode needs a file:// lake")
	}
	var (
		next  atomic.Int64
		bytes atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		dirs  sync.Map
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	meta := lake.Meta{Source: "synth", Endpoint: "synth", FetchedAt: opts.ModTime}
	if meta.FetchedAt.IsZero() {
		meta.FetchedAt = time.Now()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(objs) || ctx.Err() != nil {
					return
				}
				o := objs[i]
				bytes.Add(int64(len(o.Body)))
				if opts.ListingOnly {
					p := filepath.Join(root, filepath.FromSlash(o.Key))
					dir := filepath.Dir(p)
					if _, ok := dirs.Load(dir); !ok {
						if err := os.MkdirAll(dir, 0o755); err != nil {
							fail(err)
							return
						}
						dirs.Store(dir, true)
					}
					if err := os.WriteFile(p, o.Body, 0o644); err != nil {
						fail(err)
						return
					}
					if !opts.ModTime.IsZero() {
						if err := os.Chtimes(p, opts.ModTime, opts.ModTime); err != nil {
							fail(err)
							return
						}
					}
					continue
				}
				m := meta
				m.ContentType = "application/json"
				if strings.HasSuffix(o.Key, ".html") {
					m.ContentType = "text/html"
				}
				if err := l.Put(ctx, o.Key, o.Body, m); err != nil {
					fail(err)
					return
				}
				if root != "" && !opts.ModTime.IsZero() {
					p := filepath.Join(root, filepath.FromSlash(o.Key))
					if err := os.Chtimes(p, opts.ModTime, opts.ModTime); err != nil {
						fail(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return bytes.Load(), fmt.Errorf("synth: write: %w", first)
	}
	return bytes.Load(), ctx.Err()
}

// WriteSchedule stores the synthetic games (the schedule reconcile expects
// keys from) in the store's games table.
func WriteSchedule(ctx context.Context, st store.Store, games []model.GameRow) error {
	for i := 0; i < len(games); i += 5000 {
		j := min(i+5000, len(games))
		if _, err := store.UpsertGames(ctx, st, games[i:j]); err != nil {
			return fmt.Errorf("synth: schedule: %w", err)
		}
	}
	return nil
}

// SeasonsOf returns the distinct seasons of games, newest first.
func SeasonsOf(games []model.GameRow) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range games {
		if !seen[g.Season] {
			seen[g.Season] = true
			out = append(out, g.Season)
		}
	}
	return out
}
