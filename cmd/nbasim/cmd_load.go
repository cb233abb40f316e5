package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/parse/registry"
	"github.com/nbasim/nbasim/internal/store"
)

func newLoadCmd(a *app) *cobra.Command {
	var opt load.Options
	var format string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Parse raw lake objects into the database",
		Long: `load parses every raw object of the lake that is not loaded yet (or only
those of --game or --season) and writes seasons, teams, players, games, plays
and official box scores with idempotent upserts: loading twice changes nothing.

Each object is catalogued in raw_objects with its sha256, parse status and
parser version. An object that fails to parse, and every row-level problem of
one that parses, goes to the quarantine table with the key, the position and
the reason; the rest of the batch goes on. --reparse re-parses the objects an
older parser version loaded; --force re-parses every selected object.`,
		Example: `  nbasim load
  nbasim load --season 2018-19
  nbasim load --game 0022200552 --force
  nbasim load --reparse`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if opt.GameID != "" && opt.Season != "" {
				return fmt.Errorf("load: --game and --season exclude each other")
			}
			if asJSON {
				format = "json"
			}
			if format != "table" && format != "json" {
				return fmt.Errorf("load: --format %q: want table or json", format)
			}
			if err := registry.Check(); err != nil {
				return err
			}
			bulkGC()
			lk, err := a.Lake(ctx)
			if err != nil {
				return fmt.Errorf("load: %w", err)
			}
			st, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("load: %w", err)
			}
			if opt.GameID != "" {
				ref, err := gameref.Parse(opt.GameID)
				if err != nil {
					return fmt.Errorf("load: --game: %w", err)
				}
				if ref.Kind == gameref.ESPN || ref.Kind == gameref.BBRef {
					r, err := gameref.Resolve(ctx, st, opt.GameID)
					if err != nil {
						return fmt.Errorf("load: --game: %w", err)
					}
					ref.ID = r.GameID
				}
				opt.GameID = ref.ID
			}
			var bar *progressbar.ProgressBar
			lastLog := time.Now()
			opt.Progress = func(done, total int) {
				if !isTerminal(os.Stderr) {
					if done == total || time.Since(lastLog) > 5*time.Second {
						lastLog = time.Now()
						a.Logger().Info("load: progress", "done", done, "total", total)
					}
					return
				}
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("load"),
						progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionClearOnFinish())
				}
				_ = bar.Set(done)
			}
			l := &load.Loader{Lake: lk, Store: st, Log: a.Logger()}
			sum, err := l.Run(ctx, opt)
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return fmt.Errorf("load: %w", err)
			}
			if opt.GameID != "" && sum.Parsed+sum.Unchanged == 0 {
				return fmt.Errorf("load: game %s: the lake holds no object of this game (%d objects listed); fetch it first (nbasim fetch) or import recorded files (nbasim import)", opt.GameID, sum.Scanned)
			}
			counts, cerr := tableCounts(cmd, st)
			if cerr != nil {
				return cerr
			}
			a.Logger().Info("load: done", "parsed", sum.Parsed, "unchanged", sum.Unchanged, "events", sum.Events,
				"quarantined", sum.Quarantined, "elapsed", sum.Elapsed.Round(time.Millisecond).String())
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), map[string]any{"summary": sum, "elapsed_seconds": sum.Elapsed.Seconds(), "tables": counts})
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "load: %d objects listed, %d parsed, %d unchanged, %d outside the layout, in %s\n",
				sum.Scanned, sum.Parsed, sum.Unchanged, sum.Ignored, sum.Elapsed.Round(time.Millisecond))
			var sts []string
			for s := range sum.ByStatus {
				sts = append(sts, s)
			}
			sort.Strings(sts)
			for _, s := range sts {
				fmt.Fprintf(out, "  %-8s %d objects\n", s, sum.ByStatus[s])
			}
			if sum.Outdated > 0 {
				fmt.Fprintf(out, "  outdated %d objects were loaded by an older parser version and keep their old rows: nbasim load --reparse re-parses them\n", sum.Outdated)
			}
			evs := float64(sum.Events) / max(sum.Elapsed.Seconds(), 1e-9)
			fmt.Fprintf(out, "  events   %d (%.0f/s)\n  quarantined %d items (nbasim db query \"SELECT key, reason FROM quarantine\")\n", sum.Events, evs, sum.Quarantined)
			fmt.Fprintf(out, "rows written this run / rows in the table:\n")
			for _, c := range counts {
				written := sum.Rows[c.Table]
				fmt.Fprintf(out, "  %-12s %9d / %d\n", c.Table, written, c.Rows)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.GameID, "game", "", "load only the objects of this NBA game id (and its ESPN/bbref ids when known)")
	f.StringVar(&opt.Season, "season", "", "load only the objects of this season (2018-19)")
	f.BoolVar(&opt.Reparse, "reparse", false, "re-parse objects loaded by an older parser version")
	f.BoolVar(&opt.Force, "force", false, "re-parse every selected object, whatever its status")
	f.IntVar(&opt.Workers, "workers", 0, "parser goroutines (default: number of CPUs)")
	f.IntVar(&opt.Chunk, "chunk", 128, "objects per write transaction (memory grows with it)")
	f.StringVar(&format, "format", "table", "summary format: table or json")
	f.BoolVar(&asJSON, "json", false, "print the summary as JSON (the same as --format json)")
	return cmd
}

func tableCounts(cmd *cobra.Command, st store.Store) ([]store.TableCount, error) {
	var out []store.TableCount
	for _, t := range store.CoreTables {
		var n int64
		if err := st.QueryRow(cmd.Context(), `SELECT COUNT(*) FROM `+store.QuoteIdent(t)).Scan(&n); err != nil {
			return nil, fmt.Errorf("load: count %s: %w", t, err)
		}
		out = append(out, store.TableCount{Table: t, Rows: n})
	}
	return out, nil
}

// bulkGC trades memory for CPU in a bulk load: the garbage collector runs
// when the heap has grown by 400% (not 100%), within a soft limit of 640
// MiB of Go memory (so the process stays under 1 GB). A load of the whole
// archive parses 1.1 GB of CSV; the default setting spent about 15% of the
// CPU in collections (docs/benchmarks.md). GOGC or GOMEMLIMIT in the
// environment win.
func bulkGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(640 << 20)
	}
}
