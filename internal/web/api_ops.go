package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/store"
)

// ---- coverage

// CoverageCell is one source x dataset x season of a reconciliation run.
type CoverageCell struct {
	Source       string  `json:"source"`
	Dataset      string  `json:"dataset"`
	Season       string  `json:"season"`
	Expected     int64   `json:"expected"`
	Present      int64   `json:"present"`
	Missing      int64   `json:"missing"`
	Stale        int64   `json:"stale"`
	Invalid      int64   `json:"invalid"`
	Extra        int64   `json:"extra"`
	Completeness float64 `json:"completeness"` // 0..1
	Estimated    bool    `json:"estimated"`
	Required     bool    `json:"required"`
}

// RunSummary is one reconciliation run.
type RunSummary struct {
	RunID           string     `json:"run_id"`
	StartedAt       string     `json:"started_at"`
	FinishedAt      string     `json:"finished_at"`
	Status          string     `json:"status"`
	ScanMode        string     `json:"scan_mode"`
	Objects         int64      `json:"objects"`
	Expected        int64      `json:"expected"`
	Present         int64      `json:"present"`
	Completeness    float64    `json:"completeness"`
	Gaps            int64      `json:"gaps"`
	Tasks           int64      `json:"tasks"`
	DurationSeconds float64    `json:"duration_seconds"`
	Error           string     `json:"error,omitempty"`
	Timing          *RunTiming `json:"timing,omitempty"`
}

// RunTiming is a reconciliation's timing breakdown.
type RunTiming struct {
	TotalSeconds float64      `json:"total_seconds"`
	PeakRSSBytes uint64       `json:"peak_rss_bytes,omitempty"`
	Steps        []TimingStep `json:"steps"`
}

// TimingStep is one step of a run.
type TimingStep struct {
	Name         string  `json:"name"`
	Seconds      float64 `json:"seconds"`
	Share        float64 `json:"share"`
	MemPeakBytes uint64  `json:"mem_peak_bytes"`
	Error        string  `json:"error,omitempty"`
}

// CoverageOut is GET /api/v1/coverage.
type CoverageOut struct {
	Latest *RunSummary         `json:"latest"`
	Cells  []CoverageCell      `json:"cells"`
	Runs   []RunSummary        `json:"runs"` // newest first: the completeness trend
	Note   string              `json:"note,omitempty"`
	Axes   map[string][]string `json:"axes"` // sources, datasets, seasons of the cells
}

func (s *Server) runs(ctx context.Context, n int, okOnly bool) ([]RunSummary, error) {
	ts, err := s.tableSet(ctx)
	if err != nil {
		return nil, err
	}
	if !ts["reconcile_runs"] {
		return nil, nil
	}
	cond := ""
	if okOnly {
		cond = " WHERE status = 'ok'"
	}
	cols := `run_id, started_at, COALESCE(finished_at, ''), status, scan_mode, objects, expected, present, completeness, gaps, tasks, error`
	rows, err := s.rowsOf(ctx, n, `SELECT `+cols+`, timing_json FROM reconcile_runs`+cond+` ORDER BY started_at DESC, run_id DESC LIMIT $1`, n)
	withTiming := err == nil
	if err != nil { // a database before migration 0013 has no timing_json
		rows, err = s.rowsOf(ctx, n, `SELECT `+cols+` FROM reconcile_runs`+cond+` ORDER BY started_at DESC, run_id DESC LIMIT $1`, n)
		if err != nil {
			return nil, err
		}
	}
	out := make([]RunSummary, 0, len(rows))
	for _, r := range rows {
		rs := RunSummary{RunID: asString(r[0]), StartedAt: asString(r[1]), FinishedAt: asString(r[2]), Status: asString(r[3]), ScanMode: asString(r[4]),
			Objects: asInt(r[5]), Expected: asInt(r[6]), Present: asInt(r[7]), Completeness: asFloat(r[8]), Gaps: asInt(r[9]), Tasks: asInt(r[10]),
			Error: asString(r[11])}
		if a, err1 := time.Parse(time.RFC3339Nano, rs.StartedAt); err1 == nil {
			if b, err2 := time.Parse(time.RFC3339Nano, rs.FinishedAt); err2 == nil {
				rs.DurationSeconds = b.Sub(a).Seconds()
			}
		}
		if withTiming {
			if js := asString(r[12]); js != "" {
				var t RunTiming
				if json.Unmarshal([]byte(js), &t) == nil {
					rs.Timing = &t
				}
			}
		}
		out = append(out, rs)
	}
	return out, nil
}

