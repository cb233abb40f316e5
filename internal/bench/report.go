package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/timing"
)

// WriteBreakdown writes one result in full: what it measured, its figures
// and the timing bar breakdown of its steps (and of the product's own
// steps, for reconcile).
func (r Result) WriteBreakdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s", r.Name())
	if r.Target != "" {
		fmt.Fprintf(&b, " [%s]", r.Target)
	}
	b.WriteString("\n")
	switch {
	case r.Skipped != "":
		fmt.Fprintf(&b, "skipped: %s\n", r.Skipped)
	case r.Timing.Name == "":
		fmt.Fprintf(&b, "FAILED: %s\n", r.Error)
	default:
		if r.Input != "" {
			fmt.Fprintf(&b, "%s\n", r.Input)
		}
		fmt.Fprintf(&b, "%s %s in %s (CPU %s): %s (%s per CPU-second), peak RSS %s, peak heap %s\n",
			commas(r.Items), r.Unit, fmtDur(r.Wall), fmtDur(r.CPU), rate(r.Throughput(), r.Unit), rate(r.PerCPUSecond(), r.Unit),
			timing.FormatBytes(r.PeakRSS), timing.FormatBytes(r.PeakHeap))
		if l := r.Latency; l != nil {
			fmt.Fprintf(&b, "latency over %s %s: p50 %s, p99 %s, max %s\n", commas(int64(l.N)), r.Unit, fmtDur(l.P50), fmtDur(l.P99), fmtDur(l.Max))
		}
		for _, m := range r.Metrics {
			fmt.Fprintf(&b, "  %s: %s\n", m.Name, fmtMetric(m))
		}
		b.WriteString(r.Timing.String())
		if r.Detail != nil {
			b.WriteString("steps of the measured run:\n")
			b.WriteString(r.Detail.String())
		}
		if r.Error != "" {
			fmt.Fprintf(&b, "FAILED: %s\n", r.Error)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// EngineOnlyNote heads the summary: which rows are what a user waits for
// and which measure an engine.
const EngineOnlyNote = "box-cli is end to end (cold nbasim box processes on a loaded store); every other row is an " +
	"engine-only or component figure (package APIs in a loop, in this process). More end-to-end figures (an MCP call, " +
	"a reconcile of a lake nbasim wrote): scripts/bench-e2e.sh, docs/benchmarks.md"

// WriteTable writes the summary: one row per result.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	h := r.Host
	fmt.Fprintf(&b, "nbasim bench, %s, %s %s/%s, %d CPUs (GOMAXPROCS %d)", r.Started.Format(time.RFC3339), h.GoVersion, h.OS, h.Arch, h.CPUs, h.GOMAXPROCS)
	if h.CPUModel != "" {
		fmt.Fprintf(&b, ", %s", h.CPUModel)
	}
	if h.LoadStart != "" {
		fmt.Fprintf(&b, ", load average %s at the start, %s at the end", h.LoadStart, h.LoadEnd)
	}
	b.WriteString("\n")
	b.WriteString(EngineOnlyNote + "\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tthroughput\tper CPU-second\tlatency p50 / p99 / max\titems\twall\tCPU\tpeak RSS\tpeak heap\t")
	for _, x := range r.Results {
		switch {
		case x.Skipped != "":
			fmt.Fprintf(tw, "%s\tskipped\t\t\t\t\t\t\t\t\n", x.Name())
			continue
		case x.Timing.Name == "" || x.Error != "" && x.Items == 0:
			fmt.Fprintf(tw, "%s\tFAILED\t\t\t\t\t\t\t\t\n", x.Name())
			continue
		}
		lat := ""
		if l := x.Latency; l != nil {
			lat = fmtDur(l.P50) + " / " + fmtDur(l.P99) + " / " + fmtDur(l.Max)
		}
		name := x.Name()
		if x.Error != "" {
			name += " (FAILED)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\t%s\t%s\t\n", name, rate(x.Throughput(), x.Unit), rate(x.PerCPUSecond(), x.Unit), lat,
			commas(x.Items), x.Unit, fmtDur(x.Wall), fmtDur(x.CPU), timing.FormatBytes(x.PeakRSS), timing.FormatBytes(x.PeakHeap))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, x := range r.Results {
		switch {
		case x.Skipped != "":
			fmt.Fprintf(&b, "\n%s skipped: %s", x.Name(), x.Skipped)
		case x.Error != "":
			fmt.Fprintf(&b, "\n%s FAILED: %s", x.Name(), x.Error)
		}
	}
	b.WriteString("\nWall and CPU time, peak RSS and heap are those of the measured step (setup excluded); CPU counts every core;\nper CPU-second = items / CPU time, the cost of the work, which a busy machine changes less than the wall time.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// rate renders a throughput: 11.2M events/s, 48.3k objects/s.
func rate(v float64, unit string) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM %s/s", v/1e6, unit)
	case v >= 1e4:
		return fmt.Sprintf("%.1fk %s/s", v/1e3, unit)
	}
	return fmt.Sprintf("%.0f %s/s", v, unit)
}

// fmtDur renders durations with enough precision for latencies.
func fmtDur(d time.Duration) string {
	switch {
	case d < 10*time.Microsecond:
		return fmt.Sprintf("%.1fµs", float64(d)/1e3)
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return timing.FormatDuration(d)
}

func fmtMetric(m Metric) string {
	v := fmt.Sprintf("%.1f", m.Value)
	if m.Value == float64(int64(m.Value)) {
		v = commas(int64(m.Value))
	}
	if m.Unit == "" {
		return v
	}
	return v + " " + m.Unit
}

// commas renders 1234567 as 1,234,567.
func commas(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// jsonLatency is Latency in microseconds.
type jsonLatency struct {
	N         int     `json:"n"`
	P50Micros float64 `json:"p50_us"`
	P99Micros float64 `json:"p99_us"`
	MaxMicros float64 `json:"max_us"`
}

type jsonResult struct {
	Scenario      string         `json:"scenario"`
	Case          string         `json:"case,omitempty"`
	Target        string         `json:"target,omitempty"`
	Input         string         `json:"input,omitempty"`
	Synthetic     bool           `json:"synthetic"`
	Skipped       string         `json:"skipped,omitempty"`
	Error         string         `json:"error,omitempty"`
	Items         int64          `json:"items"`
	Unit          string         `json:"unit,omitempty"`
	PerSecond     float64        `json:"per_second"`
	PerCPUSecond  float64        `json:"per_cpu_second"`
	WallSeconds   float64        `json:"wall_seconds"`
	CPUSeconds    float64        `json:"cpu_seconds"`
	PeakRSSBytes  uint64         `json:"peak_rss_bytes"`
	PeakHeapBytes uint64         `json:"peak_heap_bytes"`
	Latency       *jsonLatency   `json:"latency,omitempty"`
	Metrics       []Metric       `json:"metrics,omitempty"`
	Timing        *timing.Report `json:"timing,omitempty"`
	Detail        *timing.Report `json:"detail,omitempty"`
}

// MarshalJSON renders a result with durations in seconds (latencies in
// microseconds) and memory in bytes.
func (r Result) MarshalJSON() ([]byte, error) {
	j := jsonResult{Scenario: r.Scenario, Case: r.Case, Target: r.Target, Input: r.Input, Synthetic: r.Synthetic,
		Skipped: r.Skipped, Error: r.Error, Items: r.Items, Unit: r.Unit, PerSecond: r.Throughput(), PerCPUSecond: r.PerCPUSecond(),
		WallSeconds: r.Wall.Seconds(), CPUSeconds: r.CPU.Seconds(), PeakRSSBytes: r.PeakRSS, PeakHeapBytes: r.PeakHeap,
		Metrics: r.Metrics, Detail: r.Detail}
	if r.Timing.Name != "" {
		t := r.Timing
		j.Timing = &t
	}
	if l := r.Latency; l != nil {
		us := func(d time.Duration) float64 { return float64(d) / 1e3 }
		j.Latency = &jsonLatency{N: l.N, P50Micros: us(l.P50), P99Micros: us(l.P99), MaxMicros: us(l.Max)}
	}
	return json.Marshal(j)
}

type jsonOptions struct {
	DataDir        string `json:"data_dir,omitempty"`
	Games          int    `json:"games,omitempty"`
	SyntheticGames int    `json:"synthetic_games"`
	Passes         int    `json:"passes"`
	Queries        int    `json:"queries"`
	Objects        int    `json:"objects"`
	LakeObjects    int    `json:"lake_objects"`
	Processes      int    `json:"processes"`
	LakeURL        string `json:"lake_url,omitempty"`
	Database       string `json:"database"`
}

type jsonHost struct {
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPUModel   string `json:"cpu_model,omitempty"`
	MemTotal   uint64 `json:"mem_total_bytes,omitempty"`
	LoadStart  string `json:"load_average_start,omitempty"`
	LoadEnd    string `json:"load_average_end,omitempty"`
}

// MarshalJSON renders the whole run for machines (secrets in URLs redacted).
func (r *Report) MarshalJSON() ([]byte, error) {
	o := r.Options
	db := "sqlite (temporary file)"
	if o.DatabaseURL != "" {
		db = config.RedactURL(o.DatabaseURL) + " (temporary schema)"
	}
	h := r.Host
	lakeURL := ""
	if o.LakeURL != "" {
		lakeURL = config.RedactURL(o.LakeURL)
	}
	results := r.Results
	if results == nil {
		results = []Result{}
	}
	return json.Marshal(struct {
		Started  time.Time   `json:"started"`
		Finished time.Time   `json:"finished"`
		Host     jsonHost    `json:"host"`
		Options  jsonOptions `json:"options"`
		Results  []Result    `json:"results"`
	}{r.Started, r.Finished,
		jsonHost(h),
		jsonOptions{o.DataDir, o.Games, o.SyntheticGames, o.Passes, o.Queries, o.Objects, o.LakeObjects, o.Processes, lakeURL, db},
		results})
}
