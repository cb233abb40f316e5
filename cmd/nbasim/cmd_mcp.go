package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/natefinch/lumberjack.v2"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/health"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
)

func newMCPCmd(a *app) *cobra.Command {
	var o struct {
		http, token, dbURL, audit   string
		allowRemote, stateful, priv bool
		noFastPath                  bool
		cacheGames                  int
	}
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Serve the MCP server: read-only SQL, lake browsing, health, coverage, box scores",
		Long: `Serve nbasim to AI assistants over the Model Context Protocol: over stdio
(the default: an MCP client starts "nbasim mcp" itself), or over streamable
HTTP with --http (stateless; loopback only unless --allow-remote, which
requires a bearer token).

The database is opened read-only and the database enforces it (PostgreSQL:
a read-only transaction through the extended protocol; SQLite: a read-only
connection with an authorizer). On PostgreSQL connect as a SELECT-only role
(--readonly-db, mcp.database_url or NBASIM_MCP_DATABASE_URL; docs/mcp.md
shows the role).
Every tool call is appended to the audit log (mcp.audit_log).`,
		Example: `  nbasim mcp
  nbasim mcp --http 127.0.0.1:8765
  NBASIM_MCP_TOKEN=secret nbasim mcp --http 0.0.0.0:8765 --allow-remote`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg := a.Config()
			log := a.Logger()
			mc := cfg.MCP
			token := firstSet(o.token, os.Getenv("NBASIM_MCP_TOKEN"), mc.Token)
			addr := o.http
			if addr != "" {
				if err := mcpserver.CheckListenAddr(addr, o.allowRemote, token); err != nil {
					return withExit(2, err)
				}
			}
			ropts := readonly.Options{RowCap: mc.RowCap, ByteCap: mc.ByteCap, Timeout: mc.QueryTimeout, AllowPrivileged: o.priv}
			db, err := openReadOnly(ctx, a, o.dbURL, ropts)
			if err != nil {
				return err
			}
			defer db.Close()
			var lk *lake.Lake
			root := ""
			if l, err := a.Lake(ctx); err != nil {
				log.Warn("mcp: lake unavailable; lake tools will say so", "err", err)
			} else {
				lk, root = l, mcpserver.FileRoot(LakeURL(cfg.Lake), cfg.Lake.Prefix)
			}
			var audit *mcpserver.Audit
			if path := firstSet(o.audit, mc.AuditLog, "./data/mcp-audit.jsonl"); path != "off" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return fmt.Errorf("mcp: audit log %s: %w", path, err)
				}
				lj := &lumberjack.Logger{Filename: path, MaxSize: 100, MaxBackups: 10}
				defer lj.Close()
				audit = mcpserver.NewAudit(lj, func(err error) { log.Error(err.Error()) })
			}
			srv, err := mcpserver.New(mcpserver.Options{DB: db, Lake: lk, LakeRoot: root, Audit: audit, Logger: log, Version: version,
				Cache: gamecache.New(o.cacheGames), NoFastPath: o.noFastPath,
				Checks: func(ctx context.Context) []mcpserver.Check { return doctorChecks(ctx, a) }})
			if err != nil {
				return err
			}
			info := db.Info()
			log.Info("mcp: database opened read-only", "dialect", info.Dialect, "location", info.Location, "role", info.Role)
			go srv.Watch(ctx, 0) // a reloaded game leaves the box_score cache within a second
			if addr == "" {
				log.Info("mcp: serving on stdio")
				return srv.RunStdio(ctx)
			}
			return srv.ServeHTTP(ctx, addr, mcpserver.HTTPOptions{Token: token, Stateful: o.stateful}, func(ad net.Addr) {
				fmt.Fprintf(os.Stderr, "nbasim mcp: listening on http://%s/mcp\n", ad)
				log.Info("mcp: serving streamable HTTP", "url", "http://"+ad.String()+"/mcp", "stateless", !o.stateful, "token", token != "")
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.http, "http", "", "serve streamable HTTP on HOST:PORT (e.g. 127.0.0.1:8765) instead of stdio")
	f.StringVar(&o.token, "token", "", "require this bearer token over HTTP (prefer env NBASIM_MCP_TOKEN or mcp.token)")
	f.BoolVar(&o.allowRemote, "allow-remote", false, "allow a non-loopback --http address (requires a token)")
	f.IntVar(&o.cacheGames, "cache-games", mcpserver.DefaultCacheGames, "compiled games kept in memory for box_score at a moment (LRU, ~50 kB each)")
	f.BoolVar(&o.stateful, "stateful", false, "keep HTTP sessions (Mcp-Session-Id) instead of stateless requests")
	f.StringVar(&o.dbURL, "readonly-db", "", "PostgreSQL URL of a SELECT-only role for queries (mcp.database_url, NBASIM_MCP_DATABASE_URL; default: the database URL)")
	f.BoolVar(&o.priv, "allow-privileged-role", false, "allow a PostgreSQL superuser or server-file role for the read-only pool (not recommended)")
	f.StringVar(&o.audit, "audit-log", "", `audit log path (default mcp.audit_log, ./data/mcp-audit.jsonl; "off" disables)`)
	f.BoolVar(&o.noFastPath, "no-fast-path", false, "answer every stdio request through the MCP SDK (no stdio fast path for box_score; for comparisons)")
	_ = f.MarkHidden("no-fast-path")
	return cmd
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// doctorChecks runs the doctor's checks that only read (config, disk).
// The doctor's lake check writes a probe object, its directories check
// writes probe files and its database check opens the writable store, so
// the health tool does its own read-only database and lake checks instead
// (internal/mcpserver).
func doctorChecks(ctx context.Context, a *app) []mcpserver.Check {
	cfg := a.Config()
	rep := health.Runner{Timeout: 10 * time.Second}.Run(ctx, []health.Check{
		health.Config(cfg, a.Origins()),
		health.Disk(diskPaths(a), cfg.Health.DiskWarnMB, cfg.Health.DiskFailMB),
	})
	out := make([]mcpserver.Check, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		st := string(c.Status)
		if c.Status == health.Skip {
			st = "warn"
		}
		out = append(out, mcpserver.Check{Name: c.Name, Status: st, Detail: c.Message})
	}
	return out
}
