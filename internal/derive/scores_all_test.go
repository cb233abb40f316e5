package derive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestArchiveFinalScores derives every game of bulk archive seasons from
// their members and compares the final scores with game_info (swapped
// back). CI runs 2014-15 (the oldest quirks); NBASIM_ARCHIVE_SEASONS=all
// runs the 11 seasons (scripts/archive-full.sh). Every game derives a box;
// the misses are the ones listed in docs/archive.md, each explained.
func TestArchiveFinalScores(t *testing.T) {
	data := testutil.RealDataDir(t)
	if testing.Short() {
		t.Skip("a season of games: skipped with -short")
	}
	ref, err := ReadGameInfoScores(filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
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
			t.Logf("  miss %s derived %d-%d game_info %d-%d %s", m.GameID, m.DerivedHome, m.DerivedAway, m.RefHome, m.RefAway, m.Error)
		}
		total.Games += rep.Games
		total.Derived += rep.Derived
		total.Failed += rep.Failed
		total.WithRef += rep.WithRef
		total.Exact += rep.Exact
		total.Misses = append(total.Misses, rep.Misses...)
	}
	if total.Failed != 0 || total.Derived != total.Games {
		t.Errorf("%d of %d games did not derive a box", total.Failed, total.Games)
	}
	if rate := share(total.Exact, total.WithRef); rate < 0.999 {
		t.Errorf("final score exact in %.4f of %d games, want >= 0.999", rate, total.WithRef)
	}
	fmt.Fprintf(os.Stderr, "archive final scores: %d games, exact %d/%d\n", total.Games, total.Exact, total.WithRef)
}
