// Package logging sets up nbasim's log/slog logger: text on a terminal,
// JSON otherwise (or as configured), an optional rotated JSON file in
// addition to stderr, and a run id on every record so the lines of one run
// can be found among many.
package logging

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"
	"gopkg.in/natefinch/lumberjack.v2"
)

// Options configure New.
type Options struct {
	Level      string    // debug, info, warn, error ("" = info)
	Format     string    // auto, text, json ("" = auto)
	File       string    // optional file, JSON, rotated
	MaxSizeMB  int       // rotate at this size (default 10)
	MaxBackups int       // rotated files kept (default 5)
	RunID      string    // "" = a new random id
	Stderr     io.Writer // nil = os.Stderr
}

// Logger is a configured logger and the resources it holds.
type Logger struct {
	*slog.Logger
	RunID  string
	closer io.Closer
}

// Close flushes and closes the log file, if any.
func (l *Logger) Close() error {
	if l.closer == nil {
		return nil
	}
	return l.closer.Close()
}

// NewRunID returns a short random id (8 hex digits).
func NewRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ParseLevel parses debug, info, warn (warning) or error.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("logging: unknown level %q (want debug, info, warn or error)", s)
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// New builds the logger. Records go to stderr (text or JSON) and, when
// File is set, also to a lumberjack-rotated JSON file.
func New(o Options) (*Logger, error) {
	level, err := ParseLevel(o.Level)
	if err != nil {
		return nil, err
	}
	w := o.Stderr
	if w == nil {
		w = os.Stderr
	}
	if o.RunID == "" {
		o.RunID = NewRunID()
	}
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch strings.ToLower(o.Format) {
	case "", "auto":
		if IsTerminal(w) {
			h = slog.NewTextHandler(w, hopts)
		} else {
			h = slog.NewJSONHandler(w, hopts)
		}
	case "text":
		h = slog.NewTextHandler(w, hopts)
	case "json":
		h = slog.NewJSONHandler(w, hopts)
	default:
		return nil, fmt.Errorf("logging: unknown format %q (want auto, text or json)", o.Format)
	}
	l := &Logger{RunID: o.RunID}
	if o.File != "" {
		if err := os.MkdirAll(filepath.Dir(o.File), 0o755); err != nil {
			return nil, fmt.Errorf("logging: create directory of %s: %w", o.File, err)
		}
		// Open once now so a bad path fails here, not at the first record.
		f, err := os.OpenFile(o.File, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("logging: open %s: %w", o.File, err)
		}
		_ = f.Close()
		size, backups := o.MaxSizeMB, o.MaxBackups
		if size <= 0 {
			size = 10
		}
		if backups < 0 {
			backups = 0
		} else if backups == 0 {
			backups = 5
		}
		lj := &lumberjack.Logger{Filename: o.File, MaxSize: size, MaxBackups: backups}
		l.closer = lj
		h = slog.NewMultiHandler(h, slog.NewJSONHandler(lj, hopts))
	}
	l.Logger = slog.New(h).With("run_id", o.RunID)
	return l, nil
}

// Discard is a logger that drops everything (tests).
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
