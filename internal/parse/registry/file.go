package registry

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
)

// Formats lists the file formats nbasim parses that have no dataset in the
// lake layout: files other tools wrote, read by `nbasim box --file` and
// verification, never archived.
var formats = []Entry{
	{Source: "bbref", Dataset: "pbp_parsed", Parse: bbref.ParseScraperPBP, Version: 1,
		Why: "play-by-play written by the basketball_reference_web_scraper package (CSV or JSON); not a provider response"},
}

// Format returns the entry of a file format outside the lake layout
// (source/dataset, e.g. bbref/pbp_parsed).
func Format(source, dataset string) (Entry, bool) {
	for _, e := range formats {
		if e.Source == source && e.Dataset == dataset {
			return e, true
		}
	}
	return Entry{}, false
}

// fileRule recognises raw files of one entry by their path (slash-separated)
// or, failing the path, by their first bytes.
type fileRule struct {
	source, dataset string
	path            func(p string) bool
	head            func(h []byte) bool
}

func dir(name string) func(string) bool {
	return func(p string) bool { return strings.Contains("/"+p, "/"+name+"/") }
}

func has(subs ...string) func([]byte) bool {
	return func(h []byte) bool {
		for _, s := range subs {
			if !bytes.Contains(h, []byte(s)) {
				return false
			}
		}
		return true
	}
}

// fileRules are tried in order: all path rules first, then the content
// rules, so a file's folder wins over a look at its bytes.
var fileRules = []fileRule{
	// a bulk archive's per-game playbyplayv2 CSV (internal/archive), before
	// the JSON rule: its path holds "playbyplay" too
	{"archive", "playbyplayv2", func(p string) bool {
		return strings.HasSuffix(strings.ToLower(p), ".csv") && strings.Contains(strings.ToLower(p), "playbyplay")
	}, func(h []byte) bool {
		return bytes.HasPrefix(bytes.TrimPrefix(h, []byte("\ufeff")), []byte("GAME_ID,")) && bytes.Contains(h, []byte("EVENTMSGTYPE"))
	}},
	{"nba_stats", "playbyplayv3", func(p string) bool { return strings.Contains(p, "playbyplayv3") }, has(`"actionNumber"`, `"PlayByPlay"`)},
	{"nba_stats", "playbyplayv2", func(p string) bool { return strings.Contains(p, "playbyplayv2") }, has(`EVENTMSGTYPE`)},
	{"nba_stats", "boxscoretraditionalv2", func(p string) bool { return strings.Contains(p, "boxscoretraditionalv2") }, nil},
	{"nba_stats", "boxscoretraditionalv3", func(p string) bool { return strings.Contains(p, "boxscoretraditionalv3") }, nil},
	{"nba_stats", "leaguegamelog", func(p string) bool { return strings.Contains(p, "leaguegamelog") }, has(`"LeagueGameLog"`)},
	{"nba_live", "playbyplay", func(p string) bool { return strings.Contains(p, "liveData/playbyplay") }, has(`"actions"`, `"meta"`)},
	{"nba_live", "boxscore", func(p string) bool { return strings.Contains(p, "liveData/boxscore") }, nil},
	{"espn", "summary", func(p string) bool { return strings.HasPrefix(path.Base(p), "summary_") }, has(`"boxscore"`, `"plays"`)},
	{"espn", "scoreboard", func(p string) bool { return strings.HasPrefix(path.Base(p), "scoreboard_") }, nil},
	{"bbref", "pbp_parsed", dir("pbp_parsed"), nil},
	{"bbref", "pbp", func(p string) bool { return dir("bbref")(p) && dir("pbp")(p) }, has(`id="pbp"`)},
	{"bbref", "schedule", func(p string) bool {
		return dir("bbref")(p) && dir("schedules")(p) || dir("schedule")(p) && dir("bbref")(p)
	}, nil},
	{"bbref", "boxscores", func(p string) bool { return dir("bbref")(p) && dir("boxscores")(p) }, has(`game-basic`)},
}

// ForFile recognises a raw provider file by its path (a lake key, or the
// folders of a recorded data set such as ../shared/data) or, failing that,
// by its first bytes, and returns its entry: a layout dataset's or a file
// format's (Format). An unrecognised file is an error naming the path.
func ForFile(p string, head []byte) (Entry, error) {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if _, d, err := layout.Parse(strings.TrimSuffix(trimToSource(p), ".gz")); err == nil {
		if e, ok := Lookup(d.Source, d.Name); ok && e.Parse != nil {
			return e, nil
		}
	}
	for _, r := range fileRules {
		if r.path != nil && r.path(p) {
			return ruleEntry(r)
		}
	}
	for _, r := range fileRules {
		if r.head != nil && r.head(head) {
			return ruleEntry(r)
		}
	}
	return Entry{}, fmt.Errorf("%s: unknown file format (want a layout key or a playbyplayv2/v3, boxscoretraditionalv2/v3, leaguegamelog, liveData, ESPN summary/scoreboard or bbref box/pbp/schedule/pbp_parsed file)", p)
}

func ruleEntry(r fileRule) (Entry, error) {
	if e, ok := Lookup(r.source, r.dataset); ok && e.Parse != nil {
		return e, nil
	}
	if e, ok := Format(r.source, r.dataset); ok {
		return e, nil
	}
	return Entry{}, fmt.Errorf("registry: file rule %s/%s has no parser", r.source, r.dataset)
}

// trimToSource drops what precedes the first path element naming a source,
// so that "/data/lake/nba_stats/playbyplayv2/2018-19/0021800001.json" is
// tried as the lake key it ends with.
func trimToSource(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if _, ok := sources()[s]; ok {
			return strings.Join(parts[i:], "/")
		}
	}
	return p
}

var sources = sync.OnceValue(func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, e := range entries() {
		m[e.Source] = struct{}{}
	}
	return m
})

// ParseFile parses the bytes of a raw file with the parser ForFile finds,
// filling the hint's Item from the file name when it is empty. It returns
// the result and the entry's ID ("nba_stats/playbyplayv2").
func ParseFile(p string, data []byte, h parse.Hint) (*parse.Result, string, error) {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	e, err := ForFile(p, head)
	if err != nil {
		return nil, "", err
	}
	if h.Key == "" {
		h.Key = p
	}
	if h.Item == "" {
		h.Item = ItemOfFile(p)
	}
	res, err := e.Parse(data, h)
	return res, e.ID(), err
}

// ItemOfFile guesses a file's item (game id) from its name: the name
// without extensions, or its last 10-character part after "_" or "-"
// ("playbyplay_0022000001.json" -> "0022000001").
func ItemOfFile(p string) string {
	item := path.Base(strings.ReplaceAll(p, "\\", "/"))
	for _, ext := range []string{".gz", ".json", ".html", ".csv"} {
		item = strings.TrimSuffix(item, ext)
	}
	if i := strings.LastIndexAny(item, "_-"); i >= 0 && len(item)-i-1 == 10 {
		item = item[i+1:]
	}
	return item
}
