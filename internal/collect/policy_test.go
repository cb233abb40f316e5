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
