package main

import "github.com/spf13/cobra"

func newReconcileCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "reconcile",
		Short: "Find gaps between the lake and what it should hold",
		RunE:  notYet,
	}
}
