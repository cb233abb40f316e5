package reconcile

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/layout"
)

// Priority orders gaps and tasks: CRITICAL first.
type Priority int

// Priorities.
const (
	Critical Priority = 1
	High     Priority = 2
	Medium   Priority = 3
	Low      Priority = 4
)

// Priorities in order.
var Priorities = []Priority{Critical, High, Medium, Low}

func (p Priority) String() string {
	switch p {
	case Critical:
		return "CRITICAL"
	case High:
		return "HIGH"
	case Medium:
		return "MEDIUM"
	case Low:
		return "LOW"
	}
	return fmt.Sprintf("P%d", int(p))
}

// Lower returns the JSON key of p ("critical").
func (p Priority) Lower() string { return strings.ToLower(p.String()) }

// MarshalText implements encoding.TextMarshaler.
func (p Priority) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// GapKind classifies a gap.
type GapKind string

// Gap kinds.
const (
	GapMissing         GapKind = "missing"
	GapStale           GapKind = "stale"
	GapInvalid         GapKind = "invalid"
	GapScheduleMissing GapKind = "schedule_missing"
	// GapUnknownKeys: count-based expectations short of objects whose keys
	// cannot be named (no schedule, or ids unknown in the source's id space).
	GapUnknownKeys GapKind = "unknown_keys"
)

// Gap is one thing the lake lacks.
type Gap struct {
	Kind         GapKind  `json:"kind"`
	Priority     Priority `json:"priority"`
	Source       string   `json:"source"`
	Dataset      string   `json:"dataset"`
	Season       string   `json:"season"`
	Count        int      `json:"count"`
	Completeness float64  `json:"completeness"`
	Required     bool     `json:"required"`
	InProgress   bool     `json:"in_progress"`
	Estimated    bool     `json:"estimated,omitempty"`
	Reason       string   `json:"reason"`
	// Blocked says why no task is generated yet ("schedule": the season has
	// no schedule; its one task is the schedule fetch).
	Blocked string   `json:"blocked,omitempty"`
	Keys    []KeyRef `json:"keys,omitempty"`
}

// Thresholds are the priority rules, from config.Reconcile.Priorities.
type Thresholds struct {
	RecentDays    int
	CriticalBelow float64
	HighBelow     float64
	MediumBelow   float64
}

// ThresholdsFrom applies defaults (7 days, 50 %, 80 %, 95 %) to p.
func ThresholdsFrom(p config.Priorities) Thresholds {
	t := Thresholds{RecentDays: p.RecentDays, CriticalBelow: p.CriticalBelow, HighBelow: p.HighBelow, MediumBelow: p.MediumBelow}
	if t.RecentDays <= 0 {
		t.RecentDays = 7
	}
	if t.CriticalBelow <= 0 {
		t.CriticalBelow = 0.50
	}
	if t.HighBelow <= 0 {
		t.HighBelow = 0.80
	}
	if t.MediumBelow <= 0 {
		t.MediumBelow = 0.95
	}
	return t
}

// cellPriority: CRITICAL below CriticalBelow; HIGH for the current season or
// below HighBelow; MEDIUM for the previous season or below MediumBelow; LOW
// otherwise. Optional datasets rank one level lower (never below LOW).
func cellPriority(t Thresholds, c *Cell, current layout.Season) Priority {
	s, _ := layout.ParseSeason(c.Season)
	var p Priority
	switch {
	case c.Completeness < t.CriticalBelow:
		p = Critical
	case s == current || c.Completeness < t.HighBelow:
		p = High
	case s == current-1 || c.Completeness < t.MediumBelow:
		p = Medium
	default:
		p = Low
	}
	if !c.Required && p < Low {
		p++
	}
	return p
}

