package collect

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/testutil"
)

var (
	nbaIDRe   = regexp.MustCompile(`^00[1-6]\d{7}$`)
	bbrefIDRe = regexp.MustCompile(`^/boxscores/(\d{8}0[A-Z]{3})\.html$`)
	schedRe   = regexp.MustCompile(`^/leagues/NBA_(\d{4})_games-([a-z]+)\.html$`)
)

// testRate is the rate of every host in the tests: high enough to be quick,
// low enough that the pacer is what limits.
const testRate = 50.0

type env struct {
	rs   *replay.Server
	hs   *httptest.Server
	reg  *source.Registry
	cfg  map[string]config.Source
	lake *lake.Lake
	col  *Collector
}

func newEnv(t *testing.T, rs *replay.Server) *env {
	t.Helper()
	return newEnvBreaker(t, rs, 5)
}

// newEnvBreaker is newEnv with the breaker threshold given.
func newEnvBreaker(t *testing.T, rs *replay.Server, threshold int) *env {
	t.Helper()
	hs := httptest.NewServer(rs)
	t.Cleanup(hs.Close)
	cfg := map[string]config.Source{}
	for name, base := range replay.BaseURLs(hs.URL) {
		cfg[name] = config.Source{BaseURL: base}
	}
	reg := Registry(cfg)
	client := source.NewClient(nil)
	for _, s := range reg.All() {
		p := s.Policy()
		// One request in flight a host. checkRetryAfter reads the
		// server's log, which cannot tell a request admitted before the
		// client read a 429 from one sent after it: with 4 in flight on a
		// loaded 2-core machine (load 47) such requests reached the
		// server up to 0.9 s after the 429 left, and 500 ms timeouts
		// fired. The collector ran one worker a host whatever this said
		// until hostConcurrency read the configured policy;
		// TestHostConcurrencyIsConfigured covers the concurrency.
		p.Rate, p.Burst, p.Concurrency, p.Attempts = testRate, 5, 1, 8
		p.Timeout = 500 * time.Millisecond
		p.BackoffBase, p.BackoffMax = 5*time.Millisecond, 100*time.Millisecond
		p.BreakerThreshold, p.BreakerCooldown = threshold, 200*time.Millisecond
		p.LockoutOn429 = 0 // the fault test injects 429s into every host
		client.SetPolicy(s.Host(), p)
	}
	lk, err := lake.Open(context.Background(), "file://"+t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	return &env{rs: rs, hs: hs, reg: reg, cfg: cfg, lake: lk, col: &Collector{Lake: lk, Client: client, Registry: reg}}
}

// recordedRequests builds, for every source, a request for every game (and
// schedule object) the replay server holds in a dataset of ours.
func recordedRequests(t *testing.T, rs *replay.Server, reg *source.Registry) []*source.Request {
	t.Helper()
	seen := map[string]bool{}
	var out []*source.Request
	add := func(src, ds, season, item string) {
		s, err := reg.Get(src)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Request(ds, season, item)
		if err != nil {
			t.Fatalf("%s %s %s %s: %v", src, ds, season, item, err)
		}
		if !seen[r.String()] {
			seen[r.String()] = true
			out = append(out, r)
		}
	}
	for _, e := range rs.Entries() {
		switch e.Host {
		case "stats.nba.com":
			ep := strings.TrimPrefix(e.Path, "/stats/")
			gid := e.Query.Get("GameID")
			switch {
			case ep == "leaguegamelog" && e.Query.Get("Counter") == "1000":
				add("nba_stats", ep, e.Query.Get("Season"), "regular_T")
			case nbaIDRe.MatchString(gid) && (ep == "playbyplayv2" || ep == "playbyplayv3" || ep == "boxscoretraditionalv3" || ep == "gamerotation"):
				s, _ := layout.SeasonOfGameID(gid)
				add("nba_stats", ep, s.String(), gid)
			case nbaIDRe.MatchString(gid) && ep == "boxscoretraditionalv2":
				s, _ := layout.SeasonOfGameID(gid)
				if sr := e.Query.Get("StartRange"); sr != "" && sr != "0" {
					add("nba_stats", "boxscoretraditionalv2_range", s.String(), gid+"_"+sr+"-"+e.Query.Get("EndRange"))
				} else {
					add("nba_stats", ep, s.String(), gid)
				}
			}
		case "cdn.nba.com":
			base := e.Path[strings.LastIndexByte(e.Path, '/')+1:]
			for _, ds := range []string{"playbyplay", "boxscore"} {
				if id, ok := strings.CutPrefix(base, ds+"_"); ok {
					id = strings.TrimSuffix(id, ".json")
					s, _ := layout.SeasonOfGameID(id)
					add("nba_live", ds, s.String(), id)
				}
			}
		case "site.api.espn.com":
			switch {
			case strings.HasSuffix(e.Path, "/nba/summary"):
				add("espn", "summary", "2023-24", e.Query.Get("event")) // 401585607: 2024-03-17
			case strings.HasSuffix(e.Path, "/nba/scoreboard"):
				d, _ := time.Parse("20060102", e.Query.Get("dates"))
				add("espn", "scoreboard", layout.SeasonOfDate(d).String(), e.Query.Get("dates"))
			}
		case "www.basketball-reference.com":
			if m := bbrefIDRe.FindStringSubmatch(e.Path); m != nil {
				d, _ := time.Parse("20060102", m[1][:8])
				add("bbref", "boxscores", layout.SeasonOfDate(d).String(), m[1])
			} else if m := schedRe.FindStringSubmatch(e.Path); m != nil {
				var y int
				for _, c := range m[1] {
					y = y*10 + int(c-'0')
				}
				add("bbref", "schedule", layout.Season(y-1).String(), m[2])
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// lakeHashes returns key -> sha256 of every object, checking that each
// object's metadata hash equals the hash of its bytes.
func lakeHashes(t *testing.T, lk *lake.Lake) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	err := lk.Walk(ctx, "", func(o lake.Object) error {
		b, err := lk.Read(ctx, o.Key)
		if err != nil {
			return err
		}
		st, err := lk.Stat(ctx, o.Key)
		if err != nil {
			return err
		}
		if h := lake.SHA256(b); st.Meta.SHA256 != h {
			t.Errorf("%s: metadata sha256 %s, bytes hash %s", o.Key, st.Meta.SHA256, h)
		}
		out[o.Key] = st.Meta.SHA256
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkAgainstRecordings checks that every request's object is in the lake,
// byte-identical to the recording the replay server answers its URL with,
// with provenance metadata.
func checkAgainstRecordings(t *testing.T, e *env, reqs []*source.Request) {
	t.Helper()
	ctx := context.Background()
	for _, r := range reqs {
		key, _ := r.Key()
		got, err := e.lake.Read(ctx, key)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		want, entry, err := e.rs.Recording(replay.RealURL(e.hs.URL, r.URL))
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if lake.SHA256(got) != lake.SHA256(want) {
			t.Errorf("%s: lake object differs from recording %s", key, entry.Name())
		}
		st, err := e.lake.Stat(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		m := st.Meta
		if m.Source != r.Source || m.Endpoint != r.Dataset || m.URL != r.URL || m.SHA256 != lake.SHA256(want) || m.FetchedAt.IsZero() || m.ContentType == "" {
			t.Errorf("%s: provenance %+v", key, m)
		}
	}
}

func loadReplay(t *testing.T) *replay.Server {
	t.Helper()
	dir := testutil.RealDataDir(t)
	rs, err := replay.Load(dir, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestFetchEveryRecordedGame(t *testing.T) {
	t.Parallel()
	rs := loadReplay(t)
	e := newEnv(t, rs)
	reqs := recordedRequests(t, rs, e.reg)
	perSource := map[string]int{}
	for _, r := range reqs {
		perSource[r.Source]++
	}
	t.Logf("requests per source: %v", perSource)
	for _, s := range []string{"nba_stats", "nba_live", "espn", "bbref"} {
		if perSource[s] == 0 {
			t.Fatalf("no recorded items for %s", s)
		}
	}
	ctx := context.Background()
	sum, err := e.col.Fetch(ctx, "all", reqs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary: %s", sum)
	if sum.Fetched != len(reqs) || sum.FailedTotal() != 0 {
		for _, f := range sum.Failures {
			t.Errorf("failed: %s: %v", f.Key, f.Err)
		}
		t.Fatalf("fetched %d of %d", sum.Fetched, len(reqs))
	}
	checkAgainstRecordings(t, e, reqs)

	// Again: everything is in the lake, nothing is requested.
	e.rs.ResetLog()
	sum2, err := e.col.Fetch(ctx, "all", reqs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Present != len(reqs) || len(e.rs.Log()) != 0 {
		t.Errorf("second run: present %d of %d, %d requests", sum2.Present, len(reqs), len(e.rs.Log()))
	}
	// Forced: identical bytes write nothing.
	sum3, err := e.col.Fetch(ctx, "all", reqs, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum3.Unchanged != len(reqs) || sum3.Fetched != 0 {
		t.Errorf("forced run: unchanged %d, fetched %d of %d", sum3.Unchanged, sum3.Fetched, len(reqs))
	}
}

func TestFetchWithFaultsMatchesFaultFreeRun(t *testing.T) {
	t.Parallel()
	clean := newEnv(t, loadReplay(t))
	reqs := recordedRequests(t, clean.rs, clean.reg)
	ctx := context.Background()
	if sum, err := clean.col.Fetch(ctx, "clean", reqs, Options{}); err != nil || sum.FailedTotal() != 0 {
		t.Fatalf("fault-free run: %v %+v", err, sum)
	}
	want := lakeHashes(t, clean.lake)

	rs := loadReplay(t)
	rs.SetFaults(replay.Faults{Rate: 0.2, Kinds: append(replay.AllFaults, replay.Fault403), RetryAfter: time.Second,
		HangFor: 5 * time.Second, SlowFor: 100 * time.Millisecond, Seed: 7})
	// A low breaker threshold, so that runs of faults open it: requests
	// wait out the cooldown, a probe closes it again.
	e := newEnvBreaker(t, rs, 2)
	reqs = recordedRequests(t, rs, e.reg)
	var sum *Summary
	for round := 1; round <= 5; round++ { // failed items are fetched again by the next run
		s, err := e.col.Fetch(ctx, "faulty", reqs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d: %s", round, s)
		for _, f := range s.Failures {
			t.Logf("  failed %s: %v", f.Key, f.Err)
		}
		if sum == nil {
			sum = s
		}
		if s.FailedTotal() == 0 {
			break
		}
	}
	got := lakeHashes(t, e.lake)
	for k, h := range want {
		if got[k] != h {
			t.Errorf("%s: faulty run %q, fault-free %q", k, got[k], h)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("faulty run wrote %s, which the fault-free run did not (an invalid object?)", k)
		}
	}
	checkAgainstRecordings(t, e, reqs)

	log := rs.Log()
	faults := map[replay.Fault]int{}
	for _, le := range log {
		if le.Fault != "" {
			faults[le.Fault]++
		}
	}
	t.Logf("%d requests, faults injected: %v", len(log), faults)
	for _, f := range append(replay.AllFaults, replay.Fault403) {
		if faults[f] == 0 {
			t.Errorf("fault %s never injected", f)
		}
	}
	opens := int64(0)
	for _, st := range e.col.Client.Stats() {
		t.Logf("pacer %s: %d attempts, %d failed, %d throttled, breaker opened %d times, rate now %.1f/s, %s",
			st.Host, st.Requests, st.Failures, st.Throttled, st.Opens, st.Rate, st.State)
		opens += st.Opens
		if st.State == "open" || st.State == "locked-out" {
			t.Errorf("%s: breaker still %s at the end", st.Host, st.State)
		}
	}
	if opens == 0 {
		t.Error("the breaker never opened under 20% faults")
	}
	checkRates(t, log, testRate, 5)
	checkRetryAfter(t, log)
}

// jitterAllowance is how late a request paced on time may reach the server
// on a loaded CI machine (two cores shared by parallel test binaries).
const jitterAllowance = 100 * time.Millisecond

// checkRates checks, from the server's own log, that no host received more
// than burst + rate*W requests in any window of W seconds (a sliding
// window starting at every request), with jitterAllowance of extra window
// and one request of allowance for scheduling jitter.
func checkRates(t *testing.T, log []replay.LogEntry, rate float64, burst int) {
	t.Helper()
	byHost := map[string][]time.Time{}
	for _, le := range log {
		byHost[le.Host] = append(byHost[le.Host], le.Time)
	}
	for host, ts := range byHost {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		for _, w := range []time.Duration{100 * time.Millisecond, time.Second, 3 * time.Second} {
			// Arrival times at the server carry the scheduling delays of a
			// loaded machine: requests the pacer spaced correctly can arrive
			// bunched. Allow them jitterAllowance of extra window, plus one
			// request (a rate twice the limit still fails the 1 s and 3 s windows).
			limit := float64(burst) + rate*(w+jitterAllowance).Seconds() + 1
			worst := 0
			j := 0
			for i := range ts {
				for j < len(ts) && ts[j].Sub(ts[i]) < w {
					j++
				}
				worst = max(worst, j-i)
			}
			if float64(worst) > limit {
				t.Errorf("%s: %d requests within %s, limit %.0f", host, worst, w, limit)
			}
			t.Logf("%s: at most %d requests in any %s (limit %.0f)", host, worst, w, limit)
		}
	}
}

// checkRetryAfter checks that after a 429 with Retry-After no request
// reached that host before the delay was over (requests already on the
// wire when the 429 left get retryAfterGrace: on a loaded machine a request
// admitted just before the client saw the 429 can reach the server late).
func checkRetryAfter(t *testing.T, log []replay.LogEntry) {
	t.Helper()
	const retryAfterGrace = 250 * time.Millisecond
	n := 0
	for _, a := range log {
		if a.Status != 429 || a.RetryAfter == 0 {
			continue
		}
		n++
		sent := a.Time.Add(a.Duration)
		for _, b := range log {
			if b.Host == a.Host && b.Time.After(sent.Add(retryAfterGrace)) && b.Time.Before(sent.Add(a.RetryAfter-20*time.Millisecond)) {
				t.Errorf("%s: request at %s, %s after a 429 with Retry-After %s", b.Host, b.Time.Format("15:04:05.000"), b.Time.Sub(sent), a.RetryAfter)
			}
		}
	}
	if n == 0 {
		t.Error("no 429 with Retry-After in the log")
	}
}

// TestFetchStopsAfterALakeWriteError: when the lake cannot be written, the
// workers stop instead of spending the sources' rate limits on bytes that
// cannot be kept; the error is returned.
func TestFetchStopsAfterALakeWriteError(t *testing.T) {
	t.Parallel()
	rs := loadReplay(t)
	e := newEnv(t, rs)
	var reqs []*source.Request
	for _, r := range recordedRequests(t, rs, e.reg) {
		if r.Source == "nba_stats" && r.Dataset == "playbyplayv2" {
			reqs = append(reqs, r)
		}
	}
	if len(reqs) < 20 {
		t.Fatalf("only %d playbyplayv2 requests recorded", len(reqs))
	}
	// A file where the lake needs a folder: every write of the dataset
	// fails (even as root, unlike a read-only folder).
	root := strings.TrimPrefix(e.lake.URL(), "file://")
	if err := os.MkdirAll(filepath.Join(root, "nba_stats"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "nba_stats", "playbyplayv2"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := e.col.Fetch(context.Background(), "lake-error", reqs, Options{Workers: 2, Force: true})
	if err == nil {
		t.Fatalf("no error; summary %s", sum)
	}
	n := len(rs.Log())
	t.Logf("%d of %d requests sent before stopping: %v", n, len(reqs), err)
	// two workers: each may have one fetch in flight when the first write fails
	if n > 4 {
		t.Errorf("%d requests after the lake failed (want at most 4 of %d)", n, len(reqs))
	}
	if sum.FailedTotal() != 0 {
		t.Errorf("fetches cut short counted as item failures: %v", sum.Failed)
	}
}
