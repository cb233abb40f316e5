package main

import "github.com/spf13/cobra"

func newImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import",
		Short: "Adopt recorded or legacy files into the lake",
		RunE:  notYet,
	}
}
