package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/load/realdata"
	"github.com/nbasim/nbasim/internal/testutil"
)

// analystDir is a working directory with ../shared/data (without the
// 2018-19 archive) imported into its lake (./data/lake) and loaded by the
// binary into its SQLite database (./data/nbasim.db).
func analystDir(t *testing.T, bin string) (dir string, outputs map[string]string) {
	t.Helper()
	data := testutil.RealDataDir(t)
	dir = t.TempDir()
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+filepath.Join(dir, "data", "lake"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := realdata.Import(ctx, lk, data, realdata.Options{}); err != nil {
		t.Fatal(err)
	}
	lk.Close()
	out, errOut, code := runIn2(t, bin, dir, "load", "--json")
	if code != 0 {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	return dir, map[string]string{"load": out}
}

// runIn2 runs the binary in dir with no NBASIM_ variable from the
// environment; it returns stdout, stderr and the exit code.
func runIn2(t *testing.T, bin, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "NBASIM_") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, "NBASIM_LOG_LEVEL=warn")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	if err := filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(p, string(filepath.Separator)+"lake") {
			return nil
		}
		out = append(out, p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestAnalystCLI: the CLI of issue 12 on real data. Each subtest fails on
// the main branch before the issue: ids of every kind, strict moments,
// honest exit codes, verify that only reads, every printed --json output
// valid against its schema in docs/json-schemas.
func TestAnalystCLI(t *testing.T) {
	bin := boxBinary(t)
	dir, outputs := analystDir(t, bin)

	t.Run("BoxByEveryIDKind", func(t *testing.T) {
		for _, tc := range []struct{ id, want string }{
			{"401585607", "0022300979 2024-03-17 TOR 96 at ORL 111 (from ESPN id 401585607)"},
			{"21800001", "0021800001 2018-10-16 PHI 87 at BOS 105 (from short id 21800001)"},
			{"201810160BOS", "0021800001 2018-10-16 PHI 87 at BOS 105 (from basketball-reference id 201810160BOS)"},
			{"0021800001", "0021800001 2018-10-16 PHI 87 at BOS 105"},
		} {
			out, errOut, code := runIn2(t, bin, dir, "box", tc.id)
			if code != 0 || !strings.HasPrefix(out, tc.want+"\n") || !strings.Contains(out, "TEAM") {
				t.Errorf("box %s: exit %d, %q%s; want it to start with %q", tc.id, code, firstLine(out), errOut, tc.want)
			}
		}
	})

	t.Run("StrictMomentsAndExits", func(t *testing.T) {
		empty := t.TempDir()
		for _, tc := range []struct {
			dir  string
			args []string
			want string
		}{
			{dir, []string{"box", "21800001", "--at", "Q3 7:02:30"}, `bad clock "7:02:30"`},
			{dir, []string{"box", "21800001", "--at", "OT1 2:00"}, "has no OT1: its last period is Q4"},
			{dir, []string{"box", "21800001", "--elapsed", "3000"}, "last period Q4"},
			{dir, []string{"box", "2180001"}, "short id (21800001)"},
			{dir, []string{"verify", "--game", "0029900001"}, "not found"},
			{dir, []string{"verify", "--game", "401000000"}, "ESPN id"},
			{dir, []string{"verify", "--season", "1999-00"}, `season "1999-00": no games`},
			{empty, []string{"verify", "--all"}, "nothing is loaded yet"},
			{dir, []string{"load", "--game", "0029900001"}, "the lake holds no object of this game"},
			{dir, []string{"games", "--season", "2018-19", "--team", "XYZ"}, "not a team"},
			{dir, []string{"games", "--season", "2018-20"}, "want a season like 2018-19"},
			{dir, []string{"games", "--date", "2030-01-01"}, "no stored game matches --date 2030-01-01"},
			{dir, []string{"players", "zzzzzz"}, "nobody"},
		} {
			_, errOut, code := runIn2(t, bin, tc.dir, tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want non-zero and %q", tc.args, code, errOut, tc.want)
			}
		}
	})

	t.Run("VerifyOnlyReads", func(t *testing.T) {
		db := filepath.Join(dir, "data", "nbasim.db")
		sum, files := fileSum(t, db), listDir(t, dir)
		out, errOut, code := runIn2(t, bin, dir, "verify", "--game", "201810160BOS", "--json")
		if code != 0 || !strings.Contains(errOut, "0021800001 2018-10-16 PHI 87 at BOS 105") {
			t.Fatalf("verify: exit %d %s", code, errOut)
		}
		outputs["verify"] = out
		if fileSum(t, db) != sum || strings.Join(listDir(t, dir), "\n") != strings.Join(files, "\n") {
			t.Errorf("verify without --save changed the database directory")
		}
		var n string
		q, _, _ := runIn2(t, bin, dir, "db", "query", "SELECT COUNT(*) FROM player_box WHERE source = 'derived'", "--json")
		var res struct{ Rows [][]any }
		if err := json.Unmarshal([]byte(q), &res); err != nil || len(res.Rows) != 1 {
			t.Fatalf("db query: %v %s", err, q)
		}
		if n = strings.TrimSpace(string(mustJSON(res.Rows[0][0]))); n != "0" {
			t.Errorf("derived rows after verify without --save: %s", n)
		}
		if _, errOut, code := runIn2(t, bin, dir, "verify", "--game", "21800001", "--save"); code != 0 {
			t.Fatalf("verify --save: exit %d %s", code, errOut)
		}
		q, _, _ = runIn2(t, bin, dir, "db", "query", "SELECT COUNT(*) FROM player_box WHERE source = 'derived'", "--json")
		if err := json.Unmarshal([]byte(q), &res); err != nil || string(mustJSON(res.Rows[0][0])) == "0" {
			t.Errorf("verify --save stored no derived rows: %s", q)
		}
	})

	t.Run("PrintedHintsNameCommands", func(t *testing.T) {
		// every "nbasim X ..." a command prints names a command that exists
		texts := []string{}
		for _, args := range [][]string{{"load"}, {"verify", "--season", "1999-00"}, {"games", "--date", "2030-01-01"}, {"players", "zzzzzz"}, {"verify", "--game", "0029900001"}} {
			out, errOut, _ := runIn2(t, bin, dir, args...)
			texts = append(texts, out+errOut)
		}
		re := regexp.MustCompile(`nbasim ([a-z][a-z-]*)( [a-z][a-z-]*)?`)
		seen := 0
		for _, tx := range texts {
			for _, m := range re.FindAllStringSubmatch(tx, -1) {
				args := []string{m[1]}
				if m[2] != "" {
					args = append(args, strings.TrimSpace(m[2]))
				}
				seen++
				if !commandExists(args) {
					t.Errorf("printed hint %q names no command", m[0])
				}
			}
		}
		if seen < 4 {
			t.Errorf("found %d hints; the regexp or the messages changed", seen)
		}
	})

	t.Run("LineupsAndOnOff", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"lineups", "201810160BOS", "--team", "BOS", "--limit", "2"}, `0021800001 2018-10-16 PHI 87 at BOS 105 (from basketball-reference id 201810160BOS)
TEAM  GP  MIN  POSS  OPP POSS  PTS  OPP PTS  ORTG   DRTG  NET   LINEUP
BOS   1   7.3  18    18        14   11       77.8   61.1  16.7  Jaylen Brown, Jayson Tatum, Al Horford, Gordon Hayward, Kyrie Irving
BOS   1   5.4  11    11        11   7        100.0  63.6  36.4  Terry Rozier, Jayson Tatum, Gordon Hayward, Aron Baynes, Marcus Smart
`},
			{[]string{"onoff", "21800001", "--player", "tatum"}, `0021800001 2018-10-16 PHI 87 at BOS 105 (from short id 21800001)
TEAM  PLAYER        GP  ON MIN  ON ORTG  ON DRTG  ON NET  OFF MIN  OFF ORTG  OFF DRTG  OFF NET  DIFF
BOS   Jayson Tatum  1   28.9    85.7     76.2     9.5     19.1     124.4     92.9      31.5     -22.0
`},
			{[]string{"onoff", "--season", "2018-19", "--player", "antetokounmpo"}, `65 games
TEAM  PLAYER                 GP  ON MIN  ON ORTG  ON DRTG  ON NET  OFF MIN  OFF ORTG  OFF DRTG  OFF NET  DIFF
MIL   Giannis Antetokounmpo  6   200.4   115.5    99.1     16.5    97.6     108.7     107.7     1.0      15.5
`},
		} {
			out, errOut, code := runIn2(t, bin, dir, tc.args...)
			if code != 0 || out != tc.want {
				t.Errorf("%v: exit %d %s\n got:\n%s\nwant:\n%s", tc.args, code, errOut, out, tc.want)
			}
		}
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"lineups"}, "give a GAME or --season S"},
			{[]string{"lineups", "--season", "1999-00"}, "no game of season 1999-00 with play-by-play"},
			{[]string{"onoff", "21800001", "--player", "zzzz"}, `no player matching "zzzz"`},
			{[]string{"lineups", "--season", "2018-19", "--team", "XYZ"}, "not a team"},
		} {
			_, errOut, code := runIn2(t, bin, dir, tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want non-zero and %q", tc.args, code, errOut, tc.want)
			}
		}
		// --save fills the SQL views with the same numbers
		if _, errOut, code := runIn2(t, bin, dir, "lineups", "21800001", "--save"); code != 0 {
			t.Fatalf("lineups --save: exit %d %s", code, errOut)
		}
		q, errOut, _ := runIn2(t, bin, dir, "db", "query", "SELECT on_seconds, on_net_rtg, net_rtg_diff FROM player_on_off WHERE game_id = '0021800001' AND name = 'Jayson Tatum'", "--json")
		var res struct{ Rows [][]float64 }
		if err := json.Unmarshal([]byte(q), &res); err != nil || len(res.Rows) != 1 {
			t.Fatalf("db query: %v %s %s", err, q, errOut)
		}
		if got := fmt.Sprintf("%.1f %.1f %.1f", res.Rows[0][0]/60, res.Rows[0][1], res.Rows[0][2]); got != "28.9 9.5 -22.0" {
			t.Errorf("player_on_off Tatum: %s, want 28.9 9.5 -22.0", got)
		}
	})

	t.Run("JSONSchemas", func(t *testing.T) {
		runs := map[string][]string{
			"version":     {"version", "--json"},
			"config-show": {"config", "show", "--json"},
			"doctor":      {"doctor", "--json"},
			"db-status":   {"db", "status", "--json"},
			"db-migrate":  {"db", "migrate", "--json"},
			"db-query":    {"db", "query", "SELECT name, pts FROM player_games WHERE pts >= 50", "--json"},
			"coverage":    {"coverage", "--json"},
			"box":         {"box", "21800001", "--at", "Q3 7:02.4", "--json"},
			"box-stints":  {"box", "401585607", "--stints", "--json"},
			"games":       {"games", "--season", "2018-19", "--team", "BOS", "--json"},
			"players":     {"players", "mitchell", "--json"},
			"catalog":     {"catalog", "--json"},
			"lineups":     {"lineups", "21800001", "--json", "--save"},
			"onoff":       {"onoff", "--season", "2018-19", "--team", "BOS", "--json"},
			"reconcile":   {"reconcile", "--dry-run", "--json", "--season", "2018-19"},
			"queue":       {"queue", "--json"},
			"sim":         {"sim", "21800001", "--n", "300", "--seed", "1", "--json"},
			"winprob":     {"winprob", "21800001", "--n", "50", "--json"},
			"export":      {"export", "--season", "2018-19", "--out", filepath.Join(t.TempDir(), "export"), "--json"},
		}
		for name, args := range runs {
			out, errOut, code := runIn2(t, bin, dir, args...)
			if code > 1 { // doctor exits 1 on a warning and still prints
				t.Errorf("%v: exit %d: %s", args, code, errOut)
			}
			outputs[name] = out
		}
		for name, out := range outputs {
			checkJSONSchema(t, name, out)
		}
		// a renamed field fails: the schemas require every field
		for name, rename := range map[string][2]string{"reconcile": {`"coverage"`, `"cover_age"`}, "lineups": {`"poss_for"`, `"possessions_for"`},
			"queue": {`"discarded_jobs"`, `"discardedJobs"`}, "export": {`"fingerprint"`, `"fingerPrint"`}, "sim": {`"home_win_prob"`, `"home_win"`}} {
			bad := strings.Replace(outputs[name], rename[0], rename[1], 1)
			if bad == outputs[name] || validJSONSchema(t, name, bad) == nil {
				t.Errorf("%s: the schema accepts the output with %s renamed %s", name, rename[0], rename[1])
			}
		}
		// every command with --json is run above, or listed here with the
		// reason it is not
		notRun := map[string]string{
			"bench": "minutes of work; cmd_bench_test runs it with --json",
			"run":   "the worker loop needs a replay server and PostgreSQL: run_test checks its --json against run.schema.json",
		}
		covered := map[string]bool{}
		for name := range runs {
			covered[strings.SplitN(name, "-", 2)[0]] = true
		}
		covered["verify"], covered["load"] = true, true
		root := newRootCmd()
		var walk func(c *cobra.Command)
		var missing []string
		walk = func(c *cobra.Command) {
			if c.Flags().Lookup("json") != nil {
				top := strings.Fields(c.CommandPath())
				if len(top) > 1 && !covered[top[1]] {
					if _, ok := notRun[top[1]]; !ok {
						missing = append(missing, c.CommandPath())
					}
				}
			}
			for _, sub := range c.Commands() {
				walk(sub)
			}
		}
		walk(root)
		if len(missing) > 0 {
			t.Errorf("commands with --json neither run against a schema nor listed with a reason: %v", missing)
		}
	})
}

// validJSONSchema validates out against docs/json-schemas/<name>.schema.json.
func validJSONSchema(t *testing.T, name, out string) error {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.ModuleRoot(t), "docs", "json-schemas", name+".schema.json"))
	if err != nil {
		return err
	}
	var s jsonschema.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s schema: %v", name, err)
	}
	rs, err := s.Resolve(nil)
	if err != nil {
		t.Fatalf("%s schema: %v", name, err)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		return fmt.Errorf("output is not JSON: %w", err)
	}
	return rs.Validate(v)
}

// checkJSONSchema fails the test when out does not match its schema.
func checkJSONSchema(t *testing.T, name, out string) {
	t.Helper()
	if err := validJSONSchema(t, name, out); err != nil {
		t.Errorf("%s: output does not match docs/json-schemas/%s.schema.json: %v\n%.2000s", name, name, err, out)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// commandExists says whether args (a command and maybe a subcommand) name
// a command of the CLI.
func commandExists(args []string) bool {
	root := newRootCmd()
	c, rest, err := root.Find(args)
	if err != nil || c == root {
		return false
	}
	// a subcommand word that is not a subcommand is an argument: fine only
	// when the command takes arguments
	return len(rest) == 0 || c.Args == nil || c.Args(c, rest) == nil
}
