package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
)

// kvBatch builds n kv rows with keys k<i>/<i%3> and the given value tag.
func kvBatch(n int, tag string) store.Batch {
	b := store.Batch{Table: "kv", Columns: kvCols, Key: []string{"k", "n"}}
	for i := range n {
		b.Rows = append(b.Rows, []any{fmt.Sprintf("k%06d", i), i % 3, fmt.Sprintf("%s-%d", tag, i), int64(i) * 1_000_000_007})
	}
	return b
}

var _ = register("UpsertInBatchDuplicates", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	// Small batches take one multi-row statement, large ones the bulk path
	// (COPY through a temporary table on PostgreSQL): both collapse
	// duplicate keys, the last row winning.
	for _, size := range []int{3, 1000} {
		batch := kvBatch(size, "first")
		batch.Rows = append(batch.Rows, []any{"k000000", 0, "middle", 1}, []any{"k000001", 1, nil, nil}, []any{"k000000", 0, "last", 2})
		n := must[int64](t)(b.s.Upsert(b.ctx, batch))
		if n != int64(size) {
			t.Fatalf("size %d: wrote %d rows, want %d", size, n, size)
		}
		got := kvRows(t, b, b.s)
		if got["k000000/0"] != "last|2" || got["k000001/1"] != "NULL|NULL" || len(got) != size {
			t.Fatalf("size %d: k0 %q k1 %q, %d rows", size, got["k000000/0"], got["k000001/1"], len(got))
		}
		// DoNothing: stored rows stay; new keys get the batch's last row.
		dn := kvBatch(size+2, "again")
		dn.DoNothing = true
		dn.Rows = append(dn.Rows, []any{fmt.Sprintf("k%06d", size), size % 3, "newest", 5})
		must[int64](t)(b.s.Upsert(b.ctx, dn))
		got = kvRows(t, b, b.s)
		if got["k000000/0"] != "last|2" || got[fmt.Sprintf("k%06d/%d", size, size%3)] != "newest|5" || len(got) != size+2 {
			t.Fatalf("size %d do-nothing: %v", size, len(got))
		}
		if _, err := b.s.Exec(b.ctx, `DELETE FROM kv`); err != nil {
			t.Fatal(err)
		}
	}
})

var _ = register("NullsUnicodeAndWideValues", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	long := strings.Repeat("xyz✓", 50_000)
	vals := []string{"", " ", "Ünïcødé", "日本語のテキスト", "emoji 🏀🔥", "quote ' \" \\ ; --", "tab\tnew\nline", long}
	batch := store.Batch{Table: "kv", Columns: kvCols, Key: []string{"k", "n"}}
	key := func(v string) string { r := []rune(v); return string(r[:min(len(r), 100)]) } // PostgreSQL caps index entries near 2.7 kB
	for i, v := range vals {
		batch.Rows = append(batch.Rows, []any{key(v), i, v, nil})
	}
	batch.Rows = append(batch.Rows, []any{"max", 100, nil, int64(9_223_372_036_854_775_807)}, []any{"min", 101, nil, int64(-9_223_372_036_854_775_808)})
	must[int64](t)(b.s.Upsert(b.ctx, batch))
	got := kvRows(t, b, b.s)
	for i, v := range vals {
		if got[fmt.Sprintf("%s/%d", key(v), i)] != v+"|NULL" {
			t.Errorf("value %d (%.20q) did not round-trip", i, v)
		}
	}
	if got["max/100"] != "NULL|9223372036854775807" || got["min/101"] != "NULL|-9223372036854775808" {
		t.Errorf("int64 bounds: %q %q", got["max/100"], got["min/101"])
	}
	// Bound parameters: Go types normalized the same way in both engines.
	type side uint8
	var nilStr *string
	if _, err := b.s.Exec(b.ctx, `INSERT INTO kv (k, n, v, i) VALUES ($1, $2, $3, $4)`, "typed", side(2), nilStr, true); err != nil {
		t.Fatal(err)
	}
	if got := kvRows(t, b, b.s)["typed/2"]; got != "NULL|1" {
		t.Errorf("typed args: %q", got)
	}
})

