package readonly

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"github.com/nbasim/nbasim/internal/store"
)

// ErrReadOnly is returned by the Querier adapter's write methods.
var ErrReadOnly = errors.New("readonly: this handle cannot write")

// trustedLimits bound the server's own queries (typed helpers reading a
// game's plays, boxes, ...): far above what a user gets, still bounded.
var trustedLimits = Limits{Rows: 200_000, Bytes: 256 << 20, raw: true}

// Querier adapts db to store.Querier so that the typed helpers of package
// store (GetGame, LoadPlays, LoadBox, ...) run through the read-only
// handle. Results are read whole (bounded) before they are returned; Exec
// and Upsert fail with ErrReadOnly.
func Querier(db *DB) store.Querier { return querier{db} }

type querier struct{ db *DB }

func (q querier) query(ctx context.Context, sql string, args []any) (*Result, error) {
	return q.db.query(ctx, sql, trustedLimits, store.NormalizeArgs(args))
}

func (q querier) Dialect() store.Dialect                              { return q.db.Dialect() }
func (q querier) Exec(context.Context, string, ...any) (int64, error) { return 0, ErrReadOnly }
func (q querier) Upsert(context.Context, store.Batch) (int64, error)  { return 0, ErrReadOnly }
func (q querier) Insert(context.Context, store.Batch) (int64, error)  { return 0, ErrReadOnly }

func (q querier) Query(ctx context.Context, sql string, args ...any) (store.Rows, error) {
	r, err := q.query(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	if r.Truncated {
		return nil, fmt.Errorf("readonly: result larger than %d rows or %d bytes", trustedLimits.Rows, trustedLimits.Bytes)
	}
	return &memRows{res: r, i: -1}, nil
}

func (q querier) QueryRow(ctx context.Context, sql string, args ...any) store.Row {
	r, err := q.query(ctx, sql, args)
	return memRow{r, err}
}

type memRow struct {
	res *Result
	err error
}

func (r memRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	if len(r.res.Rows) == 0 {
		return store.ErrNoRows
	}
	return scanInto(r.res.Rows[0], dest)
}

type memRows struct {
	res *Result
	i   int
}

func (r *memRows) Next() bool { r.i++; return r.i < len(r.res.Rows) }
func (r *memRows) Scan(dest ...any) error {
	if r.i < 0 || r.i >= len(r.res.Rows) {
		return errors.New("readonly: Scan without a row")
	}
	return scanInto(r.res.Rows[r.i], dest)
}
func (r *memRows) Columns() ([]string, error) {
	out := make([]string, len(r.res.Columns))
	for i, c := range r.res.Columns {
		out[i] = c.Name
	}
	return out, nil
}
func (r *memRows) Err() error   { return nil }
func (r *memRows) Close() error { return nil }

func scanInto(row []any, dest []any) error {
	if len(dest) != len(row) {
		return fmt.Errorf("readonly: scan %d values into %d destinations", len(row), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, row[i]); err != nil {
			return fmt.Errorf("readonly: column %d: %w", i+1, err)
		}
	}
	return nil
}

// assign stores src (a JSONValue: nil, bool, int64, float64, string, ...)
// into the pointer dst, converting between numbers, text and booleans.
func assign(dst, src any) error {
	if p, ok := dst.(*any); ok {
		*p = src
		return nil
	}
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("destination %T is not a pointer", dst)
	}
	v = v.Elem()
	if src == nil {
		v.SetZero()
		return nil
	}
	if v.Kind() == reflect.Pointer { // *string, *int64, ...: allocate
		nv := reflect.New(v.Type().Elem())
		if err := assign(nv.Interface(), src); err != nil {
			return err
		}
		v.Set(nv)
		return nil
	}
	sv := reflect.ValueOf(src)
	switch v.Kind() {
	case reflect.String:
		switch x := src.(type) {
		case string:
			v.SetString(x)
		case []byte:
			v.SetString(string(x))
		default:
			v.SetString(fmt.Sprint(x))
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch {
		case sv.CanInt():
			v.SetInt(sv.Int())
		case sv.CanUint():
			v.SetInt(int64(sv.Uint()))
		case sv.CanFloat():
			v.SetInt(int64(sv.Float()))
		case sv.Kind() == reflect.Bool:
			if sv.Bool() {
				v.SetInt(1)
			} else {
				v.SetInt(0)
			}
		case sv.Kind() == reflect.String:
			n, err := strconv.ParseInt(sv.String(), 10, 64)
			if err != nil {
				return fmt.Errorf("cannot convert %q to %s", sv.String(), v.Type())
			}
			v.SetInt(n)
		default:
			return fmt.Errorf("cannot convert %T to %s", src, v.Type())
		}
		return nil
	case reflect.Float32, reflect.Float64:
		switch {
		case sv.CanFloat():
			v.SetFloat(sv.Float())
		case sv.CanInt():
			v.SetFloat(float64(sv.Int()))
		case sv.Kind() == reflect.String:
			f, err := strconv.ParseFloat(sv.String(), 64)
			if err != nil {
				return fmt.Errorf("cannot convert %q to %s", sv.String(), v.Type())
			}
			v.SetFloat(f)
		default:
			return fmt.Errorf("cannot convert %T to %s", src, v.Type())
		}
		return nil
	case reflect.Bool:
		switch {
		case sv.Kind() == reflect.Bool:
			v.SetBool(sv.Bool())
		case sv.CanInt():
			v.SetBool(sv.Int() != 0)
		default:
			return fmt.Errorf("cannot convert %T to bool", src)
		}
		return nil
	}
	if sv.Type().AssignableTo(v.Type()) {
		v.Set(sv)
		return nil
	}
	return fmt.Errorf("cannot convert %T to %s", src, v.Type())
}

// ScanRow stores the values of a result row into dest pointers, converting
// between numbers, text and booleans like database/sql's Scan.
func ScanRow(row []any, dest ...any) error { return scanInto(row, dest) }
