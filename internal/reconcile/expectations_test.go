package reconcile

import (
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/layout"
)

func TestEmbeddedExpectationsParse(t *testing.T) {
	t.Parallel()
	e, err := LoadExpectations("")
	if err != nil {
		t.Fatal(err)
	}
	if e.Origin != "embedded" || len(e.Datasets) < 10 {
		t.Fatalf("origin %q, %d datasets", e.Origin, len(e.Datasets))
	}
	// ESPN must be expected (the Python original never planned ESPN tasks).
	if x, ok := e.Lookup("espn", "summary"); !ok || !x.Required {
		t.Errorf("espn/summary not a required expectation: %+v", x)
	}
	for _, x := range e.Datasets {
		if _, ok := layout.Lookup(x.Source, x.Dataset); !ok {
			t.Errorf("%s not in the layout", x.ID())
		}
	}
}

func TestParseExpectationsErrors(t *testing.T) {
	t.Parallel()
	const head = "version: 1\ndatasets:\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"version", "version: 2\n", "version 2"},
		{"unknown field", "version: 1\nbogus: 1\n", "bogus"},
		{"unknown dataset", head + "  - {source: nba_stats, dataset: nope, enumeration: per_season, items: [x]}\n", "datasets[0] (nba_stats/nope): unknown dataset"},
		{"bad seasons", head + "  - {source: nba_stats, dataset: playbyplayv3, seasons: '2019-21..', enumeration: per_game_from_schedule}\n", "seasons"},
		{"bad enumeration", head + "  - {source: nba_stats, dataset: playbyplayv3, enumeration: per_moon}\n", "unknown enumeration"},
		{"missing enumeration", head + "  - {source: nba_stats, dataset: playbyplayv3}\n", "enumeration is missing"},
		{"per game on season dataset", head + "  - {source: nba_stats, dataset: leaguegamelog, enumeration: per_game_from_schedule}\n", "needs a per-game dataset"},
		{"bad item", head + "  - {source: nba_stats, dataset: leaguegamelog, enumeration: per_season, items: [everything]}\n", `item "everything"`},
		{"threshold", head + "  - {source: nba_stats, dataset: playbyplayv3, enumeration: per_game_from_schedule, completeness_threshold: 1.5}\n", "not within 0..1"},
		{"twice", head + "  - {source: espn, dataset: summary, enumeration: per_game_from_schedule}\n  - {source: espn, dataset: summary, enumeration: per_game_from_schedule}\n", "listed twice"},
		{"season type", head + "  - {source: espn, dataset: summary, enumeration: per_game_from_schedule, season_types: [summer]}\n", `unknown season type "summer"`},
		{"schedule dataset", "version: 1\nschedule: {source: x, dataset: y, items: [a]}\n", "schedule: unknown dataset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseExpectations([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestSeasonSpec(t *testing.T) {
	t.Parallel()
	cur := layout.Season(2026)
	for _, tc := range []struct {
		spec string
		want []string
	}{
		{"current", []string{"2026-27"}},
		{"previous,current", []string{"2025-26", "2026-27"}},
		{"2024-25..", []string{"2024-25", "2025-26", "2026-27"}},
		{"2018-19..2019-20, 2022-23", []string{"2018-19", "2019-20", "2022-23"}},
	} {
		got, err := parseSeasonSpec(tc.spec, cur)
		if err != nil {
			t.Fatalf("%q: %v", tc.spec, err)
		}
		var s []string
		for _, x := range got {
			s = append(s, x.String())
		}
		if strings.Join(s, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%q = %v, want %v", tc.spec, s, tc.want)
		}
	}
}

func TestKnownGameCounts(t *testing.T) {
	t.Parallel()
	types := []string{"regular"}
	for _, tc := range []struct {
		season layout.Season
		want   int
	}{{1998, 725}, {2003, 1189}, {2004, 1230}, {2011, 990}, {2012, 1229}, {2019, 1059}, {2020, 1080}, {2023, 1230}} {
		k, ok := KnownGameCount(tc.season)
		if !ok || k.Min(types) != tc.want {
			t.Errorf("%s: %d (ok %v), want %d", tc.season, k.Min(types), ok, tc.want)
		}
	}
	k, _ := KnownGameCount(2023)
	all := []string{"regular", "playoffs", "play_in", "cup_final"}
	if k.Min(all) != 1230+60+6+1 || k.Max(all) != 1230+105+6+1 {
		t.Errorf("2023-24 all types: %d..%d", k.Min(all), k.Max(all))
	}
	if _, ok := KnownGameCount(1980); ok {
		t.Error("1980-81 should be unknown")
	}
}
