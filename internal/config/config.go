// Package config loads nbasim's layered configuration:
// defaults < nbasim.yaml < .env < environment (NBASIM_*, then legacy names)
// < flags. Every effective value remembers where it came from, and secrets
// are redacted whenever the config is shown or logged.
package config

import "time"

// Config is the effective configuration. The yaml tags are the file keys;
// docs in README.md list every key with its environment and legacy names.
type Config struct {
	Lake      Lake              `yaml:"lake"`
	Database  Database          `yaml:"database"`
	Log       Log               `yaml:"log"`
	WorkDir   string            `yaml:"work_dir"`  // scratch space; default ./data/work
	CacheDir  string            `yaml:"cache_dir"` // caches (scan cache, ...); default ./data/cache
	Seasons   []string          `yaml:"seasons"`   // seasons to keep complete, "2023-24"
	Sources   map[string]Source `yaml:"sources"`   // keyed by source name: nba_stats, nba_live, espn, bbref
	Health    Health            `yaml:"health"`
	Reconcile Reconcile         `yaml:"reconcile"`
	MCP       MCP               `yaml:"mcp"`
	Run       Run               `yaml:"run"`
}

// Lake configures the object store.
type Lake struct {
	URL    string `yaml:"url"`    // file://./data/lake, s3://bucket?region=..&endpoint=.., mem://
	Prefix string `yaml:"prefix"` // key prefix inside the bucket (S3_PREFIX)
	Region string `yaml:"region"` // AWS region (AWS_REGION), added to s3:// URLs without one
	// Layout is how keys are laid out: nbasim (our own), nba_simulator (the
	// Python system's bucket, read in place) or auto (detected from a
	// sample of keys).
	Layout string `yaml:"layout"`
}

// Database configures the store.
type Database struct {
	URL            string        `yaml:"url"`         // postgres://...; empty means SQLite at SQLitePath
	SQLitePath     string        `yaml:"sqlite_path"` // default ./data/nbasim.db
	MinConns       int           `yaml:"min_conns"`   // PostgreSQL pool, default 2
	MaxConns       int           `yaml:"max_conns"`   // default 10
	ConnectRetries int           `yaml:"connect_retries"`
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	BusyTimeout    time.Duration `yaml:"busy_timeout"` // SQLite, default 5s
}

// Log configures logging.
type Log struct {
	Level      string `yaml:"level"`  // debug, info, warn, error
	Format     string `yaml:"format"` // auto (text on a terminal, JSON otherwise), text, json
	File       string `yaml:"file"`   // optional file, rotated at MaxSizeMB
	MaxSizeMB  int    `yaml:"max_size_mb"`
	MaxBackups int    `yaml:"max_backups"`
}

// Source configures one provider's collector.
type Source struct {
	BaseURL     string        `yaml:"base_url"`
	Rate        float64       `yaml:"rate"`        // requests per second
	Burst       int           `yaml:"burst"`       // token bucket size
	Concurrency int           `yaml:"concurrency"` // in-flight requests per host
	Timeout     time.Duration `yaml:"timeout"`     // per request
	Attempts    int           `yaml:"attempts"`    // tries per request
	// Lockout, when > 0, is how long a 429 stops a host that locks clients
	// out (basketball-reference: 1h by default); for replay-server runs.
	Lockout time.Duration `yaml:"lockout"`
	Enabled *bool         `yaml:"enabled"`
}

// Health configures pre-flight checks.
type Health struct {
	FailFast   bool  `yaml:"fail_fast"`
	DiskWarnMB int64 `yaml:"disk_warn_mb"` // default 1024
	DiskFailMB int64 `yaml:"disk_fail_mb"` // default 100
	// Timeout bounds each check (default 10s), so a database that does
	// not answer fails its check instead of hanging doctor.
	Timeout time.Duration `yaml:"timeout"`
}

// Reconcile configures the reconciliation job.
type Reconcile struct {
	Expectations  string         `yaml:"expectations"` // path of an expectations.yaml overriding the embedded one
	CacheTTL      time.Duration  `yaml:"cache_ttl"`
	Attempts      int            `yaml:"attempts"`   // per step, default 3
	RetryBase     time.Duration  `yaml:"retry_base"` // default 5s
	OutputDir     string         `yaml:"output_dir"` // gaps.json, heat map; default ./data/reports
	CurrentSeason string         `yaml:"current_season"`
	Priorities    Priorities     `yaml:"priorities"`
	Caps          map[string]int `yaml:"caps"` // max tasks per priority
	// ScheduleAsListed trusts the stored schedule's game count for a
	// finished season: no estimate over the season's known count (1,230
	// regular-season games) when the schedule lists fewer. For an
	// installation that keeps a reduced schedule on purpose (the run tests'
	// replay server serves the first two dates of 2018-19); default false.
	ScheduleAsListed bool `yaml:"schedule_as_listed"`
}

// Priorities are the gap priority thresholds.
type Priorities struct {
	RecentDays    int     `yaml:"recent_days"`    // CRITICAL for games in the last N days (7)
	CriticalBelow float64 `yaml:"critical_below"` // CRITICAL for a season below this completeness (0.50)
	HighBelow     float64 `yaml:"high_below"`     // 0.80
	MediumBelow   float64 `yaml:"medium_below"`   // 0.95
}

// MCP configures the MCP server.
type MCP struct {
	HTTPAddr     string        `yaml:"http_addr"`    // 127.0.0.1:8765
	DatabaseURL  string        `yaml:"database_url"` // PostgreSQL URL of a SELECT-only role for queries; empty: database.url
	Token        string        `yaml:"token"`        // optional bearer token (secret)
	RowCap       int           `yaml:"row_cap"`      // default 100, max 1000
	ByteCap      int           `yaml:"byte_cap"`
	QueryTimeout time.Duration `yaml:"query_timeout"` // default 30s
	AuditLog     string        `yaml:"audit_log"`     // default ./data/mcp-audit.jsonl
}

// Run configures the self-healing loop (nbasim run).
type Run struct {
	ReconcileEvery  time.Duration `yaml:"reconcile_every"`  // periodic reconciliation, default 15m
	MaxAttempts     int           `yaml:"max_attempts"`     // attempts of a job before it is given up, default 5
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"` // SIGTERM: time to finish the jobs in flight, default 30s
	HTTPAddr        string        `yaml:"http_addr"`        // /metrics, /healthz, /readyz; default 127.0.0.1:9464; empty: off
	PermanentTTL    time.Duration `yaml:"permanent_ttl"`    // a permanent failure is not asked again for this long, default 168h
	ExhaustedTTL    time.Duration `yaml:"exhausted_ttl"`    // a key whose job used every attempt is not planned again for this long, default 1h
	JobTimeout      time.Duration `yaml:"job_timeout"`      // time limit of one job, default 5m
	RescueAfter     time.Duration `yaml:"rescue_after"`     // a job running this long is taken as the work of a dead process and run again, default 6m
	LoadWorkers     int           `yaml:"load_workers"`     // load jobs in flight per process, default 2
	VerifyWorkers   int           `yaml:"verify_workers"`   // derive+verify jobs in flight per process, default 2
	PollInterval    time.Duration `yaml:"poll_interval"`    // how often a process looks for new jobs when not notified, default 500ms
	FetchBatch      int           `yaml:"fetch_batch"`      // keys of one source, dataset and season per fetch job, default 20
}
