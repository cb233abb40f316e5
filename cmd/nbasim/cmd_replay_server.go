package main

import "github.com/spf13/cobra"

func newReplayServerCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "replay-server",
		Short: "Serve recorded responses at their real URLs",
		RunE:  notYet,
	}
}
