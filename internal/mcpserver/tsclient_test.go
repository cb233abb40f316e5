package mcpserver_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// tsClientDir returns test/mcp-ts when node and the installed SDK are
// there; otherwise it skips (fails under CI=true, where
// .ci/run.d/50-mcp-node.sh installs them).
func tsClientDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(testutil.ModuleRoot(t), "test", "mcp-ts")
	_, nodeErr := exec.LookPath("node")
	_, sdkErr := os.Stat(filepath.Join(dir, "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
	if nodeErr != nil || sdkErr != nil {
		msg := "node or the TypeScript MCP SDK is missing (run: npm ci --prefix test/mcp-ts)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s and CI=true", msg)
		}
		t.Skip(msg + "; skipping")
	}
	return dir
}

func runTS(t *testing.T, dir string, env []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "client.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("TypeScript client: %v", err)
	}
	if !strings.Contains(string(out), " 0 failed") {
		t.Fatalf("TypeScript client reported failures")
	}
}

// TestTypeScriptClient drives the server with the official TypeScript SDK
// client over stdio (the built binary) and streamable HTTP.
func TestTypeScriptClient(t *testing.T) {
	t.Parallel()
	dir := tsClientDir(t)
	fix := readonlytest.SQLite(t)
	lf := newLake(t)
	common := []string{"MCP_TS_GAME=" + readonlytest.GameID, "MCP_TS_KEY=" + pbpKey}

	t.Run("stdio", func(t *testing.T) {
		t.Parallel()
		bin := buildBinary(t)
		args, _ := json.Marshal([]string{"--db", fix.SQLitePath, "--lake", lf.URL, "mcp", "--audit-log", filepath.Join(t.TempDir(), "audit.jsonl")})
		runTS(t, dir, append(common, "MCP_TS_MODE=stdio", "MCP_TS_COMMAND="+bin, "MCP_TS_ARGS="+string(args),
			"NBASIM_LAKE_PREFIX=lake", "NBASIM_CONFIG="))
	})
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		db, err := readonly.OpenSQLite(context.Background(), fix.SQLitePath, readonly.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		srv, err := mcpserver.New(mcpserver.Options{DB: db, Lake: lf.Lake, LakeRoot: lf.Root})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addrc := make(chan string, 1)
		go srv.ServeHTTP(ctx, "127.0.0.1:0", mcpserver.HTTPOptions{Token: "tok"}, func(a net.Addr) { addrc <- a.String() })
		addr := <-addrc
		runTS(t, dir, append(common, "MCP_TS_MODE=http", "MCP_TS_URL=http://"+addr+"/mcp", "MCP_TS_TOKEN=tok"))
	})
}

// TestTypeScriptBoxSession runs test/mcp-ts/box-session.mjs, the client of
// BenchmarkBoxScoreSessionTS, for a short session against the built binary:
// the benchmark's script works, every call answers a box, and its figures
// count every call as a hit or a miss (one game: one miss, then hits).
func TestTypeScriptBoxSession(t *testing.T) {
	t.Parallel()
	dir := tsClientDir(t)
	fix := readonlytest.SQLite(t)
	bin := buildBinary(t)
	tmp := t.TempDir()
	games := filepath.Join(tmp, "games.txt")
	if err := os.WriteFile(games, []byte(readonlytest.GameID+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args, _ := json.Marshal([]string{"--db", fix.SQLitePath, "--lake", "file://" + filepath.Join(tmp, "lake"), "mcp",
		"--audit-log", filepath.Join(tmp, "audit.jsonl")})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "box-session.mjs")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), "MCP_TS_COMMAND="+bin, "MCP_TS_ARGS="+string(args), "BOX_GAMES_FILE="+games,
		"BOX_CALLS=25", "BOX_CACHE=10", "NBASIM_CONFIG=")
	line, err := cmd.Output()
	if err != nil {
		t.Fatalf("box-session.mjs: %v", err)
	}
	var out struct {
		Calls  int     `json:"calls"`
		Hits   int     `json:"hits"`
		Misses int     `json:"misses"`
		P99    float64 `json:"p99_ms"`
	}
	if err := json.Unmarshal(line, &out); err != nil {
		t.Fatalf("box-session.mjs printed %q: %v", line, err)
	}
	if out.Calls != 25 || out.Misses != 1 || out.Hits != 24 || out.P99 <= 0 {
		t.Errorf("figures %+v from %s, want 25 calls: 1 miss, 24 hits, a p99", out, line)
	}
}
