package derive

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
	"github.com/nbasim/nbasim/internal/parse/espn"
	"github.com/nbasim/nbasim/internal/parse/nbalive"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
)

// FileKind is a raw provider file format verification and `nbasim box
// --file` read directly.
type FileKind struct {
	Name  string
	Parse parse.Func
	// match reports whether a path (and the first bytes) is of this kind.
	match func(path string, head []byte) bool
}

var fileKinds = []FileKind{
	{"nba_stats/playbyplayv3", nbastats.ParsePlayByPlayV3, func(p string, h []byte) bool {
		return strings.Contains(p, "playbyplayv3") || bytes.Contains(h, []byte(`"actionNumber"`)) && bytes.Contains(h, []byte(`"PlayByPlay"`)) && !bytes.Contains(h, []byte(`"resultSets"`))
	}},
	{"nba_stats/playbyplayv2", nbastats.ParsePlayByPlayV2, func(p string, h []byte) bool {
		return strings.Contains(p, "playbyplayv2") || bytes.Contains(h, []byte(`EVENTMSGTYPE`))
	}},
	{"nba_stats/boxscoretraditionalv2", nbastats.ParseBoxScoreTraditionalV2, func(p string, h []byte) bool {
		return strings.Contains(p, "boxscoretraditionalv2")
	}},
	{"nba_stats/boxscoretraditionalv3", nbastats.ParseBoxScoreTraditionalV3, func(p string, h []byte) bool {
		return strings.Contains(p, "boxscoretraditionalv3")
	}},
	{"nba_live/playbyplay", nbalive.ParsePlayByPlay, func(p string, h []byte) bool {
		return strings.Contains(p, "liveData/playbyplay") || bytes.Contains(h, []byte(`"actions"`)) && bytes.Contains(h, []byte(`"meta"`))
	}},
	{"nba_live/boxscore", nbalive.ParseBoxScore, func(p string, h []byte) bool {
		return strings.Contains(p, "liveData/boxscore")
	}},
	{"espn/summary", espn.ParseSummary, func(p string, h []byte) bool {
		return strings.Contains(filepath.Base(p), "summary") || bytes.Contains(h, []byte(`"boxscore"`)) && bytes.Contains(h, []byte(`"plays"`))
	}},
	{"bbref/boxscores", bbref.ParseBoxScore, func(p string, h []byte) bool {
		return strings.Contains(p, "bbref") || bytes.Contains(h, []byte(`game-basic`))
	}},
	{"nba_stats/leaguegamelog", nbastats.ParseLeagueGameLog, func(p string, h []byte) bool {
		return strings.Contains(p, "leaguegamelog") || bytes.Contains(h, []byte(`"LeagueGameLog"`))
	}},
}

// ReadFile reads a raw provider file (gzipped or not) and parses it with
// the parser its path or content names. item is the game id (or bbref id)
// the file is for, when known.
func ReadFile(path, item string) (*parse.Result, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	slash := filepath.ToSlash(path)
	for _, k := range fileKinds {
		if k.match(slash, head) {
			if item == "" {
				item = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".gz"), ".json")
				item = strings.TrimSuffix(item, ".html")
				if i := strings.LastIndexAny(item, "_-"); i >= 0 && len(item)-i-1 == 10 {
					item = item[i+1:]
				}
			}
			res, err := k.Parse(data, parse.Hint{Key: path, Item: item})
			if err != nil {
				return nil, k.Name, err
			}
			return res, k.Name, nil
		}
	}
	return nil, "", fmt.Errorf("%s: unknown file format (want a playbyplayv2/v3, liveData, ESPN summary or bbref box file)", path)
}
