package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/sim"
)

func newWinProbCmd(a *app) *cobra.Command {
	var (
		n              int
		seed           uint64
		asJSON         bool
		svgOut, pngOut string
	)
	cmd := &cobra.Command{
		Use:   "winprob GAME_ID",
		Short: "Win probability after every event of a game, with a plot",
		Long: `Simulate the rest of a game from the real state after every event that changes
it (score, ball, period, team fouls, each 10 s of clock), with the model as of
the game's date (docs/sim.md). --svg and --png write the chart with a mark at
every period.`,
		Example: `  nbasim winprob 0021800500 --svg wp.svg --png wp.png
  nbasim winprob 0021800500 --json --n 1000`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("winprob: %w", err)
			}
			wp, err := sim.RunWinProb(ctx, s, args[0], n, seed, nil)
			if err != nil {
				return err
			}
			if svgOut != "" || pngOut != "" {
				svg, png, err := sim.WinProbChart(wp)
				if err != nil {
					return fmt.Errorf("winprob: chart: %w", err)
				}
				if svgOut != "" {
					if err := os.WriteFile(svgOut, svg, 0o644); err != nil {
						return fmt.Errorf("winprob: %w", err)
					}
				}
				if pngOut != "" {
					if err := os.WriteFile(pngOut, png, 0o644); err != nil {
						return fmt.Errorf("winprob: %w", err)
					}
				}
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), wp)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s %s at %s on %s: pregame %s %.1f%%; final %d-%d\n", wp.GameID, wp.Away.Code, wp.Home.Code, wp.Date, wp.Home.Code, 100*wp.Pregame, wp.Final[0], wp.Final[1])
			lastP := -1
			for _, p := range wp.Points {
				if p.Period != lastP { // one line per period start and every ~2 minutes
					lastP = p.Period
					fmt.Fprintf(w, "%s\n", strings.Repeat("-", 40))
				}
				fmt.Fprintf(w, "Q%d %7s  %3d-%-3d  %s %5.1f%%\n", p.Period, p.Clock, p.Home, p.Away, wp.Home.Code, 100*p.HomeWin)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&n, "n", 2000, "simulations per point")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&svgOut, "svg", "", "write the chart as SVG")
	cmd.Flags().StringVar(&pngOut, "png", "", "write the chart as PNG")
	return cmd
}
