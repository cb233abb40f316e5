package main

import "github.com/spf13/cobra"

func newBenchCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "bench",
		Short: "Run benchmarks",
		RunE:  notYet,
	}
}
