//go:build unix

package nbastats

import (
	"syscall"
	"time"
)

// cpuTime is this process's user+system CPU time: under a loaded machine
// it measures the work, where wall time measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
