package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/testutil"
)

// TestBenchCommand runs `nbasim bench` through the built binary at tiny
// sizes: JSON on stdout, exit codes for failures and unknown scenarios.
func TestBenchCommand(t *testing.T) {
	bin := boxBinary(t)
	tmp := t.TempDir()
	out, errOut, code := runBox(t, bin, "bench", "box-at", "lake", "reconcile", "--json", "--synthetic-games", "3", "--queries", "50",
		"--lake-objects", "5", "--objects", "1500", "--tmp", tmp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Results []struct {
			Scenario, Case string
			Synthetic      bool
			Items          int64
			PerSecond      float64 `json:"per_second"`
			Latency        *struct {
				N int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	var names []string
	for _, r := range rep.Results {
		names = append(names, r.Scenario+"/"+r.Case)
		if r.Items <= 0 || r.PerSecond <= 0 {
			t.Errorf("%s/%s: items %d per second %v", r.Scenario, r.Case, r.Items, r.PerSecond)
		}
	}
	if got := strings.Join(names, ","); got != "box-at/,lake/write,lake/list,reconcile/" {
		t.Fatalf("results %s", got)
	}
	if !rep.Results[0].Synthetic || rep.Results[0].Latency == nil || rep.Results[0].Latency.N != 50 {
		t.Errorf("box-at without data: %+v", rep.Results[0])
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("temporary folders left: %v", ents)
	}

	// box-cli, end to end: this binary's `nbasim box` on a loaded store
	out, errOut, code = runBox(t, bin, "bench", "box-cli", "--json", "--data", testutil.RealDataDir(t), "--games", "4",
		"--processes", "2", "--tmp", tmp)
	if code != 0 {
		t.Fatalf("box-cli: exit %d: %s", code, errOut)
	}
	rep.Results = nil
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Results) != 1 || rep.Results[0].Scenario != "box-cli" ||
		rep.Results[0].Items != 2 || rep.Results[0].Latency == nil || rep.Results[0].Latency.N != 2 {
		t.Errorf("box-cli: %v %+v", err, rep.Results)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("temporary folders left after box-cli: %v", ents)
	}

	// the summary table
	out, errOut, code = runBox(t, bin, "bench", "lake", "--lake-objects", "5", "--tmp", tmp)
	if code != 0 || !strings.Contains(out, "lake/write") || !strings.Contains(out, "TOTAL") {
		t.Errorf("table: exit %d\n%s\n%s", code, out, errOut)
	}
	// a named scenario without its input fails; an unknown one too
	if _, errOut, code = runBox(t, bin, "bench", "parse", "--data", tmp); code == 0 || !strings.Contains(errOut, "failed") {
		t.Errorf("parse without data: exit %d: %s", code, errOut)
	}
	if _, errOut, code = runBox(t, bin, "bench", "nope"); code == 0 || !strings.Contains(errOut, `"nope"`) {
		t.Errorf("unknown scenario: exit %d: %s", code, errOut)
	}
}
