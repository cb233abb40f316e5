//go:build !unix

package nbastats

import "time"

func cpuTime() time.Duration { return 0 }
