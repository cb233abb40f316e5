package metrics_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/nbasim/nbasim/internal/metrics"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// Families every scrape of a running loop holds (the list).
var wantFamilies = []string{
	"nbasim_jobs", "nbasim_jobs_in_flight", "nbasim_job_duration_seconds", "nbasim_source_requests_total", "nbasim_source_throttles_total",
	"nbasim_source_breaker_state", "nbasim_source_rate_per_second", "nbasim_lake_objects_written_total",
	"nbasim_lake_bytes_written_total", "nbasim_coverage_ratio", "nbasim_reconcile_last_success_timestamp_seconds",
	"nbasim_verifications_total", "nbasim_verification_games", "nbasim_build_info", "go_goroutines",
}

// Scrape fetches url and parses it with the Prometheus text parser.
func Scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return fams
}

// value returns the value of the sample of fam whose labels are labels.
func value(t *testing.T, fams map[string]*dto.MetricFamily, fam string, labels map[string]string) float64 {
	t.Helper()
	f, ok := fams[fam]
	if !ok {
		t.Fatalf("family %s missing", fam)
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		match := len(got) == len(labels)
		for k, v := range labels {
			match = match && got[k] == v
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("%s%v: no sample", fam, labels)
	return 0
}

// statusServer answers /s/NNN with status NNN (a 429 with Retry-After: 0).
func statusServer(t *testing.T) *httptest.Server {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/s/"))
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(hs.Close)
	return hs
}

func TestScrapeHoldsEveryFamily(t *testing.T) {
	t.Parallel()
	hs := statusServer(t)
	m := metrics.New("test", "abcd1234")
	c := source.NewClient(nil)
	c.SetPolicy("example.test", source.Policy{Rate: 1000, Burst: 10, Attempts: 1, BreakerThreshold: 100})
	m.InstrumentClient(c)

	ctx := context.Background()
	for _, code := range []int{200, 200, 404, 429, 500} {
		_, _ = c.Fetch(ctx, &source.Request{Host: "example.test", URL: hs.URL + "/s/" + strconv.Itoa(code)})
	}
	// A connection refused: no status at all.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	_, _ = c.Fetch(ctx, &source.Request{Host: "example.test", URL: deadURL + "/x"})

	m.SetJobCounts(map[string]int{"fetch/available": 7, "load/completed": 3})
	for range 3 {
		m.JobStarted("fetch", "nba_stats")
	}
	m.JobFinished("fetch", "nba_stats", metrics.OutcomeOK, 120*time.Millisecond)
	m.JobFinished("fetch", "nba_stats", metrics.OutcomeRetry, time.Second)
	m.LakeWritten(1, 1234)
	m.LakeWritten(1, 766)
	before := time.Now()
	m.Coverage([]*reconcile.Cell{{Source: "nba_stats", Dataset: "playbyplayv2", Season: "2018-19", Completeness: 0.5}})
	m.Verified("exact")
	m.SetGrades(map[string]int{"exact": 10, "close": 2})

	srv, err := metrics.Listen("127.0.0.1:0", m, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background()) //nolint:errcheck
	fams := Scrape(t, "http://"+srv.Addr()+"/metrics")
	for _, f := range wantFamilies {
		if _, ok := fams[f]; !ok {
			t.Errorf("family %s missing from the scrape", f)
		}
	}
	tests := []struct {
		fam    string
		labels map[string]string
		want   float64
	}{
		{"nbasim_source_requests_total", map[string]string{"host": "example.test", "class": "2xx"}, 2},
		{"nbasim_source_requests_total", map[string]string{"host": "example.test", "class": "4xx"}, 2},
		{"nbasim_source_requests_total", map[string]string{"host": "example.test", "class": "5xx"}, 1},
		{"nbasim_source_requests_total", map[string]string{"host": "example.test", "class": "network"}, 1},
		{"nbasim_source_throttles_total", map[string]string{"host": "example.test"}, 1},
		{"nbasim_source_breaker_state", map[string]string{"host": "example.test", "state": "closed"}, 1},
		{"nbasim_source_breaker_state", map[string]string{"host": "example.test", "state": "open"}, 0},
		{"nbasim_jobs", map[string]string{"kind": "fetch", "state": "available"}, 7},
		{"nbasim_jobs", map[string]string{"kind": "load", "state": "completed"}, 3},
		{"nbasim_jobs_in_flight", map[string]string{"kind": "fetch"}, 1},
		{"nbasim_job_duration_seconds", map[string]string{"kind": "fetch", "source": "nba_stats", "outcome": "ok"}, 1},
		{"nbasim_lake_objects_written_total", map[string]string{}, 2},
		{"nbasim_lake_bytes_written_total", map[string]string{}, 2000},
		{"nbasim_coverage_ratio", map[string]string{"source": "nba_stats", "dataset": "playbyplayv2", "season": "2018-19"}, 0.5},
		{"nbasim_verifications_total", map[string]string{"grade": "exact"}, 1},
		{"nbasim_verification_games", map[string]string{"grade": "close"}, 2},
		{"nbasim_build_info", map[string]string{"version": "test", "run_id": "abcd1234"}, 1},
	}
	for _, tc := range tests {
		if got := value(t, fams, tc.fam, tc.labels); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.fam, tc.labels, got, tc.want)
		}
	}
	if got := value(t, fams, "nbasim_reconcile_last_success_timestamp_seconds", map[string]string{}); got < float64(before.Unix()) || got > float64(time.Now().Unix()+1) {
		t.Errorf("last reconciliation at %v, want between %v and now", got, before.Unix())
	}
	// Counts replace, not add.
	m.SetJobCounts(map[string]int{"fetch/completed": 7})
	fams = Scrape(t, "http://"+srv.Addr()+"/metrics")
	if got := len(fams["nbasim_jobs"].GetMetric()); got != 1 {
		t.Errorf("after SetJobCounts with one pair: %d job samples, want 1", got)
	}
}

