package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nbasim/nbasim/internal/fleet"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

const testHost = "stats.nba.com"

// slack is how many requests beyond rate+burst a 1-second window at the
// server may hold: the limiter hands out slots that never exceed
// rate+burst, and a request more than half an interval late gives its slot
// up, but a request can still be delayed between that check and its
// arrival (the race detector, a machine with a load of 30 on 2 cores), and
// late arrivals bunch with punctual ones: allow 100 ms of arrival delay
// (two slots at 20/s) plus one request. Without the fleet the same windows
// hold 4x the rate (the control run), so the check still fails.
const slack = 3

// TestMain lets the test binary act as one process of a fleet (see
// TestProcessesShareTheRate).
func TestMain(m *testing.M) {
	if os.Getenv("NBASIM_FLEET_CHILD") != "" {
		if err := child(); err != nil {
			fmt.Fprintln(os.Stderr, "fleet child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// openLimiter opens a limiter on its own pool (as a separate process
// would) in the schema of url.
func openLimiter(t testing.TB, url string) *fleet.Limiter {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	l, err := fleet.Open(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// arrival is one request the test server received.
type arrival struct {
	at     time.Time
	client string
	status int
}

// recorder is a real HTTP server that logs every arrival and answers 200,
// or what next() says.
type recorder struct {
	mu   sync.Mutex
	log  []arrival
	next func(n int) (status int, retryAfter string) // n: 1-based arrival number
	hs   *httptest.Server
}

func newRecorder(t testing.TB) *recorder {
	r := &recorder{}
	r.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		n := len(r.log) + 1
		status, ra := http.StatusOK, ""
		if r.next != nil {
			status, ra = r.next(n)
		}
		r.log = append(r.log, arrival{at: time.Now(), client: req.Header.Get("X-Client"), status: status})
		r.mu.Unlock()
		if ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(r.hs.Close)
	return r
}

func (r *recorder) arrivals() []arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]arrival(nil), r.log...)
	sort.Slice(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

func (r *recorder) setNext(f func(n int) (int, string)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next = f
}

// maxInWindow is the most arrivals in any window [t, t+w).
func maxInWindow(as []arrival, w time.Duration) int {
	n, _ := worstWindow(as, w)
	return n
}

// worstWindow returns the most arrivals in any window [t, t+w) and the
// gaps between them, for failure messages.
func worstWindow(as []arrival, w time.Duration) (int, []time.Duration) {
	best, bi, j := 0, 0, 0
	for i := range as {
		for j < len(as) && as[j].at.Sub(as[i].at) < w {
			j++
		}
		if j-i > best {
			best, bi = j-i, i
		}
	}
	var gaps []time.Duration
	for k := bi + 1; k < bi+best; k++ {
		gaps = append(gaps, as[k].at.Sub(as[k-1].at).Round(time.Millisecond))
	}
	return best, gaps
}

func policy(rate float64, burst int) source.Policy {
	return source.Policy{Rate: rate, Burst: burst, Concurrency: 4, Attempts: 1, Timeout: 5 * time.Second,
		BreakerThreshold: 1000, MaxWait: time.Minute}
}

func newClient(f source.Fleet, p source.Policy) *source.Client {
	c := source.NewClient(nil)
	c.SetPolicy(testHost, p)
	if f != nil {
		c.SetFleet(f)
	}
	return c
}

// hammer sends requests from workers goroutines of c until ctx ends.
func hammer(ctx context.Context, c *source.Client, url, client string, workers int) {
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req := &source.Request{Host: testHost, URL: url, Header: http.Header{"X-Client": {client}}}
				_, _ = c.Fetch(ctx, req)
			}
		}()
	}
	wg.Wait()
}

func TestGoroutinesShareTheRate(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	const rate, burst, clients = 20, 1, 4
	run := func(withFleet bool, d time.Duration) []arrival {
		rec := newRecorder(t)
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var wg sync.WaitGroup
		for i := range clients {
			var f source.Fleet
			if withFleet {
				f = openLimiter(t, url) // a pool each, as separate processes
			}
			c := newClient(f, policy(rate, burst))
			wg.Add(1)
			go func() {
				defer wg.Done()
				hammer(ctx, c, rec.hs.URL+"/x", strconv.Itoa(i), 4)
			}()
		}
		wg.Wait()
		return rec.arrivals()
	}
	// Control: without the fleet, 4 clients send 4x the rate, so the check
	// below can fail.
	if got := maxInWindow(run(false, 1500*time.Millisecond), time.Second); got <= 2*rate {
		t.Fatalf("control without the fleet: at most %d requests in a second; the check could not fail", got)
	}
	const d = 3 * time.Second
	as := run(true, d)
	if got, gaps := worstWindow(as, time.Second); got > rate+burst+slack {
		t.Errorf("with the fleet: %d requests in one second, want at most rate+burst+slack = %d (gaps %v)", got, rate+burst+slack, gaps)
	}
	// Not starved: close to the rate over the run.
	if min := int(0.5 * rate * d.Seconds()); len(as) < min {
		t.Errorf("with the fleet: %d requests in %s, want at least %d", len(as), d, min)
	}
	seen := map[string]bool{}
	for _, a := range as {
		seen[a.client] = true
	}
	if len(seen) != clients {
		t.Errorf("requests from %d clients, want all %d served", len(seen), clients)
	}
}

// child is one fleet process: it hammers the server for a while.
func child() error {
	d, err := time.ParseDuration(os.Getenv("NBASIM_FLEET_DURATION"))
	if err != nil {
		return err
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("NBASIM_FLEET_PG"))
	if err != nil {
		return err
	}
	defer pool.Close()
	l, err := fleet.Open(ctx, pool)
	if err != nil {
		return err
	}
	rate, _ := strconv.ParseFloat(os.Getenv("NBASIM_FLEET_RATE"), 64)
	burst, _ := strconv.Atoi(os.Getenv("NBASIM_FLEET_BURST"))
	c := newClient(l, policy(rate, burst))
	rctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	hammer(rctx, c, os.Getenv("NBASIM_FLEET_URL"), os.Getenv("NBASIM_FLEET_CHILD"), 4)
	return nil
}

func TestProcessesShareTheRateAndRetryAfter(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	openLimiter(t, url) // the table exists before the children race for it
	rec := newRecorder(t)
	const rate, burst, procs = 20, 2, 3
	const retryAfter = 2 * time.Second
	var t429 time.Time
	rec.setNext(func(n int) (int, string) {
		if n == 40 { // once, about 2 s in
			t429 = time.Now()
			return http.StatusTooManyRequests, strconv.Itoa(int(retryAfter / time.Second))
		}
		return http.StatusOK, ""
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var cmds []*exec.Cmd
	for i := range procs {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "NBASIM_FLEET_CHILD=p"+strconv.Itoa(i), "NBASIM_FLEET_PG="+url,
			"NBASIM_FLEET_URL="+rec.hs.URL+"/x", "NBASIM_FLEET_DURATION=6s",
			"NBASIM_FLEET_RATE="+strconv.Itoa(rate), "NBASIM_FLEET_BURST="+strconv.Itoa(burst))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	as := rec.arrivals()
	if got, gaps := worstWindow(as, time.Second); got > rate+burst+slack {
		t.Errorf("%d processes: %d requests in one second, want at most rate+burst+slack = %d (gaps %v)", procs, got, rate+burst+slack, gaps)
	}
	seen := map[string]int{}
	for _, a := range as {
		seen[a.client]++
	}
	if len(seen) != procs {
		t.Errorf("requests from %v, want all %d processes", seen, procs)
	}
	if t429.IsZero() {
		t.Fatalf("only %d requests: the 429 was never sent", len(as))
	}
	// The Retry-After seen by one process holds for all: nothing arrives
	// from 100 ms after the 429 (requests already on the wire) until the
	// pause ends, then requests resume.
	var during, after int
	for _, a := range as {
		switch d := a.at.Sub(t429); {
		case d > 100*time.Millisecond && d < retryAfter-50*time.Millisecond:
			during++
		case d >= retryAfter-50*time.Millisecond && d < retryAfter+time.Second:
			after++
		}
	}
	if during != 0 {
		t.Errorf("%d requests arrived during the fleet-wide Retry-After pause, want 0", during)
	}
	if after == 0 {
		t.Errorf("no request in the second after the pause: requests did not resume")
	}
	t.Logf("%d requests from %v; max %d in a second; after the pause %d in its first second", len(as), seen, maxInWindow(as, time.Second), after)
}

func TestLockoutStopsEveryProcess(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	rec := newRecorder(t)
	rec.setNext(func(int) (int, string) { return http.StatusTooManyRequests, "" })
	p := policy(100, 1)
	p.LockoutOn429 = time.Hour
	a, b := newClient(openLimiter(t, url), p), newClient(openLimiter(t, url), p)
	ctx := context.Background()
	_, err := a.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x", Header: http.Header{"X-Client": {"a"}}})
	if source.ClassOf(err) != source.Throttled {
		t.Fatalf("a: %v, want a throttled failure", err)
	}
	_, err = b.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x", Header: http.Header{"X-Client": {"b"}}})
	if !errors.Is(err, source.ErrBreakerOpen) {
		t.Errorf("b after a's lockout: %v, want ErrBreakerOpen", err)
	}
	if n := len(rec.arrivals()); n != 1 {
		t.Errorf("%d requests reached the server, want 1 (b must not send during a's lockout)", n)
	}
	l := openLimiter(t, url)
	until, reason, err := l.PausedUntil(ctx, testHost)
	if err != nil || reason != source.PauseLockout || time.Until(until) < 59*time.Minute {
		t.Errorf("PausedUntil = %v, %q, %v; want a lockout for about an hour", until, reason, err)
	}
	// An operator lifts it: b sends again.
	if err := l.Reset(ctx, testHost); err != nil {
		t.Fatal(err)
	}
	rec.setNext(nil)
	if _, err := b.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x"}); err != nil {
		t.Errorf("b after Reset: %v", err)
	}
}

func TestBreakerOpensForEveryProcess(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	rec := newRecorder(t)
	rec.setNext(func(int) (int, string) { return http.StatusInternalServerError, "" })
	pa := policy(100, 1)
	pa.BreakerThreshold, pa.BreakerCooldown, pa.Attempts = 2, 1500*time.Millisecond, 2
	pa.BackoffBase, pa.BackoffMax = time.Millisecond, 2*time.Millisecond
	a := newClient(openLimiter(t, url), pa)
	ctx := context.Background()
	if _, err := a.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x"}); source.ClassOf(err) != source.Retriable {
		t.Fatalf("a: %v, want a retriable failure", err)
	}
	opened := time.Now()
	rec.setNext(nil)
	// b waits at most 100 ms: refused without a request.
	pb := policy(100, 1)
	pb.MaxWait = 100 * time.Millisecond
	b := newClient(openLimiter(t, url), pb)
	if _, err := b.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x"}); !errors.Is(err, source.ErrBreakerOpen) {
		t.Errorf("impatient b: %v, want ErrBreakerOpen", err)
	}
	if n := len(rec.arrivals()); n != 2 {
		t.Errorf("%d requests reached the server, want a's 2", n)
	}
	// c waits up to a minute: it sends once the cooldown is over.
	c := newClient(openLimiter(t, url), policy(100, 1))
	if _, err := c.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x"}); err != nil {
		t.Fatalf("patient c: %v", err)
	}
	as := rec.arrivals()
	if len(as) != 3 || as[2].at.Sub(opened) < 1400*time.Millisecond {
		t.Errorf("c sent %s after the breaker opened (%d requests), want after the 1.5 s cooldown", as[len(as)-1].at.Sub(opened), len(as))
	}
}

