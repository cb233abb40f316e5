package mcpserver_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkBoxScoreSessionTS: the box-mcp session (10,000 box_score calls
// at random (game, moment) over one session, games drawn from all the
// database's) from the official TypeScript MCP SDK client, the client of
// most hosts: test/mcp-ts/box-session.mjs starts the real `nbasim mcp`
// (NBASIM_MCP_BOX_BIN) over stdio, lists the tools (so the client checks
// every result against box_score's output schema) and makes the calls;
// its figures are reported here. NBASIM_MCP_BOX_WARMUP calls on one game
// come first, not counted (node compiles the client's code as it runs it;
// default 0, a cold session). NBASIM_MCP_BOX_DUMP names a file for every
// call's latency. Needs node and the SDK (npm ci --prefix test/mcp-ts;
// .ci/run installs them).
func BenchmarkBoxScoreSessionTS(b *testing.B) {
	dir := tsClientDir(b)
	cmd, ids, capacity := boxServerCmd(b)
	games := filepath.Join(b.TempDir(), "games.txt")
	if err := os.WriteFile(games, []byte(strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	args, err := json.Marshal(cmd.Args[1:])
	if err != nil {
		b.Fatal(err)
	}
	var out map[string]any
	b.ResetTimer()
	for range b.N {
		node := exec.Command("node", "box-session.mjs")
		node.Dir = dir
		node.Stderr = os.Stderr
		node.Env = append(os.Environ(), "MCP_TS_COMMAND="+cmd.Path, "MCP_TS_ARGS="+string(args),
			"BOX_GAMES_FILE="+games, "BOX_CALLS="+strconv.Itoa(boxCalls()), "BOX_CACHE="+strconv.Itoa(capacity),
			"BOX_WARMUP="+strconv.Itoa(envInt("NBASIM_MCP_BOX_WARMUP")), "BOX_DUMP="+os.Getenv("NBASIM_MCP_BOX_DUMP"))
		line, err := node.Output()
		if err != nil {
			b.Fatalf("box-session.mjs: %v", err)
		}
		out = map[string]any{}
		if err := json.Unmarshal(line, &out); err != nil {
			b.Fatalf("box-session.mjs printed %q: %v", line, err)
		}
	}
	b.StopTimer()
	// the names the Go benchmarks report: p99-miss-ms, server-cpu-ms/call
	for k, name := range map[string]string{"p50_ms": "p50-ms", "p99_ms": "p99-ms", "max_ms": "max-ms",
		"p50_miss_ms": "p50-miss-ms", "p99_miss_ms": "p99-miss-ms", "max_miss_ms": "max-miss-ms",
		"p50_hit_ms": "p50-hit-ms", "p99_hit_ms": "p99-hit-ms", "max_hit_ms": "max-hit-ms",
		"hits": "hits", "misses": "misses", "games": "games", "cache": "cache", "warmup": "warmup-calls",
		"client_cpu_ms_per_call": "client-cpu-ms/call", "server_cpu_ms_per_call": "server-cpu-ms/call"} {
		v, ok := out[k].(float64)
		if !ok {
			b.Fatalf("box-session.mjs: no %s in %v", k, out)
		}
		b.ReportMetric(v, name)
	}
	if out["misses"].(float64) == 0 {
		b.Fatalf("no miss in %v", out)
	}
}
