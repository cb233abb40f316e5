package mcpserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// syncBuf is a goroutine-safe audit sink.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) Lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(strings.TrimSpace(s.b.String()), "\n")
}

// lakeFixture lays out <dir>/root/lake (the lake: URL root/, prefix lake)
// with objects, a sibling <dir>/root/lake-evil holding a secret, and
// symlinks inside the lake pointing out of it.
type lakeFixture struct {
	URL, Prefix, Root string
	Lake              *lake.Lake
}

const pbpKey = "nba_stats/playbyplayv2/2023-24/0022300001.json"

func newLake(t testing.TB) lakeFixture {
	t.Helper()
	dir := t.TempDir()
	rootDir := filepath.Join(dir, "root")
	ctx := context.Background()
	u := "file://" + filepath.ToSlash(rootDir)
	l, err := lake.Open(ctx, u, "lake")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if err := l.Put(ctx, pbpKey, []byte(`{"resultSets":[{"name":"PlayByPlay","rowSet":[]}]}`), lake.Meta{Source: "nba_stats", ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Put(ctx, "espn/summary/2023-24/401584689.bin", []byte{0, 1, 2, 0xff, 0xfe}, lake.Meta{Source: "espn"}); err != nil {
		t.Fatal(err)
	}
	evil := filepath.Join(rootDir, "lake-evil")
	if err := os.MkdirAll(evil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(evil, "secret.json"), []byte(`{"secret":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	lakeDir := filepath.Join(rootDir, "lake")
	for name, target := range map[string]string{
		"nba_stats/escape.json":  filepath.Join(evil, "secret.json"), // sibling prefix, absolute link
		"nba_stats/passwd.json":  "/etc/passwd",
		"nba_stats/relative.txt": "../../lake-evil/secret.json",
		"nba_stats/inside.json":  filepath.Join(lakeDir, filepath.FromSlash(pbpKey)), // allowed: stays inside
	} {
		if err := os.Symlink(target, filepath.Join(lakeDir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	return lakeFixture{URL: u, Prefix: "lake", Root: mcpserver.FileRoot(u, "lake"), Lake: l}
}

type engineCase struct {
	name string
	open func(t testing.TB) (*readonlytest.Fixture, *readonly.DB)
}

func engines() []engineCase {
	return []engineCase{
		{"sqlite", func(t testing.TB) (*readonlytest.Fixture, *readonly.DB) {
			f := readonlytest.SQLite(t)
			db, err := readonly.OpenSQLite(context.Background(), f.SQLitePath, readonly.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return f, db
		}},
		{"postgres", func(t testing.TB) (*readonlytest.Fixture, *readonly.DB) {
			f := readonlytest.Postgres(t)
			db, err := readonly.OpenPostgres(context.Background(), f.ReaderURL, readonly.Options{MaxConns: 20})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return f, db
		}},
	}
}

type harness struct {
	fix   *readonlytest.Fixture
	srv   *mcpserver.Server
	audit *syncBuf
	lake  lakeFixture
	url   string
	token string
}

func newHarness(t testing.TB, e engineCase) *harness {
	t.Helper()
	fix, db := e.open(t)
	lf := newLake(t)
	audit := &syncBuf{}
	srv, err := mcpserver.New(mcpserver.Options{DB: db, Lake: lf.Lake, LakeRoot: lf.Root, Audit: mcpserver.NewAudit(audit, nil), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{fix: fix, srv: srv, audit: audit, lake: lf, token: "s3cret"}
	h.url = newHTTP(t, srv)
	return h
}

// newHTTP serves srv over streamable HTTP (token "s3cret") for the test.
func newHTTP(t testing.TB, srv *mcpserver.Server) string {
	hs := httptest.NewServer(srv.Handler(mcpserver.HTTPOptions{Token: "s3cret"}))
	t.Cleanup(hs.Close)
	return hs.URL
}

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

func (h *harness) connect(t testing.TB) *mcp.ClientSession {
	t.Helper()
	c := mcp.NewClient(&mcp.Implementation{Name: "nbasim-test", Version: "1"}, nil)
	cs, err := c.Connect(context.Background(), &mcp.StreamableClientTransport{
		Endpoint:   h.url,
		HTTPClient: &http.Client{Transport: bearer{h.token, http.DefaultTransport}},
		MaxRetries: -1, DisableStandaloneSSE: true,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func call(t testing.TB, cs *mcp.ClientSession, tool string, args any) (map[string]any, *mcp.CallToolResult) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error %v", tool, err)
	}
	var out map[string]any
	if !res.IsError {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: structured content %s: %v", tool, b, err)
		}
	}
	return out, res
}

func errText(r *mcp.CallToolResult) string {
	for _, c := range r.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			return t.Text
		}
	}
	return ""
}

var allTools = []string{"box_score", "coverage", "describe_table", "health", "lake_list", "lake_read", "lineups", "list_tables", "query", "simulate"}

// checkTools lists the tools and checks names, annotations, schemas and
// the size of the whole list.
func checkTools(t *testing.T, cs *mcp.ClientSession) {
	t.Helper()
	lt, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range lt.Tools {
		names = append(names, tl.Name)
		if tl.Annotations == nil || !tl.Annotations.ReadOnlyHint {
			t.Errorf("%s: readOnlyHint not set", tl.Name)
		}
		if tl.InputSchema == nil || tl.OutputSchema == nil || tl.Description == "" {
			t.Errorf("%s: missing input/output schema or description", tl.Name)
		}
	}
	if strings.Join(names, ",") != strings.Join(allTools, ",") {
		t.Errorf("tools = %v, want %v", names, allTools)
	}
	b, _ := json.Marshal(lt)
	// ~4 bytes per token for JSON schemas and English; 11 tools (the
	// lineups tool took the list from ~2,980 to ~3,240 tokens).
	if tokens := len(b) / 4; tokens > 3300 {
		t.Errorf("tools/list is %d bytes (~%d tokens), want under ~3,300 tokens", len(b), tokens)
	} else {
		t.Logf("tools/list: %d bytes, ~%d tokens", len(b), tokens)
	}
}

// exerciseTools calls every tool and checks its result.
func exerciseTools(t *testing.T, cs *mcp.ClientSession) {
	t.Helper()
	out, r := call(t, cs, "query", map[string]any{"sql": "SELECT game_id, home_pts FROM games ORDER BY game_id", "max_rows": 1})
	if r.IsError {
		t.Fatalf("query: %s", errText(r))
	}
	if cols := out["columns"].([]any); len(cols) != 2 || cols[0] != "game_id" {
		t.Errorf("query columns %v", cols)
	}
	rows := out["rows"].([]any)
	if len(rows) != 1 || out["truncated"] != true || out["truncated_by"] != "row_cap" {
		t.Errorf("query: rows %v truncated %v by %v", rows, out["truncated"], out["truncated_by"])
	}
	if row := rows[0].([]any); row[0] != readonlytest.GameID || row[1] != float64(119) {
		t.Errorf("query row %v", row)
	}
	out, r = call(t, cs, "list_tables", map[string]any{})
	if r.IsError || !strings.Contains(mustJSON(out), `"name":"player_box"`) {
		t.Errorf("list_tables: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "describe_table", map[string]any{"table": "games"})
	if r.IsError || mustJSON(out["primary_key"]) != `["game_id"]` || out["rows"] != float64(2) {
		t.Errorf("describe_table: %s pk=%v rows=%v", errText(r), out["primary_key"], out["rows"])
	}
	out, r = call(t, cs, "lake_list", map[string]any{"prefix": "nba_stats/", "max_keys": 10})
	if r.IsError {
		t.Fatalf("lake_list: %s", errText(r))
	}
	keys := mustJSON(out["objects"])
	if !strings.Contains(keys, pbpKey) || strings.Contains(keys, "escape.json") || strings.Contains(keys, "passwd") {
		t.Errorf("lake_list objects %s (hidden %v)", keys, out["hidden"])
	}
	out, r = call(t, cs, "lake_read", map[string]any{"key": pbpKey, "offset": 2, "length": 11})
	if r.IsError || out["encoding"] != "text" || out["content"] != "resultSets\"" || out["truncated"] != true {
		t.Errorf("lake_read text: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "lake_read", map[string]any{"key": "espn/summary/2023-24/401584689.bin"})
	if r.IsError || out["encoding"] != "base64" || out["content"] != base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 0xff, 0xfe}) {
		t.Errorf("lake_read binary: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "health", map[string]any{})
	if r.IsError || out["database"] == nil || out["lake"] == nil || out["note"] != "no reconciliation yet" {
		t.Errorf("health: %s %v", errText(r), out)
	} else if lk := out["lake"].(map[string]any); lk["objects"].(float64) < 2 {
		t.Errorf("health lake objects %v", lk)
	}
	out, r = call(t, cs, "box_score", map[string]any{"game_id": readonlytest.GameID})
	if r.IsError || out["moment"] != "final" || out["home"].([]any)[5] != float64(119) || len(out["players"].([]any)) != 2 {
		t.Errorf("box_score final: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "box_score", map[string]any{"game_id": readonlytest.GameID, "period": 2, "clock": "7:00"})
	if r.IsError || out["home"].([]any)[5] != float64(2) || !strings.HasPrefix(out["source"].(string), "derived:") {
		t.Errorf("box_score at Q2 7:00: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "box_score", map[string]any{"game_id": readonlytest.GameID, "elapsed_seconds": 1500})
	if r.IsError || out["home"].([]any)[5] != float64(5) {
		t.Errorf("box_score at 1500s: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "coverage", map[string]any{})
	if r.IsError || !strings.Contains(out["note"].(string), "no reconciliation yet") {
		t.Errorf("coverage: %s %v", errText(r), out)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestGoClientHTTP drives the server with the Go SDK client over
// streamable HTTP (stateless, bearer token) on both engines.
func TestGoClientHTTP(t *testing.T) {
	t.Parallel()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, e)
			cs := h.connect(t)
			checkTools(t, cs)
			before := h.fix.Take(t)
			exerciseTools(t, cs)
			if d := readonlytest.Diff(before, h.fix.Take(t)); d != "" {
				t.Errorf("tools changed the database: %s", d)
			}
			// Audit: one line per call with a hash of the arguments.
			lines := h.audit.Lines()
			if len(lines) != 11 {
				t.Fatalf("audit has %d lines, want 11:\n%s", len(lines), strings.Join(lines, "\n"))
			}
			var rec mcpserver.AuditRecord
			if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
				t.Fatal(err)
			}
			if rec.Tool != "query" || len(rec.ArgsSHA256) != 64 || rec.Rows != 1 || !rec.Truncated || rec.Client != "nbasim-test/1" {
				t.Errorf("audit record %+v", rec)
			}
		})
	}
}

func TestHTTPTokenRequired(t *testing.T) {
	t.Parallel()
	h := newHarness(t, engines()[0])
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}`
	for _, auth := range []string{"", "Bearer wrong", "s3cret"} {
		req, _ := http.NewRequest("POST", h.url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: status %d, want 401", auth, resp.StatusCode)
		}
	}
}

func TestCheckListenAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr   string
		remote bool
		token  string
		ok     bool
	}{
		{"127.0.0.1:8765", false, "", true},
		{"[::1]:8765", false, "", true},
		{"localhost:0", false, "", true},
		{"0.0.0.0:8765", false, "", false},
		{"192.0.2.1:8765", false, "x", false},
		{"0.0.0.0:8765", true, "", false},
		{"0.0.0.0:8765", true, "x", true},
		{"nonsense", false, "", false},
	}
	for _, tc := range tests {
		if err := mcpserver.CheckListenAddr(tc.addr, tc.remote, tc.token); (err == nil) != tc.ok {
			t.Errorf("CheckListenAddr(%q, %v, %q) = %v", tc.addr, tc.remote, tc.token, err)
		}
	}
}

// TestLakeEscapes: every attempt to leave the lake fails, through the MCP
// client.
func TestLakeEscapes(t *testing.T) {
	t.Parallel()
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			lakeEscapes(t, newHarness(t, e))
		})
	}
}

