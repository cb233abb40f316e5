package runloop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/teams"
)

// observe runs the work of one job: its logger carries the process's run
// id (already on l.log), the job's id, kind and attempt and attrs; the
// observer sees its start, and its end with its outcome and duration.
func (l *Loop) observe(job *rivertype.JobRow, source string, attrs []any, work func(log *slog.Logger) error) (err error) {
	log := l.log.With("job_id", job.ID, "kind", job.Kind, "attempt", job.Attempt).With(attrs...)
	start := time.Now()
	l.obs.JobStarted(job.Kind, source)
	defer func() { l.obs.JobFinished(job.Kind, source, outcome(err), time.Since(start)) }()
	return work(log)
}

// taskJob is observe for the jobs of a task (fetch, load, import).
func (l *Loop) taskJob(job *rivertype.JobRow, t queue.Task, work func(log *slog.Logger) error) error {
	return l.observe(job, t.Source, []any{"task_id", t.TaskID, "source", t.Source, "dataset", t.Dataset}, work)
}

// fetchWorker fetches the keys of one task into the lake, then queues
// their load.
type fetchWorker struct {
	river.WorkerDefaults[queue.FetchArgs]
	l *Loop
}

func (w *fetchWorker) Work(ctx context.Context, job *river.Job[queue.FetchArgs]) error {
	return w.l.taskJob(job.JobRow, job.Args.Task, func(log *slog.Logger) error { return w.l.fetch(ctx, job, log) })
}

// fetch is the work of a fetch job.
func (l *Loop) fetch(ctx context.Context, job *river.Job[queue.FetchArgs], log *slog.Logger) (err error) {
	t, start := job.Args.Task, time.Now()
	if len(t.Keys) == 0 {
		// unknown_keys tasks: games without an id in the dataset's id
		// space; nothing can be fetched until the ids are known.
		log.Info("fetch: task names no keys; cancelled", "gap", t.Gap, "reason", t.Reason)
		return river.JobCancel(fmt.Errorf("task %s names no keys (%s): nothing to fetch", t.TaskID, t.Reason))
	}
	var reqs []*source.Request
	exhausted := false // the keys that failed are in fetch_log as exhausted
	defer func() {
		// The last attempt failed as a whole (the job's timeout, an
		// endpoint that never answers, a lake or queue error): River
		// discards the job, so its keys not in the lake go to fetch_log
		// as exhausted, or the next reconciliation plans them again, and
		// again, forever.
		if err != nil && !exhausted && job.Attempt >= job.MaxAttempts && l.store != nil {
			l.exhaust(ctx, log, reqs, job.Attempt, err)
		}
	}()
	for _, k := range t.Keys {
		r, err := l.request(k)
		if err != nil {
			log.Warn("fetch: key cannot be requested", "key", k, "err", err)
			if l.store != nil {
				_ = l.markKey(ctx, k, "permanent", err.Error(), job.Attempt)
			}
			continue
		}
		reqs = append(reqs, r)
	}
	force := t.Gap == "stale" || t.Gap == "invalid"
	sum, ferr := l.col.Fetch(ctx, "job "+t.TaskID, reqs, collect.Options{Force: force, RetryPermanent: true})
	if ferr != nil {
		return fmt.Errorf("fetch %s: %w", t.TaskID, ferr)
	}
	l.obs.LakeWritten(sum.Fetched, sum.Bytes)
	failed := map[string]collect.Failure{}
	for _, f := range sum.Failures {
		failed[f.Key] = f
	}
	var inLake, transient []string
	var lastErr error
	for _, r := range reqs {
		key, _ := r.Key()
		f, ok := failed[r.String()]
		switch {
		case !ok:
			inLake = append(inLake, key)
		case f.Class == source.Permanent:
			log.Info("fetch: permanent failure recorded in fetch_log", "key", key, "err", f.Err)
		default:
			transient = append(transient, key)
			lastErr = f.Err
		}
	}
	if t.Gap == "invalid" {
		inLake = l.poison(ctx, log, reqs, inLake, job.Attempt)
	}
	if len(inLake) > 0 {
		if err := l.queueLoad(ctx, t, inLake); err != nil {
			return err
		}
	}
	log.Info("fetch: done", "keys", len(t.Keys), "fetched", sum.Fetched, "unchanged", sum.Unchanged, "present", sum.Present,
		"failed", sum.FailedTotal(), "bytes", sum.Bytes, "elapsed_seconds", time.Since(start).Seconds())
	if len(transient) > 0 {
		if job.Attempt >= job.MaxAttempts {
			for _, r := range reqs {
				if k, _ := r.Key(); contains(transient, k) {
					reason := fmt.Sprintf("failed on every one of %d attempts; last: %v", job.Attempt, failed[r.String()].Err)
					if err := l.col.MarkFailed(ctx, r, ClassExhausted, reason, job.Attempt); err != nil {
						log.Warn("fetch_log", "err", err)
					}
				}
			}
			exhausted = true
			log.Warn("fetch: attempts exhausted; recorded in fetch_log", "keys", transient, "err", lastErr)
		}
		return fmt.Errorf("fetch %s: %d of %d keys failed (retried with backoff): %w", t.TaskID, len(transient), len(reqs), lastErr)
	}
	return nil
}

