package main

import "github.com/spf13/cobra"

func newBoxCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "box",
		Short: "Box score of a game at any moment",
		RunE:  notYet,
	}
}
