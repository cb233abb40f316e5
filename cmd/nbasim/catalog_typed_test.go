package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/testutil"
)

// typedTableNames are the typed tables of boxscoreadvancedv3,
// boxscoresummaryv2 and commonplayerinfo (migration 0020).
var typedTableNames = []string{"game_inactive_players", "game_officials", "game_summaries", "game_team_summaries", "line_scores",
	"player_box_advanced", "player_info", "player_info_seasons", "team_box_advanced"}

// TestCatalogTypedTablesMCP fetches Donovan Mitchell's 71-point game's
// advanced box and summary and his biography by lake key from the replay
// server, loads them, and asks the MCP server (`nbasim mcp` over stdio)
// with the Go SDK client, then with the TypeScript SDK client when node
// and the SDK are installed (npm ci --prefix test/mcp-ts): list_tables
// lists the nine typed tables, describe_table documents their columns, and
// a query joins them.
func TestCatalogTypedTablesMCP(t *testing.T) {
	t.Parallel()
	rb := newReplayBinary(t)
	run := func(args ...string) string { t.Helper(); return rb.run(t, nil, args...) }
	run("fetch", "key", "nba_stats/boxscoreadvancedv3/2022-23/0022200552.json", "nba_stats/boxscoresummaryv2/2022-23/0022200552.json",
		"nba_stats/commonplayerinfo/all/1628378.json")
	run("load")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.Command(rb.bin, "mcp", "--audit-log", filepath.Join(rb.dir, "audit.jsonl"))
	cmd.Env = rb.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	c := mcp.NewClient(&mcp.Implementation{Name: "nbasim-test", Version: "1"}, nil)
	cs, err := c.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, stderr.String())
	}
	defer cs.Close()
	call := func(tool string, args map[string]any) map[string]any {
		t.Helper()
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		b, _ := json.Marshal(res.StructuredContent)
		if res.IsError {
			b, _ = json.Marshal(res.Content)
			t.Fatalf("%s %v: %s", tool, args, b)
		}
		var out map[string]any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	var listed struct {
		Tables []struct {
			Name string `json:"name"`
			Rows int    `json:"rows"`
		} `json:"tables"`
	}
	b, _ := json.Marshal(call("list_tables", map[string]any{}))
	if err := json.Unmarshal(b, &listed); err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, tb := range listed.Tables {
		rows[tb.Name] = tb.Rows
	}
	want := map[string]int{"game_inactive_players": 10, "game_officials": 3, "game_summaries": 1, "game_team_summaries": 2, "line_scores": 10,
		"player_box_advanced": 23, "player_info": 1, "player_info_seasons": 32, "team_box_advanced": 2}
	for _, name := range typedTableNames {
		if got, ok := rows[name]; !ok || got != want[name] {
			t.Errorf("list_tables: %s with %d rows (listed %v), want %d", name, got, ok, want[name])
		}
	}
	for _, name := range typedTableNames {
		var d struct {
			Columns []struct {
				Name    string `json:"name"`
				Comment string `json:"comment"`
			} `json:"columns"`
			PrimaryKey []string `json:"primary_key"`
		}
		b, _ := json.Marshal(call("describe_table", map[string]any{"table": name}))
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		undocumented := 0
		var cols []string
		for _, c := range d.Columns {
			cols = append(cols, c.Name)
			if c.Comment == "" {
				undocumented++
			}
		}
		if len(d.Columns) < 4 || undocumented != 0 || len(d.PrimaryKey) == 0 || !slices.Contains(cols, "key") {
			t.Errorf("describe_table %s: %d columns, %d undocumented, primary key %v", name, len(d.Columns), undocumented, d.PrimaryKey)
		}
	}
	q := call("query", map[string]any{"sql": `SELECT a.seconds_played, a.off_rating, a.usg_pct, s.attendance, l.pts, i.height_inches, i.draft_number
FROM player_box_advanced a
JOIN game_summaries s ON s.game_id = a.game_id
JOIN line_scores l ON l.game_id = a.game_id AND l.team_id = a.team_id AND l.period = 5
JOIN player_info i ON i.player_id = a.player_id
WHERE a.game_id = '0022200552' AND a.player_id = '1628378'`})
	if got, _ := json.Marshal(q["rows"]); string(got) != `[[2988,139.2,0.409,19432,15,74,13]]` {
		t.Errorf("query: rows %s, want [[2988,139.2,0.409,19432,15,74,13]]", got)
	}

	// the TypeScript SDK client, same server
	dir := filepath.Join(testutil.ModuleRoot(t), "test", "mcp-ts")
	_, nodeErr := exec.LookPath("node")
	_, sdkErr := os.Stat(filepath.Join(dir, "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
	if nodeErr != nil || sdkErr != nil {
		msg := "node or the TypeScript MCP SDK is missing (run: npm ci --prefix test/mcp-ts)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s and CI=true", msg)
		}
		t.Skip(msg + "; the TypeScript half skipped")
	}
	args, _ := json.Marshal([]string{"mcp", "--audit-log", filepath.Join(rb.dir, "audit-ts.jsonl")})
	ts := exec.CommandContext(ctx, "node", "client.mjs")
	ts.Dir = dir
	ts.Env = append(append([]string(nil), rb.env...), "MCP_TS_MODE=stdio", "MCP_TS_COMMAND="+rb.bin, "MCP_TS_ARGS="+string(args),
		"MCP_TS_ONLY=typed_tables")
	out, err := ts.CombinedOutput()
	t.Logf("%s", out)
	if err != nil || !strings.Contains(string(out), " 0 failed") {
		t.Fatalf("TypeScript client: %v", err)
	}
}
