package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fakeEnv is an environment for Load that does not touch the process's.
func fakeEnv(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	cfg, o, err := Load(Options{Dir: t.TempDir(), LookupEnv: fakeEnv(nil)})
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		"lake.url":                            "file://./data/lake",
		"database.url":                        "",
		"database.sqlite_path":                "./data/nbasim.db",
		"database.min_conns":                  "2",
		"database.max_conns":                  "10",
		"database.connect_retries":            "3",
		"database.busy_timeout":               "5s",
		"log.level":                           "info",
		"log.format":                          "auto",
		"log.max_size_mb":                     "10",
		"log.max_backups":                     "5",
		"work_dir":                            "./data/work",
		"cache_dir":                           "./data/cache",
		"seasons":                             "2023-24,2024-25",
		"sources.nba_stats.base_url":          "https://stats.nba.com/stats/",
		"sources.nba_stats.rate":              "0.5",
		"sources.nba_stats.concurrency":       "1",
		"sources.nba_stats.timeout":           "30s",
		"sources.nba_live.base_url":           "https://cdn.nba.com/",
		"sources.nba_live.rate":               "2",
		"sources.espn.rate":                   "1",
		"sources.bbref.rate":                  "0.285714",
		"sources.bbref.attempts":              "3",
		"sources.espn.enabled":                "true",
		"health.disk_warn_mb":                 "1024",
		"health.disk_fail_mb":                 "100",
		"reconcile.attempts":                  "3",
		"reconcile.retry_base":                "5s",
		"reconcile.cache_ttl":                 "1h0m0s",
		"reconcile.priorities.recent_days":    "7",
		"reconcile.priorities.critical_below": "0.5",
		"reconcile.priorities.high_below":     "0.8",
		"reconcile.priorities.medium_below":   "0.95",
		"mcp.row_cap":                         "100",
		"mcp.query_timeout":                   "30s",
	}
	for k, want := range checks {
		if got := cfg.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
		if got := o.Get(k).String(); got != "default" {
			t.Errorf("origin of %s = %q, want default", k, got)
		}
	}
}

