package main

import "github.com/spf13/cobra"

func newFetchCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "fetch",
		Short: "Fetch raw responses into the lake",
		RunE:  notYet,
	}
}
