package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

func getJSON(t *testing.T, base, path string, out any) (int, http.Header) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("GET %s: %d, not JSON: %v\n%s", path, resp.StatusCode, err, b)
		}
	}
	return resp.StatusCode, resp.Header
}

func dialects(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			fn(t, newFixture(t, d))
		})
	}
}

// TestAPI checks every endpoint's answer on both engines.
func TestAPI(t *testing.T) {
	dialects(t, func(t *testing.T, f *fixture) {
		t.Run("endpoints", func(t *testing.T) { testEndpoints(t, f) })
		t.Run("bad parameters", func(t *testing.T) { testBadParams(t, f) })
		t.Run("openapi", func(t *testing.T) { testOpenAPI(t, f) })
	})
}

func testEndpoints(t *testing.T, f *fixture) {
	base := f.ts.URL
	at := model.Elapsed(3, 7*600+20) // Q3 7:02
	want := f.game.BoxAt(pbp.AtElapsed(at))
	tests := []struct {
		path  string
		check func(t *testing.T, body map[string]any)
	}{
		{"/api/v1/status", func(t *testing.T, b map[string]any) {
			rc := b["row_counts"].(map[string]any)
			eq(t, "players", rc["players"] != nil, true)
			eq(t, "games", rc["games"], 5.0) // 3 here + 2 of readonlytest's seed
			eq(t, "dialect", b["dialect"], string(f.dialect))
			eq(t, "read_only", b["read_only"], true)
		}},
		{"/api/v1/games?season=2018-19", func(t *testing.T, b map[string]any) { eq(t, "total", b["total"], 3.0) }},
		{"/api/v1/games?team=BOS", func(t *testing.T, b map[string]any) {
			eq(t, "total", b["total"], 1.0)
			g := b["games"].([]any)[0].(map[string]any)
			eq(t, "game_id", g["game_id"], fixtureGame)
			eq(t, "grade", g["grade"], "B")
			eq(t, "providers", fmt.Sprint(g["providers"]), "[nba_stats/playbyplayv2]")
			eq(t, "official_sources", fmt.Sprint(g["official_sources"]), "[bbref/boxscores]")
			eq(t, "home pts", g["home"].(map[string]any)["pts"], 105.0)
		}},
		{"/api/v1/games?from=2018-10-17&to=2018-10-17", func(t *testing.T, b map[string]any) {
			eq(t, "total", b["total"], 1.0)
			g := b["games"].([]any)[0].(map[string]any)
			eq(t, "pts of a scheduled game", g["home"].(map[string]any)["pts"], nil)
		}},
		{"/api/v1/games?status=scheduled", func(t *testing.T, b map[string]any) { eq(t, "total", b["total"], 1.0) }},
		{"/api/v1/games?grade=none&sort=points&order=desc", func(t *testing.T, b map[string]any) {
			eq(t, "total", b["total"], 4.0)
			eq(t, "first (226 points)", b["games"].([]any)[0].(map[string]any)["game_id"], "0022300001")
		}},
		{"/api/v1/games?q=okc", func(t *testing.T, b map[string]any) { eq(t, "total", b["total"], 1.0) }},
		{"/api/v1/games?limit=1&offset=1", func(t *testing.T, b map[string]any) {
			eq(t, "page", len(b["games"].([]any)), 1)
			eq(t, "total", b["total"], 5.0)
		}},
		{"/api/v1/games/21800001", func(t *testing.T, b map[string]any) { // short id
			eq(t, "game_id", b["game_id"], fixtureGame)
			eq(t, "periods", len(b["periods"].([]any)), 4)
			eq(t, "final_elapsed_seconds", b["final_elapsed_seconds"], 2880.0)
			eq(t, "grades", fmt.Sprint(b["grades"]), "[map[grade:B source:bbref/boxscores]]")
		}},
		{"/api/v1/games/201810160BOS", func(t *testing.T, b map[string]any) { eq(t, "game_id", b["game_id"], fixtureGame) }},
		{"/api/v1/games/401070213", func(t *testing.T, b map[string]any) { eq(t, "game_id", b["game_id"], fixtureGame) }},
		{"/api/v1/games/0021800002", func(t *testing.T, b map[string]any) {
			eq(t, "provider", b["provider"], "")
			if !strings.Contains(b["note"].(string), "no play-by-play") {
				t.Errorf("note = %v", b["note"])
			}
		}},
		{"/api/v1/games/0021800001/box?at=Q3+7:02", func(t *testing.T, b map[string]any) {
			eq(t, "home", b["score"].(map[string]any)["home"], float64(want.Home.PTS))
			eq(t, "away", b["score"].(map[string]any)["away"], float64(want.Away.PTS))
			eq(t, "players", len(b["players"].([]any)), len(want.Players))
			for i, pl := range b["players"].([]any) {
				p := pl.(map[string]any)
				w := want.Players[i]
				eq(t, "player", p["player_id"], string(w.PlayerID))
				eq(t, "seconds_played", p["seconds_played"], w.Seconds.Seconds())
				eq(t, "pts", p["pts"], float64(w.PTS))
				eq(t, "plus_minus", p["plus_minus"], float64(w.PlusMinus))
			}
			oc := b["on_court"].(map[string]any)
			eq(t, "five home", len(oc["home"].([]any)), 5)
			eq(t, "five away", len(oc["away"].([]any)), 5)
			eq(t, "moment", b["moment"].(map[string]any)["label"], "Q3 7:02")
			eq(t, "elapsed", b["moment"].(map[string]any)["elapsed_seconds"], 1738.0)
		}},
		{"/api/v1/games/0021800001/box?elapsed=1738", func(t *testing.T, b map[string]any) {
			eq(t, "home", b["score"].(map[string]any)["home"], float64(want.Home.PTS))
		}},
		{"/api/v1/games/0021800001/box", func(t *testing.T, b map[string]any) {
			eq(t, "final home", b["score"].(map[string]any)["home"], 105.0)
			eq(t, "final away", b["score"].(map[string]any)["away"], 87.0)
			eq(t, "kind", b["moment"].(map[string]any)["kind"], "final")
		}},
		{fmt.Sprintf("/api/v1/games/0021800001/box?event=%d", f.game.Events[100].EventNum), func(t *testing.T, b map[string]any) {
			w := f.game.BoxAt(pbp.Moment{Event: lastIndexOf(f.game, f.game.Events[100].EventNum)})
			eq(t, "home", b["score"].(map[string]any)["home"], float64(w.Home.PTS))
			eq(t, "kind", b["moment"].(map[string]any)["kind"], "event")
		}},
		{"/api/v1/games/0021800001/box?from=Q3+12:00&to=Q3+7:02", func(t *testing.T, b map[string]any) {
			from := model.PeriodStart(3) // Q3 12:00
			w := f.game.Window(pbp.BeforeElapsed(from), pbp.AtElapsed(at))
			eq(t, "window home pts", b["score"].(map[string]any)["home"], float64(w.Home.PTS))
			eq(t, "window players", len(b["players"].([]any)), len(w.Players))
			eq(t, "kind", b["moment"].(map[string]any)["kind"], "window")
		}},
		{"/api/v1/games/0021800001/box?from=1440&to=1738", func(t *testing.T, b map[string]any) {
			from := model.PeriodStart(3) // Q3 12:00
			w := f.game.Window(pbp.BeforeElapsed(from), pbp.AtElapsed(at))
			eq(t, "window by seconds", b["score"].(map[string]any)["away"], float64(w.Away.PTS))
		}},
		{"/api/v1/games/0021800001/stints", func(t *testing.T, b map[string]any) {
			st := f.game.Stints()
			eq(t, "stints", len(b["stints"].([]any)), len(st))
			var sec float64
			for _, l := range b["lineups"].([]any) {
				sec += l.(map[string]any)["seconds"].(float64)
			}
			if sec < 2*2880-1 || sec > 2*2880+1 {
				t.Errorf("lineup seconds sum %.1f, want 5760 (two teams x 48 min)", sec)
			}
		}},
		{"/api/v1/games/0021800001/stints?side=away", func(t *testing.T, b map[string]any) {
			for _, s := range b["stints"].([]any) {
				eq(t, "side", s.(map[string]any)["side"], "away")
			}
		}},
		{"/api/v1/games/0021800001/scoreflow", func(t *testing.T, b map[string]any) {
			pts := b["points"].([]any)
			last := pts[len(pts)-1].(map[string]any)
			eq(t, "final home", last["home"], 105.0)
			eq(t, "final away", last["away"], 87.0)
			eq(t, "margin", last["margin"], 18.0)
			prev := 0.0
			for _, p := range pts {
				e := p.(map[string]any)["elapsed_seconds"].(float64)
				if e < prev {
					t.Fatalf("score flow goes back in time at %v", e)
				}
				prev = e
			}
			eq(t, "periods", len(b["periods"].([]any)), 4)
		}},
		{"/api/v1/games/0021800001/simulate?n=2000&seed=3", func(t *testing.T, b map[string]any) {
			eq(t, "at", b["at"], "tip")
			eq(t, "simulations", b["simulations"], 2000.0)
			if p := b["home_win_prob"].(float64); p <= 0.3 || p >= 0.8 {
				t.Errorf("first game of the season, no earlier game: home wins %v", p)
			}
			if len(b["warnings"].([]any)) == 0 {
				t.Error("a model with no earlier game should say so")
			}
		}},
		{"/api/v1/games/0021800001/simulate?at=Q3+7:02&n=500", func(t *testing.T, b map[string]any) {
			eq(t, "start home", b["start_home_score"], float64(want.Home.PTS))
			eq(t, "start away", b["start_away_score"], float64(want.Away.PTS))
		}},
		{"/api/v1/games/0021800001/winprob?n=50", func(t *testing.T, b map[string]any) {
			pts := b["points"].([]any)
			last := pts[len(pts)-1].(map[string]any)
			eq(t, "final", last["home_win_prob"], 1.0) // BOS won 105-87
			eq(t, "periods", len(b["periods"].([]any)), 4)
			if len(pts) < 300 {
				t.Errorf("%d points: want one after (nearly) every event", len(pts))
			}
		}},
		{"/api/v1/games/0021800001/verification", func(t *testing.T, b map[string]any) {
			r := b["results"].([]any)[0].(map[string]any)
			eq(t, "grade", r["grade"], "B")
			d := r["differences"].([]any)
			eq(t, "differences (the planted AST and its team total)", len(d), 2)
			found := false
			for _, x := range d {
				dd := x.(map[string]any)
				if dd["cause"] == "" {
					t.Errorf("difference without a cause: %v", dd)
				}
				if dd["stat"] == "AST" && dd["name"] == "Joel Embiid" && dd["derived"].(float64)+1 == dd["official"].(float64) {
					found = true
				}
			}
			if !found {
				t.Errorf("the planted difference (Embiid AST) is not listed: %v", d)
			}
		}},
		{"/api/v1/players?q=embiid", func(t *testing.T, b map[string]any) {
			eq(t, "total", b["total"], 1.0)
			p := b["players"].([]any)[0].(map[string]any)
			eq(t, "games", p["games"], 1.0)
			eq(t, "seasons", fmt.Sprint(p["seasons"]), "[2018-19]")
		}},
		{"/api/v1/players?q=zed+filler&limit=10&offset=1195", func(t *testing.T, b map[string]any) {
			eq(t, "every one of 1,200 players is searched", b["total"], 1200.0)
			eq(t, "last page", len(b["players"].([]any)), 5)
			eq(t, "last", b["players"].([]any)[4].(map[string]any)["name"], "Zed Filler 1199")
		}},
		{"/api/v1/players?q=DONČIĆ", func(t *testing.T, b map[string]any) { eq(t, "accent-insensitive", b["total"], 1.0) }},
		{"/api/v1/players?q=doncic", func(t *testing.T, b map[string]any) { eq(t, "accent-insensitive", b["total"], 1.0) }},
		{"/api/v1/players/203954", func(t *testing.T, b map[string]any) {
			eq(t, "name", b["name"], "Joel Embiid")
			g := b["games"].([]any)
			eq(t, "one game (official preferred over derived)", len(g), 1)
			eq(t, "source", g[0].(map[string]any)["source"], "bbref/boxscores")
			eq(t, "totals", len(b["totals"].([]any)), 1)
		}},
		{"/api/v1/coverage", func(t *testing.T, b map[string]any) {
			eq(t, "latest", b["latest"].(map[string]any)["run_id"], "rrun0002")
			eq(t, "cells", len(b["cells"].([]any)), 2)
			eq(t, "runs", len(b["runs"].([]any)), 2)
			tm := b["latest"].(map[string]any)["timing"].(map[string]any)
			eq(t, "timing total", tm["total_seconds"], 3.0)
		}},
		{"/api/v1/coverage?source=bbref", func(t *testing.T, b map[string]any) { eq(t, "cells", len(b["cells"].([]any)), 1) }},
		{"/api/v1/coverage/history?source=nba_stats&dataset=playbyplayv2&season=2018-19", func(t *testing.T, b map[string]any) {
			p := b["points"].([]any)
			eq(t, "points", len(p), 2)
			eq(t, "oldest first", p[0].(map[string]any)["present"], 1000.0)
		}},
		{"/api/v1/reconcile?limit=1", func(t *testing.T, b map[string]any) {
			r := b["runs"].([]any)
			eq(t, "runs", len(r), 1)
			steps := r[0].(map[string]any)["timing"].(map[string]any)["steps"].([]any)
			eq(t, "steps", len(steps), 2)
			eq(t, "step", steps[1].(map[string]any)["name"], "analyze")
		}},
		{"/api/v1/fetches", func(t *testing.T, b map[string]any) {
			eq(t, "window_end", b["window_end"], "2026-12-01T10:00:00Z")
			hosts := map[string]float64{}
			for _, h := range b["hosts"].([]any) {
				hosts[h.(map[string]any)["host"].(string)] = h.(map[string]any)["last_24h"].(float64)
			}
			eq(t, "hosts", fmt.Sprint(hosts), "map[stats.nba.com:2 www.basketball-reference.com:1]")
			eq(t, "failures", len(b["recent_failures"].([]any)), 1)
		}},
		{"/api/v1/queue", func(t *testing.T, b map[string]any) {
			eq(t, "available", b["available"], true)
			eq(t, "by_state", fmt.Sprint(b["by_state"]), "map[available:2 retryable:1]")
			fails := b["recent_failures"].([]any)
			eq(t, "failures", len(fails), 1)
			eq(t, "error", fails[0].(map[string]any)["error"], "stats.nba.com: 503 Service Unavailable")
			if at := fails[0].(map[string]any)["attempted_at"].(string); at == "" {
				t.Error("attempted_at empty")
			}
		}},
		{"/api/v1/queue?queue=fetch_nba_stats", func(t *testing.T, b map[string]any) {
			eq(t, "by_state", fmt.Sprint(b["by_state"]), "map[available:2]")
		}},
		{"/api/v1/verification", func(t *testing.T, b map[string]any) {
			eq(t, "runs", len(b["runs"].([]any)), 1)
			eq(t, "grades", fmt.Sprint(b["grades"]), "[map[count:1 value:B]]")
			eq(t, "causes", len(b["causes"].([]any)), 1)
			eq(t, "differences", len(b["differences"].([]any)), 2)
			eq(t, "total", b["total"], 1.0)
		}},
		{"/api/v1/verification?grade=A", func(t *testing.T, b map[string]any) { eq(t, "total", b["total"], 0.0) }},
		{"/api/v1/quarantine", func(t *testing.T, b map[string]any) {
			eq(t, "total", b["total"], 2.0)
			eq(t, "by_source", len(b["by_source"].([]any)), 2)
		}},
		{"/api/v1/quarantine?q=no+clock", func(t *testing.T, b map[string]any) { eq(t, "total", b["total"], 1.0) }},
		{"/api/v1/quarantine?game_id=0021800001&limit=1", func(t *testing.T, b map[string]any) { eq(t, "items", len(b["items"].([]any)), 1) }},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var body map[string]any
			code, h := getJSON(t, base, tc.path, &body)
			if code != http.StatusOK {
				t.Fatalf("status %d: %v", code, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			tc.check(t, body)
		})
	}
}

