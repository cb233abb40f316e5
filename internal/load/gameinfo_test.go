package load

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/archive/archivetest"
	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/importer"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestLoadGameInfoDates: the legacy_pbp game_info files give the archive's
// games their dates (and teams), whichever is loaded first; game_info never
// creates a game of its own; teams that contradict the play-by-play are
// quarantined and not taken. Real data: the first 20 games of 2013-14 and
// 2024-25 (seasons without any other dated source), on SQLite.
//
// With NBASIM_ARCHIVE_DB (a SQLite file or a postgres:// URL of a database
// holding the whole archive and its game_info, as scripts/archive-full.sh
// loads it) it checks that database instead: per season, the exact count
// of games and of games with a date (14,061 and 14,060).
func TestLoadGameInfoDates(t *testing.T) {
	data := testutil.RealDataDir(t)
	ctx := context.Background()
	if db := os.Getenv("NBASIM_ARCHIVE_DB"); db != "" {
		fullArchiveDates(t, ctx, db)
		return
	}
	var tars []string
	want := map[string]string{} // game -> game_info date
	for _, s := range []string{"2013-14", "2024-25"} {
		p, ids := archivetest.FirstGames(t, filepath.Join(data, "archive", "legacy_pbp", s+".tar.zst"), 20)
		tars = append(tars, p)
		for _, id := range ids {
			want[id] = ""
		}
	}
	// game_info of these 40 games, of 0021400001 (not loaded), and the
	// first game's with its teams swapped (a contradiction)
	const swapped = "0021300001"
	var gi bytes.Buffer
	zw := gzip.NewWriter(&gi)
	err := archive.Walk(ctx, filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz"), archive.Options{}, func(m *archive.Member) error {
		if _, ok := want[m.GameID]; !ok && m.GameID != "0021400001" {
			return nil
		}
		content := m.Data
		var c struct {
			Date string `json:"date"`
		}
		if err := json.Unmarshal(content, &c); err != nil {
			return err
		}
		if _, ok := want[m.GameID]; ok {
			want[m.GameID] = c.Date
		}
		if m.GameID == swapped {
			s := strings.NewReplacer(`"homeTeam"`, `"awayTeam"`, `"awayTeam"`, `"homeTeam"`).Replace(string(content))
			content = []byte(s)
		}
		line, _ := json.Marshal(map[string]json.RawMessage{"file": json.RawMessage(`"` + m.Name + `"`), "content": content})
		zw.Write(append(line, '\n'))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	giFile := filepath.Join(t.TempDir(), "game_info_all.jsonl.gz")
	if err := os.WriteFile(giFile, gi.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for id, d := range want {
		if d == "" {
			t.Fatalf("%s: no game_info date", id)
		}
	}

	run := func(t *testing.T, first, second []string) store.Store {
		lk, err := lake.Open(ctx, "mem://", "")
		if err != nil {
			t.Fatal(err)
		}
		defer lk.Close()
		st := storetest.SQLite(t)
		im := &importer.Importer{Lake: lk}
		l := &Loader{Lake: lk, Store: st}
		var sums []Summary
		for _, files := range [][]string{first, second} {
			for _, f := range files {
				rep, err := im.Import(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Skipped) > 0 {
					t.Fatalf("import %s: skipped %v", f, rep.Skipped)
				}
			}
			sum, err := l.Run(ctx, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sums = append(sums, sum)
		}
		if again, err := l.Run(ctx, Options{}); err != nil || again.Parsed != 0 || again.Waiting != 0 {
			t.Errorf("third load: %+v, %v; want nothing parsed", again, err)
		}
		games, err := store.ListGames(ctx, st, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(games) != len(want) {
			t.Errorf("%d games, want %d (game_info makes no game of its own)", len(games), len(want))
		}
		for _, g := range games {
			if g.Date != want[g.GameID] {
				t.Errorf("%s: date %q, game_info %q", g.GameID, g.Date, want[g.GameID])
			}
			if g.Status != store.GameFinal || !g.HasScore || g.HomeCode == "" || g.AwayCode == "" {
				t.Errorf("%s: %+v", g.GameID, g)
			}
		}
		if g, err := store.GetGame(ctx, st, swapped); err != nil || g.HomeCode != "IND" || g.AwayCode != "ORL" {
			t.Errorf("%s: %+v %v: want ORL@IND from the play-by-play", swapped, g, err)
		}
		q, err := store.ListQuarantine(ctx, st, store.QuarantineFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != 1 || q[0].GameID != swapped || !strings.Contains(q[0].Reason, "game_info has IND@ORL, the game is ORL@IND") {
			t.Errorf("quarantine %+v; want the one contradiction of %s", q, swapped)
		}
		t.Logf("loads: %+v / %+v", sums[0], sums[1])
		return st
	}
	t.Run("game_info first", func(t *testing.T) { run(t, []string{giFile}, tars) })
	t.Run("play-by-play first", func(t *testing.T) { run(t, tars, []string{giFile}) })
	t.Run("together", func(t *testing.T) { run(t, append([]string{giFile}, tars...), nil) })
}

// fullArchiveDates checks the games of a database holding the whole
// archive: per season, every archive game, each with a date but the games
// without game_info.
func fullArchiveDates(t *testing.T, ctx context.Context, db string) {
	cfg := config.Database{URL: db}
	if !storeopen.IsPostgresURL(db) {
		cfg = config.Database{SQLitePath: db}
	}
	st, err := storeopen.Connect(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(ctx, `SELECT season, COUNT(*), COUNT(game_date) FROM games GROUP BY season`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][2]int{}
	for rows.Next() {
		var s string
		var n, dated int
		if err := rows.Scan(&s, &n, &dated); err != nil {
			t.Fatal(err)
		}
		got[s] = [2]int{n, dated}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	games, dated := 0, 0
	for season, n := range archivetest.SeasonGames {
		want := [2]int{n, archivetest.DatedGames(season)}
		if got[season] != want {
			t.Errorf("%s: %d games, %d with a date; want %d, %d", season, got[season][0], got[season][1], want[0], want[1])
		}
		games += got[season][0]
		dated += got[season][1]
	}
	if len(got) != len(archivetest.SeasonGames) {
		t.Errorf("seasons %v, want the %d of the archive", got, len(archivetest.SeasonGames))
	}
	t.Logf("%s: %d games, %d with a date", db, games, dated)
	for id := range archivetest.NoGameInfo {
		if g, err := store.GetGame(ctx, st, id); err != nil || g.Date != "" {
			t.Errorf("%s: %+v %v; want the game without a date", id, g, err)
		}
	}
}
