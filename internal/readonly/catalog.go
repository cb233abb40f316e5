package readonly

import (
	"context"
	"fmt"
	"strings"

	"github.com/nbasim/nbasim/internal/store"
)

// Table is a table or view of the schema.
type Table struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // table, view, materialized_view
	// Rows is the row count: exact on SQLite, the planner's estimate on
	// PostgreSQL (nil when the table was never analyzed).
	Rows *int64 `json:"rows,omitempty"`
}

// ColumnInfo describes a table column.
type ColumnInfo struct {
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Nullable bool    `json:"nullable"`
	Default  *string `json:"default,omitempty"`
	// Comment documents the column: COMMENT ON COLUMN in PostgreSQL, the
	// column_docs catalog in SQLite (migration 0012).
	Comment string `json:"comment,omitempty"`
}

// Index describes an index.
type Index struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique"`
	Primary bool     `json:"primary,omitempty"`
}

// ForeignKey describes a foreign key.
type ForeignKey struct {
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
}

// TableInfo describes one table.
type TableInfo struct {
	Name        string       `json:"name"`
	Kind        string       `json:"kind"`
	Columns     []ColumnInfo `json:"columns"`
	PrimaryKey  []string     `json:"primary_key"`
	Indexes     []Index      `json:"indexes"`
	ForeignKeys []ForeignKey `json:"foreign_keys"`
	Rows        *int64       `json:"rows,omitempty"`
	RowsExact   bool         `json:"rows_exact"`
}

func (db *DB) rows(ctx context.Context, q string, args ...any) ([][]any, error) {
	r, err := db.query(ctx, q, trustedLimits, args) // trusted SQL, still read-only
	if err != nil {
		return nil, err
	}
	return r.Rows, nil
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

func i64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	case float64:
		return int64(x), true
	case float32:
		return int64(x), true
	}
	return 0, false
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x == "1" || x == "t" || x == "true"
	}
	n, _ := i64(v)
	return n != 0
}

