package reconcile

import (
	"encoding/json"
	"math"
	"sort"
	"time"

	"github.com/nbasim/nbasim/internal/timing"
)

// PlanVersion is the version of the gaps.json schema (docs/reconcile.md).
const PlanVersion = 1

// maxGapKeys bounds the keys listed per gap in gaps.json (tasks list all).
const maxGapKeys = 20

// PlanDoc is the gaps.json document.
type PlanDoc struct {
	Version      int           `json:"version"`
	GeneratedAt  string        `json:"generated_at"`
	RunID        string        `json:"run_id"`
	DryRun       bool          `json:"dry_run"`
	Lake         string        `json:"lake"`
	Expectations string        `json:"expectations"`
	Current      string        `json:"current_season"`
	Seasons      []string      `json:"seasons"`
	Scan         PlanScan      `json:"scan"`
	Summary      PlanSummary   `json:"summary"`
	Coverage     []*Cell       `json:"coverage"`
	Gaps         []Gap         `json:"gaps"`
	Tasks        []Task        `json:"tasks"`
	UnknownKeys  PlanUnknown   `json:"unknown_keys"`
	Layout       PlanLayout    `json:"layout"`
	NotData      []PlanNotData `json:"not_data"`
	Copies       PlanCopies    `json:"copies"`
	// NotFetchable counts missing objects no collector fetches (datasets
	// adopted from a legacy bucket only), per source/dataset.
	NotFetchable map[string]int    `json:"not_fetchable,omitempty"`
	Heatmap      map[string]string `json:"heatmap,omitempty"`
	Timing       timing.Report     `json:"timing"`
	Attempts     map[string]int    `json:"attempts"`
	PeakRSSBytes uint64            `json:"peak_rss_bytes"`
	Warnings     []string          `json:"warnings,omitempty"`
}

// PlanScan describes the scan.
type PlanScan struct {
	Mode            string  `json:"mode"` // full, sample, inventory
	SampleRate      float64 `json:"sample_rate"`
	FromCache       bool    `json:"from_cache"`
	Lister          string  `json:"lister"`
	ScannedAt       string  `json:"scanned_at"`
	DurationSeconds float64 `json:"duration_seconds"`
	Prefixes        int     `json:"prefixes"`
	Listed          int64   `json:"listed"`
	Kept            int64   `json:"kept"`
	Bytes           int64   `json:"bytes"`
	History         int64   `json:"history_versions"`
}

// PlanPriority sums one priority.
type PlanPriority struct {
	Gaps             int     `json:"gaps"`
	Tasks            int     `json:"tasks"`
	Deferred         int     `json:"deferred"` // beyond the cap
	Cap              int     `json:"cap"`
	EstimatedSeconds float64 `json:"estimated_seconds"`
}

// PlanSummary sums the run.
type PlanSummary struct {
	Expected         int                     `json:"expected"`
	Present          int                     `json:"present"`
	Completeness     float64                 `json:"completeness"`
	Estimated        bool                    `json:"estimated"`
	SchedulesMissing []string                `json:"schedules_missing"`
	Gaps             int                     `json:"gaps"`
	Blocked          int                     `json:"blocked_gaps"`
	Tasks            int                     `json:"tasks"`
	TasksNew         int                     `json:"tasks_new"`
	TasksMerged      int                     `json:"tasks_merged"`
	Queued           bool                    `json:"queued"`
	EstimatedSeconds float64                 `json:"estimated_seconds"`
	ByPriority       map[string]PlanPriority `json:"by_priority"`
	BySource         map[string]int          `json:"by_source"` // tasks
	ByKind           map[string]int          `json:"by_gap_kind"`
}

// PlanLayout is the lake's key layout and how it was chosen.
type PlanLayout struct {
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
}

// PlanNotData counts the keys of one prefix that are not data.
type PlanNotData struct {
	Prefix  string `json:"prefix"`
	Objects int64  `json:"objects"`
	Bytes   int64  `json:"bytes"`
	Reason  string `json:"reason"`
}

// PlanCopies counts items held under several keys (CopyStats).
type PlanCopies struct {
	Items          int64            `json:"items"`
	Copies         int64            `json:"copies"`
	Identical      int64            `json:"identical"`
	SizeOnly       int64            `json:"identical_by_size_only"`
	Different      int64            `json:"different"`
	RedundantBytes int64            `json:"redundant_bytes"`
	ByPrefixes     map[string]int64 `json:"by_prefixes"`
	Examples       []PlanCopy       `json:"examples"`
}

// PlanCopy is one item found under two keys.
type PlanCopy struct {
	Key       string `json:"key"`
	Copy      string `json:"copy"`
	Identical bool   `json:"identical"`
}