func lakeEscapes(t *testing.T, h *harness) {
	cs := h.connect(t)
	for _, key := range []string{
		"../x", "../lake-evil/secret.json", "/etc/passwd", "%2e%2e/x", "%2e%2e%2flake-evil%2fsecret.json",
		"nba_stats\\..\\..\\lake-evil\\secret.json", "nba_stats/../../lake-evil/secret.json", "./x", "a//b",
		"nba_stats/escape.json", "nba_stats/passwd.json", "nba_stats/relative.txt", "nba_stats/x\x00y",
	} {
		t.Run("read "+key, func(t *testing.T) {
			_, r := call(t, cs, "lake_read", map[string]any{"key": key})
			if !r.IsError {
				t.Fatalf("lake_read %q: succeeded", key)
			}
			if txt := errText(r); strings.Contains(txt, `{"secret":true}`) || strings.Contains(txt, "root:x:") {
				t.Errorf("lake_read %q leaked content: %s", key, txt)
			}
			t.Logf("refused: %s", errText(r))
		})
	}
	for _, prefix := range []string{"../", "../lake-evil/", "/etc", "%2e%2e/", "..", "nba_stats/../.."} {
		if _, r := call(t, cs, "lake_list", map[string]any{"prefix": prefix}); !r.IsError {
			t.Errorf("lake_list %q: succeeded", prefix)
		}
	}
	// A sibling prefix stays inside the lake: lake-evil/ lists nothing.
	out, r := call(t, cs, "lake_list", map[string]any{"prefix": "lake-evil/"})
	if r.IsError || len(out["objects"].([]any)) != 0 {
		t.Errorf("lake_list lake-evil/: %s %v", errText(r), out)
	}
	// A symlink that stays inside the lake is readable.
	if out, r := call(t, cs, "lake_read", map[string]any{"key": "nba_stats/inside.json"}); r.IsError || !strings.Contains(out["content"].(string), "resultSets") {
		t.Errorf("inside symlink: %s %v", errText(r), out)
	}
}