var _ = register("LargeBatch", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	const n = 10_000
	if w := must[int64](t)(b.s.Upsert(b.ctx, kvBatch(n, "a"))); w != n {
		t.Fatalf("wrote %d", w)
	}
	if w := must[int64](t)(b.s.Upsert(b.ctx, kvBatch(n, "b"))); w != n {
		t.Fatalf("rewrote %d", w)
	}
	got := kvRows(t, b, b.s)
	if len(got) != n || got["k009999/0"] != "b-9999|9999000069993" {
		t.Fatalf("%d rows, last %q", len(got), got["k009999/0"])
	}
	// Insert appends; a conflicting row fails the whole batch.
	ins := kvBatch(n, "c")
	for _, r := range ins.Rows {
		r[1] = r[1].(int) + 3
	}
	if w := must[int64](t)(b.s.Insert(b.ctx, ins)); w != n {
		t.Fatalf("inserted %d", w)
	}
	ins.Rows = append(ins.Rows[:0], []any{"new", 9, "x", 1}, []any{"k000000", 3, "dup", 1})
	if _, err := b.s.Insert(b.ctx, ins); err == nil {
		t.Fatal("conflicting insert succeeded")
	}
	if c := count(t, b, "kv"); c != 2*n {
		t.Fatalf("%d rows after failed insert, want %d", c, 2*n)
	}
})

var _ = register("BatchValidation", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	bad := []store.Batch{
		{Columns: kvCols, Rows: [][]any{{"a", 1, "x", 1}}},
		{Table: "kv", Rows: [][]any{{"a"}}},
		{Table: "kv", Columns: kvCols, Key: []string{"nope"}, Rows: [][]any{{"a", 1, "x", 1}}},
		{Table: "kv", Columns: kvCols, Key: []string{"k", "n"}, Rows: [][]any{{"a", 1, "x"}}},
		{Table: "kv", Columns: []string{"k", "k"}, Rows: [][]any{{"a", "b"}}},
	}
	for i, batch := range bad {
		if _, err := b.s.Upsert(b.ctx, batch); err == nil {
			t.Errorf("bad batch %d upserted", i)
		}
		if _, err := b.s.Insert(b.ctx, batch); err == nil {
			t.Errorf("bad batch %d inserted", i)
		}
	}
	if n := must[int64](t)(b.s.Upsert(b.ctx, store.Batch{Table: "kv", Columns: kvCols, Key: []string{"k", "n"}})); n != 0 {
		t.Fatalf("empty batch wrote %d", n)
	}
})

var errBoom = errors.New("boom")

