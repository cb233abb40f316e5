package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/testutil"
)

// campaignFullEnv runs the campaigns at full size: the whole 2018-19
// season (1,230 games) and at least 30 kills every 3-10 s. Without it they
// run at a reduced size that fits CI: the season's first dates, 6 kills
// every 1-3 s. scripts/campaign.sh runs the full size.
const campaignFullEnv = "NBASIM_CAMPAIGN_FULL"

// campaignSize is the size of one campaign run.
type campaignSize struct {
	scheduleUntil    string // replay --schedule-until ("" : the whole season)
	kills            int
	killMin, killMax time.Duration
	procs            int
	rate             int // requests per second per host
	burst            int
	deadline         time.Duration
}

func campaignSizeFromEnv() campaignSize {
	if os.Getenv(campaignFullEnv) != "" {
		// NBASIM_CAMPAIGN_UNTIL cuts the schedule at a date with the full
		// kill count (a medium size, when the whole season takes too long).
		return campaignSize{scheduleUntil: os.Getenv("NBASIM_CAMPAIGN_UNTIL"), kills: 30, killMin: 3 * time.Second, killMax: 10 * time.Second,
			procs: 3, rate: 20, burst: 1, deadline: 90 * time.Minute}
	}
	return campaignSize{scheduleUntil: "2018-10-19", kills: 6, killMin: time.Second, killMax: 3 * time.Second, procs: 3, rate: 20, burst: 1, deadline: 15 * time.Minute}
}

// campaignBinary builds nbasim once per test binary.
var campaignBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "nbasim-campaign-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "nbasim")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// replayProc is a `nbasim replay-server` process.
type replayProc struct {
	cmd  *exec.Cmd
	root string // http://127.0.0.1:PORT
	log  string // its request log (JSON lines)
}