// TestBypassThroughMCP sends the bypass battery through the query tool
// (statement checker + database) on both engines: every attempt is an
// error and nothing changes.
func TestBypassThroughMCP(t *testing.T) {
	t.Parallel()
	attacks := []string{
		"COMMIT; DROP TABLE games", "SELECT 1; DELETE FROM games", "/* c */ DELETE FROM games", "-- c\nDELETE FROM games",
		"WITH x AS (DELETE FROM games RETURNING *) SELECT * FROM x", "SELECT * INTO games2 FROM games",
		"CREATE TABLE games2 AS SELECT * FROM games", "COPY games TO PROGRAM 'id'", "COPY games FROM PROGRAM 'id'",
		"SELECT pg_read_file('/etc/passwd')", "SELECT lo_import('/etc/passwd')", "SELECT pg_import_system_collations('pg_catalog')",
		"SELECT set_config('default_transaction_read_only','off',false)", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
		"BEGIN READ WRITE", "DO $$BEGIN DELETE FROM games; END$$", "CALL purge()", "ATTACH DATABASE '/tmp/x.db' AS x",
		"PRAGMA writable_schema=1", "VACUUM INTO '/tmp/x.db'", "UPDATE games SET home_pts = 0", "TRUNCATE games",
	}
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, e)
			cs := h.connect(t)
			before := h.fix.Take(t)
			for _, a := range attacks {
				t.Run(a, func(t *testing.T) {
					_, r := call(t, cs, "query", map[string]any{"sql": a})
					if !r.IsError {
						t.Errorf("%q: succeeded", a)
					}
					t.Logf("refused: %s", errText(r))
				})
			}
			if d := readonlytest.Diff(before, h.fix.Take(t)); d != "" {
				t.Fatalf("database changed: %s", d)
			}
			if n := len(h.audit.Lines()); n != len(attacks) {
				t.Errorf("audit has %d lines for %d calls", n, len(attacks))
			}
		})
	}
}

