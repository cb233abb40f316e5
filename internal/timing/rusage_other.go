//go:build !unix

package timing

import (
	"runtime"
	"time"
)

// CPUTime is unknown on this platform: it returns 0.
func CPUTime() time.Duration { return 0 }

// PeakRSS falls back to the memory the Go runtime obtained from the system.
func PeakRSS() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Sys
}
