package store

import (
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// NormalizeValue maps a Go value to what both engines store the same way:
// bools become 0/1, time.Time RFC 3339 UTC text, named integer and string
// types (model.Side, model.PlayerID, ...) their underlying kind, and nil
// pointers NULL. Engines apply it to every argument and batch value.
func NormalizeValue(v any) any {
	switch x := v.(type) {
	case nil, string, int64, int, int32, float64, []byte:
		return v
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return FormatTime(x)
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return int64(*x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return strconv.FormatUint(u, 10)
		}
		return int64(u)
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return NormalizeValue(rv.Bool())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return NormalizeValue(rv.Elem().Interface())
	}
	return v
}

// NormalizeArgs applies NormalizeValue to args in place and returns them.
func NormalizeArgs(args []any) []any {
	for i, a := range args {
		args[i] = NormalizeValue(a)
	}
	return args
}

// appendCanonical renders v canonically: the same value gives the same
// bytes whichever engine or Go type produced it (int32 and int64, string and
// []byte of text, ...). NULL is distinct from every string.
func appendCanonical(buf []byte, v any) []byte {
	v = NormalizeValue(v)
	switch x := v.(type) {
	case nil:
		return append(buf, 'N')
	case int64:
		buf = append(buf, 'v')
		return strconv.AppendInt(buf, x, 10)
	case int:
		buf = append(buf, 'v')
		return strconv.AppendInt(buf, int64(x), 10)
	case int32:
		buf = append(buf, 'v')
		return strconv.AppendInt(buf, int64(x), 10)
	case float64:
		buf = append(buf, 'v')
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.AppendInt(buf, int64(x), 10)
		}
		return strconv.AppendFloat(buf, x, 'g', -1, 64)
	case string:
		buf = append(buf, 'v')
		return append(buf, x...)
	case []byte:
		buf = append(buf, 'v')
		return append(buf, x...)
	}
	buf = append(buf, 'v')
	return fmt.Appendf(buf, "%v", v)
}

// keyString renders the key columns of a row for de-duplication.
func keyString(buf []byte, row []any, idx []int) []byte {
	buf = buf[:0]
	for _, i := range idx {
		buf = appendCanonical(buf, row[i])
		buf = append(buf, 0)
	}
	return buf
}

// Dedupe returns b's rows with duplicate keys collapsed, the last one
// winning, in the order of each key's last occurrence. Rows is returned
// unchanged (not copied) when b has no key or no duplicates.
func Dedupe(b Batch) [][]any {
	if len(b.Key) == 0 || len(b.Rows) < 2 {
		return b.Rows
	}
	idx := make([]int, len(b.Key))
	for i, k := range b.Key {
		for j, c := range b.Columns {
			if c == k {
				idx[i] = j
			}
		}
	}
	last := make(map[string]int, len(b.Rows))
	var buf []byte
	for i, r := range b.Rows {
		buf = keyString(buf, r, idx)
		last[string(buf)] = i
	}
	if len(last) == len(b.Rows) {
		return b.Rows
	}
	out := make([][]any, 0, len(last))
	for i, r := range b.Rows {
		buf = keyString(buf, r, idx)
		if last[string(buf)] == i {
			out = append(out, r)
		}
	}
	return out
}

// ColumnList renders "a", "b", "c".
func ColumnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = QuoteIdent(c)
	}
	return strings.Join(q, ", ")
}

// ConflictClause renders b's ON CONFLICT clause (empty when b has no key):
// DO NOTHING, or DO UPDATE SET every non-key column (excluded value, Keep
// columns coalesced with the stored one, Update expressions verbatim)
// WHERE at least one column other than the Stamp would change.
// The same text works in SQLite and PostgreSQL.
func ConflictClause(b Batch) string {
	if len(b.Key) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString(" ON CONFLICT (")
	sb.WriteString(ColumnList(b.Key))
	sb.WriteString(")")
	isKey := map[string]bool{}
	for _, k := range b.Key {
		isKey[k] = true
	}
	keep := map[string]bool{}
	for _, k := range b.Keep {
		keep[k] = true
	}
	var sets, changed []string
	if !b.DoNothing {
		for _, c := range b.Columns {
			if isKey[c] {
				continue
			}
			qc := QuoteIdent(c)
			var expr string
			switch {
			case b.Update[c] != "":
				expr = b.Update[c]
			case keep[c]:
				expr = "COALESCE(excluded." + qc + ", " + QuoteIdent(b.Table) + "." + qc + ")"
			default:
				expr = "excluded." + qc
			}
			sets = append(sets, qc+" = "+expr)
			if c != b.Stamp {
				changed = append(changed, "("+expr+") IS DISTINCT FROM "+QuoteIdent(b.Table)+"."+qc)
			}
		}
	}
	if len(sets) == 0 {
		sb.WriteString(" DO NOTHING")
		return sb.String()
	}
	sb.WriteString(" DO UPDATE SET ")
	sb.WriteString(strings.Join(sets, ", "))
	// Rows that would not change are left alone: no new row version, no
	// index or WAL traffic, and the stamp (if any) keeps its value.
	if len(changed) == 0 {
		return " ON CONFLICT (" + ColumnList(b.Key) + ") DO NOTHING"
	}
	sb.WriteString(" WHERE ")
	sb.WriteString(strings.Join(changed, " OR "))
	return sb.String()
}

// ValuesList renders rows × cols placeholders "($1, $2), ($3, $4)".
func ValuesList(rows, cols int) string { return valuesList(rows, cols, true) }

// AnonValuesList renders rows × cols anonymous placeholders "(?, ?), (?, ?)"
// (SQLite: numbered parameters cost quadratic time to prepare in big
// statements).
func AnonValuesList(rows, cols int) string { return valuesList(rows, cols, false) }

func valuesList(rows, cols int, numbered bool) string {
	var sb strings.Builder
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				sb.WriteString(", ")
			}
			if numbered {
				sb.WriteByte('$')
				sb.WriteString(strconv.Itoa(n))
			} else {
				sb.WriteByte('?')
			}
			n++
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// hexString is used by the checksum.
func hexString(b []byte) string { return hex.EncodeToString(b) }
