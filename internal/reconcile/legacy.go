package reconcile

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
)

// Reconciling a bucket in another layout (an nba_simulator bucket read in
// place): the keys are mapped to nbasim keys by a layout.Profile, coverage
// is computed against expectations_nba_simulator.yaml, and every object
// present is planned as an import task (copy it into nbasim's lake) rather
// than a fetch.

//go:embed expectations_nba_simulator.yaml
var legacyExpectations []byte

// Named expectation sets that reconcile.expectations may name instead of a
// path: "nbasim" (the embedded default) and "nba_simulator" (what the
// Python system's bucket holds).
const (
	ExpectationsNBASim       = "nbasim"
	ExpectationsNBASimulator = "nba_simulator"
	// ExpectationsCatalog is the nbasim set with every endpoint of the
	// catalog expected from its scope (catalog: [all]).
	ExpectationsCatalog = "catalog"
)

// ExpectationsFor returns the expectation set for a lake read with profile
// p when reconcile.expectations names none: the nba_simulator set for a
// legacy bucket, else nbasim's.
func ExpectationsFor(setting string, p *layout.Profile) string {
	if setting == "" && p != nil && p.Name() == layout.LayoutNBASimulator {
		return ExpectationsNBASimulator
	}
	return setting
}

var errEnough = errors.New("enough keys sampled")

// DetectSample is how many keys auto detection reads under each top-level
// prefix.
const DetectSample = 5

// ResolveProfile returns the layout profile for setting (lake.layout:
// nbasim, nba_simulator or auto) and why. With auto, a few keys under each
// top-level prefix are listed (DetectSample, one small page each) and
// layout.Detect chooses.
func ResolveProfile(ctx context.Context, l Lister, setting string) (*layout.Profile, string, error) {
	if setting != layout.LayoutAuto {
		p, err := layout.ProfileNamed(setting)
		if err != nil {
			return nil, "", Permanent(err)
		}
		return p, "lake.layout: " + p.Name(), nil
	}
	if l == nil {
		return layout.NBASim, "lake.layout auto: no lister, nbasim's layout", nil
	}
	if ll, ok := l.(*lake.Lake); ok && !ll.Folder() {
		l = ll.PagedBy(DetectSample)
	}
	dirs, objs, err := l.ListDirs(ctx, "")
	if err != nil {
		return nil, "", fmt.Errorf("layout detection: %w", err)
	}
	var (
		mu   sync.Mutex
		keys []string
		wg   sync.WaitGroup
		errs []error
	)
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	for _, d := range dirs {
		if d == lake.HistoryPrefix || d == healthPrefix {
			continue
		}
		wg.Add(1)
		go func(d string) {
			defer wg.Done()
			var got []string
			err := l.Scan(ctx, d, func(o Object) error {
				got = append(got, o.Key)
				if len(got) >= DetectSample {
					return errEnough
				}
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil && !errors.Is(err, errEnough) {
				errs = append(errs, err)
			}
			keys = append(keys, got...)
		}(d)
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, "", fmt.Errorf("layout detection: %w", errs[0])
	}
	d := layout.Detect(keys)
	return d.Profile, d.Reason, nil
}

// SeasonsInScan returns the seasons the scan holds objects of, sorted.
func SeasonsInScan(scan *ScanResult) []layout.Season {
	seen := map[layout.Season]bool{}
	for _, g := range scan.Groups {
		if s, err := layout.ParseSeason(g.Season); err == nil {
			seen[s] = true
		}
	}
	out := make([]layout.Season, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// GapAdopt is the gap an import task closes: the object is in the legacy
// bucket under an nba_simulator name, not yet in nbasim's lake.
const GapAdopt GapKind = "adopt"

// TaskImport copies objects from the legacy bucket into nbasim's lake.
const TaskImport = "import"

// importBatch is the most legacy keys one import task carries.
const importBatch = 500

// ImportTasks plans the import of every data object of a scan read through
// a non-native profile: one task per source × dataset × season (split into
// batches of importBatch keys), listing the legacy keys to import. Import
// tasks cost no source requests and are not capped.
// from names the bucket for the worker: its URL (credentials redacted;
// they come from the environment) and "#prefix" when the lake has one.
func ImportTasks(scan *ScanResult, from string) []Task {
	gks := make([]string, 0, len(scan.Groups))
	for gk, g := range scan.Groups {
		if len(g.Origins) > 0 {
			gks = append(gks, gk)
		}
	}
	sort.Strings(gks)
	var out []Task
	for _, gk := range gks {
		g := scan.Groups[gk]
		keys := make([]string, 0, len(g.Origins))
		for _, k := range g.Origins {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i := 0; i < len(keys); i += importBatch {
			batch := keys[i:min(i+importBatch, len(keys))]
			id := TaskID(g.Source, g.Dataset, fmt.Sprintf("import:%s:%d", g.Season, i/importBatch), GapAdopt)
			out = append(out, Task{ID: id, Kind: TaskImport, Gap: GapAdopt, Priority: High, Source: g.Source, Dataset: g.Dataset,
				Season: g.Season, Keys: batch, Count: len(batch), From: from,
				Reason: fmt.Sprintf("%d object(s) of %s %s are in the legacy bucket: import them (no fetch)", len(batch), g.Dataset, g.Season)})
		}
	}
	return out
}

// fetchAs maps an adopted dataset to the dataset nbasim fetches for it:
// ESPN's web pages (play-by-play, box score, matchup tabs) are all in one
// API summary, its web schedule in the scoreboard. ok is false when no
// collector fetches anything like it.
func fetchAs(source, dataset string) (string, bool) {
	d, ok := layout.Lookup(source, dataset)
	if !ok {
		return "", false
	}
	if !d.Adopted {
		return dataset, true
	}
	switch source + "/" + dataset {
	case "espn/playbyplay", "espn/boxscore", "espn/matchup":
		return "summary", true
	case "espn/schedule":
		return "scoreboard", true
	}
	return "", false
}

// Retarget rewrites the fetch tasks of a legacy plan to what nbasim's
// collectors fetch (fetchAs): three ESPN page gaps of one game become one
// summary fetch. Tasks for datasets no collector fetches are dropped and
// counted in NotFetchable (the legacy bucket is their only source).
func (p *Plan) Retarget() {
	seen := map[string]bool{}
	out := p.Tasks[:0]
	for _, t := range p.Tasks {
		if t.Kind != TaskFetch {
			out = append(out, t)
			continue
		}
		ds, ok := fetchAs(t.Source, t.Dataset)
		if !ok {
			if p.NotFetchable == nil {
				p.NotFetchable = map[string]int{}
			}
			p.NotFetchable[t.Source+"/"+t.Dataset] += max(t.Count, 1)
			continue
		}
		if ds != t.Dataset {
			for i, k := range t.Keys {
				t.Keys[i] = strings.Replace(k, t.Source+"/"+t.Dataset+"/", t.Source+"/"+ds+"/", 1)
			}
			key := "season:" + t.Season
			if len(t.Keys) == 1 {
				key = t.Keys[0]
			}
			t.ID = TaskID(t.Source, ds, key, t.Gap)
			t.Reason = t.Dataset + " " + t.Reason
			t.Dataset = ds
		}
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		out = append(out, t)
	}
	p.Tasks = out
}