// TestLayers sets one key in each layer and checks the winner and origin.
func TestLayers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		yaml       string
		dotenv     string
		env        map[string]string
		flags      []Flag
		key        string
		want       string
		wantOrigin string
	}{
		{name: "default", key: "log.level", want: "info", wantOrigin: "default"},
		{name: "file", yaml: "log:\n  level: debug\n", key: "log.level", want: "debug", wantOrigin: "nbasim.yaml:2"},
		{name: "dotenv beats file", yaml: "log:\n  level: debug\n", dotenv: "# c\nNBASIM_LOG_LEVEL=warn\n", key: "log.level", want: "warn", wantOrigin: ".env:2 NBASIM_LOG_LEVEL"},
		{name: "env beats dotenv", dotenv: "NBASIM_LOG_LEVEL=warn\n", env: map[string]string{"NBASIM_LOG_LEVEL": "error"}, key: "log.level", want: "error", wantOrigin: "env NBASIM_LOG_LEVEL"},
		{name: "flag beats env", env: map[string]string{"NBASIM_LOG_LEVEL": "error"}, flags: []Flag{{Key: "log.level", Name: "log-level", Value: "debug"}}, key: "log.level", want: "debug", wantOrigin: "flag --log-level"},
		{name: "env nested source key", env: map[string]string{"NBASIM_SOURCES_ESPN_RATE": "4"}, key: "sources.espn.rate", want: "4", wantOrigin: "env NBASIM_SOURCES_ESPN_RATE"},
		{name: "file source key", yaml: "sources:\n  bbref:\n    timeout: 1m\n", key: "sources.bbref.timeout", want: "1m0s", wantOrigin: "nbasim.yaml:3"},
		{name: "file keeps other source defaults", yaml: "sources:\n  bbref:\n    timeout: 1m\n", key: "sources.bbref.base_url", want: "https://www.basketball-reference.com/", wantOrigin: "default"},
		{name: "file list", yaml: "seasons: [2021-22, 2022-23]\n", key: "seasons", want: "2021-22,2022-23", wantOrigin: "nbasim.yaml:1"},
		{name: "env list", env: map[string]string{"NBASIM_SEASONS": "2019-20, 2020-21"}, key: "seasons", want: "2019-20,2020-21", wantOrigin: "env NBASIM_SEASONS"},
		{name: "file map", yaml: "reconcile:\n  caps:\n    critical: 100\n    high: 50\n", key: "reconcile.caps", want: "critical=100,high=50", wantOrigin: "nbasim.yaml:3"},
		{name: "env map", env: map[string]string{"NBASIM_RECONCILE_CAPS": "low=5"}, key: "reconcile.caps", want: "low=5", wantOrigin: "env NBASIM_RECONCILE_CAPS"},
		{name: "env bool pointer", env: map[string]string{"NBASIM_SOURCES_BBREF_ENABLED": "false"}, key: "sources.bbref.enabled", want: "false", wantOrigin: "env NBASIM_SOURCES_BBREF_ENABLED"},
		{name: "env duration", env: map[string]string{"NBASIM_DATABASE_BUSY_TIMEOUT": "250ms"}, key: "database.busy_timeout", want: "250ms", wantOrigin: "env NBASIM_DATABASE_BUSY_TIMEOUT"},
		{name: "db flag sqlite path", flags: []Flag{{Key: "database.url", Name: "db", Value: "/tmp/x.db"}}, key: "database.sqlite_path", want: "/tmp/x.db", wantOrigin: "flag --db"},
		{name: "db flag sqlite url", flags: []Flag{{Key: "database.url", Name: "db", Value: "sqlite:///tmp/y.db"}}, key: "database.sqlite_path", want: "/tmp/y.db", wantOrigin: "flag --db"},
		{name: "db flag postgres", flags: []Flag{{Key: "database.url", Name: "db", Value: "postgres://u@h:1/d"}}, key: "database.url", want: "postgres://u@h:1/d", wantOrigin: "flag --db"},
		{name: "lake flag", flags: []Flag{{Key: "lake.url", Name: "lake", Value: "mem://"}}, key: "lake.url", want: "mem://", wantOrigin: "flag --lake"},
		{name: "config path from dotenv", dotenv: "NBASIM_CONFIG=other.yaml\n", key: "work_dir", want: "./data/work", wantOrigin: "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.yaml != "" {
				write(t, dir, DefaultConfigFile, tt.yaml)
			}
			if tt.dotenv != "" {
				write(t, dir, ".env", tt.dotenv)
			}
			if strings.Contains(tt.dotenv, "other.yaml") {
				write(t, dir, "other.yaml", "work_dir: /elsewhere\n")
				tt.want, tt.wantOrigin = "/elsewhere", filepath.Join(dir, "other.yaml")+":1"
			}
			cfg, o, err := Load(Options{Dir: dir, LookupEnv: fakeEnv(tt.env), Flags: tt.flags})
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Get(tt.key); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.key, got, tt.want)
			}
			got := o.Get(tt.key).String()
			if !strings.HasSuffix(got, tt.wantOrigin) {
				t.Errorf("origin of %s = %q, want suffix %q", tt.key, got, tt.wantOrigin)
			}
		})
	}
}

func TestExplicitConfigPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, DefaultConfigFile, "work_dir: /from-default-file\n")
	p := write(t, dir, "custom.yaml", "\nwork_dir: /from-flag-file\n")
	for _, tt := range []struct {
		name string
		opts Options
	}{
		{"flag", Options{ConfigPath: p}},
		{"env", Options{LookupEnv: fakeEnv(map[string]string{"NBASIM_CONFIG": p})}},
	} {
		tt.opts.Dir = dir
		if tt.opts.LookupEnv == nil {
			tt.opts.LookupEnv = fakeEnv(nil)
		}
		cfg, o, err := Load(tt.opts)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if cfg.WorkDir != "/from-flag-file" || o.Get("work_dir").String() != p+":2" || o.File != p {
			t.Errorf("%s: work_dir %q from %q (file %q)", tt.name, cfg.WorkDir, o.Get("work_dir"), o.File)
		}
	}
}