func lastIndexOf(c *pbp.Compiled, eventNum int) int {
	idx := -1
	for i, e := range c.Events {
		if e.EventNum == eventNum {
			idx = i
		}
	}
	return idx
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// badParamCases are requests that must be refused with a 400 (or 404)
// problem naming the parameter.
var badParamCases = []struct {
	path   string
	status int
	param  string
}{
	{"/api/v1/games?season=2018-20", 400, "season"},
	{"/api/v1/games?season=18-19", 400, "season"},
	{"/api/v1/games?from=2018-13-01", 400, "from"},
	{"/api/v1/games?from=2018-10-20&to=2018-10-01", 400, "to"},
	{"/api/v1/games?team=B%27OS", 400, "team"},
	{"/api/v1/games?status=done", 400, "status"},
	{"/api/v1/games?sort=drop+table", 400, "sort"},
	{"/api/v1/games?order=up", 400, "order"},
	{"/api/v1/games?limit=0", 400, "limit"},
	{"/api/v1/games?limit=501", 400, "limit"},
	{"/api/v1/games?limit=ten", 400, "limit"},
	{"/api/v1/games?offset=-1", 400, "offset"},
	{"/api/v1/games?seasn=2018-19", 400, "seasn"},
	{"/api/v1/games?team=BOS&team=PHI", 400, "team"},
	{"/api/v1/games?grade=E", 400, "grade"},
	{"/api/v1/games?q=" + strings.Repeat("x", 201), 400, "q"},
	{"/api/v1/games/abc", 400, "game_id"},
	{"/api/v1/games/0029999999", 404, "game_id"},
	{"/api/v1/games/0021800001/box?at=Q3+7:02:30", 400, "at"},
	{"/api/v1/games/0021800001/box?at=Q5+1:00", 400, "at"},
	{"/api/v1/games/0021800001/box?at=OT1+2:00", 400, "at"},
	{"/api/v1/games/0021800001/box?at=Q3+12:00.1", 400, "at"},
	{"/api/v1/games/0021800001/box?at=", 400, "at"},
	{"/api/v1/games/0021800001/box?elapsed=-1", 400, "elapsed"},
	{"/api/v1/games/0021800001/box?elapsed=NaN", 400, "elapsed"},
	{"/api/v1/games/0021800001/box?elapsed=2900", 400, "elapsed"},
	{"/api/v1/games/0021800001/box?event=x", 400, "event"},
	{"/api/v1/games/0021800001/box?event=999999", 404, "event"},
	{"/api/v1/games/0021800001/box?at=Q1+1:00&elapsed=10", 400, "elapsed"},
	{"/api/v1/games/0021800001/box?from=Q3+12:00", 400, "to"},
	{"/api/v1/games/0021800001/box?from=Q3+7:00&to=Q3+9:00", 400, "to"},
	{"/api/v1/games/0021800001/box?from=Q3+12:00&to=Q9", 400, "to"},
	{"/api/v1/games/0021800001/box?provider=espn/summary", 404, "provider"},
	{"/api/v1/games/0021800002/box", 404, "game_id"},
	{"/api/v1/games/0021800001/stints?side=middle", 400, "side"},
	{"/api/v1/games/0021800001/scoreflow?x=1", 400, "x"},
	{"/api/v1/games/0021800001/simulate?at=Q5+1:00", 400, "at"},
	{"/api/v1/games/0021800001/simulate?n=0", 400, "n"},
	{"/api/v1/games/0021800001/winprob?n=5000", 400, "n"},
	{"/api/v1/games/0029900001/simulate", 404, "game_id"},
	{"/api/v1/games/0021800001/verification?source=a%20b", 400, "source"},
	{"/api/v1/players", 400, "q"},
	{"/api/v1/players?q=a", 400, "q"},
	{"/api/v1/players/x%20y", 400, "player_id"},
	{"/api/v1/players/999999999", 404, "player_id"},
	{"/api/v1/players/203954?season=2018", 400, "season"},
	{"/api/v1/coverage?runs=0", 400, "runs"},
	{"/api/v1/coverage?season=2018", 400, "season"},
	{"/api/v1/coverage/history?limit=5001", 400, "limit"},
	{"/api/v1/reconcile?limit=-3", 400, "limit"},
	{"/api/v1/fetches?limit=1000", 400, "limit"},
	{"/api/v1/queue?state=lost", 400, "state"},
	{"/api/v1/verification?grade=Z", 400, "grade"},
	{"/api/v1/quarantine?offset=abc", 400, "offset"},
	{"/api/v1/status?verbose=1", 400, "verbose"},
}

func testBadParams(t *testing.T, f *fixture) {
	for _, tc := range badParamCases {
		t.Run(tc.path, func(t *testing.T) {
			var p Problem
			code, h := getJSON(t, f.ts.URL, tc.path, &p)
			if code != tc.status {
				t.Errorf("status %d, want %d: %+v", code, tc.status, p)
			}
			if ct := h.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			if p.Parameter != tc.param || p.Status != code || p.Title == "" || !strings.Contains(p.Detail, tc.param) {
				t.Errorf("problem %+v: want parameter %q named in the detail", p, tc.param)
			}
			u, _ := url.Parse(tc.path)
			if p.Instance != u.Path {
				t.Errorf("instance %q, want %q", p.Instance, u.Path)
			}
		})
	}
}
