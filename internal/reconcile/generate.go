package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/layout"
)

// Task kinds (the River job kind the worker loop consumes).
const (
	TaskFetch = "fetch" // fetch (or refetch) the keys from the source
	TaskLoad  = "load"  // the objects are in the lake: load them into the store
)

// Task is one unit of work that closes a gap.
type Task struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Gap        GapKind  `json:"gap"`
	Priority   Priority `json:"priority"`
	Source     string   `json:"source"`
	Dataset    string   `json:"dataset"`
	Season     string   `json:"season"`
	Keys       []string `json:"keys,omitempty"`
	Count      int      `json:"count"`    // objects the task covers
	Requests   int      `json:"requests"` // HTTP requests it needs (estimate)
	EstSeconds float64  `json:"estimated_seconds"`
	Reason     string   `json:"reason"`
	// From is the legacy bucket an import task copies from (redacted).
	From string `json:"from,omitempty"`
}

// TaskID is the stable id of a task: a hash of source, dataset, key and
// kind, so that a rerun finds the same ids and merges instead of duplicating.
// Batched tasks use "season:<season>" as their key.
func TaskID(source, dataset, key string, kind GapKind) string {
	h := sha256.New()
	for _, s := range []string{source, dataset, key, string(kind)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "t_" + hex.EncodeToString(h.Sum(nil)[:12])
}

// DefaultCaps bound the tasks queued per priority in one run: a run plans
// the next hours of work (at 0.5 to 2 requests a second per source), the
// rest is counted as deferred and planned by later runs.
var DefaultCaps = map[Priority]int{Critical: 5000, High: 2000, Medium: 1000, Low: 500}

// GenerateOptions configures Generate.
type GenerateOptions struct {
	Sources map[string]config.Source
	Caps    map[string]int // per priority name (critical or CRITICAL); <= 0 keeps the default
	// Skip holds keys not to plan (failed permanently, see Runner.Unavailable).
	Skip map[string]bool
}

// Plan is the generated work.
type Plan struct {
	Tasks    []Task
	Deferred map[Priority]int // tasks beyond the caps
	Caps     map[Priority]int
	Blocked  int // gaps without tasks until their season's schedule is loaded
	// NotFetchable counts missing objects of datasets no collector fetches
	// (adopted from a legacy bucket only), per source/dataset.
	NotFetchable map[string]int
	// Unavailable counts the keys not planned because GenerateOptions.Skip
	// holds them.
	Unavailable int
}

func rateOf(opts GenerateOptions, source string) float64 {
	if s, ok := opts.Sources[source]; ok && s.Rate > 0 {
		return s.Rate
	}
	// the rates live in config only: its defaults when opts has none
	if s, ok := config.Default().Sources[source]; ok && s.Rate > 0 {
		return s.Rate
	}
	return 1
}

// batched reports whether a source fetches a whole season's items of a
// dataset in one task: per-season datasets (game logs, schedules).
func batched(source, dataset string) bool {
	d, ok := layout.Lookup(source, dataset)
	return ok && (d.Per == layout.PerSeason || d.Per == layout.PerMonth)
}

// Generate turns gaps into tasks: one per (source, dataset, key), or one per
// season for datasets fetched a season at a time and for gaps whose keys
// cannot be named; capped per priority.
func Generate(gaps []Gap, exp *Expectations, opts GenerateOptions) *Plan {
	caps := map[Priority]int{}
	for p, n := range DefaultCaps {
		caps[p] = n
	}
	for name, n := range opts.Caps {
		for _, p := range Priorities {
			if strings.EqualFold(name, p.String()) && n > 0 {
				caps[p] = n
			}
		}
	}
	plan := &Plan{Deferred: map[Priority]int{}, Caps: caps}
	count := map[Priority]int{}
	seen := map[string]bool{}
	add := func(t Task) {
		if seen[t.ID] {
			return
		}
		if len(t.Keys) > 0 && len(opts.Skip) > 0 {
			keep := t.Keys[:0:0]
			for _, k := range t.Keys {
				if opts.Skip[k] {
					plan.Unavailable++
				} else {
					keep = append(keep, k)
				}
			}
			if len(keep) == 0 {
				return
			}
			if len(keep) < len(t.Keys) {
				t.Keys, t.Count = keep, len(keep)
				if t.Requests > 0 {
					t.Requests = len(keep)
				}
			}
		}
		seen[t.ID] = true
		if count[t.Priority] >= caps[t.Priority] {
			plan.Deferred[t.Priority]++
			return
		}
		count[t.Priority]++
		t.EstSeconds = math.Round(float64(t.Requests)/rateOf(opts, t.Source)*10) / 10
		plan.Tasks = append(plan.Tasks, t)
	}
	for _, g := range gaps {
		if g.Blocked != "" {
			plan.Blocked++
			continue
		}
		switch g.Kind {
		case GapScheduleMissing:
			src, ds := exp.Schedule.Source, exp.Schedule.Dataset
			t := Task{ID: TaskID(src, ds, "season:"+g.Season, g.Kind), Kind: TaskFetch, Gap: g.Kind, Priority: g.Priority,
				Source: src, Dataset: ds, Season: g.Season, Reason: g.Reason}
			if strings.Contains(g.Reason, "not loaded") {
				t.Kind = TaskLoad
			}
			d, _ := layout.Lookup(src, ds)
			for _, it := range exp.Schedule.Items {
				t.Keys = append(t.Keys, Key(d, g.Season, it))
			}
			t.Count, t.Requests = len(t.Keys), len(t.Keys)
			if t.Kind == TaskLoad {
				t.Requests = 0
			}
			add(t)
		case GapUnknownKeys:
			add(Task{ID: TaskID(g.Source, g.Dataset, "season:"+g.Season, g.Kind), Kind: TaskFetch, Gap: g.Kind, Priority: g.Priority,
				Source: g.Source, Dataset: g.Dataset, Season: g.Season, Count: g.Count, Requests: g.Count, Reason: g.Reason})
		default:
			if batched(g.Source, g.Dataset) {
				t := Task{ID: TaskID(g.Source, g.Dataset, "season:"+g.Season, g.Kind), Kind: TaskFetch, Gap: g.Kind, Priority: g.Priority,
					Source: g.Source, Dataset: g.Dataset, Season: g.Season, Reason: g.Reason}
				for _, k := range g.Keys {
					t.Keys = append(t.Keys, k.Key)
				}
				t.Count, t.Requests = len(t.Keys), len(t.Keys)
				add(t)
				continue
			}
			for _, k := range g.Keys {
				reason := string(g.Kind)
				if k.Reason != "" {
					reason += ": " + k.Reason
				}
				if k.GameDate != "" {
					reason += " (game of " + k.GameDate + ")"
				}
				add(Task{ID: TaskID(g.Source, g.Dataset, k.Key, g.Kind), Kind: TaskFetch, Gap: g.Kind, Priority: g.Priority,
					Source: g.Source, Dataset: g.Dataset, Season: g.Season, Keys: []string{k.Key}, Count: 1, Requests: 1, Reason: reason})
			}
		}
	}
	sort.SliceStable(plan.Tasks, func(i, j int) bool { return plan.Tasks[i].Priority < plan.Tasks[j].Priority })
	return plan
}

// EstimatedSeconds sums the tasks' estimates.
func (p *Plan) EstimatedSeconds() float64 {
	s := 0.0
	for _, t := range p.Tasks {
		s += t.EstSeconds
	}
	return s
}
