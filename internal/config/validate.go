package config

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
)

// Validate checks the effective config; each problem names the key and
// where its value came from. All problems are reported together.
func Validate(cfg *Config, o *Origins) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Where: o.Get(key).String(), Msg: fmt.Sprintf(format, args...)})
	}
	oneOf := func(key, v string, allowed ...string) {
		if !slices.Contains(allowed, strings.ToLower(v)) {
			msg := fmt.Sprintf("want one of %s, got %q", strings.Join(allowed, ", "), v)
			if s := suggest(strings.ToLower(v), allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			bad(key, "%s", msg)
		}
	}
	positive := func(key string, n int64) {
		if n <= 0 {
			bad(key, "must be greater than 0, got %d", n)
		}
	}

	switch scheme, _, _ := strings.Cut(cfg.Lake.URL, "://"); {
	case cfg.Lake.URL == "":
		bad("lake.url", "must not be empty (file://./data/lake, s3://bucket, mem://)")
	case !strings.Contains(cfg.Lake.URL, "://"):
		bad("lake.url", "%q has no scheme: want file://, s3:// or mem://", cfg.Lake.URL)
	case scheme != "file" && scheme != "s3" && scheme != "mem":
		bad("lake.url", "scheme %q is not supported: want file://, s3:// or mem://", scheme)
	case scheme == "s3":
		if u, err := url.Parse(cfg.Lake.URL); err != nil || u.Host == "" {
			bad("lake.url", "s3 URL needs a bucket: s3://bucket?region=..")
		}
	}
	switch cfg.Lake.Layout {
	case "", "nbasim", "nba_simulator", "auto":
	default:
		bad("lake.layout", "%q is not a layout: want nbasim, nba_simulator or auto", cfg.Lake.Layout)
	}
	if cfg.Database.URL != "" {
		u, err := url.Parse(cfg.Database.URL)
		switch {
		case err != nil:
			bad("database.url", "not a URL: %v", redactErr(err))
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			bad("database.url", "scheme %q is not supported: want postgres:// (or a SQLite path in database.sqlite_path)", u.Scheme)
		case u.Host == "":
			bad("database.url", "needs a host: postgres://user@host:5432/db")
		}
	} else if cfg.Database.SQLitePath == "" {
		bad("database.sqlite_path", "must not be empty when database.url is empty")
	}
	positive("database.max_conns", int64(cfg.Database.MaxConns))
	if cfg.Database.MinConns < 0 || cfg.Database.MinConns > cfg.Database.MaxConns {
		bad("database.min_conns", "must be between 0 and database.max_conns (%d), got %d", cfg.Database.MaxConns, cfg.Database.MinConns)
	}
	positive("database.connect_retries", int64(cfg.Database.ConnectRetries))
	positive("database.connect_timeout", int64(cfg.Database.ConnectTimeout))
	positive("database.busy_timeout", int64(cfg.Database.BusyTimeout))

	oneOf("log.level", cfg.Log.Level, "debug", "info", "warn", "error")
	oneOf("log.format", cfg.Log.Format, "auto", "text", "json")
	positive("log.max_size_mb", int64(cfg.Log.MaxSizeMB))
	if cfg.Log.MaxBackups < 0 {
		bad("log.max_backups", "must not be negative, got %d", cfg.Log.MaxBackups)
	}
	if cfg.WorkDir == "" {
		bad("work_dir", "must not be empty")
	}
	if cfg.CacheDir == "" {
		bad("cache_dir", "must not be empty")
	}
	for _, s := range cfg.Seasons {
		if !validSeason(s) {
			bad("seasons", "season %q is not of the form 2023-24", s)
		}
	}
	for _, name := range sortedKeys(cfg.Sources) {
		s := cfg.Sources[name]
		p := "sources." + name + "."
		if u, err := url.Parse(s.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(p+"base_url", "want an http(s) URL, got %q", s.BaseURL)
		}
		if s.Rate == 0 || math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) {
			// a negative rate turns the token bucket off (docs/collect.md)
			bad(p+"rate", "must be greater than 0 requests per second (or negative: no token bucket, replay-server benchmarks only), got %g", s.Rate)
		}
		positive(p+"burst", int64(s.Burst))
		positive(p+"concurrency", int64(s.Concurrency))
		positive(p+"timeout", int64(s.Timeout))
		positive(p+"attempts", int64(s.Attempts))
	}
	if cfg.Health.DiskFailMB < 0 || cfg.Health.DiskWarnMB < cfg.Health.DiskFailMB {
		bad("health.disk_warn_mb", "must be at least health.disk_fail_mb (%d), got %d", cfg.Health.DiskFailMB, cfg.Health.DiskWarnMB)
	}
	positive("health.timeout", int64(cfg.Health.Timeout))
	positive("reconcile.attempts", int64(cfg.Reconcile.Attempts))
	if cfg.Reconcile.RetryBase < 0 {
		bad("reconcile.retry_base", "must not be negative")
	}
	if cfg.Reconcile.CacheTTL < 0 {
		bad("reconcile.cache_ttl", "must not be negative")
	}
	if cfg.Reconcile.CurrentSeason != "" && !validSeason(cfg.Reconcile.CurrentSeason) {
		bad("reconcile.current_season", "season %q is not of the form 2023-24", cfg.Reconcile.CurrentSeason)
	}
	pr := cfg.Reconcile.Priorities
	if pr.RecentDays < 0 {
		bad("reconcile.priorities.recent_days", "must not be negative")
	}
	if !(0 <= pr.CriticalBelow && pr.CriticalBelow <= pr.HighBelow && pr.HighBelow <= pr.MediumBelow && pr.MediumBelow <= 1) {
		bad("reconcile.priorities.critical_below", "thresholds must satisfy 0 <= critical_below <= high_below <= medium_below <= 1, got %g, %g, %g",
			pr.CriticalBelow, pr.HighBelow, pr.MediumBelow)
	}
	if cfg.MCP.RowCap <= 0 || cfg.MCP.RowCap > 1000 {
		bad("mcp.row_cap", "must be between 1 and 1000, got %d", cfg.MCP.RowCap)
	}
	positive("mcp.byte_cap", int64(cfg.MCP.ByteCap))
	positive("mcp.query_timeout", int64(cfg.MCP.QueryTimeout))
	r := cfg.Run
	positive("run.reconcile_every", int64(r.ReconcileEvery))
	positive("run.max_attempts", int64(r.MaxAttempts))
	positive("run.shutdown_timeout", int64(r.ShutdownTimeout))
	positive("run.permanent_ttl", int64(r.PermanentTTL))
	positive("run.exhausted_ttl", int64(r.ExhaustedTTL))
	positive("run.job_timeout", int64(r.JobTimeout))
	positive("run.load_workers", int64(r.LoadWorkers))
	positive("run.verify_workers", int64(r.VerifyWorkers))
	positive("run.poll_interval", int64(r.PollInterval))
	positive("run.fetch_batch", int64(r.FetchBatch))
	if r.RescueAfter <= r.JobTimeout {
		bad("run.rescue_after", "must be longer than run.job_timeout (%s), got %s", r.JobTimeout, r.RescueAfter)
	}
	return errors.Join(errs...)
}

// validSeason accepts "2023-24" (the second part is the next year's last two digits).
func validSeason(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	y, n := 0, 0
	for i, c := range s {
		if i == 4 {
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
		if i < 4 {
			y = y*10 + int(c-'0')
		} else {
			n = n*10 + int(c-'0')
		}
	}
	return (y+1)%100 == n
}

// redactErr keeps a URL parse error from echoing the password.
func redactErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
