package main

import "github.com/spf13/cobra"

func newVerifyCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Compare derived box scores with the official ones",
		RunE:  notYet,
	}
}
