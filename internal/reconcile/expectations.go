package reconcile

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/teams"
)

//go:embed expectations.yaml
var defaultExpectations []byte

// DefaultExpectations returns the embedded expectations.yaml bytes.
func DefaultExpectations() []byte { return append([]byte(nil), defaultExpectations...) }

// ExpectationsVersion is the expectations file format this binary reads.
const ExpectationsVersion = 1

// Enumeration says how the expected keys of a dataset are enumerated.
type Enumeration string

// Enumerations.
const (
	// PerGameFromSchedule: one key per game of the season, from the store's
	// games table (the preferred way: it names every key).
	PerGameFromSchedule Enumeration = "per_game_from_schedule"
	// PerGameKnownCount: the season's known game count; cannot name keys,
	// so it yields counts and one batched "unknown_keys" task per season.
	PerGameKnownCount Enumeration = "per_game_known_count"
	// PerSeason: the listed items, once per season.
	PerSeason Enumeration = "per_season"
	// PerTeamSeason: one key per team of the season (teams table, else 30).
	PerTeamSeason Enumeration = "per_team_season"
	// PerDate: one key per game date of the season's schedule (YYYYMMDD).
	PerDate Enumeration = "per_date"
	// PerPlayerSeason: one key per player of the season the store knows
	// (a box line or a play of one of its games; Inputs.Players). With no
	// player known for the season, objects are counted, never expected.
	PerPlayerSeason Enumeration = "per_player_season"
	// PerPlayer: one key per player of any season reconciled, for a
	// dataset tied to no season (a player's biography).
	PerPlayer Enumeration = "per_player"
	// None: objects are counted, never expected.
	None Enumeration = "none"
	// PerDump: the listed items of a dataset tied to no season (season
	// layout.DumpSeason): the Kaggle dump's tables.
	PerDump Enumeration = "per_dump"
)

// ScheduleSource names the lake items holding a season's schedule.
type ScheduleSource struct {
	Source  string   `yaml:"source"`
	Dataset string   `yaml:"dataset"`
	Items   []string `yaml:"items"`
}

// Expectation is what the lake should hold for one source × dataset.
type Expectation struct {
	Source                string      `yaml:"source"`
	Dataset               string      `yaml:"dataset"`
	Seasons               string      `yaml:"seasons"` // "1996-97..", "2019-20..2024-25", "current", "2018-19,2019-20"
	Required              bool        `yaml:"required"`
	FreshnessDays         float64     `yaml:"freshness_days"`
	CompletenessThreshold float64     `yaml:"completeness_threshold"`
	Enumeration           Enumeration `yaml:"enumeration"`
	Fallback              Enumeration `yaml:"fallback"`
	Items                 []string    `yaml:"items"`        // per_season
	SeasonTypes           []string    `yaml:"season_types"` // per-game; default: the file's season_types
	Description           string      `yaml:"description"`
	// AlsoFrom lists "source/dataset"s whose object for the same item
	// counts as present (per-game enumerations): a bulk archive's copy of
	// the same data (archive/playbyplayv2 for nba_stats/playbyplayv2).
	AlsoFrom []string `yaml:"also_from"`

	ds layout.Dataset
	// itemOf gives the item of a player (per-player enumerations of a
	// catalog endpoint: its key template); nil: the player id.
	itemOf func(playerID string) (string, error)
}

// PlayerItem returns the item expected for playerID (per_player_season,
// per_player).
func (e Expectation) PlayerItem(playerID string) (string, error) {
	if e.itemOf == nil {
		return playerID, nil
	}
	return e.itemOf(playerID)
}

// NeedsPlayers reports whether an expectation enumerates players (the
// caller loads Inputs.Players).
func (e *Expectations) NeedsPlayers() bool {
	for _, x := range e.Datasets {
		if x.Enumeration == PerPlayerSeason || x.Enumeration == PerPlayer {
			return true
		}
	}
	return false
}

// ID returns "source/dataset".
func (e Expectation) ID() string { return e.Source + "/" + e.Dataset }

// Layout returns the layout dataset the expectation is about.
func (e Expectation) Layout() layout.Dataset { return e.ds }

