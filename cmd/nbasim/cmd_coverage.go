package main

import "github.com/spf13/cobra"

func newCoverageCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "coverage",
		Short: "Show completeness by source, dataset and season",
		RunE:  notYet,
	}
}
