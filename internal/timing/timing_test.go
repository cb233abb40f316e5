package timing

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake is a controllable clock and heap.
type fake struct {
	mu   sync.Mutex
	t    time.Time
	heap uint64
}

func (f *fake) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fake) bytes() uint64  { f.mu.Lock(); defer f.mu.Unlock(); return f.heap }
func (f *fake) advance(d time.Duration, heap uint64) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.heap = heap
	f.mu.Unlock()
}

func TestReport(t *testing.T) {
	t.Parallel()
	f := &fake{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), heap: 10 << 20}
	tm := newTimer("reconcile", f.now, f.bytes)

	scan := tm.Start("scan")
	f.advance(42500*time.Millisecond, 30<<20)
	scan.Stop()

	err := tm.Step("plan", func() error {
		f.advance(10*time.Second, 40<<20)
		return errors.New("boom")
	})
	if err == nil || err.Error() != "boom" {
		t.Fatalf("Step returned %v", err)
	}
	f.advance(24500*time.Millisecond, 20<<20) // time outside any step
	r := tm.Stop()

	if r.Total != 77*time.Second {
		t.Fatalf("total %v", r.Total)
	}
	if len(r.Steps) != 2 {
		t.Fatalf("%d steps", len(r.Steps))
	}
	s := r.Steps[0]
	if s.Name != "scan" || s.Duration != 42500*time.Millisecond {
		t.Errorf("scan = %+v", s)
	}
	if got := s.Share * 100; got < 55.19 || got > 55.2 {
		t.Errorf("scan share %.3f%%, want 55.19%%", got)
	}
	if s.MemStart != 10<<20 || s.MemEnd != 30<<20 || s.MemDelta() != 20<<20 {
		t.Errorf("scan memory %+v", s)
	}
	if r.Steps[1].Err != "boom" || r.Steps[1].MemDelta() != 10<<20 {
		t.Errorf("plan = %+v", r.Steps[1])
	}
	if r.MemStart != 10<<20 || r.MemEnd != 20<<20 || r.MemDelta() != 10<<20 {
		t.Errorf("run memory start %d end %d", r.MemStart, r.MemEnd)
	}

	out := r.String()
	for _, want := range []string{
		"scan   █████████████░░░░░░░░░░░     42.5s ( 55.2%)  heap +20.0 MB, peak 30.0 MB",
		"plan   ███░░░░░░░░░░░░░░░░░░░░░     10.0s ( 13.0%)",
		"FAILED: boom",
		"TOTAL",
		"1m17s",
		"heap 10.0 MB -> 20.0 MB",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 3 {
		t.Errorf("%d lines, want 3:\n%s", n, out)
	}

	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Name         string  `json:"name"`
		TotalSeconds float64 `json:"total_seconds"`
		Steps        []struct {
			Name          string  `json:"name"`
			Seconds       float64 `json:"seconds"`
			Share         float64 `json:"share"`
			MemDeltaBytes int64   `json:"mem_delta_bytes"`
			Error         string  `json:"error"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	if j.Name != "reconcile" || j.TotalSeconds != 77 || len(j.Steps) != 2 || j.Steps[0].Seconds != 42.5 || j.Steps[1].Error != "boom" || j.Steps[0].MemDeltaBytes != 20<<20 {
		t.Errorf("json = %s", b)
	}
}

func TestPeakSampledDuringStep(t *testing.T) {
	t.Parallel()
	f := &fake{t: time.Unix(0, 0), heap: 1 << 20}
	tm := newTimer("x", f.now, f.bytes)
	s := tm.Start("alloc")
	f.advance(0, 500<<20)
	// Wait until the sampler has seen the peak (no timing assertion: poll).
	for i := 0; ; i++ {
		if r := tm.Report(); r.Steps[0].MemPeak == 500<<20 {
			break
		}
		if i > 2000 {
			t.Fatal("sampler never observed the peak")
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.advance(time.Second, 2<<20)
	s.Stop()
	r := tm.Stop()
	if r.Steps[0].MemPeak != 500<<20 || r.MemPeak != 500<<20 || r.Steps[0].MemEnd != 2<<20 {
		t.Errorf("peak %d / run peak %d / end %d", r.Steps[0].MemPeak, r.MemPeak, r.Steps[0].MemEnd)
	}
}

func TestRunningAndConcurrent(t *testing.T) {
	t.Parallel()
	tm := New("concurrent")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Go(func() {
			_ = tm.Step("work", func() error {
				b := make([]byte, 1<<20)
				_ = b
				return nil
			})
		})
	}
	wg.Wait()
	open := tm.Start("left open")
	r := tm.Report()
	if !r.Steps[len(r.Steps)-1].Running || !strings.Contains(r.String(), "(running)") {
		t.Errorf("open step not marked running:\n%s", r)
	}
	r = tm.Stop()
	open.Stop() // no-op after Stop
	if len(r.Steps) != 9 || r.Steps[8].Running {
		t.Errorf("steps %d, last running %v", len(r.Steps), r.Steps[8].Running)
	}
	if HeapBytes() == 0 {
		t.Error("HeapBytes = 0")
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{{850 * time.Microsecond, "850µs"}, {12 * time.Millisecond, "12ms"}, {3400 * time.Millisecond, "3.4s"}, {125 * time.Second, "2m05s"}, {62 * time.Minute, "1h02m"}} {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	for _, tt := range []struct {
		n    uint64
		want string
	}{{12, "12 B"}, {2048, "2.0 KB"}, {5 << 20, "5.0 MB"}, {3 << 30, "3.0 GB"}} {
		if got := FormatBytes(tt.n); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if FormatDelta(-2048) != "-2.0 KB" || FormatDelta(0) != "+0 B" {
		t.Error("FormatDelta")
	}
}
