package nbastats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func TestParseBoxScoreTraditionalV2RealFiles(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	index := indexGames(t, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "nba_stats", "boxscoretraditionalv2", "*.json"))
	if len(files) != 6 {
		t.Fatalf("%d files", len(files))
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			gid, _, _ := strings.Cut(base, "_")
			res, err := ParseBoxScoreTraditionalV2(data, parse.Hint{Key: f})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Issues) > 0 || len(res.Boxes) != 1 {
				t.Fatalf("issues %v, %d boxes", res.Issues, len(res.Boxes))
			}
			b := res.Boxes[0]
			if b.GameID != gid {
				t.Errorf("game %s", b.GameID)
			}
			window := strings.Contains(base, "RangeType-2")
			if window != (b.To != 0) {
				t.Errorf("window %v, box From %v To %v", window, b.From, b.To)
			}
			if window && (b.From != 28800 || b.To != 28940 || len(res.Games) != 0) {
				t.Errorf("window box %v-%v, %d games", b.From, b.To, len(res.Games))
			}
			// team totals vs player sums (team rebounds/turnovers aside)
			for _, side := range []model.Side{model.Home, model.Away} {
				var sum model.Stats
				for _, p := range b.Players {
					if p.Side == side {
						sum.Add(p.Stats)
					}
				}
				line := b.Home
				if side == model.Away {
					line = b.Away
				}
				if sum.PTS != line.PTS || sum.FGM != line.FGM || sum.FGA != line.FGA || sum.FTA != line.FTA || sum.AST != line.AST {
					t.Errorf("%s: players %+v, team %+v", side, sum, line.Stats)
				}
			}
			if want, ok := index[gid]; ok && !window {
				if b.Home.PTS != want[0] || b.Away.PTS != want[1] {
					t.Errorf("home %s %d away %s %d, INDEX %v", b.Home.Code, b.Home.PTS, b.Away.Code, b.Away.PTS, want)
				}
			}
		})
	}
}

func TestBoxV3AgreesWithV2(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	d2, err := os.ReadFile(filepath.Join(dir, "nba_stats/boxscoretraditionalv2/0022200552.json"))
	if err != nil {
		t.Fatal(err)
	}
	d3, err := os.ReadFile(filepath.Join(dir, "nba_stats/boxscoretraditionalv3/0022200552.json"))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := ParseBoxScoreTraditionalV2(d2, parse.Hint{Key: "v2", Item: "0022200552"})
	if err != nil {
		t.Fatal(err)
	}
	r3, err := ParseBoxScoreTraditionalV3(d3, parse.Hint{Key: "v3", Item: "0022200552"})
	if err != nil {
		t.Fatal(err)
	}
	b2, b3 := r2.Boxes[0], r3.Boxes[0]
	if b2.Home.TeamID != b3.Home.TeamID || b2.Home.Stats != b3.Home.Stats || b2.Away.Stats != b3.Away.Stats {
		t.Errorf("teams differ:\nv2 %+v %+v\nv3 %+v %+v", b2.Home, b2.Away, b3.Home, b3.Away)
	}
	if len(b2.Players) != len(b3.Players) {
		t.Fatalf("players %d vs %d", len(b2.Players), len(b3.Players))
	}
	lines := map[model.PlayerID]model.PlayerLine{}
	for _, p := range b2.Players {
		lines[p.PlayerID] = p
	}
	for _, p := range b3.Players {
		q := lines[p.PlayerID]
		if q.Stats != p.Stats || q.Side != p.Side || q.Starter != p.Starter || q.DNP != p.DNP {
			t.Errorf("player %s: v2 %+v v3 %+v", p.PlayerID, q, p)
		}
	}
	if _, err := ParseBoxScoreTraditionalV3(d3, parse.Hint{Key: "v3", Item: "0022200553"}); err == nil {
		t.Error("game mismatch accepted")
	}
}

// TestBoxV2SidesMatchPlayByPlay checks the visitors-first convention
// against the play-by-play's home team.
func TestBoxV2SidesMatchPlayByPlay(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	for _, gid := range []string{"0021600270", "0022100732", "0022200552"} {
		bd, _ := os.ReadFile(filepath.Join(dir, "nba_stats/boxscoretraditionalv2", gid+".json"))
		pd, _ := os.ReadFile(filepath.Join(dir, "nba_stats/playbyplayv2", gid+".json"))
		br, err := ParseBoxScoreTraditionalV2(bd, parse.Hint{Key: gid})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := ParsePlayByPlayV2(pd, parse.Hint{Key: gid})
		if err != nil {
			t.Fatal(err)
		}
		if br.Boxes[0].Home.TeamID != pr.PBP.Home.ID {
			t.Errorf("%s: box home %s, play-by-play home %s", gid, br.Boxes[0].Home.Code, pr.PBP.Home.Code)
		}
	}
}
