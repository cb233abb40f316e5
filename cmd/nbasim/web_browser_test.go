package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nbasim/nbasim/internal/testutil"
	"github.com/nbasim/nbasim/internal/timing"
)

// The web dashboard end to end: a small real data set imported, loaded,
// verified and reconciled by the real binary, served by `nbasim serve`, and
// driven in a real headless Chromium (chromedp). Screenshots of every page
// go to $NBASIM_WEB_SCREENSHOTS when set (docs/web.md uses them).

// webGames are the 2018-19 games of the fixture (play-by-play from
// ../shared/data/nba_stats/playbyplayv2).
var webGames = []string{"0021800001", "0021800006", "0021800046", "0021800049", "0021800054", "0021800073", "0021800081", "0021800092"}

// miniData lays out a data folder like ../shared/data with the games'
// play-by-play, the 2018-19 team game log (schedule and official team
// totals) and 0021800001's basketball-reference box.
func miniData(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	idx, err := os.ReadFile(filepath.Join(src, "nba_stats", "index.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	urls, err := os.ReadFile(filepath.Join(src, "URLS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	want := func(path string) bool {
		for _, g := range webGames {
			if path == "nba_stats/playbyplayv2/"+g+".json" {
				return true
			}
		}
		return strings.HasPrefix(path, "nba_stats/leaguegamelog/") && strings.Contains(path, "Season-2018-19_SeasonType-Regular") ||
			path == "bbref/boxscores/201810160BOS.html.gz"
	}
	filter := func(data []byte, name string) {
		lines := strings.Split(string(data), "\n")
		out := []string{lines[0]}
		for _, l := range lines[1:] {
			path, _, _ := strings.Cut(l, "\t")
			if want(path) {
				out = append(out, l)
				b, err := os.ReadFile(filepath.Join(src, path))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, path)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dst, path), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	filter(idx, "nba_stats/index.tsv")
	filter(urls, "URLS.tsv")
	return dst
}

// serveProc is a running `nbasim serve`.
type serveProc struct {
	base  string // http://127.0.0.1:PORT
	login string // one-time login path, with --token
	cmd   *exec.Cmd
}

// startServe runs `nbasim serve` with args and waits for its address.
func startServe(t *testing.T, bin, dir string, args ...string) *serveProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	listen := regexp.MustCompile(`listening on (http://[0-9.:\[\]]+)/`)
	login := regexp.MustCompile(`login URL: http://[^/]+(/login\?code=[0-9a-f]+)`)
	sc := bufio.NewScanner(stderr)
	deadline := time.After(60 * time.Second)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for p.base == "" || (p.login == "" && strings.Contains(strings.Join(args, " "), "--token")) {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("nbasim serve %v exited before listening", args)
			}
			if m := listen.FindStringSubmatch(l); m != nil {
				p.base = m[1]
			}
			if m := login.FindStringSubmatch(l); m != nil {
				p.login = m[1]
			}
		case <-deadline:
			t.Fatalf("nbasim serve %v: no address after 60 s", args)
		}
	}
	go func() { // keep draining
		for range lines {
		}
	}()
	return p
}

func cleanEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "NBASIM_") {
			env = append(env, e)
		}
	}
	return append(env, "NBASIM_LOG_LEVEL=warn")
}

func mustRun(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("nbasim %s: %v\n%s\n%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// browser is a headless Chromium tab that records console errors,
// uncaught exceptions and browser-log errors (failed loads, CSP
// violations included).
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := testutil.Chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				b.mu.Lock()
				b.errors = append(b.errors, m.String()+" "+m.URL)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

func (b *browser) takeErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.errors
	b.errors = nil
	return e
}

func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression into out (JSON-decoded).
func (b *browser) eval(t *testing.T, expr string, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("evaluate %.60q: %v (%s)", expr, err, raw)
		}
	}
}

