package timing

import (
	"os"
	"strings"
)

// LoadAvg returns the machine's 1, 5 and 15 minute load averages, as
// /proc/loadavg has them ("" where it is unknown): the figure to print
// beside a timing taken on a shared machine.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