func (s *Server) apiCoverage(r *http.Request) (any, error) {
	p := newParams(r, "source", "dataset", "season", "runs", "pretty")
	source, dataset, season := p.code("source"), p.code("dataset"), p.season("season")
	n := p.intIn("runs", 10, 1, 200)
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	out := CoverageOut{Cells: []CoverageCell{}, Runs: []RunSummary{}, Axes: map[string][]string{"sources": {}, "datasets": {}, "seasons": {}}}
	runs, err := s.runs(ctx, n, false)
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		out.Note = "no reconciliation yet: run `nbasim reconcile`"
		return out, nil
	}
	out.Runs = runs
	out.Latest = &runs[0] // as `nbasim coverage`: the newest run
	rows, err := s.rowsOf(ctx, 100_000, `SELECT source, dataset, season, expected, present, missing, stale, invalid, extra, completeness, estimated, required
FROM coverage_history WHERE run_id = $1 AND ($2 = '' OR source = $2) AND ($3 = '' OR dataset = $3) AND ($4 = '' OR season = $4)
ORDER BY source, dataset, season`, runs[0].RunID, source, dataset, season)
	if err != nil {
		return nil, err
	}
	seen := map[string]map[string]bool{"sources": {}, "datasets": {}, "seasons": {}}
	for _, row := range rows {
		c := CoverageCell{Source: asString(row[0]), Dataset: asString(row[1]), Season: asString(row[2]), Expected: asInt(row[3]), Present: asInt(row[4]),
			Missing: asInt(row[5]), Stale: asInt(row[6]), Invalid: asInt(row[7]), Extra: asInt(row[8]), Completeness: asFloat(row[9]),
			Estimated: asInt(row[10]) != 0, Required: asInt(row[11]) != 0}
		out.Cells = append(out.Cells, c)
		for k, v := range map[string]string{"sources": c.Source + "/" + c.Dataset, "datasets": c.Dataset, "seasons": c.Season} {
			if !seen[k][v] {
				seen[k][v] = true
				out.Axes[k] = append(out.Axes[k], v)
			}
		}
	}
	for _, k := range []string{"sources", "datasets", "seasons"} {
		sort.Strings(out.Axes[k])
	}
	return out, nil
}

// CellHistoryPoint is a cell's completeness in one run.
type CellHistoryPoint struct {
	RunID        string  `json:"run_id"`
	RecordedAt   string  `json:"recorded_at"`
	Source       string  `json:"source"`
	Dataset      string  `json:"dataset"`
	Season       string  `json:"season"`
	Expected     int64   `json:"expected"`
	Present      int64   `json:"present"`
	Completeness float64 `json:"completeness"`
}

// CoverageHistoryOut is GET /api/v1/coverage/history.
type CoverageHistoryOut struct {
	Points []CellHistoryPoint `json:"points"` // oldest first
}

