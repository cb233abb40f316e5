package advanced_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/load/realdata"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// canonicalViews are the views migration 0023 rewrote on game_box_sources
// and team_game_lines, and player_line_sums, which it kept (the old
// team_games reads it), in creation order.
var canonicalViews = []string{"player_box_source", "team_box_source", "player_line_sums", "team_games", "player_games"}

// boxSourcesMigration is the migration that moved the canonical views onto
// the tables the store maintains.
const boxSourcesMigration = 23

// TestViewsBeforeAfterBoxSources: on the 2018-19 store (../shared/data with
// the 1,204 games of the 2018-19 archive, every game derived and verified
// as nbasim verify --all --save does), the canonical views of migration
// 0023 give exactly the rows the views they replaced (0012's, player_games
// 0021's) give, on both engines; the tables the store maintained equal a
// recomputation; and migrating a store an older release wrote (through
// 0021, the same rows) backfills them to the same views.
func TestViewsBeforeAfterBoxSources(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			fresh := storetest.NewSQLite
			if engine == "postgres" {
				fresh = storetest.NewPostgres
			}
			st := storetest.Migrated(t, fresh(t))
			storeSeason2018(t, st)

			after := viewSums(ctx, t, st)
			before := oldViewSums(ctx, t, st)
			// the rows of the 2018-19 store: 1,352 games with player lines
			// (206 of them official), 2,217 with team lines (the team game
			// logs of 2018-19 too)
			want := map[string]int64{"player_box_source": 1352, "team_box_source": 2217, "team_games": 4434, "player_games": 28655, "player_line_sums": 3126}
			for _, v := range canonicalViews {
				if after[v].rows != want[v] {
					t.Errorf("%s: %d rows, want %d", v, after[v].rows, want[v])
				}
				if after[v] != before[v] {
					t.Errorf("%s: %d rows %.12s on migration 0023's tables, %d rows %.12s with the views it replaced", v, after[v].rows, after[v].sum, before[v].rows, before[v].sum)
				}
			}
			var official int64
			if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM game_box_sources WHERE player_source <> 'derived'`).Scan(&official); err != nil || official != 206 {
				t.Errorf("games with an official player source: %d, %v; want 206", official, err)
			}
			storetest.CheckBoxSources(ctx, t, st, "2018-19 store")

			// a store an older release wrote: the same rows through 0021
			old := fresh(t)
			if _, err := store.ApplyMigrationsThrough(ctx, old, boxSourcesMigration-1); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"games", "players", "player_box", "team_box", "verify_games"} {
				copyTable(ctx, t, st, old, table)
			}
			if got := viewSums(ctx, t, old); fmt.Sprint(got) != fmt.Sprint(before) {
				t.Fatalf("the copied store's views before the migration differ:\n got %v\nwant %v", got, before)
			}
			if n, err := old.Migrate(ctx); err != nil || n < 1 {
				t.Fatalf("migrate the old store: %d, %v", n, err)
			}
			if got := viewSums(ctx, t, old); fmt.Sprint(got) != fmt.Sprint(after) {
				t.Errorf("views after migrating the old store:\n got %v\nwant %v", got, after)
			}
			storetest.CheckBoxSources(ctx, t, old, "migrated store")
		})
	}
}

// storeSeason2018 loads ../shared/data and the 2018-19 archive into st and
// derives every game with plays: stored as source derived, and verified
// against the primary official box where there is one (verify_games, the
// views' grade), as nbasim verify --all --scores ... --save does.
func storeSeason2018(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	dir := testutil.RealDataDir(t)
	if testing.Short() {
		t.Skip("1,400 games loaded and derived: skipped with -short")
	}
	ov, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	lk, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	if _, err := realdata.Import(ctx, lk, dir, realdata.Options{Season2018Archive: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := (&load.Loader{Lake: lk, Store: st}).Run(ctx, load.Options{}); err != nil {
		t.Fatal(err)
	}
	ids := queryStrings(ctx, t, st, `SELECT DISTINCT game_id FROM plays ORDER BY game_id`)
	rep := &derive.Report{Name: "all"}
	for _, id := range ids {
		res, skip, err := derive.VerifyGame(ctx, st, id, ov, false, true)
		if err != nil {
			t.Fatalf("verify %s: %v", id, err)
		}
		rep.Games = append(rep.Games, res...)
		if skip != "" {
			if _, err := derive.VerifyScoreSave(ctx, st, id, ov, derive.FinalScore{}, false, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep.Summarize()
	if err := derive.SaveReport(ctx, st, "views-before-after", "all", time.Now(), rep); err != nil {
		t.Fatal(err)
	}
}

// viewSum is a view's row count and store.TableChecksum.
type viewSum struct {
	rows int64
	sum  string
}

func (v viewSum) String() string { return fmt.Sprintf("%d rows %.12s", v.rows, v.sum) }

// viewSums computes the views' sums in a transaction that is rolled back,
// without nested loops on PostgreSQL: the plan the views before 0023 got
// there (nested loops over the aggregates, docs/store.md) takes minutes;
// the rows are the same in any plan.
func viewSums(ctx context.Context, t *testing.T, s store.Store) map[string]viewSum {
	t.Helper()
	var out map[string]viewSum
	err := s.InTx(ctx, func(tx store.Tx) error {
		if err := noNestedLoops(ctx, tx); err != nil {
			return err
		}
		out = viewSumsIn(ctx, t, tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	return out
}

func noNestedLoops(ctx context.Context, tx store.Tx) error {
	if tx.Dialect() != store.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, `SET LOCAL enable_nestloop = off`)
	return err
}

func viewSumsIn(ctx context.Context, t *testing.T, q store.Querier) map[string]viewSum {
	t.Helper()
	out := map[string]viewSum{}
	for _, v := range canonicalViews {
		var s viewSum
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM `+v).Scan(&s.rows); err != nil {
			t.Fatalf("count %s: %v", v, err)
		}
		var err error
		if s.sum, err = store.TableChecksum(ctx, q, v); err != nil {
			t.Fatal(err)
		}
		out[v] = s
	}
	return out
}

