// Package readonlytest gives tests a real database of either engine, with
// nbasim's schema and a little data, plus a snapshot (tables, row counts,
// checksums) to prove that nothing was written.
package readonlytest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/postgres"
	"github.com/nbasim/nbasim/internal/store/sqlite"
	"github.com/nbasim/nbasim/internal/testutil"
)

// Fixture is a seeded database. Store is a writable handle for setup and
// snapshots; the code under test opens its own read-only handle.
type Fixture struct {
	Dialect store.Dialect
	Store   store.Store
	// SQLitePath is the database file (SQLite).
	SQLitePath string
	// SuperURL connects as the superuser; ReaderURL as a role with SELECT
	// grants only (PostgreSQL).
	SuperURL, ReaderURL string
	Reader              string // reader role name
}

// GameID is the seeded game.
const GameID = "0022300001"

// SQLite returns a fresh migrated and seeded SQLite database.
func SQLite(t testing.TB) *Fixture {
	t.Helper()
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "nbasim.db")
	s, err := sqlite.Open(ctx, p, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &Fixture{Dialect: store.SQLite, Store: s, SQLitePath: p}
	seed(t, s)
	return f
}

func randName(t testing.TB, prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// Postgres creates a fresh database on the test server (skips without
// NBASIM_TEST_POSTGRES_URL, fails under CI=true), migrates and seeds it,
// and creates a login role with SELECT on its tables only. Both are
// dropped when the test ends.
func Postgres(t testing.TB) *Fixture {
	t.Helper()
	base := testutil.PostgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dbName := randName(t, "nbasim_mcp_")
	role := randName(t, "nbasim_mcp_reader_")
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL %s: %v", postgres.Redact(base), err)
	}
	defer admin.Close(ctx)
	// CREATE DATABASE fails (55006) while another session uses the
	// template; tests of other packages may: retry a few times.
	for attempt := 1; ; attempt++ {
		_, err := admin.Exec(ctx, "CREATE DATABASE "+dbName)
		if err == nil {
			break
		}
		if attempt == 10 || !strings.Contains(err.Error(), "55006") {
			t.Fatalf("CREATE DATABASE %s: %v", dbName, err)
		}
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
	for _, q := range []string{
		"CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
		"REVOKE ALL ON DATABASE " + dbName + " FROM PUBLIC",
		"GRANT CONNECT ON DATABASE " + dbName + " TO " + role,
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		defer c.Close(ctx)
		for _, q := range []string{"DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)", "DROP ROLE IF EXISTS " + role} {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Errorf("cleanup %s: %v", q, err)
			}
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + dbName
	super := u.String()
	ru := *u
	ru.User = url.User(role)
	f := &Fixture{Dialect: store.Postgres, SuperURL: super, ReaderURL: ru.String(), Reader: role}
	s, err := postgres.Open(ctx, super, postgres.Options{MinConns: 1, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f.Store = s
	seed(t, s)
	for _, q := range []string{
		"GRANT USAGE ON SCHEMA public TO " + role,
		"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
		// Large-object writers are executable by PUBLIC and PostgreSQL
		// does not treat them as writes in a read-only transaction.
		"REVOKE EXECUTE ON FUNCTION lo_from_bytea(oid, bytea), lo_create(oid), lo_creat(integer), lo_import(text), lo_import(text, oid), lo_export(oid, text), lo_put(oid, bigint, bytea), lo_unlink(oid), lo_truncate(integer, integer), lo_truncate64(integer, bigint), lowrite(integer, bytea) FROM PUBLIC",
		"ANALYZE",
	} {
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return f
}

func seed(t testing.TB, s store.Store) {
	t.Helper()
	ctx := context.Background()
	now := store.Now()
	batches := []store.Batch{
		{Table: "teams", Columns: []string{"team_id", "code", "city", "name", "updated_at"}, Key: []string{"team_id"}, Rows: [][]any{
			{"1610612747", "LAL", "Los Angeles", "Lakers", now},
			{"1610612743", "DEN", "Denver", "Nuggets", now},
		}},
		{Table: "games", Columns: []string{"game_id", "season", "season_type", "game_date", "home_team_id", "away_team_id", "home_code", "away_code", "home_pts", "away_pts", "status", "updated_at"}, Key: []string{"game_id"}, Rows: [][]any{
			{GameID, "2023-24", "regular", "2023-10-24", "1610612743", "1610612747", "DEN", "LAL", 119, 107, "final", now},
			{"0022300002", "2023-24", "regular", "2023-10-24", "1610612744", "1610612756", "GSW", "PHX", 104, 108, "final", now},
		}},
		{Table: "player_box", Columns: []string{"game_id", "source", "scope", "player_id", "team_id", "side", "name", "starter", "seconds", "pts", "reb", "ast"}, Key: []string{"game_id", "source", "scope", "player_id"}, Rows: [][]any{
			{GameID, "nba_stats/boxscoretraditionalv2", "game", "203999", "1610612743", 1, "Nikola Jokic", 1, 21960, 29, 13, 11},
			{GameID, "nba_stats/boxscoretraditionalv2", "game", "2544", "1610612747", 2, "LeBron James", 1, 17580, 21, 8, 5},
		}},
		{Table: "team_box", Columns: []string{"game_id", "source", "scope", "team_id", "code", "side", "pts"}, Key: []string{"game_id", "source", "scope", "team_id"}, Rows: [][]any{
			{GameID, "nba_stats/boxscoretraditionalv2", "game", "1610612743", "DEN", 1, 119},
			{GameID, "nba_stats/boxscoretraditionalv2", "game", "1610612747", "LAL", 2, 107},
		}},
	}
	for _, b := range batches {
		if _, err := s.Upsert(ctx, b); err != nil {
			t.Fatalf("seed %s: %v", b.Table, err)
		}
	}
	// A few plays: Jokic scores 2 at Q1 11:40 and 3 at Q2 6:00.
	ev := func(ord int, period int, clock model.Tenths, typ model.EventType, player string, side model.Side, pts int8, sh, sa int) model.Event {
		return model.Event{GameID: GameID, Order: ord, EventNum: ord + 1, Period: period, Clock: clock, Elapsed: model.Elapsed(period, clock),
			Type: typ, Player: model.PlayerID(player), Side: side, Made: typ == model.ShotMade, Points: pts, Three: pts == 3, ScoreHome: sh, ScoreAway: sa}
	}
	events := []model.Event{
		ev(0, 1, 7200, model.PeriodBegin, "", 0, 0, 0, 0),
		ev(1, 1, 7000, model.ShotMade, "203999", model.Home, 2, 2, 0),
		ev(2, 2, 3600, model.ShotMade, "203999", model.Home, 3, 5, 0),
	}
	if _, err := store.ReplacePlays(ctx, s, GameID, "nba_stats/playbyplayv2", events); err != nil {
		t.Fatalf("seed plays: %v", err)
	}
}

// Snapshot is the state of a database: every table's row count and a
// checksum of its rows, plus (PostgreSQL) catalog counts that a write
// through a function would change (large objects, collations).
type Snapshot map[string]string

// Take snapshots f's database.
func (f *Fixture) Take(t testing.TB) Snapshot {
	t.Helper()
	ctx := context.Background()
	snap := Snapshot{}
	tables, err := store.Tables(ctx, f.Store, f.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	snap["_tables"] = strings.Join(tables, ",")
	for _, tb := range tables {
		rows, err := f.Store.Query(ctx, "SELECT * FROM "+store.QuoteIdent(tb))
		if err != nil {
			t.Fatalf("snapshot %s: %v", tb, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				t.Fatalf("snapshot %s: %v", tb, err)
			}
			lines = append(lines, fmt.Sprintf("%#v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		snap[tb] = fmt.Sprintf("rows=%d sha256=%x", len(lines), sum[:8])
	}
	if f.Dialect == store.Postgres {
		for name, q := range map[string]string{
			"_large_objects": "SELECT count(*) FROM pg_largeobject_metadata",
			"_collations":    "SELECT count(*) FROM pg_collation",
			"_relations":     "SELECT count(*) FROM pg_class",
			"_procs":         "SELECT count(*) FROM pg_proc",
		} {
			var n int64
			if err := f.Store.QueryRow(ctx, q).Scan(&n); err != nil {
				t.Fatalf("snapshot %s: %v", name, err)
			}
			snap[name] = fmt.Sprint(n)
		}
	}
	return snap
}

// Diff lists what differs between two snapshots ("" when identical).
func Diff(a, b Snapshot) string {
	var out []string
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var ks []string
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s: %q -> %q", k, a[k], b[k]))
		}
	}
	return strings.Join(out, "; ")
}
