package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/runloop"
	"github.com/nbasim/nbasim/internal/store"
)

// queueStatus is what `nbasim queue` reports.
type queueStatus struct {
	Jobs              []queue.Count     `json:"jobs"`
	ByKindState       map[string]int    `json:"by_kind_state"`
	Active            int               `json:"active"`
	Oldest            *jobView          `json:"oldest_waiting,omitempty"`
	OldestAgeSeconds  float64           `json:"oldest_waiting_age_seconds"`
	FailuresByClass   map[string]int    `json:"failures_by_class"`
	RecentPermanent   []runloop.Failure `json:"recent_permanent_failures"`
	RecentDiscarded   []jobView         `json:"recent_discarded_jobs"`
	GeneratedAt       string            `json:"generated_at"`
	DiscardedJobCount int               `json:"discarded_jobs"`
}

type jobView struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Queue       string `json:"queue"`
	State       string `json:"state"`
	Attempt     int    `json:"attempt"`
	MaxAttempts int    `json:"max_attempts"`
	CreatedAt   string `json:"created_at"`
	Args        string `json:"args"`
	LastError   string `json:"last_error,omitempty"`
}

func viewJob(j *rivertype.JobRow) jobView {
	v := jobView{ID: j.ID, Kind: j.Kind, Queue: j.Queue, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
		CreatedAt: j.CreatedAt.UTC().Format(time.RFC3339), Args: string(j.EncodedArgs)}
	if n := len(j.Errors); n > 0 {
		v.LastError = j.Errors[n-1].Error
	}
	return v
}

func newQueueCmd(a *app) *cobra.Command {
	var jsonOut bool
	var recent int
	cmd := &cobra.Command{
		Use:     "queue",
		Aliases: []string{"status"},
		Short:   "Show the job queue: jobs by kind, source and state, the oldest waiting, failures by class",
		Long: `queue reports River's job table and the failure log: jobs per kind, queue
(fetch_<source>, load, verify, reconcile) and state; the oldest job waiting
and its age; failures by class (fetch_log: permanent, poison, exhausted,
retriable, throttled; and jobs River discarded); the most recent permanent
failures and discarded jobs with their last error.`,
		Example: `  nbasim queue
  nbasim queue --json
  watch -n 5 nbasim queue`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("queue: %w", err)
			}
			q, err := queue.Open(ctx, st, a.Logger())
			if err != nil {
				return err
			}
			defer q.Close()
			s, err := readQueueStatus(ctx, q, st, recent)
			if err != nil {
				return err
			}
			if jsonOut {
				return writeJSON(cmd.OutOrStdout(), s)
			}
			printQueueStatus(cmd.OutOrStdout(), s)
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the status as JSON")
	cmd.Flags().IntVar(&recent, "recent", 10, "how many recent permanent failures and discarded jobs to show")
	return cmd
}

func readQueueStatus(ctx context.Context, q *queue.Queue, st store.Store, recent int) (*queueStatus, error) {
	s := &queueStatus{ByKindState: map[string]int{}, FailuresByClass: map[string]int{}, GeneratedAt: time.Now().UTC().Format(time.RFC3339)}
	var err error
	if s.Jobs, err = q.Stats(ctx); err != nil {
		return nil, err
	}
	active := map[string]bool{}
	for _, st := range queue.ActiveStates {
		active[string(st)] = true
	}
	for _, c := range s.Jobs {
		s.ByKindState[c.Kind+"/"+c.State] += c.Jobs
		if active[c.State] {
			s.Active += c.Jobs
		}
		if c.State == string(rivertype.JobStateDiscarded) {
			s.DiscardedJobCount += c.Jobs
		}
	}
	if s.DiscardedJobCount > 0 {
		s.FailuresByClass["discarded_jobs"] = s.DiscardedJobCount
	}
	if o, err := q.Oldest(ctx); err != nil {
		return nil, err
	} else if o != nil {
		v := viewJob(o)
		s.Oldest = &v
		s.OldestAgeSeconds = time.Since(o.CreatedAt).Seconds()
	}
	rs, err := st.Query(ctx, `SELECT class, COUNT(*) FROM fetch_log GROUP BY class`)
	if err != nil {
		return nil, fmt.Errorf("queue: fetch_log: %w", err)
	}
	for rs.Next() {
		var c string
		var n int
		if err := rs.Scan(&c, &n); err != nil {
			rs.Close()
			return nil, err
		}
		s.FailuresByClass[c] += n
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	rs, err = st.Query(ctx, `SELECT lake_key, class, status, reason, failures, last_at FROM fetch_log
		WHERE class IN ('permanent', 'poison', 'exhausted') ORDER BY last_at DESC, lake_key LIMIT $1`, recent)
	if err != nil {
		return nil, fmt.Errorf("queue: fetch_log: %w", err)
	}
	for rs.Next() {
		var f runloop.Failure
		if err := rs.Scan(&f.Key, &f.Class, &f.Status, &f.Reason, &f.Failures, &f.LastAt); err != nil {
			rs.Close()
			return nil, err
		}
		s.RecentPermanent = append(s.RecentPermanent, f)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	jobs, err := q.Recent(ctx, rivertype.JobStateDiscarded, recent)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		s.RecentDiscarded = append(s.RecentDiscarded, viewJob(j))
	}
	if s.RecentPermanent == nil {
		s.RecentPermanent = []runloop.Failure{}
	}
	if s.RecentDiscarded == nil {
		s.RecentDiscarded = []jobView{}
	}
	return s, nil
}

func printQueueStatus(w io.Writer, s *queueStatus) {
	fmt.Fprintf(w, "jobs by kind, queue and state (%d not finished):\n", s.Active)
	if len(s.Jobs) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for _, c := range s.Jobs {
		fmt.Fprintf(w, "  %-10s %-18s %-10s %8d\n", c.Kind, c.Queue, c.State, c.Jobs)
	}
	if s.Oldest != nil {
		fmt.Fprintf(w, "oldest waiting: job %d (%s, %s, %s) created %s, %s ago\n", s.Oldest.ID, s.Oldest.Kind, s.Oldest.Queue, s.Oldest.State,
			s.Oldest.CreatedAt, (time.Duration(s.OldestAgeSeconds) * time.Second).String())
	} else {
		fmt.Fprintln(w, "oldest waiting: none")
	}
	fmt.Fprintln(w, "failures by class:")
	if len(s.FailuresByClass) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for _, c := range sortedKeysOf(s.FailuresByClass) {
		fmt.Fprintf(w, "  %-16s %d\n", c, s.FailuresByClass[c])
	}
	if len(s.RecentPermanent) > 0 {
		fmt.Fprintln(w, "recent permanent failures (not planned again until their age limit or run --retry-permanent):")
		for _, f := range s.RecentPermanent {
			fmt.Fprintf(w, "  %s  %s  %s  %s\n", f.LastAt, f.Class, f.Key, f.Reason)
		}
	}
	if len(s.RecentDiscarded) > 0 {
		fmt.Fprintln(w, "recent discarded jobs:")
		for _, j := range s.RecentDiscarded {
			fmt.Fprintf(w, "  job %d %s %s attempt %d/%d: %s\n", j.ID, j.Kind, j.Queue, j.Attempt, j.MaxAttempts, j.LastError)
		}
	}
}

func sortedKeysOf(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
