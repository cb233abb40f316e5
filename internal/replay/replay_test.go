package replay

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/testutil"
)

func start(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	rs, err := Load(testutil.RealDataDir(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(rs)
	t.Cleanup(hs.Close)
	return rs, hs
}

func TestLookupRules(t *testing.T) {
	t.Parallel()
	rs, _ := start(t)
	tests := []struct {
		url, file string
	}{
		// exact, parameters in another order
		{"https://stats.nba.com/stats/gamerotation?LeagueID=00&GameID=0022200552", "nba_stats/gamerotation/0022200552.json"},
		// two recordings of one URL: the plainest name wins
		{"https://stats.nba.com/stats/playbyplayv2?GameID=0021900001&StartPeriod=0&EndPeriod=10", "nba_stats/playbyplayv2/0021900001.json"},
		{"https://www.basketball-reference.com/leagues/NBA_2019_games-april.html", "bbref/schedules/NBA_2019_games-april.html"},
		// recorded parameters a subset of the request's (ESPN)
		{"https://site.api.espn.com/apis/site/v2/sports/basketball/nba/scoreboard?dates=20241201&limit=100", "espn/scoreboard_20241201.json"},
		// stats.nba.com: endpoint case-insensitive, GameID; a full-game request gets the main recording
		{"https://stats.nba.com/stats/boxScoreTraditionalV2?GameID=0021600270&StartPeriod=0&EndPeriod=0&StartRange=0&EndRange=0&RangeType=0", "nba_stats/boxscoretraditionalv2/0021600270.json"},
		{"https://stats.nba.com/stats/boxscoretraditionalv2?GameID=0021600270&StartPeriod=0&EndPeriod=0&StartRange=28800&EndRange=28940&RangeType=2", "nba_stats/boxscoretraditionalv2/0021600270_EndRange-28940_RangeType-2_StartRange-28800.json"},
		{"https://www.basketball-reference.com/boxscores/201810160BOS.html", "bbref/boxscores/201810160BOS.html.gz"},
	}
	for _, tc := range tests {
		e, ok := rs.LookupURL(tc.url)
		if !ok {
			t.Errorf("%s: no recording", tc.url)
			continue
		}
		if e.Name() != tc.file {
			t.Errorf("%s: %s, want %s", tc.url, e.Name(), tc.file)
		}
	}
	if e, ok := rs.LookupURL("https://stats.nba.com/stats/playbyplayv2?GameID=0029999999&StartPeriod=0&EndPeriod=10"); ok {
		t.Errorf("unknown game answered by %s", e.Name())
	}
}

func get(t *testing.T, req *http.Request) (*http.Response, []byte, error) {
	t.Helper()
	// No connection reuse: a reused connection that breaks makes the
	// transport retry a GET on its own, hiding the fault.
	resp, err := (&http.Transport{DisableKeepAlives: true}).RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestRoutingAndEncoding(t *testing.T) {
	t.Parallel()
	rs, hs := start(t)
	want, _, err := rs.Recording("https://www.basketball-reference.com/boxscores/201810160BOS.html")
	if err != nil {
		t.Fatal(err)
	}
	// Path prefix, no gzip asked: decoded body.
	req, _ := http.NewRequest("GET", hs.URL+"/www.basketball-reference.com/boxscores/201810160BOS.html", nil)
	resp, body, err := get(t, req)
	if err != nil || resp.StatusCode != 200 || string(body) != string(want) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("prefix route: %v %v %d bytes", err, resp, len(body))
	}
	// Host header, gzip asked: the recorded gzip with Content-Encoding.
	req, _ = http.NewRequest("GET", hs.URL+"/boxscores/201810160BOS.html", nil)
	req.Host = "www.basketball-reference.com"
	req.Header.Set("Accept-Encoding", "gzip")
	resp, body, err = get(t, req)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("host route: %v %v", err, resp)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := io.ReadAll(zr)
	if string(dec) != string(want) {
		t.Error("gzip body does not decode to the recording")
	}
	log := rs.Log()
	if len(log) != 2 || log[0].Host != "www.basketball-reference.com" || log[1].Host != "www.basketball-reference.com" || log[0].File == "" {
		t.Errorf("log %+v", log)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	rs, hs := start(t)
	rs.SetFaults(Faults{RetryAfter: 2 * time.Second, HangFor: 300 * time.Millisecond, SlowFor: 80 * time.Millisecond})
	u := hs.URL + "/stats.nba.com/stats/playbyplayv2?GameID=0021800001&StartPeriod=0&EndPeriod=10"
	full, _, _ := rs.Recording("https://stats.nba.com/stats/playbyplayv2?GameID=0021800001&StartPeriod=0&EndPeriod=10")
	tests := []struct {
		fault Fault
		check func(resp *http.Response, body []byte, err error, took time.Duration) string
	}{
		{Fault429, func(r *http.Response, _ []byte, err error, _ time.Duration) string {
			if err != nil || r.StatusCode != 429 || r.Header.Get("Retry-After") != "2" {
				return "want 429 with Retry-After: 2"
			}
			return ""
		}},
		{Fault500, func(r *http.Response, _ []byte, err error, _ time.Duration) string {
			if err != nil || r.StatusCode != 500 {
				return "want 500"
			}
			return ""
		}},
		{Fault403, func(r *http.Response, _ []byte, err error, _ time.Duration) string {
			if err != nil || r.StatusCode != 403 {
				return "want 403"
			}
			return ""
		}},
		{FaultHang, func(_ *http.Response, _ []byte, err error, took time.Duration) string {
			if err == nil || took < 300*time.Millisecond {
				return "want no response for HangFor"
			}
			return ""
		}},
		{FaultSlow, func(r *http.Response, b []byte, err error, took time.Duration) string {
			if err != nil || string(b) != string(full) || took < 70*time.Millisecond {
				return "want the full body, slowly"
			}
			return ""
		}},
		{FaultTruncate, func(r *http.Response, b []byte, err error, _ time.Duration) string {
			if err != nil || r.StatusCode != 200 || len(b) != len(full)*6/10 || r.ContentLength != int64(len(b)) {
				return "want 60% of the body with a matching Content-Length"
			}
			return ""
		}},
		{FaultErrorPage, func(r *http.Response, b []byte, err error, _ time.Duration) string {
			if err != nil || r.StatusCode != 200 || !strings.Contains(string(b), "<title>503") {
				return "want an HTML error page with 200"
			}
			return ""
		}},
		{FaultReset, func(_ *http.Response, _ []byte, err error, _ time.Duration) string {
			if err == nil || !(errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || strings.Contains(err.Error(), "EOF")) {
				return "want the connection closed without a response"
			}
			return ""
		}},
	}
	for _, tc := range tests {
		rs.Inject("stats.nba.com", tc.fault)
		req, _ := http.NewRequest("GET", u, nil)
		t0 := time.Now()
		resp, body, err := get(t, req)
		if msg := tc.check(resp, body, err, time.Since(t0)); msg != "" {
			t.Errorf("%s: %s (err %v)", tc.fault, msg, err)
		}
	}
	// The server completes a log entry when its handler returns, which can
	// be after the client has seen the response: poll until every entry is
	// complete instead of sleeping a time that assumes an idle machine.
	log := rs.Log()
	for deadline := time.Now().Add(10 * time.Second); !logComplete(log, len(tests)) && time.Now().Before(deadline); log = rs.Log() {
		time.Sleep(5 * time.Millisecond)
	}
	if len(log) != len(tests) {
		t.Fatalf("%d log entries, want %d", len(log), len(tests))
	}
	for i, tc := range tests {
		if log[i].Fault != tc.fault {
			t.Errorf("log[%d] fault %q, want %q", i, log[i].Fault, tc.fault)
		}
	}
}

func TestControlEndpoints(t *testing.T) {
	t.Parallel()
	rs, hs := start(t)
	resp, err := http.Post(hs.URL+"/_replay/fault?kind=500&count=2&host=cdn.nba.com", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("inject: %v %v", err, resp)
	}
	resp.Body.Close()
	for i, want := range []int{500, 500, 200} {
		r, err := http.Get(hs.URL + "/cdn.nba.com/static/json/liveData/boxscore/boxscore_0022000001.json")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("request %d: %d, want %d", i, r.StatusCode, want)
		}
	}
	r, err := http.Get(hs.URL + "/_replay/log")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if n := strings.Count(string(b), "\n"); n < 4 {
		t.Errorf("log has %d lines:\n%s", n, b)
	}
	if len(rs.Log()) < 4 {
		t.Error("control requests not logged")
	}
}

func TestScheduleUntil(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	const u = "https://stats.nba.com/stats/leaguegamelog?LeagueID=00&Season=2018-19&SeasonType=Regular+Season&PlayerOrTeam=T&Counter=1000&Sorter=DATE&Direction=DESC&DateFrom=&DateTo="
	count := func(b []byte) (rows int, last string) {
		var doc struct {
			ResultSets []struct {
				Headers []string `json:"headers"`
				RowSet  [][]any  `json:"rowSet"`
			} `json:"resultSets"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		for _, s := range doc.ResultSets {
			for _, r := range s.RowSet {
				rows++
				for i, h := range s.Headers {
					if d, _ := r[i].(string); h == "GAME_DATE" && d > last {
						last = d
					}
				}
			}
		}
		return rows, last
	}
	full, err := Load(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := full.Recording(u)
	if err != nil {
		t.Fatal(err)
	}
	allRows, allLast := count(b)
	cut, err := Load(data, Options{ScheduleUntil: "2018-10-17"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(cut)
	defer hs.Close()
	resp, err := http.Get(hs.URL + "/stats.nba.com/stats/leaguegamelog?" + strings.SplitN(u, "?", 2)[1])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows, last := count(body)
	// 2018-10-16: 2 games, 2018-10-17: 11 games; two team rows a game.
	if rows != 26 || last > "2018-10-17" || allRows <= rows || allLast <= "2018-10-17" {
		t.Errorf("cut schedule: %d rows up to %s (full: %d up to %s), want 26 up to 2018-10-17", rows, last, allRows, allLast)
	}
	if _, err := Load(data, Options{ScheduleUntil: "17/10/2018"}); err == nil {
		t.Error("a bad date: no error")
	}
}

func TestReadLogAndRates(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var log strings.Builder
	var entries []LogEntry
	// stats.nba.com: 10 requests 100 ms apart from t0+0.5 s (5 in each
	// calendar second, 10 in the window from t0+0.5 s); cdn: 2; control: 1.
	for i := range 10 {
		entries = append(entries, LogEntry{Time: t0.Add(500*time.Millisecond + time.Duration(i)*100*time.Millisecond), Host: "stats.nba.com", Path: "/stats/x", Status: 200})
	}
	entries[3].Fault, entries[3].Status = Fault429, 429
	entries = append(entries, LogEntry{Time: t0, Host: "cdn.nba.com", Path: "/a"}, LogEntry{Time: t0.Add(2 * time.Second), Host: "cdn.nba.com", Path: "/b"},
		LogEntry{Time: t0, Host: "127.0.0.1", Path: "/_replay/log"})
	for _, e := range entries {
		b, _ := json.Marshal(e)
		log.Write(append(b, '\n'))
	}
	got, err := ReadLog(strings.NewReader(log.String()))
	if err != nil || len(got) != len(entries) {
		t.Fatalf("ReadLog: %d entries, %v; want %d", len(got), err, len(entries))
	}
	rates := Rates(got, time.Second)
	want := []HostRate{
		{Host: "cdn.nba.com", Requests: 2, MaxPerWindow: 1, WindowStart: t0, MaxPerSecond: 1},
		{Host: "stats.nba.com", Requests: 10, MaxPerWindow: 10, WindowStart: t0.Add(500 * time.Millisecond), MaxPerSecond: 5, Faults: map[Fault]int{Fault429: 1}},
	}
	if len(rates) != len(want) {
		t.Fatalf("Rates: %+v, want %+v", rates, want)
	}
	for i := range want {
		g, w := rates[i], want[i]
		if g.Host != w.Host || g.Requests != w.Requests || g.MaxPerWindow != w.MaxPerWindow || !g.WindowStart.Equal(w.WindowStart) ||
			g.MaxPerSecond != w.MaxPerSecond || len(g.Faults) != len(w.Faults) || g.Faults[Fault429] != w.Faults[Fault429] {
			t.Errorf("Rates[%d] = %+v, want %+v", i, g, w)
		}
	}
	if _, err := ReadLog(strings.NewReader("{}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line: %v, want an error naming line 2", err)
	}
}

// logComplete reports whether log holds n entries, each completed by its
// handler (a completed entry has a duration).
func logComplete(log []LogEntry, n int) bool {
	if len(log) < n {
		return false
	}
	for _, le := range log {
		if le.Duration <= 0 {
			return false
		}
	}
	return true
}

// TestStickyFaults: a fault stuck to a URL substring hits every request to
// it and no other; garble serves the same parse-failing bytes each time.
func TestStickyFaults(t *testing.T) {
	t.Parallel()
	rs, hs := start(t)
	rs.SetFaults(Faults{HangFor: 200 * time.Millisecond})
	resp, err := http.Post(hs.URL+"/_replay/fault?kind=garble&path=GameID=0021800001", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stick: %v %v", err, resp)
	}
	resp.Body.Close()
	rs.Stick("GameID=0022200552", FaultHang)
	pbp := func(game string) string {
		return hs.URL + "/stats.nba.com/stats/playbyplayv2?GameID=" + game + "&StartPeriod=0&EndPeriod=10"
	}
	var first []byte
	for i := range 3 {
		req, _ := http.NewRequest("GET", pbp("0021800001"), nil)
		r, b, err := get(t, req)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("garbled request %d: %v %v", i, err, r)
		}
		var body struct {
			Parameters map[string]any `json:"parameters"`
			ResultSets []struct {
				Name    string   `json:"name"`
				Headers []string `json:"headers"`
				RowSet  [][]any  `json:"rowSet"`
			} `json:"resultSets"`
		}
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatalf("garbled body is not JSON: %v", err)
		}
		if len(body.ResultSets) == 0 || body.ResultSets[0].Name != "PlayByPlay" || len(body.ResultSets[0].Headers) != 1 ||
			body.ResultSets[0].Headers[0] != "GARBLED" || len(body.ResultSets[0].RowSet) != 0 || body.Parameters["GameID"] != "0021800001" {
			t.Errorf("garbled body: %s", b)
		}
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Errorf("garbled request %d: other bytes than the first", i)
		}
	}
	for i := range 2 {
		req, _ := http.NewRequest("GET", pbp("0022200552"), nil)
		t0 := time.Now()
		if _, _, err := get(t, req); err == nil || time.Since(t0) < 200*time.Millisecond {
			t.Errorf("hanging request %d: answered (err %v after %s)", i, err, time.Since(t0))
		}
	}
	full, _, _ := rs.Recording("https://stats.nba.com/stats/playbyplayv2?GameID=0021800046&StartPeriod=0&EndPeriod=10")
	req, _ := http.NewRequest("GET", pbp("0021800046"), nil)
	if r, b, err := get(t, req); err != nil || r.StatusCode != 200 || string(b) != string(full) {
		t.Errorf("a request no sticky fault matches: %v %v (%d bytes, want %d)", err, r, len(b), len(full))
	}
}

// A request's log entry holds its status and file as soon as the answer
// starts, not only when the handler returns: a client that has read (part
// of) its answer finds them in Log. A slow answer keeps the handler running
// for seconds while the first bytes are already read.
func TestLogFilledWhenTheAnswerStarts(t *testing.T) {
	t.Parallel()
	rs, hs := start(t)
	rs.SetFaults(Faults{SlowFor: 4 * time.Second})
	rs.Stick("201810160BOS", FaultSlow)
	resp, err := http.Get(hs.URL + "/www.basketball-reference.com/boxscores/201810160BOS.html")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 16)); err != nil {
		t.Fatal(err)
	}
	log := rs.Log()
	if len(log) != 1 || log[0].Status != http.StatusOK || log[0].File == "" || log[0].Fault != FaultSlow || log[0].Duration != 0 {
		t.Fatalf("log while the answer streams: %+v", log)
	}
}
