package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/importer"
)

func newImportCmd(a *app) *cobra.Command {
	var list bool
	cmd := &cobra.Command{
		Use:   "import PATH",
		Short: "Adopt recorded or legacy files into the lake",
		Long: `Adopt files that already exist elsewhere: a folder of recorded responses laid
out like ../shared/data (nba_stats/index.tsv and URLS.tsv give each file's URL),
or an nba_simulator folder or bucket (s3://bucket?region=...) in its legacy
layout (espn_play_by_play/, espn_box_scores/, espn_team_stats/, espn_schedules/,
nba_api_incremental/, and the older pbp/, box_scores/, nba_pbp/ names).

Each file is validated like a fetched response and stored under the lake
layout with its original path as provenance. Files not adopted are listed by
reason (--list prints every one). Importing twice writes nothing new.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			lk, err := a.Lake(ctx)
			if err != nil {
				return err
			}
			im := &importer.Importer{Lake: lk, Registry: collect.Registry(a.Config().Sources), Log: a.Logger()}
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
	return cmd
}
