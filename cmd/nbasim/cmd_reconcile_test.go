package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// reconcileBinary builds nbasim once per test into dir.
func reconcileBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nbasim")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runIn runs the binary in dir with a clean environment (no NBASIM_*
// variables, no config file): the embedded defaults of a fresh clone.
func runIn(t *testing.T, bin, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "NBASIM_") && !strings.HasPrefix(e, "AWS_") && !strings.HasPrefix(e, "S3_") && !strings.HasPrefix(e, "DATABASE_URL") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, "NBASIM_LOG_LEVEL=warn")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

type planFile struct {
	Version int `json:"version"`
	Seasons []string
	Summary struct {
		SchedulesMissing []string `json:"schedules_missing"`
		Tasks            int      `json:"tasks"`
		TasksNew         int      `json:"tasks_new"`
		TasksMerged      int      `json:"tasks_merged"`
	} `json:"summary"`
	Tasks []struct {
		ID     string   `json:"id"`
		Gap    string   `json:"gap"`
		Season string   `json:"season"`
		Keys   []string `json:"keys"`
	} `json:"tasks"`
}

func readPlan(t *testing.T, path string) planFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p planFile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// TestReconcileFreshClone: on a fresh clone with the embedded defaults,
// `nbasim reconcile` completes on the empty lake and plans exactly one
// schedule fetch per configured season; a rerun merges (same ids).
func TestReconcileFreshClone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := reconcileBinary(t)
	dir := t.TempDir()
	out, code := runIn(t, bin, dir, "reconcile")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"Pre-flight checks", "[Step 1/4] scan", "[Step 2/4] analyze", "[Step 3/4] detect", "[Step 4/4] generate",
		"Coverage (source × dataset × season", "Gaps by priority", "CRITICAL", "Timing and memory", "TOTAL", "peak resident memory"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	plan := readPlan(t, filepath.Join(dir, "data", "reports", "gaps.json"))
	if plan.Version != 1 || len(plan.Seasons) == 0 {
		t.Fatalf("plan version %d seasons %v", plan.Version, plan.Seasons)
	}
	if len(plan.Tasks) != len(plan.Seasons) {
		t.Fatalf("%d tasks for %d configured seasons %v: %+v", len(plan.Tasks), len(plan.Seasons), plan.Seasons, plan.Tasks)
	}
	var seasons, ids []string
	for _, tk := range plan.Tasks {
		if tk.Gap != "schedule_missing" || len(tk.Keys) == 0 {
			t.Errorf("task %+v is not a schedule fetch", tk)
		}
		seasons = append(seasons, tk.Season)
		ids = append(ids, tk.ID)
	}
	sort.Strings(seasons)
	sort.Strings(plan.Seasons)
	if strings.Join(seasons, ",") != strings.Join(plan.Seasons, ",") {
		t.Errorf("schedule tasks for %v, configured %v", seasons, plan.Seasons)
	}
	for _, f := range []string{"heatmap.svg", "heatmap.png"} {
		if _, err := os.Stat(filepath.Join(dir, "data", "reports", f)); err != nil {
			t.Error(err)
		}
	}

	// Rerun: same ids, merged, nothing new.
	out, code = runIn(t, bin, dir, "reconcile", "--use-cache")
	if code != 0 {
		t.Fatalf("rerun exit %d\n%s", code, out)
	}
	plan2 := readPlan(t, filepath.Join(dir, "data", "reports", "gaps.json"))
	var ids2 []string
	for _, tk := range plan2.Tasks {
		ids2 = append(ids2, tk.ID)
	}
	sort.Strings(ids)
	sort.Strings(ids2)
	if strings.Join(ids, ",") != strings.Join(ids2, ",") || plan2.Summary.TasksNew != 0 || plan2.Summary.TasksMerged != len(ids) {
		t.Errorf("rerun: ids %v vs %v, new %d merged %d", ids, ids2, plan2.Summary.TasksNew, plan2.Summary.TasksMerged)
	}

	// coverage: latest and the trend of both runs.
	out, code = runIn(t, bin, dir, "coverage")
	if code != 0 || !strings.Contains(out, "Trend (newest first)") || !strings.Contains(out, "nba_stats") {
		t.Fatalf("coverage exit %d\n%s", code, out)
	}
	out, _ = runIn(t, bin, dir, "coverage", "--json")
	var cov struct {
		Runs []map[string]any `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &cov); err != nil || len(cov.Runs) != 2 {
		t.Errorf("coverage --json: %v, %d runs\n%s", err, len(cov.Runs), out)
	}

	// --json: the plan on stdout.
	cmd := exec.Command(bin, "reconcile", "--json", "--dry-run")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NBASIM_LOG_LEVEL=warn")
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("--json: %v", err)
	}
	var doc planFile
	if err := json.Unmarshal(stdout, &doc); err != nil || doc.Version != 1 {
		t.Errorf("--json stdout is not the plan: %v\n%s", err, stdout)
	}
	checkJSONSchema(t, "reconcile", string(stdout))
}

func TestReconcileExitCodesAndDefects(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := reconcileBinary(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"reconcile", "--sample-rate", "2"}, 2},
		{[]string{"reconcile", "--steps", "scan,bogus"}, 2},
		{[]string{"reconcile", "--steps", "analyze"}, 1}, // no cached scan yet: the step fails
		{[]string{"reconcile", "--inventory", filepath.Join(dir, "missing-manifest.json")}, 1},
		{[]string{"reconcile", "--season", "2018-20"}, 2},
		{[]string{"reconcile", "--season", "2018-19,bogus"}, 2},
	} {
		out, code := runIn(t, bin, dir, tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, out)
		}
	}
	// A failed pre-flight check stops the run before the scan (exit 3),
	// with or without fail-fast, and names the check; nothing is planned.
	hdir := t.TempDir()
	os.WriteFile(filepath.Join(hdir, "blocker"), []byte("a file, not a directory"), 0o644)
	os.WriteFile(filepath.Join(hdir, "nbasim.yaml"), []byte("reconcile:\n  output_dir: ./blocker/reports\n"), 0o644)
	for _, args := range [][]string{{"reconcile", "--fail-fast"}, {"reconcile", "--dry-run"}, {"reconcile"}} {
		out, code := runIn(t, bin, hdir, args...)
		if code != 3 || !strings.Contains(out, "FAIL") || !strings.Contains(out, "pre-flight: failed: ") || !strings.Contains(out, "directories") ||
			!strings.Contains(out, "nothing was scanned or planned") || strings.Contains(out, "[Step 1/4] scan") {
			t.Errorf("%v with a failed pre-flight check: exit %d, want 3, the check named and no scan\n%s", args, code, out)
		}
	}
	if _, err := os.Stat(filepath.Join(hdir, "data", "cache")); err == nil {
		if caches, _ := filepath.Glob(filepath.Join(hdir, "data", "cache", "scan-*")); len(caches) > 0 {
			t.Errorf("a failed pre-flight check still scanned: %v", caches)
		}
	}
	// --season: only those seasons are reconciled
	sdir := t.TempDir()
	cmd := exec.Command(bin, "reconcile", "--dry-run", "--json", "--season", "2018-19", "--season", "2016-17,2018-19")
	cmd.Dir = sdir
	cmd.Env = append(os.Environ(), "NBASIM_LOG_LEVEL=warn")
	stdout, err := cmd.Output()
	var sp planFile
	if err != nil || json.Unmarshal(stdout, &sp) != nil || strings.Join(sp.Seasons, ",") != "2018-19,2016-17" && strings.Join(sp.Seasons, ",") != "2016-17,2018-19" {
		t.Errorf("--season 2018-19 --season 2016-17,2018-19: %v, seasons %v", err, sp.Seasons)
	}

	// A synthetic lake with zero-byte objects and keys in no layout.
	out, code := runIn(t, bin, dir, "synth", "lake", "--objects", "3000", "--zero-bytes", "3", "--truncated", "2", "--unknown", "4", "--newest", "2024-25")
	if code != 0 {
		t.Fatalf("synth: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "nbasim.yaml"), []byte("seasons: [\"2024-25\"]\n"), 0o644)
	// A corrupt cache file must be reported and ignored.
	caches, _ := filepath.Glob(filepath.Join(dir, "data", "cache", "scan-*.gob.gz"))
	for _, c := range caches {
		os.WriteFile(c, []byte("corrupt"), 0o644)
	}
	out, code = runIn(t, bin, dir, "reconcile", "--use-cache", "--verify")
	if code != 0 {
		t.Fatalf("reconcile: exit %d\n%s", code, out)
	}
	plan, err := os.ReadFile(filepath.Join(dir, "data", "reports", "gaps.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(plan), `"reason": "truncated JSON: ends with`); n != 2 {
		t.Errorf("gaps.json reports %d truncated objects, want 2", n)
	}
	if n := strings.Count(string(plan), `"reason": "zero bytes"`); n != 3 {
		t.Errorf("gaps.json reports %d zero-byte objects, want 3", n)
	}
	for _, want := range []string{"Unknown keys (no layout rule matches): 4", "zero bytes", "invalid", "misc/notes-"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if len(caches) > 0 && !strings.Contains(out, "corrupt") {
		t.Errorf("corrupt cache not reported\n%s", out)
	}
}
