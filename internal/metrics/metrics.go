// Package metrics is the observability of a long-running nbasim process
// (`nbasim run`): Prometheus metrics on a Registry of its own (no global
// default registry), and an HTTP server with /metrics, /healthz and /readyz.
//
// The loop reports what it does through a *Metrics: job counts by kind and
// state, job durations, lake writes, the coverage of the last
// reconciliation and verification grades. A source.Client is instrumented
// with InstrumentClient: every attempt is counted by host and status class,
// throttled answers are counted, and the breaker state and current rate of
// every host are read from the client at each scrape.
//
// Families (all prefixed nbasim_):
//
//	jobs{kind,state}                          gauge: jobs in the queue (SetJobCounts)
//	jobs_in_flight{kind}                      gauge: jobs this process is working (JobStarted/JobFinished)
//	job_duration_seconds{kind,source,outcome} histogram: time to work one job
//	source_requests_total{host,class}         counter: attempts by status class (2xx..5xx, network, not_sent)
//	source_throttles_total{host}              counter: throttled answers (429, 403 on stats.nba.com, hangs)
//	source_breaker_state{host,state}          gauge: 1 for the host's state (closed, half-open, open, locked-out)
//	source_rate_per_second{host}              gauge: the host's current rate (after slow-downs)
//	lake_objects_written_total                counter: objects written (new or changed)
//	lake_bytes_written_total                  counter
//	coverage_ratio{source,dataset,season}     gauge: completeness from the last reconciliation
//	reconcile_last_success_timestamp_seconds  gauge
//	verifications_total{grade}                counter: games verified by this process, by grade (Verified)
//	verification_games{grade}                 gauge: games in the store by grade (SetGrades)
//	build_info{version,run_id}                gauge: 1
//
// plus the Go runtime and process collectors.
//
// *Metrics implements the loop's observer (runloop.Observer): JobStarted,
// JobFinished, LakeWritten, Coverage and Verified.
package metrics

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store"
)

// Namespace prefixes every family.
const Namespace = "nbasim"

// Job outcomes for ObserveJob.
const (
	OutcomeOK        = "ok"        // the job completed
	OutcomeRetry     = "retry"     // failed, will be retried
	OutcomePermanent = "permanent" // failed for good (recorded in fetch_log / quarantine)
	OutcomeCancelled = "cancelled" // handed back at shutdown
)

// Breaker states as Client.Stats reports them.
var breakerStates = []string{"closed", "half-open", "open", "locked-out"}

// Metrics holds one process's metric families. Its methods are safe for
// concurrent use; a nil *Metrics ignores every call, so code paths may
// report unconditionally.
type Metrics struct {
	reg *prometheus.Registry

	jobs        *prometheus.GaugeVec
	inFlight    *prometheus.GaugeVec
	jobDuration *prometheus.HistogramVec
	requests    *prometheus.CounterVec
	throttles   *prometheus.CounterVec
	lakeObjects prometheus.Counter
	lakeBytes   prometheus.Counter
	coverage    *prometheus.GaugeVec
	reconciled  prometheus.Gauge
	verified    *prometheus.CounterVec
	grades      *prometheus.GaugeVec

	hosts *hostCollector

	mu          sync.Mutex
	coverageRun string // run id and finish time behind the coverage gauges
}