// TestGoClientStdio builds the nbasim binary and drives `nbasim mcp` over
// stdio with the Go SDK's CommandTransport.
func TestGoClientStdio(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	fix := readonlytest.SQLite(t)
	lf := newLake(t)
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(bin, "--db", fix.SQLitePath, "--lake", lf.URL, "mcp", "--audit-log", auditPath)
	cmd.Env = append(os.Environ(), "NBASIM_LAKE_PREFIX=lake", "NBASIM_CONFIG=")
	cmd.Dir = t.TempDir()
	var stderr syncBuf
	cmd.Stderr = &stderr
	c := mcp.NewClient(&mcp.Implementation{Name: "nbasim-test", Version: "1"}, nil)
	cs, err := c.Connect(context.Background(), &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\nstderr: %s", err, stderr.b.String())
	}
	checkTools(t, cs)
	exerciseTools(t, cs)
	if err := cs.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	b, err := os.ReadFile(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 11 {
		t.Errorf("audit log has %d lines, want 11\nstderr: %s", n, stderr.b.String())
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func buildBinary(t *testing.T) string {
	t.Helper()
	root := testutil.ModuleRoot(t)
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nbasim-mcp-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "nbasim")
		out, err := exec.Command("go", "build", "-o", binPath, filepath.Join(root, "cmd", "nbasim")).CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, binPath)
	}
	return binPath
}

