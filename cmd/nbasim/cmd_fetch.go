package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/source"
)

type fetchFlags struct {
	sources  string
	datasets string
	season   string
	limit    int
	force    bool
	noStore  bool
	retry404 bool
}

func (f *fetchFlags) options() collect.Options {
	return collect.Options{Force: f.force, RetryPermanent: f.retry404}
}

func newFetchCmd(a *app) *cobra.Command {
	f := &fetchFlags{}
	cmd := &cobra.Command{
		Use:   "fetch",
		Short: "Fetch raw responses into the lake",
		Long: `Fetch provider responses into the lake, paced per host, validated before
anything is written. What the lake already holds is not fetched again, so an
interrupted run started again fetches only what is missing.

Sources: nba_stats (stats.nba.com), nba_live (cdn.nba.com), espn, bbref.
Base URLs, rates and attempts come from the configuration (sources.<name>).`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.sources, "source", "", "comma-separated sources (default: every enabled source)")
	pf.StringVar(&f.datasets, "dataset", "", "comma-separated datasets (default: each source's per-game datasets)")
	pf.BoolVar(&f.force, "force", false, "fetch even what the lake holds (identical bytes still write nothing)")
	pf.BoolVar(&f.noStore, "no-store", false, "do not use the database (games, ids, failure log)")
	pf.BoolVar(&f.retry404, "retry-permanent", false, "ask again for objects that failed permanently (404, ...) in the last 24 hours")

	sched := &cobra.Command{
		Use:   "schedule --season 2023-24",
		Short: "Fetch a season's schedule objects",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			se, err := layout.ParseSeason(f.season)
			if err != nil {
				return err
			}
			// Schedules change while a season runs: always asked again
			// (identical bytes write nothing).
			return runFetch(cmd.Context(), a, f, true, func(c *collect.Collector, src source.Source) ([]*source.Request, error) {
				return src.ScheduleRequests(se)
			})
		},
	}
	sched.Flags().StringVar(&f.season, "season", "", "season, e.g. 2023-24 (required)")
	_ = sched.MarkFlagRequired("season")

	game := &cobra.Command{
		Use:   "game GAME_ID...",
		Short: "Fetch one or more games (NBA GAME_ID, ESPN event id or bbref id)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFetch(cmd.Context(), a, f, false, func(c *collect.Collector, src source.Source) ([]*source.Request, error) {
				var out []*source.Request
				for _, id := range args {
					g, err := c.GameIDs(cmd.Context(), id)
					if err != nil {
						return nil, err
					}
					if f.season != "" {
						g.Season = f.season
					}
					if src.GameItem(g) == "" {
						if len(splitList(f.sources)) > 0 {
							a.Logger().Warn("game has no id for this source (load the schedules to match ids across providers)", "game", id, "source", src.Name())
						}
						continue
					}
					if g.Season == "" {
						return nil, fmt.Errorf("game %s: %w", id, collect.ErrNoSeason)
					}
					ds, ok := datasetsFor(src, f.datasets)
					if !ok {
						continue
					}
					reqs, err := collect.GameRequests(src, g.Season, []model.GameRow{g}, ds)
					if err != nil {
						return nil, err
					}
					out = append(out, reqs...)
				}
				return out, nil
			})
		},
	}
	game.Flags().StringVar(&f.season, "season", "", "season of the game when it cannot be told from the id (ESPN ids)")

	season := &cobra.Command{
		Use:   "season 2023-24 --source nba_stats [--limit N]",
		Short: "Fetch every game of a season (games from the database, else the schedule in the lake, else the schedule fetched first)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			se, err := layout.ParseSeason(args[0])
			if err != nil {
				return err
			}
			return runFetch(cmd.Context(), a, f, false, func(c *collect.Collector, src source.Source) ([]*source.Request, error) {
				ds, ok := datasetsFor(src, f.datasets)
				if !ok {
					return nil, nil
				}
				reqs, _, err := c.SeasonRequests(cmd.Context(), src, se, ds, f.limit)
				return reqs, err
			})
		},
	}
	season.Flags().IntVar(&f.limit, "limit", 0, "fetch only the first N games (in date order)")

	key := &cobra.Command{
		Use:   "key LAKE_KEY...",
		Short: "Fetch objects by their lake key (any dataset of any source, e.g. a catalog endpoint's: nba_stats/shotchartdetail/2016-17/0021600270.json)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, k := range args {
				if _, _, err := layout.Parse(k); err != nil {
					return err
				}
			}
			return runFetch(cmd.Context(), a, f, false, func(_ *collect.Collector, src source.Source) ([]*source.Request, error) {
				var out []*source.Request
				for _, k := range args {
					lk, _, _ := layout.Parse(k)
					if lk.Source != src.Name() {
						continue
					}
					r, err := src.Request(lk.Dataset, lk.Season, lk.Item)
					if err != nil {
						return nil, err
					}
					out = append(out, r)
				}
				return out, nil
			})
		},
	}

	cmd.AddCommand(sched, game, season, key)
	return cmd
}

