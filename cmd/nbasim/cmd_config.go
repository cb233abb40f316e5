package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/config"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration and where each value came from",
	}
	var asJSON bool
	show := &cobra.Command{
		Use:   "show",
		Short: "Print every key, its value (secrets redacted) and its origin",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			entries := config.Entries(a.Config(), a.Origins())
			out := cmd.OutOrStdout()
			if asJSON {
				o := a.Origins()
				return writeJSON(out, struct {
					File     string         `json:"file,omitempty"`
					DotEnv   string         `json:"dotenv,omitempty"`
					Warnings []string       `json:"warnings,omitempty"`
					Keys     []config.Entry `json:"keys"`
				}{o.File, o.DotEnv, o.Warnings, entries})
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tVALUE\tORIGIN")
			for _, e := range entries {
				v := e.Value
				if v == "" {
					v = `""`
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Key, v, e.Origin)
			}
			return tw.Flush()
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	reference := &cobra.Command{
		Use:    "reference",
		Short:  "Print the configuration reference (Markdown table, as in README.md)",
		Args:   cobra.NoArgs,
		Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), config.ReferenceMarkdown())
			return err
		},
	}
	validate := &cobra.Command{
		Use:   "validate",
		Short: "Load the configuration and report whether it is valid",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Loading already validated (init fails with the error otherwise).
			fmt.Fprintln(cmd.OutOrStdout(), "config ok")
			return nil
		},
	}
	cmd.AddCommand(show, reference, validate)
	cmd.RunE = show.RunE
	return cmd
}