// TestLakeReadRanges: a range that splits a UTF-8 character ends before
// it; offsets past the end return nothing.
func TestLakeReadRanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t, engines()[0])
	if err := h.lake.Lake.Put(context.Background(), "bbref/boxscores/2023-24/x.html", []byte("Nikola Jokić scored"), lake.Meta{}); err != nil {
		t.Fatal(err)
	}
	cs := h.connect(t)
	tests := []struct {
		offset, length int64
		content        string
		truncated      bool
	}{
		{0, 11, "Nikola Joki", true},
		{0, 12, "Nikola Joki", true}, // "ć" is 2 bytes: the split byte is dropped
		{0, 13, "Nikola Jokić", true},
		{13, 100, " scored", false},
		{100, 10, "", false},
	}
	for _, tc := range tests {
		out, r := call(t, cs, "lake_read", map[string]any{"key": "bbref/boxscores/2023-24/x.html", "offset": tc.offset, "length": tc.length})
		if r.IsError || out["encoding"] != "text" || out["content"] != tc.content || out["truncated"] != tc.truncated {
			t.Errorf("offset %d length %d: %s %v", tc.offset, tc.length, errText(r), out)
		}
	}
}

// TestBinaryHTTP runs `nbasim mcp --http 127.0.0.1:0 --token ...` (the
// real command) and drives it with the Go SDK client.
func TestBinaryHTTP(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	fix := readonlytest.SQLite(t)
	lf := newLake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--db", fix.SQLitePath, "--lake", lf.URL, "mcp", "--http", "127.0.0.1:0",
		"--audit-log", filepath.Join(t.TempDir(), "audit.jsonl"))
	cmd.Env = append(os.Environ(), "NBASIM_LAKE_PREFIX=lake", "NBASIM_CONFIG=", "NBASIM_MCP_TOKEN=bin-token")
	cmd.Dir = t.TempDir()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "listening on "); ok {
				urlc <- u
			}
		}
	}()
	var u string
	select {
	case u = <-urlc:
	case <-time.After(60 * time.Second):
		t.Fatal("nbasim mcp --http did not report its address")
	}
	h := &harness{url: u, token: "bin-token"}
	cs := h.connect(t)
	checkTools(t, cs)
	exerciseTools(t, cs)
	// Wrong token: refused.
	h2 := &harness{url: u, token: "wrong"}
	c := mcp.NewClient(&mcp.Implementation{Name: "x", Version: "1"}, nil)
	if _, err := c.Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: h2.url,
		HTTPClient: &http.Client{Transport: bearer{h2.token, http.DefaultTransport}}, MaxRetries: -1}, nil); err == nil {
		t.Error("connected with a wrong token")
	}
}

