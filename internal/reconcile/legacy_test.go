package reconcile

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/synth"
)

// TestScanLegacyBucket: a synthetic nba_simulator bucket, scanned through
// its profile: every key classified (no unknown), not-data counted by
// prefix, the copies under older names found by size and ETag, and every
// data object planned as an import task.
func TestScanLegacyBucket(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	objs, _, err := synth.PlanLegacy(synth.Options{Objects: 3000})
	if err != nil {
		t.Fatal(err)
	}
	l, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := synth.WriteLake(ctx, l, "", objs, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	// what the scan must find, from the plan itself
	notData := map[string]int64{}
	items := map[string][]string{} // nbasim key -> bodies
	for _, o := range objs {
		k, _, err := layout.NBASimulator.Map(o.Key)
		var nd *layout.NotDataError
		if errors.As(err, &nd) {
			notData[nd.Prefix]++
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", o.Key, err)
		}
		items[k.String()] = append(items[k.String()], string(o.Body))
	}
	var copies, identical, different int64
	for _, bodies := range items {
		for _, b := range bodies[1:] {
			copies++
			if b == bodies[0] { // the object under the current name comes first in the plan
				identical++
			} else {
				different++
			}
		}
	}
	if copies == 0 || different == 0 {
		t.Fatalf("synthetic bucket has %d copies, %d different: want both", copies, different)
	}

	for _, lister := range []Lister{l} {
		prof, why, err := ResolveProfile(ctx, lister, layout.LayoutAuto)
		if err != nil || prof != layout.NBASimulator || !strings.Contains(why, "chose nba_simulator") {
			t.Fatalf("ResolveProfile = %v, %q, %v", prof, why, err)
		}
		res, err := Scan(ctx, lister, ScanOptions{Profile: prof})
		if err != nil {
			t.Fatal(err)
		}
		if res.Listed != int64(len(objs)) || res.UnknownCount != 0 {
			t.Fatalf("listed %d unknown %d (%v)", res.Listed, res.UnknownCount, res.Unknown)
		}
		for p, n := range notData {
			if res.NotData[p] == nil || res.NotData[p].Count != n || res.NotData[p].Reason == "" {
				t.Errorf("not data %s: %+v, want %d", p, res.NotData[p], n)
			}
		}
		if len(res.NotData) != len(notData) {
			t.Errorf("not-data prefixes %d, want %d", len(res.NotData), len(notData))
		}
		c := res.Copies
		if c.Copies != copies || c.Identical != identical || c.Different != different || c.SizeOnly != 0 || c.Items == 0 {
			t.Errorf("copies %+v; want %d copies (%d identical, %d different)", c, copies, identical, different)
		}
		tasks := ImportTasks(res, "mem://")
		n := 0
		for _, tk := range tasks {
			if tk.Kind != TaskImport || tk.Gap != GapAdopt || tk.Count != len(tk.Keys) || tk.Count > importBatch {
				t.Fatalf("task %+v", tk)
			}
			for _, k := range tk.Keys {
				if layout.LegacyRank(k) != 0 && strings.HasPrefix(k, "espn_") {
					t.Fatalf("import task names %s", k)
				}
			}
			n += tk.Count
		}
		if n != len(items) {
			t.Errorf("import tasks cover %d objects, want %d (one per nbasim key)", n, len(items))
		}
	}
}

// TestRetarget: ESPN page gaps become one summary fetch per game; gaps of
// datasets no collector fetches are counted, not planned.
func TestRetarget(t *testing.T) {
	t.Parallel()
	p := &Plan{Tasks: []Task{
		{ID: "a", Kind: TaskFetch, Gap: GapMissing, Source: "espn", Dataset: "playbyplay", Season: "2023-24", Keys: []string{"espn/playbyplay/2023-24/401585607.json"}, Count: 1},
		{ID: "b", Kind: TaskFetch, Gap: GapMissing, Source: "espn", Dataset: "boxscore", Season: "2023-24", Keys: []string{"espn/boxscore/2023-24/401585607.json"}, Count: 1},
		{ID: "c", Kind: TaskFetch, Gap: GapMissing, Source: "hoopr", Dataset: "bulk_pbp", Season: "2023-24", Keys: []string{"hoopr/bulk_pbp/2023-24/pbp.csv"}, Count: 1},
		{ID: "d", Kind: TaskImport, Gap: GapAdopt, Source: "hoopr", Dataset: "bulk_pbp", Season: "2022-23", Count: 1},
		{ID: "e", Kind: TaskFetch, Gap: GapMissing, Source: "nba_stats", Dataset: "playbyplayv2", Season: "2023-24", Keys: []string{"nba_stats/playbyplayv2/2023-24/0022300001.json"}, Count: 1},
	}}
	p.Retarget()
	if len(p.Tasks) != 3 {
		t.Fatalf("tasks %+v", p.Tasks)
	}
	if s := p.Tasks[0]; s.Dataset != "summary" || s.Keys[0] != "espn/summary/2023-24/401585607.json" || s.ID != TaskID("espn", "summary", s.Keys[0], GapMissing) {
		t.Errorf("retargeted %+v", s)
	}
	if p.NotFetchable["hoopr/bulk_pbp"] != 1 || p.Tasks[1].ID != "d" || p.Tasks[2].ID != "e" {
		t.Errorf("plan %+v", p)
	}
}
