package runloop

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store"
)

// Failure is a key that is not planned again for now: its last fetch
// failed permanently (fetch_log).
type Failure struct {
	Key      string `json:"key"`
	Class    string `json:"class"`
	Status   int    `json:"status"`
	Reason   string `json:"reason"`
	Failures int    `json:"failures"`
	LastAt   string `json:"last_at"`
}

// blocking reports whether a fetch_log row keeps its key out of the plan
// at now: permanent and poison failures for run.permanent_ttl, exhausted
// ones for run.exhausted_ttl; with --retry-permanent, only failures of
// this run count.
func (l *Loop) blocking(class, lastAt string, now time.Time) bool {
	at, err := time.Parse(time.RFC3339, lastAt)
	if err != nil {
		return false
	}
	var ttl time.Duration
	switch class {
	case source.Permanent.String(), ClassPoison:
		ttl = l.cfg.Run.PermanentTTL
	case ClassExhausted:
		ttl = l.cfg.Run.ExhaustedTTL
	default:
		return false // transient: retried by the job, planned again
	}
	if l.retryPerm && at.Before(l.started.Add(-time.Second)) {
		return false
	}
	return now.Sub(at) < ttl
}

// Failures lists the keys the loop does not plan now (newest first, at
// most limit when > 0), of the loop's seasons.
func (l *Loop) Failures(ctx context.Context, limit int) ([]Failure, error) {
	rs, err := l.store.Query(ctx, `SELECT lake_key, class, status, reason, failures, last_at, season FROM fetch_log ORDER BY last_at DESC, lake_key`)
	if err != nil {
		return nil, fmt.Errorf("fetch_log: %w", err)
	}
	defer rs.Close()
	seasons := map[string]bool{}
	for _, s := range l.cfg.Seasons {
		seasons[s] = true
	}
	now := time.Now()
	out := []Failure{} // [] in JSON, not null
	for rs.Next() {
		var f Failure
		var season string
		if err := rs.Scan(&f.Key, &f.Class, &f.Status, &f.Reason, &f.Failures, &f.LastAt, &season); err != nil {
			return nil, fmt.Errorf("fetch_log: %w", err)
		}
		if len(seasons) > 0 && !seasons[season] {
			continue
		}
		if !l.blocking(f.Class, f.LastAt, now) {
			continue
		}
		out = append(out, f)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out, rs.Err()
}

// unavailable returns the keys not to plan.
func (l *Loop) unavailable(ctx context.Context) (map[string]bool, error) {
	fs, err := l.Failures(ctx, 0)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(fs))
	for _, f := range fs {
		out[f.Key] = true
	}
	return out, nil
}

// markKey records a key that cannot even be requested.
func (l *Loop) markKey(ctx context.Context, key, class, reason string, attempts int) error {
	s, d, se, _ := splitKey(key)
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := l.store.Upsert(ctx, store.Batch{
		Table:   "fetch_log",
		Columns: []string{"lake_key", "source", "dataset", "season", "item", "url", "class", "status", "reason", "attempts", "failures", "first_at", "last_at"},
		Key:     []string{"lake_key"},
		Rows:    [][]any{{key, s, d, se, "", "", class, 0, reason, attempts, 1, now, now}},
	})
	return err
}

// splitKey returns source, dataset and season of a lake key.
func splitKey(key string) (src, dataset, season string, ok bool) {
	p := strings.SplitN(key, "/", 4)
	if len(p) < 4 {
		return "", "", "", false
	}
	return p[0], p[1], p[2], true
}
