package main

import (
	"runtime/debug"
	"testing"
)

// gcPolicy sets the collector's percent and soft limit and restores them;
// GOGC or GOMEMLIMIT in the environment win (nothing is set).
func TestGCPolicy(t *testing.T) {
	for _, c := range []struct {
		name, env, val string
		applies        bool
	}{
		{"no environment", "", "", true},
		{"GOGC set", "GOGC", "100", false},
		{"GOMEMLIMIT set", "GOMEMLIMIT", "1GiB", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOGC", "")
			t.Setenv("GOMEMLIMIT", "")
			if c.env != "" {
				t.Setenv(c.env, c.val)
			}
			pct0, lim0 := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
			debug.SetGCPercent(pct0)
			restore := gcPolicy(mcpGCPercent, mcpMemoryLimit)
			pct, lim := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
			debug.SetGCPercent(pct)
			restore()
			if applied := pct == mcpGCPercent && lim == mcpMemoryLimit; applied != c.applies {
				t.Errorf("GOGC %d, limit %d: applied %v, want %v", pct, lim, applied, c.applies)
			}
			if p, l := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1); p != pct0 || l != lim0 {
				t.Errorf("not restored: %d %d, was %d %d", p, l, pct0, lim0)
			}
			debug.SetGCPercent(pct0)
		})
	}
}
