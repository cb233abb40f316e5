package mcpserver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/mcpserver"
)

// BenchmarkLoadHTTP: 50 concurrent MCP clients (Go SDK, streamable HTTP,
// stateless, bearer token) each send 200 query calls; any error fails the
// benchmark. Reports p50/p99/max latency of one tools/call round trip and
// calls per second. Run:
//
//	go test ./internal/mcpserver -run '^$' -bench LoadHTTP -benchtime 1x
func BenchmarkLoadHTTP(b *testing.B) {
	const clients, perClient = 50, 200
	for _, e := range engines() {
		b.Run(e.name, func(b *testing.B) {
			_, db := e.open(b)
			lf := newLake(b)
			srv, err := mcpserver.New(mcpserver.Options{DB: db, Lake: lf.Lake, LakeRoot: lf.Root, Audit: mcpserver.NewAudit(&syncBuf{}, nil)})
			if err != nil {
				b.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler(mcpserver.HTTPOptions{Token: "tok"}))
			defer hs.Close()
			tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
			defer tr.CloseIdleConnections()
			queries := []string{
				"SELECT game_id, home_code, away_code, home_pts, away_pts FROM games ORDER BY game_id",
				"SELECT name, pts, reb, ast FROM player_box WHERE game_id = '0022300001' ORDER BY pts DESC",
				"SELECT count(*) FROM plays",
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var mu sync.Mutex
				lat := make([]time.Duration, 0, clients*perClient)
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				start := time.Now()
				for c := 0; c < clients; c++ {
					wg.Add(1)
					go func(c int) {
						defer wg.Done()
						cl := mcp.NewClient(&mcp.Implementation{Name: fmt.Sprintf("load-%d", c), Version: "1"}, nil)
						cs, err := cl.Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: hs.URL,
							HTTPClient: &http.Client{Transport: bearer{"tok", tr}}, MaxRetries: -1, DisableStandaloneSSE: true}, nil)
						if err != nil {
							errs <- err
							return
						}
						defer cs.Close()
						mine := make([]time.Duration, 0, perClient)
						for k := 0; k < perClient; k++ {
							t0 := time.Now()
							res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "query",
								Arguments: map[string]any{"sql": queries[(c+k)%len(queries)]}})
							if err != nil {
								errs <- fmt.Errorf("client %d call %d: %w", c, k, err)
								return
							}
							if res.IsError {
								errs <- fmt.Errorf("client %d call %d: %s", c, k, errText(res))
								return
							}
							mine = append(mine, time.Since(t0))
						}
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
					}(c)
				}
				wg.Wait()
				wall := time.Since(start)
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
				if len(lat) != clients*perClient {
					b.Fatalf("%d calls completed, want %d", len(lat), clients*perClient)
				}
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(pct(0.50), "p50_ms")
				b.ReportMetric(pct(0.99), "p99_ms")
				b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max_ms")
				b.ReportMetric(float64(len(lat))/wall.Seconds(), "calls/s")
				b.ReportMetric(0, "errors")
			}
		})
	}
}
