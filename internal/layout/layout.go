// Package layout defines the lake's key layout, `{source}/{dataset}/{season}/{item}.{ext}`,
// as explicit rules per source and dataset, and the season arithmetic the
// rules need. Collectors build keys with it; reconciliation parses them with
// it (never by guessing from substrings).
package layout

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Per says what one object of a dataset stands for.
type Per string

// Granularities of datasets.
const (
	PerGame   Per = "game"   // one object per game
	PerDate   Per = "date"   // one object per day (YYYYMMDD)
	PerSeason Per = "season" // one object per season
	PerMonth  Per = "month"  // one object per month of a season
	PerRange  Per = "range"  // one object per game and time window
	PerTeam   Per = "team"   // one object per team and season
	PerPlayer Per = "player" // one object per player and season
	PerDump   Per = "dump"   // a one-off file tied to no season (season segment DumpSeason)
)

// DumpSeason is the season segment of datasets tied to no season (PerDump):
// the Kaggle dump's tables, hoopR's static reference files.
const DumpSeason = "all"

// Dataset is one kind of object a source writes.
type Dataset struct {
	Source string
	Name   string // path segment; usually the provider's endpoint name
	Ext    string // json or html
	Per    Per
	// Item matches the item part of the key (without extension).
	Item *regexp.Regexp
	// IDKind names the id space of per-game items: nba, espn, bbref.
	IDKind string
	// Adopted is set on datasets nbasim does not fetch itself: it keeps
	// them, byte for byte, when it adopts an nba_simulator bucket.
	Adopted bool
}

// ID returns "source/name".
func (d Dataset) ID() string { return d.Source + "/" + d.Name }

var (
	dateItem  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{8}$`) })
	monthItem = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(january|february|march|april|may|june|july|august|september|october|november|december)$`)
	})
	schedItem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^schedule$`) })
)

// fixedDatasets are the datasets of the sources that are not the catalog's
// (built on first use: their patterns compile then).
func fixedDatasets() []Dataset {
	return []Dataset{
		{Source: "nba_live", Name: "schedule", Ext: "json", Per: PerSeason, Item: schedItem()},
		{Source: "nba_live", Name: "playbyplay", Ext: "json", Per: PerGame, Item: nbaGameID(), IDKind: "nba"},
		{Source: "nba_live", Name: "boxscore", Ext: "json", Per: PerGame, Item: nbaGameID(), IDKind: "nba"},

		{Source: "espn", Name: "scoreboard", Ext: "json", Per: PerDate, Item: dateItem()},
		{Source: "espn", Name: "summary", Ext: "json", Per: PerGame, Item: espnID(), IDKind: "espn"},

		{Source: "bbref", Name: "schedule", Ext: "html", Per: PerMonth, Item: monthItem()},
		{Source: "bbref", Name: "boxscores", Ext: "html", Per: PerGame, Item: bbrefID(), IDKind: "bbref"},
		{Source: "bbref", Name: "pbp", Ext: "html", Per: PerGame, Item: bbrefID(), IDKind: "bbref"},

		// Bulk archives adopted by `nbasim import` (internal/archive): third-party
		// copies, not responses nbasim fetched. playbyplayv2 = the PlayByPlay
		// result set of stats.nba.com playbyplayv2 as a CSV, one object per game.
		{Source: "archive", Name: "playbyplayv2", Ext: "csv", Per: PerGame, Item: nbaGameID(), IDKind: "nba"},
		// game_info = the legacy_pbp archive's per-game descriptor (date,
		// teams, players; its scores are swapped), one object per game.
		{Source: "archive", Name: "game_info", Ext: "json", Per: PerGame, Item: nbaGameID(), IDKind: "nba"},
	}
}

// Datasets lists every dataset of every source, in a stable order (shared:
// do not modify). It is built from the catalog on first use.
func Datasets() []Dataset { return datasets() }

var datasets = sync.OnceValue(func() []Dataset {
	// the stats.nba.com datasets are the catalog's endpoints (catalog.yaml)
	// (the seven collected first keep their place first)
	fixed := fixedDatasets()
	live := fixed[:3]
	rest := fixed[3:]
	var stats []Dataset
	cat := BuiltinCatalog()
	for _, n := range []string{"leaguegamelog", "playbyplayv3", "playbyplayv2", "boxscoretraditionalv3",
		"boxscoretraditionalv2", "gamerotation", "boxscoretraditionalv2_range"} {
		e, _ := cat.Endpoint(n)
		stats = append(stats, e.Dataset())
	}
	for _, d := range cat.Datasets() {
		if !slices.ContainsFunc(stats, func(x Dataset) bool { return x.Name == d.Name }) {
			stats = append(stats, d)
		}
	}
	all := append(append(append([]Dataset{}, live...), stats...), rest...)
	return append(all, adoptedDatasets()...)
})

// Lookup returns the dataset source/name.
func Lookup(source, name string) (Dataset, bool) {
	for _, d := range Datasets() {
		if d.Source == source && d.Name == name {
			return d, true
		}
	}
	return Dataset{}, false
}

// Sources returns the distinct source names, sorted.
func Sources() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range Datasets() {
		if !seen[d.Source] {
			seen[d.Source] = true
			out = append(out, d.Source)
		}
	}
	sort.Strings(out)
	return out
}

// Key is a parsed lake key.
type Key struct {
	Source  string
	Dataset string
	Season  string // "2023-24"
	Item    string // game id, date, month, ...
	Ext     string
}

// String renders the key.
func (k Key) String() string {
	return k.Source + "/" + k.Dataset + "/" + k.Season + "/" + k.Item + "." + k.Ext
}

// Make builds and validates the key of item in dataset source/name for season.
func Make(source, name, season, item string) (string, error) {
	d, ok := Lookup(source, name)
	if !ok {
		return "", fmt.Errorf("layout: unknown dataset %s/%s", source, name)
	}
	if err := checkSeason(d, season); err != nil {
		return "", err
	}
	if !d.Item.MatchString(item) {
		return "", fmt.Errorf("layout: item %q is not valid for %s (want %s)", item, d.ID(), d.Item)
	}
	return Key{Source: source, Dataset: name, Season: season, Item: item, Ext: d.Ext}.String(), nil
}

// ParseError says why a key does not follow the layout.
type ParseError struct {
	Key    string
	Reason string
}

func (e *ParseError) Error() string { return fmt.Sprintf("layout: key %q: %s", e.Key, e.Reason) }

// Parse parses key by the explicit rules of its source and dataset.
func Parse(key string) (Key, Dataset, error) {
	parts := strings.Split(key, "/")
	if len(parts) != 4 {
		return Key{}, Dataset{}, &ParseError{key, "want source/dataset/season/item.ext"}
	}
	d, ok := Lookup(parts[0], parts[1])
	if !ok {
		return Key{}, Dataset{}, &ParseError{key, fmt.Sprintf("unknown dataset %s/%s", parts[0], parts[1])}
	}
	if err := checkSeason(d, parts[2]); err != nil {
		return Key{}, d, &ParseError{key, err.Error()}
	}
	item, ext, ok := strings.Cut(parts[3], ".")
	if !ok || ext != d.Ext {
		return Key{}, d, &ParseError{key, fmt.Sprintf("want extension .%s", d.Ext)}
	}
	if !d.Item.MatchString(item) {
		return Key{}, d, &ParseError{key, fmt.Sprintf("item %q does not match %s", item, d.Item)}
	}
	return Key{Source: parts[0], Dataset: parts[1], Season: parts[2], Item: item, Ext: ext}, d, nil
}

// checkSeason validates the season segment of a key of dataset d: a
// season, or DumpSeason for datasets tied to no season.
func checkSeason(d Dataset, season string) error {
	if d.Per == PerDump {
		if season != DumpSeason {
			return fmt.Errorf("season %q: %s is tied to no season (want %q)", season, d.ID(), DumpSeason)
		}
		return nil
	}
	_, err := ParseSeason(season)
	return err
}

// Season is an NBA season, named by its start year.
type Season int

// String renders "2023-24".
func (s Season) String() string { return fmt.Sprintf("%d-%02d", int(s), (int(s)+1)%100) }

// EndYear is the year the season ends (basketball-reference's NBA_<YYYY>).
func (s Season) EndYear() int { return int(s) + 1 }

var seasonRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-(\d{2})$`) })