// Expectations is a parsed expectations file.
type Expectations struct {
	Version     int            `yaml:"version"`
	Schedule    ScheduleSource `yaml:"schedule"`
	SeasonTypes []string       `yaml:"season_types"`
	Datasets    []Expectation  `yaml:"datasets"`
	// Catalog names endpoints of the endpoint catalog (layout.BuiltinCatalog)
	// that are expected from their scope, or "all": each one not listed in
	// datasets gets an expectation derived from the catalog (CatalogExpectation).
	Catalog []string `yaml:"catalog"`
	// Origin is "embedded" or the path the file was read from.
	Origin string `yaml:"-"`
}

// LoadExpectations reads path, or the embedded default when path is "".
// path may also name an embedded set: "nbasim" (the default) or
// "nba_simulator" (what the Python system's bucket holds).
func LoadExpectations(path string) (*Expectations, error) {
	if path == ExpectationsNBASimulator {
		e, err := ParseExpectations(legacyExpectations)
		if err != nil {
			return nil, fmt.Errorf("embedded expectations_nba_simulator.yaml: %w", err)
		}
		e.Origin = "embedded:" + ExpectationsNBASimulator
		return e, nil
	}
	if path == ExpectationsCatalog {
		e, err := ParseExpectations(append(DefaultExpectations(), "\ncatalog: [all]\n"...))
		if err != nil {
			return nil, fmt.Errorf("embedded expectations.yaml with the catalog: %w", err)
		}
		e.Origin = "embedded:" + ExpectationsCatalog
		return e, nil
	}
	if path == "" || path == ExpectationsNBASim {
		e, err := ParseExpectations(defaultExpectations)
		if err != nil {
			return nil, fmt.Errorf("embedded expectations.yaml: %w", err)
		}
		e.Origin = "embedded"
		return e, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, Permanent(fmt.Errorf("reconcile: expectations: %w", err))
	}
	e, err := ParseExpectations(b)
	if err != nil {
		return nil, Permanent(fmt.Errorf("reconcile: expectations %s: %w", path, err))
	}
	e.Origin = path
	return e, nil
}

var validSeasonTypes = map[string]bool{"regular": true, "playoffs": true, "play_in": true, "cup_final": true, "preseason": true, "allstar": true}

