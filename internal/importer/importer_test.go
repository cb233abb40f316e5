package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/testutil"
)

func newImporter(t *testing.T) *Importer {
	t.Helper()
	// Not t.TempDir(): a repeated subtest name puts "#01" in its path, which
	// a file:// URL reads as a fragment.
	dir, err := os.MkdirTemp("", "nbasim-importer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	lk, err := lake.Open(context.Background(), "file://"+dir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	return &Importer{Lake: lk, Registry: collect.Registry(nil)}
}

func TestImportSharedData(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	im := newImporter(t)
	im.SkipBulk = true // archive/legacy_pbp and game_info_all.jsonl.gz: TestImportBulkArchive, TestImportGameInfo
	ctx := context.Background()
	rep, err := im.Import(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", rep)
	want := map[string]int{
		"bbref/boxscores": 205, "bbref/schedule": 61, "espn/summary": 1, "espn/scoreboard": 1,
		"nba_live/playbyplay": 1, "nba_live/boxscore": 1, "nba_live/schedule": 1,
		"nba_stats/playbyplayv3": 1, "nba_stats/boxscoretraditionalv3": 1, "nba_stats/gamerotation": 1,
		"nba_stats/boxscoretraditionalv2": 3, "nba_stats/boxscoretraditionalv2_range": 2,
	}
	for k, n := range want {
		if rep.ByDataset[k] != n {
			t.Errorf("%s: adopted %d, want %d", k, rep.ByDataset[k], n)
		}
	}
	// 1,204 archived 2018-19 games + the per-game files (and originals).
	// 1,204 archived 2018-19 games, the other per-game files, 2 originals.
	if n := rep.ByDataset["nba_stats/playbyplayv2"]; n != 1354 {
		t.Errorf("playbyplayv2: adopted %d, want 1354", n)
	}
	// Every stats.nba.com recording of an endpoint of the catalog is
	// adopted: 120 datasets, the 1,354 playbyplayv2 counted below and the
	// 144 recordings of the other 119; the G League ones (another host)
	// and the altered fixtures are not.
	statsDatasets, statsAdopted := 0, 0
	for k, n := range rep.ByDataset {
		if strings.HasPrefix(k, "nba_stats/") {
			statsDatasets++
			statsAdopted += n
		}
	}
	if statsDatasets != 120 || statsAdopted != 1354+144 {
		t.Errorf("nba_stats: %d datasets, %d adopted; want 120 and 1,498", statsDatasets, statsAdopted)
	}
	by := rep.SkippedByReason()
	if by["stats.gleague.nba.com: host without a source"] != 6 || by["test fixture altered on purpose (rows swapped): not a server response"] != 2 {
		t.Errorf("turned away: %v", by)
	}
	for reason := range by {
		if strings.HasPrefix(reason, "stats.nba.com") {
			t.Errorf("a stats.nba.com recording turned away: %s (%d)", reason, by[reason])
		}
	}
	if n := rep.SkippedByReason()["bulk archive: not streamed (skip bulk archives)"]; n != 12 {
		t.Errorf("%d bulk archives listed as not streamed, want the 11 of archive/legacy_pbp and legacy_pbp/game_info_all.jsonl.gz", n)
	}
	for _, s := range rep.Skipped {
		if strings.HasPrefix(s.Reason, "invalid") {
			t.Errorf("recorded response rejected: %s: %s", s.Path, s.Reason)
		}
		if s.Reason == "" {
			t.Errorf("%s skipped without a reason", s.Path)
		}
	}
	// Every lake object's hash matches its bytes, with provenance.
	hist := 0
	err = im.Lake.Walk(ctx, "", func(o lake.Object) error {
		b, err := im.Lake.Read(ctx, o.Key)
		if err != nil {
			return err
		}
		st, err := im.Lake.Stat(ctx, o.Key)
		if err != nil {
			return err
		}
		if st.Meta.SHA256 != lake.SHA256(b) || st.Meta.Origin == "" || st.Meta.URL == "" {
			t.Errorf("%s: metadata %+v", o.Key, st.Meta)
		}
		if strings.HasPrefix(o.Key, lake.HistoryPrefix) {
			hist++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Second recordings of one URL are kept as earlier versions: two
	// .original.json play-by-plays, the full-page april 2019 schedule, the
	// other request of the 0021600270 time-window box.
	if hist != 4 {
		t.Errorf("%d earlier versions, want 4", hist)
	}
	rep2, err := im.Import(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Written != 0 || rep2.Adopted() != rep.Adopted() {
		t.Errorf("second import: written %d, adopted %d (first %d)", rep2.Written, rep2.Adopted(), rep.Adopted())
	}
}

func TestImportLegacyLayout(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	dir := t.TempDir()
	put := func(rel, from string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(data, from))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	summary := "espn/summary_401585607.json"
	put("espn_play_by_play/401585607.json", summary)
	put("espn_box_scores/401585607.json", summary)
	put("espn_team_stats/401585607.json", summary)
	put("pbp/401585607.json", summary) // older name
	put("espn_schedules/20241201.json", "espn/scoreboard_20241201.json")
	put("nba_api_incremental/2018-10-16/game_0021800001_pbp.json", "nba_stats/playbyplayv2/0021800001.json")
	put("nba_api_incremental/2023-01-06/game_0022200552_boxscore.json", "nba_stats/boxscoretraditionalv2/0022200552.json")
	put("nba_api_incremental/2018-10-16/game_0021800002_pbp.json", "nba_stats/playbyplayv2/0021800001.json") // another game's payload
	put("notes/readme.txt", "README.md")

	im := newImporter(t)
	ctx := context.Background()
	rep, err := im.Import(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", rep)
	want := map[string]string{
		"espn/summary/2023-24/401585607.json":                     summary,
		"espn/scoreboard/2024-25/20241201.json":                   "espn/scoreboard_20241201.json",
		"nba_stats/playbyplayv2/2018-19/0021800001.json":          "nba_stats/playbyplayv2/0021800001.json",
		"nba_stats/boxscoretraditionalv2/2022-23/0022200552.json": "nba_stats/boxscoretraditionalv2/0022200552.json",
	}
	for key, from := range want {
		got, err := im.Lake.Read(ctx, key)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		b, _ := os.ReadFile(filepath.Join(data, from))
		if lake.SHA256(got) != lake.SHA256(b) {
			t.Errorf("%s differs from %s", key, from)
		}
		st, _ := im.Lake.Stat(ctx, key)
		if !strings.HasPrefix(st.Meta.Origin, dir) {
			t.Errorf("%s: origin %q", key, st.Meta.Origin)
		}
	}
	if rep.Written != 4 || rep.Unchanged != 3 { // the summary's 3 other copies are identical
		t.Errorf("written %d unchanged %d, want 4 and 3", rep.Written, rep.Unchanged)
	}
	reasons := map[string]string{}
	for _, s := range rep.Skipped {
		reasons[filepath.Base(s.Path)] = s.Reason
	}
	if !strings.Contains(reasons["readme.txt"], "unrecognised") {
		t.Errorf("readme.txt: %q", reasons["readme.txt"])
	}
	if !strings.Contains(reasons["game_0021800002_pbp.json"], "invalid") {
		t.Errorf("wrong-game file: %q", reasons["game_0021800002_pbp.json"])
	}
	if ok, _ := im.Lake.Exists(ctx, "nba_stats/playbyplayv2/2018-19/0021800002.json"); ok {
		t.Error("an invalid file became a lake object")
	}
	rep2, err := im.Import(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Written != 0 {
		t.Errorf("second import wrote %d objects", rep2.Written)
	}

	// The same layout as a bucket (gocloud URL): the same objects.
	im2 := newImporter(t)
	rep3, err := im2.Import(ctx, "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Written != rep.Written || rep3.Unchanged != rep.Unchanged || len(rep3.Skipped) != len(rep.Skipped) {
		t.Errorf("bucket import: %s\nfolder import: %s", rep3, rep)
	}
	for key := range want {
		a, _ := im.Lake.Read(ctx, key)
		b, err := im2.Lake.Read(ctx, key)
		if err != nil || lake.SHA256(a) != lake.SHA256(b) {
			t.Errorf("%s: bucket import differs (%v)", key, err)
		}
	}
}