// datasetsFor returns the datasets of list that src has (nil: its
// defaults); ok is false when a list was given and src has none of them.
func datasetsFor(src source.Source, list string) ([]string, bool) {
	want := splitList(list)
	if len(want) == 0 {
		return nil, true
	}
	var out []string
	for _, d := range want {
		for _, have := range src.Datasets() {
			if d == have {
				out = append(out, d)
			}
		}
	}
	return out, len(out) > 0
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// runFetch builds the collector, plans the requests of each selected
// source, then fetches them all in one batch (hosts in parallel, each at
// its own pace) and prints the summary. Transient failures (retriable,
// throttled) make the command fail so that schedulers notice and run it
// again; permanent ones (404: nothing there) are reported only.
func runFetch(ctx context.Context, a *app, f *fetchFlags, force bool, plan func(*collect.Collector, source.Source) ([]*source.Request, error)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	cfg := a.Config()
	lk, err := a.Lake(ctx)
	if err != nil {
		return err
	}
	reg := collect.Registry(cfg.Sources)
	c := &collect.Collector{
		Lake:     lk,
		Client:   collect.NewClient(reg, cfg.Sources),
		Registry: reg,
		Log:      a.Logger(),
		Progress: collect.TerminalProgress(os.Stderr, a.Logger()),
	}
	if !f.noStore {
		if st, err := a.Store(ctx); err == nil {
			c.Store = st
		} else {
			a.Logger().Warn("database unavailable: games come from the lake, failures are not logged", "err", err)
		}
	}
	names := splitList(f.sources)
	if len(names) == 0 {
		for _, n := range reg.Names() {
			if sc, ok := cfg.Sources[n]; ok && sc.Enabled != nil && !*sc.Enabled {
				continue
			}
			names = append(names, n)
		}
	}
	var errs []error
	var reqs []*source.Request
	for _, n := range names {
		src, err := reg.Get(n)
		if err != nil {
			return err
		}
		rs, err := plan(c, src)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, fmt.Errorf("%s: %w", n, err))
			continue
		}
		reqs = append(reqs, rs...)
	}
	opts := f.options()
	opts.Force = opts.Force || force
	total, err := c.Fetch(ctx, "fetch", reqs, opts)
	if err != nil {
		return err
	}
	for _, fl := range total.Failures {
		fmt.Fprintf(os.Stderr, "failed %s (%s): %v\n", fl.Key, fl.Class, fl.Err)
	}
	fmt.Println(total.String())
	if n := total.Failed[source.Retriable.String()] + total.Failed[source.Throttled.String()] + total.Failed["error"]; n > 0 {
		errs = append(errs, fmt.Errorf("%d items failed transiently; run the same command again to fetch them", n))
	}
	return errors.Join(errs...)
}
