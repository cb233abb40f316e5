package collect

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// TerminalProgress returns a Progress factory: a progress bar on w when w
// is a terminal, else a log line every 10 seconds and at the end.
func TerminalProgress(w io.Writer, log *slog.Logger) func(label string, total int) Progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return func(label string, total int) Progress {
		if tty {
			return barProgress{progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(label),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("obj"),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)}
		}
		return &logProgress{log: log, label: label, total: total, start: time.Now(), last: time.Now()}
	}
}

type barProgress struct{ b *progressbar.ProgressBar }

func (p barProgress) Add(n int) { _ = p.b.Add(n) }
func (p barProgress) Finish()   { _ = p.b.Finish() }

type logProgress struct {
	mu          sync.Mutex
	log         *slog.Logger
	label       string
	total, done int
	start, last time.Time
}

func (p *logProgress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if time.Since(p.last) >= 10*time.Second {
		p.last = time.Now()
		p.log.Info("progress", "batch", p.label, "done", p.done, "total", p.total, "elapsed", time.Since(p.start).Round(time.Second))
	}
}

func (p *logProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log.Info("batch done", "batch", p.label, "done", p.done, "total", p.total, "elapsed", time.Since(p.start).Round(time.Millisecond))
}
