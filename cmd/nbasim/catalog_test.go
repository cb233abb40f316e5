package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestCatalogCLI builds the binary, fetches by lake key one object of
// three catalog endpoints of different scopes from the replay server
// (`nbasim fetch key`), and reads the catalog and its coverage back with
// `nbasim catalog --coverage --json` (valid against its schema): 122
// endpoints, one object for each endpoint fetched, byte-identical to the
// recording.
func TestCatalogCLI(t *testing.T) {
	t.Parallel()
	rb := newReplayBinary(t)
	data, lakeDir := rb.data, rb.lakeDir
	run := func(args ...string) string { t.Helper(); return rb.run(t, nil, args...) }
	keys := map[string]string{ // key -> recording
		"nba_stats/shotchartdetail/2016-17/0021600270_TeamID-1610612760.json": "nba_stats/shotchartdetail/0021600270_TeamID-1610612760.json",
		"nba_stats/commonplayerinfo/all/1628378.json":                         "nba_stats/commonplayerinfo/PlayerID-1628378.json",
		"nba_stats/teamdashlineups/2025-26/1610612739.json":                   "nba_stats/teamdashlineups/GroupQuantity-5_MeasureType-Base_PerMode-Totals_Season-2025-26_SeasonType-Regular+Season_TeamID-1610612739.json",
	}
	args := []string{"fetch", "key", "--no-store"}
	for k := range keys {
		args = append(args, k)
	}
	run(args...)
	for k, rec := range keys {
		got, err := os.ReadFile(filepath.Join(lakeDir, filepath.FromSlash(k)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(data, filepath.FromSlash(rec)))
		if err != nil {
			t.Fatal(err)
		}
		if lake.SHA256(got) != lake.SHA256(want) {
			t.Errorf("%s differs from %s", k, rec)
		}
	}
	out := run("catalog", "--coverage", "--json")
	var doc struct {
		Endpoints []struct {
			Name    string `json:"name"`
			Objects *int   `json:"objects"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	with := map[string]int{}
	for _, e := range doc.Endpoints {
		if e.Objects != nil && *e.Objects > 0 {
			with[e.Name] = *e.Objects
		}
	}
	if len(doc.Endpoints) != 122 || len(with) != 3 || with["shotchartdetail"] != 1 || with["commonplayerinfo"] != 1 || with["teamdashlineups"] != 1 {
		t.Errorf("catalog --coverage: %d endpoints, with objects %v", len(doc.Endpoints), with)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "json-schemas", "catalog.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s jsonschema.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	res, err := s.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	_ = json.Unmarshal([]byte(out), &v)
	if err := res.Validate(v); err != nil {
		t.Errorf("catalog --json does not match docs/json-schemas/catalog.schema.json: %v", err)
	}
}

// TestUserCatalog adds an endpoint in a user's catalog file
// (NBASIM_CATALOG) with no code change: teamdashlineups_advanced, the
// teamdashlineups request with MeasureType=Advanced, whose one recording
// it answers. It is fetched by its key from the replay server
// (byte-identical), loaded (its rows in stats_rows), reconciled (an
// expectations file naming it: 30 team objects expected in 2023-24, one
// present) and listed by `nbasim catalog`.
func TestUserCatalog(t *testing.T) {
	t.Parallel()
	rb := newReplayBinary(t)
	data, dir, lakeDir := rb.data, rb.dir, rb.lakeDir
	base, _ := layout.BuiltinCatalog().Endpoint("teamdashlineups")
	params := strings.Replace(base.Params, "MeasureType=Base", "MeasureType=Advanced", 1)
	user := "version: 1\nendpoints:\n  - name: teamdashlineups_advanced\n    endpoint: teamdashlineups\n    scope: team_season\n" +
		"    params: \"" + params + "\"\n    match: [\"MeasureType=Advanced\"]\n    seasons: \"2013-14..\"\n" +
		"    result_sets:\n      - name: Overall\n      - name: Lineups\n"
	userFile := filepath.Join(dir, "my-catalog.yaml")
	expFile := filepath.Join(dir, "expectations.yaml")
	for f, b := range map[string]string{userFile: user, expFile: "version: 1\ndatasets: []\ncatalog: [teamdashlineups_advanced]\n"} {
		if err := os.WriteFile(f, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	extra := []string{
		"NBASIM_CATALOG=" + userFile,
		"NBASIM_SEASONS=2023-24",
		"NBASIM_RECONCILE_EXPECTATIONS=" + expFile,
		"NBASIM_RECONCILE_OUTPUT_DIR=" + filepath.Join(dir, "reports"),
		"NBASIM_CACHE_DIR=" + filepath.Join(dir, "cache"),
	}
	run := func(args ...string) string { t.Helper(); return rb.run(t, extra, args...) }
	key := "nba_stats/teamdashlineups_advanced/2023-24/1610612744_GroupQuantity-3_SeasonType-Playoffs.json"
	run("fetch", "key", key)
	got, err := os.ReadFile(filepath.Join(lakeDir, filepath.FromSlash(key)))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(data, "nba_stats", "teamdashlineups",
		"GroupQuantity-3_MeasureType-Advanced_PerMode-Totals_Season-2023-24_SeasonType-Playoffs_TeamID-1610612744.json"))
	if err != nil {
		t.Fatal(err)
	}
	if lake.SHA256(got) != lake.SHA256(want) {
		t.Errorf("%s differs from its recording", key)
	}
	run("load")
	// the recording's two result sets hold no row (a team's 3-man lineups
	// of a playoff run, as recorded): loaded, their headers known
	out := run("db", "query", "SELECT (SELECT COUNT(*) FROM stats_result_sets WHERE endpoint = 'teamdashlineups_advanced') AS sets, "+
		"(SELECT COUNT(*) FROM raw_objects WHERE endpoint = 'teamdashlineups_advanced' AND parse_status = 'ok') AS ok", "--json")
	if compact := strings.Join(strings.Fields(out), ""); !strings.Contains(compact, `"rows":[[2,1]]`) {
		t.Errorf("the user endpoint's object is not loaded: %q", out)
	}
	var plan struct {
		Coverage []struct {
			Dataset  string `json:"dataset"`
			Season   string `json:"season"`
			Expected int    `json:"expected"`
			Present  int    `json:"present"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(run("reconcile", "--dry-run", "--json")), &plan); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range plan.Coverage {
		if c.Dataset == "teamdashlineups_advanced" && c.Season == "2023-24" {
			found = c.Expected == 30 && c.Present == 1
			t.Logf("reconcile: %+v", c)
		}
	}
	if !found {
		t.Errorf("reconcile: no cell of teamdashlineups_advanced 2023-24 with 30 expected, 1 present: %+v", plan.Coverage)
	}
	if out := run("catalog"); !strings.Contains(out, "teamdashlineups_advanced") || !strings.Contains(out, "123 endpoints (embedded + "+userFile+")") {
		t.Errorf("catalog does not list the user endpoint:\n%s", out[max(0, len(out)-300):])
	}
}

// replayBinary builds the binary and starts a replay server of the
// recordings; run runs the binary with the lake, database and nba_stats
// base URL of dir, plus extra environment.
type replayBinary struct {
	data, dir, lakeDir string
	bin                string
	env                []string // the environment run gives the binary
	run                func(t *testing.T, extra []string, args ...string) string
}

func newReplayBinary(t *testing.T) *replayBinary {
	t.Helper()
	data := testutil.RealDataDir(t)
	rs, err := replay.Load(data, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(rs)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	bin := filepath.Join(dir, "nbasim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rb := &replayBinary{data: data, dir: dir, lakeDir: filepath.Join(dir, "lake"), bin: bin}
	env := append(os.Environ(),
		"NBASIM_LAKE_URL=file://"+rb.lakeDir,
		"NBASIM_DATABASE_SQLITE_PATH="+filepath.Join(dir, "nbasim.db"),
		"NBASIM_SOURCES_NBA_STATS_BASE_URL="+replay.BaseURLs(hs.URL)["nba_stats"],
		"NBASIM_SOURCES_NBA_STATS_RATE=50",
	)
	rb.env = env
	rb.run = func(t *testing.T, extra []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append([]string(nil), env...), extra...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	return rb
}
