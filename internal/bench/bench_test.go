package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/testutil"
)

// tiny sizes every scenario so that the whole run takes seconds.
func tiny(t *testing.T) Options {
	return Options{Games: 6, SyntheticGames: 4, Passes: 2, Queries: 300, Objects: 3000, LakeObjects: 40, Processes: 3, TempDir: t.TempDir()}
}

// checkShape asserts what every measured result carries, not timings.
func checkShape(t *testing.T, r Result) {
	t.Helper()
	if r.Error != "" || r.Skipped != "" {
		t.Fatalf("%s: error %q, skipped %q", r.Name(), r.Error, r.Skipped)
	}
	if r.Items <= 0 || r.Unit == "" || r.Input == "" {
		t.Errorf("%s: items %d unit %q input %q", r.Name(), r.Items, r.Unit, r.Input)
	}
	if r.Wall <= 0 || r.Throughput() <= 0 {
		t.Errorf("%s: wall %v throughput %v", r.Name(), r.Wall, r.Throughput())
	}
	if r.PeakRSS == 0 || r.PeakHeap == 0 {
		t.Errorf("%s: peak RSS %d heap %d", r.Name(), r.PeakRSS, r.PeakHeap)
	}
	if len(r.Timing.Steps) == 0 || r.Timing.Total < r.Wall {
		t.Errorf("%s: timing %+v (total below the measured wall %v)", r.Name(), r.Timing, r.Wall)
	}
	for _, s := range r.Timing.Steps {
		if s.Err != "" || s.Running {
			t.Errorf("%s: step %s err %q running %v", r.Name(), s.Name, s.Err, s.Running)
		}
	}
	var buf bytes.Buffer
	if err := r.WriteBreakdown(&buf); err != nil || !strings.Contains(buf.String(), "TOTAL") {
		t.Errorf("%s: breakdown %q, %v", r.Name(), buf.String(), err)
	}
}

func byName(rep *Report) map[string]Result {
	m := map[string]Result{}
	for _, r := range rep.Results {
		m[r.Name()] = r
	}
	return m
}

// recProgress records the progress calls (not safe for concurrent use,
// so that -race catches unserialized calls).
type recProgress struct {
	labels []string
	sets   int
	open   bool
}

func (p *recProgress) Begin(label string, _ int64) { p.labels = append(p.labels, label); p.open = true }
func (p *recProgress) Set(int64)                   { p.sets++ }
func (p *recProgress) End()                        { p.open = false }

// TestRunSynthetic runs every scenario without the real data: fold and
// box-at on synthetic games, parse and load skipped, lake and reconcile.
func TestRunSynthetic(t *testing.T) {
	t.Parallel()
	opt := tiny(t)
	var seen []string
	opt.Report = func(r Result) { seen = append(seen, r.Name()) }
	prog := &recProgress{}
	opt.Progress = prog
	rep, err := Run(context.Background(), nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(prog.labels, ","); got != "compile,fold,box-at,lake write,reconcile scan" || prog.sets == 0 || prog.open {
		t.Errorf("progress phases %s, %d updates, open at the end %v", got, prog.sets, prog.open)
	}
	want := []string{"box-cli", "fold", "box-at", "parse", "load", "lake/write", "lake/list", "reconcile"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Fatalf("results %v, want %v", seen, want)
	}
	res := byName(rep)
	for _, n := range []string{"fold", "box-at", "lake/write", "lake/list", "reconcile"} {
		checkShape(t, res[n])
	}
	for _, n := range []string{"box-cli", "parse", "load"} {
		if res[n].Skipped == "" || res[n].Error != "" {
			t.Errorf("%s without data: skipped %q error %q", n, res[n].Skipped, res[n].Error)
		}
	}
	if rep.Failed() {
		t.Error("report failed")
	}
	fold := res["fold"]
	if !fold.Synthetic || !strings.Contains(fold.Input, "synthetic") {
		t.Errorf("fold input %q synthetic %v", fold.Input, fold.Synthetic)
	}
	// 4 games, 2 passes: the events of two whole passes
	var perPass float64
	for _, m := range fold.Metrics {
		if m.Name == "events per pass" {
			perPass = m.Value
		}
	}
	if perPass < 4*300 || float64(fold.Items) != 2*perPass {
		t.Errorf("fold items %d, events per pass %v", fold.Items, perPass)
	}
	l := res["box-at"].Latency
	if l == nil || l.N != 300 || l.P50 <= 0 || l.P50 > l.P99 || l.P99 > l.Max {
		t.Errorf("box-at latency %+v", l)
	}
	if res["lake/write"].Items != 40 || res["lake/list"].Items != 40 {
		t.Errorf("lake items %d/%d", res["lake/write"].Items, res["lake/list"].Items)
	}
	rc := res["reconcile"]
	if rc.Items < 2900 || rc.Detail == nil || len(rc.Detail.Steps) < 4 {
		t.Errorf("reconcile listed %d, detail %+v", rc.Items, rc.Detail)
	}

	var tab bytes.Buffer
	if err := rep.WriteTable(&tab); err != nil {
		t.Fatal(err)
	}
	for _, n := range want {
		if !strings.Contains(tab.String(), n) {
			t.Errorf("table lacks %s:\n%s", n, tab.String())
		}
	}
	if !strings.Contains(tab.String(), EngineOnlyNote) {
		t.Errorf("table does not say its figures are engine-only:\n%s", tab.String())
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Host    map[string]any
		Results []map[string]any
	}
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Results) != len(want) || j.Host["cpus"] == nil {
		t.Fatalf("json %s", b)
	}
	for _, r := range j.Results {
		if r["skipped"] != nil {
			continue
		}
		for _, k := range []string{"per_second", "wall_seconds", "cpu_seconds", "peak_rss_bytes", "timing"} {
			if r[k] == nil {
				t.Errorf("json result %v lacks %s", r["scenario"], k)
			}
		}
	}
	if i := slices.Index(want, "box-at"); j.Results[i]["latency"] == nil {
		t.Errorf("box-at json lacks latency: %v", j.Results[i])
	}
	if j.Results[0]["scenario"] != "box-cli" {
		t.Errorf("the end-to-end scenario is not first: %v", j.Results[0]["scenario"])
	}
	// nothing left behind in the temp folder
	if ents, _ := os.ReadDir(opt.TempDir); len(ents) != 0 {
		t.Errorf("temporary folders left: %v", ents)
	}
}

