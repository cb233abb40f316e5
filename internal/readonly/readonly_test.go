package readonly_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/readonly"
)

func TestCapsTimeoutCatalog(t *testing.T) {
	t.Parallel()
	for _, e := range engines()[:2] {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			_, db := e.open(t)
			ctx := context.Background()
			series := "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM s WHERE n < 5000) SELECT n, 'row ' || n AS label FROM s"
			tests := []struct {
				name      string
				lim       readonly.Limits
				wantRows  int
				wantTrunc string
			}{
				{"default row cap", readonly.Limits{}, 100, "row_cap"},
				{"asked rows", readonly.Limits{Rows: 7}, 7, "row_cap"},
				{"row cap clamped to max", readonly.Limits{Rows: 100000}, readonly.MaxRowCap, "row_cap"},
				{"byte cap", readonly.Limits{Rows: 1000, Bytes: 200}, 15, "byte_cap"},
			}
			for _, tc := range tests {
				r, err := db.Query(ctx, series, tc.lim)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if len(r.Rows) != tc.wantRows || !r.Truncated || r.TruncatedBy != tc.wantTrunc {
					t.Errorf("%s: %d rows, truncated=%v by %q; want %d by %q", tc.name, len(r.Rows), r.Truncated, r.TruncatedBy, tc.wantRows, tc.wantTrunc)
				}
				if len(r.Columns) != 2 || r.Columns[0].Name != "n" || r.Columns[1].Name != "label" {
					t.Errorf("%s: columns %+v", tc.name, r.Columns)
				}
			}
			// Reads keep working after truncated results (PostgreSQL
			// closes those sessions).
			r, err := db.Query(ctx, "SELECT home_pts FROM games WHERE game_id = $1", readonly.Limits{}, "0022300001")
			if err != nil || len(r.Rows) != 1 || r.Truncated {
				t.Fatalf("after truncation: %+v %v", r, err)
			}
			// Timeout.
			slow := "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM s) SELECT count(*) FROM s"
			_, err = db.Query(ctx, slow, readonly.Limits{Timeout: 300 * time.Millisecond})
			if err == nil {
				t.Fatal("endless query returned")
			}
			// Catalog.
			tables, err := db.Tables(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var games *readonly.Table
			for i := range tables {
				if tables[i].Name == "games" {
					games = &tables[i]
				}
			}
			if games == nil || games.Rows == nil || *games.Rows != 2 {
				t.Fatalf("games in list_tables: %+v", games)
			}
			ti, err := db.Describe(ctx, "player_box")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(ti.PrimaryKey, ",") != "game_id,source,scope,player_id" || len(ti.Columns) < 20 || ti.Rows == nil || *ti.Rows != 2 {
				t.Errorf("describe player_box: pk %v, %d columns, rows %v", ti.PrimaryKey, len(ti.Columns), ti.Rows)
			}
			gi, err := db.Describe(ctx, "games")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, ix := range gi.Indexes {
				if ix.Name == "games_season" && strings.Join(ix.Columns, ",") == "season,game_date" && !ix.Unique {
					found = true
				}
			}
			if !found {
				t.Errorf("games_season index missing: %+v", gi.Indexes)
			}
			if _, err := db.Describe(ctx, "nope"); err == nil || !strings.Contains(err.Error(), "does not exist") {
				t.Errorf("describe missing table: %v", err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sql    string
		flavor readonly.Flavor
		ok     bool
		out    string
	}{
		{"SELECT 1", readonly.FlavorPostgres, true, "SELECT 1"},
		{"select 1;  ;\n", readonly.FlavorPostgres, true, "select 1"},
		{"WITH x AS (SELECT 1) SELECT * FROM x", readonly.FlavorSQLite, true, ""},
		{"SELECT 'a;b', \"c;d\" FROM t -- ; DELETE", readonly.FlavorPostgres, true, ""},
		{"SELECT $$;DELETE$$", readonly.FlavorPostgres, true, ""},
		{"SELECT E'\\';DELETE FROM games'", readonly.FlavorPostgres, true, ""},
		{"EXPLAIN SELECT 1", readonly.FlavorPostgres, true, ""},
		{"PRAGMA table_info(games)", readonly.FlavorSQLite, true, ""},
		{"SELECT updated_at, deleted FROM games", readonly.FlavorSQLite, true, ""},
		{"COMMIT; DROP TABLE games", readonly.FlavorPostgres, false, ""},
		{"SELECT 1; DELETE FROM games", readonly.FlavorSQLite, false, ""},
		{"/* x */ DELETE FROM games", readonly.FlavorPostgres, false, ""},
		{"/* /* */ SELECT 1; */ DELETE FROM games", readonly.FlavorPostgres, false, ""},
		{"/* /* */ SELECT 1; */ DELETE FROM games", readonly.FlavorSQLite, false, ""},
		{"WITH x AS (DELETE FROM games RETURNING *) SELECT * FROM x", readonly.FlavorPostgres, false, ""},
		{"SELECT * INTO t FROM games", readonly.FlavorPostgres, false, ""},
		{"SELECT set_config('a','b',false)", readonly.FlavorPostgres, false, ""},
		{"SELECT pg_read_file ('/etc/passwd')", readonly.FlavorPostgres, false, ""},
		{"DO $$BEGIN END$$", readonly.FlavorPostgres, false, ""},
		{"CALL p()", readonly.FlavorPostgres, false, ""},
		{"ATTACH DATABASE 'x' AS y", readonly.FlavorSQLite, false, ""},
		{"VACUUM INTO 'x'", readonly.FlavorSQLite, false, ""},
		{"", readonly.FlavorSQLite, false, ""},
		{"-- only a comment", readonly.FlavorSQLite, false, ""},
		{"SELECT 'unterminated", readonly.FlavorPostgres, false, ""},
		{"SELECT $a$ x", readonly.FlavorPostgres, false, ""},
	}
	for _, tc := range tests {
		out, err := readonly.Check(tc.sql, tc.flavor)
		if (err == nil) != tc.ok {
			t.Errorf("Check(%q) err = %v, want ok=%v", tc.sql, err, tc.ok)
			continue
		}
		if err != nil && !errors.Is(err, readonly.ErrNotReadOnly) {
			t.Errorf("Check(%q) err %v does not wrap ErrNotReadOnly", tc.sql, err)
		}
		if tc.out != "" && out != tc.out {
			t.Errorf("Check(%q) = %q, want %q", tc.sql, out, tc.out)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"SELECT 1", "SELECT $$x$$; x", "/* /* */", "E'\\''", "[a;b]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = readonly.Check(s, readonly.FlavorPostgres)
		_, _ = readonly.Check(s, readonly.FlavorSQLite)
	})
}