// ParseExpectations parses and validates an expectations file.
func ParseExpectations(b []byte) (*Expectations, error) {
	var e Expectations
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("yaml: %w", err)
	}
	if e.Version != ExpectationsVersion {
		return nil, fmt.Errorf("version %d: this nbasim reads version %d", e.Version, ExpectationsVersion)
	}
	if len(e.SeasonTypes) == 0 {
		e.SeasonTypes = []string{"regular", "playoffs", "play_in", "cup_final"}
	}
	for _, st := range e.SeasonTypes {
		if !validSeasonTypes[st] {
			return nil, fmt.Errorf("season_types: unknown season type %q", st)
		}
	}
	if err := e.addCatalog(layout.BuiltinCatalog()); err != nil {
		return nil, err
	}
	if e.Schedule.Source != "" {
		d, ok := layout.Lookup(e.Schedule.Source, e.Schedule.Dataset)
		if !ok {
			return nil, fmt.Errorf("schedule: unknown dataset %s/%s", e.Schedule.Source, e.Schedule.Dataset)
		}
		if len(e.Schedule.Items) == 0 {
			return nil, errors.New("schedule: items is empty")
		}
		for _, it := range e.Schedule.Items {
			if !d.Item.MatchString(it) {
				return nil, fmt.Errorf("schedule: item %q is not valid for %s", it, d.ID())
			}
		}
	}
	seen := map[string]bool{}
	for i := range e.Datasets {
		x := &e.Datasets[i]
		where := fmt.Sprintf("datasets[%d] (%s)", i, x.ID())
		d, ok := layout.Lookup(x.Source, x.Dataset)
		if !ok {
			return nil, fmt.Errorf("%s: unknown dataset (not in the lake layout)", where)
		}
		x.ds = d
		if seen[x.ID()] {
			return nil, fmt.Errorf("%s: listed twice", where)
		}
		seen[x.ID()] = true
		if _, err := parseSeasonSpec(x.Seasons, 2020); err != nil {
			return nil, fmt.Errorf("%s: seasons: %w", where, err)
		}
		if x.FreshnessDays < 0 {
			return nil, fmt.Errorf("%s: freshness_days must be >= 0", where)
		}
		if x.CompletenessThreshold < 0 || x.CompletenessThreshold > 1 {
			return nil, fmt.Errorf("%s: completeness_threshold %v not within 0..1", where, x.CompletenessThreshold)
		}
		if x.CompletenessThreshold == 0 {
			x.CompletenessThreshold = 0.95
		}
		if len(x.SeasonTypes) == 0 {
			x.SeasonTypes = e.SeasonTypes
		}
		for _, st := range x.SeasonTypes {
			if !validSeasonTypes[st] {
				return nil, fmt.Errorf("%s: unknown season type %q", where, st)
			}
		}
		switch x.Enumeration {
		case PerGameFromSchedule, PerGameKnownCount:
			if d.Per != layout.PerGame {
				return nil, fmt.Errorf("%s: enumeration %s needs a per-game dataset (this one is per %s)", where, x.Enumeration, d.Per)
			}
		case PerSeason:
			if d.Per == layout.PerDump {
				return nil, fmt.Errorf("%s: a dataset tied to no season takes per_dump", where)
			}
			if len(x.Items) == 0 {
				return nil, fmt.Errorf("%s: per_season needs items", where)
			}
			for _, it := range x.Items {
				if !d.Item.MatchString(it) {
					return nil, fmt.Errorf("%s: item %q does not match %s", where, it, d.Item)
				}
			}
		case PerDate:
			if d.Per != layout.PerDate {
				return nil, fmt.Errorf("%s: per_date needs a per-date dataset (this one is per %s)", where, d.Per)
			}
		case PerDump:
			if d.Per != layout.PerDump || len(x.Items) == 0 {
				return nil, fmt.Errorf("%s: per_dump needs a dataset tied to no season and items", where)
			}
			for _, it := range x.Items {
				if !d.Item.MatchString(it) {
					return nil, fmt.Errorf("%s: item %q does not match %s", where, it, d.Item)
				}
			}
		case PerPlayerSeason:
			if d.Per != layout.PerPlayer {
				return nil, fmt.Errorf("%s: per_player_season needs a per-player dataset (this one is per %s)", where, d.Per)
			}
		case PerPlayer:
			if d.Per != layout.PerDump {
				return nil, fmt.Errorf("%s: per_player needs a dataset tied to no season (this one is per %s)", where, d.Per)
			}
		case PerTeamSeason, None:
		case "":
			return nil, fmt.Errorf("%s: enumeration is missing", where)
		default:
			return nil, fmt.Errorf("%s: unknown enumeration %q", where, x.Enumeration)
		}
		for _, id := range x.AlsoFrom {
			src, ds, _ := strings.Cut(id, "/")
			ad, ok := layout.Lookup(src, ds)
			if !ok {
				return nil, fmt.Errorf("%s: also_from %q: unknown dataset", where, id)
			}
			if ad.IDKind != d.IDKind || ad.Per != d.Per {
				return nil, fmt.Errorf("%s: also_from %q: items of another kind (%s per %s, want %s per %s)", where, id, ad.IDKind, ad.Per, d.IDKind, d.Per)
			}
		}
		switch x.Fallback {
		case "", PerGameKnownCount:
		default:
			return nil, fmt.Errorf("%s: fallback must be per_game_known_count or empty", where)
		}
	}
	return &e, nil
}

// addCatalog appends the expectations of the catalog endpoints e.Catalog
// names that datasets does not list.
func (e *Expectations) addCatalog(c *layout.Catalog) error {
	all := slices.Contains(e.Catalog, "all")
	for _, n := range e.Catalog {
		if _, ok := c.Endpoint(n); !ok && n != "all" {
			return fmt.Errorf("catalog: %q is not an endpoint of the catalog", n)
		}
	}
	listed := map[string]bool{}
	for _, x := range e.Datasets {
		listed[x.ID()] = true
	}
	for i := range c.Endpoints {
		ep := &c.Endpoints[i]
		if (!all && !slices.Contains(e.Catalog, ep.Name)) || listed[layout.CatalogSource+"/"+ep.Name] {
			continue
		}
		e.Datasets = append(e.Datasets, CatalogExpectation(ep))
	}
	return nil
}

