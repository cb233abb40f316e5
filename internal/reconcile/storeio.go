package reconcile

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/teams"
	"github.com/nbasim/nbasim/internal/timing"
)

// LoadSchedule reads the games of the given seasons from the store.
func LoadSchedule(ctx context.Context, q store.Querier, seasons []layout.Season) (Schedule, error) {
	want := map[string]bool{}
	for _, s := range seasons {
		want[s.String()] = true
	}
	rows, err := q.Query(ctx, `SELECT game_id, season, season_type, game_date, status, espn_id, bbref_id, home_code FROM games`)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read schedule (games): %w", err)
	}
	defer rows.Close()
	out := Schedule{}
	for rows.Next() {
		var g Game
		var date, status, espn, bbref, home sql.NullString
		if err := rows.Scan(&g.GameID, &g.Season, &g.SeasonType, &date, &status, &espn, &bbref, &home); err != nil {
			return nil, fmt.Errorf("reconcile: read schedule (games): %w", err)
		}
		if !want[g.Season] {
			continue
		}
		g.Date, g.Status, g.ESPNID, g.BBRefID, g.HomeCode = date.String, status.String, espn.String, bbref.String, home.String
		out[g.Season] = append(out[g.Season], g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reconcile: read schedule (games): %w", err)
	}
	return out, nil
}

// LoadTeams reads the teams table.
func LoadTeams(ctx context.Context, q store.Querier) ([]Team, error) {
	rows, err := q.Query(ctx, `SELECT team_id, code, bbref_code FROM teams`)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read teams: %w", err)
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		var bb sql.NullString
		if err := rows.Scan(&t.TeamID, &t.Code, &bb); err != nil {
			return nil, fmt.Errorf("reconcile: read teams: %w", err)
		}
		t.BBRefCode = bb.String
		out = append(out, t)
	}
	return out, rows.Err()
}

// LoadPlayerSeasons reads the players of each of the given seasons: the
// NBA person ids with a box line (not a DNP) or a play (as the actor or
// coming in) in one of its games, for per-player expectations. Team ids
// (team events) and other providers' ids are left out.
func LoadPlayerSeasons(ctx context.Context, q store.Querier, seasons []layout.Season) (map[string][]string, error) {
	if len(seasons) == 0 {
		return nil, nil
	}
	args := make([]any, len(seasons))
	ph := make([]string, len(seasons))
	for i, s := range seasons {
		args[i], ph[i] = s.String(), "$"+strconv.Itoa(i+1)
	}
	in := strings.Join(ph, ", ")
	rows, err := q.Query(ctx, `SELECT g.season, b.player_id FROM player_box b JOIN games g ON g.game_id = b.game_id
WHERE g.season IN (`+in+`) AND b.dnp = 0
UNION SELECT g.season, p.player_id FROM plays p JOIN games g ON g.game_id = p.game_id
WHERE g.season IN (`+in+`) AND p.player_id IS NOT NULL
UNION SELECT g.season, p.sub_in_id FROM plays p JOIN games g ON g.game_id = p.game_id
WHERE g.season IN (`+in+`) AND p.sub_in_id IS NOT NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read the players of the seasons: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var season, id string
		if err := rows.Scan(&season, &id); err != nil {
			return nil, fmt.Errorf("reconcile: read the players of the seasons: %w", err)
		}
		if !personID(id) {
			continue
		}
		out[season] = append(out[season], id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reconcile: read the players of the seasons: %w", err)
	}
	for _, ids := range out {
		sort.Strings(ids)
	}
	return out, nil
}

// personID reports whether id is an NBA person id: digits, not 0, not a
// team's id (a team event's actor).
func personID(id string) bool {
	if id == "" || id == "0" {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	_, team := teams.ByNBAID(id)
	return !team
}

// LoadInvalid reads the objects that failed to parse: raw_objects rows with
// parse_status 'failed' and objects quarantined whole (position ”).
func LoadInvalid(ctx context.Context, q store.Querier) (map[string]string, error) {
	out := map[string]string{}
	rows, err := q.Query(ctx, `SELECT key, error FROM raw_objects WHERE parse_status = 'failed'`)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read raw_objects: %w", err)
	}
	for rows.Next() {
		var k string
		var e sql.NullString
		if err := rows.Scan(&k, &e); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reconcile: read raw_objects: %w", err)
		}
		out[k] = "failed to parse: " + e.String
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT key, reason FROM quarantine WHERE position = ''`)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read quarantine: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, r string
		if err := rows.Scan(&k, &r); err != nil {
			return nil, fmt.Errorf("reconcile: read quarantine: %w", err)
		}
		if _, ok := out[k]; !ok {
			out[k] = "quarantined: " + r
		}
	}
	return out, rows.Err()
}

