package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
)

// Opener returns a fresh, empty and unmigrated store for one test; the
// opener arranges its cleanup (t.Cleanup).
type Opener func(t *testing.T) store.Store

// bundle is what each conformance test gets: its own store.
type bundle struct {
	s   store.Store
	ctx context.Context
}

func setup(t *testing.T, open Opener, migrate bool) *bundle {
	t.Helper()
	s := open(t)
	if migrate {
		Migrated(t, s)
	}
	return &bundle{s: s, ctx: context.Background()}
}

// Run runs the conformance suite against the engine open returns. Every
// subtest runs in parallel with its own store.
func Run(t *testing.T, open Opener) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, setup(t, open, !c.raw))
		})
	}
}

type testCase struct {
	name string
	raw  bool // the store is not migrated before the test
	fn   func(t *testing.T, b *bundle)
}

var cases []testCase

func register(name string, raw bool, fn func(t *testing.T, b *bundle)) bool {
	cases = append(cases, testCase{name: name, raw: raw, fn: fn})
	return true
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func count(t *testing.T, b *bundle, table string) int64 {
	t.Helper()
	var n int64
	if err := b.s.QueryRow(b.ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var _ = register("MigrateIdempotent", true, func(t *testing.T, b *bundle) {
	v := must[int](t)(b.s.Version(b.ctx))
	if v != 0 {
		t.Fatalf("fresh store: version %d, want 0", v)
	}
	st := must[store.Status](t)(b.s.Status(b.ctx))
	latest := store.LatestVersion(b.s.Dialect())
	if st.Version != 0 || st.Latest != latest || len(st.Pending) == 0 {
		t.Fatalf("fresh status: %+v", st)
	}
	n := must[int](t)(b.s.Migrate(b.ctx))
	ms := must[[]store.Migration](t)(store.Migrations(b.s.Dialect()))
	if n != len(ms) {
		t.Fatalf("first Migrate applied %d, want %d", n, len(ms))
	}
	if n := must[int](t)(b.s.Migrate(b.ctx)); n != 0 {
		t.Fatalf("second Migrate applied %d, want 0", n)
	}
	if v := must[int](t)(b.s.Version(b.ctx)); v != latest {
		t.Fatalf("version %d, want %d", v, latest)
	}
	if got := count(t, b, store.MigrationsTable); got != int64(len(ms)) {
		t.Fatalf("%s has %d rows, want %d", store.MigrationsTable, got, len(ms))
	}
})

var _ = register("MigrateConcurrent", true, func(t *testing.T, b *bundle) {
	errs := make(chan error, 4)
	for range 4 {
		go func() { _, err := b.s.Migrate(b.ctx); errs <- err }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ms := must[[]store.Migration](t)(store.Migrations(b.s.Dialect()))
	if got := count(t, b, store.MigrationsTable); got != int64(len(ms)) {
		t.Fatalf("%s has %d rows, want %d", store.MigrationsTable, got, len(ms))
	}
})

// An applied migration whose file changed since (here: its recorded
// checksum no longer matches) stops every later open with an error naming
// the file, and so does a migration this build does not have; `db status`
// (Status) says the same.
var _ = register("ChangedMigrationRefused", false, func(t *testing.T, b *bundle) {
	ms := must[[]store.Migration](t)(store.Migrations(b.s.Dialect()))
	m := ms[len(ms)-1]
	if _, err := b.s.Exec(b.ctx, `UPDATE `+store.MigrationsTable+` SET checksum = $1 WHERE version = $2`, "0123456789abcdef", m.Version); err != nil {
		t.Fatal(err)
	}
	_, err := b.s.Migrate(b.ctx)
	want := "migration " + m.Name + ".sql was changed after this database applied it (sha256 0123456789ab applied"
	if !errors.Is(err, store.ErrMigrationChanged) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Migrate: %v, want %q", err, want)
	}
	if _, err := b.s.Status(b.ctx); !errors.Is(err, store.ErrMigrationChanged) {
		t.Fatalf("Status: %v", err)
	}
	if err := store.VerifyMigrations(b.ctx, b.s); !errors.Is(err, store.ErrMigrationChanged) {
		t.Fatalf("VerifyMigrations: %v", err)
	}
	if _, err := b.s.Exec(b.ctx, `UPDATE `+store.MigrationsTable+` SET checksum = $1 WHERE version = $2`, m.Checksum, m.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.Migrate(b.ctx); err != nil {
		t.Fatalf("restored: %v", err)
	}
	if _, err := b.s.Exec(b.ctx, `INSERT INTO `+store.MigrationsTable+` (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)`,
		9999, "9999_from_a_newer_build", "ffff", store.Now()); err != nil {
		t.Fatal(err)
	}
	_, err = b.s.Migrate(b.ctx)
	if want := "applied migration 9999_from_a_newer_build.sql, which this build does not have"; !errors.Is(err, store.ErrMigrationChanged) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Migrate: %v, want %q", err, want)
	}
})

var _ = register("StatusListsTables", false, func(t *testing.T, b *bundle) {
	if _, err := b.s.Exec(b.ctx, `INSERT INTO seasons (season, start_year, updated_at) VALUES ($1, $2, $3), ($4, $5, $6)`,
		"2018-19", 2018, store.Now(), "2019-20", 2019, store.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.Exec(b.ctx, `CREATE TABLE extra_helper_table (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	st := must[store.Status](t)(b.s.Status(b.ctx))
	if st.Dialect != b.s.Dialect() || st.Location == "" || st.Version != st.Latest || len(st.Pending) != 0 {
		t.Fatalf("status %+v", st)
	}
	got := map[string]int64{}
	for _, tc := range st.Tables {
		got[tc.Table] = tc.Rows
	}
	for _, want := range append(slices.Clone(store.CoreTables), "extra_helper_table", store.MigrationsTable) {
		if _, ok := got[want]; !ok {
			t.Errorf("status lacks table %s: %v", want, st.Tables)
		}
	}
	if got["seasons"] != 2 || got["plays"] != 0 {
		t.Errorf("counts: seasons %d, plays %d", got["seasons"], got["plays"])
	}
})

var _ = register("PingAndNoRows", false, func(t *testing.T, b *bundle) {
	if err := b.s.Ping(b.ctx); err != nil {
		t.Fatal(err)
	}
	if err := store.Analyze(b.ctx, b.s, "plays", "games"); err != nil {
		t.Fatal(err)
	}
	if err := store.Analyze(b.ctx, b.s); err != nil {
		t.Fatal(err)
	}
	var s string
	err := b.s.QueryRow(b.ctx, `SELECT season FROM seasons WHERE season = $1`, "1900-01").Scan(&s)
	if !errors.Is(err, store.ErrNoRows) {
		t.Fatalf("QueryRow on nothing: %v, want ErrNoRows", err)
	}
	err = b.s.InTx(b.ctx, func(tx store.Tx) error {
		return tx.QueryRow(b.ctx, `SELECT season FROM seasons WHERE season = $1`, "1900-01").Scan(&s)
	})
	if !errors.Is(err, store.ErrNoRows) {
		t.Fatalf("QueryRow in tx on nothing: %v, want ErrNoRows", err)
	}
})

// kv is a scratch table used by the generic Upsert tests.
func kv(t *testing.T, b *bundle) {
	t.Helper()
	if _, err := b.s.Exec(b.ctx, `CREATE TABLE kv (k TEXT NOT NULL, n INTEGER NOT NULL, v TEXT, i BIGINT, PRIMARY KEY (k, n))`); err != nil {
		t.Fatal(err)
	}
}

func kvRows(t *testing.T, b *bundle, q store.Querier) map[string]string {
	t.Helper()
	rows, err := q.Query(b.ctx, `SELECT k, n, v, i FROM kv`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k string
		var n int
		var v *string
		var i *int64
		if err := rows.Scan(&k, &n, &v, &i); err != nil {
			t.Fatal(err)
		}
		vs, is := "NULL", "NULL"
		if v != nil {
			vs = *v
		}
		if i != nil {
			is = fmt.Sprint(*i)
		}
		out[fmt.Sprintf("%s/%d", k, n)] = vs + "|" + is
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var kvCols = []string{"k", "n", "v", "i"}

var _ = register("UpsertInsertReplaceNothing", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	batch := store.Batch{Table: "kv", Columns: kvCols, Key: []string{"k", "n"}, Rows: [][]any{
		{"a", 1, "x", int64(10)}, {"a", 2, "y", nil}, {"b", 1, nil, 7},
	}}
	if n := must[int64](t)(b.s.Upsert(b.ctx, batch)); n != 3 {
		t.Fatalf("upsert wrote %d, want 3", n)
	}
	batch.Rows = [][]any{{"a", 1, "x2", 11}, {"c", 1, "z", 0}}
	must[int64](t)(b.s.Upsert(b.ctx, batch))
	want := map[string]string{"a/1": "x2|11", "a/2": "y|NULL", "b/1": "NULL|7", "c/1": "z|0"}
	if got := kvRows(t, b, b.s); !equalMaps(got, want) {
		t.Fatalf("after replace: %v, want %v", got, want)
	}
	batch.DoNothing = true
	batch.Rows = [][]any{{"a", 1, "x3", 12}, {"d", 1, "w", 1}}
	must[int64](t)(b.s.Upsert(b.ctx, batch))
	want["d/1"] = "w|1"
	if got := kvRows(t, b, b.s); !equalMaps(got, want) {
		t.Fatalf("after do-nothing: %v, want %v", got, want)
	}
	// Keep: a NULL does not erase; Update: a custom expression.
	batch.DoNothing = false
	batch.Keep = []string{"v"}
	batch.Update = map[string]string{"i": "kv.i + excluded.i"}
	batch.Rows = [][]any{{"a", 1, nil, 100}, {"b", 1, "now", 1}}
	must[int64](t)(b.s.Upsert(b.ctx, batch))
	want["a/1"] = "x2|111"
	want["b/1"] = "now|8"
	if got := kvRows(t, b, b.s); !equalMaps(got, want) {
		t.Fatalf("after keep/update: %v, want %v", got, want)
	}
})

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
