package collect

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time (both the client and the
// in-process replay server).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
