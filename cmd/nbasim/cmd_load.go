package main

import "github.com/spf13/cobra"

func newLoadCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "load",
		Short: "Parse raw lake objects into the database",
		RunE:  notYet,
	}
}
