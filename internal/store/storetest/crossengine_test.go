package storetest

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

// TestChecksumAcrossEngines writes the same data into SQLite and
// PostgreSQL, in opposite orders, and compares the checksum of every table
// of the schema (but the formulas' floating-point results).
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
		// schema_migrations: applied_at differs; player_game_lines: the
		// canonical formulas evaluated by each engine (PostgreSQL computes
		// 1.0 * x in numeric, SQLite in double: the last digits differ)
		if tb != store.MigrationsTable && tb != "player_game_lines" {
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

// TestDialectsHaveOneSchema migrates a fresh SQLite and a fresh PostgreSQL
// store from the one migration source and compares what each database's
// catalog says: the same tables with the same columns (name, type class,
// nullability, primary key), the same named indexes on the same columns,
// the same views with the same columns. It fails when a dialect-only block
// of a migration (or a placeholder) makes the two schemas drift apart.
func TestDialectsHaveOneSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := Postgres(t) // skips without a server
	lite := SQLite(t)
	a, b := describeSchema(ctx, t, lite), describeSchema(ctx, t, pg)
	if len(a) < len(store.CoreTables) {
		t.Fatalf("sqlite schema has only %d objects", len(a))
	}
	for _, k := range sortedKeys(a, b) {
		if a[k] != b[k] {
			t.Errorf("%s:\n  sqlite   %q\n  postgres %q", k, a[k], b[k])
		}
	}
}

func sortedKeys(ms ...map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// describeSchema renders s's schema as "kind name" -> description, in
// terms both dialects share.
func describeSchema(ctx context.Context, t *testing.T, s store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	rowsOf := func(q string, args ...any) [][]string {
		t.Helper()
		rows, err := s.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var res [][]string
		for rows.Next() {
			var a, b, c, d string
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				t.Fatal(err)
			}
			res = append(res, []string{a, b, c, d})
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	var tables, views, indexes [][]string
	if s.Dialect() == store.SQLite {
		for _, r := range rowsOf(`SELECT type, name, tbl_name, '' FROM sqlite_master WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'`) {
			switch r[0] {
			case "table":
				tables = append(tables, r)
			case "view":
				views = append(views, r)
			case "index":
				cols := rowsOf(`SELECT name, '', '', '' FROM pragma_index_info($1) ORDER BY seqno`, r[1])
				indexes = append(indexes, []string{r[1], r[2], joinCol(cols, 0)})
			default:
				out[r[0]+" "+r[1]] = r[0] // triggers: none expected
			}
		}
	} else {
		tables = rowsOf(`SELECT 'table', table_name, '', '' FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
		views = rowsOf(`SELECT 'view', table_name, '', '' FROM information_schema.views WHERE table_schema = current_schema()`)
		for _, r := range rowsOf(`SELECT i.relname, t.relname, '', '' FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`) {
			cols := rowsOf(`SELECT a.attname, '', '', '' FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
WHERE i.relname = $1 AND n.nspname = current_schema() ORDER BY k.ord`, r[0])
			indexes = append(indexes, []string{r[0], r[1], joinCol(cols, 0)})
		}
		for _, r := range rowsOf(`SELECT 'trigger', trigger_name, '', '' FROM information_schema.triggers WHERE trigger_schema = current_schema()`) {
			out["trigger "+r[1]] = "trigger"
		}
	}
	for _, r := range tables {
		out["table "+r[1]] = describeColumns(ctx, t, s, r[1], rowsOf, true)
	}
	for _, r := range views {
		out["view "+r[1]] = describeColumns(ctx, t, s, r[1], rowsOf, false)
	}
	for _, r := range indexes {
		out["index "+r[0]] = "on " + r[1] + " (" + r[2] + ")"
	}
	return out
}

func joinCol(rows [][]string, i int) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, r[i])
	}
	return strings.Join(parts, ", ")
}

// describeColumns lists a table's columns as "name type-class [not null]",
// and its primary key; a view's as names only (SQLite derives a view
// column's type from its expression, PostgreSQL from its result).
func describeColumns(ctx context.Context, t *testing.T, s store.Store, table string, rowsOf func(string, ...any) [][]string, typed bool) string {
	t.Helper()
	var cols [][]string
	if s.Dialect() == store.SQLite {
		cols = rowsOf(`SELECT name, type, CAST("notnull" AS TEXT), CAST(pk AS TEXT) FROM pragma_table_info($1) ORDER BY cid`, table)
	} else {
		cols = rowsOf(`SELECT column_name, data_type, CASE WHEN is_nullable = 'NO' THEN '1' ELSE '0' END, '0'
FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	}
	pk, err := store.PrimaryKey(ctx, s, s.Dialect(), table)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, c := range cols {
		if !typed {
			parts = append(parts, c[0])
			continue
		}
		d := c[0] + " " + typeClass(c[1])
		if c[2] == "1" || slices.Contains(pk, c[0]) {
			d += " not null"
		}
		parts = append(parts, d)
	}
	if typed {
		parts = append(parts, "primary key ("+strings.Join(pk, ", ")+")")
	}
	return strings.Join(parts, "; ")
}

// typeClass maps a declared (SQLite) or catalog (PostgreSQL) column type
// to the class both dialects share; anything else is kept as is, so a
// type one dialect alone uses shows as a difference.
func typeClass(typ string) string {
	switch strings.ToLower(typ) {
	case "integer", "bigint", "int", "smallint":
		return "integer"
	case "text", "character varying":
		return "text"
	case "real", "double precision":
		return "float"
	case "blob", "bytea":
		return "bytes"
	}
	return strings.ToLower(typ)
}
