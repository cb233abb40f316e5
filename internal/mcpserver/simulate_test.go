package mcpserver_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSimulateTool calls simulate through a real MCP client on a real game
// (Thunder 126, Wizards 115 in overtime, 2016-11-30): from the tip and from
// the last half-minute of overtime, reproducible with a seed, with errors
// for bad input.
func TestSimulateTool(t *testing.T) {
	t.Parallel()
	h, _, gameID := realGameHarness(t)
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