// exhaust records as exhausted the keys of reqs that are not in the lake
// (nor recorded as permanent or poison failures) after the last attempt
// of their job failed with err. The job's context
// may be over (its timeout): the writes get their own.
func (l *Loop) exhaust(ctx context.Context, log *slog.Logger, reqs []*source.Request, attempt int, err error) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var keys []string
	for _, r := range reqs {
		key, kerr := r.Key()
		if kerr != nil {
			continue
		}
		if ok, lerr := l.lake.Exists(wctx, key); lerr == nil && ok {
			continue
		}
		var class string
		if qerr := l.store.QueryRow(wctx, `SELECT class FROM fetch_log WHERE lake_key = $1`, key).Scan(&class); qerr == nil &&
			(class == source.Permanent.String() || class == ClassPoison) {
			continue // its own failure is recorded already
		}
		reason := fmt.Sprintf("the job failed on every one of %d attempts; last: %v", attempt, err)
		if merr := l.col.MarkFailed(wctx, r, ClassExhausted, reason, attempt); merr != nil {
			log.Warn("fetch_log", "key", key, "err", merr)
			continue
		}
		keys = append(keys, key)
	}
	if len(keys) > 0 {
		log.Warn("fetch: job failed on its last attempt; keys recorded in fetch_log as exhausted", "keys", keys, "err", err)
	}
}

// Failure classes the loop writes to fetch_log besides the sources' own.
const (
	ClassPoison    = "poison"    // fetched again, the same bytes still fail to parse
	ClassExhausted = "exhausted" // transient failures on every attempt of the job
)

