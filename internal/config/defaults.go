package config

import "time"

// DefaultConfigFile is read from the working directory when neither
// --config nor NBASIM_CONFIG names a file.
const DefaultConfigFile = "nbasim.yaml"

// Source names known to the default configuration.
const (
	SourceNBAStats = "nba_stats"
	SourceNBALive  = "nba_live"
	SourceESPN     = "espn"
	SourceBBRef    = "bbref"
)

// Default returns the embedded defaults: a folder lake and SQLite under
// ./data, so nbasim works on a laptop with no setup.
func Default() *Config {
	on := func() *bool { b := true; return &b }
	return &Config{
		Lake: Lake{
			URL:    "file://./data/lake",
			Prefix: "",
			Region: "us-east-1",
			Layout: "auto",
		},
		Database: Database{
			URL:            "",
			SQLitePath:     "./data/nbasim.db",
			MinConns:       2,
			MaxConns:       10,
			ConnectRetries: 3,
			ConnectTimeout: 5 * time.Second,
			BusyTimeout:    5 * time.Second,
		},
		Log: Log{
			Level:      "info",
			Format:     "auto",
			File:       "",
			MaxSizeMB:  10,
			MaxBackups: 5,
		},
		WorkDir:  "./data/work",
		CacheDir: "./data/cache",
		Seasons:  []string{"2023-24", "2024-25"},
		Sources: map[string]Source{
			SourceNBAStats: {
				BaseURL:     "https://stats.nba.com/stats/",
				Rate:        0.5,
				Burst:       1,
				Concurrency: 1,
				Timeout:     30 * time.Second,
				Attempts:    3,
				Enabled:     on(),
			},
			SourceNBALive: {
				BaseURL:     "https://cdn.nba.com/",
				Rate:        2,
				Burst:       2,
				Concurrency: 2,
				Timeout:     30 * time.Second,
				Attempts:    3,
				Enabled:     on(),
			},
			SourceESPN: {
				BaseURL:     "https://site.api.espn.com/apis/site/v2/sports/basketball/nba/",
				Rate:        1,
				Burst:       1,
				Concurrency: 1,
				Timeout:     30 * time.Second,
				Attempts:    3,
				Enabled:     on(),
			},
			SourceBBRef: {
				BaseURL:     "https://www.basketball-reference.com/",
				Rate:        1 / 3.5,
				Burst:       1,
				Concurrency: 1,
				Timeout:     30 * time.Second,
				Attempts:    3,
				Enabled:     on(),
			},
		},
		Health: Health{
			FailFast:   false,
			DiskWarnMB: 1024,
			DiskFailMB: 100,
			Timeout:    10 * time.Second,
		},
		Reconcile: Reconcile{
			Expectations:  "",
			CacheTTL:      time.Hour,
			Attempts:      3,
			RetryBase:     5 * time.Second,
			OutputDir:     "./data/reports",
			CurrentSeason: "",
			Priorities: Priorities{
				RecentDays:    7,
				CriticalBelow: 0.50,
				HighBelow:     0.80,
				MediumBelow:   0.95,
			},
			Caps: map[string]int{},
		},
		MCP: MCP{
			HTTPAddr:     "127.0.0.1:8765",
			Token:        "",
			RowCap:       100,
			ByteCap:      1 << 20,
			QueryTimeout: 30 * time.Second,
			AuditLog:     "./data/mcp-audit.jsonl",
		},
		Run: Run{
			ReconcileEvery:  15 * time.Minute,
			MaxAttempts:     5,
			ShutdownTimeout: 30 * time.Second,
			HTTPAddr:        "127.0.0.1:9464",
			PermanentTTL:    7 * 24 * time.Hour,
			ExhaustedTTL:    time.Hour,
			JobTimeout:      5 * time.Minute,
			RescueAfter:     6 * time.Minute,
			LoadWorkers:     2,
			VerifyWorkers:   2,
			PollInterval:    500 * time.Millisecond,
			FetchBatch:      20,
		},
	}
}
