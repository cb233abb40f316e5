package source_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/source/bbref"
	"github.com/nbasim/nbasim/internal/source/nbastats"
	"github.com/nbasim/nbasim/internal/testutil"
)

func setup(t *testing.T) (*replay.Server, *httptest.Server) {
	t.Helper()
	rs, err := replay.Load(testutil.RealDataDir(t), replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(rs)
	t.Cleanup(hs.Close)
	return rs, hs
}

func fastPolicy(p source.Policy) source.Policy {
	p.Rate, p.Burst, p.Concurrency = 100, 1, 1
	p.Timeout = time.Second // far above a local response on a loaded machine; a hang costs 1 s
	p.BackoffBase, p.BackoffMax = time.Millisecond, 5*time.Millisecond
	p.BreakerThreshold, p.BreakerCooldown = 3, 300*time.Millisecond
	p.MaxWait = 50 * time.Millisecond
	return p
}

func TestErrorClasses(t *testing.T) {
	t.Parallel()
	rs, hs := setup(t)
	src := nbastats.New(replay.BaseURLs(hs.URL)["nba_stats"])
	tests := []struct {
		name     string
		faults   []replay.Fault
		item     string
		class    source.Class // 0: success
		requests int
	}{
		{"404 is permanent, not retried", nil, "0029999999", source.Permanent, 1},
		{"500 then success", []replay.Fault{replay.Fault500}, "0021800001", 0, 2},
		{"reset then success", []replay.Fault{replay.FaultReset}, "0021800001", 0, 2},
		{"truncated then success", []replay.Fault{replay.FaultTruncate}, "0021800001", 0, 2},
		{"error page with 200 then success", []replay.Fault{replay.FaultErrorPage}, "0021800001", 0, 2},
		{"slow body is fine", []replay.Fault{replay.FaultSlow}, "0021800001", 0, 1},
		{"403 three times: throttled", []replay.Fault{replay.Fault403, replay.Fault403, replay.Fault403}, "0021800001", source.Throttled, 3},
		{"hang three times: throttled (stats.nba.com)", []replay.Fault{replay.FaultHang, replay.FaultHang, replay.FaultHang}, "0021800001", source.Throttled, 3},
		{"500 three times: retriable", []replay.Fault{replay.Fault500, replay.Fault500, replay.Fault500}, "0021800001", source.Retriable, 3},
	}
	for _, tc := range tests {
		// Sequential: the cases share the server's fault queue.
		c := source.NewClient(nil)
		p := fastPolicy(src.Policy())
		p.BreakerThreshold = 100
		c.SetPolicy(src.Host(), p)
		rs.ResetLog()
		rs.Inject("stats.nba.com", tc.faults...)
		req, err := src.Request("playbyplayv2", "2018-19", tc.item)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Fetch(context.Background(), req)
		if got := source.ClassOf(err); got != tc.class {
			t.Errorf("%s: class %v (err %v), want %v", tc.name, got, err, tc.class)
		}
		if tc.class == 0 && (resp == nil || len(resp.Body) == 0) {
			t.Errorf("%s: no body", tc.name)
		}
		var fe *source.Error
		if tc.class != 0 && !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a *source.Error", tc.name, err)
		}
		if n := len(rs.Log()); n != tc.requests {
			t.Errorf("%s: %d requests reached the server, want %d", tc.name, n, tc.requests)
		}
	}
}