// RunRecord is one reconciliation run (table reconcile_runs).
type RunRecord struct {
	RunID        string
	StartedAt    time.Time
	FinishedAt   time.Time
	Status       string // ok, failed
	ScanMode     string
	SampleRate   float64
	Objects      int64
	Unknown      int64
	Expected     int
	Present      int
	Completeness float64
	Gaps         int
	Tasks        int
	TasksNew     int
	PlanPath     string
	Error        string
	// TimingJSON is the run's timing breakdown (TimingJSON of the report).
	TimingJSON string
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func b01(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SaveRun writes the run and its coverage cells in one transaction.
func SaveRun(ctx context.Context, st store.Store, r RunRecord, cells []*Cell) error {
	return st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Upsert(ctx, store.Batch{
			Table:   "reconcile_runs",
			Columns: []string{"run_id", "started_at", "finished_at", "status", "scan_mode", "sample_rate", "objects", "unknown", "expected", "present", "completeness", "gaps", "tasks", "tasks_new", "plan_path", "error", "timing_json"},
			Key:     []string{"run_id"},
			Rows: [][]any{{r.RunID, ts(r.StartedAt), ts(r.FinishedAt), r.Status, r.ScanMode, r.SampleRate, r.Objects, r.Unknown,
				r.Expected, r.Present, r.Completeness, r.Gaps, r.Tasks, r.TasksNew, r.PlanPath, r.Error, r.TimingJSON}},
		}); err != nil {
			return fmt.Errorf("reconcile: save run: %w", err)
		}
		if len(cells) == 0 {
			return nil
		}
		b := store.Batch{
			Table:   "coverage_history",
			Columns: []string{"run_id", "source", "dataset", "season", "recorded_at", "expected", "present", "missing", "stale", "invalid", "extra", "completeness", "estimated", "required"},
			Key:     []string{"run_id", "source", "dataset", "season"},
		}
		at := ts(r.FinishedAt)
		for _, c := range cells {
			b.Rows = append(b.Rows, []any{r.RunID, c.Source, c.Dataset, c.Season, at, c.Expected, c.Present, c.Missing, c.Stale, c.Invalid, c.Extra, c.Completeness, b01(c.Estimated), b01(c.Required)})
		}
		if _, err := tx.Upsert(ctx, b); err != nil {
			return fmt.Errorf("reconcile: save coverage history: %w", err)
		}
		return nil
	})
}

// RunSummary is a row of `nbasim coverage`'s trend.
type RunSummary struct {
	RunID        string
	FinishedAt   string
	Status       string
	ScanMode     string
	Objects      int64
	Expected     int
	Present      int
	Completeness float64
	Gaps, Tasks  int
}

// RecentRuns returns the last n runs, newest first.
func RecentRuns(ctx context.Context, q store.Querier, n int) ([]RunSummary, error) {
	rows, err := q.Query(ctx, `SELECT run_id, COALESCE(finished_at, started_at), status, scan_mode, objects, expected, present, completeness, gaps, tasks
		FROM reconcile_runs ORDER BY started_at DESC, run_id DESC LIMIT $1`, n)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read runs: %w", err)
	}
	defer rows.Close()
	var out []RunSummary
	for rows.Next() {
		var r RunSummary
		if err := rows.Scan(&r.RunID, &r.FinishedAt, &r.Status, &r.ScanMode, &r.Objects, &r.Expected, &r.Present, &r.Completeness, &r.Gaps, &r.Tasks); err != nil {
			return nil, fmt.Errorf("reconcile: read runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunCells returns the coverage cells stored for a run.
func RunCells(ctx context.Context, q store.Querier, runID string) ([]*Cell, error) {
	rows, err := q.Query(ctx, `SELECT source, dataset, season, expected, present, missing, stale, invalid, extra, completeness, estimated, required
		FROM coverage_history WHERE run_id = $1 ORDER BY source, dataset, season`, runID)
	if err != nil {
		return nil, fmt.Errorf("reconcile: read coverage history: %w", err)
	}
	defer rows.Close()
	var out []*Cell
	for rows.Next() {
		c := &Cell{}
		var est, req int
		if err := rows.Scan(&c.Source, &c.Dataset, &c.Season, &c.Expected, &c.Present, &c.Missing, &c.Stale, &c.Invalid, &c.Extra, &c.Completeness, &est, &req); err != nil {
			return nil, fmt.Errorf("reconcile: read coverage history: %w", err)
		}
		c.Estimated, c.Required = est != 0, req != 0
		out = append(out, c)
	}
	return out, rows.Err()
}

// timingStep is one step of TimingJSON.
type timingStep struct {
	Name         string  `json:"name"`
	Seconds      float64 `json:"seconds"`
	Share        float64 `json:"share"`
	MemPeakBytes uint64  `json:"mem_peak_bytes"`
	Error        string  `json:"error,omitempty"`
}

// TimingJSON renders a run's timing breakdown as stored in
// reconcile_runs.timing_json: {"total_seconds", "peak_rss_bytes", "steps":
// [{"name", "seconds", "share", "mem_peak_bytes", "error"}]}.
func TimingJSON(t timing.Report, peakRSS uint64) string {
	out := struct {
		Total   float64      `json:"total_seconds"`
		PeakRSS uint64       `json:"peak_rss_bytes"`
		Steps   []timingStep `json:"steps"`
	}{Total: t.Total.Seconds(), PeakRSS: peakRSS, Steps: []timingStep{}}
	for _, s := range t.Steps {
		out.Steps = append(out.Steps, timingStep{Name: s.Name, Seconds: s.Duration.Seconds(), Share: s.Share, MemPeakBytes: s.MemPeak, Error: s.Err})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return ""
	}
	return string(b)
}