var errRollback = errors.New("roll back")

// oldViewSums computes viewSums with the canonical views as the migrations
// before 0023 defined them (their CREATE VIEW statements, the last of each),
// in a transaction that is rolled back.
func oldViewSums(ctx context.Context, t *testing.T, s store.Store) map[string]viewSum {
	t.Helper()
	ms, err := store.Migrations(s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)CREATE VIEW (\w+) AS\n.*?;\n`)
	defs := map[string]string{}
	for _, m := range ms {
		if m.Version >= boxSourcesMigration {
			break
		}
		for _, d := range re.FindAllStringSubmatch(m.SQL, -1) {
			defs[d[1]] = d[0]
		}
	}
	var out map[string]viewSum
	err = s.InTx(ctx, func(tx store.Tx) error {
		if err := noNestedLoops(ctx, tx); err != nil {
			return err
		}
		// player_games_live (0023) goes too
		if _, err := tx.Exec(ctx, `DROP VIEW player_games_live`); err != nil {
			return err
		}
		for i := len(canonicalViews) - 1; i >= 0; i-- {
			if _, err := tx.Exec(ctx, `DROP VIEW `+canonicalViews[i]); err != nil {
				return err
			}
		}
		for _, v := range canonicalViews {
			if defs[v] == "" {
				return fmt.Errorf("no CREATE VIEW %s before migration %d", v, boxSourcesMigration)
			}
			if _, err := tx.Exec(ctx, defs[v]); err != nil {
				return fmt.Errorf("%s: %w", v, err)
			}
		}
		if !strings.Contains(defs["team_games"], "team_box_source c") {
			return errors.New("the old team_games does not read team_box_source")
		}
		out = viewSumsIn(ctx, t, tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("the views before migration %d: %v", boxSourcesMigration, err)
	}
	return out
}

// copyTable copies every row of table from one store to another.
func copyTable(ctx context.Context, t *testing.T, from, to store.Store, table string) {
	t.Helper()
	cols, err := store.Columns(ctx, from, from.Dialect(), table)
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.PrimaryKey(ctx, from, from.Dialect(), table)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := from.Query(ctx, `SELECT `+store.ColumnList(cols)+` FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	b := store.Batch{Table: table, Columns: cols, Key: key}
	for rows.Next() {
		vals := make([]any, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		b.Rows = append(b.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := to.Upsert(ctx, b); err != nil {
		t.Fatalf("copy %s: %v", table, err)
	}
}

func queryStrings(ctx context.Context, t *testing.T, q store.Querier, query string, args ...any) []string {
	t.Helper()
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
