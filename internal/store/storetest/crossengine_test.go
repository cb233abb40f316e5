package storetest

import (
	"context"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

// TestChecksumAcrossEngines writes the same data into SQLite and
// PostgreSQL, in opposite orders, and compares the checksum of every table
// of the schema.
func TestChecksumAcrossEngines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := Postgres(t) // skips without a server
	lite := SQLite(t)
	for i, s := range []store.Store{lite, pg} {
		LoadFixture(ctx, t, s, i == 1)
		mustDo(t, func() error {
			_, err := store.UpsertSeasons(ctx, s, []store.SeasonRow{{Season: "2018-19", StartYear: 2018, RegularGames: 1230}})
			return err
		})
		mustDo(t, func() error {
			_, err := store.UpsertTeams(ctx, s, []model.TeamRow{{TeamID: "1610612751", Code: "BKN", City: "Brooklyn", ESPNCode: "BKN"}})
			return err
		})
		mustDo(t, func() error {
			_, err := store.UpsertPlayers(ctx, s, []model.PlayerRow{{PlayerID: "201939", Name: "Stephen Curry"}, {BBRefID: "jokicni01", Name: "Nikola Jokić"}})
			return err
		})
		for _, tb := range []string{"seasons", "teams", "players"} {
			mustDo(t, func() error {
				_, err := s.Exec(ctx, `UPDATE `+tb+` SET updated_at = $1`, "2024-01-01T00:00:00.000Z")
				return err
			})
		}
	}
	tables, err := store.Tables(ctx, lite, lite.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	var data []string
	for _, tb := range tables {
		if tb != store.MigrationsTable { // applied_at differs
			data = append(data, tb)
		}
	}
	a, b := Checksums(ctx, t, lite, data), Checksums(ctx, t, pg, data)
	for _, tb := range data {
		if a[tb] != b[tb] {
			t.Errorf("%s: sqlite %s, postgres %s", tb, a[tb], b[tb])
		}
	}
	if len(data) < len(store.CoreTables) {
		t.Fatalf("compared only %v", data)
	}
}
