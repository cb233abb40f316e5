package bbref

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
)

// realFiles returns up to max real files matching glob under the real data
// directory, when present.
func realFiles(glob string, max int) [][]byte {
	dir, err := os.Getwd()
	if err != nil {
		return nil
	}
	for { // walk up to go.mod; no skip: fuzz seeds are optional
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	files, _ := filepath.Glob(filepath.Join(dir, "..", "shared", "data", glob))
	var out [][]byte
	for i, name := range files {
		if i == max {
			break
		}
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if u, err := io.ReadAll(zr); err == nil {
					b = u
				}
			}
		}
		out = append(out, b)
	}
	return out
}

var tableRe = regexp.MustCompile(`(?s)<table[^>]*id="box-[A-Z]+-(game|q1)-basic".*?</table>`)

// checkResult fails on results a caller could not use.
func checkResult(t *testing.T, res *parse.Result, err error) {
	t.Helper()
	if err == nil && res == nil {
		t.Fatal("nil result without an error")
	}
	if err != nil && res != nil {
		t.Fatal("result and error")
	}
}

func FuzzParseBoxScore(f *testing.F) {
	// Real pages are large (fuzzing them crawls): seed with their box
	// tables, one of them inside a comment as on the site.
	for _, page := range realFiles("bbref/boxscores/2024031*.html.gz", 2) {
		ts := tableRe.FindAll(page, -1)
		if len(ts) >= 2 {
			f.Add(append(append(append([]byte("<h1>A at B Box Score, March 17, 2024</h1>"), ts[0]...), "<!--"...), append(ts[1], "-->"...)...))
		}
	}
	f.Add([]byte(`<table id="box-BOS-game-basic"><tbody><tr><th data-stat="player">X</th><td data-stat="mp">1:0</td></tr></tbody></table><!--<table id="box-MIA-game-basic"><tfoot><tr><td data-stat="pts">x</td></tr></tfoot></table>-->`))
	f.Add([]byte("\x1f\x8b\x08\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseBoxScore(data, parse.Hint{Key: "fuzz", Item: "201901020MIA"})
		checkResult(t, res, err)
		res, err = ParseBoxScore(data, parse.Hint{Key: "fuzz"})
		checkResult(t, res, err)
	})
}

var scheduleRowsRe = regexp.MustCompile(`(?s)<table[^>]*id="schedule".*?<tbody>(.*?<tr.*?</tr>.*?<tr.*?</tr>)`)

func FuzzParseSchedule(f *testing.F) {
	// Seed with the head of real pages (their first two game rows).
	for _, page := range realFiles("bbref/schedules/NBA_202*_games-*.html", 3) {
		if m := scheduleRowsRe.FindSubmatch(page); m != nil {
			f.Add(append(append([]byte(`<table id="schedule"><tbody>`), m[1]...), "</tbody></table>"...))
		}
	}
	f.Add([]byte(`<!--<table id="schedule"><tbody><tr class="thead"><th>Playoffs</th></tr><tr><th data-stat="date_game">Sat, Apr 20, 2024</th><td data-stat="visitor_team_name" csk="X.1">V</td><td data-stat="overtimes">9OT</td></tr></tbody></table>-->`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseSchedule(data, parse.Hint{Key: "fuzz", Item: "april", Season: "2023-24"})
		checkResult(t, res, err)
	})
}

func FuzzParsePlayByPlay(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "pbp_201901020MIA.html")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<table id="pbp"><tr id="q9"><th>9th OT</th></tr><tr><td>99:99.9</td><td colspan="5">Jump ball: <a href="/players/">x</a> vs. </td></tr><tr><td>0:00</td><td>Turnover by Team (</td><td></td><td>1-</td><td></td><td></td></tr></table>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParsePlayByPlay(data, parse.Hint{Key: "fuzz", Item: "201901020MIA"})
		checkResult(t, res, err)
	})
}

func FuzzParseScraperPBP(f *testing.F) {
	for _, b := range realFiles("bbref/pbp_parsed/2018_10_22_POR_pbp.*", 2) {
		if len(b) > 4096 { // the head of the real outputs: fuzzing stays fast
			cut := bytes.LastIndexByte(b[:4096], '\n')
			if cut > 0 && b[0] != '[' {
				b = b[:cut+1]
			} else if b[0] == '[' {
				b = append(b[:bytes.LastIndex(b[:4096], []byte("},"))+1], ']')
			}
		}
		f.Add(b)
	}
	f.Add([]byte("period,period_type,remaining_seconds_in_period,relevant_team,away_team,home_team,away_score,home_score,description\n1,OVERTIME,1e9,A,B,A,0,0,Double personal foul by X and\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseScraperPBP(data, parse.Hint{Key: "fuzz"})
		checkResult(t, res, err)
	})
}