// ParseSeason parses "2023-24".
func ParseSeason(s string) (Season, error) {
	m := seasonRe().FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("season %q: want YYYY-YY, e.g. 2023-24", s)
	}
	y, _ := strconv.Atoi(m[1])
	e, _ := strconv.Atoi(m[2])
	if (y+1)%100 != e {
		return 0, fmt.Errorf("season %q: second year must follow the first", s)
	}
	if y < 1946 || y > 2100 {
		return 0, fmt.Errorf("season %q: out of range", s)
	}
	return Season(y), nil
}

// SeasonOfGameID returns the season of an NBA GAME_ID (00TYYNNNNN).
func SeasonOfGameID(id string) (Season, error) {
	if !nbaGameID().MatchString(id) {
		return 0, fmt.Errorf("game id %q: want 10 digits 00TYYNNNNN", id)
	}
	yy, _ := strconv.Atoi(id[3:5])
	y := 2000 + yy
	if yy >= 46 {
		y = 1900 + yy
	}
	return Season(y), nil
}

// SeasonTypeOfGameID returns regular, playoffs, play_in, preseason, allstar
// or cup_final from the third digit of an NBA GAME_ID.
func SeasonTypeOfGameID(id string) string {
	if len(id) < 3 {
		return ""
	}
	switch id[2] {
	case '1':
		return "preseason"
	case '2':
		return "regular"
	case '3':
		return "allstar"
	case '4':
		return "playoffs"
	case '5':
		return "play_in"
	case '6':
		return "cup_final"
	}
	return ""
}

// SeasonOfDate returns the season a game on date d (US local date) belongs
// to: August to December start a season, January to July end one. The
// 2019-20 season ran until 2020-10-11 (the bubble); 2020-21 began in December
// 2020 and ended on 2021-07-20.
func SeasonOfDate(d time.Time) Season {
	y, m := d.Year(), d.Month()
	switch {
	case y == 2020 && m <= time.October && d.Before(time.Date(2020, 10, 12, 0, 0, 0, 0, time.UTC)):
		return 2019
	case y == 2021 && m <= time.July:
		return 2020
	case m >= time.August:
		return Season(y)
	default:
		return Season(y - 1)
	}
}