func TestHealthAndReady(t *testing.T) {
	t.Parallel()
	m := metrics.New("test", "r1")
	var notReady error = errors.New("database unreachable")
	srv, err := metrics.Listen("127.0.0.1:0", m, func(context.Context) error { return notReady })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background()) //nolint:errcheck
	tests := []struct {
		path   string
		status int
		want   map[string]string
	}{
		{"/healthz", 200, map[string]string{"status": "ok"}},
		{"/readyz", 503, map[string]string{"status": "not_ready", "error": "database unreachable"}},
	}
	for _, tc := range tests {
		resp, err := http.Get("http://" + srv.Addr() + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if resp.StatusCode != tc.status || len(got) != len(tc.want) {
			t.Errorf("%s: %d %v, want %d %v", tc.path, resp.StatusCode, got, tc.status, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", tc.path, k, got[k], v)
			}
		}
	}
}

func TestStatusClass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		err    error
		want   string
	}{
		{200, nil, "2xx"},
		{304, nil, "3xx"},
		{429, &source.Error{Class: source.Throttled}, "4xx"},
		{503, nil, "5xx"},
		{0, &source.Error{Class: source.Throttled, Err: source.ErrBreakerOpen}, "not_sent"},
		{0, &source.Error{Class: source.Retriable, Err: source.ErrFleet}, "not_sent"},
		{0, &source.Error{Class: source.Retriable}, "network"},
	}
	for _, tc := range tests {
		if got := metrics.StatusClass(tc.status, tc.err); got != tc.want {
			t.Errorf("StatusClass(%d, %v) = %s, want %s", tc.status, tc.err, got, tc.want)
		}
	}
}

func TestNilMetricsIgnoresCalls(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.SetJobCounts(map[string]int{"a/b": 1})
	m.JobStarted("fetch", "s")
	m.JobFinished("fetch", "s", metrics.OutcomeOK, time.Second)
	m.ObserveRequest("h", 200, nil)
	m.LakeWritten(1, 1)
	m.Coverage(nil)
	m.Verified("exact")
	m.SetGrades(nil)
	m.InstrumentClient(source.NewClient(nil))
}

func TestRefreshCoverageFromTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	m := metrics.New("test", "r1")
	// No reconciliation yet: nothing to show, no error.
	if err := m.RefreshCoverage(ctx, st); err != nil {
		t.Fatal(err)
	}
	fin := time.Date(2026, 12, 6, 22, 0, 0, 0, time.UTC)
	rec := reconcile.RunRecord{RunID: "another-process", StartedAt: fin.Add(-time.Minute), FinishedAt: fin, Status: "ok", ScanMode: "full"}
	cells := []*reconcile.Cell{
		{Source: "nba_stats", Dataset: "playbyplayv2", Season: "2018-19", Expected: 4, Present: 3, Completeness: 0.75},
		{Source: "bbref", Dataset: "boxscores", Season: "2018-19", Expected: 4, Present: 4, Completeness: 1},
	}
	if err := reconcile.SaveRun(ctx, st, rec, cells); err != nil {
		t.Fatal(err)
	}
	if err := m.RefreshCoverage(ctx, st); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(metrics.Handler(m, nil))
	defer srv.Close()
	fams := Scrape(t, srv.URL+"/metrics")
	if got := value(t, fams, "nbasim_coverage_ratio", map[string]string{"source": "nba_stats", "dataset": "playbyplayv2", "season": "2018-19"}); got != 0.75 {
		t.Errorf("coverage of nba_stats playbyplayv2 = %v, want 0.75", got)
	}
	if got := value(t, fams, "nbasim_reconcile_last_success_timestamp_seconds", map[string]string{}); got != float64(fin.Unix()) {
		t.Errorf("last reconciliation at %v, want %v", got, fin.Unix())
	}
	if n := len(fams["nbasim_coverage_ratio"].GetMetric()); n != 2 {
		t.Errorf("%d coverage cells, want 2", n)
	}
}
