// Package timing measures the steps of a pipeline: how long each took,
// its share of the total, and heap memory at its start, its peak and the
// change over it. Reports render as a bar breakdown for people
//
//	scan      ████████████░░░░░░░░░░░░   42.5s (55.2%)  heap +12.0 MB, peak 80.1 MB
//	TOTAL                                77.0s          heap 10.2 MB -> 22.4 MB, peak 80.1 MB
//
// and as JSON for machines. Memory is sampled from runtime/metrics every
// 50 ms while a step runs (and at its start and end), so the peak of a
// short step may be missed between samples; it is a profile, not an audit.
package timing

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime/metrics"
	"strings"
	"sync"
	"time"
)

// SampleEvery is how often memory is sampled while a step runs.
const SampleEvery = 50 * time.Millisecond

// heapMetric is the heap memory occupied by live and not-yet-swept objects.
const heapMetric = "/memory/classes/heap/objects:bytes"

// HeapBytes returns the current heap in use (bytes), cheaply (no stop-the-world).
func HeapBytes() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// Timer records the steps of one run. It is safe for concurrent use; steps
// may overlap (their shares then add up to more than 100%).
type Timer struct {
	name  string
	now   func() time.Time
	heap  func() uint64
	start time.Time

	mu       sync.Mutex
	steps    []*Span
	open     int
	memStart uint64
	memPeak  uint64
	stopped  bool
	end      time.Time
	memEnd   uint64
	sampler  *sampler // running while a step is open
}

// sampler is one run of the sampling goroutine.
type sampler struct {
	stop, done chan struct{}
}

// New starts a timer for a run called name.
func New(name string) *Timer {
	return newTimer(name, time.Now, HeapBytes)
}

func newTimer(name string, now func() time.Time, heap func() uint64) *Timer {
	t := &Timer{name: name, now: now, heap: heap}
	t.start = now()
	t.memStart = heap()
	t.memPeak = t.memStart
	return t
}

// Span is one running or finished step.
type Span struct {
	t        *Timer
	name     string
	start    time.Time
	dur      time.Duration
	memStart uint64
	memPeak  uint64
	memEnd   uint64
	err      string
	done     bool
}

// Start begins a step; call Stop on the returned span when it ends.
func (t *Timer) Start(name string) *Span {
	m := t.heap()
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &Span{t: t, name: name, start: t.now(), memStart: m, memPeak: m}
	t.steps = append(t.steps, s)
	t.observe(m)
	t.open++
	if t.open == 1 && t.sampler == nil {
		t.sampler = &sampler{stop: make(chan struct{}), done: make(chan struct{})}
		go t.sample(t.sampler)
	}
	return s
}

// Stop ends the step. Stopping twice is a no-op.
func (s *Span) Stop() { s.StopErr(nil) }

// StopErr ends the step, recording err (if any) in the report.
func (s *Span) StopErr(err error) {
	m := s.t.heap()
	t := s.t
	t.mu.Lock()
	if s.done {
		t.mu.Unlock()
		return
	}
	t.observe(m)
	s.done = true
	s.dur = t.now().Sub(s.start)
	s.memEnd = m
	if err != nil {
		s.err = err.Error()
	}
	t.open--
	var smp *sampler
	if t.open == 0 && t.sampler != nil {
		smp, t.sampler = t.sampler, nil
	}
	t.mu.Unlock()
	if smp != nil {
		close(smp.stop)
		<-smp.done
	}
}

// Step runs fn as a step named name and returns its error.
func (t *Timer) Step(name string, fn func() error) error {
	s := t.Start(name)
	err := fn()
	s.StopErr(err)
	return err
}

// observe updates the peaks of the timer and of every open span; t.mu held.
func (t *Timer) observe(m uint64) {
	t.memPeak = max(t.memPeak, m)
	for _, s := range t.steps {
		if !s.done {
			s.memPeak = max(s.memPeak, m)
		}
	}
}

func (t *Timer) sample(smp *sampler) {
	defer close(smp.done)
	tick := time.NewTicker(SampleEvery)
	defer tick.Stop()
	for {
		select {
		case <-smp.stop:
			return
		case <-tick.C:
			m := t.heap()
			t.mu.Lock()
			t.observe(m)
			t.mu.Unlock()
		}
	}
}

// Stop ends the run: open steps are stopped and the total is fixed.
// Report calls it; later steps are still recorded but do not move the end.
func (t *Timer) Stop() Report {
	t.mu.Lock()
	var open []*Span
	for _, s := range t.steps {
		if !s.done {
			open = append(open, s)
		}
	}
	t.mu.Unlock()
	for _, s := range open {
		s.Stop()
	}
	m := t.heap()
	t.mu.Lock()
	if !t.stopped {
		t.stopped = true
		t.end = t.now()
		t.memEnd = m
		t.observe(m)
	}
	t.mu.Unlock()
	return t.Report()
}

// Report returns the steps so far (the total runs until now, or until
// Stop when the timer was stopped).
func (t *Timer) Report() Report {
	t.mu.Lock()
	defer t.mu.Unlock()
	end, memEnd := t.end, t.memEnd
	if !t.stopped {
		end, memEnd = t.now(), t.heap()
	}
	r := Report{
		Name:     t.name,
		Started:  t.start,
		Total:    end.Sub(t.start),
		MemStart: t.memStart,
		MemPeak:  max(t.memPeak, memEnd),
		MemEnd:   memEnd,
	}
	for _, s := range t.steps {
		st := Step{Name: s.name, Duration: s.dur, MemStart: s.memStart, MemPeak: s.memPeak, MemEnd: s.memEnd, Err: s.err, Running: !s.done}
		if !s.done {
			st.Duration = end.Sub(s.start)
			st.MemEnd = memEnd
		}
		if r.Total > 0 {
			st.Share = float64(st.Duration) / float64(r.Total)
		}
		r.Steps = append(r.Steps, st)
	}
	return r
}

