package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func notYet(cmd *cobra.Command, _ []string) error {
	return errors.New(cmd.CommandPath() + ": not implemented yet")
}
