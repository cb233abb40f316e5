package main

import "github.com/spf13/cobra"

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		RunE:  notYet,
	}
}
