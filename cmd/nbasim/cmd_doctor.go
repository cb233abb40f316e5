package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/health"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/timing"
)

func newDoctorCmd(a *app) *cobra.Command {
	var (
		asJSON    bool
		failFast  bool
		noMigrate bool
		timeout   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Run health checks (exit 0 all ok, 1 a warning, 2 a failure)",
		Long: `Run the health checks: config valid; lake reachable and writable (a probe
object is written, read back and deleted under _health/; on S3 this proves
the credentials and the bucket); database reachable and migrated; free disk
space on the lake, database, work and cache filesystems; work and cache
directories writable.

Like every command, doctor opens the database as configured and applies
pending migrations on first use (so the embedded defaults create
./data/nbasim.db and ./data/lake); --no-migrate only inspects.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := a.Config()
			if !cmd.Flags().Changed("fail-fast") {
				failFast = cfg.Health.FailFast
			}
			if !cmd.Flags().Changed("timeout") {
				timeout = cfg.Health.Timeout
			}
			tm := timing.New("doctor")
			var st store.Store
			openStore := func(ctx context.Context) (store.Store, error) {
				if noMigrate {
					s, err := a.StoreNoMigrate(ctx)
					st = s
					return s, err
				}
				return a.Store(ctx)
			}
			defer func() {
				if st != nil {
					st.Close()
				}
			}()
			checks := []health.Check{
				health.Config(cfg, a.Origins()),
				health.Lake(func(ctx context.Context) (*lake.Lake, error) { return a.Lake(ctx) }, a.RunID()),
				health.Database(openStore, storeopen.Location(cfg.Database)),
				health.Disk(diskPaths(a), cfg.Health.DiskWarnMB, cfg.Health.DiskFailMB),
				health.Dirs(map[string]string{"work_dir": cfg.WorkDir, "cache_dir": cfg.CacheDir}),
			}
			rep := health.Runner{Timeout: timeout, FailFast: failFast, Timer: tm}.Run(cmd.Context(), checks)
			tr := tm.Stop()
			out := cmd.OutOrStdout()
			if asJSON {
				type check struct {
					Name       string  `json:"name"`
					Status     string  `json:"status"`
					Message    string  `json:"message"`
					DurationMS float64 `json:"duration_ms"`
				}
				checks := make([]check, 0, len(rep.Checks))
				for _, c := range rep.Checks {
					checks = append(checks, check{c.Name, string(c.Status), c.Message, float64(c.Duration.Microseconds()) / 1000})
				}
				if err := writeJSON(out, struct {
					Status string        `json:"status"`
					RunID  string        `json:"run_id"`
					Checks []check       `json:"checks"`
					Timing timing.Report `json:"timing"`
				}{string(rep.Status), a.RunID(), checks, tr}); err != nil {
					return err
				}
			} else {
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "CHECK\tSTATUS\tDURATION\tMESSAGE")
				for _, c := range rep.Checks {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, strings.ToUpper(string(c.Status)), timing.FormatDuration(c.Duration), c.Message)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(out)
				if err := tr.Render(out); err != nil {
					return err
				}
			}
			switch code := rep.ExitCode(); code {
			case 0:
				return nil
			case 1:
				return withExit(1, fmt.Errorf("doctor: warning: %s", strings.Join(append(rep.Named(health.Warn), rep.Named(health.Skip)...), ", ")))
			default:
				return withExit(code, fmt.Errorf("doctor: failed: %s", strings.Join(rep.Named(health.Fail), ", ")))
			}
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&failFast, "fail-fast", false, "stop at the first failed check (default health.fail_fast)")
	cmd.Flags().BoolVar(&noMigrate, "no-migrate", false, "inspect the database without applying pending migrations")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "time limit of each check (default health.timeout)")
	return cmd
}

// diskPaths are the local directories whose free space matters: the
// file:// lake, the SQLite file's directory, the work and cache dirs.
func diskPaths(a *app) []string {
	cfg := a.Config()
	var out []string
	if u := cfg.Lake.URL; strings.HasPrefix(u, "file://") {
		p, _, _ := strings.Cut(strings.TrimPrefix(u, "file://"), "?")
		out = append(out, filepath.FromSlash(p))
	}
	if !storeopen.IsPostgresURL(cfg.Database.URL) {
		out = append(out, filepath.Dir(storeopen.Location(cfg.Database)))
	}
	return append(out, cfg.WorkDir, cfg.CacheDir)
}
