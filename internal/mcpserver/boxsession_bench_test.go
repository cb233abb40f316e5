package mcpserver_test

import (
	"context"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
)

// BenchmarkBoxScoreSession: 10,000 box_score calls at random (game, moment)
// over one MCP session (in-memory transport) against a full database
// (NBASIM_MCP_BOX_DB=path/to/nbasim.db, e.g. the 14,061 archived games of
// scripts/archive-full.sh). NBASIM_MCP_BOX_GAMES bounds the games drawn
// from (default all); the cache holds them all, so after the first call of
// a game the cost is a fold. Reports p50/p99 of all calls and of cache hits.
func BenchmarkBoxScoreSession(b *testing.B) {
	path := os.Getenv("NBASIM_MCP_BOX_DB")
	if path == "" {
		b.Skip("NBASIM_MCP_BOX_DB not set (a loaded SQLite database)")
	}
	ctx := context.Background()
	db, err := readonly.OpenSQLite(ctx, path, readonly.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := readonly.Querier(db).Query(ctx, `SELECT game_id FROM games ORDER BY game_id`)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if n := envInt("NBASIM_MCP_BOX_GAMES"); n > 0 && n < len(ids) {
		ids = ids[:n]
	}
	srv, err := mcpserver.New(mcpserver.Options{DB: db, Cache: gamecache.New(len(ids) + 10)})
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
	seen := map[string]bool{}
	var all, hits []time.Duration
	b.ResetTimer()
	for range b.N {
		all, hits = all[:0], hits[:0]
		for range 10000 {
			id := ids[rng.IntN(len(ids))]
			args := map[string]any{"game_id": id, "elapsed_seconds": float64(rng.IntN(2880))}
			t0 := time.Now()
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "box_score", Arguments: args})
			d := time.Since(t0)
			if err != nil || res.IsError {
				b.Fatalf("%v: %v %v", args, err, res)
			}
			all = append(all, d)
			if seen[id] {
				hits = append(hits, d)
			}
			seen[id] = true
		}
	}
	b.StopTimer()
	q := func(ds []time.Duration, p float64) float64 {
		if len(ds) == 0 {
			return 0
		}
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(all, 0.5), "p50-ms")
	b.ReportMetric(q(all, 0.99), "p99-ms")
	b.ReportMetric(q(hits, 0.99), "p99-hit-ms")
	b.ReportMetric(float64(len(hits)), "hits")
	b.ReportMetric(float64(len(ids)), "games")
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}
