// Package realdata copies the recorded NBA responses of ../shared/data into
// a lake under nbasim's key layout, for tests and benchmarks of the load
// pipeline. It is a test helper, not a product feature (`nbasim import` is
// the product's importer): it knows just enough of the folder to place each
// file of a format nbasim parses.
package realdata

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
)

// File is one imported file.
type File struct {
	Path string // relative to the data folder ("seasons/2018-19/playbyplayv2.tar.gz:0021800001.json" for archive members)
	Key  string // lake key
}

// Skipped is a file of a parsed format that has no place in the layout.
type Skipped struct {
	Path   string
	Reason string
}

// Manifest lists what Import did.
type Manifest struct {
	Files   []File
	Skipped []Skipped
}

// Options narrow an import.
type Options struct {
	Season2018Archive bool // include the 1,204 games of seasons/2018-19/playbyplayv2.tar.gz
	OnlyArchive       bool // only the archive (benchmarks)
}

var (
	reGame  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(00\d{8})\.json$`) })
	reRange = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(00\d{8})_.*EndRange-(\d+)_RangeType-2_.*StartRange-(\d+)\.json$`)
	})
	reSched  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^NBA_(\d{4})_games-([a-z]+)\.html$`) })
	reBBRef  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{8}0[A-Z]{3})\.html(\.gz)?$`) })
	reESPN   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^summary_(\d{9})\.json$`) })
	reESPNSB = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^scoreboard_(\d{8})\.json$`) })
)

