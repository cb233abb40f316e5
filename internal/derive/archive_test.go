package derive

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestArchive2018MatchesJSONSeason: every 2018-19 game that both the bulk
// CSV archive (archive/legacy_pbp/2018-19.tar.zst) and the JSON season
// archive (seasons/2018-19/playbyplayv2.tar.gz) hold parses to the same
// events, players and teams, and derives the same box.
func TestArchive2018MatchesJSONSeason(t *testing.T) {
	dir := testutil.RealDataDir(t)
	if testing.Short() {
		t.Skip("2 x 1,204 games: skipped with -short")
	}
	jsonGames, jsonFails, err := LoadSeason(filepath.Join(dir, "seasons", "2018-19", "playbyplayv2.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	csvGames, csvFails, err := LoadSeason(filepath.Join(dir, "archive", "legacy_pbp", "2018-19.tar.zst"))
	if err != nil {
		t.Fatal(err)
	}
	if len(jsonFails) != 0 || len(csvFails) != 0 {
		t.Fatalf("parse failures: json %v csv %v", jsonFails, csvFails)
	}
	if len(jsonGames) != 1204 || len(csvGames) != 1284 {
		t.Fatalf("json %d games (want 1,204), csv %d (want 1,284)", len(jsonGames), len(csvGames))
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	both, events := 0, 0
	for id, jg := range jsonGames {
		cg, ok := csvGames[id]
		if !ok {
			continue // one of the games the data README keeps out of the bulk archive
		}
		both++
		events += len(cg.Events)
		if !reflect.DeepEqual(jg.Events, cg.Events) {
			n := min(len(jg.Events), len(cg.Events))
			for i := range n {
				if jg.Events[i] != cg.Events[i] {
					t.Errorf("%s: event %d differs:\n json %+v\n csv  %+v", id, i, jg.Events[i], cg.Events[i])
					break
				}
			}
			if len(jg.Events) != len(cg.Events) {
				t.Errorf("%s: %d events from JSON, %d from CSV", id, len(jg.Events), len(cg.Events))
			}
			continue
		}
		if !reflect.DeepEqual(jg.Players, cg.Players) || jg.Home != cg.Home || jg.Away != cg.Away || !reflect.DeepEqual(jg.Warnings, cg.Warnings) && len(jg.Warnings) != len(cg.Warnings) {
			t.Errorf("%s: players, teams or warnings differ", id)
		}
		jb, cb := pbp.Compile(jg, ov).Final(), pbp.Compile(cg, ov).Final()
		if !reflect.DeepEqual(jb, cb) {
			t.Errorf("%s: derived boxes differ", id)
		}
	}
	t.Logf("%d games in both archives, %d events, all equal", both, events)
	if both != 1204 {
		t.Errorf("%d games in both archives, want 1,204", both)
	}
}

// TestVerifySeason2018FromBulkArchive derives every regular-season game of
// the bulk CSV archive and compares the team totals with the official team
// game log (the same check as TestVerifySeason2018 on the JSON archive).
func TestVerifySeason2018FromBulkArchive(t *testing.T) {
	dir := testutil.RealDataDir(t)
	if testing.Short() {
		t.Skip("1,284 games: skipped with -short")
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	sf := DefaultSeason(dir)
	sf.PBPArchive = filepath.Join(dir, "archive", "legacy_pbp", "2018-19.tar.zst")
	rep, err := VerifySeason(context.Background(), sf, Options{Overrides: ov})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	t.Logf("games %d failed %d degraded %d team pts %.4f totals %.4f grades %v; not in the archive %d", s.Games, s.Failed, s.Degraded, s.TeamPointsExactShare, s.TeamTotalsExactShare, s.Grades, len(rep.Skipped))
	for _, g := range rep.Games {
		for _, d := range g.Diffs {
			t.Logf("%s %s %s %s: derived %d official %d (%s)", g.GameID, d.Side, d.Name, d.Stat, d.Derived, d.Expected, d.Cause)
		}
	}
	if s.Failed != 0 || s.TeamPointsExact != s.Games || s.Games+len(rep.Skipped) != 1230 {
		t.Errorf("%d games (+%d not in the archive), %d failed, team points exact in %d", s.Games, len(rep.Skipped), s.Failed, s.TeamPointsExact)
	}
}

// archiveGame parses one game of a bulk season archive.
func archiveGame(t *testing.T, season, id string) *model.Game {
	t.Helper()
	dir := testutil.RealDataDir(t)
	var g *model.Game
	member := strings.TrimPrefix(id, "00") + ".csv"
	err := EachArchiveGame(filepath.Join(dir, "archive", "legacy_pbp", season+".tar.zst"), func(name string, data []byte) error {
		if name != member {
			return nil
		}
		var err error
		g, err = parseV2(data, name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if g == nil {
		t.Fatalf("%s not in the %s archive", id, season)
	}
	return g
}

// TestArchiveQuirksOnRealGames: the quirk rules the older seasons of the
// bulk archive need, each on a real game whose final score (game_info,
// swapped back; basketball-reference agrees) it makes exact.
func TestArchiveQuirksOnRealGames(t *testing.T) {
	t.Parallel()
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rule, season, game string
		home, away         int
	}{
		// "Free Throw 2 of 2" with no shooter, no MISS, no points: a miss
		{pbp.RuleFTUnmarkedMiss, "2014-15", "0021400072", 112, 103},
		{pbp.RuleFTUnmarkedMiss, "2014-15", "0041400235", 124, 103},
	} {
		t.Run(tc.rule+"/"+tc.game, func(t *testing.T) {
			t.Parallel()
			c := pbp.Compile(archiveGame(t, tc.season, tc.game), ov)
			b := c.Final()
			if b.Home.PTS != tc.home || b.Away.PTS != tc.away {
				t.Errorf("final %d-%d, want %d-%d", b.Home.PTS, b.Away.PTS, tc.home, tc.away)
			}
			applied := false
			for _, n := range c.Notes {
				applied = applied || n.Rule == tc.rule
			}
			if !applied {
				t.Errorf("rule %s not applied", tc.rule)
			}
		})
	}
}
