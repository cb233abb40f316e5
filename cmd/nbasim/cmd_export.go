package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/export"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/pbp"
)

func newExportCmd(a *app) *cobra.Command {
	var (
		format, out, overrides string
		seasons                []string
		full, asJSON           bool
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write games, plays, boxes, stints and possessions as Parquet or CSV, by season",
		Long: `export writes the store's games, plays, player and team boxes (the derived
box and every official box, each with its source), stints and possessions to
--out, a folder or a bucket (s3://bucket?region=..., file:///dir), one file per
table and season in the Hive layout DuckDB, Spark, Trino and Athena read:

  {out}/{table}/season={season}/part-00000.parquet

Schemas: docs/export.md. The export is incremental: a manifest
(_nbasim_export.json) keeps a fingerprint of each season (its raw objects'
sha256 and parser versions, its games, the overrides, the schema version), and
only seasons whose fingerprint changed are written again (--full rewrites
all).`,
		Example: `  nbasim export --out ./export
  nbasim export --format csv --season 2018-19 --out ./csv
  nbasim export --out 's3://analytics?region=us-east-1&endpoint=http://127.0.0.1:7070'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if out == "" {
				return fmt.Errorf("export: --out DIR or a bucket URL is required")
			}
			u := out
			if !strings.Contains(out, "://") {
				abs, err := filepath.Abs(out)
				if err != nil {
					return err
				}
				if err := os.MkdirAll(abs, 0o755); err != nil {
					return fmt.Errorf("export: %w", err)
				}
				u = "file://" + abs
			}
			dst, err := lake.Open(ctx, u, "")
			if err != nil {
				return fmt.Errorf("export: --out: %w", err)
			}
			defer dst.Close()
			ov, err := pbp.LoadOverrides(overrides)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			st, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			last := time.Now()
			rep, err := export.Run(ctx, st, dst, export.Options{Format: format, Seasons: seasons, Incremental: !full, Overrides: ov, Log: a.Logger(),
				Progress: func(s string, done, total int) {
					if done == total || time.Since(last) > 5*time.Second {
						last = time.Now()
						a.Logger().Info("export", "season", s, "games", done, "of", total)
					}
				}})
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			fmt.Fprintf(w, "export to %s (%s) in %s\n", rep.Out, rep.Format, rep.Elapsed.Round(time.Millisecond))
			for _, s := range rep.Seasons {
				state := "written"
				if s.Skipped {
					state = "unchanged"
				}
				fmt.Fprintf(w, "  %s %-9s games %6d plays %8d player_box %7d team_box %6d stints %7d possessions %7d points %8d",
					s.Season, state, s.Rows["games"], s.Rows["plays"], s.Rows["player_box"], s.Rows["team_box"], s.Rows["stints"], s.Rows["possessions"], s.Points)
				if len(s.Failed) > 0 {
					fmt.Fprintf(w, "  (%d games without a derived box: %s)", len(s.Failed), strings.Join(s.Failed, "; "))
				}
				fmt.Fprintln(w)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "parquet", "parquet or csv")
	f.StringVar(&out, "out", "", "output folder or bucket URL (s3://..., file://...)")
	f.StringSliceVar(&seasons, "season", nil, "only these seasons (repeat or comma-separate); default every season in the store")
	f.BoolVar(&full, "full", false, "rewrite every selected season, even unchanged ones")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	f.StringVar(&overrides, "overrides", "", "user overrides file (YAML), on top of the embedded one")
	return cmd
}