// TestBinaryRefusesRemote: a non-loopback address without --allow-remote
// (and --allow-remote without a token) exits with an error.
func TestBinaryRefusesRemote(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	fix := readonlytest.SQLite(t)
	for _, args := range [][]string{
		{"mcp", "--http", "0.0.0.0:0"},
		{"mcp", "--http", "0.0.0.0:0", "--allow-remote"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--db", fix.SQLitePath}, args...)...)
		cmd.Env = append(os.Environ(), "NBASIM_CONFIG=", "NBASIM_MCP_TOKEN=")
		cmd.Dir = t.TempDir()
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "loopback") && !strings.Contains(string(out), "token") {
			t.Errorf("%v: err %v, output %s", args, err, out)
		}
	}
}

// TestHealthAndCoverageWithReconciliation: with a reconciliation run
// stored (migration 0005 tables) and its plan file, health reports the
// summary and gaps by priority, and coverage the cells of the latest run.
func TestHealthAndCoverageWithReconciliation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, engines()[0])
	ctx := context.Background()
	plan := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(plan, []byte(`{"summary":{"by_priority":{"CRITICAL":{"gaps":3},"HIGH":{"gaps":5}},"by_gap_kind":{"missing":7,"stale":1}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s := h.fix.Store
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO reconcile_runs (run_id, started_at, status, expected, present, completeness, gaps, tasks, plan_path) VALUES ($1, $2, 'ok', 100, 92, 0.92, 8, 8, $3)`,
			[]any{"r1", "2026-11-28T10:00:00.000Z", plan}},
		{`INSERT INTO reconcile_runs (run_id, started_at, status, expected, present, completeness, gaps, tasks, plan_path) VALUES ($1, $2, 'ok', 100, 50, 0.5, 50, 50, '')`,
			[]any{"r0", "2026-11-27T10:00:00.000Z"}},
		{`INSERT INTO coverage_history (run_id, source, dataset, season, recorded_at, expected, present, missing, completeness) VALUES ('r1', 'nba_stats', 'playbyplayv2', '2023-24', $1, 50, 45, 5, 0.9)`,
			[]any{"2026-11-28T10:00:00.000Z"}},
		{`INSERT INTO coverage_history (run_id, source, dataset, season, recorded_at, expected, present, missing, completeness) VALUES ('r1', 'espn', 'summary', '2023-24', $1, 50, 47, 3, 0.94)`,
			[]any{"2026-11-28T10:00:00.000Z"}},
		{`INSERT INTO coverage_history (run_id, source, dataset, season, recorded_at, expected, present, missing, completeness) VALUES ('r0', 'espn', 'summary', '2023-24', $1, 50, 0, 50, 0)`,
			[]any{"2026-11-27T10:00:00.000Z"}},
	} {
		if _, err := s.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	cs := h.connect(t)
	out, r := call(t, cs, "health", map[string]any{})
	if r.IsError {
		t.Fatal(errText(r))
	}
	rec, _ := out["reconciliation"].(map[string]any)
	if rec == nil || rec["run_id"] != "r1" || rec["completeness"] != 0.92 || mustJSON(rec["gaps_by_priority"]) != `{"CRITICAL":3,"HIGH":5}` {
		t.Errorf("health reconciliation %v", rec)
	}
	out, r = call(t, cs, "coverage", map[string]any{})
	if r.IsError || out["run_id"] != "r1" || len(out["cells"].([]any)) != 2 {
		t.Fatalf("coverage: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "coverage", map[string]any{"source": "espn"})
	cells := out["cells"].([]any)
	if r.IsError || len(cells) != 1 || cells[0].(map[string]any)["present"] != float64(47) {
		t.Errorf("coverage espn: %s %v", errText(r), out)
	}
}
