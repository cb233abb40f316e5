package storetest

import (
	"context"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

// goldenChecksums are TableChecksum values of LoadFixture's data. The suite
// runs unchanged on every engine, so matching them proves the checksum is
// the same on SQLite and PostgreSQL. They hold for the column sets of
// goldenColumns; when a later migration changes a fixture table's columns,
// the check fails (naming the new values): refresh both maps once the
// cross-engine test (TestChecksumAcrossEngines) shows the engines agree.
var goldenChecksums = map[string]string{
	"games":       "df77feae33fd312fbdd78ff3573131e156178821b741d9265dfaddb91e8c893b",
	"plays":       "919b978101299b08fd60c40ee97942b1ddaaf26c7dd44fb82562c59213d63981",
	"player_box":  "e6b6c3e3151f194cfa99874f92da8f2ba95472acf1094e5abdbb79e679ae6a6d",
	"team_box":    "2a3e13b49288b19616aa5c1c65d5a9f2fafb6d618735e5b1e55c0ec36c336c64",
	"raw_objects": "e54138b8e15c2c0704d97edaa43d112957bfa8270f45aae8d6b6155d717b5c0c",
	"quarantine":  "2534225ecdcbb61c78e349affa74b979ec9ada29a1f6c63ec7e171159e655442",
}

// goldenColumns are the column counts the golden values were taken with.
var goldenColumns = map[string]int{"games": 14, "plays": 32, "player_box": 26, "team_box": 23, "raw_objects": 14, "quarantine": 7}

// FixtureTables are the tables LoadFixture fills.
var FixtureTables = []string{"games", "plays", "player_box", "team_box", "raw_objects", "quarantine"}

// LoadFixture writes a small deterministic data set (no clock-dependent
// values) into the core tables through the typed helpers; reverse writes
// everything in the opposite order (same data, different physical order).
func LoadFixture(ctx context.Context, t testing.TB, q store.Querier, reverse bool) {
	t.Helper()
	games := []model.GameRow{
		{GameID: "0021800001", Season: "2018-19", SeasonType: "regular", Date: "2018-10-16", HomeCode: "BOS", AwayCode: "PHI", HomePts: 105, AwayPts: 87, Final: true, ESPNID: "401070213"},
		{GameID: "0021800002", Season: "2018-19", SeasonType: "regular", Date: "2018-10-16", HomeCode: "GSW", AwayCode: "OKC", BBRefID: "201810160GSW"},
		{GameID: "0041800406", Season: "2018-19", SeasonType: "playoffs", Date: "2019-06-13", HomeCode: "GSW", AwayCode: "TOR", HomePts: 110, AwayPts: 114, Final: true},
	}
	plays := []store.GamePlays{
		{GameID: "0021800001", Provider: "nba_stats/playbyplayv2", Events: sampleEvents("0021800001", 300)},
		{GameID: "0021800001", Provider: "espn/summary", Events: sampleEvents("0021800001", 250)},
		{GameID: "0041800406", Provider: "nba_stats/playbyplayv2", Events: sampleEvents("0041800406", 120)},
	}
	boxes := []model.Box{sampleBox("0021800001", "nba_stats/boxscoretraditionalv2", 0, 0), sampleBox("0021800001", "derived", 7200, 14400)}
	raws := []store.RawObject{
		{Key: "nba_stats/playbyplayv2/2018-19/0021800001.json", Source: "nba_stats", Endpoint: "playbyplayv2", Season: "2018-19", Item: "0021800001", Size: 123456, SHA256: "ab12", FetchedAt: "2024-01-02T03:04:05.000Z", ContentType: "application/json"},
		{Key: "espn/summary/2018-19/401070213.json", Source: "espn", Endpoint: "summary", ParseStatus: store.ParseFailed, ParserVersion: 2, ParsedAt: "2024-01-03T00:00:00.000Z", Error: "unexpected EOF at byte 17"},
	}
	quar := []store.QuarantineItem{
		{Key: "espn/summary/2018-19/401070213.json", Reason: "unexpected EOF", CreatedAt: "2024-01-03T00:00:00.000Z"},
		{Key: "nba_stats/playbyplayv2/2018-19/0021800001.json", Position: "resultSets[0].rowSet[17]", GameID: "0021800001", Source: "nba_stats", Reason: "clock \"12:61\" out of range", ParserVersion: 3, CreatedAt: "2024-01-02T03:04:06.000Z"},
	}
	if reverse {
		rev(games)
		rev(plays)
		for _, p := range plays {
			rev(p.Events)
		}
		rev(boxes)
		for _, b := range boxes {
			rev(b.Players)
		}
		rev(raws)
		rev(quar)
	}
	mustDo(t, func() error { _, err := store.UpsertGames(ctx, q, games); return err })
	mustDo(t, func() error {
		_, err := q.Exec(ctx, `UPDATE games SET updated_at = $1`, "2024-01-01T00:00:00.000Z")
		return err
	})
	for _, p := range plays {
		mustDo(t, func() error { _, err := store.ReplacePlays(ctx, q, p.GameID, p.Provider, p.Events); return err })
	}
	mustDo(t, func() error { _, err := store.UpsertBoxes(ctx, q, boxes); return err })
	mustDo(t, func() error { _, err := store.UpsertRawObjects(ctx, q, raws); return err })
	mustDo(t, func() error { _, err := store.AddQuarantine(ctx, q, quar...); return err })
}

func rev[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func mustDo(t testing.TB, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

// Checksums returns TableChecksum of each table.
func Checksums(ctx context.Context, t testing.TB, q store.Querier, tables []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tb := range tables {
		sum, err := store.TableChecksum(ctx, q, tb)
		if err != nil {
			t.Fatal(err)
		}
		out[tb] = sum
	}
	return out
}

var _ = register("ChecksumGoldenAndOrderIndependent", false, func(t *testing.T, b *bundle) {
	empty := Checksums(b.ctx, t, b.s, FixtureTables)
	LoadFixture(b.ctx, t, b.s, false)
	first := Checksums(b.ctx, t, b.s, FixtureTables)
	for _, tb := range FixtureTables {
		if first[tb] == empty[tb] {
			t.Errorf("%s: checksum did not change after loading", tb)
		}
		cols, err := store.Columns(b.ctx, b.s, b.s.Dialect(), tb)
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) != goldenColumns[tb] {
			t.Errorf("%s: %d columns, the golden checksum was taken with %d: the table's shape changed; check the new columns load and checksum the same on every engine (TestChecksumAcrossEngines), then set goldenColumns[%q] = %d and goldenChecksums[%q] = %q",
				tb, len(cols), goldenColumns[tb], tb, len(cols), tb, first[tb])
			continue
		}
		if want := goldenChecksums[tb]; first[tb] != want {
			t.Errorf("%s: checksum %s, want the golden %s (the same on every engine)", tb, first[tb], want)
		}
	}
	// Loading again, in the opposite order, changes nothing.
	LoadFixture(b.ctx, t, b.s, true)
	again := Checksums(b.ctx, t, b.s, FixtureTables)
	for _, tb := range FixtureTables {
		if again[tb] != first[tb] {
			t.Errorf("%s: checksum changed on an identical reload", tb)
		}
	}
	// One changed value changes the checksum; restoring it restores it.
	if _, err := b.s.Exec(b.ctx, `UPDATE plays SET description = $1 WHERE game_id = $2 AND provider = $3 AND ord = $4`, "changed", "0021800001", "espn/summary", 7); err != nil {
		t.Fatal(err)
	}
	if sum := Checksums(b.ctx, t, b.s, []string{"plays"}); sum["plays"] == first["plays"] {
		t.Error("plays: checksum blind to a changed description")
	}
	if _, err := b.s.Exec(b.ctx, `UPDATE plays SET description = NULL WHERE game_id = $1 AND provider = $2 AND ord = $3`, "0021800001", "espn/summary", 7); err != nil {
		t.Fatal(err)
	}
	if sum := Checksums(b.ctx, t, b.s, []string{"plays"}); sum["plays"] == first["plays"] {
		t.Error("plays: checksum does not tell NULL from the original text")
	}
	if _, err := store.TableChecksum(b.ctx, b.s, "no_such_table"); err == nil {
		t.Error("checksum of a missing table succeeded")
	}
})

var _ = register("TypedReloadIsNoop", false, func(t *testing.T, b *bundle) {
	load := func() {
		mustDo(t, func() error {
			_, err := store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: "0021800001", Season: "2018-19", SeasonType: "regular", HomePts: 1, AwayPts: 2, Final: true}})
			return err
		})
		mustDo(t, func() error {
			_, err := store.UpsertTeams(b.ctx, b.s, []model.TeamRow{{TeamID: "1610612751", Code: "BKN"}})
			return err
		})
		mustDo(t, func() error {
			_, err := store.UpsertPlayers(b.ctx, b.s, []model.PlayerRow{{PlayerID: "201939", Name: "Stephen Curry"}})
			return err
		})
		mustDo(t, func() error {
			_, err := store.UpsertSeasons(b.ctx, b.s, []store.SeasonRow{{Season: "2018-19", StartYear: 2018}})
			return err
		})
		mustDo(t, func() error {
			_, err := store.AddQuarantine(b.ctx, b.s, store.QuarantineItem{Key: "k", Reason: "r"})
			return err
		})
	}
	tables := []string{"games", "teams", "players", "seasons", "quarantine"}
	load()
	first := Checksums(b.ctx, t, b.s, tables)
	load() // Now() has moved on: updated_at must not follow unchanged rows
	if again := Checksums(b.ctx, t, b.s, tables); !equalMaps(first, again) {
		t.Fatalf("identical reload changed checksums:\n%v\n%v", first, again)
	}
})
