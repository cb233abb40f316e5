package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/store"
)

func newDBCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Database migrations, status and read-only queries",
	}
	cmd.AddCommand(newDBMigrateCmd(a), newDBStatusCmd(a), newDBQueryCmd(a))
	return cmd
}

// appliedMigration is one line of `db migrate`.
type appliedMigration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
}

func newDBMigrateCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending migrations and print them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.StoreNoMigrate(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			before, err := s.Status(ctx)
			if err != nil {
				return fmt.Errorf("db migrate: %w", err)
			}
			start := time.Now()
			n, err := s.Migrate(ctx)
			if err != nil {
				return fmt.Errorf("db migrate: %w", err)
			}
			all, err := store.Migrations(s.Dialect())
			if err != nil {
				return err
			}
			pending := map[int]bool{}
			for _, v := range before.Pending {
				pending[v] = true
			}
			applied := []appliedMigration{}
			for _, m := range all {
				if pending[m.Version] {
					applied = append(applied, appliedMigration{m.Version, m.Name})
				}
			}
			v, err := s.Version(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, struct {
					Dialect  store.Dialect      `json:"dialect"`
					Location string             `json:"location"`
					Applied  []appliedMigration `json:"applied"`
					Version  int                `json:"version"`
				}{s.Dialect(), a.databaseLocation(), applied, v})
			}
			for _, m := range applied {
				fmt.Fprintf(out, "applied %s\n", m.Name)
			}
			fmt.Fprintf(out, "%s %s: %d migration(s) applied in %s, now at version %d\n",
				s.Dialect(), a.databaseLocation(), n, time.Since(start).Round(time.Millisecond), v)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newDBStatusCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show dialect, location, schema version and row counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.StoreNoMigrate(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			st, err := s.Status(ctx)
			if err != nil {
				return fmt.Errorf("db status: %w", err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				type table struct {
					Name string `json:"name"`
					Rows int64  `json:"rows"`
				}
				tables := make([]table, 0, len(st.Tables))
				for _, t := range st.Tables {
					tables = append(tables, table{t.Table, t.Rows})
				}
				pending := st.Pending
				if pending == nil {
					pending = []int{}
				}
				return writeJSON(out, struct {
					Dialect  store.Dialect `json:"dialect"`
					Location string        `json:"location"`
					Version  int           `json:"version"`
					Latest   int           `json:"latest"`
					Pending  []int         `json:"pending"`
					Tables   []table       `json:"tables"`
				}{st.Dialect, st.Location, st.Version, st.Latest, pending, tables})
			}
			fmt.Fprintf(out, "dialect   %s\nlocation  %s\nversion   %d of %d", st.Dialect, st.Location, st.Version, st.Latest)
			if len(st.Pending) > 0 {
				fmt.Fprintf(out, " (pending: %v; run `nbasim db migrate`)", st.Pending)
			}
			fmt.Fprintln(out)
			if len(st.Tables) == 0 {
				fmt.Fprintln(out, "no tables")
				return nil
			}
			fmt.Fprintln(out)
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "TABLE\tROWS")
			for _, t := range st.Tables {
				fmt.Fprintf(tw, "%s\t%d\n", t.Table, t.Rows)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
