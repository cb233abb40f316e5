package layout

import (
	"errors"
	"strings"
	"testing"
)

func TestNBASimulatorProfile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key     string
		want    string // nbasim key
		notData string // a *NotDataError with this prefix
		unknown string // a *ParseError containing this
	}{
		{key: "espn_play_by_play/401610914.json", want: "espn/playbyplay/2023-24/401610914.json"},
		{key: "pbp/401610914.json", want: "espn/playbyplay/2023-24/401610914.json"},
		{key: "nba_pbp/401585607.json", want: "espn/playbyplay/2023-24/401585607.json"},
		{key: "espn_box_scores/131105001.json", want: "espn/boxscore/1993-94/131105001.json"},
		{key: "box_scores/box_score_290101009.json", want: "espn/boxscore/2008-09/290101009.json"},
		{key: "espn_team_stats/400489001.json", want: "espn/matchup/2013-14/400489001.json"},
		{key: "team_stats/401705000.json", want: "espn/matchup/2024-25/401705000.json"},
		{key: "espn_schedules/19930825.json", want: "espn/scoreboard/1993-94/19930825.json"},
		{key: "schedule/20250630.json", want: "espn/scoreboard/2024-25/20250630.json"},
		{key: "nba_schedule_json/20200815.json", want: "espn/scoreboard/2019-20/20200815.json"},
		{key: "nba_api_comprehensive/boxscores_advanced/advanced_0022300001.json", want: "nba_stats/boxscoreadvancedv2/2023-24/0022300001.json"},
		{key: "nba_api_comprehensive/boxscores_traditional/traditional_0042300101.json", want: "nba_stats/boxscoretraditionalv2/2023-24/0042300101.json"},
		{key: "nba_api_comprehensive/play_by_play/playbyplay_0020100001.json", want: "nba_stats/playbyplayv2/2001-02/0020100001.json"},
		{key: "nba_api_comprehensive/hustle/hustle_0022200552.json", want: "nba_stats/hustlestatsboxscore/2022-23/0022200552.json"},
		{key: "nba_api_comprehensive/shot_charts/shotchart_0021900001.json", want: "nba_stats/shotchartdetail/2019-20/0021900001.json"},
		{key: "nba_api_comprehensive/tracking/leaguedashptstats_2023-24.json", want: "nba_stats/leaguedashptstats/2023-24/default.json"},
		{key: "nba_api_comprehensive/league_dashboards/leaguedashplayerstats_2005-06.json", want: "nba_stats/leaguedashplayerstats/2005-06/default.json"},
		{key: "nba_api_comprehensive/team_stats/2023-24/Advanced.json", want: "nba_stats/leaguedashteamstats/2023-24/default_MeasureType-Advanced.json"},
		{key: "nba_api_comprehensive/team_dashboards/2023-24/1610612747.json", want: "nba_stats/teamdashboardbygeneralsplits/2023-24/1610612747.json"},
		{key: "nba_api_comprehensive/player_stats/2023-24/2544.json", want: "nba_stats/playerdashboardbygeneralsplits/2023-24/2544.json"},
		{key: "nba_api_playbyplay/play_by_play/play_by_play_0029600001.json", want: "nba_stats/playbyplayv2/1996-97/0029600001.json"},
		{key: "nba_api_incremental/2025-10-22/game_0022500001_boxscore.json", want: "nba_stats/boxscoretraditionalv2/2025-26/0022500001.json"},
		{key: "basketball_reference/schedules/2018/schedule.json", want: "bbref/schedule_json/2017-18/schedule.json"},
		{key: "basketball_reference/season_totals/2001/player_season_totals.json", want: "bbref/season_totals_json/2000-01/player_season_totals.json"},
		{key: "basketball_reference/standings/2019/standings.json", want: "bbref/standings_json/2018-19/standings.json"},
		{key: "basketball_reference/advanced_totals/2016/player_advanced_totals.json", want: "bbref/advanced_totals_json/2015-16/player_advanced_totals.json"},
		{key: "basketball_reference/player_box_scores/2001/2001-01-01_player_box_scores.json", want: "bbref/player_box_scores_json/2000-01/20010101.json"},
		{key: "basketball_reference/team_box_scores/2018/2018-01-01_team_box_scores.json", want: "bbref/team_box_scores_json/2017-18/20180101.json"},
		{key: "basketball_reference/pbp/2022/202212010LAL_pbp.json", want: "bbref/pbp_json/2022-23/202212010LAL.json"},
		{key: "basketball_reference/box_scores/2022/202212010LAL.json", want: "bbref/box_scores_json/2022-23/202212010LAL.json"},
		{key: "basketball_reference/play_by_play/2019/2018-10-16_BOS_play_by_play.json", want: "bbref/play_by_play_json/2018-19/20181016_BOS.json"},
		{key: "hoopr_phase1/bulk_pbp/pbp_2024.csv", want: "hoopr/bulk_pbp/2023-24/pbp.csv"},
		{key: "hoopr_phase1/league_dashboards/player_stats_2010.csv", want: "hoopr/league_dashboards/2009-10/player_stats.csv"},
		{key: "hoopr_phase1/static_reference/teams.csv", want: "hoopr/static_reference/all/teams.csv"},
		{key: "hoopr_parquet/play_by_play/nba_data_2002.parquet", want: "hoopr/play_by_play/2001-02/nba_data.parquet"},
		{key: "hoopr_incremental/2025-11-01/game_401809001_pbp.json", want: "hoopr/incremental_pbp/2025-26/401809001.json"},
		{key: "kaggle/basketball/csv/game.csv", want: "kaggle/csv/all/game.csv"},
		{key: "kaggle/basketball/nba.sqlite", want: "kaggle/sqlite/all/nba.sqlite"},
		{key: "kaggle/basketball/play_by_play/part_0007.csv", want: "kaggle/play_by_play_parts/all/part_0007.csv"},
		{key: "scripts/etl/run.py", notData: "scripts/"},
		{key: "athena-results/abc.csv", notData: "athena-results/"},
		{key: "ml-models/v1/model.pkl", notData: "ml-models/"},
		{key: "sportsdataverse/x.json", notData: "sportsdataverse/"},
		{key: "nba_api_reverse/x.json", notData: "nba_api_reverse/"},
		{key: "box_score_snapshots/x.json", notData: "box_score_snapshots/"},
		{key: "README.md", unknown: "top of the bucket"},
		{key: "misc/notes.txt", unknown: "not in the nba_simulator layout"},
		{key: "espn_play_by_play/40161091.json", unknown: "9 digits"},
		{key: "espn_play_by_play/139905001.json", unknown: "valid date"},
		{key: "espn_play_by_play/091105001.json", want: "espn/playbyplay/1989-90/091105001.json"},
		{key: "espn_play_by_play/500000000.json", unknown: "ranges"},
		{key: "nba_api_comprehensive/common/commonplayerinfo_2544.json", unknown: "no stats.nba.com endpoint"},
		{key: "nba_api_comprehensive/tracking/madeup_2023-24.json", unknown: "not a stats.nba.com endpoint"},
		{key: "espn_schedules/20251340.json", unknown: "valid YYYYMMDD"},
		{key: "kaggle/basketball/notes.txt", unknown: "want basketball/csv"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			k, d, err := NBASimulator.Map(tt.key)
			switch {
			case tt.notData != "":
				var nd *NotDataError
				if !errors.As(err, &nd) || nd.Prefix != tt.notData || nd.Reason == "" {
					t.Fatalf("Map(%q) = %v, %v; want not data under %s", tt.key, k, err, tt.notData)
				}
			case tt.unknown != "":
				var pe *ParseError
				if !errors.As(err, &pe) || !strings.Contains(pe.Reason, tt.unknown) {
					t.Fatalf("Map(%q) error = %v; want a ParseError containing %q", tt.key, err, tt.unknown)
				}
			default:
				if err != nil {
					t.Fatalf("Map(%q): %v", tt.key, err)
				}
				if k.String() != tt.want {
					t.Fatalf("Map(%q) = %s, want %s", tt.key, k, tt.want)
				}
				// the nbasim key parses back to the same dataset
				k2, d2, err := Parse(k.String())
				if err != nil || k2 != k || d2.ID() != d.ID() {
					t.Fatalf("Parse(%s) = %v %v %v", k, k2, d2.ID(), err)
				}
			}
		})
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	legacy := []string{"espn_play_by_play/401610914.json", "espn_schedules/20240101.json", "scripts/x.py", "misc/y"}
	native := []string{"espn/summary/2023-24/401585607.json", "nba_stats/playbyplayv3/2023-24/0022300061.json", "misc/y"}
	if d := Detect(legacy); d.Profile != NBASimulator || d.Matched[LayoutNBASimulator] != 3 || !strings.Contains(d.Reason, "chose nba_simulator") {
		t.Fatalf("Detect(legacy) = %+v", d)
	}
	if d := Detect(native); d.Profile != NBASim || d.Matched[LayoutNBASim] != 2 {
		t.Fatalf("Detect(native) = %+v", d)
	}
	if d := Detect(nil); d.Profile != NBASim {
		t.Fatalf("Detect(empty) = %+v, want nbasim", d)
	}
	if _, err := ProfileNamed("bogus"); err == nil {
		t.Fatal("ProfileNamed(bogus): no error")
	}
}

func TestSeasonOfESPNID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{
		"131105001": "1993-94", "171031017": "1997-98", "330415001": "2012-13",
		"400489001": "2013-14", "401585607": "2023-24", "401704627": "2024-25", "401809001": "2025-26",
	} {
		s, err := SeasonOfESPNID(id)
		if err != nil || s.String() != want {
			t.Errorf("SeasonOfESPNID(%s) = %v, %v; want %s", id, s, err, want)
		}
	}
}