// TestRunRealData runs every scenario on a few games of the real archive.
func TestRunRealData(t *testing.T) {
	t.Parallel()
	opt := tiny(t)
	opt.DataDir = testutil.RealDataDir(t)
	opt.Binary = buildNBASim(t) // box-cli runs it
	rep, err := Run(context.Background(), nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	res := byName(rep)
	for _, r := range rep.Results {
		checkShape(t, r)
	}
	if b := res["box-cli"]; b.Items != 3 || b.Latency == nil || b.Latency.N != 3 || b.Latency.P50 > b.Latency.Max || !strings.Contains(b.Input, "6 games") {
		t.Errorf("box-cli: items %d latency %+v input %q", b.Items, b.Latency, b.Input)
	}
	if f := res["fold"]; f.Synthetic || !strings.Contains(f.Input, "2018-19 season, 6 games") {
		t.Errorf("fold input %q", f.Input)
	}
	if p, l := res["parse"], res["load"]; p.Items < 6*300 || l.Items != p.Items {
		t.Errorf("parse events %d, load events %d (want the same, > 1800)", p.Items, l.Items)
	}
}

// TestLoadPostgres loads into a temporary schema and drops it after.
func TestLoadPostgres(t *testing.T) {
	t.Parallel()
	opt := tiny(t)
	opt.DataDir = testutil.RealDataDir(t)
	opt.DatabaseURL = testutil.PostgresURL(t)
	rep, err := Run(context.Background(), []string{"load"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	checkShape(t, r)
	if !strings.HasPrefix(r.Target, "postgres (temporary schema nbasim_bench_") {
		t.Fatalf("target %q", r.Target)
	}
	schema := strings.TrimSuffix(strings.TrimPrefix(r.Target, "postgres (temporary schema "), ")")
	st, _, cleanup, err := (&env{opt: Options{DatabaseURL: opt.DatabaseURL}}).openStore(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	var n int
	if err := st.QueryRow(context.Background(), "SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1", schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("schema %s still exists after the run", schema)
	}
}

// TestRunErrors: unknown names fail; a named scenario without its input fails.
func TestRunErrors(t *testing.T) {
	t.Parallel()
	if _, err := Run(context.Background(), []string{"fold", "nope"}, tiny(t)); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown scenario: %v", err)
	}
	opt := tiny(t)
	opt.DataDir = t.TempDir() // no archive there
	rep, err := Run(context.Background(), []string{"parse"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Failed() || !strings.Contains(rep.Results[0].Error, "needs the real data") {
		t.Errorf("parse without data: %+v", rep.Results)
	}
}

// TestLakeTarget benchmarks a given lake besides the temporary one, under
// a fresh prefix whose objects are deleted after.
func TestLakeTarget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"file", func(t *testing.T) string { return "file://" + t.TempDir() }},
		{"s3", func(t *testing.T) string { return testutil.S3URL(t) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opt := tiny(t)
			opt.LakeURL = tc.url(t)
			rep, err := Run(context.Background(), []string{"lake"}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != 4 {
				t.Fatalf("results %+v", rep.Results)
			}
			for _, r := range rep.Results {
				checkShape(t, r)
				if r.Items != 40 {
					t.Errorf("%s [%s]: %d objects", r.Name(), r.Target, r.Items)
				}
			}
			if rep.Results[2].Target == rep.Results[0].Target {
				t.Errorf("second target %q", rep.Results[2].Target)
			}
			// nothing left under the lake
			lk, err := lake.Open(context.Background(), opt.LakeURL, "")
			if err != nil {
				t.Fatal(err)
			}
			defer lk.Close()
			var left []string
			if err := lk.Walk(context.Background(), "", func(o lake.Object) error {
				if strings.HasPrefix(o.Key, "nbasim-bench-") {
					left = append(left, o.Key)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(left) > 0 {
				t.Errorf("%d objects left, first %s", len(left), left[0])
			}
		})
	}
}

// buildNBASim builds the nbasim command into a temporary folder.
func buildNBASim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nbasim")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/nbasim/nbasim/cmd/nbasim").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/nbasim: %v\n%s", err, out)
	}
	return bin
}