// Report is a finished (or in-progress) timing breakdown.
type Report struct {
	Name     string
	Started  time.Time
	Total    time.Duration
	MemStart uint64 // heap bytes when the timer started
	MemPeak  uint64 // highest heap sampled
	MemEnd   uint64 // heap bytes at the end
	Steps    []Step
}

// Step is one step of a report.
type Step struct {
	Name     string
	Duration time.Duration
	Share    float64 // of the total, 0..1
	MemStart uint64
	MemPeak  uint64
	MemEnd   uint64
	Err      string
	Running  bool // not stopped when the report was taken
}

// MemDelta is the change of heap over the step (negative when it shrank).
func (s Step) MemDelta() int64 { return int64(s.MemEnd) - int64(s.MemStart) }

// MemDelta is the change of heap over the run.
func (r Report) MemDelta() int64 { return int64(r.MemEnd) - int64(r.MemStart) }

// BarWidth is the width of the bars in Render.
const BarWidth = 24

// Render writes the bar breakdown: one line per step and a TOTAL line.
func (r Report) Render(w io.Writer) error {
	_, err := io.WriteString(w, r.String())
	return err
}

func (r Report) String() string {
	width := len("TOTAL")
	for _, s := range r.Steps {
		width = max(width, len([]rune(s.Name)))
	}
	var b strings.Builder
	for _, s := range r.Steps {
		filled := int(s.Share*BarWidth + 0.5)
		filled = min(max(filled, 0), BarWidth)
		if filled == 0 && s.Duration > 0 {
			filled = 1
		}
		note := ""
		if s.Err != "" {
			note = "  FAILED: " + shorten(s.Err, 60)
		} else if s.Running {
			note = "  (running)"
		}
		fmt.Fprintf(&b, "%-*s  %s%s  %8s (%5.1f%%)  heap %s, peak %s%s\n",
			width, s.Name, strings.Repeat("█", filled), strings.Repeat("░", BarWidth-filled),
			FormatDuration(s.Duration), s.Share*100, FormatDelta(s.MemDelta()), FormatBytes(s.MemPeak), note)
	}
	fmt.Fprintf(&b, "%-*s  %s  %8s           heap %s -> %s, peak %s\n",
		width, "TOTAL", strings.Repeat(" ", BarWidth), FormatDuration(r.Total),
		FormatBytes(r.MemStart), FormatBytes(r.MemEnd), FormatBytes(r.MemPeak))
	return b.String()
}

// jsonReport is the JSON form: durations in seconds, memory in bytes.
type jsonReport struct {
	Name          string     `json:"name"`
	Started       time.Time  `json:"started"`
	TotalSeconds  float64    `json:"total_seconds"`
	MemStartBytes uint64     `json:"mem_start_bytes"`
	MemPeakBytes  uint64     `json:"mem_peak_bytes"`
	MemEndBytes   uint64     `json:"mem_end_bytes"`
	MemDeltaBytes int64      `json:"mem_delta_bytes"`
	Steps         []jsonStep `json:"steps"`
}

type jsonStep struct {
	Name          string  `json:"name"`
	Seconds       float64 `json:"seconds"`
	Share         float64 `json:"share"`
	MemStartBytes uint64  `json:"mem_start_bytes"`
	MemPeakBytes  uint64  `json:"mem_peak_bytes"`
	MemDeltaBytes int64   `json:"mem_delta_bytes"`
	Error         string  `json:"error,omitempty"`
	Running       bool    `json:"running,omitempty"`
}

// MarshalJSON renders the report for machines.
func (r Report) MarshalJSON() ([]byte, error) {
	j := jsonReport{
		Name: r.Name, Started: r.Started.UTC(), TotalSeconds: r.Total.Seconds(),
		MemStartBytes: r.MemStart, MemPeakBytes: r.MemPeak, MemEndBytes: r.MemEnd, MemDeltaBytes: r.MemDelta(),
		Steps: make([]jsonStep, 0, len(r.Steps)),
	}
	for _, s := range r.Steps {
		j.Steps = append(j.Steps, jsonStep{
			Name: s.Name, Seconds: s.Duration.Seconds(), Share: s.Share,
			MemStartBytes: s.MemStart, MemPeakBytes: s.MemPeak, MemDeltaBytes: s.MemDelta(),
			Error: s.Err, Running: s.Running,
		})
	}
	return json.Marshal(j)
}

// FormatDuration renders d compactly: 850µs, 12ms, 3.4s, 2m05s, 1h02m.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// FormatBytes renders n in B, KB, MB or GB (powers of 1024, one decimal).
func FormatBytes(n uint64) string {
	const k = 1024
	switch {
	case n < k:
		return fmt.Sprintf("%d B", n)
	case n < k*k:
		return fmt.Sprintf("%.1f KB", float64(n)/k)
	case n < k*k*k:
		return fmt.Sprintf("%.1f MB", float64(n)/(k*k))
	}
	return fmt.Sprintf("%.1f GB", float64(n)/(k*k*k))
}

// FormatDelta renders a signed byte change: +12.0 MB, -3.1 KB.
func FormatDelta(d int64) string {
	if d < 0 {
		return "-" + FormatBytes(uint64(-d))
	}
	return "+" + FormatBytes(uint64(d))
}

// shorten keeps the first line of s, at most n runes.
func shorten(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
