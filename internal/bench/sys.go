package bench

import (
	"github.com/nbasim/nbasim/internal/timing"

	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Host describes the machine a run measured.
type Host struct {
	GoVersion  string
	OS, Arch   string
	CPUs       int
	GOMAXPROCS int
	CPUModel   string
	MemTotal   uint64 // bytes, when known
	LoadStart  string // /proc/loadavg at the start (1, 5, 15 min), when known
	LoadEnd    string
}

func hostInfo() Host {
	h := Host{GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), LoadStart: timing.LoadAvg()}
	procLines("/proc/cpuinfo", func(k, v string) bool {
		if k == "model name" {
			h.CPUModel = v
			return false
		}
		return true
	})
	procLines("/proc/meminfo", func(k, v string) bool {
		if k == "MemTotal" {
			h.MemTotal = parseKB(v)
			return false
		}
		return true
	})
	return h
}

// procLines calls fn with each "key: value" line of a /proc file until fn
// returns false.
func procLines(path string, fn func(k, v string) bool) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && !fn(strings.TrimSpace(k), strings.TrimSpace(v)) {
			return
		}
	}
}

func parseKB(v string) uint64 {
	n, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64)
	if err != nil {
		return 0
	}
	return n << 10
}

// resetPeakRSS resets the kernel's peak resident set of this process
// (Linux: writing 5 to /proc/self/clear_refs resets VmHWM), so that the
// peak of each measured step is its own. Elsewhere it does nothing and the
// peak is the process's since it started.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns the peak resident set: VmHWM on Linux, else the
// getrusage maximum.
func peakRSS() uint64 {
	var hwm uint64
	procLines("/proc/self/status", func(k, v string) bool {
		if k == "VmHWM" {
			hwm = parseKB(v)
			return false
		}
		return true
	})
	if hwm > 0 {
		return hwm
	}
	return timing.PeakRSS()
}