// TestDotEnvNeverOverridesRealEnv uses the real process environment.
func TestDotEnvNeverOverridesRealEnv(t *testing.T) {
	t.Setenv("NBASIM_WORK_DIR", "/real")
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	write(t, dir, ".env", "NBASIM_WORK_DIR=/dotenv\nNBASIM_CACHE_DIR=/dotenv-cache\n")
	cfg, o, err := Load(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.WorkDir != "/real" || o.Get("work_dir").String() != "env NBASIM_WORK_DIR" {
		t.Errorf("work_dir = %q from %s, want /real from env", cfg.WorkDir, o.Get("work_dir"))
	}
	if cfg.CacheDir != "/dotenv-cache" || o.Get("cache_dir").String() != ".env:2 NBASIM_CACHE_DIR" {
		t.Errorf("cache_dir = %q from %s, want /dotenv-cache from .env:2", cfg.CacheDir, o.Get("cache_dir"))
	}
	if _, set := os.LookupEnv("NBASIM_CACHE_DIR"); set {
		t.Error("Load must not write .env values into the process environment")
	}
}

// TestLegacy covers every legacy name and its precedence.
func TestLegacy(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		dotenv     string
		key        string
		want       string
		wantOrigin string
	}{
		{name: "DATABASE_URL", env: map[string]string{"DATABASE_URL": "postgres://a@h1:5432/d1"}, key: "database.url", want: "postgres://a@h1:5432/d1", wantOrigin: "env DATABASE_URL (legacy)"},
		{name: "NBASIM_DATABASE_URL beats DATABASE_URL", env: map[string]string{"NBASIM_DATABASE_URL": "postgres://n@h0/d0", "DATABASE_URL": "postgres://a@h1/d1"}, key: "database.url", want: "postgres://n@h0/d0", wantOrigin: "env NBASIM_DATABASE_URL"},
		{name: "DATABASE_URL beats DB_HOST", env: map[string]string{"DATABASE_URL": "postgres://a@h1/d1", "DB_HOST": "h2"}, key: "database.url", want: "postgres://a@h1/d1", wantOrigin: "env DATABASE_URL (legacy)"},
		{name: "DB_*", env: map[string]string{"DB_HOST": "dbh", "DB_PORT": "6543", "DB_NAME": "nba", "DB_USER": "u", "DB_PASSWORD": "p@ss"}, key: "database.url", want: "postgres://u:p%40ss@dbh:6543/nba", wantOrigin: "env DB_HOST, env DB_PORT, env DB_NAME, env DB_USER, env DB_PASSWORD (legacy)"},
		{name: "DB_HOST defaults", env: map[string]string{"DB_HOST": "dbh"}, key: "database.url", want: "postgres://dbh:5432/nba_simulator", wantOrigin: "env DB_HOST (legacy)"},
		{name: "RDS_*", env: map[string]string{"RDS_HOST": "rds", "RDS_PORT": "5433", "RDS_DB_NAME": "r", "RDS_USERNAME": "ru", "RDS_PASSWORD": "rp"}, key: "database.url", want: "postgres://ru:rp@rds:5433/r", wantOrigin: "env RDS_HOST, env RDS_PORT, env RDS_DB_NAME, env RDS_USERNAME, env RDS_PASSWORD (legacy)"},
		{name: "RDS_DATABASE", env: map[string]string{"RDS_HOST": "rds", "RDS_DATABASE": "rdb"}, key: "database.url", want: "postgres://rds:5432/rdb", wantOrigin: "env RDS_HOST, env RDS_DATABASE (legacy)"},
		{name: "POSTGRES_*", env: map[string]string{"POSTGRES_HOST": "pg", "POSTGRES_PORT": "5434", "POSTGRES_DB": "pdb", "POSTGRES_USER": "pu", "POSTGRES_PASSWORD": "pp"}, key: "database.url", want: "postgres://pu:pp@pg:5434/pdb", wantOrigin: "env POSTGRES_HOST, env POSTGRES_PORT, env POSTGRES_DB, env POSTGRES_USER, env POSTGRES_PASSWORD (legacy)"},
		{name: "DB_HOST beats RDS_HOST", env: map[string]string{"DB_HOST": "dbh", "RDS_HOST": "rds"}, key: "database.url", want: "postgres://dbh:5432/nba_simulator", wantOrigin: "env DB_HOST (legacy)"},
		{name: "RDS_HOST beats POSTGRES_HOST", env: map[string]string{"RDS_HOST": "rds", "POSTGRES_HOST": "pg"}, key: "database.url", want: "postgres://rds:5432/nba_simulator", wantOrigin: "env RDS_HOST (legacy)"},
		{name: "DB_USER beats RDS_USERNAME", env: map[string]string{"RDS_HOST": "rds", "DB_USER": "du", "RDS_USERNAME": "ru"}, key: "database.url", want: "postgres://du@rds:5432/nba_simulator", wantOrigin: "env RDS_HOST, env DB_USER (legacy)"},
		{name: "password without host ignored", env: map[string]string{"POSTGRES_PASSWORD": "x"}, key: "database.url", want: "", wantOrigin: "default"},
		{name: "empty legacy ignored", env: map[string]string{"DATABASE_URL": "", "DB_HOST": " "}, key: "database.url", want: "", wantOrigin: "default"},
		{name: "legacy from .env", dotenv: "DB_HOST=fromfile\nDB_NAME=x\n", key: "database.url", want: "postgres://fromfile:5432/x", wantOrigin: ".env:1 DB_HOST, .env:2 DB_NAME (legacy)"},
		{name: "S3_BUCKET", env: map[string]string{"S3_BUCKET": "b"}, key: "lake.url", want: "s3://b?region=us-east-1", wantOrigin: "env S3_BUCKET (legacy)"},
		{name: "S3_BUCKET with AWS_REGION", env: map[string]string{"S3_BUCKET": "b", "AWS_REGION": "eu-west-1"}, key: "lake.url", want: "s3://b?region=eu-west-1", wantOrigin: "env S3_BUCKET (legacy)"},
		{name: "NBASIM_LAKE_URL beats S3_BUCKET", env: map[string]string{"S3_BUCKET": "b", "NBASIM_LAKE_URL": "mem://"}, key: "lake.url", want: "mem://", wantOrigin: "env NBASIM_LAKE_URL"},
		{name: "S3_PREFIX", env: map[string]string{"S3_PREFIX": "raw"}, key: "lake.prefix", want: "raw", wantOrigin: "env S3_PREFIX (legacy)"},
		{name: "AWS_REGION", env: map[string]string{"AWS_REGION": "us-west-2"}, key: "lake.region", want: "us-west-2", wantOrigin: "env AWS_REGION (legacy)"},
		{name: "AWS_DEFAULT_REGION", env: map[string]string{"AWS_DEFAULT_REGION": "ap-south-1"}, key: "lake.region", want: "ap-south-1", wantOrigin: "env AWS_DEFAULT_REGION (legacy)"},
		{name: "NBASIM_LAKE_REGION beats AWS_REGION", env: map[string]string{"AWS_REGION": "us-west-2", "NBASIM_LAKE_REGION": "eu-north-1"}, key: "lake.region", want: "eu-north-1", wantOrigin: "env NBASIM_LAKE_REGION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// t.Setenv: these run against the real process environment.
			for _, k := range []string{"DATABASE_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
				"RDS_HOST", "RDS_PORT", "RDS_DB_NAME", "RDS_DATABASE", "RDS_USERNAME", "RDS_PASSWORD",
				"POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD",
				"S3_BUCKET", "S3_PREFIX", "AWS_REGION", "AWS_DEFAULT_REGION",
				"NBASIM_DATABASE_URL", "NBASIM_LAKE_URL", "NBASIM_LAKE_REGION", "NBASIM_LAKE_PREFIX"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			dir := t.TempDir()
			if tt.dotenv != "" {
				write(t, dir, ".env", tt.dotenv)
			}
			cfg, o, err := Load(Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Get(tt.key); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.key, got, tt.want)
			}
			if got := o.Get(tt.key).String(); got != tt.wantOrigin {
				t.Errorf("origin = %q, want %q", got, tt.wantOrigin)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		yaml  string
		env   map[string]string
		flags []Flag
		path  string // --config
		want  []string
	}{
		{name: "unknown top key", yaml: "lake:\n  url: mem://\nseason: [2023-24]\n", want: []string{"nbasim.yaml:3", `unknown key "season"`, `did you mean "seasons"?`}},
		{name: "unknown nested key", yaml: "database:\n  max_con: 3\n", want: []string{"nbasim.yaml:2", "database.max_con", `did you mean "max_conns"?`}},
		{name: "unknown source", yaml: "sources:\n  espm:\n    rate: 1\n", want: []string{"nbasim.yaml:2", "sources.espm", `did you mean "espn"?`}},
		{name: "wrong type int", yaml: "database:\n  max_conns: lots\n", want: []string{"nbasim.yaml:2", "database.max_conns", "want a whole number", `"lots"`}},
		{name: "wrong type duration", yaml: "database:\n  busy_timeout: 5\n", want: []string{"nbasim.yaml:2", "database.busy_timeout", "duration"}},
		{name: "wrong type float", yaml: "sources:\n  espn:\n    rate: fast\n", want: []string{"nbasim.yaml:3", "sources.espn.rate", "want a number"}},
		{name: "section is scalar", yaml: "lake: mem://\n", want: []string{"nbasim.yaml:1", "lake", "must be a mapping"}},
		{name: "list is mapping", yaml: "seasons:\n  a: b\n", want: []string{"nbasim.yaml:2", "seasons", "want a list"}},
		{name: "bad yaml", yaml: "lake: [\n", want: []string{"nbasim.yaml", "not valid YAML"}},
		{name: "unreadable file", path: "missing.yaml", want: []string{"missing.yaml", "cannot read config file"}},
		{name: "directory as file", path: ".", want: []string{"cannot read config file"}},
		{name: "bad env", env: map[string]string{"NBASIM_DATABASE_MAX_CONNS": "x"}, want: []string{"env NBASIM_DATABASE_MAX_CONNS", "database.max_conns", "whole number"}},
		{name: "bad flag", flags: []Flag{{Key: "log.level", Name: "log-level", Value: "verbose"}}, want: []string{"flag --log-level", "log.level", "want one of debug"}},
		{name: "invalid value from file", yaml: "log:\n  format: jsn\n", want: []string{"nbasim.yaml:2", "log.format", `did you mean "json"?`}},
		{name: "bad lake scheme", env: map[string]string{"NBASIM_LAKE_URL": "gs://x"}, want: []string{"env NBASIM_LAKE_URL", "lake.url", `scheme "gs"`}},
		{name: "bad legacy port", env: map[string]string{"DB_HOST": "h", "DB_PORT": "five"}, want: []string{"env DB_PORT", "port must be a number"}},
		{name: "min above max", yaml: "database:\n  min_conns: 20\n", want: []string{"database.min_conns", "nbasim.yaml:2"}},
		{name: "bad season", yaml: "seasons: [2023-25]\n", want: []string{"seasons", `"2023-25"`}},
		{name: "zero rate", env: map[string]string{"NBASIM_SOURCES_ESPN_RATE": "0"}, want: []string{"env NBASIM_SOURCES_ESPN_RATE", "sources.espn.rate", "or negative"}},
		{name: "every problem at once", yaml: "log:\n  format: jsn\ndatabase:\n  max_conns: lots\n", env: map[string]string{"NBASIM_LAKE_URL": "gs://x", "NBASIM_SOURCES_ESPN_RATE": "0"},
			want: []string{"log.format", "database.max_conns", "lake.url", "sources.espn.rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.yaml != "" {
				write(t, dir, DefaultConfigFile, tt.yaml)
			}
			_, _, err := Load(Options{Dir: dir, ConfigPath: tt.path, LookupEnv: fakeEnv(tt.env), Flags: tt.flags})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *config.Error", err)
			}
		})
	}
}

