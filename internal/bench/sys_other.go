//go:build !unix

package bench

import (
	"runtime"
	"time"
)

// cpuTime is unknown on this platform.
func cpuTime() time.Duration { return 0 }

// maxRSS falls back to the memory the Go runtime obtained from the system.
func maxRSS() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Sys
}
