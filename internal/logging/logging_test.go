package logging

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatsAndRunID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format   string
		wantJSON bool
	}{
		{"json", true},
		{"text", false},
		{"auto", true}, // a buffer is not a terminal
		{"", true},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		l, err := New(Options{Format: tt.format, Stderr: &buf, RunID: "abc123"})
		if err != nil {
			t.Fatal(err)
		}
		l.Info("hello", "n", 1)
		line := strings.TrimSpace(buf.String())
		var m map[string]any
		isJSON := json.Unmarshal([]byte(line), &m) == nil
		if isJSON != tt.wantJSON {
			t.Errorf("format %q: JSON=%v, line %q", tt.format, isJSON, line)
		}
		if !strings.Contains(line, "abc123") || !strings.Contains(line, "run_id") {
			t.Errorf("format %q: no run id in %q", tt.format, line)
		}
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		level string
		lines int
	}{{"debug", 4}, {"info", 3}, {"warn", 2}, {"warning", 2}, {"error", 1}} {
		var buf bytes.Buffer
		l, err := New(Options{Level: tt.level, Format: "json", Stderr: &buf})
		if err != nil {
			t.Fatal(err)
		}
		l.Debug("d")
		l.Info("i")
		l.Warn("w")
		l.Error("e")
		if n := strings.Count(buf.String(), "\n"); n != tt.lines {
			t.Errorf("level %s: %d lines, want %d", tt.level, n, tt.lines)
		}
	}
	if _, err := New(Options{Level: "loud"}); err == nil || !strings.Contains(err.Error(), "loud") {
		t.Errorf("bad level: %v", err)
	}
	if _, err := New(Options{Format: "xml"}); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("bad format: %v", err)
	}
}

func TestFileAndRotation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "logs", "nbasim.log")
	var buf bytes.Buffer
	l, err := New(Options{Format: "text", Stderr: &buf, File: path, MaxSizeMB: 1, MaxBackups: 2})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 64*1024)
	for i := 0; i < 40; i++ { // ~2.6 MB: rotates at least twice
		l.Info("line", "i", i, "pad", big)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "line") {
		t.Error("stderr got nothing")
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 { // current + 2 backups
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files %v, want the log and 2 backups", names)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(data), "\n", 2)[0]
	var m map[string]any
	if err := json.Unmarshal([]byte(first), &m); err != nil || m["run_id"] != l.RunID {
		t.Errorf("file line is not JSON with run_id %s: %q", l.RunID, first)
	}
}

func TestFileBadPath(t *testing.T) {
	t.Parallel()
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{File: filepath.Join(f, "x.log")}); err == nil {
		t.Error("want an error for a log file under a regular file")
	}
}

func TestRunIDs(t *testing.T) {
	t.Parallel()
	a, b := NewRunID(), NewRunID()
	if len(a) != 8 || a == b {
		t.Errorf("run ids %q %q", a, b)
	}
}
