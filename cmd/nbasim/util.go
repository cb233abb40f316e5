package main

import (
	"encoding/json"
	"errors"
	"io"

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
