package reconcile

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Step durations and heap come from internal/timing; this file only adds
// the process's peak resident memory, which the benchmarks report.

// peakTracker samples the process's memory while a run goes on: the peak
// resident set (VmHWM on Linux) or, elsewhere, the peak of runtime Sys.
type peakTracker struct {
	mu   sync.Mutex
	peak uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func startPeak() *peakTracker {
	p := &peakTracker{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			p.sample()
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakTracker) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	p.mu.Lock()
	if m.Sys > p.peak {
		p.peak = m.Sys
	}
	p.mu.Unlock()
}

func (p *peakTracker) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	p.sample()
	if hwm := vmHWM(); hwm > 0 {
		return hwm
	}
	return p.peak
}

// vmHWM returns the process's peak resident set size (Linux), or 0.
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return n * 1024
			}
		}
	}
	return 0
}