func (s *Server) apiCoverageHistory(r *http.Request) (any, error) {
	p := newParams(r, "source", "dataset", "season", "limit", "pretty")
	source, dataset, season := p.code("source"), p.code("dataset"), p.season("season")
	limit := p.intIn("limit", 200, 1, 5000)
	if p.err != nil {
		return nil, p.err
	}
	out := CoverageHistoryOut{Points: []CellHistoryPoint{}}
	ts, err := s.tableSet(r.Context())
	if err != nil {
		return nil, err
	}
	if !ts["coverage_history"] {
		return out, nil
	}
	rows, err := s.rowsOf(r.Context(), limit, `SELECT run_id, recorded_at, source, dataset, season, expected, present, completeness FROM coverage_history
WHERE ($1 = '' OR source = $1) AND ($2 = '' OR dataset = $2) AND ($3 = '' OR season = $3)
ORDER BY recorded_at DESC, source, dataset, season LIMIT $4`, source, dataset, season, limit)
	if err != nil {
		return nil, err
	}
	for i := len(rows) - 1; i >= 0; i-- {
		row := rows[i]
		out.Points = append(out.Points, CellHistoryPoint{RunID: asString(row[0]), RecordedAt: asString(row[1]), Source: asString(row[2]),
			Dataset: asString(row[3]), Season: asString(row[4]), Expected: asInt(row[5]), Present: asInt(row[6]), Completeness: asFloat(row[7])})
	}
	return out, nil
}

// ReconcileOut is GET /api/v1/reconcile.
type ReconcileOut struct {
	Runs []RunSummary `json:"runs"` // newest first, with their timing breakdown
}

func (s *Server) apiReconcile(r *http.Request) (any, error) {
	p := newParams(r, "limit", "pretty")
	n := p.intIn("limit", 10, 1, 200)
	if p.err != nil {
		return nil, p.err
	}
	runs, err := s.runs(r.Context(), n, false)
	if err != nil {
		return nil, err
	}
	if runs == nil {
		runs = []RunSummary{}
	}
	return ReconcileOut{Runs: runs}, nil
}

// ---- fetch rate

// sourceHosts maps a lake source to the host its collector fetches from.
var sourceHosts = map[string]string{
	"nba_stats": "stats.nba.com", "nba_live": "cdn.nba.com", "espn": "site.api.espn.com",
	"bbref": "www.basketball-reference.com", "nbacom": "www.nba.com", "data_nba": "data.nba.com",
}

// HostRate is the objects fetched from one host per hour.
type HostRate struct {
	Host    string  `json:"host"`
	Source  string  `json:"source"`
	PerHour []int64 `json:"per_hour"` // the 24 hours up to window_end, oldest first
	Last24h int64   `json:"last_24h"`
	Total   int64   `json:"total"`
}

// FetchesOut is GET /api/v1/fetches.
type FetchesOut struct {
	WindowEnd string         `json:"window_end"` // the hour of the latest fetch (UTC)
	Hosts     []HostRate     `json:"hosts"`
	Failures  []FetchFailure `json:"recent_failures"`
}

// FetchFailure is a lake object that could not be fetched (fetch_log).
type FetchFailure struct {
	LakeKey  string `json:"lake_key"`
	Source   string `json:"source"`
	Dataset  string `json:"dataset"`
	Season   string `json:"season"`
	URL      string `json:"url"`
	Class    string `json:"class"`
	Status   int64  `json:"http_status"`
	Reason   string `json:"reason"`
	Attempts int64  `json:"attempts"`
	Failures int64  `json:"failures"`
	LastAt   string `json:"last_at"`
}

