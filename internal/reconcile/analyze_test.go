package reconcile

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/layout"
)

func TestAnalyzeEnumerations(t *testing.T) {
	t.Parallel()
	exp, err := ParseExpectations([]byte(`version: 1
datasets:
  - {source: nba_stats, dataset: playbyplayv3, enumeration: per_game_known_count, season_types: [regular]}
  - {source: espn, dataset: scoreboard, enumeration: per_date}
  - {source: bbref, dataset: schedule, enumeration: per_season, items: [october, november, december, january, february, march, april]}
  - {source: bbref, dataset: boxscores, enumeration: per_game_from_schedule}
  - {source: nba_stats, dataset: gamerotation, enumeration: per_team_season}
  - {source: nba_stats, dataset: leaguegamelog, enumeration: per_season, items: [regular_T, playoffs_T]}
`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC) // 2025-26 in progress
	scan := &ScanResult{Mode: "full", SampleRate: 1, Groups: map[string]*Group{}}
	add := func(src, ds, season string, items ...string) {
		g := &Group{Source: src, Dataset: ds, Season: season, Items: map[string]Entry{}}
		for _, it := range items {
			g.Items[it] = Entry{Size: 10, ModTime: now.Add(-time.Hour).Unix()}
		}
		scan.Groups[GroupKey(src, ds, season)] = g
	}
	add("nba_stats", "playbyplayv3", "2024-25", "0022400001", "0022400002", "0012400001") // 2 regular + 1 preseason
	add("espn", "scoreboard", "2025-26", "20251101")
	add("bbref", "schedule", "2025-26", "october", "november")
	add("nba_stats", "gamerotation", "2025-26", "0022500001", "0022500002")
	games := Schedule{"2025-26": {
		{GameID: "0022500001", Season: "2025-26", SeasonType: "regular", Date: "2025-11-01", Status: "final", HomeCode: "BOS"},
		{GameID: "0022500002", Season: "2025-26", SeasonType: "regular", Date: "2025-11-02", Status: "final", HomeCode: "PHX", BBRefID: "202511020PHO"},
		{GameID: "0022500003", Season: "2025-26", SeasonType: "regular", Date: "2026-01-10", HomeCode: "BOS"}, // not played yet
	}}
	in := Inputs{Expectations: exp, Seasons: []layout.Season{2024, 2025}, Current: 2025, Now: now, Schedule: games,
		Teams: []Team{{TeamID: "1", Code: "BOS", BBRefCode: "BOS"}}}
	a := Analyze(in, scan)
	get := func(id string) *Cell {
		for _, c := range a.Cells {
			if c.ID() == id {
				return c
			}
		}
		t.Fatalf("no cell %s", id)
		return nil
	}
	// known count: a past season expects 1,230 regular games; preseason is extra
	if c := get("nba_stats/playbyplayv3/2024-25"); c.Expected != 1230 || c.Present != 2 || c.Extra != 1 || !c.Estimated {
		t.Errorf("known count: %+v", c)
	}
	// known count, season in progress: pro-rated by the calendar
	if c := get("nba_stats/playbyplayv3/2025-26"); c.Expected <= 0 || c.Expected >= 1230 {
		t.Errorf("pro-rated known count: %d", c.Expected)
	}
	// per date: the played dates of the schedule
	if c := get("espn/scoreboard/2025-26"); c.Expected != 2 || c.Present != 1 || c.Missing != 1 || c.MissingKeys[0].Item != "20251102" {
		t.Errorf("per date: %+v", c)
	}
	// per season months: only months begun (October to December)
	if c := get("bbref/schedule/2025-26"); c.Expected != 3 || c.Present != 2 {
		t.Errorf("months: expected %d present %d", c.Expected, c.Present)
	}
	// bbref ids: stored, or derived from the date and the home team's bbref code
	c := get("bbref/boxscores/2025-26")
	if c.Expected != 2 || c.Missing != 2 || c.Unresolved != 0 {
		t.Errorf("bbref ids: %+v", c)
	}
	items := map[string]bool{}
	for _, k := range c.MissingKeys {
		items[k.Item] = true
	}
	if !items["202511010BOS"] || !items["202511020PHO"] {
		t.Errorf("bbref missing items %v", items)
	}
	// per team season: the teams table
	if c := get("nba_stats/gamerotation/2025-26"); c.Expected != 1 || c.Present != 1 {
		t.Errorf("per team season: %+v", c)
	}
	// playoffs logs are not due in December of the season in progress
	if c := get("nba_stats/leaguegamelog/2025-26"); c.Expected != 1 {
		t.Errorf("game logs due in December: %d", c.Expected)
	}
	if c := get("nba_stats/leaguegamelog/2024-25"); c.Expected != 2 {
		t.Errorf("game logs of a past season: %d", c.Expected)
	}
	for _, c := range a.Cells {
		if c.Completeness < 0 || c.Completeness > 1 {
			t.Errorf("%s: completeness %v", c.ID(), c.Completeness)
		}
	}
}

// TestAnalyzeAlsoFrom: a game whose playbyplayv2 rows came from a bulk
// archive (archive/playbyplayv2) counts as present for nba_stats/playbyplayv2;
// a game in neither is missing; the archive's own cell only counts.
func TestAnalyzeAlsoFrom(t *testing.T) {
	t.Parallel()
	exp, err := ParseExpectations([]byte(`version: 1
datasets:
  - {source: nba_stats, dataset: playbyplayv2, enumeration: per_game_from_schedule, also_from: [archive/playbyplayv2]}
  - {source: archive, dataset: playbyplayv2, enumeration: none}
`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)
	scan := &ScanResult{Mode: "full", SampleRate: 1, Groups: map[string]*Group{}}
	add := func(src, ds, season string, items ...string) {
		g := &Group{Source: src, Dataset: ds, Season: season, Items: map[string]Entry{}}
		for _, it := range items {
			g.Items[it] = Entry{Size: 10, ModTime: now.Add(-time.Hour).Unix()}
		}
		scan.Groups[GroupKey(src, ds, season)] = g
	}
	add("nba_stats", "playbyplayv2", "2014-15", "0021400001")
	add("archive", "playbyplayv2", "2014-15", "0021400001", "0021400002")
	games := Schedule{"2014-15": {
		{GameID: "0021400001", Season: "2014-15", SeasonType: "regular", Date: "2014-10-28", Status: "final"},
		{GameID: "0021400002", Season: "2014-15", SeasonType: "regular", Date: "2014-10-28", Status: "final"},
		{GameID: "0021400003", Season: "2014-15", SeasonType: "regular", Date: "2014-10-28", Status: "final"},
	}}
	a := Analyze(Inputs{Expectations: exp, Seasons: []layout.Season{2014}, Current: 2025, Now: now, Schedule: games}, scan)
	var v2, arch *Cell
	for _, c := range a.Cells {
		switch c.ID() {
		case "nba_stats/playbyplayv2/2014-15":
			v2 = c
		case "archive/playbyplayv2/2014-15":
			arch = c
		}
	}
	// (the 3-game schedule is partial: 1,227 more games are counted, unnamed)
	if v2 == nil || v2.Expected != 1230 || v2.Present != 2 || v2.FromAlso != 1 || v2.Missing != 1228 || v2.Unnamed != 1227 ||
		len(v2.MissingKeys) != 1 || v2.MissingKeys[0].Item != "0021400003" {
		t.Fatalf("nba_stats/playbyplayv2: %+v", v2)
	}
	if arch == nil || arch.Expected != 0 || arch.Extra != 2 || arch.Completeness != 1 {
		t.Fatalf("archive/playbyplayv2: %+v", arch)
	}
	if _, err := ParseExpectations([]byte("version: 1\ndatasets:\n  - {source: nba_stats, dataset: playbyplayv2, enumeration: per_game_from_schedule, also_from: [bbref/boxscores]}\n")); err == nil || !strings.Contains(err.Error(), "another kind") {
		t.Errorf("also_from of another id kind: err = %v", err)
	}
}

// TestAnalyzePartialSchedule: a finished season whose stored schedule holds
// 3 of its 1,230 regular-season games is an estimate over the known count,
// not 100% of the 3; the games it lacks are counted as unnamed missing
// objects and planned as one unknown_keys gap, the named ones as missing.
func TestAnalyzePartialSchedule(t *testing.T) {
	t.Parallel()
	exp, err := ParseExpectations([]byte(`version: 1
datasets:
  - {source: nba_stats, dataset: playbyplayv2, enumeration: per_game_from_schedule, season_types: [regular]}
`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)
	scan := &ScanResult{Mode: "full", SampleRate: 1, Groups: map[string]*Group{GroupKey("nba_stats", "playbyplayv2", "2018-19"): {
		Source: "nba_stats", Dataset: "playbyplayv2", Season: "2018-19",
		Items: map[string]Entry{"0021800001": {Size: 10, ModTime: now.Unix()}, "0021800002": {Size: 10, ModTime: now.Unix()}}}}}
	games := Schedule{"2018-19": {
		{GameID: "0021800001", Season: "2018-19", SeasonType: "regular", Date: "2018-10-16", Status: "final"},
		{GameID: "0021800002", Season: "2018-19", SeasonType: "regular", Date: "2018-10-16", Status: "final"},
		{GameID: "0021800003", Season: "2018-19", SeasonType: "regular", Date: "2018-10-17", Status: "final"},
	}}
	full := Schedule{"2018-19": games["2018-19"]}
	run := func(s Schedule) *Cell {
		a := Analyze(Inputs{Expectations: exp, Seasons: []layout.Season{2018}, Current: 2025, Now: now, Schedule: s}, scan)
		return a.Cells[0]
	}
	c := run(games)
	if !c.SchedulePartial || !c.Estimated || c.ScheduleGames != 3 || c.ScheduleKnown != 1230 || c.Expected != 1230 ||
		c.Present != 2 || c.Missing != 1228 || c.Unnamed != 1227 || len(c.MissingKeys) != 1 {
		t.Fatalf("partial schedule: %+v", c)
	}
	gaps := Detect(&Analysis{Cells: []*Cell{c}}, ThresholdsFrom(config.Priorities{}), 2025, now)
	var kinds []string
	counts := 0
	for _, g := range gaps {
		kinds = append(kinds, string(g.Kind))
		counts += g.Count
		if g.Kind == GapUnknownKeys && (!strings.Contains(g.Reason, "holds 3 of 1230 regular-season games") || !g.Estimated) {
			t.Errorf("unknown_keys gap: %+v", g)
		}
	}
	if strings.Join(kinds, ",") != "missing,unknown_keys" || counts != 1228 {
		t.Errorf("gaps %v, %d objects; want missing (1) and unknown_keys (1,227)", kinds, counts)
	}
	// a whole schedule is exact
	for i := 4; i <= 1230; i++ {
		full["2018-19"] = append(full["2018-19"], Game{GameID: fmt.Sprintf("00218%05d", i), Season: "2018-19", SeasonType: "regular", Date: "2019-01-01", Status: "final"})
	}
	if c := run(full); c.SchedulePartial || c.Estimated || c.Expected != 1230 || c.Unnamed != 0 {
		t.Errorf("whole schedule: %+v", c)
	}
}