// Tables lists the tables and views of the schema with row counts.
func (db *DB) Tables(ctx context.Context) ([]Table, error) {
	var out []Table
	switch db.Dialect() {
	case store.SQLite:
		rs, err := db.rows(ctx, `SELECT name, type FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			t := Table{Name: str(r[0]), Kind: str(r[1])}
			if t.Kind == "table" {
				n, err := db.count(ctx, t.Name)
				if err != nil {
					return nil, err
				}
				t.Rows = &n
			}
			out = append(out, t)
		}
	default:
		rs, err := db.rows(ctx, `SELECT c.relname::text, c.relkind::text, c.reltuples::float8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r','p','v','m')
ORDER BY 1`)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			t := Table{Name: str(r[0]), Kind: pgKind(str(r[1]))}
			if n, ok := i64(r[2]); ok && n >= 0 && t.Kind != "view" {
				t.Rows = &n
			}
			out = append(out, t)
		}
	}
	return out, nil
}

func pgKind(k string) string {
	switch k {
	case "v":
		return "view"
	case "m":
		return "materialized_view"
	default:
		return "table"
	}
}

func (db *DB) count(ctx context.Context, table string) (int64, error) {
	rs, err := db.rows(ctx, `SELECT count(*) FROM `+store.QuoteIdent(table))
	if err != nil {
		return 0, err
	}
	n, _ := i64(rs[0][0])
	return n, nil
}

// Describe returns table's columns, types, primary key, indexes, foreign
// keys and row count (exact on SQLite; on PostgreSQL the estimate, or an
// exact count when the table was never analyzed).
func (db *DB) Describe(ctx context.Context, table string) (*TableInfo, error) {
	if db.Dialect() == store.SQLite {
		return db.describeSQLite(ctx, table)
	}
	return db.describePostgres(ctx, table)
}

func (db *DB) describeSQLite(ctx context.Context, table string) (*TableInfo, error) {
	rs, err := db.rows(ctx, `SELECT type FROM sqlite_schema WHERE name = $1 AND type IN ('table','view')`, table)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("table %q does not exist (list_tables shows the tables)", table)
	}
	ti := &TableInfo{Name: table, Kind: str(rs[0][0]), PrimaryKey: []string{}, Indexes: []Index{}, ForeignKeys: []ForeignKey{}}
	cols, err := db.rows(ctx, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info($1) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	if has, _ := db.rows(ctx, `SELECT 1 FROM sqlite_schema WHERE name = 'column_docs'`); len(has) > 0 {
		ds, err := db.rows(ctx, `SELECT column_name, doc FROM column_docs WHERE table_name = $1`, table)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			docs[str(d[0])] = str(d[1])
		}
	}
	type pkcol struct {
		pos  int64
		name string
	}
	var pks []pkcol
	for _, c := range cols {
		ci := ColumnInfo{Name: str(c[0]), Type: str(c[1]), Nullable: !truthy(c[2])}
		ci.Comment = docs[ci.Name]
		if c[3] != nil {
			d := str(c[3])
			ci.Default = &d
		}
		if p, _ := i64(c[4]); p > 0 {
			pks = append(pks, pkcol{p, ci.Name})
		}
		ti.Columns = append(ti.Columns, ci)
	}
	for k := 1; k <= len(pks); k++ {
		for _, p := range pks {
			if p.pos == int64(k) {
				ti.PrimaryKey = append(ti.PrimaryKey, p.name)
			}
		}
	}
	idx, err := db.rows(ctx, `SELECT name, "unique", origin FROM pragma_index_list($1) ORDER BY name`, table)
	if err != nil {
		return nil, err
	}
	for _, r := range idx {
		in := Index{Name: str(r[0]), Unique: truthy(r[1]), Primary: str(r[2]) == "pk", Columns: []string{}}
		ics, err := db.rows(ctx, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, in.Name)
		if err != nil {
			return nil, err
		}
		for _, c := range ics {
			in.Columns = append(in.Columns, str(c[0]))
		}
		ti.Indexes = append(ti.Indexes, in)
	}
	fks, err := db.rows(ctx, `SELECT id, "table", "from", "to" FROM pragma_foreign_key_list($1) ORDER BY id, seq`, table)
	if err != nil {
		return nil, err
	}
	byID := map[int64]int{}
	for _, r := range fks {
		id, _ := i64(r[0])
		k, ok := byID[id]
		if !ok {
			ti.ForeignKeys = append(ti.ForeignKeys, ForeignKey{RefTable: str(r[1])})
			k = len(ti.ForeignKeys) - 1
			byID[id] = k
		}
		ti.ForeignKeys[k].Columns = append(ti.ForeignKeys[k].Columns, str(r[2]))
		ti.ForeignKeys[k].RefColumns = append(ti.ForeignKeys[k].RefColumns, str(r[3]))
	}
	if ti.Kind == "table" {
		n, err := db.count(ctx, table)
		if err != nil {
			return nil, err
		}
		ti.Rows, ti.RowsExact = &n, true
	}
	return ti, nil
}

func (db *DB) describePostgres(ctx context.Context, table string) (*TableInfo, error) {
	rs, err := db.rows(ctx, `SELECT c.oid::int8, c.relkind::text, c.reltuples::float8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r','p','v','m')`, table)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("table %q does not exist (list_tables shows the tables)", table)
	}
	oid, _ := i64(rs[0][0])
	ti := &TableInfo{Name: table, Kind: pgKind(str(rs[0][1])), PrimaryKey: []string{}, Indexes: []Index{}, ForeignKeys: []ForeignKey{}}
	cols, err := db.rows(ctx, `SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
  col_description(a.attrelid, a.attnum)
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, oid)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		ci := ColumnInfo{Name: str(c[0]), Type: str(c[1]), Nullable: truthy(c[2])}
		if c[3] != nil {
			d := str(c[3])
			ci.Default = &d
		}
		if c[4] != nil {
			ci.Comment = str(c[4])
		}
		ti.Columns = append(ti.Columns, ci)
	}
	idx, err := db.rows(ctx, `SELECT ic.relname::text, i.indisunique, i.indisprimary,
  coalesce((SELECT array_to_string(array_agg(coalesce(a.attname::text, '(expression)') ORDER BY k.ord), ',')
   FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum), '')
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = $1::int8::oid ORDER BY 1`, oid)
	if err != nil {
		return nil, err
	}
	for _, r := range idx {
		in := Index{Name: str(r[0]), Unique: truthy(r[1]), Primary: truthy(r[2]), Columns: splitList(str(r[3]))}
		if in.Primary {
			ti.PrimaryKey = in.Columns
		}
		ti.Indexes = append(ti.Indexes, in)
	}
	fks, err := db.rows(ctx, `SELECT rc.relname::text,
  (SELECT array_to_string(array_agg(a.attname::text ORDER BY k.ord), ',') FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
  (SELECT array_to_string(array_agg(a.attname::text ORDER BY k.ord), ',') FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
FROM pg_constraint c JOIN pg_class rc ON rc.oid = c.confrelid
WHERE c.conrelid = $1::int8::oid AND c.contype = 'f' ORDER BY c.conname`, oid)
	if err != nil {
		return nil, err
	}
	for _, r := range fks {
		ti.ForeignKeys = append(ti.ForeignKeys, ForeignKey{RefTable: str(r[0]), Columns: splitList(str(r[1])), RefColumns: splitList(str(r[2]))})
	}
	if ti.Kind != "view" {
		if n, ok := i64(rs[0][2]); ok && n >= 0 {
			ti.Rows = &n
		} else {
			n, err := db.count(ctx, table)
			if err != nil {
				return nil, err
			}
			ti.Rows, ti.RowsExact = &n, true
		}
	}
	return ti, nil
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
