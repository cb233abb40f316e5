package mcpserver_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestBoxScoreRealGame loads a real recorded game's play-by-play
// (Thunder 126, Wizards 115 in overtime on 2016-11-30) into the database and asks
// box_score for the halftime, end-of-regulation and final boxes: the engine's team points
// match the running score the provider recorded.
func TestBoxScoreRealGame(t *testing.T) {
	t.Parallel()
	h, g, gameID := realGameHarness(t)
	// The provider's running score at halftime and at the end of regulation.
	var halfH, halfA, regH, regA int
	for _, e := range g.Events {
		if e.Elapsed <= 2*model.RegulationPeriod && e.ScoreHome >= 0 {
			halfH, halfA = e.ScoreHome, e.ScoreAway
		}
		if e.Elapsed <= 4*model.RegulationPeriod && e.ScoreHome >= 0 {
			regH, regA = e.ScoreHome, e.ScoreAway
		}
	}
	cs := h.connect(t)
	for _, tc := range []struct {
		args       map[string]any
		home, away int
	}{
		{map[string]any{"game_id": gameID, "period": 2, "clock": "0:00"}, halfH, halfA},
		{map[string]any{"game_id": gameID, "elapsed_seconds": 2880}, regH, regA}, // tied: overtime followed
		{map[string]any{"game_id": "21600270", "moment": "OT1 0:00"}, 126, 115},  // a short id, the final buzzer
	} {
		out, r := call(t, cs, "box_score", tc.args)
		if r.IsError {
			t.Fatalf("%v: %s", tc.args, errText(r))
		}
		home, away := out["home"].([]any), out["away"].([]any)
		if home[5] != float64(tc.home) || away[5] != float64(tc.away) || len(out["players"].([]any)) < 16 {
			t.Errorf("%v: %v-%v with %d players, want %d-%d (%v)", tc.args, home[5], away[5], len(out["players"].([]any)), tc.home, tc.away, out["moment"])
		}
	}
	// The three moments of one game compiled it once (the LRU of compiled games).
	if st := h.srv.CacheStats(); st.Loads != 1 || st.Hits != 2 {
		t.Errorf("cache: %d loads, %d hits; want 1 load, 2 hits", st.Loads, st.Hits)
	}
	// Past the end, an overtime the game did not have, a sloppy clock: errors naming the game's last period.
	for _, tc := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"game_id": gameID, "elapsed_seconds": 100000}, "end of its last period OT1"},
		{map[string]any{"game_id": gameID, "moment": "OT2 1:00"}, "has no OT2: its last period is OT1"},
		{map[string]any{"game_id": gameID, "period": 6, "clock": "1:00"}, "has no OT2: its last period is OT1"},
		{map[string]any{"game_id": gameID, "moment": "Q3 7:02:30"}, "bad clock"},
		{map[string]any{"game_id": gameID, "period": 3, "clock": "7:02:30"}, "bad clock"},
		{map[string]any{"game_id": "0029900001", "moment": "Q1 1:00"}, "not found"},
	} {
		_, r := call(t, cs, "box_score", tc.args)
		if !r.IsError || !strings.Contains(errText(r), tc.want) {
			t.Errorf("%v: error %v %q; want one with %q", tc.args, r.IsError, errText(r), tc.want)
		}
	}
}

// realGameHarness is a SQLite harness whose store holds one real recorded
// game, 0021600270 (OKC 126, WAS 115 in overtime on 2016-11-30): its games
// row and its playbyplayv2 plays.
func realGameHarness(t testing.TB) (*harness, *model.Game, string) {
	t.Helper()
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
	return h, g, gameID
}

// TestBoxScoreOutputMatchesSchema: box_score writes its JSON itself and
// the server does not validate it on every call (addJSONTool), so this
// test does: the structured content of the box after every minute of a
// real overtime game, and of a stored final box, is valid against the
// output schema tools/list advertises, and the text content holds the
// same JSON. Bad arguments are still refused by the input schema.
func TestBoxScoreOutputMatchesSchema(t *testing.T) {
	t.Parallel()
	h, g, gameID := realGameHarness(t)
	cs := h.connect(t)
	ctx := context.Background()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var schema *jsonschema.Resolved
	for _, tl := range tools.Tools {
		if tl.Name != "box_score" {
			continue
		}
		b, _ := json.Marshal(tl.OutputSchema)
		var s jsonschema.Schema
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		if schema, err = s.Resolve(nil); err != nil {
			t.Fatal(err)
		}
	}
	if schema == nil {
		t.Fatal("no box_score in tools/list")
	}
	end := int(g.Events[len(g.Events)-1].Elapsed.Seconds())
	calls := []map[string]any{{"game_id": readonlytest.GameID}} // the fixture's stored box
	for at := 0; at <= end; at += 60 {
		calls = append(calls, map[string]any{"game_id": gameID, "elapsed_seconds": at})
	}
	for _, args := range calls {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "box_score", Arguments: args})
		if err != nil || res.IsError {
			t.Fatalf("%v: %v %s", args, err, errText(res))
		}
		b, _ := json.Marshal(res.StructuredContent)
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Fatalf("%v: the output breaks the advertised schema: %v\n%s", args, err, b)
		}
		var text any
		if err := json.Unmarshal([]byte(errText(res)), &text); err != nil || !reflect.DeepEqual(text, v) {
			t.Fatalf("%v: text content is not the structured content (%v)", args, err)
		}
	}
	if len(calls) < 50 {
		t.Fatalf("%d calls", len(calls))
	}
	for _, args := range []map[string]any{{"game_id": 21600270}, {"game_id": gameID, "minute": 3}, {}} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "box_score", Arguments: args})
		if err != nil || !res.IsError || !strings.Contains(errText(res), `validating "arguments"`) {
			t.Errorf("%v: want the input schema's refusal, got %v %v %q", args, err, res != nil && res.IsError, errText(res))
		}
	}
}