// Import copies the data folder's files into lk.
func Import(ctx context.Context, lk *lake.Lake, dir string, opt Options) (Manifest, error) {
	var m Manifest
	put := func(rel, key string, data []byte, source, endpoint string) error {
		if _, _, err := layout.Parse(key); err != nil {
			return fmt.Errorf("realdata: %s -> %s: %w", rel, key, err)
		}
		if err := lk.Put(ctx, key, data, lake.Meta{Source: source, Endpoint: endpoint, FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Origin: rel}); err != nil {
			return err
		}
		m.Files = append(m.Files, File{Path: rel, Key: key})
		return nil
	}
	if opt.Season2018Archive || opt.OnlyArchive {
		if err := importArchive(ctx, dir, put); err != nil {
			return m, err
		}
	}
	if opt.OnlyArchive {
		return m, nil
	}
	gameKey := func(source, dataset, id string) string {
		s, _ := layout.SeasonOfGameID(id)
		return source + "/" + dataset + "/" + s.String() + "/" + id + ".json"
	}
	// per-game NBA Stats files
	for _, ds := range []string{"playbyplayv2", "playbyplayv3", "boxscoretraditionalv2", "boxscoretraditionalv3", "gamerotation"} {
		names, _ := filepath.Glob(filepath.Join(dir, "nba_stats", ds, "*.json"))
		sort.Strings(names)
		for _, f := range names {
			base, rel := filepath.Base(f), "nba_stats/"+ds+"/"+filepath.Base(f)
			var key string
			if g := reGame().FindStringSubmatch(base); g != nil {
				key = gameKey("nba_stats", ds, g[1])
			} else if r := reRange().FindStringSubmatch(base); r != nil && ds == "boxscoretraditionalv2" {
				s, _ := layout.SeasonOfGameID(r[1])
				key = "nba_stats/boxscoretraditionalv2_range/" + s.String() + "/" + r[1] + "_" + r[3] + "-" + r[2] + ".json"
			} else {
				m.Skipped = append(m.Skipped, Skipped{rel, "not a layout item (G League game, or an alternate recording of a game already imported)"})
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				return m, err
			}
			if err := put(rel, key, data, "nba_stats", ds); err != nil {
				return m, err
			}
		}
	}
	// league game logs
	logs, _ := filepath.Glob(filepath.Join(dir, "nba_stats", "leaguegamelog", "*.json"))
	sort.Strings(logs)
	reLog := regexp.MustCompile(`PlayerOrTeam-([TP])_Season-(\d{4}-\d{2})_SeasonType-([A-Za-z+]+)`)
	for _, f := range logs {
		rel := "nba_stats/leaguegamelog/" + filepath.Base(f)
		g := reLog.FindStringSubmatch(filepath.Base(f))
		if g == nil {
			m.Skipped = append(m.Skipped, Skipped{rel, "file name does not say the season and mode"})
			continue
		}
		st := map[string]string{"Regular+Season": "regular", "Playoffs": "playoffs", "PlayIn": "play_in", "Pre+Season": "preseason"}[g[3]]
		data, err := os.ReadFile(f)
		if err != nil {
			return m, err
		}
		if err := put(rel, "nba_stats/leaguegamelog/"+g[2]+"/"+st+"_"+g[1]+".json", data, "nba_stats", "leaguegamelog"); err != nil {
			return m, err
		}
	}
	// cdn.nba.com liveData
	for _, x := range []struct{ rel, dataset string }{
		{"nba_live/liveData/playbyplay/playbyplay_0022000001.json", "playbyplay"},
		{"nba_live/liveData/boxscore/boxscore_0022000001.json", "boxscore"},
	} {
		data, err := os.ReadFile(filepath.Join(dir, x.rel))
		if err != nil {
			return m, err
		}
		if err := put(x.rel, gameKey("nba_live", x.dataset, "0022000001"), data, "nba_live", x.dataset); err != nil {
			return m, err
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "nba_live/staticData/scheduleLeagueV2_2.json")); err == nil {
		if err := put("nba_live/staticData/scheduleLeagueV2_2.json", "nba_live/schedule/2023-24/schedule.json", data, "nba_live", "schedule"); err != nil {
			return m, err
		}
	} else {
		return m, err
	}
	// ESPN
	espn, _ := filepath.Glob(filepath.Join(dir, "espn", "*.json"))
	sort.Strings(espn)
	for _, f := range espn {
		base, rel := filepath.Base(f), "espn/"+filepath.Base(f)
		var key, ds string
		switch {
		case reESPN().MatchString(base):
			// the summary's season: from its NBA game in INDEX (2023-24 for 401585607)
			id := reESPN().FindStringSubmatch(base)[1]
			key, ds = "espn/summary/2023-24/"+id+".json", "summary"
		case reESPNSB().MatchString(base):
			d := reESPNSB().FindStringSubmatch(base)[1]
			t, _ := time.Parse("20060102", d)
			key, ds = "espn/scoreboard/"+layout.SeasonOfDate(t).String()+"/"+d+".json", "scoreboard"
		default:
			m.Skipped = append(m.Skipped, Skipped{rel, "ESPN endpoint nbasim does not parse"})
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return m, err
		}
		if err := put(rel, key, data, "espn", ds); err != nil {
			return m, err
		}
	}
	// basketball-reference box scores and schedules
	boxes, _ := filepath.Glob(filepath.Join(dir, "bbref", "boxscores", "*"))
	sort.Strings(boxes)
	for _, f := range boxes {
		base, rel := filepath.Base(f), "bbref/boxscores/"+filepath.Base(f)
		g := reBBRef().FindStringSubmatch(base)
		if g == nil {
			m.Skipped = append(m.Skipped, Skipped{rel, "not a box score page"})
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return m, err
		}
		if g[2] != "" {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				return m, fmt.Errorf("realdata: %s: %w", rel, err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				return m, fmt.Errorf("realdata: %s: %w", rel, err)
			}
		}
		t, _ := time.Parse("20060102", g[1][:8])
		if err := put(rel, "bbref/boxscores/"+layout.SeasonOfDate(t).String()+"/"+g[1]+".html", data, "bbref", "boxscores"); err != nil {
			return m, err
		}
	}
	scheds, _ := filepath.Glob(filepath.Join(dir, "bbref", "schedules", "*.html"))
	sort.Strings(scheds)
	for _, f := range scheds {
		base, rel := filepath.Base(f), "bbref/schedules/"+filepath.Base(f)
		g := reSched().FindStringSubmatch(base)
		if g == nil {
			m.Skipped = append(m.Skipped, Skipped{rel, "a second recording (full page) of a month already imported"})
			continue
		}
		var y int
		fmt.Sscanf(g[1], "%d", &y)
		data, err := os.ReadFile(f)
		if err != nil {
			return m, err
		}
		if err := put(rel, "bbref/schedule/"+layout.Season(y-1).String()+"/"+g[2]+".html", data, "bbref", "schedule"); err != nil {
			return m, err
		}
	}
	return m, nil
}

func importArchive(ctx context.Context, dir string, put func(rel, key string, data []byte, source, endpoint string) error) error {
	return archive.Walk(ctx, filepath.Join(dir, "seasons", "2018-19", "playbyplayv2.tar.gz"), archive.Options{}, func(m *archive.Member) error {
		g := reGame().FindStringSubmatch(filepath.Base(m.Name))
		if g == nil {
			return nil
		}
		return put("seasons/2018-19/playbyplayv2.tar.gz:"+m.Name, "nba_stats/playbyplayv2/2018-19/"+g[1]+".json", m.Data, "nba_stats", "playbyplayv2")
	})
}

// Has reports whether m imported a file whose path contains s.
func (m Manifest) Has(s string) bool {
	for _, f := range m.Files {
		if strings.Contains(f.Path, s) {
			return true
		}
	}
	return false
}
