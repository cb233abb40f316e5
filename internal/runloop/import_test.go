package runloop

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestImportWorker: an import job (planned by reconciliation on a legacy
// bucket) adopts its keys into the loop's lake; a job without keys is
// cancelled. (River's dispatch of jobs to workers is the loop's run tests'.)
func TestImportWorker(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	ctx := context.Background()
	src := t.TempDir()
	b, err := os.ReadFile(filepath.Join(data, "espn", "summary_401585607.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(src, "legacy", "espn_play_by_play"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "legacy", "espn_play_by_play", "401585607.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	lk, err := lake.Open(ctx, "file://"+t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Close()
	l := &Loop{lake: lk, reg: collect.Registry(nil), obs: nopObserver{}, log: slog.New(slog.DiscardHandler)}
	w := &importWorker{l: l}
	job := func(task queue.Task) *river.Job[queue.ImportArgs] {
		return &river.Job[queue.ImportArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}, Args: queue.ImportArgs{Task: task}}
	}
	task := queue.Task{TaskID: "t_1", Gap: "adopt", Source: "espn", Dataset: "playbyplay", Season: "2023-24",
		Keys: []string{"espn_play_by_play/401585607.json"}, Count: 1, From: "file://" + src + "#legacy"}
	if err := w.Work(ctx, job(task)); err != nil {
		t.Fatal(err)
	}
	got, err := lk.Read(ctx, "espn/summary/2023-24/401585607.json")
	if err != nil || lake.SHA256(got) != lake.SHA256(b) {
		t.Fatalf("not adopted: %v", err)
	}
	task.Keys = nil
	var cancel *river.JobCancelError
	if err := w.Work(ctx, job(task)); !errors.As(err, &cancel) {
		t.Fatalf("a task without keys: %v, want a cancelled job", err)
	}
}
