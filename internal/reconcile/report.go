package reconcile

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// maxTableRows: beyond this many cells the coverage table is summarized per
// dataset (the full grid is in gaps.json and the heat map).
const maxTableRows = 120

func pct(c float64) string { return fmt.Sprintf("%5.1f%%", 100*c) }

// PrintCoverage writes the coverage table: source × dataset × season.
func PrintCoverage(w io.Writer, cells []*Cell) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\tdataset\tseason\texpected\tpresent\tmissing\tstale\tinvalid\textra\tcomplete\t")
	if len(cells) <= maxTableRows {
		for _, c := range cells {
			exp := fmt.Sprint(c.Expected)
			mark := ""
			switch {
			case c.ScheduleMissing && c.Expected == 0:
				exp = "?"
				mark = " no schedule"
			case c.ScheduleMissing:
				mark = " ~ no schedule"
			case c.Estimated:
				mark = " ~"
			}
			comp := pct(c.Completeness)
			if c.Expected == 0 {
				comp = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s%s\t\n", c.Source, c.Dataset, c.Season, exp, c.Present, c.Missing, c.Stale, c.Invalid, c.Extra, comp, mark)
		}
	} else {
		type agg struct {
			src, ds                                       string
			seasons, exp, pres, miss, stale, inval, extra int
		}
		var order []string
		by := map[string]*agg{}
		for _, c := range cells {
			k := c.Source + "/" + c.Dataset
			a := by[k]
			if a == nil {
				a = &agg{src: c.Source, ds: c.Dataset}
				by[k] = a
				order = append(order, k)
			}
			a.seasons++
			a.exp += c.Expected
			a.pres += c.Present
			a.miss += c.Missing
			a.stale += c.Stale
			a.inval += c.Invalid
			a.extra += c.Extra
		}
		for _, k := range order {
			a := by[k]
			fmt.Fprintf(tw, "%s\t%s\t%d seasons\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", a.src, a.ds, a.seasons, a.exp, a.pres, a.miss, a.stale, a.inval, a.extra, pct(ratio(a.pres, a.exp)))
		}
	}
	tw.Flush()
	if len(cells) > maxTableRows {
		fmt.Fprintf(w, "(%d cells summarized per dataset; every season is in gaps.json and the heat map)\n", len(cells))
	}
}

// PrintGaps writes the gaps by priority.
func PrintGaps(w io.Writer, gaps []Gap, plan *Plan) {
	byP := map[Priority][]Gap{}
	for _, g := range gaps {
		byP[g.Priority] = append(byP[g.Priority], g)
	}
	tasks := map[Priority]int{}
	est := map[Priority]float64{}
	if plan != nil {
		for _, t := range plan.Tasks {
			tasks[t.Priority]++
			est[t.Priority] += t.EstSeconds
		}
	}
	for _, p := range Priorities {
		gs := byP[p]
		line := fmt.Sprintf("  %-8s %4d gaps", p, len(gs))
		if plan != nil {
			line += fmt.Sprintf(", %d tasks (%s)", tasks[p], humanSeconds(est[p]))
			if n := plan.Deferred[p]; n > 0 {
				line += fmt.Sprintf(", %d deferred beyond the cap of %d", n, plan.Caps[p])
			}
		}
		fmt.Fprintln(w, line)
		for i, g := range gs {
			if i == 8 {
				fmt.Fprintf(w, "      ... %d more (gaps.json)\n", len(gs)-i)
				break
			}
			where := strings.Trim(g.Source+"/"+g.Dataset, "/")
			if where != "" {
				where += " "
			}
			blocked := ""
			if g.Blocked != "" {
				blocked = " [waits for the " + g.Blocked + "]"
			}
			fmt.Fprintf(w, "      %-16s %s%s: %s%s\n", g.Kind, where, g.Season, g.Reason, blocked)
		}
	}
}

// PrintTimings writes the timing and memory breakdown with bars.
func PrintTimings(w io.Writer, rep *Report) {
	rep.Timing.Render(w) //nolint:errcheck // report output
	var retried []string
	for _, st := range Steps {
		if n := rep.Attempts[st]; n > 1 {
			retried = append(retried, fmt.Sprintf("%s %d attempts", st, n))
		}
	}
	if len(retried) > 0 {
		fmt.Fprintf(w, "retries: %s\n", strings.Join(retried, ", "))
	}
	fmt.Fprintf(w, "peak resident memory %s\n", mb(rep.PeakRSS))
}

