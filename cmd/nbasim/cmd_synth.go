package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/synth"
)

func newSynthCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "synth",
		Short: "Generate synthetic data for tests and benchmarks",
	}
	cmd.AddCommand(newSynthLakeCmd(a))
	return cmd
}

func newSynthLakeCmd(a *app) *cobra.Command {
	var (
		opts         synth.Options
		newest       string
		schedule     bool
		scheduleOnly bool
		layoutName   string
	)
	cmd := &cobra.Command{
		Use:   "lake",
		Short: "Write a synthetic lake with the real key layouts (and its schedule into the store)",
		Long: `synth lake writes --objects N objects with the real key layouts, newest season
first: per-game datasets (NBA stats, live data, ESPN, basketball-reference), per-date
scoreboards, per-season game logs and schedule pages, and range box scores. With
--schedule (default) the matching games go into the store so that reconcile
expects their keys. --listing-only writes small plain files straight into a
file:// lake (what a listing sees, no metadata), the fast way to build a large
lake for benchmarks. Use the global --lake flag to choose the lake.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg := a.Config()
			if newest != "" {
				s, err := layout.ParseSeason(newest)
				if err != nil {
					return withExit(2, err)
				}
				opts.Newest = s
			}
			start := time.Now()
			plan := synth.Plan
			switch layoutName {
			case layout.LayoutNBASim:
			case layout.LayoutNBASimulator:
				plan = synth.PlanLegacy
			default:
				return withExit(2, fmt.Errorf("--layout %q: want %s or %s", layoutName, layout.LayoutNBASim, layout.LayoutNBASimulator))
			}
			objs, games, err := plan(opts)
			if err != nil {
				return withExit(2, err)
			}
			lakeURL := LakeURL(cfg.Lake)
			root, err := reconcile.FileLakeRoot(lakeURL, cfg.Lake.Prefix)
			if err != nil {
				return err
			}
			l, err := a.Lake(ctx)
			if err != nil {
				return err
			}
			var n int64
			if scheduleOnly {
				objs = nil
			} else if n, err = synth.WriteLake(ctx, l, root, objs, opts); err != nil {
				return err
			}
			wrote := time.Since(start)
			seasons := synth.SeasonsOf(games)
			out := cmd.OutOrStdout()
			if !scheduleOnly {
				fmt.Fprintf(out, "wrote %d objects (%d bytes) to %s in %s (%.0f objects/s)\n", len(objs), n, l.URL(), wrote.Round(time.Millisecond), float64(len(objs))/wrote.Seconds())
			}
			fmt.Fprintf(out, "seasons %s .. %s (%d); defects: %d zero-byte, %d truncated, %d unknown keys\n", seasons[len(seasons)-1], seasons[0], len(seasons), opts.ZeroBytes, opts.Truncated, opts.Unknown)
			if schedule || scheduleOnly {
				st, err := a.Store(ctx)
				if err != nil {
					return err
				}
				if err := synth.WriteSchedule(ctx, st, games); err != nil {
					return err
				}
				fmt.Fprintf(out, "stored the schedule: %d games; reconcile them with: nbasim reconcile (seasons: %s)\n", len(games), strings.Join(seasons, ","))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Objects, "objects", 1000, "number of objects to write")
	f.StringVar(&layoutName, "layout", layout.LayoutNBASim, "key layout: nbasim or nba_simulator (the Python system's bucket)")
	f.StringVar(&newest, "newest", "2024-25", "newest season; older seasons follow as needed")
	f.IntVar(&opts.Ranges, "ranges", 4, "range box scores per game (-1: none)")
	f.IntVar(&opts.MissingEvery, "missing-every", 0, "leave a gap every n games (0: none)")
	f.IntVar(&opts.ZeroBytes, "zero-bytes", 0, "objects written with zero bytes")
	f.IntVar(&opts.Truncated, "truncated", 0, "JSON objects cut in half")
	f.IntVar(&opts.Unknown, "unknown", 0, "keys in no layout")
	f.IntVar(&opts.Workers, "workers", 0, "parallel writers (default 4×CPUs, at least 16)")
	f.BoolVar(&opts.ListingOnly, "listing-only", false, "file:// lakes: write plain small files directly (fast, no metadata)")
	f.BoolVar(&schedule, "schedule", true, "store the synthetic schedule (games) in the database")
	f.BoolVar(&scheduleOnly, "schedule-only", false, "only store the schedule of a synthetic lake written before with the same flags")
	return cmd
}