// Detect turns the analysis into gaps. Keys of games played in the last
// RecentDays days form their own CRITICAL gap.
func Detect(a *Analysis, t Thresholds, current layout.Season, now time.Time) []Gap {
	var gaps []Gap
	for _, s := range a.SchedulesMissing {
		reason := "no schedule in the store for " + s + ": fetch it, then run nbasim load"
		if have := a.ScheduleKeysPresent[s]; len(have) > 0 {
			reason = "schedule of " + s + " is in the lake (" + strings.Join(have, ", ") + ") but not loaded: run nbasim load"
		}
		gaps = append(gaps, Gap{Kind: GapScheduleMissing, Priority: Critical, Season: s, Count: 1, Required: true, Reason: reason})
	}
	recent := now.UTC().AddDate(0, 0, -t.RecentDays).Format("2006-01-02")
	noSchedule := map[string]bool{}
	for _, s := range a.SchedulesMissing {
		noSchedule[s] = true
	}
	for _, c := range a.Cells {
		p := cellPriority(t, c, current)
		base := Gap{Source: c.Source, Dataset: c.Dataset, Season: c.Season, Completeness: c.Completeness, Required: c.Required, InProgress: c.InProgress, Estimated: c.Estimated}
		if noSchedule[c.Season] {
			base.Blocked = "schedule"
		}
		split := func(kind GapKind, refs []KeyRef, count int, what string) {
			if count == 0 {
				return
			}
			var hot, rest []KeyRef
			for _, r := range refs {
				if r.GameDate != "" && r.GameDate >= recent && p != Critical {
					hot = append(hot, r)
				} else {
					rest = append(rest, r)
				}
			}
			if len(hot) > 0 {
				g := base
				g.Kind, g.Priority, g.Keys, g.Count = kind, Critical, hot, len(hot)
				g.Reason = fmt.Sprintf("%d %s object(s)%s of games in the last %d days", len(hot), what, reasonSummary(hot), t.RecentDays)
				gaps = append(gaps, g)
				count -= len(hot)
			}
			if count > 0 {
				g := base
				g.Kind, g.Priority, g.Keys, g.Count = kind, p, rest, count
				g.Reason = fmt.Sprintf("%d %s object(s)%s; %s %s at %.1f%%", count, what, reasonSummary(refs), c.Dataset, c.Season, 100*c.Completeness)
				gaps = append(gaps, g)
			}
		}
		if c.MissingKeys == nil && c.Missing-c.Unnamed > 0 {
			// counts only: the keys cannot be named
			if c.ScheduleMissing {
				continue // the schedule task covers it
			}
			g := base
			g.Kind, g.Priority, g.Count = GapUnknownKeys, p, c.Missing
			g.Reason = fmt.Sprintf("about %d object(s) short of the season's known count; keys unknown without a schedule", c.Missing)
			gaps = append(gaps, g)
		} else {
			split(GapMissing, c.MissingKeys, c.Missing-c.Unnamed, "missing")
		}
		if c.Unnamed > 0 {
			g := base
			g.Kind, g.Priority, g.Count, g.Estimated = GapUnknownKeys, p, c.Unnamed, true
			g.Reason = fmt.Sprintf("about %d object(s) short of the season's known count: the schedule in the store holds %d of %d regular-season games (load the whole schedule to name them)",
				c.Unnamed, c.ScheduleGames, c.ScheduleKnown)
			gaps = append(gaps, g)
		}
		if c.Unresolved > 0 {
			g := base
			g.Kind, g.Priority, g.Count = GapUnknownKeys, p, c.Unresolved
			g.Reason = fmt.Sprintf("%d scheduled game(s) have no %s id in the store: load the source's schedule to name their keys", c.Unresolved, c.Source)
			gaps = append(gaps, g)
		}
		split(GapInvalid, c.InvalidKeys, c.Invalid, "invalid")
		split(GapStale, c.StaleKeys, c.Stale, "stale")
	}
	sort.SliceStable(gaps, func(i, j int) bool {
		a, b := gaps[i], gaps[j]
		if a.Priority != b.Priority {
			return a.Priority < b.Priority
		}
		if a.InProgress != b.InProgress {
			return a.InProgress
		}
		if a.Required != b.Required {
			return a.Required
		}
		if a.Season != b.Season {
			return a.Season > b.Season
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Dataset < b.Dataset
	})
	return gaps
}

// reasonSummary counts the reasons of refs by kind ("zero bytes", "failed
// to parse", ...): " (2 zero bytes, 1 failed to parse)".
func reasonSummary(refs []KeyRef) string {
	counts := map[string]int{}
	var order []string
	for _, r := range refs {
		if r.Reason == "" {
			continue
		}
		k, _, _ := strings.Cut(r.Reason, ":")
		if strings.HasPrefix(k, "fetched ") {
			k = "fetched before the game was final"
		}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	if len(order) == 0 {
		return ""
	}
	sort.Strings(order)
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
