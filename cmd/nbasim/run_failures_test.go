package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/runloop"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestRunPoisonAndExhausted runs `nbasim run --until-complete` on SQLite
// against the replay server (the season's first two dates) with one poison
// object (the play-by-play of 0021800003 answered with a body that passes
// the collector's checks and fails to parse, the same bytes each time) and
// one endpoint that never answers (the play-by-play of 0021800004). The run
// must exit 0 listing them with their classes: the poison object
// quarantined once and not fetched again after the fetch that found its
// bytes unchanged, the hanging key exhausted after run.max_attempts
// attempts whose last one hit the job's timeout, and neither planned again
// by the last reconciliation; 0021800002 (not in the archive) a permanent
// 404.
func TestRunPoisonAndExhausted(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	rs, err := replay.Load(data, replay.Options{Archives: true, ScheduleUntil: "2018-10-17"})
	if err != nil {
		t.Fatal(err)
	}
	const (
		poisonKey = "nba_stats/playbyplayv2/2018-19/0021800003.json"
		hangKey   = "nba_stats/playbyplayv2/2018-19/0021800004.json"
		goneKey   = "nba_stats/playbyplayv2/2018-19/0021800002.json"
	)
	// (the collectors send the query sorted)
	rs.Stick("/stats/playbyplayv2?EndPeriod=10&GameID=0021800003&", replay.FaultGarble)
	rs.Stick("/stats/playbyplayv2?EndPeriod=10&GameID=0021800004&", replay.FaultHang)
	rs.SetFaults(replay.Faults{HangFor: time.Minute})
	hs := httptest.NewServer(rs)
	t.Cleanup(hs.Close)
	e := newRunEnv(t, hs.URL, "")
	b, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	// each request gives up after 3 s, 3 tries per attempt: a job of the
	// hanging key always hits its 8 s timeout; two attempts of a job
	cfg := strings.Replace(string(b), "  job_timeout: 1m\n", "  job_timeout: 8s\n  max_attempts: 2\n  fetch_batch: 1\n", 1)
	cfg = strings.ReplaceAll(cfg, "    timeout: 20s\n", "    timeout: 3s\n")
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := e.nbasim(ctx, t, "run", "--until-complete", "--season", "2018-19", "--json")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	t.Logf("run --until-complete: %s", time.Since(start).Round(time.Millisecond))
	checkJSONSchema(t, "run", out)
	var sum runloop.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("run --json: %v\n%s", err, out)
	}
	if !sum.Complete || sum.Stopped != "complete" || sum.Last == nil || sum.Last.Inserted != 0 || sum.Last.Merged != 0 {
		t.Fatalf("run did not complete with nothing left to plan: %+v", sum)
	}
	listed := map[string]runloop.Failure{}
	for _, f := range sum.Failures {
		listed[f.Key] = f
	}
	for _, want := range []struct{ key, class, reason string }{
		{goneKey, "permanent", "404"},
		{poisonKey, runloop.ClassPoison, "still fails to parse"},
		{hangKey, runloop.ClassExhausted, "the job failed on every one of 2 attempts"}, // its last attempt hit the job's timeout
	} {
		f, ok := listed[want.key]
		if !ok {
			t.Errorf("%s not listed among the %d failures the run ended with (%v)", want.key, len(sum.Failures), sum.FailuresByClass)
			continue
		}
		if f.Class != want.class || !strings.Contains(f.Reason, want.reason) {
			t.Errorf("%s: listed as %s (%q), want %s with a reason holding %q", want.key, f.Class, f.Reason, want.class, want.reason)
		}
	}
	if sum.FailuresByClass[runloop.ClassPoison] != 1 || sum.FailuresByClass[runloop.ClassExhausted] != 1 {
		t.Errorf("failures by class %v, want one poison and one exhausted", sum.FailuresByClass)
	}
	// fetch_log holds the same classes and reasons
	st := e.openStore(t)
	defer st.Close()
	for key, class := range map[string]string{poisonKey: runloop.ClassPoison, hangKey: runloop.ClassExhausted, goneKey: "permanent"} {
		var got, reason string
		if err := st.QueryRow(ctx, `SELECT class, reason FROM fetch_log WHERE lake_key = $1`, key).Scan(&got, &reason); err != nil {
			t.Errorf("fetch_log row of %s: %v", key, err)
			continue
		}
		if got != class || reason == "" {
			t.Errorf("fetch_log %s: class %s reason %q, want %s with a reason", key, got, reason, class)
		}
	}
	// the poison object: quarantined once (one item, one parse), in the
	// lake, its key fetched twice (the first fetch and the one that found
	// the same bytes), and not again by later reconciliations
	var items int
	if err := st.QueryRow(ctx, `SELECT count(*) FROM quarantine WHERE key = $1`, poisonKey).Scan(&items); err != nil {
		t.Fatal(err)
	}
	if items != 1 {
		t.Errorf("%d quarantine items of the poison object, want 1", items)
	}
	var status string
	if err := st.QueryRow(ctx, `SELECT parse_status FROM raw_objects WHERE key = $1`, poisonKey).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "failed" {
		t.Errorf("raw_objects status of the poison object %q, want failed", status)
	}
	var marked string
	if err := st.QueryRow(ctx, `SELECT last_at FROM fetch_log WHERE lake_key = $1`, poisonKey).Scan(&marked); err != nil {
		t.Fatal(err)
	}
	markedAt, err := time.Parse(time.RFC3339, marked)
	if err != nil {
		t.Fatal(err)
	}
	requests := map[string]int{}
	for _, le := range rs.Log() {
		if le.Path == "/stats/playbyplayv2" {
			for _, g := range []string{"0021800003", "0021800004"} {
				if strings.Contains(le.Query, "GameID="+g) {
					requests[g]++
				}
			}
			if strings.Contains(le.Query, "GameID=0021800003") && le.Time.After(markedAt.Add(time.Second)) {
				t.Errorf("the poison object was asked at %s, after it was recorded as poison at %s", le.Time.Format(time.RFC3339Nano), marked)
			}
		}
	}
	// its fetch and the fetch again of the invalid object (a try more if
	// one timed out on a loaded machine)
	if n := requests["0021800003"]; n < 2 || n > 4 {
		t.Errorf("the poison object was asked %d times, want 2 (its fetch, the fetch again of the invalid object)", n)
	}
	// the hanging key: 2 job attempts of at most 3 tries each (the third
	// cut by the job's timeout), and no job after them
	if n := requests["0021800004"]; n < 2 || n > 6 {
		t.Errorf("the hanging endpoint was asked %d times, want 2..6 (2 job attempts of up to 3 tries)", n)
	}
	t.Logf("requests: poison %d, hanging %d; failures %v", requests["0021800003"], requests["0021800004"], sum.FailuresByClass)
}
