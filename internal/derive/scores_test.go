package derive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/testutil"
)

// TestReadGameInfoScores: the archive's game_info scores are swapped in the
// source and swapped back here. 0021800001: BOS (home) 105, PHI 87 (INDEX
// and basketball-reference); game_info says homeTeam Celtics 87.
func TestReadGameInfoScores(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	all, err := ReadGameInfoScores(filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 15000 {
		t.Fatalf("%d games with scores, want >= 15,000 of the 15,352 lines", len(all))
	}
	g := all["0021800001"]
	if g.Home != 105 || g.Away != 87 || g.Date != "2018-10-16" {
		t.Fatalf("0021800001: %+v, want home 105 away 87", g)
	}
	folder, err := ReadGameInfoScores(filepath.Join(data, "legacy_pbp", "game_info"))
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range folder {
		if a, ok := all[id]; ok && (a.Home != s.Home || a.Away != s.Away) {
			t.Errorf("%s: folder %d-%d, jsonl %d-%d", id, s.Home, s.Away, a.Home, a.Away)
		}
	}
	// every INDEX game's home score (basketball-reference) equals the swapped-back one
	games, err := ReadIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ig := range games {
		s, ok := all[ig.GameID]
		if !ok || ig.HomePts == 0 {
			continue
		}
		checked++
		if s.Home != ig.HomePts || s.Away != ig.AwayPts {
			t.Errorf("%s: game_info swapped back %d-%d, INDEX %d-%d", ig.GameID, s.Home, s.Away, ig.HomePts, ig.AwayPts)
		}
	}
	if checked < 100 {
		t.Errorf("only %d INDEX games checked", checked)
	}
}

func TestReadGameInfoScoresErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "gi.jsonl")
	os.WriteFile(bad, []byte("{\"file\":\"game_info/21800001.json\",\"content\":{\"game_id\":\"21800001\"}}\nnot json\n"), 0o644)
	if _, err := ReadGameInfoScores(bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: err = %v", err)
	}
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, []byte("{\"file\":\"x\",\"content\":{\"game_id\":\"21800001\"}}\n"), 0o644)
	if _, err := ReadGameInfoScores(empty); err == nil || !strings.Contains(err.Error(), "no game with a final score") {
		t.Errorf("no scores: err = %v", err)
	}
}
