package mcpserver_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestSimulateTool calls simulate through a real MCP client on a real game
// (Thunder 126, Wizards 115 in overtime, 2016-11-30): from the tip and from
// the last half-minute of overtime, reproducible with a seed, with errors
// for bad input.
func TestSimulateTool(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	const gameID = "0021600270"
	g, err := derive.LoadV2File(filepath.Join(dir, "nba_stats", "playbyplayv2", gameID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, engines()[0])
	ctx := context.Background()
	if _, err := h.fix.Store.Exec(ctx, `INSERT INTO games (game_id, season, season_type, game_date, home_team_id, away_team_id, home_code, away_code, home_pts, away_pts, status, updated_at)
VALUES ($1, '2016-17', 'regular', '2016-11-30', $2, $3, $4, $5, 126, 115, 'final', $6)`, gameID, g.Home.ID, g.Away.ID, g.Home.Code, g.Away.Code, store.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ReplacePlays(ctx, h.fix.Store, gameID, g.Provider, g.Events); err != nil {
		t.Fatal(err)
	}
	cs := h.connect(t)
	out, r := call(t, cs, "simulate", map[string]any{"game_id": "21600270", "n": 2000, "seed": 4})
	if r.IsError {
		t.Fatalf("simulate: %s", errText(r))
	}
	if p := out["home_win_prob"].(float64); p <= 0.3 || p >= 0.8 || out["start"] != "tip" {
		t.Fatalf("pregame between two unrated teams: %v", out)
	}
	if w, _ := json.Marshal(out["warnings"]); !strings.Contains(string(w), "no finished game before 2016-11-30") {
		t.Errorf("the model knows no earlier game and should say so: %s", w)
	}
	again, _ := call(t, cs, "simulate", map[string]any{"game_id": gameID, "n": 2000, "seed": 4})
	a, _ := json.Marshal(out)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Error("the same seed gave another answer")
	}
	// OKC led 122-115 with 0:30 left in overtime: decided
	out, r = call(t, cs, "simulate", map[string]any{"game_id": gameID, "moment": "OT1 0:30", "n": 2000})
	if r.IsError {
		t.Fatalf("simulate at OT1 0:30: %s", errText(r))
	}
	if out["start"] != "OT1 0:30: OKC 122 - WAS 115" || out["home_win_prob"].(float64) < 0.99 {
		t.Errorf("OT1 0:30 from %v: home wins %v, want >= 0.99", out["start"], out["home_win_prob"])
	}
	for _, tc := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"game_id": gameID, "n": 1000000}, "at most 50000"},
		{map[string]any{"game_id": gameID, "moment": "Q3 7:02:30"}, "bad clock"},
		{map[string]any{"home": "OKC", "away": "WAS", "date": "2016-13-01"}, "YYYY-MM-DD"},
		{map[string]any{"game_id": "0029900001"}, "not found"},
	} {
		_, r := call(t, cs, "simulate", tc.args)
		if !r.IsError || !strings.Contains(errText(r), tc.want) {
			t.Errorf("%v: error %v %q; want one with %q", tc.args, r.IsError, errText(r), tc.want)
		}
	}
}