// PlanUnknown lists keys in no known layout.
type PlanUnknown struct {
	Count    int64        `json:"count"`
	Examples []UnknownKey `json:"examples"`
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// BuildPlan assembles the gaps.json document of a run.
func BuildPlan(rep *Report) *PlanDoc {
	d := &PlanDoc{
		Version: PlanVersion, GeneratedAt: rep.StartedAt.Format(time.RFC3339), RunID: rep.RunID, DryRun: rep.DryRun,
		Expectations: rep.Expectations, Current: rep.Current.String(), Timing: rep.Timing, Attempts: rep.Attempts, PeakRSSBytes: rep.PeakRSS,
		Warnings: rep.Warnings, Coverage: []*Cell{}, Gaps: []Gap{}, Tasks: []Task{},
	}
	for _, s := range rep.Seasons {
		d.Seasons = append(d.Seasons, s.String())
	}
	if s := rep.Scan; s != nil {
		d.Lake = s.Lake
		d.Scan = PlanScan{Mode: s.Mode, SampleRate: s.SampleRate, FromCache: s.FromCache, Lister: s.Lister, ScannedAt: s.StartedAt.Format(time.RFC3339),
			DurationSeconds: round4(s.Duration.Seconds()), Prefixes: s.Prefixes, Listed: s.Listed, Kept: s.Kept, Bytes: s.Bytes, History: s.History}
		d.UnknownKeys = PlanUnknown{Count: s.UnknownCount, Examples: s.Unknown}
		d.Layout = PlanLayout{Name: s.Layout, Reason: s.LayoutReason}
		for _, p := range sortedKeys(s.NotData) {
			n := s.NotData[p]
			d.NotData = append(d.NotData, PlanNotData{Prefix: p, Objects: n.Count, Bytes: n.Bytes, Reason: n.Reason})
		}
		c := s.Copies
		d.Copies = PlanCopies{Items: c.Items, Copies: c.Copies, Identical: c.Identical, SizeOnly: c.SizeOnly, Different: c.Different,
			RedundantBytes: c.RedundantBytes, ByPrefixes: c.ByPrefixes, Examples: []PlanCopy{}}
		if d.Copies.ByPrefixes == nil {
			d.Copies.ByPrefixes = map[string]int64{}
		}
		for _, e := range c.Examples {
			d.Copies.Examples = append(d.Copies.Examples, PlanCopy(e))
		}
		if d.UnknownKeys.Examples == nil {
			d.UnknownKeys.Examples = []UnknownKey{}
		}
	}
	if d.NotData == nil {
		d.NotData = []PlanNotData{}
	}
	if rep.Plan != nil {
		d.NotFetchable = rep.Plan.NotFetchable
	}
	sum := PlanSummary{ByPriority: map[string]PlanPriority{}, BySource: map[string]int{}, ByKind: map[string]int{}}
	for _, p := range Priorities {
		sum.ByPriority[p.Lower()] = PlanPriority{}
	}
	if a := rep.Analysis; a != nil {
		for _, c := range a.Cells {
			cc := *c
			cc.Completeness = round4(c.Completeness)
			d.Coverage = append(d.Coverage, &cc)
		}
		sum.Expected, sum.Present, sum.Completeness, sum.Estimated = a.Expected, a.Present, round4(a.Completeness), a.Estimated
		sum.SchedulesMissing = a.SchedulesMissing
	}
	if sum.SchedulesMissing == nil {
		sum.SchedulesMissing = []string{}
	}
	for _, g := range rep.Gaps {
		gg := g
		if len(gg.Keys) > maxGapKeys {
			gg.Keys = gg.Keys[:maxGapKeys]
		}
		gg.Completeness = round4(g.Completeness)
		d.Gaps = append(d.Gaps, gg)
		pp := sum.ByPriority[g.Priority.Lower()]
		pp.Gaps++
		sum.ByPriority[g.Priority.Lower()] = pp
		sum.ByKind[string(g.Kind)]++
	}
	sum.Gaps = len(rep.Gaps)
	if p := rep.Plan; p != nil {
		d.Tasks = p.Tasks
		sum.Tasks, sum.Blocked = len(p.Tasks), p.Blocked
		for _, t := range p.Tasks {
			pp := sum.ByPriority[t.Priority.Lower()]
			pp.Tasks++
			pp.EstimatedSeconds = math.Round((pp.EstimatedSeconds+t.EstSeconds)*10) / 10
			sum.ByPriority[t.Priority.Lower()] = pp
			sum.BySource[t.Source]++
		}
		for _, pr := range Priorities {
			pp := sum.ByPriority[pr.Lower()]
			pp.Deferred, pp.Cap = p.Deferred[pr], p.Caps[pr]
			sum.ByPriority[pr.Lower()] = pp
		}
		sum.EstimatedSeconds = math.Round(p.EstimatedSeconds()*10) / 10
	}
	sum.TasksNew, sum.TasksMerged, sum.Queued = rep.Inserted, rep.Merged, rep.Queued
	d.Summary = sum
	if rep.HeatmapSVG != "" {
		d.Heatmap = map[string]string{"svg": rep.HeatmapSVG, "png": rep.HeatmapPNG}
	}
	return d
}

// PlanJSON renders the gaps.json document, indented.
func PlanJSON(rep *Report) ([]byte, error) {
	b, err := json.MarshalIndent(BuildPlan(rep), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