func (s *Server) apiFetches(r *http.Request) (any, error) {
	p := newParams(r, "limit", "pretty")
	limit := p.intIn("limit", 20, 1, MaxLimit)
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	out := FetchesOut{Hosts: []HostRate{}, Failures: []FetchFailure{}}
	rows, err := s.rowsOf(ctx, 100_000, `SELECT source, SUBSTR(fetched_at, 1, 13), COUNT(*) FROM raw_objects WHERE fetched_at IS NOT NULL AND fetched_at <> ''
GROUP BY source, SUBSTR(fetched_at, 1, 13) ORDER BY 2`)
	if err != nil {
		return nil, err
	}
	latest := ""
	for _, row := range rows {
		if h := asString(row[1]); h > latest {
			latest = h
		}
	}
	by := map[string]*HostRate{}
	if end, err := time.Parse("2006-01-02T15", latest); err == nil {
		out.WindowEnd = end.Format(time.RFC3339)
		for _, row := range rows {
			src := asString(row[0])
			h := by[src]
			if h == nil {
				host := sourceHosts[src]
				if host == "" {
					host = src
				}
				h = &HostRate{Host: host, Source: src, PerHour: make([]int64, 24)}
				by[src] = h
			}
			n := asInt(row[2])
			h.Total += n
			t, err := time.Parse("2006-01-02T15", asString(row[1]))
			if err != nil {
				continue
			}
			if age := int(end.Sub(t).Hours()); age >= 0 && age < 24 {
				h.PerHour[23-age] += n
				h.Last24h += n
			}
		}
	}
	for _, h := range by {
		out.Hosts = append(out.Hosts, *h)
	}
	sort.Slice(out.Hosts, func(i, j int) bool { return out.Hosts[i].Host < out.Hosts[j].Host })
	ts, err := s.tableSet(ctx)
	if err != nil {
		return nil, err
	}
	if ts["fetch_log"] {
		rows, err := s.rowsOf(ctx, limit, `SELECT lake_key, source, dataset, season, url, class, status, reason, attempts, failures, last_at
FROM fetch_log ORDER BY last_at DESC, lake_key LIMIT $1`, limit)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out.Failures = append(out.Failures, FetchFailure{LakeKey: asString(r[0]), Source: asString(r[1]), Dataset: asString(r[2]), Season: asString(r[3]),
				URL: asString(r[4]), Class: asString(r[5]), Status: asInt(r[6]), Reason: asString(r[7]), Attempts: asInt(r[8]), Failures: asInt(r[9]), LastAt: asString(r[10])})
		}
	}
	return out, nil
}

// ---- queue

// QueueCount is a number of jobs in one group.
type QueueCount struct {
	Queue string `json:"queue,omitempty"`
	Kind  string `json:"kind,omitempty"`
	State string `json:"state"`
	Jobs  int64  `json:"jobs"`
}

// JobFailure is a job whose last attempt failed.
type JobFailure struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Queue       string `json:"queue"`
	State       string `json:"state"`
	Attempt     int64  `json:"attempt"`
	MaxAttempts int64  `json:"max_attempts"`
	AttemptedAt string `json:"attempted_at"`
	Error       string `json:"error"`
}

// QueueOut is GET /api/v1/queue.
type QueueOut struct {
	Available      bool             `json:"available"`
	Note           string           `json:"note,omitempty"`
	ByState        map[string]int64 `json:"by_state"`
	ByQueue        []QueueCount     `json:"by_queue"` // one queue per source
	ByKind         []QueueCount     `json:"by_kind"`
	RecentFailures []JobFailure     `json:"recent_failures"`
}

