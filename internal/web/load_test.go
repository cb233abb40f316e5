package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/timing"
)

// The load check: C concurrent clients, each sending R requests for the box
// at a random moment (?elapsed=, whole seconds) of a random game, over real
// HTTP to the server on a read-only database. Every answer must be a 200
// with a box; the latencies' p50/p99 are reported.
//
// In CI it runs at a reduced size on the fixture (one game, 8 clients x 25
// requests). The full size of docs/benchmarks.md (50 x 200 on the 2018-19
// season) runs on a loaded SQLite database, or a PostgreSQL one (a URL;
// the scratch database's owner is accepted as the read-only role):
//
//	NBASIM_WEB_LOAD_DB=/path/nbasim.db NBASIM_WEB_LOAD_SEASON=2018-19 \
//	  go test -run TestBoxLoad -v -count=1 ./internal/web
//
// (NBASIM_WEB_LOAD_CLIENTS and NBASIM_WEB_LOAD_REQUESTS change 50 and 200,
// NBASIM_WEB_LOAD_WARM_ROUNDS the 3 warm rounds after the cold one);
// scripts/web-load.sh runs it and prints only the summary.

type loadResult struct {
	Requests, Errors int
	Games            int
	Wall             time.Duration
	CPU              time.Duration // the process's CPU time (clients and server)
	P50, P99, Max    time.Duration
	FirstError       string
}

