package importer

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/testutil"
)

// legacyCases: one real recording of ../shared/data per prefix of the
// nba_simulator bucket, placed under its legacy key, and the nbasim key it
// must be adopted under. The data holds no hoopR or Kaggle file: the CSV
// prefixes get a real CSV of another origin (the byte-identical path is the
// same); Parquet and SQLite get the smallest files with their magic bytes
// (synthetic, said so by a nil file).
var legacyCases = []struct {
	legacy, file, want string
	body               []byte // when file is ""
}{
	{"espn_play_by_play/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"espn_box_scores/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"espn_team_stats/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"pbp/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"box_scores/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"team_stats/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"nba_pbp/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"nba_box_score/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"nba_team_stats/401585607.json", "espn/summary_401585607.json", "espn/summary/2023-24/401585607.json", nil},
	{"espn_schedules/20241201.json", "espn/scoreboard_20241201.json", "espn/scoreboard/2024-25/20241201.json", nil},
	{"schedule/20241201.json", "espn/scoreboard_20241201.json", "espn/scoreboard/2024-25/20241201.json", nil},
	{"nba_schedule_json/20241201.json", "espn/scoreboard_20241201.json", "espn/scoreboard/2024-25/20241201.json", nil},
	{"nba_api_comprehensive/boxscores_traditional/traditional_0022200552.json", "nba_stats/boxscoretraditionalv2/0022200552.json", "nba_stats/boxscoretraditionalv2/2022-23/0022200552.json", nil},
	{"nba_api_comprehensive/boxscores_advanced/advanced_0022200552.json", "nba_stats/boxscoreadvancedv3/0022200552.json", "nba_stats/boxscoreadvancedv3/2022-23/0022200552.json", nil},
	{"nba_api_comprehensive/play_by_play/playbyplay_0021800001.json", "nba_stats/playbyplayv2/0021800001.json", "nba_stats/playbyplayv2/2018-19/0021800001.json", nil},
	{"nba_api_comprehensive/hustle/hustle_0022200552.json", "nba_stats/hustlestatsboxscore/0022200552.json", "nba_stats/hustlestatsboxscore/2022-23/0022200552.json", nil},
	{"nba_api_comprehensive/shot_charts/shotchart_0021900001.json", "nba_stats/shotchartdetail/0021900001_TeamID-1610612740.json", "nba_stats/shotchartdetail/2019-20/0021900001.json", nil},
	{"nba_api_comprehensive/tracking/leaguedashptstats_2025-26.json", "nba_stats/leaguedashptstats/PerMode-Totals_PlayerOrTeam-Team_PtMeasureType-SpeedDistance_Season-2025-26_SeasonType-Regular+Season.json", "nba_stats/leaguedashptstats/2025-26/default.json", nil},
	{"nba_api_comprehensive/league_dashboards/leaguedashplayerstats_2025-26.json", "nba_stats/leaguedashplayerstats/MeasureType-Base_PerMode-Totals_Season-2025-26_SeasonType-Regular+Season.json", "nba_stats/leaguedashplayerstats/2025-26/default.json", nil},
	{"nba_api_comprehensive/team_stats/2024-25/Base.json", "nba_stats/leaguedashteamstats/MeasureType-Base_PerMode-PerGame_Season-2024-25_SeasonType-Regular+Season.json", "nba_stats/leaguedashteamstats/2024-25/default.json", nil},
	{"nba_api_comprehensive/team_dashboards/2025-26/1610612739.json", "nba_stats/teamdashboardbygeneralsplits/MeasureType-Base_PerMode-Totals_Season-2025-26_SeasonType-Regular+Season_TeamID-1610612739.json", "nba_stats/teamdashboardbygeneralsplits/2025-26/1610612739.json", nil},
	{"nba_api_comprehensive/player_stats/2025-26/1628378.json", "nba_stats/playerdashboardbygeneralsplits/MeasureType-Base_PerMode-Totals_PlayerID-1628378_Season-2025-26_SeasonType-Regular+Season.json", "nba_stats/playerdashboardbygeneralsplits/2025-26/1628378.json", nil},
	{"nba_api_playbyplay/play_by_play/play_by_play_0021800001.json", "nba_stats/playbyplayv2/0021800001.json", "nba_stats/playbyplayv2/2018-19/0021800001.json", nil},
	{"nba_api_incremental/2018-10-16/game_0021800001_pbp.json", "nba_stats/playbyplayv2/0021800001.json", "nba_stats/playbyplayv2/2018-19/0021800001.json", nil},
	{"nba_api_incremental/2023-01-06/game_0022200552_boxscore.json", "nba_stats/boxscoretraditionalv2/0022200552.json", "nba_stats/boxscoretraditionalv2/2022-23/0022200552.json", nil},
	{"basketball_reference/schedules/2018/schedule.json", "bbref/scraper_outputs/2018_season_schedule.json", "bbref/schedule_json/2017-18/schedule.json", nil},
	{"basketball_reference/season_totals/2001/player_season_totals.json", "bbref/scraper_outputs/player_season_totals_2001.json", "bbref/season_totals_json/2000-01/player_season_totals.json", nil},
	{"basketball_reference/advanced_totals/2016/player_advanced_totals.json", "bbref/scraper_outputs/player_advanced_season_totals_2016.json", "bbref/advanced_totals_json/2015-16/player_advanced_totals.json", nil},
	{"basketball_reference/standings/2019/standings.json", "bbref/scraper_outputs/2019_standings.json", "bbref/standings_json/2018-19/standings.json", nil},
	{"basketball_reference/player_box_scores/2001/2001-01-01_player_box_scores.json", "bbref/scraper_outputs/2001_01_01_player_box_scores.json", "bbref/player_box_scores_json/2000-01/20010101.json", nil},
	{"basketball_reference/team_box_scores/2018/2018-01-01_team_box_scores.json", "bbref/scraper_outputs/2018_01_01_team_box_scores.json", "bbref/team_box_scores_json/2017-18/20180101.json", nil},
	{"basketball_reference/pbp/2018/201810160BOS_pbp.json", "bbref/pbp_parsed/2018_10_16_BOS_pbp.json", "bbref/pbp_json/2018-19/201810160BOS.json", nil},
	{"basketball_reference/play_by_play/2019/2018-10-16_BOS_play_by_play.json", "bbref/pbp_parsed/2018_10_16_BOS_pbp.json", "bbref/play_by_play_json/2018-19/20181016_BOS.json", nil},
	{"hoopr_phase1/bulk_pbp/pbp_2019.csv", "bbref/pbp_parsed/2018_10_16_BOS_pbp.csv", "hoopr/bulk_pbp/2018-19/pbp.csv", nil},
	{"hoopr_phase1/league_dashboards/player_stats_2019.csv", "legacy_pbp/samples/date_sample.csv", "hoopr/league_dashboards/2018-19/player_stats.csv", nil},
	{"hoopr_parquet/play_by_play/nba_data_2019.parquet", "", "hoopr/play_by_play/2018-19/nba_data.parquet", []byte("PAR1\x15\x00PAR1")},
	{"hoopr_incremental/2024-03-17/game_401585607_pbp.json", "espn/summary_401585607.json", "hoopr/incremental_pbp/2023-24/401585607.json", nil},
	{"kaggle/basketball/csv/game.csv", "legacy_pbp/samples/date_sample.csv", "kaggle/csv/all/game.csv", nil},
	{"kaggle/basketball/play_by_play/part_0001.csv", "legacy_pbp/samples/rotation_sample.csv", "kaggle/play_by_play_parts/all/part_0001.csv", nil},
	{"kaggle/basketball/nba.sqlite", "", "kaggle/sqlite/all/nba.sqlite", append([]byte("SQLite format 3\x00"), make([]byte, 84)...)},
}

