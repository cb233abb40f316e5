package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/bench"
	"github.com/nbasim/nbasim/internal/storeopen"
)

func newBenchCmd(a *app) *cobra.Command {
	var opt bench.Options
	var asJSON bool
	var names []string
	for _, s := range bench.Scenarios() {
		names = append(names, fmt.Sprintf("  %-10s %s", s.Name, s.Doc))
	}
	cmd := &cobra.Command{
		Use:   "bench [scenario ...]",
		Short: "Measure nbasim's performance (box-cli end to end; fold, box-at, parse, load, lake, reconcile)",
		Long: `bench runs performance scenarios through the same code the commands use and
reports, for each, its throughput, wall time, CPU time and peak memory (resident
set and Go heap) of the measured step, with a timing breakdown of its steps.
Setup (reading the archive, writing a synthetic lake) is timed apart and is not
part of the figures.

box-cli is end to end (cold nbasim box processes of this binary on a loaded
store, what a user waits for) and runs first; the others are engine-only and
component figures (package APIs in a loop in this process).

Scenarios (all by default; box-cli, parse and load are skipped without the data):
` + strings.Join(names, "\n") + `

Everything is written to temporary folders that are removed after. load uses a
temporary SQLite file, or, with --db postgres://..., a fresh schema of that
database that is dropped after. lake also runs against --lake when given,
under a fresh prefix whose objects are deleted after. Figures depend on the
machine and its load: the summary prints the load average.`,
		Example: `  nbasim bench
  nbasim bench fold box-at
  nbasim bench load --db postgres://postgres@127.0.0.1:5432/test?sslmode=disable
  nbasim bench reconcile --objects 1000000
  nbasim bench --json > bench.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f := cmd.Flags()
			if !f.Changed("data") {
				opt.DataDir = defaultDataDir()
			}
			if fl := cmd.Flags().Lookup("db"); fl != nil && fl.Changed {
				opt.DatabaseURL = a.Config().Database.URL
				if !storeopen.IsPostgresURL(opt.DatabaseURL) {
					a.Logger().Warn("bench: --db is not a postgres:// URL; load uses a temporary SQLite file (the bench never writes into an existing SQLite database)")
					opt.DatabaseURL = ""
				}
			}
			if fl := cmd.Flags().Lookup("lake"); fl != nil && fl.Changed {
				opt.LakeURL = LakeURL(a.Config().Lake)
			}
			opt.Log = a.Logger()
			if exe, err := os.Executable(); err == nil {
				opt.Binary = exe // box-cli runs this very binary
			}
			stderr := cmd.ErrOrStderr()
			term := false
			if ef, ok := stderr.(*os.File); ok {
				term = isTerminal(ef)
			}
			opt.Progress = &benchProgress{w: stderr, term: term, log: a}
			if opt.DataDir == "" {
				a.Logger().Info("bench: no data folder (../shared/data or --data): fold and box-at use synthetic games, parse and load are skipped")
			}
			out := cmd.OutOrStdout()
			if !asJSON {
				opt.Report = func(r bench.Result) {
					_ = r.WriteBreakdown(out)
					fmt.Fprintln(out)
				}
			}
			rep, err := bench.Run(ctx, args, opt)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(out, rep); err != nil {
					return err
				}
			} else if err := rep.WriteTable(out); err != nil {
				return err
			}
			if rep.Failed() {
				return withExit(1, fmt.Errorf("bench: a scenario failed"))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opt.DataDir, "data", "", "real data folder with seasons/2018-19/playbyplayv2.tar.gz (default ../shared/data when present)")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON (progress still goes to stderr)")
	f.IntVar(&opt.Objects, "objects", bench.DefaultObjects, "reconcile: objects in the synthetic lake")
	f.IntVar(&opt.LakeObjects, "lake-objects", bench.DefaultLakeObjects, "lake: objects written then listed")
	f.IntVar(&opt.Passes, "passes", bench.DefaultPasses, "fold: passes over the season")
	f.IntVar(&opt.Queries, "queries", bench.DefaultQueries, "box-at: queries")
	f.IntVar(&opt.Processes, "processes", bench.DefaultProcesses, "box-cli: cold nbasim box processes")
	f.IntVar(&opt.Games, "games", 0, "read only the first N games of the archive (0: all 1,204)")
	f.IntVar(&opt.SyntheticGames, "synthetic-games", bench.DefaultSyntheticGames, "fold and box-at without the data: synthetic games")
	f.StringVar(&opt.TempDir, "tmp", "", "parent of the temporary folders (default the system's)")
	return cmd
}

// defaultDataDir is ../shared/data when it holds the 2018-19 archive.
func defaultDataDir() string {
	d, err := filepath.Abs(filepath.Join("..", "shared", "data"))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(bench.ArchivePath(d)); err != nil {
		return ""
	}
	return d
}

// benchProgress is a progress bar on a terminal and a log line every 10
// seconds otherwise.
type benchProgress struct {
	w     io.Writer
	term  bool
	log   *app
	bar   *progressbar.ProgressBar
	label string
	total int64
	last  time.Time
}

func (p *benchProgress) Begin(label string, total int64) {
	p.label, p.total, p.last = label, total, time.Now()
	if !p.term {
		return
	}
	p.bar = progressbar.NewOptions64(max(total, -1), progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
}

func (p *benchProgress) Set(done int64) {
	if p.bar != nil {
		_ = p.bar.Set64(done)
		return
	}
	if time.Since(p.last) >= 10*time.Second {
		p.last = time.Now()
		p.log.Logger().Info("bench: progress", "phase", p.label, "done", done, "total", p.total)
	}
}

func (p *benchProgress) End() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
		p.bar = nil
	}
}