func TestThrottlingSlowsEveryProcess(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	rec := newRecorder(t)
	rec.setNext(func(n int) (int, string) {
		if n == 1 {
			return http.StatusTooManyRequests, "" // no Retry-After: slow down only
		}
		return http.StatusOK, ""
	})
	ctx := context.Background()
	a := newClient(openLimiter(t, url), policy(40, 1))
	if _, err := a.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x"}); source.ClassOf(err) != source.Throttled {
		t.Fatalf("a: %v, want throttled", err)
	}
	l := openLimiter(t, url)
	hosts, err := l.Hosts(ctx)
	if err != nil || len(hosts) != 1 || hosts[0].RateFactor != 0.5 {
		t.Fatalf("Hosts = %+v, %v; want %s at rate factor 0.5", hosts, err, testHost)
	}
	// b paces at half of its configured 40/s: 9 requests take 8 intervals
	// of 50 ms, not of 25 ms.
	b := newClient(l, policy(40, 1))
	rec.setNext(nil)
	start := time.Now()
	for range 9 {
		if _, err := b.Fetch(ctx, &source.Request{Host: testHost, URL: rec.hs.URL + "/x"}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Errorf("9 requests of b in %s: b did not slow down with the fleet (want >= 400 ms)", d)
	}
	if st := b.Stats(); len(st) != 1 || st[0].Rate != 20 {
		t.Errorf("b's stats: %+v, want rate 20", st)
	}
}