func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("NBASIM_WEB_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG; below, JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "web-"+name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWebPagesInChromium(t *testing.T) {
	data := testutil.RealDataDir(t)
	b := newBrowser(t)
	bin := boxBinary(t)
	work := t.TempDir()
	mini := miniData(t, data)
	db := filepath.Join(work, "nbasim.db")
	g := []string{"--lake", "file://" + filepath.Join(work, "lake"), "--db", db}
	// the season the data is of (the defaults keep 2023-24 and 2024-25)
	if err := os.WriteFile(filepath.Join(work, "nbasim.yaml"), []byte("seasons: [2018-19]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, bin, work, append([]string{"import", mini}, g...)...)
	mustRun(t, bin, work, append([]string{"reconcile"}, g...)...) // before the load: a first point of the trend
	mustRun(t, bin, work, append([]string{"load"}, g...)...)
	mustRun(t, bin, work, append([]string{"verify", "--all", "--save"}, g...)...) // the verification panel and the quality page read what --save stores
	mustRun(t, bin, work, append([]string{"reconcile"}, g...)...)
	cliBox := mustRun(t, bin, work, "box", "0021800001", "--at", "Q3 7:02", "--db", db)
	covJSON := mustRun(t, bin, work, "coverage", "--json", "--db", db)
	srv := startServe(t, bin, work, "--addr", "127.0.0.1:0", "--db", db)

	pages := []struct {
		name, path, ready string
	}{
		{"overview", "/", "#heatmap"},
		{"games", "/games", "#games"},
		{"game", "/games/0021800001", "#box[data-label]"},
		{"players", "/players?q=embiid", "#results table"},
		{"player", "/players/203954", "#gamelog"},
		{"quality", "/quality", "main h1 + .grid"},
	}
	for _, p := range pages {
		t.Run("loads/"+p.name, func(t *testing.T) {
			b.takeErrors()
			b.do(t, p.path, chromedp.Navigate(srv.base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			var errBoxes int
			b.eval(t, `document.querySelectorAll(".error").length`, &errBoxes)
			if errBoxes != 0 {
				t.Errorf("%s shows %d error box(es)", p.path, errBoxes)
			}
			b.eval(t, `new Promise(r => requestAnimationFrame(() => r(1)))`, nil) // a frame for late messages
			if errs := b.takeErrors(); len(errs) > 0 {
				t.Errorf("%s: console errors:\n%s", p.path, strings.Join(errs, "\n"))
			}
			b.screenshot(t, p.name)
		})
	}

	t.Run("game slider at Q3 7:02 equals nbasim box", func(t *testing.T) {
		want := parseCLIBox(t, cliBox)
		b.takeErrors()
		b.do(t, "game page", chromedp.Navigate(srv.base+"/games/0021800001"), chromedp.WaitVisible(chromedp.CSS(`#box[data-label]`)))
		// drag: a few intermediate positions, then Q3 7:02 (1738 s)
		for _, v := range []int{300, 900, 1500, 1738} {
			b.eval(t, fmt.Sprintf(`(() => { const s = document.getElementById("slider"); s.value = "%d"; s.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, v), nil)
		}
		b.do(t, "box follows", chromedp.WaitVisible(chromedp.CSS(`#box[data-elapsed="1738"]`)))
		var got webBox
		b.eval(t, readBoxJS, &got)
		if got.Header != want.Header {
			t.Errorf("score line %q, CLI %q", got.Header, want.Header)
		}
		compareBox(t, got, want)
		var lat []float64
		b.eval(t, `window.__nbasimLatency`, &lat)
		t.Logf("slider -> box latency (ms, input to rendered, per request): %v", lat)
		b.screenshot(t, "game-q3-702")
		// the simulated win probability follows (docs/sim.md)
		b.do(t, "win probability", chromedp.WaitVisible(chromedp.CSS(`#winprob[data-points]`)))
		var wpPoints int
		b.eval(t, `Number(document.getElementById("winprob").dataset.points)`, &wpPoints)
		if wpPoints < 300 {
			t.Errorf("win probability chart has %d points; the game has about 450 events", wpPoints)
		}
		if errs := b.takeErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("slider drag: the box follows", func(t *testing.T) {
		// a drag as a person makes it: an input event every 16 ms (one a
		// frame) across the game, then the box must show the last position;
		// each answer's latency (input to rendered) is logged, not asserted
		// (the machine may be loaded: docs/web.md has the figures)
		b.do(t, "game page", chromedp.Navigate(srv.base+"/games/0021800001"), chromedp.WaitVisible(chromedp.CSS(`#box[data-label]`)))
		var n int
		b.eval(t, `new Promise(done => {
  window.__nbasimLatency = [];
  const s = document.getElementById("slider");
  let v = 0, k = 0;
  const step = () => {
    v = Math.min(2880, v + 47); k++;
    s.value = String(v); s.dispatchEvent(new Event("input", {bubbles: true}));
    if (v < 2880) setTimeout(step, 16); else done(k);
  };
  step();
})`, &n)
		b.do(t, "box at the end of the drag", chromedp.WaitVisible(chromedp.CSS(`#box[data-elapsed="2880"]`)))
		var lat, draw []float64
		b.eval(t, `window.__nbasimLatency`, &lat)
		b.eval(t, `window.__nbasimRender`, &draw)
		if len(lat) == 0 {
			t.Fatal("no box rendered during the drag")
		}
		last := lat[len(lat)-1] // the drag's end position: what the eye waits for
		q := func(xs []float64, p float64) float64 {
			s := append([]float64(nil), xs...)
			sort.Float64s(s)
			return s[min(len(s)-1, int(p*float64(len(s))))]
		}
		t.Logf("LATENCY slider drag: %d input events over %d ms, %d boxes drawn (one request in flight, always the latest position); input -> box on screen: median %.1f ms, p95 %.1f ms, max %.1f ms, the last position %.1f ms; drawing alone: median %.2f ms, max %.2f ms (load average %s)",
			n, n*16, len(lat), q(lat, 0.5), q(lat, 0.95), q(lat, 1), last, q(draw, 0.5), q(draw, 1), timing.LoadAvg())
		// "the box follows within 100 ms" (issue 13), asserted only on a
		// machine the caller vouches for (a loaded CI machine would flake)
		if os.Getenv("NBASIM_BENCH_WEB") == "1" {
			if q(lat, 0.5) >= 100 || q(lat, 0.95) >= 100 || last >= 100 {
				t.Errorf("the box follows the slider in median %.1f ms, p95 %.1f ms, last position %.1f ms: want each under 100 ms", q(lat, 0.5), q(lat, 0.95), last)
			}
		}
	})

	t.Run("games list filters by team", func(t *testing.T) {
		var before int
		b.do(t, "games", chromedp.Navigate(srv.base+"/games"), chromedp.WaitVisible(chromedp.CSS(`#games`)))
		b.eval(t, `document.querySelectorAll("#games tbody tr").length`, &before)
		b.do(t, "filter", chromedp.SendKeys(chromedp.CSS(`#f-team`), "BOS"), chromedp.Click(chromedp.CSS(`#filters button[type=submit]`))) // the page handles submit itself (no navigation)
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.search.includes("team=BOS") && document.querySelectorAll("#games tbody tr").length > 0 && [...document.querySelectorAll("#games tbody tr")].every(r => r.dataset.home === "BOS" || r.dataset.away === "BOS")`)); err != nil {
			t.Fatalf("the list never showed BOS games only: %v", err)
		}
		var rows []map[string]string
		b.eval(t, `[...document.querySelectorAll("#games tbody tr")].map(r => ({game: r.dataset.game, home: r.dataset.home, away: r.dataset.away}))`, &rows)
		var api struct {
			Total int `json:"total"`
		}
		getWebJSON(t, srv.base+"/api/v1/games?team=BOS&limit=500", "", &api)
		var count string
		b.eval(t, `document.getElementById("count").textContent`, &count)
		if len(rows) != min(api.Total, 50) || api.Total == 0 || !strings.HasSuffix(count, fmt.Sprintf("of %d games", api.Total)) {
			t.Errorf("BOS filter shows %d rows, %q (API total %d; a page is 50)", len(rows), count, api.Total)
		}
		if before != 50 {
			t.Errorf("unfiltered first page: %d rows, want 50", before)
		}
		for _, r := range rows {
			if r["home"] != "BOS" && r["away"] != "BOS" {
				t.Errorf("row %v is not a BOS game", r)
			}
		}
		b.screenshot(t, "games-bos")
	})

	t.Run("overview heat map matches nbasim coverage --json", func(t *testing.T) {
		var cov struct {
			Latest []struct {
				Source, Dataset, Season string
				Expected, Present       int
				Completeness            float64
			} `json:"latest"`
		}
		if err := json.Unmarshal([]byte(covJSON), &cov); err != nil {
			t.Fatalf("coverage --json: %v\n%s", err, covJSON)
		}
		var cells []struct {
			Source, Dataset, Season, Expected, Present, Completeness, Text string
		}
		b.do(t, "overview", chromedp.Navigate(srv.base+"/"), chromedp.WaitVisible(chromedp.CSS(`#heatmap`)))
		b.eval(t, `[...document.querySelectorAll("#heatmap td.cell[data-source]")].map(td => ({Source: td.dataset.source, Dataset: td.dataset.dataset, Season: td.dataset.season, Expected: td.dataset.expected, Present: td.dataset.present, Completeness: td.dataset.completeness, Text: td.textContent}))`, &cells)
		if len(cells) != len(cov.Latest) || len(cells) == 0 {
			t.Fatalf("heat map has %d cells, coverage --json %d", len(cells), len(cov.Latest))
		}
		got := map[string]string{}
		for _, c := range cells {
			got[c.Source+"/"+c.Dataset+"/"+c.Season] = fmt.Sprintf("%s/%s %s", c.Present, c.Expected, c.Text)
		}
		for _, c := range cov.Latest {
			text := "–"
			if c.Expected > 0 {
				text = fmt.Sprintf("%.0f%%", 100*c.Completeness)
			}
			want := fmt.Sprintf("%d/%d %s", c.Present, c.Expected, text)
			if g := got[c.Source+"/"+c.Dataset+"/"+c.Season]; g != want {
				t.Errorf("cell %s/%s/%s: page %q, coverage --json %q", c.Source, c.Dataset, c.Season, g, want)
			}
		}
	})

	t.Run("another origin gets no CORS access", func(t *testing.T) {
		// a page served from another origin (another port) fetches the API
		other := startServe(t, bin, work, "--addr", "127.0.0.1:0", "--db", db)
		var res string
		b.do(t, "other origin", chromedp.Navigate(other.base+"/"), chromedp.WaitVisible(chromedp.CSS(`#heatmap`)))
		b.eval(t, fmt.Sprintf(`fetch(%q).then(r => "read " + r.status, e => "blocked: " + e.name)`, srv.base+"/api/v1/status"), &res)
		if !strings.HasPrefix(res, "blocked") {
			t.Errorf("a page of %s read %s/api/v1/status: %s", other.base, srv.base, res)
		}
		b.takeErrors() // the blocked request logs an error, as it should
		req, _ := http.NewRequest("GET", srv.base+"/api/v1/status", nil)
		req.Header.Set("Origin", "https://evil.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("Access-Control-Allow-Origin %q for another origin", v)
		}
	})

	t.Run("non-loopback bind needs a token and refuses without it", func(t *testing.T) {
		cmd := exec.Command(bin, "serve", "--addr", "0.0.0.0:0", "--db", db)
		cmd.Env = cleanEnv()
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "--token") {
			t.Errorf("serve on 0.0.0.0 without a token: %v\n%s", err, out)
		}
		p := startServe(t, bin, work, "--addr", "0.0.0.0:0", "--token", "t0ken", "--db", db)
		base := strings.Replace(p.base, "0.0.0.0", "127.0.0.1", 1)
		base = strings.Replace(base, "[::]", "127.0.0.1", 1)
		for _, path := range []string{"/", "/api/v1/status", "/api/v1/games/0021800001/box?at=Q3+7:02"} {
			if code := getWebJSON(t, base+path, "", nil); code != http.StatusUnauthorized {
				t.Errorf("GET %s without a token: %d, want 401", path, code)
			}
		}
		if code := getWebJSON(t, base+"/api/v1/status", "t0ken", nil); code != 200 {
			t.Errorf("with the bearer token: %d", code)
		}
		// the one-time login URL in the browser: cookie, then the pages work
		b.takeErrors()
		b.do(t, "login", chromedp.Navigate(base+p.login), chromedp.WaitVisible(chromedp.CSS(`#heatmap`)))
		if errs := b.takeErrors(); len(errs) > 0 {
			t.Errorf("after login: %v", errs)
		}
	})
}

func getWebJSON(t *testing.T, url, token string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	return resp.StatusCode
}

// webBox is the box as the page shows it.
type webBox struct {
	Header string    `json:"header"`
	Sides  []webSide `json:"sides"`
}

type webSide struct {
	Team  string     `json:"team"`
	Rows  [][]string `json:"rows"` // name (with "* " for starters), then the stat cells
	Notes []string   `json:"notes"`
}

const readBoxJS = `(() => {
  const txt = (e) => e.textContent.trim();
  const away = document.getElementById("box-away"), home = document.getElementById("box-home");
  const side = (d) => ({
    team: d.dataset.code,
    rows: [...d.querySelectorAll("tbody tr")].map(tr => [...tr.querySelectorAll("td")].map((td, i) => i === 0 && td.classList.contains("starter") ? "* " + txt(td) : txt(td))),
    notes: [...d.querySelectorAll("p.teamnote")].map(txt),
  });
  const score = document.getElementById("score-away").textContent + " - " + document.getElementById("score-home").textContent;
  return { header: document.getElementById("moment").textContent + ": " + away.dataset.code + " " + score + " " + home.dataset.code, sides: [side(away), side(home)] };
})()`

// parseCLIBox reads the table `nbasim box --at` prints.
func parseCLIBox(t *testing.T, out string) webBox {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var b webBox
	// "0021800001 2018-10-16 PHI 87 at BOS 105" (the game the id resolved
	// to), then "Q3 7:02: PHI 52 - 61 BOS"
	b.Header = lines[1]
	var cur *webSide
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		switch {
		case len(f) == 0:
			b.Sides = append(b.Sides, webSide{})
			cur = &b.Sides[len(b.Sides)-1]
		case cur == nil:
			t.Fatalf("CLI box: line %q before the first table:\n%s", l, out)
		case cur.Team == "" && len(f) == 15 && f[1] == "MIN":
			cur.Team = f[0]
		case strings.HasPrefix(l, "team rebounds") || strings.HasPrefix(l, "on court:"):
			cur.Notes = append(cur.Notes, strings.TrimSpace(l))
		case f[0] == "TEAM":
			cur.Rows = append(cur.Rows, append([]string{"TEAM"}, append(f[1:], "")...))
		default:
			n := len(f) - 14
			if n < 1 {
				t.Fatalf("CLI box line %q: want a name and 14 stats", l)
			}
			cur.Rows = append(cur.Rows, append([]string{strings.Join(f[:n], " ")}, f[n:]...))
		}
	}
	return b
}

func compareBox(t *testing.T, got, want webBox) {
	t.Helper()
	if len(got.Sides) != 2 || len(want.Sides) != 2 {
		t.Fatalf("sides: page %d, CLI %d", len(got.Sides), len(want.Sides))
	}
	cells := 0
	for s := range want.Sides {
		g, w := got.Sides[s], want.Sides[s]
		if g.Team != w.Team {
			t.Errorf("side %d: page %s, CLI %s", s, g.Team, w.Team)
		}
		if len(g.Rows) != len(w.Rows) {
			t.Errorf("%s: page %d rows, CLI %d", w.Team, len(g.Rows), len(w.Rows))
			continue
		}
		for i := range w.Rows {
			// the CLI's names are tab-aligned: compare with single spaces
			wr, gr := w.Rows[i], g.Rows[i]
			gr[0] = strings.Join(strings.Fields(gr[0]), " ")
			if len(gr) != len(wr) {
				t.Errorf("%s row %d: page %v, CLI %v", w.Team, i, gr, wr)
				continue
			}
			for j := range wr {
				cells++
				if gr[j] != wr[j] {
					t.Errorf("%s row %d (%s) cell %d: page %q, CLI %q", w.Team, i, wr[0], j, gr[j], wr[j])
				}
			}
		}
		sort.Strings(g.Notes)
		sort.Strings(w.Notes)
		if strings.Join(g.Notes, "|") != strings.Join(w.Notes, "|") {
			t.Errorf("%s notes: page %q, CLI %q", w.Team, g.Notes, w.Notes)
		}
	}
	t.Logf("compared %d cells of the box at Q3 7:02 (and the score line, team notes and the five on court)", cells)
	if cells < 300 {
		t.Errorf("only %d cells compared", cells)
	}
}
