package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/reconcile"
)

func newCoverageCmd(a *app) *cobra.Command {
	var (
		runs   int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Show the latest reconciliation's coverage and the trend across runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.Store(ctx)
			if err != nil {
				return err
			}
			trend, err := reconcile.RecentRuns(ctx, st, runs)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(trend) == 0 {
				if asJSON {
					fmt.Fprintln(out, `{"runs":[],"latest":[]}`)
					return nil
				}
				fmt.Fprintln(out, "No reconciliation yet: run `nbasim reconcile`.")
				return nil
			}
			cells, err := reconcile.RunCells(ctx, st, trend[0].RunID)
			if err != nil {
				return err
			}
			if asJSON {
				b, err := json.MarshalIndent(map[string]any{"runs": trend, "latest": cells}, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(out, string(b))
				return nil
			}
			fmt.Fprintf(out, "Latest run %s (%s, %s)\n", trend[0].RunID, trend[0].FinishedAt, trend[0].Status)
			reconcile.PrintCoverage(out, cells)
			fmt.Fprintf(out, "\nTrend (newest first)\n")
			reconcile.PrintTrend(out, trend)
			return nil
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 10, "runs to show in the trend")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
