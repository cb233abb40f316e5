package main

import "github.com/spf13/cobra"

func newSynthCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "synth",
		Short: "Generate synthetic data for benchmarks",
		RunE:  notYet,
	}
}
