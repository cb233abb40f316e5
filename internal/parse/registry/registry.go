// Package registry maps each lake dataset (internal/layout) to its parser
// and the parser's version. It lives below internal/parse, not in it,
// because the provider packages import parse for the contract: parse
// importing them back would be a cycle.
//
// Bump a dataset's Version whenever its parser's output changes for the
// same bytes; `nbasim load --reparse` then re-parses the objects that an
// older version loaded.
package registry

import (
	"fmt"
	"sync"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
	"github.com/nbasim/nbasim/internal/parse/espn"
	"github.com/nbasim/nbasim/internal/parse/legacypbp"
	"github.com/nbasim/nbasim/internal/parse/nbalive"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
)

// Entry is the parser of one dataset.
type Entry struct {
	Source  string
	Dataset string
	Parse   parse.Func // nil: the dataset is archived but not parsed
	Version int        // parser version; 0 when Parse is nil
	// Why explains a dataset without a parser.
	Why string
}

// ID returns "source/dataset".
func (e Entry) ID() string { return e.Source + "/" + e.Dataset }

// entries is built on first use (it reads the endpoint catalog, which
// layout parses lazily).
var entries = sync.OnceValue(func() []Entry {
	return append([]Entry{
		{Source: "nba_live", Dataset: "schedule", Parse: nbalive.ParseSchedule, Version: 1},
		{Source: "nba_live", Dataset: "playbyplay", Parse: nbalive.ParsePlayByPlay, Version: 2},
		{Source: "nba_live", Dataset: "boxscore", Parse: nbalive.ParseBoxScore, Version: 1},

		{Source: "nba_stats", Dataset: "leaguegamelog", Parse: nbastats.ParseLeagueGameLog, Version: 1},
		{Source: "nba_stats", Dataset: "playbyplayv3", Parse: nbastats.ParsePlayByPlayV3, Version: 2},
		{Source: "nba_stats", Dataset: "playbyplayv2", Parse: nbastats.ParsePlayByPlayV2, Version: 2},
		{Source: "nba_stats", Dataset: "boxscoretraditionalv3", Parse: nbastats.ParseBoxScoreTraditionalV3, Version: 1},
		{Source: "nba_stats", Dataset: "boxscoretraditionalv2", Parse: nbastats.ParseBoxScoreTraditionalV2, Version: 1},
		{Source: "nba_stats", Dataset: "boxscoretraditionalv2_range", Parse: nbastats.ParseBoxScoreTraditionalV2, Version: 1},
		{Source: "nba_stats", Dataset: "gamerotation", Why: "rotation stints are archived for the derive step; no table holds them"},

		{Source: "espn", Dataset: "scoreboard", Parse: espn.ParseScoreboard, Version: 1},
		{Source: "espn", Dataset: "summary", Parse: espn.ParseSummary, Version: 2},

		{Source: "bbref", Dataset: "schedule", Parse: bbref.ParseSchedule, Version: 1},
		{Source: "bbref", Dataset: "boxscores", Parse: bbref.ParseBoxScore, Version: 1},
		{Source: "bbref", Dataset: "pbp", Parse: bbref.ParsePlayByPlay, Version: 2},

		{Source: "archive", Dataset: "playbyplayv2", Parse: nbastats.ParsePlayByPlayV2CSV, Version: 2},
		{Source: "archive", Dataset: "game_info", Parse: legacypbp.ParseGameInfo, Version: 1},
	}, append(catalogEntries(), adopted()...)...)
})

// catalogEntries returns an entry for every endpoint of the catalog
// without a typed parser above: the generic decoder (nbastats.ParseCatalog:
// every result set into stats_rows), or the shot chart's (rows and shots),
// or the rows and typed tables of boxscoreadvancedv3, boxscoresummaryv2
// and commonplayerinfo (version 2: version 1 wrote their rows only).
func catalogEntries() []Entry {
	typed := map[string]bool{"leaguegamelog": true, "playbyplayv3": true, "playbyplayv2": true, "boxscoretraditionalv3": true,
		"boxscoretraditionalv2": true, "boxscoretraditionalv2_range": true, "gamerotation": true}
	var out []Entry
	for _, e := range layout.BuiltinCatalog().Endpoints {
		if !typed[e.Name] {
			f, v := nbastats.ParseCatalog, 1
			switch {
			case e.Path == "shotchartdetail":
				f = nbastats.ParseShotChartDetail
			case e.Name == "boxscoreadvancedv3":
				f, v = nbastats.ParseBoxScoreAdvancedV3, 2
			case e.Name == "boxscoresummaryv2":
				f, v = nbastats.ParseBoxScoreSummaryV2, 2
			case e.Name == "commonplayerinfo":
				f, v = nbastats.ParseCommonPlayerInfo, 2
			}
			out = append(out, Entry{Source: layout.CatalogSource, Dataset: e.Name, Parse: f, Version: v})
		}
	}
	return out
}

// adopted returns an entry without a parser for every dataset nbasim only
// adopts from an nba_simulator bucket (layout.Dataset.Adopted).
func adopted() []Entry {
	var out []Entry
	for _, d := range layout.Datasets() {
		if d.Adopted {
			out = append(out, Entry{Source: d.Source, Dataset: d.Name, Why: "adopted from an nba_simulator bucket and kept byte for byte; no parser yet"})
		}
	}
	return out
}

// Lookup returns the entry of dataset source/name.
func Lookup(source, dataset string) (Entry, bool) {
	for _, e := range entries() {
		if e.Source == source && e.Dataset == dataset {
			return e, true
		}
	}
	return Entry{}, false
}

// All returns every entry (a copy), in layout order.
func All() []Entry {
	all := entries()
	out := make([]Entry, len(all))
	copy(out, all)
	return out
}

// Check verifies that every layout dataset has an entry and every entry a
// layout dataset.
func Check() error {
	for _, d := range layout.Datasets() {
		if _, ok := Lookup(d.Source, d.Name); !ok {
			return fmt.Errorf("registry: layout dataset %s has no entry", d.ID())
		}
	}
	for _, e := range entries() {
		if _, ok := layout.Lookup(e.Source, e.Dataset); !ok {
			return fmt.Errorf("registry: entry %s is not a layout dataset", e.ID())
		}
		if (e.Parse == nil) != (e.Version == 0) {
			return fmt.Errorf("registry: entry %s: a parser needs a version > 0 and only a parser has one", e.ID())
		}
		if e.Parse == nil && e.Why == "" {
			return fmt.Errorf("registry: entry %s: say why it has no parser", e.ID())
		}
	}
	return nil
}

// Parse parses data with the parser of dataset source/name (a layout
// dataset or a Format); a dataset without a parser is an error.
func Parse(source, dataset string, data []byte, h parse.Hint) (*parse.Result, error) {
	e, ok := Lookup(source, dataset)
	if !ok {
		e, ok = Format(source, dataset)
	}
	if !ok || e.Parse == nil {
		return nil, fmt.Errorf("registry: no parser for %s/%s (%s)", source, dataset, h.Key)
	}
	return e.Parse(data, h)
}
