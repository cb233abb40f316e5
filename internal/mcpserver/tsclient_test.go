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
func tsClientDir(t *testing.T) string {
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