// poison checks keys fetched again because they failed to parse: if the
// bytes did not change, the object is poison (quarantined once by the
// loader): it goes to fetch_log and is not loaded or planned again.
func (l *Loop) poison(ctx context.Context, log *slog.Logger, reqs []*source.Request, keys []string, attempt int) []string {
	var keep []string
	for _, k := range keys {
		r, err := store.GetRawObject(ctx, l.store, k)
		if err != nil || r.ParseStatus != store.ParseFailed {
			keep = append(keep, k)
			continue
		}
		o, err := l.lake.Stat(ctx, k)
		if err != nil || o.Size != r.Size || (o.Meta.SHA256 != "" && r.SHA256 != "" && o.Meta.SHA256 != r.SHA256) {
			keep = append(keep, k)
			continue
		}
		for _, rq := range reqs {
			if rk, _ := rq.Key(); rk == k {
				reason := "fetched again, the object still fails to parse (see quarantine): " + r.Error
				if err := l.col.MarkFailed(ctx, rq, ClassPoison, reason, attempt); err != nil {
					log.Warn("fetch_log", "err", err)
				}
			}
		}
		log.Warn("fetch: poison object: same bytes, still fails to parse; not planned again", "key", k)
	}
	return keep
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// request turns a lake key into the source request that fetches it.
func (l *Loop) request(key string) (*source.Request, error) {
	k, _, err := layout.Parse(key)
	if err != nil {
		return nil, err
	}
	src, err := l.reg.Get(k.Source)
	if err != nil {
		return nil, err
	}
	return src.Request(k.Dataset, k.Season, k.Item)
}

// taskID is a stable id for a chained task over keys.
func taskID(prefix string, keys []string) string {
	s := append([]string(nil), keys...)
	sort.Strings(s)
	h := sha256.Sum256([]byte(strings.Join(s, "\x00")))
	return prefix + hex.EncodeToString(h[:12])
}

func priorityOf(name string) int {
	switch strings.ToUpper(name) {
	case "CRITICAL":
		return 1
	case "HIGH":
		return 2
	case "MEDIUM":
		return 3
	case "LOW":
		return 4
	}
	return 2
}

// queueLoad inserts the load job of keys (before the fetch job completes,
// so the queue is never seen idle between them).
func (l *Loop) queueLoad(ctx context.Context, t queue.Task, keys []string) error {
	lt := t
	lt.TaskID, lt.Gap, lt.Keys, lt.Count, lt.RunID = taskID("l_", keys), "fetched", keys, len(keys), l.runID
	lt.Reason = "fetched by task " + t.TaskID
	if _, err := l.q.Enqueue(ctx, []queue.Job{{Kind: queue.KindLoad, Priority: priorityOf(t.Priority), Task: lt}}); err != nil {
		return fmt.Errorf("queue the load of %d keys: %w", len(keys), err)
	}
	return nil
}

// loadWorker loads lake objects into the store, then queues the
// verification of the games they belong to.
type loadWorker struct {
	river.WorkerDefaults[queue.LoadArgs]
	l *Loop
}

func (w *loadWorker) Work(ctx context.Context, job *river.Job[queue.LoadArgs]) error {
	return w.l.taskJob(job.JobRow, job.Args.Task, func(log *slog.Logger) error { return w.l.load(ctx, job.Args.Task, log) })
}

// load is the work of a load job.
func (l *Loop) load(ctx context.Context, t queue.Task, log *slog.Logger) error {
	start := time.Now()
	if len(t.Keys) == 0 {
		return river.JobCancel(fmt.Errorf("load task %s names no keys", t.TaskID))
	}
	if wait, err := l.nbaPending(ctx, t.Keys); err != nil {
		return err
	} else if wait != "" {
		// ESPN and bbref objects map their players to NBA ids through the
		// NBA data of the game: load them after it, as a one-pass load
		// does (the result must not depend on timing).
		log.Debug("load: waiting for the NBA data of the game", "key", wait)
		return river.JobSnooze(2 * time.Second)
	}
	ld := &load.Loader{Lake: l.lake, Store: l.store, Log: slog.New(slog.DiscardHandler)}
	sum, err := ld.Run(ctx, load.Options{Keys: t.Keys, Workers: 1, Chunk: 64, Force: t.Force})
	if err != nil {
		return fmt.Errorf("load %s: %w", t.TaskID, err)
	}
	// Both steps read the store as it is now, not what this job saw
	// before its load: a job killed after its load committed does them
	// on its next attempt.
	if t.Force {
		if err := l.dropOrphans(ctx); err != nil {
			return err
		}
	} else if err := l.reloadProviders(ctx, t); err != nil {
		return err
	}
	schedule := false
	var games []queue.VerifyArgs
	seen := map[string]bool{}
	for _, key := range t.Keys {
		k, d, err := layout.Parse(key)
		if err != nil {
			continue
		}
		if d.Per != layout.PerGame {
			schedule = schedule || d.Per == layout.PerSeason || d.Per == layout.PerMonth || d.Per == layout.PerDate
			continue
		}
		id, err := l.gameID(ctx, k.Item)
		if err != nil {
			return err
		}
		if id != "" && !seen[id] {
			seen[id] = true
			games = append(games, queue.VerifyArgs{GameID: id, Season: k.Season, Reason: "loaded " + key, RunID: l.runID})
		}
	}
	if len(games) > 0 {
		if _, err := l.q.InsertAfterRunning(ctx, queue.VerifyParams(games, l.cfg.Run.MaxAttempts)); err != nil {
			return fmt.Errorf("queue verify jobs: %w", err)
		}
	}
	if schedule {
		// a schedule changes what is expected: plan again now rather than
		// at the next periodic reconciliation (after any reconciliation
		// running now, which may not see this schedule).
		if _, err := l.q.InsertAfterRunning(ctx, []river.InsertManyParams{queue.ReconcileParams(queue.ReconcileArgs{Reason: "schedule loaded", RunID: l.runID})}); err != nil {
			return fmt.Errorf("queue a reconciliation: %w", err)
		}
	}
	log.Info("load: done", "keys", len(t.Keys), "parsed", sum.Parsed, "unchanged", sum.Unchanged, "events", sum.Events,
		"quarantined", sum.Quarantined, "verify_jobs", len(games), "elapsed_seconds", time.Since(start).Seconds())
	return nil
}

// nbaPending returns an NBA per-game key still to be fetched or loaded
// (a waiting or running job holds it) of a game that one of keys, an ESPN
// or bbref per-game object, belongs to; "" when there is none.
func (l *Loop) nbaPending(ctx context.Context, keys []string) (string, error) {
	games := map[string]bool{}
	for _, key := range keys {
		k, d, err := layout.Parse(key)
		if err != nil || d.Per != layout.PerGame || k.Source == "nba_stats" || k.Source == "nba_live" {
			continue
		}
		id, err := l.gameID(ctx, k.Item)
		if err != nil {
			return "", err
		}
		if id != "" {
			games[id] = true
		}
	}
	if len(games) == 0 {
		return "", nil
	}
	queued, err := l.queuedKeys(ctx)
	if err != nil {
		return "", err
	}
	for qk := range queued {
		_, key, _ := strings.Cut(qk, " ")
		k, d, err := layout.Parse(key)
		if err != nil || d.Per != layout.PerGame || (k.Source != "nba_stats" && k.Source != "nba_live") {
			continue
		}
		if games[k.Item] {
			return key, nil
		}
	}
	return "", nil
}

// orphanQuery selects the provider-id players (a player ESPN or bbref
// named that no NBA player of the game matched) whose provider id an NBA
// player now carries: a later load matched them.
const orphanQuery = `SELECT p.player_id FROM players p
WHERE (p.player_id LIKE 'bbref:%' AND p.bbref_id IS NOT NULL
	AND EXISTS (SELECT 1 FROM players n WHERE n.bbref_id = p.bbref_id AND n.player_id <> p.player_id))
OR (p.player_id LIKE 'espn:%' AND p.espn_id IS NOT NULL
	AND EXISTS (SELECT 1 FROM players n WHERE n.espn_id = p.espn_id AND n.player_id <> p.player_id))`

// dropOrphans deletes the provider-id players that a later load matched to
// NBA players and that no box or play refers to any more: a one-pass load
// never writes them. It reads the store as it is, so a forced reload
// killed after its load committed drops them on its next attempt.
func (l *Loop) dropOrphans(ctx context.Context) error {
	rs, err := l.store.Query(ctx, orphanQuery)
	if err != nil {
		return fmt.Errorf("provider players matched since: %w", err)
	}
	var ids []string
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			rs.Close()
			return fmt.Errorf("provider players matched since: %w", err)
		}
		ids = append(ids, id)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("provider players matched since: %w", err)
	}
	for _, id := range ids {
		if _, err := l.store.Exec(ctx, `DELETE FROM players WHERE player_id = $1
			AND NOT EXISTS (SELECT 1 FROM player_box WHERE player_id = $1)
			AND NOT EXISTS (SELECT 1 FROM plays WHERE player_id = $1)`, id); err != nil {
			return fmt.Errorf("drop player %s: %w", id, err)
		}
	}
	return nil
}

