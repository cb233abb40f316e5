package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

// BoxSourceTables are the tables the store maintains with the boxes for
// the canonical views (store.RefreshBoxSources).
var BoxSourceTables = []string{"game_box_sources", "team_game_lines", "player_game_lines"}

var errRollback = errors.New("storetest: roll back")

// BoxSourcesDiff compares game_box_sources, team_game_lines and
// player_game_lines as the store maintained them with a recomputation from every box line
// (store.RebuildBoxSources in a transaction that is rolled back, so s is
// left as it was). It returns "" when they are equal, else what differs:
// a write path that forgot to maintain the tables.
func BoxSourcesDiff(ctx context.Context, t testing.TB, s store.Store) string {
	t.Helper()
	kept := Checksums(ctx, t, s, BoxSourceTables)
	var rebuilt map[string]string
	err := s.InTx(ctx, func(tx store.Tx) error {
		if err := store.RebuildBoxSources(ctx, tx); err != nil {
			return err
		}
		rebuilt = Checksums(ctx, t, tx, BoxSourceTables)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("rebuild the box sources: %v", err)
	}
	var diff []string
	for _, table := range BoxSourceTables {
		if kept[table] != rebuilt[table] {
			diff = append(diff, fmt.Sprintf("%s: maintained %.12s, recomputed %.12s", table, kept[table], rebuilt[table]))
		}
	}
	return strings.Join(diff, "; ")
}

// CheckBoxSources fails the test when the maintained tables differ from a
// recomputation (BoxSourcesDiff).
func CheckBoxSources(ctx context.Context, t testing.TB, s store.Store, step string) {
	t.Helper()
	if d := BoxSourcesDiff(ctx, t, s); d != "" {
		t.Fatalf("%s: %s", step, d)
	}
}

// teamOnlyBox is a box with team lines and no player lines (as team game
// logs give).
func teamOnlyBox(gameID, source string, home, away int) model.Box {
	return model.Box{GameID: gameID, Source: source,
		Home: model.TeamLine{TeamID: "1610612744", Code: "GSW", Side: model.Home, Stats: model.Stats{PTS: home, Seconds: 144000}},
		Away: model.TeamLine{TeamID: "1610612738", Code: "BOS", Side: model.Away, Stats: model.Stats{PTS: away, Seconds: 144000}},
	}
}

var _ = register("BoxSourcesMaintained", false, func(t *testing.T, b *bundle) {
	const v2, v3, glog = "nba_stats/boxscoretraditionalv2", "nba_stats/boxscoretraditionalv3", "nba_stats/teamgamelog"
	sources := func() string {
		rows, err := b.s.Query(b.ctx, `SELECT game_id, COALESCE(player_source, '-'), COALESCE(team_source, '-') FROM game_box_sources ORDER BY game_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var g, p, tm string
			if err := rows.Scan(&g, &p, &tm); err != nil {
				t.Fatal(err)
			}
			out = append(out, g+" "+p+" "+tm)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, "|")
	}
	// one game's team-games (away first): team, source, pts (the players'
	// sum), opp_pts, win
	teams := func(game string) string {
		rows, err := b.s.Query(b.ctx, `SELECT team_id, source, pts, opp_pts, COALESCE(win, -1) FROM team_games WHERE game_id = $1 ORDER BY side`, game)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var team, src string
			var pts, opp, win int64
			if err := rows.Scan(&team, &src, &pts, &opp, &win); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %s %d-%d %d", team, src, pts, opp, win))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, "|")
	}
	step := func(name, wantSources string, boxes ...model.Box) {
		t.Helper()
		must[int64](t)(store.UpsertBoxes(b.ctx, b.s, boxes))
		CheckBoxSources(b.ctx, t, b.s, name)
		if got := sources(); got != wantSources {
			t.Fatalf("%s: game_box_sources %q, want %q", name, got, wantSources)
		}
	}

	// A: derived, full and a window; B: v3; C: derived players, team game log
	step("first boxes", "A derived derived|B "+v3+" "+v3+"|C derived "+glog,
		sampleBox("A", "derived", 0, 0), sampleBox("A", "derived", 0, 7200), sampleBox("B", v3, 0, 0),
		sampleBox("C", "derived", 0, 0), teamOnlyBox("C", glog, 101, 99))
	// the team's counting stats are its players' sums (Curry 30, Tatum 22);
	// the win is the team lines' (110-98)
	if got, want := teams("A"), "BOS derived 22-30 0|1610612744 derived 30-22 1"; got != want {
		t.Fatalf("team_games A %q, want %q", got, want)
	}
	// without player lines, the team game log's own points
	if got, want := teams("C"), "1610612738 "+glog+" 99-101 0|1610612744 "+glog+" 101-99 1"; got != want {
		t.Fatalf("team_games C %q, want %q", got, want)
	}
	// an official box arrives for A
	step("official box", "A "+v2+" "+v2+"|B "+v3+" "+v3+"|C derived "+glog, sampleBox("A", v2, 0, 0))
	// A's official box corrected: Curry 31, the bench player gone
	fix := sampleBox("A", v2, 0, 0)
	fix.Players[0].Stats.PTS = 31
	fix.Players = fix.Players[:2]
	step("corrected box", "A "+v2+" "+v2+"|B "+v3+" "+v3+"|C derived "+glog, fix)
	if got, want := teams("A"), "BOS "+v2+" 22-31 0|1610612744 "+v2+" 31-22 1"; got != want {
		t.Fatalf("team_games A after the correction %q, want %q", got, want)
	}
	var pts int64
	if err := b.s.QueryRow(b.ctx, `SELECT pts FROM player_games WHERE game_id = 'A' AND player_id = '201939'`).Scan(&pts); err != nil || pts != 31 {
		t.Fatalf("player_games Curry in A: %d, %v; want 31", pts, err)
	}
	// A's official box withdrawn (a box without lines), B's only box too
	step("withdrawn boxes", "A derived derived|C derived "+glog,
		model.Box{GameID: "A", Source: v2}, model.Box{GameID: "B", Source: v3})
	// a window box changes no choice
	step("window box", "A derived derived|C derived "+glog, sampleBox("C", v2, 0, 3600))

	// a write around UpsertBoxes is caught, and a rebuild repairs it
	if _, err := b.s.Upsert(b.ctx, store.Batch{Table: "player_box", Columns: []string{"game_id", "source", "scope", "player_id", "side", "pts"},
		Key: []string{"game_id", "source", "scope", "player_id"}, Rows: [][]any{{"A", v2, "game", "201939", 1, 40}}}); err != nil {
		t.Fatal(err)
	}
	if d := BoxSourcesDiff(b.ctx, t, b.s); !strings.Contains(d, "game_box_sources: maintained") || !strings.Contains(d, "player_game_lines: maintained") || strings.Contains(d, "team_game_lines") {
		t.Fatalf("a player line written around UpsertBoxes: diff %q, want game_box_sources and player_game_lines", d)
	}
	if err := store.RebuildBoxSources(b.ctx, b.s); err != nil {
		t.Fatal(err)
	}
	CheckBoxSources(b.ctx, t, b.s, "rebuilt")
	if got, want := sources(), "A "+v2+" derived|C derived "+glog; got != want {
		t.Fatalf("rebuilt: game_box_sources %q, want %q", got, want)
	}
})
