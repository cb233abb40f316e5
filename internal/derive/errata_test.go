package derive

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/bbref"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestGameInfoErrata checks every entry of gameinfo_errata.yaml on the real
// data: the game derived from its archive member gives the entry's correct
// score and game_info the entry's reference score; the second source (a
// basketball-reference schedule page) gives the correct score; an entry
// without a second source says game_info's score is the feed's last SCORE,
// and it is.
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
		if e.SecondSource == "" {
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
		for _, e := range list {
			want[e.GameID] = e
		}
		err := archive.Walk(context.Background(), filepath.Join(data, "archive", "legacy_pbp", season+".tar.zst"), archive.Options{}, func(m *archive.Member) error {
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
			if e.SecondSource == "" {
				home, away := lastScore(t, m.Data)
				if home != e.Reference.Home || away != e.Reference.Away {
					t.Errorf("%s: the feed's last SCORE is %d-%d (home-away), game_info %+v", e.GameID, home, away, e.Reference)
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
	}
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
