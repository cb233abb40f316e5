package reconcile_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// TestLoadPlayerSeasons: the players of a season are the NBA person ids
// with a box line that is not a DNP, or a play as the actor or coming in,
// in one of its games; team ids (team events), DNP-only players, players
// of other seasons and of other providers' ids are not.
func TestLoadPlayerSeasons(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			ctx := context.Background()
			err := st.InTx(ctx, func(tx store.Tx) error {
				if _, err := store.UpsertGames(ctx, tx, []model.GameRow{
					{GameID: "0022200552", Season: "2022-23", SeasonType: "regular", HomePts: -1, AwayPts: -1},
					{GameID: "0022300001", Season: "2023-24", SeasonType: "regular", HomePts: -1, AwayPts: -1},
				}); err != nil {
					return err
				}
				if _, err := store.ReplacePlaysBatch(ctx, tx, []store.GamePlays{{GameID: "0022200552", Provider: "nba_stats/playbyplayv2", Events: []model.Event{
					{Order: 0, EventNum: 1, Period: 1, Player: "1628378"},
					{Order: 1, EventNum: 2, Period: 1, Player: "1610612739", Team: true}, // a team rebound
					{Order: 2, EventNum: 3, Period: 1, SubIn: "1630596", SubOut: "1628378"},
					{Order: 3, EventNum: 4, Period: 1, Player: "espn:3908845"},
				}}, {GameID: "0022300001", Provider: "nba_stats/playbyplayv2", Events: []model.Event{
					{Order: 0, EventNum: 1, Period: 1, Player: "203897"},
				}}}); err != nil {
					return err
				}
				_, err := store.UpsertBoxes(ctx, tx, []model.Box{{GameID: "0022200552", Source: "nba_stats/boxscoretraditionalv2", Players: []model.PlayerLine{
					{PlayerID: "1628378"}, {PlayerID: "1629636"}, {PlayerID: "1631207", DNP: true},
				}}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := reconcile.LoadPlayerSeasons(ctx, st, []layout.Season{2022})
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"1628378", "1629636", "1630596"}; len(got) != 1 || !slices.Equal(got["2022-23"], want) {
				t.Errorf("players: %v, want 2022-23: %v", got, want)
			}
		})
	}
}

// TestAnalyzePerPlayer: a per-player-season endpoint of the catalog is
// expected once per player of the season the store knows (its key from the
// catalog's template), a per-player one once per player of any season
// reconciled; with no player known, objects are counted, never expected.
func TestAnalyzePerPlayer(t *testing.T) {
	t.Parallel()
	exp, err := reconcile.ParseExpectations([]byte("version: 1\ndatasets: []\ncatalog: [playerdashboardbygeneralsplits, commonplayerinfo]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !exp.NeedsPlayers() {
		t.Fatal("NeedsPlayers: false")
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	scan := &reconcile.ScanResult{Mode: "full", SampleRate: 1, Groups: map[string]*reconcile.Group{}}
	add := func(ds, season string, items ...string) {
		g := &reconcile.Group{Source: "nba_stats", Dataset: ds, Season: season, Items: map[string]reconcile.Entry{}}
		for _, it := range items {
			g.Items[it] = reconcile.Entry{Size: 10, ModTime: now.Add(-time.Hour).Unix()}
		}
		scan.Groups[reconcile.GroupKey("nba_stats", ds, season)] = g
	}
	add("playerdashboardbygeneralsplits", "2022-23", "1628378", "1628378_MeasureType-Advanced", "999")
	add("playerdashboardbygeneralsplits", "2021-22", "1628378")
	add("commonplayerinfo", "all", "1628378")
	in := reconcile.Inputs{Expectations: exp, Seasons: []layout.Season{2021, 2022, 2023}, Current: 2025, Now: now,
		Players: map[string][]string{"2022-23": {"1628378", "1629636"}, "2023-24": {"1628378", "203897"}}}
	a := reconcile.Analyze(in, scan)
	cells := map[string]*reconcile.Cell{}
	for _, c := range a.Cells {
		cells[c.ID()] = c
	}
	for _, tc := range []struct {
		id                                string
		expected, present, missing, extra int
		enumeration                       string
	}{
		{"nba_stats/playerdashboardbygeneralsplits/2022-23", 2, 1, 1, 2, "per_player_season"},
		{"nba_stats/playerdashboardbygeneralsplits/2023-24", 2, 0, 2, 0, "per_player_season"},
		// no player of 2021-22 in the store: counted only
		{"nba_stats/playerdashboardbygeneralsplits/2021-22", 0, 0, 0, 1, "per_player_season (no players in the store)"},
		{"nba_stats/commonplayerinfo/all", 3, 1, 2, 0, "per_player"},
	} {
		c := cells[tc.id]
		if c == nil {
			t.Errorf("no cell %s", tc.id)
			continue
		}
		if c.Expected != tc.expected || c.Present != tc.present || c.Missing != tc.missing || c.Extra != tc.extra || c.Enumeration != tc.enumeration {
			t.Errorf("%s: expected %d present %d missing %d extra %d (%s), want %d %d %d %d (%s)", tc.id, c.Expected, c.Present, c.Missing, c.Extra,
				c.Enumeration, tc.expected, tc.present, tc.missing, tc.extra, tc.enumeration)
		}
	}
	if c := cells["nba_stats/commonplayerinfo/all"]; c != nil {
		var keys []string
		for _, k := range c.MissingKeys {
			keys = append(keys, k.Key)
		}
		slices.Sort(keys)
		if want := []string{"nba_stats/commonplayerinfo/all/1629636.json", "nba_stats/commonplayerinfo/all/203897.json"}; !slices.Equal(keys, want) {
			t.Errorf("commonplayerinfo missing keys %v, want %v", keys, want)
		}
	}
}
