package runloop

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"github.com/nbasim/nbasim/internal/importer"
	"github.com/nbasim/nbasim/internal/queue"
)

// importWorker adopts objects that reconciliation found in a legacy
// (nba_simulator) bucket: a task's keys are legacy keys, its From the
// bucket (credentials from the environment; "#prefix" when it has one).
// They are copied into the lake as `nbasim import` would (docs/legacy.md).
type importWorker struct {
	river.WorkerDefaults[queue.ImportArgs]
	l *Loop
}

func (w *importWorker) Work(ctx context.Context, job *river.Job[queue.ImportArgs]) error {
	return w.l.taskJob(job.JobRow, job.Args.Task, func(log *slog.Logger) error { return w.l.importKeys(ctx, job.Args.Task, log) })
}

// importKeys is the work of an import job.
func (l *Loop) importKeys(ctx context.Context, t queue.Task, log *slog.Logger) error {
	if t.From == "" || len(t.Keys) == 0 {
		return river.JobCancel(fmt.Errorf("import task %s names no bucket or no keys", t.TaskID))
	}
	u, prefix, _ := strings.Cut(t.From, "#")
	im := &importer.Importer{Lake: l.lake, Registry: l.reg, Log: log, SourcePrefix: prefix}
	rep, err := im.ImportKeys(ctx, u, t.Keys)
	if err != nil {
		return fmt.Errorf("import %s: %w", t.TaskID, err)
	}
	log.Info("import done", "written", rep.Written, "already", rep.Unchanged, "not_adopted", len(rep.Skipped), "server_copies", rep.ServerCopies)
	return nil
}
