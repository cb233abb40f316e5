package collect

import (
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
)

// TestDefaultPolicies checks the pacing the default configuration gives
// each host: the rates the providers tolerate, 3 attempts, stats.nba.com's
// 403s and timeouts counted as throttling, basketball-reference's 429
// lockout of an hour.
func TestDefaultPolicies(t *testing.T) {
	t.Parallel()
	cfg := config.Default().Sources
	reg := Registry(cfg)
	tests := []struct {
		source       string
		rate         float64
		throttle403  bool
		timeoutIsThr bool
		lockout      time.Duration
		wantBaseURL  string
	}{
		{"nba_stats", 0.5, true, true, 0, "https://stats.nba.com/stats/"},
		{"nba_live", 2, false, false, 0, "https://cdn.nba.com/"},
		{"espn", 1, false, false, 0, "https://site.api.espn.com/apis/site/v2/sports/basketball/nba/"},
		{"bbref", 1 / 3.5, false, false, time.Hour, "https://www.basketball-reference.com/"},
	}
	for _, tc := range tests {
		s, err := reg.Get(tc.source)
		if err != nil {
			t.Fatal(err)
		}
		p := s.Policy().Apply(cfg[tc.source])
		if p.Rate != tc.rate || p.Attempts != 3 || p.ThrottleOn403 != tc.throttle403 || p.TimeoutIsThrottle != tc.timeoutIsThr || p.LockoutOn429 != tc.lockout {
			t.Errorf("%s: %+v", tc.source, p)
		}
		if tc.source == "bbref" && p.Rate*60 > 20 {
			t.Errorf("bbref: %.1f requests a minute, the site allows 20", p.Rate*60)
		}
		if cfg[tc.source].BaseURL != tc.wantBaseURL {
			t.Errorf("%s: default base URL %q", tc.source, cfg[tc.source].BaseURL)
		}
		req, err := s.ScheduleRequests(2023)
		if err != nil || len(req) == 0 || req[0].Host != s.Host() {
			t.Errorf("%s: schedule requests %v %v", tc.source, req, err)
		}
	}
}

// TestHostConcurrencyIsConfigured checks that the collector runs as many
// workers per host as the configured policy allows, not the source's
// default (one).
func TestHostConcurrencyIsConfigured(t *testing.T) {
	t.Parallel()
	cfg := config.Default().Sources
	reg := Registry(cfg)
	espnCfg := cfg["espn"]
	espnCfg.Concurrency = 3
	run := map[string]config.Source{"espn": espnCfg}
	col := &Collector{Client: NewClient(reg, run), Registry: reg}
	for _, tc := range []struct {
		source string
		want   int
	}{
		{"espn", 3},      // configured
		{"nba_stats", 1}, // the default
	} {
		s, err := reg.Get(tc.source)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.Policy().Concurrency; tc.source == "espn" && d == tc.want {
			t.Fatalf("espn's default concurrency is already %d: the case proves nothing", d)
		}
		if got := col.hostConcurrency(s.Host()); got != tc.want {
			t.Errorf("%s: %d workers, want %d", tc.source, got, tc.want)
		}
	}
	if got := col.hostConcurrency("example.invalid"); got != 1 {
		t.Errorf("an undeclared host: %d workers, want 1", got)
	}
}