// New returns the metrics of a process with a fresh registry holding every
// family above, and the Go and process collectors.
func New(version, runID string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), hosts: &hostCollector{}}
	m.jobs = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "jobs",
		Help: "Jobs in the queue by kind and state (as of the last count)."}, []string{"kind", "state"})
	m.inFlight = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "jobs_in_flight",
		Help: "Jobs this process is working, by kind."}, []string{"kind"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "job_duration_seconds",
		Help:    "Time to work one job, by kind, source and outcome.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300}}, []string{"kind", "source", "outcome"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "source_requests_total",
		Help: "Request attempts to providers by host and status class (2xx, 3xx, 4xx, 5xx, network: no answer, not_sent: refused by the pacer)."},
		[]string{"host", "class"})
	m.throttles = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "source_throttles_total",
		Help: "Throttled answers by host (429, 403 on stats.nba.com, hangs counted as throttling)."}, []string{"host"})
	m.lakeObjects = prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: "lake_objects_written_total",
		Help: "Objects written to the lake by this process (new or changed; unchanged ones write nothing)."})
	m.lakeBytes = prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: "lake_bytes_written_total",
		Help: "Bytes written to the lake by this process."})
	m.coverage = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "coverage_ratio",
		Help: "Completeness (0..1) of each source, dataset and season at the last reconciliation."}, []string{"source", "dataset", "season"})
	m.reconciled = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "reconcile_last_success_timestamp_seconds",
		Help: "Unix time of the last reconciliation that finished."})
	m.verified = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "verifications_total",
		Help: "Games verified by this process, by grade."}, []string{"grade"})
	m.grades = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "verification_games",
		Help: "Games in the store by verification grade (as of the last count)."}, []string{"grade"})
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "build_info",
		Help: "Always 1: the version and run id of this process."}, []string{"version", "run_id"})
	info.WithLabelValues(version, runID).Set(1)
	m.reg.MustRegister(m.jobs, m.inFlight, m.jobDuration, m.requests, m.throttles, m.lakeObjects, m.lakeBytes,
		m.coverage, m.reconciled, m.verified, m.grades, info, m.hosts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the process's registry (to register more collectors or
// to gather in tests).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SetJobCounts replaces the job gauges with counts keyed "kind/state", the
// form queue.Counts returns. Pairs absent from counts drop to nothing.
func (m *Metrics) SetJobCounts(counts map[string]int) {
	if m == nil {
		return
	}
	m.jobs.Reset()
	for k, n := range counts {
		kind, state := k, ""
		for i := 0; i < len(k); i++ {
			if k[i] == '/' {
				kind, state = k[:i], k[i+1:]
				break
			}
		}
		m.jobs.WithLabelValues(kind, state).Set(float64(n))
	}
}

// JobStarted records that this process started a job of kind (fetch,
// load, verify, reconcile) for source ("" when none).
func (m *Metrics) JobStarted(kind, _ string) {
	if m == nil {
		return
	}
	m.inFlight.WithLabelValues(kind).Inc()
}

// JobFinished records the end of a job JobStarted announced: its outcome
// (OutcomeOK, OutcomeRetry, ...) and how long it took.
func (m *Metrics) JobFinished(kind, sourceName, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.inFlight.WithLabelValues(kind).Dec()
	m.jobDuration.WithLabelValues(kind, sourceName, outcome).Observe(d.Seconds())
}

// ObserveRequest records one attempt to a provider host: status is the
// HTTP status (0 when none was received) and err the attempt's failure
// (nil on success). It is what InstrumentClient hooks on OnAttempt.
func (m *Metrics) ObserveRequest(host string, status int, err error) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(host, StatusClass(status, err)).Inc()
	if source.ClassOf(err) == source.Throttled && !errors.Is(err, source.ErrBreakerOpen) {
		m.throttles.WithLabelValues(host).Inc()
	}
}

// StatusClass names the class of an attempt: "2xx".."5xx" from its
// status, "not_sent" when the pacer refused it (breaker open, lockout,
// fleet unreachable), "network" when no answer came.
func StatusClass(status int, err error) string {
	switch {
	case status >= 100 && status < 600:
		return strconv.Itoa(status/100) + "xx"
	case errors.Is(err, source.ErrBreakerOpen) || errors.Is(err, source.ErrFleet):
		return "not_sent"
	}
	return "network"
}

// LakeWritten records objects written to the lake (not those skipped as
// unchanged) and their bytes.
func (m *Metrics) LakeWritten(objects int, bytes int64) {
	if m == nil {
		return
	}
	m.lakeObjects.Add(float64(objects))
	m.lakeBytes.Add(float64(bytes))
}

// Coverage replaces the coverage gauges with the cells of a reconciliation
// that just finished (their Completeness) and stamps its time.
func (m *Metrics) Coverage(cells []*reconcile.Cell) {
	if m == nil {
		return
	}
	m.coverage.Reset()
	for _, c := range cells {
		m.coverage.WithLabelValues(c.Source, c.Dataset, c.Season).Set(c.Completeness)
	}
	m.reconciled.Set(float64(time.Now().UnixNano()) / 1e9)
}

