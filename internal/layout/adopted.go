package layout

import (
	"regexp"
	"sync"
)

// Datasets adopted from the nba_simulator bucket (Dataset.Adopted): nbasim
// does not fetch them, but keeps them byte for byte under its own layout
// when it adopts a legacy bucket (internal/importer), so that nothing the
// user had is lost and reconciliation can count it.

var (
	nameItem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`) })
	partItem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^part_\d{1,6}$`) })
	dateTeam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{8}_[A-Z]{2,4}$`) })
)

func adoptedDatasets() []Dataset {
	a := func(src, name, ext string, per Per, item func() *regexp.Regexp, idKind string) Dataset {
		return Dataset{Source: src, Name: name, Ext: ext, Per: per, Item: item(), IDKind: idKind, Adopted: true}
	}
	out := []Dataset{
		// ESPN web pages (www.espn.com/nba/{tab}/_/gameId/{id}?_xhr=1), the
		// origin of nba_simulator's historical espn_* objects.
		a("espn", "playbyplay", "json", PerGame, espnID, "espn"),
		a("espn", "boxscore", "json", PerGame, espnID, "espn"),
		a("espn", "matchup", "json", PerGame, espnID, "espn"),
		a("espn", "schedule", "json", PerDate, dateItem, ""),

		// basketball_reference_web_scraper outputs (JSON, not pages).
		a("bbref", "schedule_json", "json", PerSeason, nameItem, ""),
		a("bbref", "season_totals_json", "json", PerSeason, nameItem, ""),
		a("bbref", "advanced_totals_json", "json", PerSeason, nameItem, ""),
		a("bbref", "standings_json", "json", PerSeason, nameItem, ""),
		a("bbref", "player_box_scores_json", "json", PerDate, dateItem, ""),
		a("bbref", "team_box_scores_json", "json", PerDate, dateItem, ""),
		a("bbref", "box_scores_json", "json", PerGame, bbrefID, "bbref"),
		a("bbref", "pbp_json", "json", PerGame, bbrefID, "bbref"),
		a("bbref", "play_by_play_json", "json", PerGame, dateTeam, ""),

		// hoopR bulk exports: CSV per season (phase 1) and Parquet season files.
		a("hoopr", "bulk_pbp", "csv", PerSeason, nameItem, ""),
		a("hoopr", "bulk_player_box", "csv", PerSeason, nameItem, ""),
		a("hoopr", "bulk_team_box", "csv", PerSeason, nameItem, ""),
		a("hoopr", "bulk_schedule", "csv", PerSeason, nameItem, ""),
		a("hoopr", "league_dashboards", "csv", PerSeason, nameItem, ""),
		a("hoopr", "standings", "csv", PerSeason, nameItem, ""),
		a("hoopr", "draft", "csv", PerSeason, nameItem, ""),
		a("hoopr", "static_reference", "csv", PerDump, nameItem, ""),
		a("hoopr", "play_by_play", "parquet", PerSeason, nameItem, ""),
		a("hoopr", "player_box", "parquet", PerSeason, nameItem, ""),
		a("hoopr", "schedule", "parquet", PerSeason, nameItem, ""),
		a("hoopr", "team_box", "parquet", PerSeason, nameItem, ""),
		a("hoopr", "incremental_pbp", "json", PerGame, espnID, "espn"),

		// The Kaggle "NBA Database" dump (wyattowalsh/basketball).
		a("kaggle", "csv", "csv", PerDump, nameItem, ""),
		a("kaggle", "sqlite", "sqlite", PerDump, nameItem, ""),
		a("kaggle", "play_by_play_parts", "csv", PerDump, partItem, ""),
	}
	return out
}