func TestTakePauseScale(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	l := openLimiter(t, url)
	ctx := context.Background()
	const h = "example.test"
	// A burst of 5 at 2/s: 5 slots now, then one every 500 ms after the
	// first. Measured from the first slot, not from the test's clock: a
	// loaded machine delays the first Take (a CI run saw slot 6 at 606 ms
	// from the start); a slot may also come late when its Take did (the
	// bucket refilled meanwhile), never early.
	var ats, returned []time.Time
	for range 7 {
		s, err := l.Take(ctx, h, 2, 5)
		if err != nil {
			t.Fatal(err)
		}
		ats, returned = append(ats, s.At), append(returned, time.Now())
	}
	for i, at := range ats {
		want := time.Duration(0)
		if i >= 5 {
			want = time.Duration(i-4) * 500 * time.Millisecond
		}
		// 100 ms: the database's clock is read where the row is written,
		// the local one when the answer arrives
		latest := ats[0].Add(want)
		if returned[i].After(latest) {
			latest = returned[i]
		}
		if d := at.Sub(ats[0]); d < want-100*time.Millisecond || at.After(latest.Add(100*time.Millisecond)) {
			t.Errorf("slot %d at %s after the first, want %s (or when its Take returned, %s)", i+1, d, want, returned[i].Sub(ats[0]))
		}
	}
	// A pause: Take reserves nothing and reports it; a shorter pause does
	// not shorten it; the later one's reason wins.
	if err := l.Pause(ctx, h, time.Now().Add(2*time.Second), source.PauseRetryAfter); err != nil {
		t.Fatal(err)
	}
	if err := l.Pause(ctx, h, time.Now().Add(time.Second), source.PauseBreaker); err != nil {
		t.Fatal(err)
	}
	s, err := l.Take(ctx, h, 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !s.At.IsZero() || s.Reason != source.PauseRetryAfter || time.Until(s.PausedUntil) < 1500*time.Millisecond {
		t.Errorf("Take during a pause: %+v, want no slot and the 2 s retry_after pause", s)
	}
	if err := l.Pause(ctx, h, time.Now().Add(time.Hour), source.PauseLockout); err != nil {
		t.Fatal(err)
	}
	if until, reason, err := l.PausedUntil(ctx, h); err != nil || reason != source.PauseLockout || time.Until(until) < 59*time.Minute {
		t.Errorf("PausedUntil = %v %q %v, want the lockout", until, reason, err)
	}
	// Unlimited rate: no slot reserved, the pause still reported.
	if s, err := l.Take(ctx, h, 0, 1); err != nil || !s.At.IsZero() || s.Reason != source.PauseLockout {
		t.Errorf("unlimited Take during the lockout: %+v %v", s, err)
	}
	// Scale stays within [min, 1].
	tests := []struct{ factor, min, want float64 }{{0.5, 0.125, 0.5}, {0.5, 0.125, 0.25}, {0.1, 0.125, 0.125}, {1.25, 0.125, 0.15625}, {100, 0.125, 1}}
	for _, tc := range tests {
		got, err := l.Scale(ctx, h, tc.factor, tc.min)
		if err != nil || got != tc.want {
			t.Errorf("Scale(%v, %v) = %v, %v; want %v", tc.factor, tc.min, got, err, tc.want)
		}
	}
	if _, err := l.Scale(ctx, h, 0, 0.1); err == nil {
		t.Error("Scale by 0: no error")
	}
	if s, err := l.Take(ctx, "fresh.test", 0, 1); err != nil || s.At.IsZero() {
		t.Errorf("unlimited Take of an idle host: %+v %v, want a slot now", s, err)
	}
}

func TestOpenIsIdempotentUnderConcurrency(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool, err := pgxpool.New(context.Background(), url)
			if err != nil {
				errs <- err
				return
			}
			defer pool.Close()
			_, err = fleet.Open(context.Background(), pool)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
	if _, err := fleet.Open(context.Background(), nil); err == nil {
		t.Error("Open(nil): no error")
	}
}
