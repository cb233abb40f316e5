package main

import (
	"encoding/json"
	"errors"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// closeOnError wraps every command's RunE below c so that the lake, the
// store and the log file are closed when the command fails too: cobra runs
// PersistentPostRunE only after a successful RunE.
func closeOnError(c *cobra.Command, a *app) {
	for _, sub := range c.Commands() {
		if run := sub.RunE; run != nil {
			sub.RunE = func(cmd *cobra.Command, args []string) error {
				err := run(cmd, args)
				if err != nil {
					if cerr := a.close(); cerr != nil {
						err = errors.Join(err, cerr)
					}
				}
				return err
			}
		}
		closeOnError(sub, a)
	}
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// shortLiveHeap is the heap a short-lived command may reach before the
// garbage collector runs at all (shortLived).
const shortLiveHeap = 256 << 20

// shortLived turns the garbage collector off for a command that holds one
// small piece of work and exits (a cold `nbasim box`: one game, a few MB),
// up to a soft memory limit of shortLiveHeap, after which the GC runs as
// usual. It returns the function that restores the previous settings (tests
// run commands in their own process).
func shortLived() (restore func()) {
	pct := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(shortLiveHeap)
	return func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(pct)
	}
}
