package main

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/spf13/cobra"
)

func notYet(cmd *cobra.Command, _ []string) error {
	return errors.New(cmd.CommandPath() + ": not implemented yet")
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
