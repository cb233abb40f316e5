package readonly_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/store/sqlite"
)

// Open a database read-only, check an untrusted statement, run it with
// caps; writes are refused by the database itself.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "readonly-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "nbasim.db")
	s, _ := sqlite.Open(ctx, path, sqlite.Options{}) // the writable store, for setup
	s.Migrate(ctx)
	s.Close()

	db, err := readonly.OpenSQLite(ctx, path, readonly.Options{RowCap: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	stmt, err := readonly.Check("SELECT count(*) AS games FROM games;", db.Flavor())
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := db.Query(ctx, stmt, readonly.Limits{Rows: 10})
	fmt.Println(res.Columns[0].Name, res.Rows[0][0], res.Truncated)

	// Without the checker, the database still refuses.
	_, err = db.Query(ctx, "DELETE FROM games", readonly.Limits{})
	fmt.Println(err != nil)
	// Output:
	// games 0 false
	// true
}
