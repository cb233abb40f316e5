package mcpserver_test

import (
	"bufio"
	"bytes"
	"container/list"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
)

// The box-mcp benchmarks: 10,000 box_score calls at random (game, moment)
// over one MCP session against a full database (NBASIM_MCP_BOX_DB=path to
// a loaded SQLite database, e.g. the 14,061 archived games of
// scripts/archive-full.sh). Games are drawn from all the database's games
// (NBASIM_MCP_BOX_GAMES bounds them to that many, drawn at random), moments
// from 0 to 48:00. The server's cache holds NBASIM_MCP_BOX_CACHE games
// (default mcpserver.DefaultCacheGames, what `nbasim mcp` keeps). A call is
// a hit when its game is in the server's LRU, which the client replays
// (one session, one cache: the same sequence of games), else a miss (read
// + compile). Reported: p50, p99 and max of all calls, of misses and of
// hits, in ms.
//
//   - BenchmarkBoxScoreSession: the go-sdk client and server in one process
//     (in-memory transport): the engine-side figure.
//   - BenchmarkBoxScoreSessionStdio: the go-sdk client driving a real
//     `nbasim mcp` process over stdio (mcp.CommandTransport; the binary is
//     NBASIM_MCP_BOX_BIN): the end-to-end figure, JSON-RPC over pipes
//     included.

// boxCalls is the number of calls of a session (NBASIM_MCP_BOX_CALLS
// overrides it for a quick profile).
func boxCalls() int {
	if n := envInt("NBASIM_MCP_BOX_CALLS"); n > 0 {
		return n
	}
	return 10000
}

func boxDB(b *testing.B) string {
	path := os.Getenv("NBASIM_MCP_BOX_DB")
	if path == "" {
		b.Skip("NBASIM_MCP_BOX_DB not set (a loaded SQLite database)")
	}
	return path
}

// boxGames lists the database's games in a random order (seeded), at most
// NBASIM_MCP_BOX_GAMES of them.
func boxGames(b *testing.B, db *readonly.DB) []string {
	ctx := context.Background()
	rows, err := readonly.Querier(db).Query(ctx, `SELECT game_id FROM games ORDER BY game_id`)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if n := envInt("NBASIM_MCP_BOX_GAMES"); n > 0 && n < len(ids) {
		ids = ids[:n]
	}
	return ids
}

func boxCache() int {
	if n := envInt("NBASIM_MCP_BOX_CACHE"); n > 0 {
		return n
	}
	return mcpserver.DefaultCacheGames
}

// lru replays the server's cache: whether a game is in it when asked for.
type lru struct {
	cap   int
	ll    *list.List
	items map[string]*list.Element
}

func (c *lru) touch(id string) (hit bool) {
	if el, ok := c.items[id]; ok {
		c.ll.MoveToFront(el)
		return true
	}
	c.items[id] = c.ll.PushFront(id)
	if c.ll.Len() > c.cap {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(string))
	}
	return false
}

// runBoxSession makes the calls through the go-sdk client and reports the
// figures.
func runBoxSession(b *testing.B, cs *mcp.ClientSession, ids []string, capacity int) {
	ctx := context.Background()
	runBoxCalls(b, ids, capacity, func(id string, elapsed float64) error {
		args := map[string]any{"game_id": id, "elapsed_seconds": elapsed}
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "box_score", Arguments: args})
		if err == nil && res.IsError {
			err = fmt.Errorf("%v", res.Content)
		}
		if err != nil {
			return fmt.Errorf("%v: %w", args, err)
		}
		return nil
	})
}

