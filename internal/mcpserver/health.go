package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/store"
)

// HealthIn is empty.
type HealthIn struct{}

// TableRows is a table's row count.
type TableRows struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// DBHealth describes the database.
type DBHealth struct {
	Dialect       string      `json:"dialect"`
	Location      string      `json:"location"`
	Role          string      `json:"role,omitempty"`
	SchemaVersion int         `json:"schema_version"`
	Tables        []TableRows `json:"tables"`
}

// LakeHealth describes the lake.
type LakeHealth struct {
	URL         string `json:"url"`
	Objects     int64  `json:"objects"`
	Bytes       int64  `json:"bytes"`
	CountCapped bool   `json:"count_capped,omitempty" jsonschema:"counting stopped at the cap: at least this many"`
}

// Reconciliation is the latest reconciliation run.
type Reconciliation struct {
	RunID        string         `json:"run_id"`
	StartedAt    string         `json:"started_at"`
	Status       string         `json:"status"`
	Expected     int64          `json:"expected"`
	Present      int64          `json:"present"`
	Completeness float64        `json:"completeness"`
	Gaps         int64          `json:"gaps"`
	Tasks        int64          `json:"tasks"`
	GapsByPri    map[string]int `json:"gaps_by_priority,omitempty"`
	GapsByKind   map[string]int `json:"gaps_by_kind,omitempty"`
	Note         string         `json:"note,omitempty"`
}

// HealthOut is the health tool's output.
type HealthOut struct {
	Status         string          `json:"status" jsonschema:"ok, warn or fail (worst check)"`
	Checks         []Check         `json:"checks"`
	Database       *DBHealth       `json:"database,omitempty"`
	Lake           *LakeHealth     `json:"lake,omitempty"`
	Reconciliation *Reconciliation `json:"reconciliation,omitempty"`
	Note           string          `json:"note,omitempty"`
}

var rank = map[string]int{"ok": 0, "warn": 1, "fail": 2}

func (s *Server) health(ctx context.Context, _ *mcp.CallToolRequest, _ HealthIn) (*mcp.CallToolResult, HealthOut, error) {
	out := HealthOut{Status: "ok", Checks: []Check{}}
	add := func(c Check) {
		out.Checks = append(out.Checks, c)
		if rank[c.Status] > rank[out.Status] {
			out.Status = c.Status
		}
	}
	if s.opts.Checks != nil {
		for _, c := range s.opts.Checks(ctx) {
			add(c)
		}
	}
	// Database.
	db := s.opts.DB
	info := db.Info()
	dh := &DBHealth{Dialect: string(info.Dialect), Location: info.Location, Role: info.Role, Tables: []TableRows{}}
	start := time.Now()
	tables, err := db.Tables(ctx)
	if err != nil {
		add(Check{Name: "database", Status: "fail", Detail: err.Error()})
	} else {
		add(Check{Name: "database", Status: "ok", Detail: fmt.Sprintf("%s reachable read-only in %s", info.Dialect, time.Since(start).Round(time.Millisecond))})
		have := map[string]bool{}
		for _, t := range tables {
			have[t.Name] = true
			if t.Rows != nil {
				dh.Tables = append(dh.Tables, TableRows{t.Name, *t.Rows})
			}
		}
		if have[store.MigrationsTable] {
			if r, err := db.Query(ctx, "SELECT max(version) FROM "+store.MigrationsTable, readonly.Limits{Rows: 1}); err == nil && len(r.Rows) == 1 {
				if v, ok := r.Rows[0][0].(int64); ok {
					dh.SchemaVersion = int(v)
				}
			}
		}
		latest := store.LatestVersion(db.Dialect())
		switch {
		case dh.SchemaVersion == 0:
			add(Check{Name: "schema", Status: "fail", Detail: "no migrations applied: run `nbasim db migrate`"})
		case dh.SchemaVersion < latest:
			add(Check{Name: "schema", Status: "warn", Detail: fmt.Sprintf("schema version %d, this binary knows %d: run `nbasim db migrate`", dh.SchemaVersion, latest)})
		default:
			add(Check{Name: "schema", Status: "ok", Detail: fmt.Sprintf("version %d", dh.SchemaVersion)})
		}
		if have["reconcile_runs"] {
			out.Reconciliation = s.latestReconciliation(ctx)
		} else {
			out.Note = "no reconciliation yet"
		}
	}
	if info.ServerAccess {
		add(Check{Name: "readonly_role", Status: "warn", Detail: fmt.Sprintf("role %q may read server files or run programs; use a SELECT-only role (docs/mcp.md)", info.Role)})
	}
	out.Database = dh
	// Lake.
	if s.opts.Lake != nil {
		lh := &LakeHealth{URL: s.opts.Lake.URL()}
		start := time.Now()
		err := s.opts.Lake.Walk(ctx, "", func(o lake.Object) error {
			if lh.Objects >= int64(s.opts.LakeCountCap) {
				lh.CountCapped = true
				return errStop
			}
			lh.Objects++
			lh.Bytes += o.Size
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			add(Check{Name: "lake", Status: "fail", Detail: err.Error()})
		} else {
			add(Check{Name: "lake", Status: "ok", Detail: fmt.Sprintf("listed %d objects in %s", lh.Objects, time.Since(start).Round(time.Millisecond))})
		}
		out.Lake = lh
	} else {
		add(Check{Name: "lake", Status: "warn", Detail: "no lake configured"})
	}
	if out.Reconciliation == nil && out.Note == "" {
		out.Note = "no reconciliation yet"
	}
	statsFrom(ctx).rows = len(out.Checks)
	return nil, out, nil
}

var errStop = errors.New("stop")

func (s *Server) latestReconciliation(ctx context.Context) *Reconciliation {
	r, err := s.opts.DB.Query(ctx, `SELECT run_id, started_at, status, expected, present, completeness, gaps, tasks, plan_path
FROM reconcile_runs ORDER BY started_at DESC LIMIT 1`, readonly.Limits{Rows: 1})
	if err != nil {
		return &Reconciliation{Note: "cannot read reconcile_runs: " + err.Error()}
	}
	if len(r.Rows) == 0 {
		return nil
	}
	var rec Reconciliation
	var plan string
	row := r.Rows[0]
	if err := scanRow(row, &rec.RunID, &rec.StartedAt, &rec.Status, &rec.Expected, &rec.Present, &rec.Completeness, &rec.Gaps, &rec.Tasks, &plan); err != nil {
		return &Reconciliation{Note: err.Error()}
	}
	// Gap counts by priority live in the run's plan file.
	if plan != "" {
		if b, err := os.ReadFile(plan); err == nil {
			var pf struct {
				Summary struct {
					ByPriority map[string]struct {
						Gaps int `json:"gaps"`
					} `json:"by_priority"`
					ByKind map[string]int `json:"by_gap_kind"`
				} `json:"summary"`
			}
			if json.Unmarshal(b, &pf) == nil {
				rec.GapsByPri = map[string]int{}
				for p, v := range pf.Summary.ByPriority {
					rec.GapsByPri[p] = v.Gaps
				}
				rec.GapsByKind = pf.Summary.ByKind
			}
		} else {
			rec.Note = "plan file " + plan + " not readable: gaps by priority unknown"
		}
	}
	return &rec
}

func scanRow(row []any, dest ...any) error { return readonly.ScanRow(row, dest...) }
