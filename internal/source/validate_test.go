package source_test

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/source/bbref"
	"github.com/nbasim/nbasim/internal/source/espn"
	"github.com/nbasim/nbasim/internal/source/nbalive"
	"github.com/nbasim/nbasim/internal/source/nbastats"
	"github.com/nbasim/nbasim/internal/testutil"
)

func readRec(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(testutil.RealDataDir(t), rel)
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(p, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestValidation runs each source's validation on real recordings, on
// damaged copies of them and on disguised error responses.
func TestValidation(t *testing.T) {
	t.Parallel()
	v2 := readRec(t, "nba_stats/playbyplayv2/0021800001.json")
	v3 := readRec(t, "nba_stats/playbyplayv3/0022200552.json")
	gl := readRec(t, "nba_stats/leaguegamelog/Counter-1000_Direction-DESC_PlayerOrTeam-T_Season-2018-19_SeasonType-Regular+Season_Sorter-DATE.json")
	live := readRec(t, "nba_live/liveData/playbyplay/playbyplay_0022000001.json")
	sched := readRec(t, "nba_live/staticData/scheduleLeagueV2_2.json")
	summary := readRec(t, "espn/summary_401585607.json")
	board := readRec(t, "espn/scoreboard_20241201.json")
	box := readRec(t, "bbref/boxscores/201810160BOS.html.gz")
	full := readRec(t, "bbref/boxscores/201701010ATL.html")
	month := readRec(t, "bbref/schedules/NBA_2019_games-april.html")
	errPage := "<html><head><title>429 Too Many Requests</title></head><body>slow down</body></html>"

	ns, nl, es, bb := nbastats.New(""), nbalive.New(""), espn.New(""), bbref.New("")
	const (
		ok   = source.Class(0)
		retr = source.Retriable
		perm = source.Permanent
	)
	tests := []struct {
		name                  string
		src                   source.Source
		dataset, season, item string
		ct, body              string
		want                  source.Class
	}{
		{"v2 real", ns, "playbyplayv2", "2018-19", "0021800001", "application/json", v2, ok},
		{"v2 for another game", ns, "playbyplayv2", "2018-19", "0021800002", "application/json", v2, perm},
		{"v2 truncated", ns, "playbyplayv2", "2018-19", "0021800001", "application/json", v2[:len(v2)/2], retr},
		{"v2 html error page", ns, "playbyplayv2", "2018-19", "0021800001", "text/html", errPage, retr},
		{"v2 html page labelled json", ns, "playbyplayv2", "2018-19", "0021800001", "application/json", errPage, retr},
		{"v2 error message", ns, "playbyplayv2", "2018-19", "0021800001", "application/json", `{"Message":"An error has occurred."}`, retr},
		{"v2 empty", ns, "playbyplayv2", "2018-19", "0021800001", "application/json", "", retr},
		{"v3 real", ns, "playbyplayv3", "2022-23", "0022200552", "application/json", v3, ok},
		{"v3 for another game", ns, "playbyplayv3", "2022-23", "0022200553", "application/json", v3, perm},
		{"v3 without game", ns, "playbyplayv3", "2022-23", "0022200552", "application/json", `{"meta":{}}`, retr},
		{"gamelog real", ns, "leaguegamelog", "2018-19", "regular_T", "application/json", gl, ok},
		{"gamelog other season", ns, "leaguegamelog", "2019-20", "regular_T", "application/json", gl, perm},
		{"live real", nl, "playbyplay", "2020-21", "0022000001", "application/json", live, ok},
		{"live other game", nl, "playbyplay", "2020-21", "0022000002", "application/json", live, perm},
		{"live schedule real", nl, "schedule", "2023-24", "schedule", "application/json", sched, ok},
		{"live schedule other season", nl, "schedule", "2024-25", "schedule", "application/json", sched, perm},
		{"summary real", es, "summary", "2023-24", "401585607", "application/json;charset=UTF-8", summary, ok},
		{"summary other event", es, "summary", "2023-24", "401585608", "application/json", summary, perm},
		{"summary error object", es, "summary", "2023-24", "401585607", "application/json", `{"code":404,"message":"Failed to get event summary"}`, retr},
		{"scoreboard real", es, "scoreboard", "2024-25", "20241201", "application/json", board, ok},
		{"scoreboard without events", es, "scoreboard", "2024-25", "20241201", "application/json", `{"leagues":[]}`, retr},
		{"bbref box real (fragment)", bb, "boxscores", "2018-19", "201810160BOS", "text/html; charset=UTF-8", box, ok},
		{"bbref box real (page)", bb, "boxscores", "2016-17", "201701010ATL", "text/html", full, ok},
		{"bbref box other game", bb, "boxscores", "2018-19", "201810170BOS", "text/html", box, perm},
		{"bbref box other home team", bb, "boxscores", "2018-19", "201810160PHI", "text/html", box, perm},
		{"bbref box truncated", bb, "boxscores", "2018-19", "201810160BOS", "text/html", box[:len(box)*7/10], retr},
		{"bbref page truncated", bb, "boxscores", "2016-17", "201701010ATL", "text/html", full[:len(full)-200], retr},
		{"bbref error page with 200", bb, "boxscores", "2018-19", "201810160BOS", "text/html", errPage, retr},
		{"bbref json instead of html", bb, "boxscores", "2018-19", "201810160BOS", "application/json", v2, retr},
		{"bbref schedule real", bb, "schedule", "2018-19", "april", "text/html", month, ok},
		{"bbref schedule other month", bb, "schedule", "2018-19", "may", "text/html", month, perm},
		{"bbref schedule other season", bb, "schedule", "2019-20", "april", "text/html", month, perm},
	}
	for _, tc := range tests {
		req, err := tc.src.Request(tc.dataset, tc.season, tc.item)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = req.Validate(&source.Response{Request: req, Status: 200, ContentType: tc.ct, Body: []byte(tc.body)})
		got := ok
		if err != nil {
			got = retr
			if ve, isVE := err.(*source.ValidationError); isVE && ve.Permanent {
				got = perm
			}
		}
		if got != tc.want {
			t.Errorf("%s: %v (err %v), want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestPolicyApplyLockout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base time.Duration // the provider's LockoutOn429
		cfg  time.Duration
		want time.Duration
	}{
		{"configured lockout replaces the provider's", time.Hour, 3 * time.Second, 3 * time.Second},
		{"unset keeps the provider's", time.Hour, 0, time.Hour},
		{"a host without lockout gets none", 0, 3 * time.Second, 0},
	}
	for _, tc := range tests {
		got := source.Policy{LockoutOn429: tc.base}.Apply(config.Source{Lockout: tc.cfg}).LockoutOn429
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
