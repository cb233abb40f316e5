package derive

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestGameInfoErrata checks every entry of gameinfo_errata.yaml on the real
// data: the game derived from its archive member gives the entry's correct
// score and game_info the entry's reference score; the second source (a
// basketball-reference schedule page) gives the correct score, or (season
// totals) the players named score exactly the disputed points after the
// reference's score and their derived boxes over the season's regular
// games sum to basketball-reference's season totals (points, field goals,
// threes and free throws made), which the reference's score would leave
// short; an entry whose evidence is the feed's stale last row (season
// totals, or no second source) has game_info's score as the feed's last
// SCORE.
func TestGameInfoErrata(t *testing.T) {
	data := testutil.RealDataDir(t)
	errata, err := GameInfoErrata()
	if err != nil {
		t.Fatal(err)
	}
	if len(errata) != 6 {
		t.Fatalf("%d errata, want 6", len(errata))
	}
	ref, ov := gameInfoAndOverrides(t, data)
	bySeason := map[string][]Erratum{}
	for _, e := range errata {
		s, err := layout.SeasonOfGameID(e.GameID)
		if err != nil {
			t.Fatal(err)
		}
		bySeason[s.String()] = append(bySeason[s.String()], e)
		if r := ref[e.GameID]; r.Home != e.Reference.Home || r.Away != e.Reference.Away {
			t.Errorf("%s: game_info %d-%d, erratum's reference %+v", e.GameID, r.Home, r.Away, e.Reference)
		}
		if e.SecondSource == "" || len(e.SeasonTotals) > 0 {
			continue
		}
		page, err := os.ReadFile(filepath.Join(data, e.SecondSource))
		if err != nil {
			t.Fatal(err)
		}
		res, err := bbref.ParseSchedule(page, parse.Hint{Key: e.SecondSource})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, g := range res.Games {
			if g.BBRefID == e.BBRefID {
				found = true
				if !g.Final || g.HomePts != e.Correct.Home || g.AwayPts != e.Correct.Away {
					t.Errorf("%s: %s says %d-%d, erratum's correct %+v", e.GameID, e.BBRefID, g.HomePts, g.AwayPts, e.Correct)
				}
			}
		}
		if !found {
			t.Errorf("%s: %s not in %s", e.GameID, e.BBRefID, e.SecondSource)
		}
	}
	for season, list := range bySeason {
		want := map[string]Erratum{}
		// season totals: player id -> derived regular-season sums
		totals := map[string]*model.Stats{}
		for _, e := range list {
			want[e.GameID] = e
			for _, p := range e.SeasonTotals {
				totals[p.PlayerID] = &model.Stats{}
			}
		}
		games := map[string]int{}
		err := archive.Walk(context.Background(), filepath.Join(data, "archive", "legacy_pbp", season+".tar.zst"), archive.Options{}, func(m *archive.Member) error {
			if strings.HasPrefix(m.GameID, "002") {
				for id, sum := range totals {
					if !bytes.Contains(m.Data, []byte(","+id+",")) {
						continue
					}
					g, err := parseV2(m.Data, m.Name)
					if err != nil {
						return err
					}
					for _, l := range pbp.Compile(g, ov).Final().Players {
						if string(l.PlayerID) == id && !l.DNP {
							sum.Add(l.Stats)
							games[id]++
						}
					}
				}
			}
			e, ok := want[m.GameID]
			if !ok {
				return nil
			}
			delete(want, m.GameID)
			r := verifyMemberScore(m.GameID, m.Name, m.Data, ov, ref[m.GameID], true)
			if r.Error != "" || r.DerivedHome != e.Correct.Home || r.DerivedAway != e.Correct.Away {
				t.Errorf("%s: derived %d-%d (%s), erratum's correct %+v", e.GameID, r.DerivedHome, r.DerivedAway, r.Error, e.Correct)
			}
			var rep ScoreReport
			rep.Add(r)
			if len(rep.Misses) != 1 || !strings.Contains(rep.Misses[0].Explanation, "reference") ||
				rep.Explained+rep.ErrataNoSecondSource != 1 || (rep.Explained == 1) != (e.SecondSource != "") {
				t.Errorf("%s: report %+v", e.GameID, rep)
			}
			if e.SecondSource == "" || len(e.SeasonTotals) > 0 {
				home, away := lastScore(t, m.Data)
				if home != e.Reference.Home || away != e.Reference.Away {
					t.Errorf("%s: the feed's last SCORE is %d-%d (home-away), game_info %+v", e.GameID, home, away, e.Reference)
				}
			}
			if len(e.SeasonTotals) > 0 {
				g, err := parseV2(m.Data, m.Name)
				if err != nil {
					return err
				}
				after := pointsAfterScore(g, e.Reference)
				byPlayer := map[string]int{}
				for _, p := range e.SeasonTotals {
					byPlayer[p.PlayerID] = p.PointsAfter
				}
				if !maps.Equal(after, byPlayer) {
					t.Errorf("%s: points after the reference's score %v, erratum's %v", e.GameID, after, byPlayer)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) > 0 {
			t.Errorf("%s: errata games not in the archive: %v", season, want)
		}
		for _, e := range list {
			if len(e.SeasonTotals) == 0 {
				continue
			}
			bb, bbGames := bbrefSeasonTotals(t, filepath.Join(data, e.SecondSource))
			for _, p := range e.SeasonTotals {
				got, ok := bb[p.BBRefSlug]
				if !ok {
					t.Errorf("%s: %s not in %s", e.GameID, p.BBRefSlug, e.SecondSource)
					continue
				}
				d := totals[p.PlayerID]
				// the counting stats basketball-reference lists (REB is
				// OREB + DREB; minutes are whole there)
				counted := *d
				counted.REB, counted.PlusMinus, counted.Seconds = 0, 0, 0
				if got.PTS != p.SeasonPoints || counted != got || games[p.PlayerID] != bbGames[p.BBRefSlug] || p.PointsAfter <= 0 {
					t.Errorf("%s: %s: derived over %d games %+v, %s %d games %+v, erratum's season points %d", e.GameID, p.PlayerID, games[p.PlayerID], *d, e.SecondSource, bbGames[p.BBRefSlug], got, p.SeasonPoints)
				}
				t.Logf("%s: %s (%s) derived over %d regular-season games: PTS %d FGM %d FG3M %d FTM %d REB %d AST %d TOV %d, equal to %s", e.GameID, p.PlayerID, p.BBRefSlug, games[p.PlayerID], d.PTS, d.FGM, d.FG3M, d.FTM, d.REB, d.AST, d.TOV, e.SecondSource)
			}
		}
	}
}

// pointsAfterScore returns each player's points after the last moment the
// running score of g's events equals ref (home, away).
func pointsAfterScore(g *model.Game, ref scorePair) map[string]int {
	home, away, last := 0, 0, -1
	if ref.Home == 0 && ref.Away == 0 {
		last = 0
	}
	for i, e := range g.Events {
		switch e.Side {
		case model.Home:
			home += int(e.Points)
		case model.Away:
			away += int(e.Points)
		}
		if home == ref.Home && away == ref.Away {
			last = i
		}
	}
	out := map[string]int{}
	if last < 0 {
		return out
	}
	for _, e := range g.Events[last+1:] {
		if e.Points > 0 {
			out[string(e.Player)] += int(e.Points)
		}
	}
	return out
}

// bbrefSeasonTotals reads the scoring columns of a player_season_totals
// CSV of basketball-reference's scraper, summed over a player's rows (one
// per team).
func bbrefSeasonTotals(t *testing.T, path string) (map[string]model.Stats, map[string]int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(r []string, name string) int {
		i, ok := col[name]
		if !ok {
			t.Fatalf("%s: no column %s", path, name)
		}
		n, err := strconv.Atoi(r[i])
		if err != nil {
			t.Fatalf("%s: %s %q: %v", path, name, r[i], err)
		}
		return n
	}
	out, games := map[string]model.Stats{}, map[string]int{}
	for _, r := range recs[1:] {
		games[r[col["slug"]]] += num(r, "games_played")
		s := out[r[col["slug"]]]
		s.Add(model.Stats{PTS: num(r, "points"),
			FGM: num(r, "made_field_goals"), FGA: num(r, "attempted_field_goals"),
			FG3M: num(r, "made_three_point_field_goals"), FG3A: num(r, "attempted_three_point_field_goals"),
			FTM: num(r, "made_free_throws"), FTA: num(r, "attempted_free_throws"),
			OREB: num(r, "offensive_rebounds"), DREB: num(r, "defensive_rebounds"), AST: num(r, "assists"),
			STL: num(r, "steals"), BLK: num(r, "blocks"), TOV: num(r, "turnovers"), PF: num(r, "personal_fouls")})
		out[r[col["slug"]]] = s
	}
	return out, games
}

// lastScore returns the score ("AWAY - HOME") of the last line of a
// playbyplayv2 CSV that has one, as home, away.
func lastScore(t *testing.T, data []byte) (int, int) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "SCORE" {
			col = i
		}
	}
	for i := len(recs) - 1; i > 0; i-- {
		if a, h, ok := strings.Cut(recs[i][col], " - "); ok {
			away, _ := strconv.Atoi(a)
			home, _ := strconv.Atoi(h)
			return home, away
		}
	}
	t.Fatal("no SCORE")
	return 0, 0
}

// gameInfoAndOverrides reads the game_info final scores of the real data
// and the default overrides.
func gameInfoAndOverrides(t *testing.T, data string) (map[string]FinalScore, *pbp.Overrides) {
	t.Helper()
	ref, err := ReadGameInfoScores(filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	return ref, ov
}
