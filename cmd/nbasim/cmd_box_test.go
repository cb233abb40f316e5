package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/testutil"
)

func boxBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nbasim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runBox(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runIn2(t, bin, t.TempDir(), args...)
}

func TestBoxAndVerifyCommands(t *testing.T) {
	dir := testutil.RealDataDir(t)
	bin := boxBinary(t)
	file := filepath.Join(dir, "nba_stats", "playbyplayv2", "0021800001.json")

	// the box at a moment: the score equals the feed's running score there
	out, errOut, code := runBox(t, bin, "box", "0021800001", "--file", file, "--at", "Q3 7:02.4", "--format", "json")
	if code != 0 {
		t.Fatalf("box --at: exit %d: %s", code, errOut)
	}
	var got boxJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("box json: %v\n%s", err, out)
	}
	g, err := derive.LoadV2File(file)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := moment.Parse("Q3 7:02.4")
	at := m.Elapsed()
	home, away := 0, 0
	for _, e := range g.Events {
		if e.Elapsed <= at && e.ScoreHome >= 0 {
			home, away = e.ScoreHome, e.ScoreAway
		}
	}
	if got.Home.PTS != home || got.Away.PTS != away {
		t.Errorf("score at Q3 7:02.4: %d-%d, feed says %d-%d", got.Home.PTS, got.Away.PTS, home, away)
	}
	if len(got.Home.OnCourt) != 5 || len(got.Away.OnCourt) != 5 {
		t.Errorf("on court: %v %v", got.Home.OnCourt, got.Away.OnCourt)
	}
	if got.Home.SecondsPlayed != at.Seconds() || got.Away.SecondsPlayed != at.Seconds() || got.ElapsedSeconds == nil || *got.ElapsedSeconds != 1737.6 {
		t.Errorf("team seconds %v/%v at %v (elapsed_seconds %v)", got.Home.SecondsPlayed, got.Away.SecondsPlayed, at.Seconds(), got.ElapsedSeconds)
	}

	// --elapsed names the same moment
	out2, _, code := runBox(t, bin, "box", "0021800001", "--file", file, "--elapsed", "1737.6", "--format", "json")
	if code != 0 {
		t.Fatalf("box --elapsed: exit %d", code)
	}
	var got2 boxJSON
	if err := json.Unmarshal([]byte(out2), &got2); err != nil {
		t.Fatal(err)
	}
	if got2.Home.statsJSON != got.Home.statsJSON {
		t.Errorf("--elapsed 1737.6 and --at \"Q3 7:02.4\" differ")
	}

	// csv: one row per player plus two team rows
	out, _, code = runBox(t, bin, "box", "0021800001", "--file", file, "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 20 || rows[0][0] != "game_id" {
		t.Fatalf("csv: exit %d, %v, %d rows", code, err, len(rows))
	}

	// stints: each side's stints cover the 48 minutes once
	out, _, code = runBox(t, bin, "box", "0021800001", "--file", file, "--stints", "--format", "json")
	var sts []stintOut
	if err := json.Unmarshal([]byte(out), &sts); code != 0 || err != nil || len(sts) < 20 {
		t.Fatalf("stints: exit %d, %v, %d stints", code, err, len(sts))
	}
	cover := map[string]float64{}
	for _, st := range sts {
		cover[st.Side] += st.DurationSeconds
		if len(st.Players) != 5 {
			t.Errorf("stint with %d players", len(st.Players))
		}
	}
	if cover["home"] != 2880 || cover["away"] != 2880 {
		t.Errorf("stints cover %v seconds", cover)
	}

	// table, window, event
	for _, args := range [][]string{
		{"--range", "Q2 12:00", "--range", "Q2 6:00"},
		{"--range", "720,1080"},
		{"--event", "100"},
		{},
	} {
		out, errOut, code := runBox(t, bin, append([]string{"box", "0021800001", "--file", file}, args...)...)
		if code != 0 || !strings.Contains(out, "TEAM") {
			t.Errorf("box %v: exit %d: %s%s", args, code, out, errOut)
		}
	}

	// bad input: a clear error, a non-zero exit
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--at", "Q3 7:02.4", "--event", "3"}, "one of"},
		{[]string{"--at", "Q9x 1:00"}, "moment"},
		{[]string{"--at", "Q3 7:02:30"}, `bad clock "7:02:30"`},
		{[]string{"--at", "OT1 2:00"}, "game 0021800001 has no OT1: its last period is Q4"},
		{[]string{"--elapsed", "2900"}, "end of its last period Q4"},
		{[]string{"--elapsed", "1e3"}, "elapsed"},
		{[]string{"--range", "Q4 1:00", "--range", "OT1 4:00"}, "last period Q4"},
		{[]string{"--event", "999999"}, "no event number"},
		{[]string{"--range", "Q2 6:00"}, "START and END"},
		{[]string{"--format", "xml"}, "--format"},
	} {
		_, errOut, code := runBox(t, bin, append([]string{"box", "0021800001", "--file", file}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("box %v: exit %d, stderr %q (want %q)", tc.args, code, errOut, tc.want)
		}
	}

	// verify --data: JSON and table reports
	js := filepath.Join(t.TempDir(), "verify.json")
	tab := filepath.Join(t.TempDir(), "verify.txt")
	out, errOut, code = runBox(t, bin, "verify", "--data", dir, "--json-file", js, "--table-file", tab)
	if code != 0 {
		t.Fatalf("verify --data: exit %d: %s", code, errOut)
	}
	var rep derive.Report
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Games < 200 || rep.Summary.Failed != 0 || rep.Summary.TeamPointsExact != rep.Summary.Games {
		t.Errorf("verify summary %+v", rep.Summary)
	}
	if txt, err := os.ReadFile(tab); err != nil || !strings.Contains(string(txt), "player-stat cells exact") || !strings.Contains(out, "games fully exact") {
		t.Errorf("verify table: %v\n%s", err, out)
	}
}