// startReplay starts the replay server on a free port with args.
func startReplay(t *testing.T, bin, data, dir string, args ...string) *replayProc {
	t.Helper()
	logFile := filepath.Join(dir, "replay-requests.jsonl")
	cmd := exec.Command(bin, append([]string{"--log-format", "json", "--log-level", "warn", "replay-server", data, "--archives",
		"--addr", "127.0.0.1:0", "--log", logFile}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "replay-server.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = errf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		errf.Close()
	})
	// First line: "replay server: N recordings from DIR at http://ADDR".
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatalf("replay server printed nothing (stderr in %s)", errf.Name())
	}
	line := sc.Text()
	i := strings.LastIndex(line, " at http://")
	if i < 0 {
		t.Fatalf("replay server: unexpected first line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return &replayProc{cmd: cmd, root: strings.TrimSpace(line[i+4:]), log: logFile}
}

// freeAddr returns a loopback address with a free port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runProc is one `nbasim run --until-complete` process.
type runProc struct {
	cmd      *exec.Cmd
	httpAddr string
	out      string // its stdout and stderr
	done     chan error
}

// tail returns the last n lines of p's output, for failure messages.
func (p *runProc) tail(n int) string {
	b, _ := os.ReadFile(p.out)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// fleetRun is a campaign's fleet: procs processes on one configuration.
type fleetRun struct {
	t       *testing.T
	bin     string
	env     runEnv
	extra   []string // environment of every process
	dir     string
	mu      sync.Mutex
	started int
}

func (f *fleetRun) start(slot int) *runProc {
	f.t.Helper()
	f.mu.Lock()
	f.started++
	n := f.started
	f.mu.Unlock()
	addr := freeAddr(f.t)
	cmd := exec.Command(f.bin, "--config", f.env.config, "--log-format", "json", "--log-level", "info",
		"run", "--until-complete", "--season", "2018-19", "--json")
	cmd.Env = append(append(os.Environ(), f.extra...), "NBASIM_RUN_HTTP_ADDR="+addr)
	out, err := os.Create(filepath.Join(f.dir, fmt.Sprintf("run-%d-p%d.out", n, slot)))
	if err != nil {
		f.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	p := &runProc{cmd: cmd, httpAddr: addr, out: out.Name(), done: make(chan error, 1)}
	go func() {
		err := cmd.Wait()
		out.Close()
		p.done <- err
	}()
	return p
}

// campaignResult is what a campaign run left.
type campaignResult struct {
	lake      map[string]string // key -> sha256
	tables    map[string]string // table -> checksum
	kills     int
	elapsed   time.Duration
	completed map[string]int // jobs completed by kind
	failures  map[string]int // fetch_log rows: "key class status"
	requests  []replay.LogEntry
	env       runEnv // the run's configuration (its database stays until the test ends)
	schema    string // its PostgreSQL schema ("" on SQLite)
}

// runCampaign starts procs processes against the replay server and waits
// until every one has exited 0 (killing and restarting a random running
// one every killMin..killMax until kills kills, when kills > 0). scrape,
// when set, is called with the /metrics URL of the first process while it
// runs.
func runCampaign(t *testing.T, name string, size campaignSize, rp *replayProc, kills int, env []string, scrape func(url string)) campaignResult {
	t.Helper()
	return runCampaignOn(t, name, size, rp, kills, env, scrape, true)
}

// runCampaignOn is runCampaign on PostgreSQL (pg) or SQLite.
func runCampaignOn(t *testing.T, name string, size campaignSize, rp *replayProc, kills int, env []string, scrape func(url string), pg bool) campaignResult {
	t.Helper()
	bin, err := campaignBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dbURL := ""
	if pg {
		dbURL = storetest.PostgresSchemaURL(t)
	}
	f := &fleetRun{t: t, bin: bin, env: newRunEnv(t, rp.root, dbURL), dir: dir}
	for _, n := range []string{"nba_stats", "nba_live", "espn", "bbref"} {
		up := strings.ToUpper(n)
		f.extra = append(f.extra, fmt.Sprintf("NBASIM_SOURCES_%s_RATE=%d", up, size.rate), fmt.Sprintf("NBASIM_SOURCES_%s_BURST=%d", up, size.burst),
			fmt.Sprintf("NBASIM_SOURCES_%s_TIMEOUT=4s", up))
	}
	// A 429 from basketball-reference locks every process out for an hour
	// (its real policy); the replay server injects 429s, so the campaigns
	// shorten the lockout to 3 s to end with the reference's lake.
	f.extra = append(f.extra, "NBASIM_SOURCES_BBREF_LOCKOUT=3s")
	f.extra = append(f.extra, env...)
	start := time.Now()
	procs := make([]*runProc, size.procs)
	for i := range procs {
		procs[i] = f.start(i)
	}
	if scrape != nil {
		go scrape("http://" + procs[0].httpAddr + "/metrics")
	}
	deadline := time.After(size.deadline)
	exited := make([]bool, len(procs))
	res := campaignResult{env: f.env}
	if pg {
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		res.schema = u.Query().Get("search_path")
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	nextKill := time.After(size.killMin + time.Duration(rng.Int64N(int64(size.killMax-size.killMin)+1)))
	if kills == 0 {
		nextKill = nil
	}
	for {
		all := true
		for i, p := range procs {
			if exited[i] {
				continue
			}
			select {
			case err := <-p.done:
				if err != nil {
					t.Fatalf("%s: process %d exited with %v; its last lines:\n%s", name, i, err, p.tail(30))
				}
				exited[i] = true
			default:
				all = false
			}
		}
		if all {
			break
		}
		select {
		case <-deadline:
			for _, p := range procs {
				_ = p.cmd.Process.Kill()
			}
			t.Fatalf("%s: not complete after %s (%d kills); the last lines of process 0:\n%s", name, size.deadline, res.kills, procs[0].tail(30))
		case <-nextKill:
			var running []int
			for i := range procs {
				if !exited[i] {
					running = append(running, i)
				}
			}
			if len(running) > 0 {
				i := running[rng.IntN(len(running))]
				_ = procs[i].cmd.Process.Signal(syscall.SIGKILL)
				<-procs[i].done
				res.kills++
				procs[i] = f.start(i)
			}
			nextKill = nil
			if res.kills < kills {
				nextKill = time.After(size.killMin + time.Duration(rng.Int64N(int64(size.killMax-size.killMin)+1)))
			}
		case <-time.After(200 * time.Millisecond):
		}
	}
	res.elapsed = time.Since(start)
	res.lake = lakeHashes(t, f.env.lakeDir)
	checkNoHalfWritten(t, name, f.env.lakeDir)
	res.tables = tableChecksums(t, f.env)
	res.completed = queryCounts(t, f.env, `SELECT kind, count(*) FROM river_job WHERE state = 'completed' GROUP BY kind`)
	// Nothing lost: every job ended (completed, or discarded and recorded).
	if left := queryCounts(t, f.env, `SELECT kind || '/' || state, count(*) FROM river_job
WHERE state IN ('available', 'pending', 'running', 'retryable', 'scheduled') GROUP BY kind, state`); len(left) > 0 {
		t.Errorf("%s: jobs left unfinished after every process exited 0: %v", name, left)
	}
	res.failures = queryCounts(t, f.env, `SELECT lake_key || ' ' || class || ' ' || status, 1 FROM fetch_log`)
	lf, err := os.Open(rp.log)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if res.requests, err = replay.ReadLog(lf); err != nil {
		t.Fatal(err)
	}
	return res
}

// queryCounts runs a query of (text, count) rows on the run's database.
func queryCounts(t *testing.T, e runEnv, query string) map[string]int {
	t.Helper()
	ctx := context.Background()
	cfg, _, err := config.Load(config.Options{ConfigPath: e.config})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storeopen.Open(ctx, cfg.Database, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkNoHalfWritten fails on a temporary file left in the lake or an
// object whose recorded sha256 is not the hash of its bytes.
func checkNoHalfWritten(t *testing.T, name, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tmp") {
			t.Errorf("%s: half-written file left in the lake: %s", name, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Close()
	n := 0
	err = lk.Walk(ctx, "", func(o lake.Object) error {
		st, err := lk.Stat(ctx, o.Key)
		if err != nil {
			return err
		}
		b, err := lk.Read(ctx, o.Key)
		if err != nil {
			return err
		}
		if st.Meta.SHA256 != lake.SHA256(b) {
			t.Errorf("%s: %s: recorded sha256 %s, bytes hash to %s", name, o.Key, st.Meta.SHA256, lake.SHA256(b))
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("%s: the lake is empty", name)
	}
}

// compareRuns fails when got's lake or tables differ from want's.
func compareRuns(t *testing.T, name string, want, got campaignResult) {
	t.Helper()
	if len(got.lake) != len(want.lake) {
		t.Errorf("%s: %d lake objects, the fault-free run has %d", name, len(got.lake), len(want.lake))
	}
	diff := 0
	for k, h := range want.lake {
		if got.lake[k] != h {
			if diff < 10 {
				t.Errorf("%s: %s: sha256 %q, fault-free %q", name, k, got.lake[k], h)
			}
			diff++
		}
	}
	for k := range got.lake {
		if _, ok := want.lake[k]; !ok {
			if diff < 10 {
				t.Errorf("%s: %s not in the fault-free lake", name, k)
			}
			diff++
		}
	}
	for tb, c := range want.tables {
		if got.tables[tb] != c {
			t.Errorf("%s: table %s checksum %s, fault-free %s", name, tb, got.tables[tb], c)
			lines, err := diffRows(t, tb, want, got)
			for _, l := range lines {
				t.Logf("%s: %s", name, l)
			}
			if err != nil {
				t.Errorf("%s: rows of %s: %v", name, tb, err)
			}
		}
	}
	// The same failures recorded (keys the server does not hold, as
	// permanent 404s), no more, no fewer.
	for f := range want.failures {
		if got.failures[f] == 0 {
			t.Errorf("%s: fetch_log lacks %s (fault-free run has it)", name, f)
		}
	}
	for f := range got.failures {
		if want.failures[f] == 0 {
			t.Errorf("%s: fetch_log has %s (fault-free run does not)", name, f)
		}
	}
	t.Logf("%s: %d lake objects, %d tables compared, %d failures recorded, %d differences", name, len(got.lake), len(want.tables), len(got.failures), diff)
}

// diffRows returns the rows of table that differ between the fault-free
// run and got (both PostgreSQL schemas of the same server, there until the
// test ends), without the columns that record when a row was written: per
// side, a count and the first 25 rows, so that a failed campaign says what
// differs.
func diffRows(t *testing.T, table string, want, got campaignResult) ([]string, error) {
	t.Helper()
	if want.schema == "" || got.schema == "" {
		return nil, nil
	}
	ctx := context.Background()
	st := got.env.openStore(t)
	defer st.Close()
	all, err := store.Columns(ctx, st, st.Dialect(), table)
	if err != nil {
		return nil, err
	}
	var cols, text []string
	for _, c := range all {
		if !slices.Contains(whenColumns, c) {
			cols = append(cols, store.QuoteIdent(c))
			text = append(text, "coalesce("+store.QuoteIdent(c)+"::text, 'NULL')")
		}
	}
	list := strings.Join(cols, ", ")
	var out []string
	for _, side := range []struct{ label, a, b string }{
		{"only in the fault-free run", want.schema, got.schema},
		{"only in this run", got.schema, want.schema},
	} {
		diff := `SELECT ` + list + ` FROM ` + store.QuoteIdent(side.a) + `.` + store.QuoteIdent(table) +
			` EXCEPT SELECT ` + list + ` FROM ` + store.QuoteIdent(side.b) + `.` + store.QuoteIdent(table)
		var n int
		if err := st.QueryRow(ctx, `SELECT count(*) FROM (`+diff+`) d`).Scan(&n); err != nil {
			return out, err
		}
		out = append(out, fmt.Sprintf("%s: %d rows %s (%s)", table, n, side.label, strings.Join(cols, " | ")))
		rows, err := st.Query(ctx, `SELECT concat_ws(' | ', `+strings.Join(text, ", ")+`) FROM (`+diff+`) d ORDER BY 1 LIMIT 25`)
		if err != nil {
			return out, err
		}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return out, err
			}
			out = append(out, fmt.Sprintf("%s: %s: %s", table, side.label, r))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// rateSlack is how many requests beyond rate+burst a 1-second window at the
// replay server may hold: the fleet hands out slots that never exceed
// rate+burst, but a request can be delayed between taking its slot and
// arriving, and late arrivals bunch with punctual ones. It allows
// arrivalJitter of delay (the slots of rate*arrivalJitter more seconds) plus
// one request; a fleet without a shared limiter sends 3x the rate and still
// fails. (A CI run with a load of 30 on 2 cores saw 23 at 20/s with a
// slack of one request.)
func rateSlack(rate int) int {
	return 1 + int(math.Ceil(float64(rate)*arrivalJitter.Seconds()))
}

// arrivalJitter is how late a request may reach the replay server after
// its slot on a loaded machine.
const arrivalJitter = 100 * time.Millisecond

// checkRates fails when a host was sent more than rate+burst(+rateSlack)
// requests in any 1-second window, measured from the replay server's
// request log across every process.
func checkRates(t *testing.T, name string, size campaignSize, log []replay.LogEntry) []replay.HostRate {
	t.Helper()
	rates := replay.Rates(log, time.Second)
	if len(rates) == 0 {
		t.Errorf("%s: the replay server logged no request", name)
	}
	for _, r := range rates {
		t.Logf("%s: %s: %d requests, max %d in a 1 s window (at %s), max %d in a calendar second, faults %v",
			name, r.Host, r.Requests, r.MaxPerWindow, r.WindowStart.Format("15:04:05.000"), r.MaxPerSecond, r.Faults)
		if r.MaxPerWindow > size.rate+size.burst+rateSlack(size.rate) {
			t.Errorf("%s: %s got %d requests in one second, the fleet's limit is %d/s with a burst of %d (+%d of slack)",
				name, r.Host, r.MaxPerWindow, size.rate, size.burst, rateSlack(size.rate))
		}
	}
	return rates
}

// scrapeFamilies polls url until a scrape parses and holds every family
// of a running loop, and returns the families.
func scrapeFamilies(ctx context.Context, url string, want []string) (map[string]*dto.MetricFamily, error) {
	var last error
	for ctx.Err() == nil {
		fams, err := func() (map[string]*dto.MetricFamily, error) {
			resp, err := http.Get(url)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			p := expfmt.NewTextParser(model.UTF8Validation)
			return p.TextToMetricFamilies(resp.Body)
		}()
		if err == nil {
			var missing []string
			for _, f := range want {
				if _, ok := fams[f]; !ok {
					missing = append(missing, f)
				}
			}
			if len(missing) == 0 {
				return fams, nil
			}
			err = fmt.Errorf("families missing: %v", missing)
			last = err
		} else if last == nil || !strings.Contains(last.Error(), "families missing") {
			last = err // keep a parsed scrape's missing families over a later refused connection
		}
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
	}
	return nil, fmt.Errorf("scrape %s: %w", url, last)
}

// runningFamilies are the families a scrape of a running loop holds.
var runningFamilies = []string{
	"nbasim_jobs", "nbasim_job_duration_seconds", "nbasim_source_requests_total",
	"nbasim_source_breaker_state", "nbasim_source_rate_per_second", "nbasim_lake_objects_written_total",
	"nbasim_lake_bytes_written_total", "nbasim_coverage_ratio", "nbasim_build_info",
}

// TestCampaigns runs the fleet campaigns of issue 10 on PostgreSQL with
// the real binary: a fault-free reference run of 3 `nbasim run` processes
// against `nbasim replay-server`, then the same with 20% injected faults
// of every kind, then with kill -9 of a random process every few seconds;
// each must end with the reference's lake (sha256 of every object) and
// table checksums, no host above its rate in any second (from the replay
// server's request log), and a /metrics scrape holding the loop's families.
func TestCampaigns(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	testutil.PostgresURL(t)
	size := campaignSizeFromEnv()
	bin, err := campaignBinary()
	if err != nil {
		t.Fatal(err)
	}
	var cut []string
	if size.scheduleUntil != "" {
		cut = []string{"--schedule-until", size.scheduleUntil}
	}

	// 1. Reference: no faults, no kills; /metrics scraped while it runs.
	refSrv := startReplay(t, bin, data, t.TempDir(), cut...)
	var scraped map[string]*dto.MetricFamily
	var scrapeErr error
	scrapeDone := make(chan struct{})
	ref := runCampaign(t, "reference", size, refSrv, 0, nil, func(url string) {
		defer close(scrapeDone)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		scraped, scrapeErr = scrapeFamilies(ctx, url, runningFamilies)
	})
	<-scrapeDone
	if scrapeErr != nil {
		t.Errorf("reference: %v", scrapeErr)
	} else {
		t.Logf("reference: /metrics scrape during the run parsed with %d families", len(scraped))
	}
	t.Logf("reference: %d processes, %s, %d lake objects", size.procs, ref.elapsed.Round(time.Second), len(ref.lake))
	checkRates(t, "reference", size, ref.requests)

	// 2. Faults: 20% of requests get a fault of any kind
	// (NBASIM_CAMPAIGN_SKIP=faults leaves it out, to rerun the kills alone).
	if !strings.Contains(os.Getenv("NBASIM_CAMPAIGN_SKIP"), "faults") {
		campaignFaults(t, bin, data, cut, size, ref)
	}

	// 3. Kills: kill -9 of a random process every killMin..killMax.
	killSrv := startReplay(t, bin, data, t.TempDir(), cut...)
	kr := runCampaign(t, "kills", size, killSrv, size.kills, []string{"NBASIM_RUN_JOB_TIMEOUT=30s", "NBASIM_RUN_RESCUE_AFTER=40s"}, nil)
	t.Logf("kills: %d kills, %s", kr.kills, kr.elapsed.Round(time.Second))
	if kr.kills < size.kills {
		t.Errorf("kills: %d kills before the work was done, want %d", kr.kills, size.kills)
	}
	compareRuns(t, "kills", ref, kr)
	checkRates(t, "kills", size, kr.requests)
}

// campaignFaults is the faults run of TestCampaigns: 20% of requests get a
// fault of any kind; the end state must equal the reference's.
func campaignFaults(t *testing.T, bin, data string, cut []string, size campaignSize, ref campaignResult) {
	t.Helper()
	faultSrv := startReplay(t, bin, data, t.TempDir(), append(cut, "--fault-rate", "0.2", "--faults", "all",
		"--retry-after", "1s", "--hang-for", "6s", "--slow-for", "1s", "--seed", "10")...)
	fr := runCampaign(t, "faults", size, faultSrv, 0, nil, nil)
	t.Logf("faults: %s", fr.elapsed.Round(time.Second))
	compareRuns(t, "faults", ref, fr)
	checkRates(t, "faults", size, fr.requests)
}

// benchRunEnv enables TestLoopJobsPerSecond (scripts/campaign.sh with BENCH=1).
const benchRunEnv = "NBASIM_BENCH_RUN"

// TestLoopJobsPerSecond measures the loop's throughput with the provider
// limits off (100,000 requests/s per host): `nbasim run --until-complete`
// against the replay server from an empty lake and database, on SQLite
// with 1 process and on PostgreSQL with 1 and 3 processes; jobs/s is the
// jobs completed (fetch, load, verify, reconcile) over the wall time.
// The figures are in docs/benchmarks.md.
func TestLoopJobsPerSecond(t *testing.T) {
	if os.Getenv(benchRunEnv) == "" {
		t.Skipf("a benchmark: set %s=1 (scripts/campaign.sh with BENCH=1)", benchRunEnv)
	}
	data := testutil.RealDataDir(t)
	bin, err := campaignBinary()
	if err != nil {
		t.Fatal(err)
	}
	until := os.Getenv("NBASIM_BENCH_RUN_UNTIL") // "" : the whole season
	var cut []string
	if until != "" {
		cut = []string{"--schedule-until", until}
	}
	size := campaignSize{procs: 1, rate: 100000, burst: 100, deadline: time.Hour}
	for _, tc := range []struct {
		name  string
		pg    bool
		procs int
	}{
		{"sqlite-1", false, 1},
		{"postgres-1", true, 1},
		{"postgres-3", true, 3},
	} {
		srv := startReplay(t, bin, data, t.TempDir(), cut...)
		size.procs = tc.procs
		res := runCampaignOn(t, tc.name, size, srv, 0, nil, nil, tc.pg)
		total := 0
		for _, n := range res.completed {
			total += n
		}
		t.Logf("%s: %d jobs completed in %s: %.1f jobs/s (%v); %d requests; %d lake objects",
			tc.name, total, res.elapsed.Round(time.Millisecond), float64(total)/res.elapsed.Seconds(), res.completed, len(res.requests), len(res.lake))
	}
}

// TestCampaignDiffRows checks the row diff a failed campaign prints: two
// PostgreSQL schemas whose players tables differ in one row each way.
func TestCampaignDiffRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	side := func(rows ...string) campaignResult {
		dbURL := storetest.PostgresSchemaURL(t)
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		r := campaignResult{env: newRunEnv(t, "http://127.0.0.1:1", dbURL), schema: u.Query().Get("search_path")}
		st := r.env.openStore(t)
		defer st.Close()
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, id := range rows {
			if _, err := st.Exec(ctx, `INSERT INTO players (player_id, name, bbref_id, updated_at) VALUES ($1, 'A Player', $2, $3)`,
				id, strings.TrimPrefix(id, "bbref:"), time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	want := side("201939", "bbref:curryst01")
	got := side("201939", "bbref:tatumja01")
	lines, err := diffRows(t, "players", want, got)
	if err != nil {
		t.Fatal(err)
	}
	wantLines := []string{
		`players: 1 rows only in the fault-free run ("player_id" | "name" | "espn_id" | "bbref_id")`,
		`players: only in the fault-free run: bbref:curryst01 | A Player | NULL | curryst01`,
		`players: 1 rows only in this run ("player_id" | "name" | "espn_id" | "bbref_id")`,
		`players: only in this run: bbref:tatumja01 | A Player | NULL | tatumja01`,
	}
	if !slices.Equal(lines, wantLines) {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
}