func TestThrottleSlowsHostDown(t *testing.T) {
	t.Parallel()
	rs, hs := setup(t)
	src := nbastats.New(replay.BaseURLs(hs.URL)["nba_stats"])
	c := source.NewClient(nil)
	c.SetPolicy(src.Host(), fastPolicy(src.Policy()))
	rs.Inject("stats.nba.com", replay.Fault403)
	req, _ := src.Request("playbyplayv2", "2018-19", "0021800001")
	if _, err := c.Fetch(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	st := c.Stats()[0]
	if st.Throttled != 1 || st.Rate >= 100 {
		t.Errorf("after a 403: throttled %d, rate %.1f; want 1 and a rate below 100", st.Throttled, st.Rate)
	}
}

func TestBreakerOpensAndRecovers(t *testing.T) {
	t.Parallel()
	rs, hs := setup(t)
	src := nbastats.New(replay.BaseURLs(hs.URL)["nba_stats"])
	c := source.NewClient(nil)
	p := fastPolicy(src.Policy())
	p.Attempts = 1
	// A cooldown far longer than any scheduling stall of a loaded CI
	// machine: the "refused while open" check below must not race the
	// breaker's half-open transition.
	p.BreakerCooldown = 2 * time.Second
	c.SetPolicy(src.Host(), p)
	ctx := context.Background()
	req, _ := src.Request("playbyplayv2", "2018-19", "0021800001")
	rs.Inject("stats.nba.com", replay.Fault500, replay.Fault500, replay.Fault500)
	for i := 0; i < 3; i++ {
		if _, err := c.Fetch(ctx, req); source.ClassOf(err) != source.Retriable {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if st := c.Stats()[0]; st.State != "open" || st.Opens != 1 {
		t.Fatalf("after 3 failures: %+v, want open", st)
	}
	// Open: refused without a request (the cooldown is longer than MaxWait).
	before := len(rs.Log())
	_, err := c.Fetch(ctx, req)
	if !errors.Is(err, source.ErrBreakerOpen) || source.ClassOf(err) != source.Throttled {
		t.Fatalf("open breaker: %v", err)
	}
	if len(rs.Log()) != before {
		t.Fatal("a request reached the host while the breaker was open")
	}
	time.Sleep(p.BreakerCooldown + 50*time.Millisecond)
	if _, err := c.Fetch(ctx, req); err != nil { // the half-open probe
		t.Fatalf("probe after cooldown: %v", err)
	}
	if st := c.Stats()[0]; st.State != "closed" {
		t.Fatalf("after a good probe: %+v, want closed", st)
	}
	// A failed probe opens it again.
	rs.Inject("stats.nba.com", replay.Fault500, replay.Fault500, replay.Fault500, replay.Fault500)
	for i := 0; i < 3; i++ {
		_, _ = c.Fetch(ctx, req)
	}
	time.Sleep(p.BreakerCooldown + 50*time.Millisecond)
	if _, err := c.Fetch(ctx, req); source.ClassOf(err) != source.Retriable {
		t.Fatalf("failed probe: %v", err)
	}
	if st := c.Stats()[0]; st.State != "open" || st.Opens != 3 {
		t.Fatalf("after a failed probe: %+v, want open (3 opens)", st)
	}
}

func TestBBRef429LocksHostOut(t *testing.T) {
	t.Parallel()
	rs, hs := setup(t)
	src := bbref.New(replay.BaseURLs(hs.URL)["bbref"])
	c := source.NewClient(nil)
	p := src.Policy()
	p.Rate = 100
	c.SetPolicy(src.Host(), p)
	if p.LockoutOn429 != time.Hour {
		t.Fatalf("bbref lockout %s, want 1h", p.LockoutOn429)
	}
	rs.Inject("www.basketball-reference.com", replay.Fault429)
	req, _ := src.Request("boxscores", "2018-19", "201810160BOS")
	_, err := c.Fetch(context.Background(), req)
	if source.ClassOf(err) != source.Throttled || !errors.Is(err, source.ErrBreakerOpen) {
		t.Fatalf("429: %v", err)
	}
	if n := len(rs.Log()); n != 1 {
		t.Fatalf("%d requests after a 429, want 1 (never retried into)", n)
	}
	_, err = c.Fetch(context.Background(), req)
	if !errors.Is(err, source.ErrBreakerOpen) || len(rs.Log()) != 1 {
		t.Fatalf("locked-out host was asked again: %v, %d requests", err, len(rs.Log()))
	}
	if st := c.Stats()[0]; st.State != "locked-out" {
		t.Errorf("state %q, want locked-out", st.State)
	}
}

func TestRetryAfterPausesHost(t *testing.T) {
	t.Parallel()
	rs, hs := setup(t)
	src := nbastats.New(replay.BaseURLs(hs.URL)["nba_stats"])
	c := source.NewClient(nil)
	c.SetPolicy(src.Host(), fastPolicy(src.Policy()))
	rs.SetFaults(replay.Faults{RetryAfter: time.Second})
	rs.Inject("stats.nba.com", replay.Fault429)
	req, _ := src.Request("playbyplayv2", "2018-19", "0021800001")
	if _, err := c.Fetch(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	log := rs.Log()
	if len(log) != 2 || log[0].Status != 429 {
		t.Fatalf("log %+v", log)
	}
	if gap := log[1].Time.Sub(log[0].Time.Add(log[0].Duration)); gap < time.Second-20*time.Millisecond {
		t.Errorf("retried %s after a 429 with Retry-After: 1", gap)
	}
}

func TestRequestOnTheWire(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var body []byte
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"resource":"playbyplay","parameters":{"GameID":"0021800001"},"resultSets":[{"name":"PlayByPlay","headers":[],"rowSet":[]},{"name":"AvailableVideo","headers":[],"rowSet":[]}]}`)
	}))
	defer hs.Close()
	src := nbastats.New(hs.URL + "/stats/")
	c := source.NewClient(nil)
	c.SetPolicy(src.Host(), fastPolicy(src.Policy()))
	req, _ := src.Request("playbyplayv2", "2018-19", "0021800001")
	if _, err := c.Fetch(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got.Method != "GET" || got.ContentLength != 0 || len(got.TransferEncoding) != 0 || len(body) != 0 {
		t.Errorf("request: %s, length %d, transfer encoding %v, body %q", got.Method, got.ContentLength, got.TransferEncoding, body)
	}
	for h, want := range map[string]string{
		"Referer": "https://www.nba.com/", "Origin": "https://www.nba.com", "X-Nba-Stats-Origin": "stats",
		"X-Nba-Stats-Token": "true", "Accept": "application/json, text/plain, */*",
	} {
		if got.Header.Get(h) != want {
			t.Errorf("header %s = %q, want %q", h, got.Header.Get(h), want)
		}
	}
	if !strings.Contains(got.Header.Get("User-Agent"), "Mozilla/5.0") {
		t.Errorf("User-Agent %q is not a browser's", got.Header.Get("User-Agent"))
	}
	if q := got.URL.Query(); q.Get("GameID") != "0021800001" || q.Get("StartPeriod") != "0" || q.Get("EndPeriod") != "10" {
		t.Errorf("query %s", got.URL.RawQuery)
	}
}

func TestConcurrencyCap(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	inFlight, peak := 0, 0
	// The first requests wait until two are in flight together (or 10 s
	// pass), so the peak reaches the cap however the machine schedules the
	// goroutines: no sleep that assumes an idle machine.
	both := make(chan struct{})
	var once sync.Once
	body := readRec(t, "nba_stats/playbyplayv2/0021800001.json")
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		if inFlight >= 2 {
			once.Do(func() { close(both) })
		}
		mu.Unlock()
		select {
		case <-both:
		case <-time.After(10 * time.Second):
		}
		time.Sleep(time.Millisecond) // give a third request, were the cap broken, time to arrive
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	defer hs.Close()
	src := nbastats.New(hs.URL + "/stats/")
	c := source.NewClient(nil)
	p := fastPolicy(src.Policy())
	p.Rate, p.Burst, p.Concurrency = 0, 1, 2
	c.SetPolicy(src.Host(), p)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := src.Request("playbyplayv2", "2018-19", "0021800001")
			if _, err := c.Fetch(context.Background(), req); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak != 2 {
		t.Errorf("at most %d requests in flight, want 2 (the cap)", peak)
	}
}
