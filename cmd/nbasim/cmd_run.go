package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/fleet"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/metrics"
	"github.com/nbasim/nbasim/internal/parse/registry"
	"github.com/nbasim/nbasim/internal/runloop"
)

func newRunCmd(a *app) *cobra.Command {
	var (
		untilComplete, retryPermanent, jsonOut bool
		season, httpAddr                       string
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Keep the lake and the database complete: reconcile, fetch, load and verify, forever",
		Long: `run is the self-healing loop. It reconciles on start, every
run.reconcile_every (a River periodic job), after a schedule was loaded and
when the queue drains after a reconciliation that queued work, and works
River's job table:
fetch jobs (one queue per source, as many workers as the source's
concurrency, paced to its rate), load jobs and derive+verify jobs. A fetched
object is loaded and its game verified without waiting for the next
reconciliation. Any number of processes can share one PostgreSQL database;
on SQLite run one process.

Failures are finite: a job retries with backoff up to run.max_attempts;
permanent failures (404, objects that fail to parse again, keys whose job
used every attempt) are recorded in fetch_log and not planned again until
run.permanent_ttl (run.exhausted_ttl) or --retry-permanent.

SIGTERM or SIGINT: no new jobs; the jobs in flight get run.shutdown_timeout
to finish, then are handed back to the queue; exit 0. A killed process
(kill -9) loses nothing: its running jobs are run again by another process
(or the next start) after run.rescue_after.

--until-complete exits 0 when nothing is left to do: no job waiting or
running and a reconciliation plans nothing new (permanent failures are
listed). Watch it with nbasim queue. Guide: docs/run.md.`,
		Example: `  nbasim run
  nbasim run --until-complete --season 2018-19
  nbasim run --until-complete --retry-permanent --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if season != "" {
				if _, err := layout.ParseSeason(season); err != nil {
					return withExit(2, fmt.Errorf("run: --season: %w", err))
				}
			}
			if err := registry.Check(); err != nil {
				return err
			}
			lk, err := a.Lake(ctx)
			if err != nil {
				return fmt.Errorf("run: %w", err)
			}
			st, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("run: %w", err)
			}
			rec, cleanup, err := newReconcileRunner(ctx, a, io.Discard)
			if err != nil {
				return fmt.Errorf("run: %w", err)
			}
			defer cleanup()
			rec.Preflight = nil
			cfg := a.Config()
			client := collect.NewClient(collect.Registry(cfg.Sources), cfg.Sources)
			m := metrics.New(version, a.RunID())
			m.InstrumentClient(client)
			if p, ok := st.(interface{ Pool() *pgxpool.Pool }); ok {
				// several processes share PostgreSQL: pace every host for
				// the whole fleet (a 429 or an open breaker slows them all)
				f, err := fleet.Open(ctx, p.Pool())
				if err != nil {
					return fmt.Errorf("run: %w", err)
				}
				client.SetFleet(f)
			}
			loop, err := runloop.New(ctx, runloop.Options{
				Config: cfg, Lake: lk, Store: st, Log: a.Logger(), RunID: a.RunID(),
				Reconciler: *rec, Season: season, RetryPermanent: retryPermanent, Client: client, Observer: m,
			})
			if err != nil {
				return fmt.Errorf("run: %w", err)
			}
			defer loop.Close()
			if addr := firstSet(httpAddr, cfg.Run.HTTPAddr); addr != "" {
				stop, err := serveRunHTTP(ctx, a, addr, metrics.Handler(m, func(ctx context.Context) error {
					_, err := loop.Queue().Counts(ctx)
					return err
				}))
				if err != nil {
					return fmt.Errorf("run: %w", err)
				}
				defer stop()
			}
			gctx, stopGauges := context.WithCancel(ctx)
			defer stopGauges()
			go func() { // the job gauges, from the whole queue (every process)
				t := time.NewTicker(5 * time.Second)
				defer t.Stop()
				for {
					if c, err := loop.Queue().Counts(gctx); err == nil {
						m.SetJobCounts(c)
					}
					// coverage from the last reconciliation, whichever
					// process ran it (one leader reconciles)
					_ = m.RefreshCoverage(gctx, st)
					select {
					case <-gctx.Done():
						return
					case <-t.C:
					}
				}
			}()
			sum, err := loop.Run(ctx, runloop.RunOptions{UntilComplete: untilComplete})
			if err != nil {
				return fmt.Errorf("run: %w", err)
			}
			if jsonOut {
				return writeJSON(cmd.OutOrStdout(), sum)
			}
			printRunSummary(cmd.OutOrStdout(), sum)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&untilComplete, "until-complete", false, "exit 0 once nothing is left to do (only permanent failures remain, listed)")
	f.StringVar(&season, "season", "", "work on this season only (default: the configured seasons)")
	f.BoolVar(&retryPermanent, "retry-permanent", false, "plan again the keys that failed permanently before this start (404, poison, exhausted)")
	f.BoolVar(&jsonOut, "json", false, "print the final summary as JSON")
	f.StringVar(&httpAddr, "http", "", "serve /metrics, /healthz, /readyz and the web dashboard (/, /api/v1) on HOST:PORT (default run.http_addr; the dashboard off loopback needs NBASIM_WEB_TOKEN)")
	return cmd
}

func printRunSummary(w io.Writer, s *runloop.Summary) {
	fmt.Fprintf(w, "run %s: %s after %.1f s, %d reconciliations\n", s.RunID, s.Stopped, s.ElapsedSeconds, s.Reconciliations)
	if r := s.Last; r != nil {
		fmt.Fprintf(w, "last reconciliation: %d of %d expected objects present; %d keys failed permanently (not planned); %d tasks name no key\n",
			r.Present, r.Expected, r.Unavailable, r.Unplannable)
		fmt.Fprintf(w, "coverage of what the providers serve (present / (expected - permanent failures)):\n")
		for _, c := range r.Coverage {
			if c.Expected == 0 {
				continue
			}
			fmt.Fprintf(w, "  %-10s %-24s %-8s %6d present %6d expected %6d unavailable  %6.2f%%\n",
				c.Source, c.Dataset, c.Season, c.Present, c.Expected, c.Unavailable, 100*c.Share)
		}
	}
	var jobs []string
	for _, c := range s.Jobs {
		jobs = append(jobs, fmt.Sprintf("%s/%s/%s %d", c.Kind, c.Queue, c.State, c.Jobs))
	}
	if len(jobs) > 0 {
		fmt.Fprintf(w, "jobs: %s\n", strings.Join(jobs, ", "))
	}
	if len(s.Failures) > 0 {
		fmt.Fprintf(w, "%d keys failed permanently (not planned again until their age limit or --retry-permanent):\n", len(s.Failures))
		var cls []string
		for c, n := range s.FailuresByClass {
			cls = append(cls, fmt.Sprintf("%s %d", c, n))
		}
		fmt.Fprintf(w, "  by class: %s\n", strings.Join(cls, ", "))
		for _, f := range s.Failures {
			fmt.Fprintf(w, "  %s  %s  %s\n", f.Key, f.Class, f.Reason)
		}
	}
}