// TestImportLegacyPrefixes: each legacy prefix, with a real recording under
// its legacy key, is adopted byte-identical under its nbasim key, with the
// legacy key as provenance; a second import writes nothing.
func TestImportLegacyPrefixes(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	for _, tc := range legacyCases {
		t.Run(tc.legacy, func(t *testing.T) {
			t.Parallel()
			body := tc.body
			if tc.file != "" {
				b, err := os.ReadFile(filepath.Join(data, tc.file))
				if err != nil {
					t.Fatal(err)
				}
				body = b
			}
			// Not t.TempDir(): this subtest's name repeats, and the "#01"
			// of its path reads as a fragment in the file:// URL.
			src, err := os.MkdirTemp("", "nbasim-legacy-src-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(src) })
			p := filepath.Join(src, filepath.FromSlash(tc.legacy))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, body, 0o644); err != nil {
				t.Fatal(err)
			}
			im := newImporter(t)
			im.Profile = layout.NBASimulator
			ctx := context.Background()
			rep, err := im.Import(ctx, "file://"+src)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Written != 1 || len(rep.Skipped) != 0 {
				t.Fatalf("import: %s (skipped %v)", rep, rep.Skipped)
			}
			got, err := im.Lake.Read(ctx, tc.want)
			if err != nil {
				t.Fatalf("%s not adopted as %s: %v\n%s", tc.legacy, tc.want, err, rep)
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("%s: adopted bytes differ (%d vs %d)", tc.want, len(got), len(body))
			}
			st, err := im.Lake.Stat(ctx, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(st.Meta.Origin, "/"+tc.legacy) || st.Meta.SHA256 != lake.SHA256(body) {
				t.Fatalf("%s: origin %q sha256 %q; want the legacy key %s and the bytes' sha256", tc.want, st.Meta.Origin, st.Meta.SHA256, tc.legacy)
			}
			rep2, err := im.Import(ctx, "file://"+src)
			if err != nil {
				t.Fatal(err)
			}
			if rep2.Written != 0 || rep2.Unchanged != 1 {
				t.Fatalf("second import: %s", rep2)
			}
		})
	}
}

// TestImportLegacyRejects: what is not adopted, and why; nothing lost.
func TestImportLegacyRejects(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	files := map[string]string{
		"espn_play_by_play/401585607.json":                    `{"neither":"summary nor page"}`,
		"hoopr_parquet/play_by_play/nba_data_2019.parquet":    "not parquet",
		"kaggle/basketball/nba.sqlite":                        "not sqlite",
		"nba_api_comprehensive/hustle/hustle_0022200552.json": `{"parameters":{"GameID":"0022200553"},"resultSets":[]}`,
		"misc/readme.txt":                                     "notes",
		"scripts/etl/run.py":                                  "print()",
	}
	for k, v := range files {
		p := filepath.Join(src, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im := newImporter(t)
	im.Profile = layout.NBASimulator
	rep, err := im.Import(context.Background(), "file://"+src)
	if err != nil {
		t.Fatal(err)
	}
	why := map[string]string{}
	for _, s := range rep.Skipped {
		why[s.Path] = s.Reason
	}
	want := map[string]string{
		"espn_play_by_play/401585607.json":                    "neither an ESPN API summary",
		"hoopr_parquet/play_by_play/nba_data_2019.parquet":    "not a Parquet file",
		"kaggle/basketball/nba.sqlite":                        "not a SQLite database",
		"nba_api_comprehensive/hustle/hustle_0022200552.json": "payload is for game 0022200553",
		"misc/readme.txt":                                     "not in the nba_simulator layout",
	}
	for k, w := range want {
		if !strings.Contains(why[k], w) {
			t.Errorf("%s: reason %q, want %q", k, why[k], w)
		}
	}
	if rep.Written != 0 || len(rep.Skipped) != len(want) || rep.NotData["scripts/"] != 1 || rep.Files != len(files) {
		t.Errorf("report %s; skipped %d, not data %v", rep, len(rep.Skipped), rep.NotData)
	}
}

// TestImportLegacyS3ServerSideCopy: between two buckets (here two prefixes
// of one bucket) of one S3 endpoint, adopted objects are copied on the
// server, byte-identical, with provenance metadata.
func TestImportLegacyS3ServerSideCopy(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	u := testutil.S3URL(t)
	ctx := context.Background()
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	run := hex.EncodeToString(rnd[:])
	src, err := lake.Open(ctx, u, "legacy-"+run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	dst, err := lake.Open(ctx, u, "own-"+run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	t.Cleanup(func() { emptyLake(t, src); emptyLake(t, dst) })
	cases := legacyCases[:3]
	cases = append(cases, legacyCases[len(legacyCases)-1])
	for _, tc := range cases {
		body := tc.body
		if tc.file != "" {
			if body, err = os.ReadFile(filepath.Join(data, tc.file)); err != nil {
				t.Fatal(err)
			}
		}
		if err := src.Put(ctx, tc.legacy, body, lake.Meta{Source: "nba_simulator"}); err != nil {
			t.Fatal(err)
		}
	}
	im := &Importer{Lake: dst, Registry: collect.Registry(nil), Profile: layout.NBASimulator, SourcePrefix: "legacy-" + run}
	rep, err := im.Import(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	// three names of one summary: one object, written by a server-side copy
	if rep.Written != 2 || rep.Unchanged != 2 || rep.ServerCopies != 2 {
		t.Fatalf("import: %s", rep)
	}
	// of one game's names, the first in key order is written, the others
	// are the same bytes
	for tc, origin := range map[int]string{0: "espn_box_scores/401585607.json", len(cases) - 1: cases[len(cases)-1].legacy} {
		c := cases[tc]
		want, _ := src.Read(ctx, c.legacy)
		got, err := dst.Read(ctx, c.want)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v (%d vs %d bytes)", c.want, err, len(got), len(want))
		}
		st, err := dst.Stat(ctx, c.want)
		if err != nil || st.Meta.SHA256 != lake.SHA256(want) || !strings.HasSuffix(st.Meta.Origin, "legacy-"+run+"/"+origin) {
			t.Fatalf("%s: meta %+v %v", c.want, st.Meta, err)
		}
	}
	rep2, err := im.Import(ctx, u)
	if err != nil || rep2.Written != 0 {
		t.Fatalf("second import: %s %v", rep2, err)
	}
}

// TestImportLegacyKaggleSplit: the Kaggle dump's play_by_play table (a
// CSV of many games with the playbyplayv2 columns; here three real games of
// the 2018-19 archive) is adopted whole and routed through the bulk-archive
// path: one archive/playbyplayv2 object per game, byte-identical to the
// game's rows, with the legacy object as provenance.
func TestImportLegacyKaggleSplit(t *testing.T) {
	t.Parallel()
	real := realMembers(t, "2018-19", "21800001.csv", "21800003.csv", "41800101.csv")
	var many bytes.Buffer
	many.Write(real["21800001.csv"])
	for _, n := range []string{"21800003.csv", "41800101.csv"} {
		b := real[n]
		many.Write(b[bytes.IndexByte(b, '\n')+1:])
	}
	src := t.TempDir()
	p := filepath.Join(src, "kaggle", "basketball", "csv", "play_by_play.csv")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, many.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	im := newImporter(t)
	im.Profile = layout.NBASimulator
	ctx := context.Background()
	rep, err := im.Import(ctx, "file://"+src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 4 || rep.ByDataset["kaggle/csv"] != 1 || rep.ByDataset["archive/playbyplayv2"] != 3 || len(rep.Skipped) != 0 {
		t.Fatalf("import: %s %v", rep, rep.Skipped)
	}
	whole, err := im.Lake.Read(ctx, "kaggle/csv/all/play_by_play.csv")
	if err != nil || !bytes.Equal(whole, many.Bytes()) {
		t.Fatalf("the whole table: %v", err)
	}
	for name, key := range map[string]string{"21800001.csv": "archive/playbyplayv2/2018-19/0021800001.csv",
		"41800101.csv": "archive/playbyplayv2/2018-19/0041800101.csv"} {
		got, err := im.Lake.Read(ctx, key)
		if err != nil || !bytes.Equal(got, real[name]) {
			t.Fatalf("%s: %v (%d vs %d bytes)", key, err, len(got), len(real[name]))
		}
		st, _ := im.Lake.Stat(ctx, key)
		if !strings.Contains(st.Meta.Origin, "kaggle/basketball/csv/play_by_play.csv:") {
			t.Errorf("%s: origin %q", key, st.Meta.Origin)
		}
	}
	rep2, err := im.Import(ctx, "file://"+src)
	if err != nil || rep2.Written != 0 {
		t.Fatalf("second import: %s %v", rep2, err)
	}
}

// TestImportKeys: an import task adopts the keys it lists, and only them;
// a key gone from the bucket is reported; a rerun writes nothing.
func TestImportKeys(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	src := t.TempDir()
	for _, tc := range legacyCases[:2] {
		b, err := os.ReadFile(filepath.Join(data, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(src, filepath.FromSlash(tc.legacy))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im := newImporter(t)
	im.Profile = layout.NBASimulator
	ctx := context.Background()
	keys := []string{legacyCases[0].legacy, "espn_play_by_play/401585608.json"}
	rep, err := im.ImportKeys(ctx, "file://"+src, keys)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 1 || len(rep.Skipped) != 1 || rep.Skipped[0].Reason != "no longer in the bucket" || rep.Files != 2 {
		t.Fatalf("ImportKeys: %s %v", rep, rep.Skipped)
	}
	rep2, err := im.ImportKeys(ctx, "file://"+src, keys[:1])
	if err != nil || rep2.Written != 0 || rep2.Unchanged != 1 {
		t.Fatalf("rerun: %s %v", rep2, err)
	}
}

// TestImportLegacySameRankCopies: two names of the same rank for one item
// (nba_api_comprehensive's league_dashboards/ and team_stats/ both hold
// leaguedashteamstats of a season), with different bytes: the copy under
// the smaller key (the one reconciliation's scan keeps, preferOrigin) is
// current and the other is kept as an earlier version, counted as
// archived; a second import writes nothing.
func TestImportLegacySameRankCopies(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	body, err := os.ReadFile(filepath.Join(data, "nba_stats", "leaguedashteamstats", "MeasureType-Base_PerMode-PerGame_Season-2024-25_SeasonType-Regular+Season.json"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	first, second := "nba_api_comprehensive/league_dashboards/leaguedashteamstats_2024-25.json", "nba_api_comprehensive/team_stats/2024-25/Base.json"
	other := append(append([]byte(nil), body...), '\n') // another fetch of the same request
	for k, b := range map[string][]byte{first: body, second: other} {
		p := filepath.Join(src, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if layout.LegacyRank(first) != layout.LegacyRank(second) {
		t.Fatalf("the two names have ranks %d and %d: not the case under test", layout.LegacyRank(first), layout.LegacyRank(second))
	}
	im := newImporter(t)
	im.Profile = layout.NBASimulator
	ctx := context.Background()
	rep, err := im.Import(ctx, "file://"+src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 2 || rep.Archived != 1 || len(rep.Skipped) != 0 {
		t.Fatalf("import: %s (archived %d, skipped %v); want 2 written, 1 kept as an earlier version", rep, rep.Archived, rep.Skipped)
	}
	const key = "nba_stats/leaguedashteamstats/2024-25/default.json"
	st, err := im.Lake.Stat(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(st.Meta.Origin, "/"+first) || st.Meta.SHA256 != lake.SHA256(body) {
		t.Errorf("current %s: origin %q; want the copy of %s", key, st.Meta.Origin, first)
	}
	if ok, err := im.Lake.Exists(ctx, lake.HistoryKey(key, lake.SHA256(other))); err != nil || !ok {
		t.Errorf("the copy of %s is not an earlier version of %s (%v)", second, key, err)
	}
	rep2, err := im.Import(ctx, "file://"+src)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Written != 0 || rep2.Unchanged != 2 {
		t.Fatalf("second import: %s", rep2)
	}
}
