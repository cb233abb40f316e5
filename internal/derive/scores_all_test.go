package derive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestArchiveFinalScores derives every game of bulk archive seasons from
// their members and compares the final scores with game_info (swapped
// back). CI runs 2014-15 (the oldest quirks); NBASIM_ARCHIVE_SEASONS=all
// runs the 11 seasons (scripts/archive-full.sh). Every game derives a box;
// the misses are exactly the entries of gameinfo_errata.yaml.
func TestArchiveFinalScores(t *testing.T) {
	data := testutil.RealDataDir(t)
	if testing.Short() {
		t.Skip("a season of games: skipped with -short")
	}
	ref, ov := gameInfoAndOverrides(t, data)
	seasons := []string{"2014-15"}
	if v := os.Getenv("NBASIM_ARCHIVE_SEASONS"); v == "all" {
		seasons = []string{"2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2024-25"}
	} else if v != "" {
		seasons = strings.Split(v, ",")
	}
	total := &ScoreReport{Name: "archive"}
	for _, s := range seasons {
		rep, err := VerifyArchiveScores(context.Background(), filepath.Join(data, "archive", "legacy_pbp", s+".tar.zst"), ref, ov, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: games %d derived %d failed %d degraded %d exact %d/%d misses %d", s, rep.Games, rep.Derived, rep.Failed, rep.Degraded, rep.Exact, rep.WithRef, len(rep.Misses))
		for _, m := range rep.Misses {
			t.Logf("  miss %s derived %d-%d game_info %d-%d %s%s", m.GameID, m.DerivedHome, m.DerivedAway, m.RefHome, m.RefAway, m.Error, m.Explanation)
		}
		total.Games += rep.Games
		total.Derived += rep.Derived
		total.Failed += rep.Failed
		total.WithRef += rep.WithRef
		total.Exact += rep.Exact
		total.Explained += rep.Explained
		total.ErrataNoSecondSource += rep.ErrataNoSecondSource
		total.Misses = append(total.Misses, rep.Misses...)
		total.NoRef = append(total.NoRef, rep.NoRef...)
	}
	if total.Failed != 0 || total.Derived != total.Games {
		t.Errorf("%d of %d games did not derive a box", total.Failed, total.Games)
	}
	// exact figures: the misses are the errata of these seasons (each
	// matched: same reference, same derived score), the games without a
	// reference are the ones without a game_info file
	errata, err := GameInfoErrata()
	if err != nil {
		t.Fatal(err)
	}
	inRun := map[string]bool{}
	for _, s := range seasons {
		inRun[s] = true
	}
	wantMisses, wantNoRef := 0, []string{}
	for id := range errata {
		if inRun[seasonOf(t, id)] {
			wantMisses++
		}
	}
	if inRun["2014-15"] {
		wantNoRef = append(wantNoRef, "0021400968") // no game_info file (docs/archive.md)
	}
	if len(total.Misses) != wantMisses || total.Explained+total.ErrataNoSecondSource != wantMisses {
		t.Errorf("%d misses, %d of them in gameinfo_errata.yaml; want the %d errata of these seasons", len(total.Misses), total.Explained+total.ErrataNoSecondSource, wantMisses)
	}
	if strings.Join(total.NoRef, ",") != strings.Join(wantNoRef, ",") {
		t.Errorf("games without a reference %v, want %v", total.NoRef, wantNoRef)
	}
	if total.Exact != total.WithRef-wantMisses || total.WithRef != total.Games-len(wantNoRef) {
		t.Errorf("exact %d of %d (games %d), want %d of %d", total.Exact, total.WithRef, total.Games, total.WithRef-wantMisses, total.Games-len(wantNoRef))
	}
	if len(seasons) == 11 && (total.Games != 14061 || total.Exact != 14054 || total.WithRef != 14060 || total.Explained != 6 || total.ErrataNoSecondSource != 0) {
		t.Errorf("all seasons: games %d exact %d/%d explained %d errata without a second source %d; want 14,061, 14,054/14,060, 6, 0",
			total.Games, total.Exact, total.WithRef, total.Explained, total.ErrataNoSecondSource)
	}
	if rate := share(total.Exact, total.WithRef); rate < 0.999 {
		t.Errorf("final score exact in %.4f of %d games, want >= 0.999", rate, total.WithRef)
	}
	fmt.Fprintf(os.Stderr, "archive final scores: %d games, exact %d/%d, misses explained by a second source %d, with play-by-play evidence only %d, no reference %d\n",
		total.Games, total.Exact, total.WithRef, total.Explained, total.ErrataNoSecondSource, len(total.NoRef))
}

func seasonOf(t *testing.T, gameID string) string {
	t.Helper()
	s, err := layout.SeasonOfGameID(gameID)
	if err != nil {
		t.Fatal(err)
	}
	return s.String()
}