func mb(b uint64) string { return fmt.Sprintf("%.1fMB", float64(b)/(1<<20)) }

// PrintSummary writes the end-of-run summary: coverage, gaps by priority,
// unknown keys, outputs, timing and memory.
func PrintSummary(w io.Writer, rep *Report) {
	if a := rep.Analysis; a != nil {
		fmt.Fprintln(w, "\nCoverage (source × dataset × season; ~ = estimate)")
		PrintCoverage(w, a.Cells)
		est := ""
		if a.Estimated {
			est = " (estimate)"
		}
		fmt.Fprintf(w, "Overall: %d of %d expected objects present and valid: %.1f%%%s\n", a.Present, a.Expected, 100*a.Completeness, est)
	}
	if s := rep.Scan; s != nil && s.Layout != "" && s.Layout != "nbasim" {
		fmt.Fprintf(w, "\nLayout: %s (%s)\n", s.Layout, s.LayoutReason)
		fmt.Fprintf(w, "Not data: %d objects\n", s.NotDataCount())
		for _, p := range sortedKeys(s.NotData) {
			n := s.NotData[p]
			fmt.Fprintf(w, "  %-24s %7d  %s\n", p, n.Count, n.Reason)
		}
		c := s.Copies
		fmt.Fprintf(w, "Copies: %d items under several names, %d extra keys: %d identical (size and ETag), %d identical by size (no ETag), %d different; %d bytes redundant\n",
			c.Items, c.Copies, c.Identical, c.SizeOnly, c.Different, c.RedundantBytes)
		for _, p := range sortedKeys(c.ByPrefixes) {
			fmt.Fprintf(w, "  %-40s %7d\n", p, c.ByPrefixes[p])
		}
		if rep.Plan != nil && len(rep.Plan.NotFetchable) > 0 {
			fmt.Fprintln(w, "Missing objects no collector fetches (the legacy bucket was their only source):")
			for _, k := range sortedKeys(rep.Plan.NotFetchable) {
				fmt.Fprintf(w, "  %-40s %7d\n", k, rep.Plan.NotFetchable[k])
			}
		}
	}
	if s := rep.Scan; s != nil && s.UnknownCount > 0 {
		fmt.Fprintf(w, "\nUnknown keys (no layout rule matches): %d\n", s.UnknownCount)
		for i, u := range s.Unknown {
			if i == 10 {
				fmt.Fprintf(w, "  ... (gaps.json lists up to %d)\n", maxUnknownExamples)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", u.Key, u.Reason)
		}
	}
	if rep.Gaps != nil || rep.Plan != nil {
		fmt.Fprintln(w, "\nGaps by priority")
		PrintGaps(w, rep.Gaps, rep.Plan)
		if rep.Plan != nil && rep.Plan.Blocked > 0 {
			fmt.Fprintf(w, "  %d gap(s) wait for their season's schedule (one schedule task per season)\n", rep.Plan.Blocked)
		}
	}
	if rep.PlanPath != "" {
		fmt.Fprintf(w, "\nPlan: %s\nHeat map: %s, %s\n", rep.PlanPath, rep.HeatmapSVG, rep.HeatmapPNG)
	}
	if rep.Queued {
		fmt.Fprintf(w, "Queue: %d new task(s), %d already queued\n", rep.Inserted, rep.Merged)
	}
	for _, wn := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", wn)
	}
	fmt.Fprintln(w, "\nTiming and memory")
	PrintTimings(w, rep)
}

// PrintTrend writes the runs, newest first, with the change in completeness.
func PrintTrend(w io.Writer, runs []RunSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\tfinished\tstatus\tscan\tobjects\tpresent/expected\tcomplete\tchange\tgaps\ttasks")
	for i, r := range runs {
		change := ""
		if i+1 < len(runs) {
			change = fmt.Sprintf("%+.1f pts", 100*(r.Completeness-runs[i+1].Completeness))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d/%d\t%s\t%s\t%d\t%d\n", r.RunID, r.FinishedAt, r.Status, r.ScanMode, r.Objects, r.Present, r.Expected, pct(r.Completeness), change, r.Gaps, r.Tasks)
	}
	tw.Flush()
}

// SortCells orders cells by source, dataset, season.
func SortCells(cells []*Cell) {
	sort.SliceStable(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Dataset != b.Dataset {
			return a.Dataset < b.Dataset
		}
		return a.Season < b.Season
	})
}
