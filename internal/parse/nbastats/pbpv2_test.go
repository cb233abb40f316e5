package nbastats

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func shootLine(s model.Stats) string {
	return fmt.Sprintf("PTS %d FGM %d FGA %d FG3M %d FG3A %d FTM %d FTA %d", s.PTS, s.FGM, s.FGA, s.FG3M, s.FG3A, s.FTM, s.FTA)
}

// indexGames reads INDEX_games.csv: game id -> (home pts, away pts).
func indexGames(t *testing.T, dir string) map[string][2]int {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "INDEX_games.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	out := map[string][2]int{}
	for _, r := range recs[1:] {
		h, _ := strconv.Atoi(r[col["home_pts"]])
		a, _ := strconv.Atoi(r[col["away_pts"]])
		out[r[col["nba_game_id"]]] = [2]int{h, a}
	}
	return out
}

func TestParsePlayByPlayV2RealFiles(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	index := indexGames(t, dir)
	files, err := filepath.Glob(filepath.Join(dir, "nba_stats", "playbyplayv2", "*.json"))
	if err != nil || len(files) < 200 {
		t.Fatalf("want >= 200 playbyplayv2 files, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			item, _, _ := strings.Cut(name, ".")
			res, err := ParsePlayByPlayV2(data, parse.Hint{Key: f, Item: item})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Issues) > 0 {
				t.Fatalf("issues: %v", res.Issues)
			}
			g := res.PBP
			if g.GameID != item || len(g.Events) < 300 {
				t.Fatalf("game %q, %d events", g.GameID, len(g.Events))
			}
			if g.Home.ID == "" || g.Away.ID == "" || g.Home.ID == g.Away.ID || g.Home.Code == "" || g.Away.Code == "" {
				t.Fatalf("teams: home %+v away %+v", g.Home, g.Away)
			}
			if want, ok := index[item]; ok {
				if g.Home.Pts != want[0] || g.Away.Pts != want[1] {
					t.Errorf("final score home %d away %d, INDEX says %d-%d", g.Home.Pts, g.Away.Pts, want[0], want[1])
				}
			}
			// The running score agrees with the sum of points.
			home, away := model.Shooting(g.Events, model.Home), model.Shooting(g.Events, model.Away)
			if home.PTS != g.Home.Pts || away.PTS != g.Away.Pts {
				t.Errorf("points summed %d-%d, final score %d-%d", home.PTS, away.PTS, g.Home.Pts, g.Away.Pts)
			}
			for i, e := range g.Events {
				if e.Order != i || e.Elapsed < 0 || e.Type == model.Unknown {
					t.Fatalf("event %d: %+v", i, e)
				}
			}
		})
	}
}

// TestPlayByPlayV2SeasonMatchesOfficial parses every game of the 2018-19
// archive and compares per-team shooting with the official team game log.
func TestPlayByPlayV2SeasonMatchesOfficial(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("season archive: skipped in -short")
	}
	dir := testutil.RealDataDir(t)
	logPath := filepath.Join(dir, "nba_stats", "leaguegamelog", "Counter-1000_Direction-DESC_PlayerOrTeam-T_Season-2018-19_SeasonType-Regular+Season_Sorter-DATE.json")
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logRes, err := ParseLeagueGameLog(data, parse.Hint{Key: logPath, Season: "2018-19"})
	if err != nil {
		t.Fatal(err)
	}
	official := map[string]model.Box{}
	for _, b := range logRes.Boxes {
		official[b.GameID] = b
	}
	if len(official) != 1230 {
		t.Fatalf("game log: %d games, want 1230", len(official))
	}
	games, withDup, mismatched := 0, 0, 0
	for gid, body := range seasonArchive(t) {
		res, err := ParsePlayByPlayV2(body, parse.Hint{Key: gid + ".json", Season: "2018-19", Item: gid})
		if err != nil {
			t.Errorf("%s: %v", gid, err)
			continue
		}
		if len(res.Issues) > 0 {
			t.Errorf("%s: issues %v", gid, res.Issues)
		}
		games++
		if len(res.PBP.Warnings) > 0 {
			withDup++
		}
		box, ok := official[gid]
		if !ok {
			t.Errorf("%s: not in the game log", gid)
			continue
		}
		g := res.PBP
		if g.Home.ID != box.Home.TeamID || g.Away.ID != box.Away.TeamID {
			t.Errorf("%s: teams home %s away %s, log says %s/%s", gid, g.Home.ID, g.Away.ID, box.Home.TeamID, box.Away.TeamID)
			continue
		}
		for _, side := range []model.Side{model.Home, model.Away} {
			got := model.Shooting(g.Events, side)
			want := box.Home.Stats
			if side == model.Away {
				want = box.Away.Stats
			}
			want.OREB, want.DREB, want.REB, want.AST, want.STL, want.BLK, want.TOV, want.PF, want.PlusMinus, want.Seconds = 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
			if got != want {
				mismatched++
				t.Errorf("%s %s: play-by-play %s, official %s", gid, side, shootLine(got), shootLine(want))
			}
		}
	}
	if games != 1204 {
		t.Errorf("parsed %d games, want 1204", games)
	}
	// 98 games of the archive hold an exact duplicate row.
	if withDup != 98 {
		t.Errorf("%d games with dropped duplicates, want 98", withDup)
	}
	t.Logf("%d games, %d with duplicates dropped, %d team mismatches", games, withDup, mismatched)
}