// TestNegativeRateTurnsBucketOff: NBASIM_SOURCES_*_RATE=-1 works as
// docs/collect.md says (no token bucket; replay-server benchmarks).
func TestNegativeRateTurnsBucketOff(t *testing.T) {
	t.Parallel()
	cfg, _, err := Load(Options{Dir: t.TempDir(), LookupEnv: fakeEnv(map[string]string{"NBASIM_SOURCES_ESPN_RATE": "-1"})})
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Sources["espn"].Rate; r != -1 {
		t.Errorf("sources.espn.rate = %v, want -1", r)
	}
}

func TestUnknownEnvWarns(t *testing.T) {
	t.Setenv("NBASIM_LOG_LEVLE", "debug")
	t.Setenv("NBASIM_TEST_WHATEVER", "x")
	_, o, err := Load(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(o.Warnings, "\n")
	if !strings.Contains(joined, "NBASIM_LOG_LEVLE") || !strings.Contains(joined, "did you mean NBASIM_LOG_LEVEL?") {
		t.Errorf("warnings %q lack the typo", joined)
	}
	if strings.Contains(joined, "NBASIM_TEST_WHATEVER") {
		t.Errorf("NBASIM_TEST_* must not warn: %q", joined)
	}
}

func TestRedaction(t *testing.T) {
	t.Parallel()
	cfg, o, err := Load(Options{Dir: t.TempDir(), LookupEnv: fakeEnv(map[string]string{
		"NBASIM_DATABASE_URL": "postgres://user:hunter2@db:5432/nba?sslmode=disable",
		"NBASIM_LAKE_URL":     "s3://b?region=us-east-1&secret_key=abc123&endpoint=http://x",
		"NBASIM_MCP_TOKEN":    "tok-999",
	})})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range Entries(cfg, o) {
		all.WriteString(e.Key + "=" + e.Value + " " + e.Origin + "\n")
	}
	for _, secret := range []string{"hunter2", "abc123", "tok-999"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("secret %q shown:\n%s", secret, all.String())
		}
	}
	for _, shown := range []string{"postgres://user:REDACTED@db:5432/nba?sslmode=disable", "mcp.token=REDACTED", "endpoint="} {
		if !strings.Contains(all.String(), shown) {
			t.Errorf("%q missing from:\n%s", shown, all.String())
		}
	}
	r := cfg.Redact()
	if strings.Contains(r.Database.URL, "hunter2") || r.MCP.Token != Redacted || !strings.Contains(cfg.Database.URL, "hunter2") {
		t.Errorf("Redact: %q %q (original %q)", r.Database.URL, r.MCP.Token, cfg.Database.URL)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"seasn", "seasons"}, {"work_dri", "work_dir"}, {"zzzzzzzzz", ""}, {"lake", "lake"},
	} {
		if got := suggest(tt.in, fieldNames(reflect.TypeFor[Config]())); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEveryFieldIsAKey makes sure the reflection walk sees every field of
// Config (a new field cannot be forgotten by env, show or the README).
func TestEveryFieldIsAKey(t *testing.T) {
	t.Parallel()
	keys := map[string]bool{}
	for _, k := range Keys(Default()) {
		keys[k.Name] = true
		if k.Doc == "" {
			t.Errorf("key %s has no description in docs", k.Name)
		}
	}
	var walk func(reflect.Type, string)
	walk = func(tp reflect.Type, prefix string) {
		for i := 0; i < tp.NumField(); i++ {
			f := tp.Field(i)
			name := prefix + yamlName(f)
			switch {
			case f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]():
				walk(f.Type, name+".")
			case f.Type.Kind() == reflect.Map && f.Type.Elem().Kind() == reflect.Struct:
				walk(f.Type.Elem(), name+".espn.")
			default:
				if !keys[name] {
					t.Errorf("field %s is not a key", name)
				}
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
}

func TestSetGetRoundTrip(t *testing.T) {
	t.Parallel()
	def := Default()
	for _, k := range Keys(def) {
		c := Default()
		v := def.Get(k.Name)
		if err := c.Set(k.Name, v); err != nil {
			t.Errorf("Set(%s, %q): %v", k.Name, v, err)
			continue
		}
		if got := c.Get(k.Name); got != v && k.Name != "sources.bbref.rate" {
			t.Errorf("%s: round trip %q -> %q", k.Name, v, got)
		}
	}
}