// runBoxCalls makes the calls (random games of ids, random moments: the
// same sequence on every run) and reports the figures.
func runBoxCalls(b *testing.B, ids []string, capacity int, call func(id string, elapsed float64) error) {
	rng := rand.New(rand.NewPCG(3, 4))
	var all, hits, misses []time.Duration
	b.ResetTimer()
	for range b.N {
		all, hits, misses = all[:0], hits[:0], misses[:0]
		cache := &lru{cap: capacity, ll: list.New(), items: map[string]*list.Element{}}
		for range boxCalls() {
			id := ids[rng.IntN(len(ids))]
			elapsed := float64(rng.IntN(2880))
			t0 := time.Now()
			err := call(id, elapsed)
			d := time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			all = append(all, d)
			if cache.touch(id) {
				hits = append(hits, d)
			} else {
				misses = append(misses, d)
			}
		}
	}
	b.StopTimer()
	for _, r := range []struct {
		name string
		ds   []time.Duration
	}{{"", all}, {"-miss", misses}, {"-hit", hits}} {
		s := append([]time.Duration(nil), r.ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		q := func(p float64) float64 {
			if len(s) == 0 {
				return 0
			}
			return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
		}
		b.ReportMetric(q(0.5), "p50"+r.name+"-ms")
		b.ReportMetric(q(0.99), "p99"+r.name+"-ms")
		b.ReportMetric(q(1), "max"+r.name+"-ms")
	}
	b.ReportMetric(float64(len(hits)), "hits")
	b.ReportMetric(float64(len(misses)), "misses")
	b.ReportMetric(float64(len(ids)), "games")
	b.ReportMetric(float64(capacity), "cache")
	if path := os.Getenv("NBASIM_MCP_BOX_DUMP"); path != "" {
		// every call's latency in order ("call ms"), for a plot over the session
		var sb strings.Builder
		for i, d := range all {
			fmt.Fprintf(&sb, "%d %.3f\n", i, float64(d.Microseconds())/1000)
		}
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBoxScoreSession(b *testing.B) {
	path := boxDB(b)
	ctx := context.Background()
	db, err := readonly.OpenSQLite(ctx, path, readonly.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ids := boxGames(b, db)
	capacity := boxCache()
	srv, err := mcpserver.New(mcpserver.Options{DB: db, Cache: gamecache.New(capacity)})
	if err != nil {
		b.Fatal(err)
	}
	cpu0, err := cpuTime()
	if err != nil {
		b.Fatal(err)
	}
	st, ct := mcp.NewInMemoryTransports()
	go srv.MCP().Run(ctx, st)
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cs.Close()
	runBoxSession(b, cs, ids, capacity)
	if cpu1, err := cpuTime(); err == nil {
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/float64(b.N*boxCalls()), "cpu-ms/call")
	}
	if st := srv.CacheStats(); st.Loads == 0 {
		b.Fatalf("no game loaded: %+v", st)
	}
}

func BenchmarkBoxScoreSessionStdio(b *testing.B) {
	cmd, ids, capacity := boxServerCmd(b)
	ctx := context.Background()
	cpu0 := clientCPU(b)
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		b.Fatal(fmt.Errorf("start %s mcp: %w", cmd.Path, err))
	}
	runBoxSession(b, cs, ids, capacity)
	if err := cs.Close(); err != nil {
		b.Logf("close: %v", err)
	}
	reportCPU(b, cmd, cpu0)
}

// BenchmarkBoxScoreSessionStdioRaw: the calls of
// BenchmarkBoxScoreSessionStdio to a real `nbasim mcp` process, written as
// the go-sdk client writes them (the 2026-07-28 protocol's _meta on every
// request) but by a client that does next to nothing: one line out, one
// line in, no decoding. The server's side of the stdio figure.
func BenchmarkBoxScoreSessionStdioRaw(b *testing.B) {
	cmd, ids, capacity := boxServerCmd(b)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cpu0 := clientCPU(b)
	if err := cmd.Start(); err != nil {
		b.Fatal(fmt.Errorf("start %s mcp: %w", cmd.Path, err))
	}
	const meta = `{"io.modelcontextprotocol/clientCapabilities":{"roots":{"listChanged":true}},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"},"io.modelcontextprotocol/protocolVersion":"2026-07-28"}`
	out := bufio.NewReaderSize(stdout, 1<<20)
	var line []byte
	n := 1
	roundTrip := func(line []byte) ([]byte, error) {
		if _, err := stdin.Write(line); err != nil {
			return nil, err
		}
		return out.ReadSlice('\n')
	}
	if _, err := roundTrip([]byte(`{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":` + meta + "}}\n")); err != nil {
		b.Fatal(err)
	}
	runBoxCalls(b, ids, capacity, func(id string, elapsed float64) error {
		n++
		line = fmt.Appendf(line[:0], `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"_meta":%s,"name":"box_score","arguments":{"elapsed_seconds":%d,"game_id":%q}}}`+"\n",
			n, meta, int(elapsed), id)
		resp, err := roundTrip(line)
		if err == nil && (!bytes.HasPrefix(resp, fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"result":{`, n)) || bytes.Contains(resp, []byte(`"isError":true`))) {
			err = fmt.Errorf("%.300s", resp)
		}
		if err != nil {
			return fmt.Errorf("%s at %v: %w", id, elapsed, err)
		}
		return nil
	})
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Logf("server: %v", err)
	}
	reportCPU(b, cmd, cpu0)
}

// boxServerCmd is the `nbasim mcp` command of the stdio benchmarks (not
// started), the games to draw from and the server's cache size.
func boxServerCmd(b *testing.B) (*exec.Cmd, []string, int) {
	path := boxDB(b)
	bin := os.Getenv("NBASIM_MCP_BOX_BIN")
	if bin == "" {
		b.Skip("NBASIM_MCP_BOX_BIN not set (an nbasim binary)")
	}
	db, err := readonly.OpenSQLite(context.Background(), path, readonly.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ids := boxGames(b, db)
	db.Close()
	capacity := boxCache()
	dir := b.TempDir()
	cmd := exec.Command(bin, "--db", path, "--lake", "file://"+filepath.Join(dir, "lake"), "--log-level", "warn",
		"mcp", "--cache-games", strconv.Itoa(capacity), "--audit-log", filepath.Join(dir, "audit.jsonl"))
	cmd.Stderr = os.Stderr
	return cmd, ids, capacity
}

// clientCPU is the benchmark process's CPU time so far.
func clientCPU(b *testing.B) time.Duration {
	t, err := cpuTime()
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// reportCPU reports the CPU time a call of the ended server process and
// of the client (this process, since cpu0).
func reportCPU(b *testing.B, cmd *exec.Cmd, cpu0 time.Duration) {
	calls := float64(b.N * boxCalls())
	if ps := cmd.ProcessState; ps != nil {
		b.ReportMetric(float64((ps.UserTime()+ps.SystemTime()).Microseconds())/1000/calls, "server-cpu-ms/call")
	}
	if cpu1, err := cpuTime(); err == nil {
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/calls, "client-cpu-ms/call")
	}
}

// cpuTime is the process's CPU time (user + system) so far.
func cpuTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}
