package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/importer"
	"github.com/nbasim/nbasim/internal/layout"
)

func newImportCmd(a *app) *cobra.Command {
	var (
		list       bool
		layoutName string
	)
	cmd := &cobra.Command{
		Use:   "import PATH",
		Short: "Adopt recorded or legacy files into the lake",
		Long: `Adopt files that already exist elsewhere: a folder of recorded responses laid
out like ../shared/data (nba_stats/index.tsv and URLS.tsv give each file's URL),
or an nba_simulator folder or bucket (s3://bucket?region=..., file://dir) in
its legacy layout. A bucket is read through its layout profile (--layout, by
default detected from its keys): every data prefix is adopted (ESPN under all
its names, nba_api_comprehensive/ sub-folders as their stats.nba.com endpoints,
nba_api_playbyplay/, nba_api_incremental/, basketball_reference/ scraper
outputs, hoopR CSV and Parquet season files, the Kaggle dump); scripts, query
results and model artefacts are not data and stay where they are
(docs/legacy.md),
or bulk archives of per-game play-by-play: *.tar.zst, *.tar.gz, *.tar, *.zip
of playbyplayv2 CSVs (one per game), or one playbyplayv2 CSV of many games
(play_by_play.csv, also .csv.gz/.csv.zst), given as PATH or found in the
folder. Archives are streamed, never unpacked to disk; each game becomes
archive/playbyplayv2/{season}/{game}.csv with the archive's name and sha256
and the member's name as provenance (docs/archive.md). The archive's
game_info files (game_info_all.jsonl.gz: one {"file", "content"} line per
game; also .jsonl/.jsonl.zst) become archive/game_info/{season}/{game}.json:
the load takes each game's date and teams from them.

Each file is validated like a fetched response and stored under the lake
layout with its original key as provenance (origin). Between two buckets of
one S3 endpoint the bytes are copied on the server (CopyObject). Files not
adopted are listed by reason (--list prints every one). Importing twice
writes nothing new.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			lk, err := a.Lake(ctx)
			if err != nil {
				return err
			}
			im := &importer.Importer{Lake: lk, Registry: collect.Registry(a.Config().Sources), Log: a.Logger()}
			if layoutName != layout.LayoutAuto {
				p, err := layout.ProfileNamed(layoutName)
				if err != nil {
					return withExit(2, err)
				}
				im.Profile = p
			}
			rep, err := im.Import(ctx, args[0])
			if err != nil {
				return err
			}
			if list {
				for _, s := range rep.Skipped {
					fmt.Fprintf(os.Stderr, "not adopted %s: %s\n", s.Path, s.Reason)
				}
			}
			fmt.Println(rep.String())
			return nil
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list every file not adopted, with its reason")
	cmd.Flags().StringVar(&layoutName, "layout", layout.LayoutAuto, "layout of an imported bucket: auto, nba_simulator or nbasim")
	return cmd
}