var _ = register("Transactions", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	// Commit; the transaction sees its own writes.
	err := b.s.InTx(b.ctx, func(tx store.Tx) error {
		if _, err := tx.Exec(b.ctx, `INSERT INTO kv (k, n) VALUES ($1, $2)`, "committed", 1); err != nil {
			return err
		}
		if _, err := tx.Upsert(b.ctx, kvBatch(100, "tx")); err != nil {
			return err
		}
		if got := kvRows(t, b, tx); len(got) != 101 {
			return fmt.Errorf("tx sees %d rows, want 101", len(got))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := count(t, b, "kv"); c != 101 {
		t.Fatalf("after commit: %d rows", c)
	}
	// An error rolls back everything, bulk writes included, and comes back.
	err = b.s.InTx(b.ctx, func(tx store.Tx) error {
		if _, err := tx.Exec(b.ctx, `DELETE FROM kv`); err != nil {
			return err
		}
		if _, err := tx.Insert(b.ctx, kvBatch(500, "gone")); err != nil {
			return err
		}
		if _, err := tx.Upsert(b.ctx, kvBatch(5, "gone")); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("InTx returned %v, want boom", err)
	}
	if got := kvRows(t, b, b.s); len(got) != 101 || got["committed/1"] != "NULL|NULL" {
		t.Fatalf("after rollback: %d rows", len(got))
	}
	// A failing statement fails the transaction.
	err = b.s.InTx(b.ctx, func(tx store.Tx) error {
		if _, err := tx.Exec(b.ctx, `DELETE FROM kv WHERE k = $1`, "committed"); err != nil {
			return err
		}
		_, err := tx.Exec(b.ctx, `INSERT INTO no_such_table (x) VALUES (1)`)
		return err
	})
	if err == nil {
		t.Fatal("statement on a missing table succeeded")
	}
	if c := count(t, b, "kv"); c != 101 {
		t.Fatalf("after failed statement: %d rows", c)
	}
	// A panic rolls back and propagates; the store stays usable.
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("panic swallowed")
			}
		}()
		_ = b.s.InTx(b.ctx, func(tx store.Tx) error {
			if _, err := tx.Exec(b.ctx, `DELETE FROM kv`); err != nil {
				return err
			}
			panic("in tx")
		})
	}()
	if c := count(t, b, "kv"); c != 101 {
		t.Fatalf("after panic: %d rows", c)
	}
	// RunInTx reuses a transaction it is given.
	err = b.s.InTx(b.ctx, func(tx store.Tx) error {
		if err := store.RunInTx(b.ctx, tx, func(inner store.Tx) error {
			_, err := inner.Exec(b.ctx, `DELETE FROM kv`)
			return err
		}); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) || count(t, b, "kv") != 101 {
		t.Fatalf("nested RunInTx did not roll back with the outer tx: %v", err)
	}
})

var _ = register("ConcurrentWriters", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				batch := store.Batch{Table: "kv", Columns: kvCols, Key: []string{"k", "n"},
					Rows: [][]any{{fmt.Sprintf("w%d", w), i, "v", int64(i)}}}
				if _, err := b.s.Upsert(b.ctx, batch); err != nil {
					errs <- err
					return
				}
				if err := b.s.InTx(b.ctx, func(tx store.Tx) error {
					_, err := tx.Exec(b.ctx, `UPDATE kv SET i = i + 1 WHERE k = $1 AND n = $2`, fmt.Sprintf("w%d", w), i)
					return err
				}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var sum int64
	if err := b.s.QueryRow(b.ctx, `SELECT COALESCE(SUM(i), 0) FROM kv`).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if want := int64(8 * (190 + 20)); sum != want || count(t, b, "kv") != 160 {
		t.Fatalf("sum %d, want %d", sum, want)
	}
})

var _ = register("ContextCancellation", false, func(t *testing.T, b *bundle) {
	kv(t, b)
	ctx, cancel := context.WithCancel(b.ctx)
	cancel()
	if _, err := b.s.Exec(ctx, `INSERT INTO kv (k, n) VALUES ('a', 1)`); !errors.Is(err, context.Canceled) {
		t.Errorf("Exec on a cancelled context: %v", err)
	}
	if _, err := b.s.Query(ctx, `SELECT k FROM kv`); !errors.Is(err, context.Canceled) {
		t.Errorf("Query on a cancelled context: %v", err)
	}
	if _, err := b.s.Upsert(ctx, kvBatch(1000, "x")); err == nil {
		t.Errorf("Upsert on a cancelled context succeeded")
	}
	if _, err := b.s.Insert(ctx, kvBatch(1000, "x")); err == nil {
		t.Errorf("Insert on a cancelled context succeeded")
	}
	if err := b.s.InTx(ctx, func(store.Tx) error { return nil }); err == nil {
		t.Errorf("InTx on a cancelled context succeeded")
	}
	if c := count(t, b, "kv"); c != 0 {
		t.Errorf("%d rows written under a cancelled context", c)
	}
	// A long query is interrupted when its context ends.
	qctx, qcancel := context.WithCancel(b.ctx)
	rows, err := b.s.Query(qctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT x FROM c`)
	if err == nil {
		n := 0
		for rows.Next() {
			if n++; n == 10 {
				qcancel()
			}
		}
		err = rows.Err()
		rows.Close()
		if n >= 2000000000 {
			t.Fatal("query ran to the end")
		}
	}
	qcancel()
	if err == nil {
		t.Fatal("cancelled query returned no error")
	}
})
