package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestFetchSeasonSurvivesKill9 builds the binary, starts `nbasim fetch
// season 2018-19 --source nba_stats` against the replay server (1,204
// recorded games), kills it with SIGKILL mid-run, runs the same command
// again, and checks that the lake holds each game once, every object's
// sha256 metadata equals the hash of its bytes and of the recording, and
// nothing else (no partial object, no second version).
func TestFetchSeasonSurvivesKill9(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	rs, err := replay.Load(data, replay.Options{Archives: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(rs)
	defer hs.Close()

	dir := t.TempDir()
	bin := filepath.Join(dir, "nbasim")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	lakeDir := filepath.Join(dir, "lake")
	env := append(os.Environ(),
		"NBASIM_LAKE_URL=file://"+lakeDir,
		"NBASIM_DATABASE_SQLITE_PATH="+filepath.Join(dir, "nbasim.db"),
		"NBASIM_SOURCES_NBA_STATS_BASE_URL="+replay.BaseURLs(hs.URL)["nba_stats"],
		"NBASIM_SOURCES_NBA_STATS_RATE=400",
		"NBASIM_SOURCES_NBA_STATS_BURST=4",
		"NBASIM_SOURCES_NBA_STATS_CONCURRENCY=4",
	)
	args := []string{"fetch", "season", "2018-19", "--source", "nba_stats", "--dataset", "playbyplayv2", "--no-store"}
	prefix := filepath.Join(lakeDir, "nba_stats", "playbyplayv2", "2018-19")

	// First run: killed once 200 games are in the lake.
	var out1 bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out1, &out1
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Minute) // a bound on a hang, not a speed assertion
	for {
		n, _ := filepath.Glob(filepath.Join(prefix, "*.json"))
		if len(n) >= 200 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("first run never wrote 200 objects:\n%s", out1.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	killedAt, _ := filepath.Glob(filepath.Join(prefix, "*.json"))
	t.Logf("killed with %d objects in the lake", len(killedAt))

	// Second run: the same command completes.
	rs.ResetLog()
	cmd = exec.Command(bin, args...)
	cmd.Env = env
	out2, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out2)
	}
	t.Logf("second run:\n%s", lastLines(string(out2), 3))
	if !strings.Contains(string(out2), "already in lake") {
		t.Errorf("no summary in the output")
	}
	// Only what was missing was asked again (plus the schedule check and
	// the games that have no recording: 404s).
	for _, le := range rs.Log() {
		if strings.HasSuffix(le.Path, "playbyplayv2") {
			id := strings.TrimPrefix(le.Query[strings.Index(le.Query, "GameID=")+7:], "")[:10]
			for _, k := range killedAt {
				if filepath.Base(k) == id+".json" {
					t.Errorf("second run fetched %s again", id)
				}
			}
		}
	}

	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+lakeDir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Close()
	games := 0
	err = lk.Walk(ctx, "", func(o lake.Object) error {
		k, _, err := layout.Parse(o.Key)
		if err != nil {
			t.Errorf("unexpected object %s: %v", o.Key, err)
			return nil
		}
		b, err := lk.Read(ctx, o.Key)
		if err != nil {
			return err
		}
		st, err := lk.Stat(ctx, o.Key)
		if err != nil {
			return err
		}
		if st.Meta.SHA256 != lake.SHA256(b) {
			t.Errorf("%s: corrupt: metadata %s, bytes %s", o.Key, st.Meta.SHA256, lake.SHA256(b))
		}
		want, _, err := rs.Recording(replay.RealURL(hs.URL, st.Meta.URL))
		if err != nil {
			t.Errorf("%s: %v", o.Key, err)
		} else if lake.SHA256(want) != st.Meta.SHA256 {
			t.Errorf("%s: differs from the recording", o.Key)
		}
		if k.Dataset == "playbyplayv2" {
			games++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, e := range rs.Entries() {
		if e.Path == "/stats/playbyplayv2" && strings.HasPrefix(e.Query.Get("GameID"), "00218") {
			recorded++
		}
	}
	// Each recorded 2018-19 regular-season game once (the archive holds
	// 1,204; a few more playoff files are not in the regular-season log).
	if games < 1204 || games > recorded {
		t.Errorf("%d game objects, want 1204..%d", games, recorded)
	}
	leftovers := 0
	_ = filepath.Walk(lakeDir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".attrs") {
			leftovers++
			t.Logf("leftover file %s", p)
		}
		return nil
	})
	t.Logf("%d game objects after kill -9 and rerun; %d stray temporary files", games, leftovers)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