func (s *Server) apiQueue(r *http.Request) (any, error) {
	p := newParams(r, "queue", "kind", "state", "limit", "pretty")
	queue, kind := p.code("queue"), p.code("kind")
	state := p.enum("state", "", "available", "pending", "running", "retryable", "scheduled", "completed", "cancelled", "discarded")
	limit := p.intIn("limit", 20, 1, MaxLimit)
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	out := QueueOut{ByState: map[string]int64{}, ByQueue: []QueueCount{}, ByKind: []QueueCount{}, RecentFailures: []JobFailure{}}
	ts, err := s.tableSet(ctx)
	if err != nil {
		return nil, err
	}
	if !ts["river_job"] {
		out.Note = "no job queue in this database yet (reconcile --queue or nbasim run creates it)"
		return out, nil
	}
	out.Available = true
	filter := ` WHERE ($1 = '' OR queue = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR CAST(state AS TEXT) = $3)`
	args := []any{queue, kind, state}
	rows, err := s.rowsOf(ctx, 10_000, `SELECT queue, kind, CAST(state AS TEXT), COUNT(*) FROM river_job`+filter+` GROUP BY queue, kind, state ORDER BY queue, kind, 3`, args...)
	if err != nil {
		return nil, err
	}
	byQ, byK := map[[2]string]int64{}, map[[2]string]int64{}
	for _, row := range rows {
		q, k, st, n := asString(row[0]), asString(row[1]), asString(row[2]), asInt(row[3])
		out.ByState[st] += n
		byQ[[2]string{q, st}] += n
		byK[[2]string{k, st}] += n
	}
	for k, n := range byQ {
		out.ByQueue = append(out.ByQueue, QueueCount{Queue: k[0], State: k[1], Jobs: n})
	}
	for k, n := range byK {
		out.ByKind = append(out.ByKind, QueueCount{Kind: k[0], State: k[1], Jobs: n})
	}
	less := func(xs []QueueCount) func(i, j int) bool {
		return func(i, j int) bool {
			a, b := xs[i].Queue+xs[i].Kind, xs[j].Queue+xs[j].Kind
			if a != b {
				return a < b
			}
			return xs[i].State < xs[j].State
		}
	}
	sort.Slice(out.ByQueue, less(out.ByQueue))
	sort.Slice(out.ByKind, less(out.ByKind))
	lastErr := `json_extract(errors, '$[#-1].error')`
	at := `CAST(attempted_at AS TEXT)`
	if s.db.Dialect() == store.Postgres {
		lastErr = `errors[array_length(errors, 1)]->>'error'`
		at = `to_char(attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
	}
	rows, err = s.rowsOf(ctx, limit, `SELECT id, kind, queue, CAST(state AS TEXT), attempt, max_attempts, `+at+`, `+lastErr+` FROM river_job`+filter+
		` AND errors IS NOT NULL AND state IN ('retryable', 'discarded', 'available', 'scheduled') ORDER BY attempted_at DESC, id DESC LIMIT $4`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.RecentFailures = append(out.RecentFailures, JobFailure{ID: asInt(r[0]), Kind: asString(r[1]), Queue: asString(r[2]), State: asString(r[3]),
			Attempt: asInt(r[4]), MaxAttempts: asInt(r[5]), AttemptedAt: asString(r[6]), Error: asString(r[7])})
	}
	return out, nil
}

// ---- verification

// Difference is one derived-vs-official difference and its cause.
type Difference struct {
	GameID     string `json:"game_id,omitempty"`
	Source     string `json:"source,omitempty"`
	Scope      string `json:"scope"` // player, team
	Side       string `json:"side"`
	PlayerID   string `json:"player_id"`
	OfficialID string `json:"official_id"`
	Name       string `json:"name"`
	Stat       string `json:"stat"`
	Derived    int64  `json:"derived"`
	Official   int64  `json:"official"`
	Cause      string `json:"cause"`
}

// VerifiedGame is a game's verification against one official source.
type VerifiedGame struct {
	GameID          string       `json:"game_id"`
	Source          string       `json:"source"`
	Provider        string       `json:"provider"`
	RunID           string       `json:"run_id"`
	VerifiedAt      string       `json:"verified_at"`
	Grade           string       `json:"grade"`
	Error           string       `json:"error,omitempty"`
	Cells           int64        `json:"cells"`
	CellsExact      int64        `json:"cells_exact"`
	PlayerLines     int64        `json:"player_lines"`
	MinutesCompared int64        `json:"minutes_compared"`
	MinutesOK       int64        `json:"minutes_ok"`
	PlusMinusOK     int64        `json:"plus_minus_ok"`
	TeamPointsExact bool         `json:"team_points_exact"`
	TeamTotalsExact bool         `json:"team_totals_exact"`
	FullyExact      bool         `json:"fully_exact"`
	Degraded        bool         `json:"degraded"`
	DegradedReasons string       `json:"degraded_reasons,omitempty"`
	Quirks          string       `json:"quirks,omitempty"`
	Date            string       `json:"date,omitempty"`
	HomeCode        string       `json:"home_code,omitempty"`
	AwayCode        string       `json:"away_code,omitempty"`
	Differences     []Difference `json:"differences,omitempty"`
}

const verifiedCols = `vg.game_id, vg.source, vg.provider, vg.run_id, vg.verified_at, vg.grade, vg.error, vg.cells, vg.cells_exact, vg.player_lines,
 vg.minutes_compared, vg.minutes_ok, vg.plus_minus_ok, vg.team_points_exact, vg.team_totals_exact, vg.fully_exact, vg.degraded, vg.degraded_reasons, vg.quirks,
 g.game_date, g.home_code, g.away_code`

func verifiedRow(r []any) VerifiedGame {
	return VerifiedGame{GameID: asString(r[0]), Source: asString(r[1]), Provider: asString(r[2]), RunID: asString(r[3]), VerifiedAt: asString(r[4]),
		Grade: asString(r[5]), Error: asString(r[6]), Cells: asInt(r[7]), CellsExact: asInt(r[8]), PlayerLines: asInt(r[9]),
		MinutesCompared: asInt(r[10]), MinutesOK: asInt(r[11]), PlusMinusOK: asInt(r[12]), TeamPointsExact: asInt(r[13]) != 0,
		TeamTotalsExact: asInt(r[14]) != 0, FullyExact: asInt(r[15]) != 0, Degraded: asInt(r[16]) != 0, DegradedReasons: asString(r[17]),
		Quirks: asString(r[18]), Date: asString(r[19]), HomeCode: asString(r[20]), AwayCode: asString(r[21])}
}

func diffRow(r []any) Difference {
	return Difference{GameID: asString(r[0]), Source: asString(r[1]), Scope: asString(r[2]), Side: asString(r[3]), PlayerID: asString(r[4]),
		OfficialID: asString(r[5]), Name: asString(r[6]), Stat: asString(r[7]), Derived: asInt(r[8]), Official: asInt(r[9]), Cause: asString(r[10])}
}

const diffCols = `d.game_id, d.source, d.scope, d.side, d.player_id, d.official_id, d.name, d.stat, d.derived, d.official, d.cause`

// GameVerificationOut is GET /api/v1/games/{game_id}/verification.
type GameVerificationOut struct {
	GameID  string         `json:"game_id"`
	Results []VerifiedGame `json:"results"`
	Note    string         `json:"note,omitempty"`
}

func (s *Server) apiGameVerification(r *http.Request) (any, error) {
	p := newParams(r, "source", "pretty")
	source := p.code("source")
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	id, err := resolveGame(ctx, s.q, r.PathValue("game_id"))
	if err != nil {
		return nil, err
	}
	out := GameVerificationOut{GameID: id, Results: []VerifiedGame{}}
	rows, err := s.rowsOf(ctx, 100, `SELECT `+verifiedCols+` FROM verify_games vg LEFT JOIN games g ON g.game_id = vg.game_id
WHERE vg.game_id = $1 AND ($2 = '' OR vg.source = $2) ORDER BY vg.source`, id, source)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		out.Results = append(out.Results, verifiedRow(row))
	}
	if len(out.Results) == 0 {
		out.Note = "not verified yet: nbasim verify --game " + id
		return out, nil
	}
	drows, err := s.rowsOf(ctx, 10_000, `SELECT `+diffCols+` FROM verify_diffs d WHERE d.game_id = $1 ORDER BY d.source, d.seq`, id)
	if err != nil {
		return nil, err
	}
	for _, row := range drows {
		d := diffRow(row)
		for i := range out.Results {
			if out.Results[i].Source == d.Source {
				d.GameID, d.Source = "", ""
				out.Results[i].Differences = append(out.Results[i].Differences, d)
				break
			}
		}
	}
	for i := range out.Results {
		if out.Results[i].Differences == nil {
			out.Results[i].Differences = []Difference{}
		}
	}
	return out, nil
}

// VerifyRun is one `nbasim verify` run.
type VerifyRun struct {
	RunID           string  `json:"run_id"`
	StartedAt       string  `json:"started_at"`
	FinishedAt      string  `json:"finished_at"`
	Scope           string  `json:"scope"`
	Games           int64   `json:"games"`
	Failed          int64   `json:"failed"`
	Degraded        int64   `json:"degraded"`
	Cells           int64   `json:"cells"`
	CellsExact      int64   `json:"cells_exact"`
	FullyExact      int64   `json:"fully_exact"`
	CellsExactShare float64 `json:"cells_exact_share"`
}

// CountBy is a count of one value.
type CountBy struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// VerificationOut is GET /api/v1/verification.
type VerificationOut struct {
	Runs        []VerifyRun    `json:"runs"`
	Grades      []CountBy      `json:"grades"`
	Causes      []CountBy      `json:"causes"`
	Games       []VerifiedGame `json:"games"`
	Total       int            `json:"total"`
	Differences []Difference   `json:"differences"`
	Limit       int            `json:"limit"`
	Offset      int            `json:"offset"`
}

func (s *Server) apiVerification(r *http.Request) (any, error) {
	p := newParams(r, "grade", "source", "cause", "season", "limit", "offset", "pretty")
	grade := p.enum("grade", "", "A", "B", "C", "D", "F")
	source := p.code("source")
	cause := p.str("cause")
	season := p.season("season")
	limit, offset := p.page()
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	out := VerificationOut{Runs: []VerifyRun{}, Grades: []CountBy{}, Causes: []CountBy{}, Games: []VerifiedGame{}, Differences: []Difference{},
		Limit: limit, Offset: offset}
	rows, err := s.rowsOf(ctx, 10, `SELECT run_id, started_at, COALESCE(finished_at, ''), scope, games, failed, degraded, cells, cells_exact, fully_exact, cells_exact_share
FROM verify_runs ORDER BY started_at DESC, run_id DESC LIMIT 10`)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Runs = append(out.Runs, VerifyRun{RunID: asString(r[0]), StartedAt: asString(r[1]), FinishedAt: asString(r[2]), Scope: asString(r[3]),
			Games: asInt(r[4]), Failed: asInt(r[5]), Degraded: asInt(r[6]), Cells: asInt(r[7]), CellsExact: asInt(r[8]), FullyExact: asInt(r[9]),
			CellsExactShare: asFloat(r[10])})
	}
	filter := ` WHERE ($1 = '' OR vg.grade = $1) AND ($2 = '' OR vg.source = $2) AND ($3 = '' OR g.season = $3)`
	args := []any{grade, source, season}
	rows, err = s.rowsOf(ctx, 10, `SELECT vg.grade, COUNT(*) FROM verify_games vg LEFT JOIN games g ON g.game_id = vg.game_id`+
		` WHERE ($1 = '' OR vg.source = $1) AND ($2 = '' OR g.season = $2) GROUP BY vg.grade ORDER BY vg.grade`, source, season)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Grades = append(out.Grades, CountBy{Value: asString(r[0]), Count: asInt(r[1])})
	}
	var total int64
	if err := s.q.QueryRow(ctx, `SELECT COUNT(*) FROM verify_games vg LEFT JOIN games g ON g.game_id = vg.game_id`+filter, args...).Scan(&total); err != nil {
		return nil, err
	}
	out.Total = int(total)
	rows, err = s.rowsOf(ctx, limit, `SELECT `+verifiedCols+` FROM verify_games vg LEFT JOIN games g ON g.game_id = vg.game_id`+filter+
		` ORDER BY vg.grade DESC, vg.cells - vg.cells_exact DESC, vg.game_id, vg.source LIMIT $4 OFFSET $5`, grade, source, season, limit, offset)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Games = append(out.Games, verifiedRow(r))
	}
	dfilter := ` WHERE ($1 = '' OR d.cause = $1) AND ($2 = '' OR d.source = $2) AND ($3 = '' OR g.season = $3)`
	rows, err = s.rowsOf(ctx, 1000, `SELECT d.cause, COUNT(*) FROM verify_diffs d LEFT JOIN games g ON g.game_id = d.game_id`+
		` WHERE ($1 = '' OR d.source = $1) AND ($2 = '' OR g.season = $2) GROUP BY d.cause ORDER BY COUNT(*) DESC, d.cause`, source, season)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Causes = append(out.Causes, CountBy{Value: asString(r[0]), Count: asInt(r[1])})
	}
	rows, err = s.rowsOf(ctx, limit, `SELECT `+diffCols+` FROM verify_diffs d LEFT JOIN games g ON g.game_id = d.game_id`+dfilter+
		` ORDER BY d.game_id, d.source, d.seq LIMIT $4`, cause, source, season, limit)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Differences = append(out.Differences, diffRow(r))
	}
	return out, nil
}

// ---- quarantine

// QuarantineItem is a bad input set aside by load.
type QuarantineItem struct {
	Key           string `json:"key"`
	Position      string `json:"position"`
	Source        string `json:"source"`
	GameID        string `json:"game_id"`
	Reason        string `json:"reason"`
	ParserVersion int64  `json:"parser_version"`
	CreatedAt     string `json:"created_at"`
}

// QuarantineOut is GET /api/v1/quarantine.
type QuarantineOut struct {
	Items    []QuarantineItem `json:"items"`
	Total    int              `json:"total"`
	BySource []CountBy        `json:"by_source"`
	Limit    int              `json:"limit"`
	Offset   int              `json:"offset"`
}

func (s *Server) apiQuarantine(r *http.Request) (any, error) {
	p := newParams(r, "source", "game_id", "q", "limit", "offset", "pretty")
	source, game := p.code("source"), p.code("game_id")
	q := p.str("q")
	limit, offset := p.page()
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	out := QuarantineOut{Items: []QuarantineItem{}, BySource: []CountBy{}, Limit: limit, Offset: offset}
	like := ""
	if q != "" {
		like = "%" + strings.ToLower(q) + "%"
	}
	filter := ` WHERE ($1 = '' OR source = $1) AND ($2 = '' OR game_id = $2) AND ($3 = '' OR LOWER(reason) LIKE $3 OR LOWER(key) LIKE $3)`
	args := []any{source, game, like}
	var total int64
	if err := s.q.QueryRow(ctx, `SELECT COUNT(*) FROM quarantine`+filter, args...).Scan(&total); err != nil {
		return nil, err
	}
	out.Total = int(total)
	rows, err := s.rowsOf(ctx, limit, `SELECT key, position, COALESCE(source, ''), COALESCE(game_id, ''), reason, parser_version, created_at FROM quarantine`+filter+
		` ORDER BY created_at DESC, key, position LIMIT $4 OFFSET $5`, append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Items = append(out.Items, QuarantineItem{Key: asString(r[0]), Position: asString(r[1]), Source: asString(r[2]), GameID: asString(r[3]),
			Reason: asString(r[4]), ParserVersion: asInt(r[5]), CreatedAt: asString(r[6])})
	}
	rows, err = s.rowsOf(ctx, 100, `SELECT COALESCE(source, ''), COUNT(*) FROM quarantine GROUP BY COALESCE(source, '') ORDER BY COUNT(*) DESC`)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.BySource = append(out.BySource, CountBy{Value: asString(r[0]), Count: asInt(r[1])})
	}
	return out, nil
}
