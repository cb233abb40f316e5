package storeopen_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
)

// Open the embedded store, merge what two providers know about one game,
// and read it back.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "nbasim-example")
	defer os.RemoveAll(dir)

	// An empty URL selects SQLite; a postgres:// URL selects PostgreSQL.
	// Either way the schema is migrated on open.
	s, err := storeopen.Open(ctx, config.Database{SQLitePath: filepath.Join(dir, "nbasim.db")}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// NBA knows the score, ESPN its own id: neither erases the other.
	if _, err := store.UpsertGames(ctx, s, []model.GameRow{{GameID: "0021800001", Season: "2018-19", SeasonType: "regular",
		HomeCode: "BOS", AwayCode: "PHI", HomePts: 105, AwayPts: 87, Final: true}}); err != nil {
		log.Fatal(err)
	}
	if _, err := store.UpsertGames(ctx, s, []model.GameRow{{GameID: "0021800001", ESPNID: "401070213"}}); err != nil {
		log.Fatal(err)
	}
	g, err := store.GetGame(ctx, s, "0021800001")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Dialect(), g.AwayCode, g.AwayPts, "@", g.HomeCode, g.HomePts, g.Status, "espn", g.ESPNID)
	// Output: sqlite PHI 87 @ BOS 105 final espn 401070213
}