func (r loadResult) String() string {
	return fmt.Sprintf("%d requests on %d games in %s (%.0f req/s): %d errors; latency p50 %s, p99 %s, max %s",
		r.Requests, r.Games, r.Wall.Round(time.Millisecond), float64(r.Requests)/r.Wall.Seconds(), r.Errors,
		r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
}

// boxLoad runs clients x requests box requests against base, each client
// on its own connection (newLoadConn; kind "" is the raw client).
func boxLoad(base, kind string, games []string, final map[string]float64, clients, requests int, seed uint64) loadResult {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	lat := make([]time.Duration, 0, clients*requests)
	var mu sync.Mutex
	var errs int
	var first string
	fail := func(bad string) {
		mu.Lock()
		errs++
		if first == "" {
			first = bad
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), timing.CPUTime()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := newLoadConn(kind, base, hc)
			if err != nil {
				fail(err.Error())
				return
			}
			defer conn.close()
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			mine := make([]time.Duration, 0, requests)
			for range requests {
				g := games[rng.IntN(len(games))]
				at := rng.IntN(int(final[g]) + 1)
				t0 := time.Now()
				status, n, err := conn.get("/api/v1/games/" + g + "/box?elapsed=" + strconv.Itoa(at))
				d := time.Since(t0)
				mine = append(mine, d)
				switch {
				case err != nil:
					fail(fmt.Sprintf("%s: %v", g, err))
				case status != 200 || n < 100:
					fail(fmt.Sprintf("%s: %d (%d bytes)", g, status, n))
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall, cpu := time.Since(start), timing.CPUTime()-cpu0
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	return loadResult{Requests: len(lat), Errors: errs, Games: len(games), Wall: wall, CPU: cpu, P50: q(0.50), P99: q(0.99), Max: lat[len(lat)-1], FirstError: first}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestBoxLoad(t *testing.T) {
	if path := os.Getenv("NBASIM_WEB_LOAD_DB"); path != "" {
		fullLoad(t, path)
		return
	}
	f := newFixture(t, store.SQLite)
	final := map[string]float64{fixtureGame: f.game.FinalState().Elapsed.Seconds()}
	r := boxLoad(f.ts.URL, "", []string{fixtureGame}, final, 8, 25, 1)
	t.Log(r)
	if r.Errors != 0 || r.Requests != 200 {
		t.Fatalf("%s; first error: %s", r, r.FirstError)
	}
}

// openLoadDB opens the database of a full-size load run read-only (a
// PostgreSQL URL: a scratch database the season was loaded into as its
// owner).
func openLoadDB(t *testing.T, path string) *readonly.DB {
	t.Helper()
	ctx := context.Background()
	var db *readonly.DB
	var err error
	if storeopen.IsPostgresURL(path) {
		db, err = readonly.OpenPostgres(ctx, path, readonly.Options{MaxConns: 8, AllowPrivileged: true})
	} else {
		db, err = readonly.OpenSQLite(ctx, path, readonly.Options{MaxConns: 8})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// loadGames returns the games of season with plays and the elapsed
// seconds of each one's last play (the range of its random moments).
func loadGames(t *testing.T, srv *Server, season string) ([]string, map[string]float64) {
	t.Helper()
	rows, err := srv.rowsOf(context.Background(), 100_000, `SELECT DISTINCT p.game_id, MAX(p.elapsed) FROM plays p JOIN games g ON g.game_id = p.game_id
WHERE ($1 = '' OR g.season = $1) GROUP BY p.game_id ORDER BY p.game_id`, season)
	if err != nil {
		t.Fatal(err)
	}
	games := make([]string, 0, len(rows))
	final := map[string]float64{}
	for _, r := range rows {
		id := asString(r[0])
		games = append(games, id)
		final[id] = float64(asInt(r[1])) / 10
	}
	if len(games) == 0 {
		t.Fatalf("no games with plays in %s (season %q)", srv.db.Info().Location, season)
	}
	return games, final
}

// fullLoad is the benchmark of docs/benchmarks.md on a loaded database.
// With NBASIM_WEB_LOAD_URL the server is another process (`nbasim serve`
// on the same database, scripts/web-load.sh starts it) and this process
// is only the clients: the end-to-end figure. Without it the server runs
// in this process, on an httptest listener.
func fullLoad(t *testing.T, path string) {
	ctx := context.Background()
	season := os.Getenv("NBASIM_WEB_LOAD_SEASON")
	db := openLoadDB(t, path)
	srv, err := New(Options{DB: db, Cache: gamecache.New(0)})
	if err != nil {
		t.Fatal(err)
	}
	base, remote := os.Getenv("NBASIM_WEB_LOAD_URL"), true
	serverPID, _ := strconv.Atoi(os.Getenv("NBASIM_WEB_LOAD_SERVER_PID"))
	if base == "" {
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		base, remote, serverPID = ts.URL, false, 0
	}
	games, final := loadGames(t, srv, season)
	clients, requests := envInt("NBASIM_WEB_LOAD_CLIENTS", 50), envInt("NBASIM_WEB_LOAD_REQUESTS", 200)
	rounds := envInt("NBASIM_WEB_LOAD_WARM_ROUNDS", 3)
	kind := os.Getenv("NBASIM_WEB_LOAD_CLIENT")
	if kind == "" {
		kind = "raw"
	}
	load0 := timing.LoadAvg()
	var results []loadResult
	var serverCPU []time.Duration
	var serverAge []float64 // the server's age at each round's start (gctrace's @ times)
	errs := 0
	stopProfile := func() {}
	for i := range rounds + 1 {
		if i == 1 {
			stopProfile = profileWarm(t)
		}
		s0 := procCPU(serverPID)
		serverAge = append(serverAge, procAge(serverPID))
		r := boxLoad(base, kind, games, final, clients, requests, uint64(1+i))
		serverCPU = append(serverCPU, procCPU(serverPID)-s0)
		if i == 0 {
			t.Logf("cold cache (each game read and compiled on its first request): %s", r)
		} else {
			t.Logf("warm cache, round %d: %s", i, r)
		}
		results = append(results, r)
		errs += r.Errors
	}
	stopProfile()
	// the summary scripts/web-load.sh prints
	where := "server in this process (httptest), clients in the same process"
	if remote {
		where = fmt.Sprintf("server: nbasim serve (pid %d) at %s; clients in another process", serverPID, base)
	}
	fmt.Printf("SUMMARY box-at-a-moment over HTTP, %s %s, season %q: %d games, %d clients x %d requests\n", db.Dialect(), db.Info().Location, season, len(games), clients, requests)
	fmt.Printf("SUMMARY %s (%s client); GOMAXPROCS %d\n", where, kind, runtime.GOMAXPROCS(0))
	fmt.Printf("SUMMARY load average (1 5 15 min) at start: %s; at end: %s\n", load0, timing.LoadAvg())
	cpuHead := "CPU/request"
	if remote {
		cpuHead = "server CPU/req client CPU/req  server age at start"
	}
	fmt.Printf("SUMMARY %-8s %8s %7s %9s %11s %11s %11s  %s\n", "run", "requests", "errors", "req/s", "p50", "p99", "max", cpuHead)
	under := 0
	for i, r := range results {
		name := "cold"
		if i > 0 {
			name = fmt.Sprintf("warm %d", i)
			if r.P99 < 10*time.Millisecond {
				under++
			}
		}
		n := time.Duration(max(r.Requests, 1))
		cpu := fmt.Sprintf("%d µs", (r.CPU / n).Microseconds())
		if remote {
			cpu = fmt.Sprintf("%14s %14s %10.1f s", fmt.Sprintf("%d µs", (serverCPU[i]/n).Microseconds()), cpu, serverAge[i])
		}
		fmt.Printf("SUMMARY %-8s %8d %7d %9.0f %11s %11s %11s  %s\n", name, r.Requests, r.Errors, float64(r.Requests)/r.Wall.Seconds(),
			ms(r.P50), ms(r.P99), ms(r.Max), cpu)
	}
	fmt.Printf("SUMMARY warm rounds with p99 under 10 ms: %d of %d\n", under, rounds)
	if remote {
		fmt.Printf("SUMMARY (CPU/request: user+system time per request of the server process (/proc, 10 ms ticks) and of this client process; they share the machine's %d cores)\n", runtime.NumCPU())
	} else {
		fmt.Printf("SUMMARY (CPU/request: user+system time of the process, the %d clients' HTTP work included, per request; it does not depend on the machine's load)\n", clients)
	}
	if !remote {
		// how long `nbasim serve --preload` takes to warm a fresh cache
		pre, err := New(Options{DB: db, Cache: gamecache.New(0)})
		if err != nil {
			t.Fatal(err)
		}
		start, cpu0 := time.Now(), timing.CPUTime()
		_, n, err := pre.Preload(ctx, season, 1)
		fmt.Printf("SUMMARY preload (serve --preload %s, 1 worker, fresh cache): %d games compiled in %.1f s wall, %.1f s CPU; err %v\n",
			season, n, time.Since(start).Seconds(), (timing.CPUTime() - cpu0).Seconds(), err)
	}
	if errs != 0 {
		t.Fatalf("%d errors; first: cold %q, warm %q", errs, results[0].FirstError, results[len(results)-1].FirstError)
	}
}

// profileWarm starts a CPU profile of this process into the file
// NBASIM_WEB_LOAD_CPUPROFILE names (if any) and returns what stops it: the
// warm rounds' profile, without the cold round's reads and compiles.
func profileWarm(t *testing.T) func() {
	path := os.Getenv("NBASIM_WEB_LOAD_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	}
}

// procCPU is the user+system CPU time of process pid (0: none) from
// /proc/PID/stat, in clock ticks of 10 ms (USER_HZ 100).
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// the fields after the command name (which may hold spaces) in parentheses
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// procAge is how long process pid (0: none) has been running, in
// seconds (/proc/uptime less the start time in /proc/PID/stat): the clock
// of the server's gctrace lines.
func procAge(pid int) float64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	u, uerr := os.ReadFile("/proc/uptime")
	if err != nil || uerr != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 20 {
		return 0
	}
	start, _ := strconv.ParseFloat(f[19], 64) // field 22: start time, clock ticks (USER_HZ 100) after boot
	up, _ := strconv.ParseFloat(strings.Fields(string(u))[0], 64)
	return up - start/100
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// BenchmarkBoxHandler is the warm path of a box at a moment without the
// network: the handler (parameters, cache hit, fold, JSON) on random whole
// seconds of the fixture game.
//
//	go test -run '^$' -bench BoxHandler -benchmem -cpuprofile cpu.out ./internal/web
func BenchmarkBoxHandler(b *testing.B) {
	f := newFixture(b, store.SQLite)
	h := f.srv.Handler()
	end := int(f.game.FinalState().Elapsed.Seconds())
	rng := rand.New(rand.NewPCG(1, 2))
	get := func(at int) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/games/"+fixtureGame+"/box?elapsed="+strconv.Itoa(at), nil))
		return rec.Code
	}
	if c := get(0); c != 200 {
		b.Fatalf("status %d", c)
	}
	b.ReportAllocs()
	cpu0 := timing.CPUTime()
	for b.Loop() {
		if c := get(rng.IntN(end + 1)); c != 200 {
			b.Fatalf("status %d", c)
		}
	}
	b.ReportMetric(float64((timing.CPUTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkBoxServe is the warm path over real HTTP on loopback: the
// server's whole request path (net/http, middleware, handler, writing the
// answer) and a raw keep-alive client (a few µs and 2 allocations a
// request) on random whole seconds of the fixture game, one request at a
// time. allocs/op is the server's (plus the client's 2); cpu-µs/op is
// both sides' CPU.
//
//	go test -run '^$' -bench BoxServe -benchmem -memprofile mem.out ./internal/web
func BenchmarkBoxServe(b *testing.B) {
	f := newFixture(b, store.SQLite)
	end := int(f.game.FinalState().Elapsed.Seconds())
	rng := rand.New(rand.NewPCG(1, 2))
	conn, err := newLoadConn("raw", f.ts.URL, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.close()
	get := func(at int) {
		status, n, err := conn.get("/api/v1/games/" + fixtureGame + "/box?elapsed=" + strconv.Itoa(at))
		if err != nil || status != 200 || n < 100 {
			b.Fatalf("status %d, %d bytes, err %v", status, n, err)
		}
	}
	get(0)
	b.ReportAllocs()
	cpu0 := timing.CPUTime()
	for b.Loop() {
		get(rng.IntN(end + 1))
	}
	b.ReportMetric(float64((timing.CPUTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}