// reloadProviders queues a forced load of the ESPN and bbref objects of
// the games of t's per-game keys whose boxes keep players under the
// provider's own ids that the game's NBA data now matches (they were
// loaded before it): the NBA data now maps them, as a one-pass load does.
// It looks at the store after t's load committed, whichever of the NBA
// and the provider objects t holds: of two loads of one game running at
// the same time, the one that commits last sees both, so the reload is
// queued whatever the order, the timing or a kill between the load and
// this step (the retry sees the same store).
func (l *Loop) reloadProviders(ctx context.Context, t queue.Task) error {
	games := map[string]bool{}
	for _, key := range t.Keys {
		k, d, err := layout.Parse(key)
		if err != nil || d.Per != layout.PerGame {
			continue
		}
		id, err := l.gameID(ctx, k.Item)
		if err != nil {
			return err
		}
		if id != "" {
			games[id] = true
		}
	}
	ids := make([]string, 0, len(games))
	for id := range games {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var keys []string
	for _, id := range ids {
		srcs, err := l.matchable(ctx, id)
		if err != nil {
			return err
		}
		if len(srcs) == 0 {
			continue
		}
		g, err := store.GetGame(ctx, l.store, id)
		if err != nil {
			return fmt.Errorf("game %s: %w", id, err)
		}
		items := map[string]bool{g.ESPNID: g.ESPNID != "", g.BBRefID: g.BBRefID != ""}
		if c := teams.BBRefCode(g.HomeCode); c != "" && len(g.Date) == 10 {
			items[strings.ReplaceAll(g.Date, "-", "")+"0"+c] = true
		}
		for _, src := range srcs {
			for item, ok := range items {
				if !ok {
					continue
				}
				key, err := layout.Make(strings.SplitN(src, "/", 2)[0], strings.SplitN(src+"/", "/", 3)[1], g.Season, item)
				if err != nil {
					continue
				}
				if r, err := store.GetRawObject(ctx, l.store, key); err == nil && r.ParseStatus == store.ParseOK && !contains(keys, key) {
					keys = append(keys, key)
				}
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	rt := t
	rt.TaskID, rt.Gap, rt.Keys, rt.Count, rt.Force, rt.RunID = taskID("r_", keys), "reload", keys, len(keys), true, l.runID
	rt.Source, rt.Dataset = "", ""
	rt.Reason = "NBA data of the game loaded (task " + t.TaskID + ")"
	if _, err := l.q.Enqueue(ctx, []queue.Job{{Kind: queue.KindLoad, Priority: priorityOf(t.Priority), Task: rt}}); err != nil {
		return fmt.Errorf("queue the reload of %d keys: %w", len(keys), err)
	}
	return nil
}

// matchable returns the sources (source/dataset) of a game's boxes that
// keep a player under the provider's own id whose name the game's NBA
// players now match.
func (l *Loop) matchable(ctx context.Context, gameID string) ([]string, error) {
	rs, err := l.store.Query(ctx, `SELECT DISTINCT b.source, p.name FROM player_box b JOIN players p ON p.player_id = b.player_id
WHERE b.game_id = $1 AND (b.player_id LIKE 'bbref:%' OR b.player_id LIKE 'espn:%')`, gameID)
	if err != nil {
		return nil, fmt.Errorf("provider players of game %s: %w", gameID, err)
	}
	byName := map[string][]string{}
	for rs.Next() {
		var src, name string
		if err := rs.Scan(&src, &name); err != nil {
			rs.Close()
			return nil, fmt.Errorf("provider players of game %s: %w", gameID, err)
		}
		byName[model.FoldName(name)] = append(byName[model.FoldName(name)], src)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("provider players of game %s: %w", gameID, err)
	}
	if len(byName) == 0 {
		return nil, nil
	}
	names, err := load.NBANames(ctx, l.store, gameID)
	if err != nil {
		return nil, err
	}
	var out []string
	for n, srcs := range byName {
		if names[n] == "" {
			continue
		}
		for _, s := range srcs {
			if !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// gameID maps a per-game item (NBA, ESPN or bbref id) to the NBA game id
// ("" when the store does not know the game).
func (l *Loop) gameID(ctx context.Context, item string) (string, error) {
	if layout.IsNBAGameID(item) {
		return item, nil
	}
	var id string
	err := l.store.QueryRow(ctx, `SELECT game_id FROM games WHERE espn_id = $1 OR bbref_id = $1`, item).Scan(&id)
	if errors.Is(err, store.ErrNoRows) && layout.IsBBRefGameID(item) {
		// a bbref id not stored: derived from the date and the home team
		t, ok := teams.Lookup(item[9:])
		if !ok {
			return "", nil
		}
		date := item[:4] + "-" + item[4:6] + "-" + item[6:8]
		err = l.store.QueryRow(ctx, `SELECT game_id FROM games WHERE game_date = $1 AND home_code = $2`, date, t.Code).Scan(&id)
	}
	if errors.Is(err, store.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("game of %s: %w", item, err)
	}
	return id, nil
}

// verifyWorker derives a game's box from its plays and verifies it
// against the official box.
type verifyWorker struct {
	river.WorkerDefaults[queue.VerifyArgs]
	l *Loop
}

func (w *verifyWorker) Work(ctx context.Context, job *river.Job[queue.VerifyArgs]) error {
	return w.l.observe(job.JobRow, "", []any{"game_id", job.Args.GameID}, func(log *slog.Logger) error { return w.l.verify(ctx, job, log) })
}

// verify is the work of a verify job.
func (l *Loop) verify(ctx context.Context, job *river.Job[queue.VerifyArgs], log *slog.Logger) error {
	g, start := job.Args, time.Now()
	res, skip, err := derive.VerifyGameStore(ctx, l.store, g.GameID, l.overrides, false)
	if err != nil {
		return fmt.Errorf("verify %s: %w", g.GameID, err)
	}
	if skip != "" {
		log.Debug("verify: not verified yet", "why", skip)
		return nil
	}
	rep := &derive.Report{Name: "game " + g.GameID, Games: res}
	rep.Summarize()
	if err := derive.SaveReport(ctx, l.store, fmt.Sprintf("%s-j%d", l.runID, job.ID), "run game "+g.GameID, start, rep); err != nil {
		return err
	}
	for _, r := range res {
		l.obs.Verified(r.Grade)
		log.Info("verify: done", "source", r.Source, "grade", r.Grade, "cells", r.Cells, "cells_exact", r.CellsExact, "elapsed_seconds", time.Since(start).Seconds())
	}
	return nil
}

// reconcileWorker runs a reconciliation and queues its plan.
type reconcileWorker struct {
	river.WorkerDefaults[queue.ReconcileArgs]
	l *Loop
}

func (w *reconcileWorker) Work(ctx context.Context, job *river.Job[queue.ReconcileArgs]) error {
	return w.l.observe(job.JobRow, "", []any{"reason", job.Args.Reason}, func(log *slog.Logger) error { return w.l.reconcileJob(ctx, job.ID, log) })
}

// reconcileJob is the work of a reconcile job.
func (l *Loop) reconcileJob(ctx context.Context, id int64, log *slog.Logger) error {
	start := time.Now()
	res, err := l.Reconcile(ctx, fmt.Sprintf("%s-j%d", l.runID, id))
	if err != nil {
		return err
	}
	log.Info("reconcile: done", "expected", res.Expected, "present", res.Present, "completeness", res.Completeness,
		"tasks", res.Tasks, "inserted", res.Inserted, "merged", res.Merged, "unavailable", res.Unavailable, "elapsed_seconds", time.Since(start).Seconds())
	return nil
}

// outcome names a job's end for metrics.
func outcome(err error) string {
	var c *river.JobCancelError
	switch {
	case err == nil:
		return "completed"
	case errors.As(err, &c):
		return "cancelled"
	}
	return "failed"
}
