package main

import "github.com/spf13/cobra"

func newDBCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "db",
		Short: "Database migrations and status",
		RunE:  notYet,
	}
}
