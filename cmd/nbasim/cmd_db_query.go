package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/readonly"
)

// queryOutput is db query --json (the same shape as the MCP query tool).
type queryOutput struct {
	Columns   []string `json:"columns"`
	Types     []string `json:"types"`
	Rows      [][]any  `json:"rows"`
	RowCount  int      `json:"row_count"`
	Truncated bool     `json:"truncated"`
}

func newDBQueryCmd(a *app) *cobra.Command {
	var asJSON bool
	var maxRows int
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run one read-only SQL statement (SELECT/WITH/VALUES/EXPLAIN) and print the rows",
		Long: `Run one read-only statement against the database, through the same read-only
handle as the MCP server (the database refuses writes). Query the canonical
views player_games and team_games for one row per player-game and team-game
(docs/advanced.md).`,
		Example: `  nbasim db query "SELECT name, pts FROM player_games WHERE pts >= 50"
  nbasim db query "SELECT key, reason FROM quarantine" --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := openReadOnly(ctx, a, "", readonly.Options{AllowPrivileged: true})
			if err != nil {
				return fmt.Errorf("db query: %w", err)
			}
			defer db.Close()
			stmt, err := readonly.Check(args[0], db.Flavor())
			if err != nil {
				return fmt.Errorf("db query: %w", err)
			}
			res, err := db.Query(ctx, stmt, readonly.Limits{Rows: maxRows, Bytes: 256 << 20, Timeout: 10 * time.Minute})
			if err != nil {
				return fmt.Errorf("db query: %w", err)
			}
			out := queryOutput{Columns: []string{}, Types: []string{}, Rows: res.Rows, RowCount: len(res.Rows), Truncated: res.Truncated}
			if out.Rows == nil {
				out.Rows = [][]any{}
			}
			for _, c := range res.Columns {
				out.Columns = append(out.Columns, c.Name)
				out.Types = append(out.Types, c.Type)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, out)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, strings.Join(out.Columns, "\t"))
			for _, r := range out.Rows {
				cells := make([]string, len(r))
				for i, v := range r {
					if v == nil {
						cells[i] = "NULL"
					} else {
						cells[i] = fmt.Sprint(v)
					}
				}
				fmt.Fprintln(tw, strings.Join(cells, "\t"))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if out.Truncated {
				fmt.Fprintf(w, "%d rows (truncated at --max-rows %d)\n", out.RowCount, maxRows)
			} else {
				fmt.Fprintf(w, "%d rows\n", out.RowCount)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (columns once, rows as arrays)")
	cmd.Flags().IntVar(&maxRows, "max-rows", 10000, "stop after this many rows (the output says so)")
	return cmd
}