// CatalogExpectation derives the expectation of a catalog endpoint from its
// scope: per game from the schedule (known counts without one), per game
// day, the season's items, a count per team and season, the 30 teams' ids,
// one per player of the season (per player and season) or of the seasons
// reconciled (per player, all seasons), or the one item of an endpoint
// tied to no season. Endpoints fetched on demand are counted, never
// expected.
func CatalogExpectation(ep *layout.Endpoint) Expectation {
	x := Expectation{Source: layout.CatalogSource, Dataset: ep.Name, Seasons: ep.Seasons, Required: ep.Required,
		FreshnessDays: ep.FreshnessDays, Description: ep.Description, Enumeration: None}
	if x.Seasons == "" {
		x.Seasons = "1996-97.."
	}
	if ep.OnDemand != "" {
		return x
	}
	switch ep.Scope {
	case layout.ScopeGame:
		x.Enumeration, x.Fallback = PerGameFromSchedule, PerGameKnownCount
	case layout.ScopeDate:
		x.Enumeration = PerDate
	case layout.ScopeSeason:
		x.Enumeration = PerSeason
		x.Items = ep.Items
		if len(x.Items) == 0 {
			if it, err := ep.Item(layout.Entity{}, nil); err == nil {
				x.Items = []string{it}
			}
		}
	case layout.ScopeTeamSeason:
		x.Enumeration = PerTeamSeason
	case layout.ScopePlayerSeason, layout.ScopePlayer:
		x.Enumeration = PerPlayerSeason
		if ep.Scope == layout.ScopePlayer {
			x.Enumeration = PerPlayer
		}
		x.itemOf = func(id string) (string, error) { return ep.Item(layout.Entity{PlayerID: id}, nil) }
	case layout.ScopeTeam:
		x.Enumeration = PerDump
		for _, t := range teams.All() {
			if it, err := ep.Item(layout.Entity{TeamID: t.NBAID}, nil); err == nil {
				x.Items = append(x.Items, it)
			}
		}
	case layout.ScopeLeague:
		x.Enumeration = PerDump
		if it, err := ep.Item(layout.Entity{}, nil); err == nil {
			x.Items = []string{it}
		}
	}
	return x
}

// Lookup returns the expectation of source/dataset.
func (e *Expectations) Lookup(source, dataset string) (*Expectation, bool) {
	for i := range e.Datasets {
		if e.Datasets[i].Source == source && e.Datasets[i].Dataset == dataset {
			return &e.Datasets[i], true
		}
	}
	return nil, false
}

// parseSeasonSpec returns the seasons a spec names, given the current season:
// "current", "previous", "YYYY-YY", "A..B", "A.." (to current), lists
// separated by commas. An empty spec means every season up to current.
func parseSeasonSpec(spec string, current layout.Season) ([]layout.Season, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		spec = "1946-47.."
	}
	one := func(s string) (layout.Season, error) {
		switch s {
		case "current", "":
			return current, nil
		case "previous":
			return current - 1, nil
		}
		return layout.ParseSeason(s)
	}
	var out []layout.Season
	seen := map[layout.Season]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if a, b, ok := strings.Cut(part, ".."); ok {
			from, err := one(strings.TrimSpace(a))
			if err != nil {
				return nil, err
			}
			to, err := one(strings.TrimSpace(b))
			if err != nil {
				return nil, err
			}
			for s := from; s <= to; s++ {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
			continue
		}
		s, err := one(part)
		if err != nil {
			return nil, err
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// SeasonsFor returns the seasons expectation x covers among the wanted ones.
func (x *Expectation) SeasonsFor(wanted []layout.Season, current layout.Season) []layout.Season {
	avail, _ := parseSeasonSpec(x.Seasons, current)
	ok := map[layout.Season]bool{}
	for _, s := range avail {
		ok[s] = true
	}
	var out []layout.Season
	for _, s := range wanted {
		if ok[s] {
			out = append(out, s)
		}
	}
	return out
}
