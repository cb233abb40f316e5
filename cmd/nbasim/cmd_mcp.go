package main

import "github.com/spf13/cobra"

func newMCPCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "mcp",
		Short: "Serve the MCP server",
		RunE:  notYet,
	}
}
