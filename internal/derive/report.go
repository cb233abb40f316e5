package derive

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Summary aggregates the results of a verification run.
type Summary struct {
	Games           int            `json:"games"`
	Failed          int            `json:"failed"`
	Degraded        int            `json:"degraded"`
	TeamPointsExact int            `json:"team_points_exact"`
	TeamTotalsExact int            `json:"team_totals_exact"`
	FullyExact      int            `json:"fully_exact"`
	Cells           int            `json:"cells"`
	CellsExact      int            `json:"cells_exact"`
	Lines           int            `json:"player_lines"`
	MinutesCompared int            `json:"minutes_compared"`
	MinutesOK       int            `json:"minutes_within_1s"`
	PlusMinusOK     int            `json:"plus_minus_exact"`
	Grades          map[string]int `json:"grades"`
	Diffs           int            `json:"diffs"`

	CellsExactShare      float64 `json:"cells_exact_share"`
	FullyExactShare      float64 `json:"fully_exact_share"`
	TeamPointsExactShare float64 `json:"team_points_exact_share"`
	TeamTotalsExactShare float64 `json:"team_totals_exact_share"`
	MinutesOKShare       float64 `json:"minutes_within_1s_share"`
}

// Report is a verification run: one result per game and a summary.
type Report struct {
	Name    string       `json:"name"`
	Summary Summary      `json:"summary"`
	Games   []GameResult `json:"games"`
	// Skipped lists games of the official source that were not verified
	// and why (no play-by-play).
	Skipped []string `json:"skipped,omitempty"`
}

func share(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Summarize fills r.Summary from r.Games.
func (r *Report) Summarize() {
	s := Summary{Grades: map[string]int{}}
	for i := range r.Games {
		g := &r.Games[i]
		s.Games++
		if g.Error != "" {
			s.Failed++
		}
		if g.Degraded {
			s.Degraded++
		}
		if g.TeamPointsExact {
			s.TeamPointsExact++
		}
		if g.TeamTotalsExact {
			s.TeamTotalsExact++
		}
		if g.FullyExact {
			s.FullyExact++
		}
		s.Cells += g.Cells
		s.CellsExact += g.CellsExact
		s.Lines += g.Lines
		s.MinutesCompared += g.MinutesCompared
		s.MinutesOK += g.MinutesOK
		s.PlusMinusOK += g.PlusMinusOK
		s.Grades[g.Grade]++
		s.Diffs += len(g.Diffs)
	}
	s.CellsExactShare = share(s.CellsExact, s.Cells)
	s.FullyExactShare = share(s.FullyExact, s.Games)
	s.TeamPointsExactShare = share(s.TeamPointsExact, s.Games)
	s.TeamTotalsExactShare = share(s.TeamTotalsExact, s.Games)
	s.MinutesOKShare = share(s.MinutesOK, s.MinutesCompared)
	r.Summary = s
	sort.SliceStable(r.Games, func(i, j int) bool { return r.Games[i].GameID < r.Games[j].GameID })
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as a readable table: the summary, one line per game
// that is not fully exact, and every difference with its cause.
func (r *Report) WriteTable(w io.Writer) error {
	s := r.Summary
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "verification\t%s\n", r.Name)
	fmt.Fprintf(tw, "games\t%d (failed %d, degraded %d, skipped %d)\n", s.Games, s.Failed, s.Degraded, len(r.Skipped))
	fmt.Fprintf(tw, "team points exact\t%d/%d\t%.2f%%\n", s.TeamPointsExact, s.Games, 100*s.TeamPointsExactShare)
	fmt.Fprintf(tw, "team totals exact\t%d/%d\t%.2f%%\n", s.TeamTotalsExact, s.Games, 100*s.TeamTotalsExactShare)
	fmt.Fprintf(tw, "player-stat cells exact\t%d/%d\t%.3f%%\n", s.CellsExact, s.Cells, 100*s.CellsExactShare)
	fmt.Fprintf(tw, "games fully exact\t%d/%d\t%.2f%%\n", s.FullyExact, s.Games, 100*s.FullyExactShare)
	if s.MinutesCompared > 0 {
		fmt.Fprintf(tw, "minutes within 1 s\t%d/%d\t%.2f%%\n", s.MinutesOK, s.MinutesCompared, 100*s.MinutesOKShare)
		fmt.Fprintf(tw, "plus-minus exact\t%d/%d\t%.2f%%\n", s.PlusMinusOK, s.Lines, 100*share(s.PlusMinusOK, s.Lines))
	}
	var grades []string
	for _, g := range []string{"A", "B", "C", "D", "F"} {
		grades = append(grades, fmt.Sprintf("%s %d", g, s.Grades[g]))
	}
	fmt.Fprintf(tw, "grades\t%s\n", strings.Join(grades, ", "))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GAME\tGRADE\tCELLS\tMIN\tSOURCE\tSCOPE\tSIDE\tPLAYER\tSTAT\tDERIVED\tOFFICIAL\tCAUSE")
	for _, g := range r.Games {
		if g.FullyExact {
			continue
		}
		head := fmt.Sprintf("%s\t%s\t%d/%d\t%d/%d\t%s", g.GameID, g.Grade, g.CellsExact, g.Cells, g.MinutesOK, g.MinutesCompared, g.Source)
		if g.Error != "" {
			fmt.Fprintf(tw, "%s\t\t\t\t\t\t\t%s\n", head, g.Error)
			continue
		}
		if len(g.Diffs) == 0 {
			fmt.Fprintf(tw, "%s\t\t\t\t\t\t\t\n", head)
		}
		for _, d := range g.Diffs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", head, d.Scope, d.Side, d.Name, d.Stat, d.Derived, d.Expected, d.Cause)
		}
	}
	return tw.Flush()
}
