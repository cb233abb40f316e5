package config

import (
	"fmt"
	"net/url"
	"strings"
)

// secretKeys are redacted wherever the config is shown or logged.
var secretKeys = map[string]bool{
	"mcp.token": true,
}

// Redacted is what a secret is shown as.
const Redacted = "REDACTED"

// RedactURL hides the password of a URL's user info and any query
// parameter that looks like a credential (secret, token, password, key).
func RedactURL(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		// Do not echo something we cannot parse: keep the scheme only.
		scheme, _, _ := strings.Cut(s, "://")
		return scheme + "://" + Redacted
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Redacted)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			lk := strings.ToLower(k)
			for _, w := range []string{"secret", "token", "password", "key", "signature", "credential"} {
				if strings.Contains(lk, w) {
					q.Set(k, Redacted)
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Entry is one key of the effective config, ready to show.
type Entry struct {
	Key    string   `json:"key"`
	Value  string   `json:"value"` // secrets redacted
	Origin string   `json:"origin"`
	Layer  string   `json:"layer"`
	Env    string   `json:"env"`
	Legacy []string `json:"legacy,omitempty"`
}

// Entries lists every key of cfg with its redacted value and origin.
func Entries(cfg *Config, o *Origins) []Entry {
	var out []Entry
	for _, k := range Keys(cfg) {
		or := o.Get(k.Name)
		out = append(out, Entry{
			Key:    k.Name,
			Value:  redactValue(k, cfg.Get(k.Name)),
			Origin: or.String(),
			Layer:  or.Layer.String(),
			Env:    k.Env,
			Legacy: k.Legacy,
		})
	}
	return out
}

func redactValue(k Key, v string) string {
	switch {
	case v == "":
		return ""
	case k.Secret:
		return Redacted
	case strings.HasSuffix(k.Name, "url"):
		return RedactURL(v)
	}
	return v
}

// Redact returns a copy of cfg safe to log: secrets replaced.
func (c *Config) Redact() *Config {
	cp := c.clone()
	cp.Database.URL = RedactURL(cp.Database.URL)
	cp.Lake.URL = RedactURL(cp.Lake.URL)
	cp.MCP.DatabaseURL = RedactURL(cp.MCP.DatabaseURL)
	if cp.MCP.Token != "" {
		cp.MCP.Token = Redacted
	}
	return cp
}

// docs describe each key; "*" stands for a source name.
var docs = map[string]string{
	"lake.url":                            "Lake location: file://path, s3://bucket?region=..&endpoint=..&use_path_style=true, or mem://",
	"lake.prefix":                         "Key prefix inside the bucket",
	"lake.region":                         "AWS region, added to s3:// URLs that have none",
	"lake.layout":                         "Key layout: nbasim, nba_simulator (the Python system's bucket, read in place) or auto (detected from a sample of keys)",
	"database.url":                        "PostgreSQL URL (postgres://user:pass@host:5432/db); empty means SQLite at database.sqlite_path",
	"database.sqlite_path":                "SQLite database file (the embedded default)",
	"database.min_conns":                  "PostgreSQL pool: connections kept open",
	"database.max_conns":                  "PostgreSQL pool: most connections",
	"database.connect_retries":            "Connection attempts, with exponential backoff",
	"database.connect_timeout":            "Time limit for connecting, all attempts included",
	"database.busy_timeout":               "SQLite busy timeout",
	"log.level":                           "debug, info, warn or error",
	"log.format":                          "auto (text on a terminal, JSON otherwise), text or json",
	"log.file":                            "Also log (JSON) to this file, rotated",
	"log.max_size_mb":                     "Rotate the log file at this size",
	"log.max_backups":                     "Rotated log files kept",
	"work_dir":                            "Scratch space",
	"cache_dir":                           "Caches (scan cache, ...)",
	"seasons":                             "Seasons to keep complete (2023-24, ...)",
	"sources.*.base_url":                  "Provider base URL (point it at a replay server for offline runs)",
	"sources.*.rate":                      "Requests per second",
	"sources.*.burst":                     "Token bucket size",
	"sources.*.concurrency":               "Requests in flight",
	"sources.*.timeout":                   "Time limit of one request",
	"sources.*.attempts":                  "Tries per request",
	"sources.*.lockout":                   "How long a 429 stops a host that locks clients out (basketball-reference); 0: the provider's default (1h)",
	"sources.*.enabled":                   "Collect from this source",
	"health.fail_fast":                    "Stop the health checks at the first failure",
	"health.disk_warn_mb":                 "Warn when free disk space is below this (MB)",
	"health.disk_fail_mb":                 "Fail when free disk space is below this (MB)",
	"health.timeout":                      "Time limit of each health check",
	"reconcile.expectations":              "expectations.yaml overriding the embedded one",
	"reconcile.cache_ttl":                 "Lake scan cache lifetime",
	"reconcile.attempts":                  "Tries per reconcile step",
	"reconcile.retry_base":                "First retry delay (doubles each try)",
	"reconcile.output_dir":                "Where gaps.json and reports go",
	"reconcile.current_season":            "Season treated as current (empty: derived from the date)",
	"reconcile.priorities.recent_days":    "CRITICAL for games in the last N days",
	"reconcile.priorities.critical_below": "CRITICAL for a season below this completeness",
	"reconcile.priorities.high_below":     "HIGH below this completeness",
	"reconcile.priorities.medium_below":   "MEDIUM below this completeness",
	"reconcile.caps":                      "Most tasks per priority (critical=100,high=50)",
	"reconcile.schedule_as_listed":        "Take a finished season's stored schedule as whole (no estimate over its known game count); for a reduced schedule kept on purpose",
	"mcp.http_addr":                       "MCP HTTP listen address",
	"mcp.database_url":                    "PostgreSQL URL of a SELECT-only role for MCP queries; empty uses database.url",
	"mcp.token":                           "Bearer token required by the MCP HTTP server (secret)",
	"mcp.row_cap":                         "Most rows a query returns (at most 1000)",
	"mcp.byte_cap":                        "Most bytes a query returns",
	"mcp.query_timeout":                   "Time limit of one query",
	"mcp.audit_log":                       "Audit log of MCP calls (JSON lines)",
	"run.reconcile_every":                 "nbasim run: reconcile this often (River periodic job)",
	"run.max_attempts":                    "nbasim run: attempts of a job (River backoff between them) before it is given up",
	"run.shutdown_timeout":                "nbasim run: on SIGTERM, time to finish the jobs in flight before they are handed back",
	"run.http_addr":                       "nbasim run: /metrics, /healthz, /readyz listen address (empty: off)",
	"run.permanent_ttl":                   "nbasim run: a permanent failure (404, poison object) is not planned again for this long",
	"run.exhausted_ttl":                   "nbasim run: a key whose job used every attempt is not planned again for this long",
	"run.job_timeout":                     "nbasim run: time limit of one job",
	"run.rescue_after":                    "nbasim run: a job running this long is taken from a dead process and run again (more than job_timeout)",
	"run.load_workers":                    "nbasim run: load jobs in flight per process",
	"run.verify_workers":                  "nbasim run: derive+verify jobs in flight per process",
	"run.fetch_batch":                     "nbasim run: keys of one source, dataset and season per fetch job (their load is one job too)",
	"run.poll_interval":                   "nbasim run: how often a process looks for jobs without a notification (SQLite)",
}

func docFor(path []string) string {
	if d, ok := docs[strings.Join(path, ".")]; ok {
		return d
	}
	if len(path) == 3 && path[0] == "sources" {
		return docs["sources.*."+path[2]]
	}
	return ""
}

// ReferenceMarkdown renders the configuration reference table of README.md
// from the defaults, so the documentation cannot drift from the code.
func ReferenceMarkdown() string {
	var b strings.Builder
	b.WriteString("| key | default | environment | legacy names | description |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	def := Default()
	for _, k := range Keys(def) {
		v := def.Get(k.Name)
		if v == "" {
			v = "—"
		} else {
			v = "`" + v + "`"
		}
		legacy := "—"
		if len(k.Legacy) > 0 {
			legacy = "`" + strings.Join(k.Legacy, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s | %s |\n", k.Name, v, k.Env, legacy, k.Doc)
	}
	return b.String()
}
