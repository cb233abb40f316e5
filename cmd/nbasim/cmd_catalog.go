package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
)

// catalogRow is one endpoint as `nbasim catalog` prints it.
type catalogRow struct {
	Name       string   `json:"name"`
	Endpoint   string   `json:"endpoint"`
	Scope      string   `json:"scope"`
	Key        string   `json:"key"`
	Seasons    string   `json:"seasons"`
	Required   bool     `json:"required"`
	OnDemand   string   `json:"on_demand,omitempty"`
	Rate       string   `json:"rate"`
	Shape      string   `json:"shape"`
	ResultSets []string `json:"result_sets"`
	Params     []string `json:"params"`
	// Objects and Bytes: what the lake holds (--coverage).
	Objects *int   `json:"objects,omitempty"`
	Bytes   *int64 `json:"bytes,omitempty"`
}

func newCatalogCmd(a *app) *cobra.Command {
	var (
		asJSON   bool
		coverage bool
	)
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List the stats.nba.com endpoint catalog (docs/catalog.md); --coverage counts each endpoint's objects in the lake",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cat := layout.BuiltinCatalog()
			rows := make([]catalogRow, 0, len(cat.Endpoints))
			for _, e := range cat.Endpoints {
				r := catalogRow{Name: e.Name, Endpoint: e.Path, Scope: string(e.Scope), Key: layout.CatalogSource + "/" + e.Name + "/" + seasonSegment(&e) + "/" + e.Key + ".json",
					Seasons: e.Seasons, Required: e.Required, OnDemand: e.OnDemand, Rate: e.Rate, Shape: e.Shape, Params: e.ParamNames(), ResultSets: []string{}}
				for _, rs := range e.ResultSets {
					r.ResultSets = append(r.ResultSets, rs.Name)
				}
				rows = append(rows, r)
			}
			if coverage {
				lk, err := a.Lake(ctx)
				if err != nil {
					return err
				}
				for i := range rows {
					n, b := 0, int64(0)
					err := lk.Walk(ctx, layout.CatalogSource+"/"+rows[i].Name+"/", func(o lake.Object) error {
						n++
						b += o.Size
						return nil
					})
					if err != nil {
						return err
					}
					rows[i].Objects, rows[i].Bytes = &n, &b
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				b, err := json.MarshalIndent(map[string]any{"origin": cat.Origin, "endpoints": rows}, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(out, string(b))
				return nil
			}
			tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
			head := "NAME\tSCOPE\tKEY\tSEASONS\tRESULT SETS"
			if coverage {
				head += "\tOBJECTS\tMB"
			}
			fmt.Fprintln(tw, head)
			covered := 0
			for _, r := range rows {
				seasons := r.Seasons
				if r.OnDemand != "" {
					seasons = "on demand"
				}
				line := fmt.Sprintf("%s\t%s\t%s\t%s\t%d", r.Name, r.Scope, r.Key, seasons, len(r.ResultSets))
				if coverage {
					line += fmt.Sprintf("\t%d\t%.1f", *r.Objects, float64(*r.Bytes)/1e6)
					if *r.Objects > 0 {
						covered++
					}
				}
				fmt.Fprintln(tw, line)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d endpoints (%s)", len(rows), cat.Origin)
			if coverage {
				fmt.Fprintf(out, "; %d with objects in the lake", covered)
			}
			fmt.Fprintln(out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&coverage, "coverage", false, "count each endpoint's objects in the lake")
	return cmd
}

// seasonSegment is the season segment of an endpoint's keys, for display.
func seasonSegment(e *layout.Endpoint) string {
	if e.SeasonBound() {
		return "{season}"
	}
	return layout.DumpSeason
}
