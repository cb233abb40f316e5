package collect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store"
)

// Failure log (table fetch_log, migration 0007): the last failure of each
// object that could not be fetched. Collector.Store must be set.

// recordFailures upserts the failures of a batch.
func (c *Collector) recordFailures(ctx context.Context, fs []Failure, reqs map[string]*source.Request) error {
	if c.Store == nil || len(fs) == 0 {
		return nil
	}
	now := time.Now().UTC().Format(time.RFC3339)
	b := failureBatch()
	for _, f := range fs {
		r, ok := reqs[f.Key]
		if !ok {
			continue
		}
		key, err := r.Key()
		if err != nil {
			continue
		}
		status, attempts := 0, 0
		var fe *source.Error
		if errors.As(f.Err, &fe) {
			status, attempts = fe.Status, fe.Attempts
		}
		class := f.Class.String()
		if f.Class == 0 {
			class = "error"
		}
		b.Rows = append(b.Rows, []any{key, r.Source, r.Dataset, r.Season, r.Item, r.URL, class, status, f.Err.Error(), attempts, 1, now, now})
	}
	if _, err := c.Store.Upsert(ctx, b); err != nil {
		return fmt.Errorf("collect: record failures in fetch_log: %w", err)
	}
	return nil
}

// failureBatch is an upsert into fetch_log: a new failure of a key counts
// one more and keeps the time of the first.
func failureBatch() store.Batch {
	return store.Batch{
		Table:   "fetch_log",
		Columns: []string{"lake_key", "source", "dataset", "season", "item", "url", "class", "status", "reason", "attempts", "failures", "first_at", "last_at"},
		Key:     []string{"lake_key"},
		Update:  map[string]string{"failures": "fetch_log.failures + 1", "first_at": "fetch_log.first_at"},
	}
}

// MarkFailed records in fetch_log that r failed with class (a source
// class, or "poison" and "exhausted" from the worker loop) and reason.
func (c *Collector) MarkFailed(ctx context.Context, r *source.Request, class, reason string, attempts int) error {
	if c.Store == nil {
		return nil
	}
	key, err := r.Key()
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	b := failureBatch()
	b.Rows = [][]any{{key, r.Source, r.Dataset, r.Season, r.Item, r.URL, class, 0, reason, attempts, 1, now, now}}
	if _, err := c.Store.Upsert(ctx, b); err != nil {
		return fmt.Errorf("collect: record failure of %s in fetch_log: %w", key, err)
	}
	return nil
}

// clearFailures deletes the rows of keys fetched successfully.
func (c *Collector) clearFailures(ctx context.Context, keys []string) error {
	if c.Store == nil {
		return nil
	}
	for _, k := range keys {
		if _, err := c.Store.Exec(ctx, `DELETE FROM fetch_log WHERE lake_key = $1`, k); err != nil {
			return fmt.Errorf("collect: clear fetch_log: %w", err)
		}
	}
	return nil
}

// loggedFailures returns the keys in fetch_log with the class and time of
// their last failure: of keys when there are few (a worker's job), of
// every key otherwise.
func (c *Collector) loggedFailures(ctx context.Context, keys []string) (map[string]logged, error) {
	out := map[string]logged{}
	if c.Store == nil {
		return out, nil
	}
	q, args := `SELECT lake_key, class, last_at FROM fetch_log`, []any(nil)
	if n := len(keys); n > 0 && n <= 100 {
		ph := make([]string, n)
		for i, k := range keys {
			ph[i] = "$" + strconv.Itoa(i+1)
			args = append(args, k)
		}
		q += ` WHERE lake_key IN (` + strings.Join(ph, ", ") + `)`
	}
	rs, err := c.Store.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("collect: read fetch_log: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var k, class, at string
		if err := rs.Scan(&k, &class, &at); err != nil {
			return nil, err
		}
		t, _ := time.Parse(time.RFC3339, at)
		out[k] = logged{class: class, at: t}
	}
	return out, rs.Err()
}

type logged struct {
	class string
	at    time.Time
}