// Verified records one game verified by this process, with its grade.
func (m *Metrics) Verified(grade string) {
	if m == nil {
		return
	}
	m.verified.WithLabelValues(grade).Inc()
}

// SetGrades replaces the per-grade game counts (from the store).
func (m *Metrics) SetGrades(byGrade map[string]int) {
	if m == nil {
		return
	}
	m.grades.Reset()
	for g, n := range byGrade {
		m.grades.WithLabelValues(g).Set(float64(n))
	}
}

// InstrumentClient counts every attempt of c (chaining any OnAttempt
// already set) and reports the breaker state and rate of c's hosts at each
// scrape. Call it before c's first request.
func (m *Metrics) InstrumentClient(c *source.Client) {
	if m == nil || c == nil {
		return
	}
	prev := c.OnAttempt
	c.OnAttempt = func(req *source.Request, attempt int, status int, err error) {
		m.ObserveRequest(req.Host, status, err)
		if prev != nil {
			prev(req, attempt, status, err)
		}
	}
	m.hosts.add(c)
}

// hostCollector reads the per-host state of clients at scrape time.
type hostCollector struct {
	mu      sync.Mutex
	clients []*source.Client
}

var (
	breakerDesc = prometheus.NewDesc(Namespace+"_source_breaker_state",
		"1 for the circuit breaker state of each host (closed, half-open, open, locked-out), 0 for the others.",
		[]string{"host", "state"}, nil)
	rateDesc = prometheus.NewDesc(Namespace+"_source_rate_per_second",
		"Current request rate of each host (after slow-downs; 0: unlimited).", []string{"host"}, nil)
)

func (h *hostCollector) add(c *source.Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clients = append(h.clients, c)
}

// Describe implements prometheus.Collector.
func (h *hostCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- breakerDesc
	ch <- rateDesc
}

// Collect implements prometheus.Collector.
func (h *hostCollector) Collect(ch chan<- prometheus.Metric) {
	h.mu.Lock()
	clients := append([]*source.Client(nil), h.clients...)
	h.mu.Unlock()
	seen := map[string]bool{}
	for _, c := range clients {
		for _, st := range c.Stats() {
			if seen[st.Host] {
				continue
			}
			seen[st.Host] = true
			for _, s := range breakerStates {
				v := 0.0
				if s == st.State {
					v = 1
				}
				ch <- prometheus.MustNewConstMetric(breakerDesc, prometheus.GaugeValue, v, st.Host, s)
			}
			r := st.Rate
			if r > 1e300 { // rate.Inf: unlimited
				r = 0
			}
			ch <- prometheus.MustNewConstMetric(rateDesc, prometheus.GaugeValue, r, st.Host)
		}
	}
}

// RefreshCoverage sets the coverage gauges from the last reconciliation
// recorded in the store, whichever process ran it (in a fleet only one
// process reconciles at a time, and every process's /metrics should show
// the coverage). It reads the cells only when the run changed.
func (m *Metrics) RefreshCoverage(ctx context.Context, q store.Querier) error {
	if m == nil {
		return nil
	}
	runs, err := reconcile.RecentRuns(ctx, q, 1)
	if err != nil || len(runs) == 0 {
		return err
	}
	r := runs[0]
	m.mu.Lock()
	seen := m.coverageRun == r.RunID+"/"+r.FinishedAt
	m.mu.Unlock()
	if seen || r.FinishedAt == "" {
		return nil
	}
	cells, err := reconcile.RunCells(ctx, q, r.RunID)
	if err != nil {
		return err
	}
	if len(cells) == 0 { // still running: its cells are not written yet
		return nil
	}
	m.coverage.Reset()
	for _, c := range cells {
		m.coverage.WithLabelValues(c.Source, c.Dataset, c.Season).Set(c.Completeness)
	}
	if t, err := time.Parse(time.RFC3339Nano, r.FinishedAt); err == nil {
		m.reconciled.Set(float64(t.UnixNano()) / 1e9)
	}
	m.mu.Lock()
	m.coverageRun = r.RunID + "/" + r.FinishedAt
	m.mu.Unlock()
	return nil
}
