package health

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/timing"
)

// ProbePrefix is where the lake check writes its probe objects.
const ProbePrefix = "_health/"

// Config checks that cfg is valid; warnings found while loading (an
// NBASIM_* variable that names no key) make it a warning.
func Config(cfg *config.Config, o *config.Origins) Check {
	return Check{Name: "config", Run: func(context.Context) Result {
		if cfg == nil {
			return Failf("no configuration loaded")
		}
		if err := config.Validate(cfg, o); err != nil {
			return Failf("%v", err)
		}
		src := []string{"defaults"}
		if o != nil && o.File != "" {
			src = append(src, o.File)
		}
		if o != nil && o.DotEnv != "" {
			src = append(src, o.DotEnv)
		}
		if o != nil && len(o.Warnings) > 0 {
			return Warnf("valid, but %s", strings.Join(o.Warnings, "; "))
		}
		return Okf("valid (%s + environment)", strings.Join(src, " + "))
	}}
}

// Lake checks that the lake is reachable and writable: it writes a probe
// object under _health/, reads it back, checks its metadata and deletes it.
// On S3 this proves the credentials and the bucket.
func Lake(open func(context.Context) (*lake.Lake, error), runID string) Check {
	return Check{Name: "lake", Run: func(ctx context.Context) Result {
		l, err := open(ctx)
		if err != nil {
			return Failf("open: %v", err)
		}
		key := ProbePrefix + "probe-" + runID + "-" + randHex(4)
		data := []byte("nbasim health probe " + key)
		if err := l.Put(ctx, key, data, lake.Meta{Source: "health", ContentType: "text/plain"}); err != nil {
			return Failf("%s: write: %v", l.URL(), err)
		}
		cleanup := func() error { return l.Delete(context.WithoutCancel(ctx), key) }
		got, err := l.Read(ctx, key)
		if err != nil {
			_ = cleanup()
			return Failf("%s: read back: %v", l.URL(), err)
		}
		if !bytes.Equal(got, data) {
			_ = cleanup()
			return Failf("%s: read back %d bytes that differ from the %d written", l.URL(), len(got), len(data))
		}
		st, err := l.Stat(ctx, key)
		if err != nil {
			_ = cleanup()
			return Failf("%s: stat: %v", l.URL(), err)
		}
		if st.Meta.SHA256 != lake.SHA256(data) {
			_ = cleanup()
			return Failf("%s: metadata not kept (sha256 %q)", l.URL(), st.Meta.SHA256)
		}
		if err := cleanup(); err != nil {
			return Failf("%s: delete probe: %v", l.URL(), err)
		}
		if ok, err := l.Exists(ctx, key); err != nil || ok {
			return Failf("%s: probe still present after delete (%v)", l.URL(), err)
		}
		return Okf("%s: write, read, stat and delete ok", l.URL())
	}}
}

// Database checks that the store is reachable (ping) and migrated: its
// schema version equals the latest migration this binary knows.
func Database(open func(context.Context) (store.Store, error), location string) Check {
	return Check{Name: "database", Run: func(ctx context.Context) Result {
		s, err := open(ctx)
		if err != nil {
			if !strings.Contains(err.Error(), location) {
				return Failf("%s: %v", location, err)
			}
			return Failf("%v", err)
		}
		if err := s.Ping(ctx); err != nil {
			return Failf("%s: ping: %v", location, err)
		}
		v, err := s.Version(ctx)
		if err != nil {
			return Failf("%s: schema version: %v", location, err)
		}
		if err := store.VerifyMigrations(ctx, s); err != nil {
			return Failf("%s %s: %v", s.Dialect(), location, err)
		}
		latest := store.LatestVersion(s.Dialect())
		switch {
		case v < latest:
			return Failf("%s %s: schema at version %d of %d: run `nbasim db migrate`", s.Dialect(), location, v, latest)
		case v > latest:
			return Failf("%s %s: schema at version %d, newer than this binary's %d: upgrade nbasim", s.Dialect(), location, v, latest)
		}
		return Okf("%s %s: reachable, schema at version %d (latest)", s.Dialect(), location, v)
	}}
}

// Disk checks free space on the filesystems holding paths: warn below
// warnMB, fail below failMB. A path that does not exist yet is checked on
// its nearest existing parent.
func Disk(paths []string, warnMB, failMB int64) Check {
	return Check{Name: "disk", Run: func(ctx context.Context) Result {
		type fsInfo struct {
			free  uint64
			paths []string
		}
		byFS := map[uint64]*fsInfo{}
		var order []uint64
		for _, p := range paths {
			if p == "" {
				continue
			}
			existing, err := nearestExisting(p)
			if err != nil {
				return Failf("%s: %v", p, err)
			}
			free, dev, err := freeBytes(existing)
			if err != nil {
				return Warnf("%s: cannot read free space: %v", p, err)
			}
			fi, ok := byFS[dev]
			if !ok {
				fi = &fsInfo{free: free}
				byFS[dev] = fi
				order = append(order, dev)
			}
			fi.paths = append(fi.paths, p)
		}
		if len(order) == 0 {
			return Okf("no local paths to check")
		}
		sort.SliceStable(order, func(i, j int) bool { return byFS[order[i]].free < byFS[order[j]].free })
		status := OK
		var parts []string
		for _, dev := range order {
			fi := byFS[dev]
			mb := int64(fi.free / (1 << 20))
			st := OK
			switch {
			case mb < failMB:
				st = Fail
			case mb < warnMB:
				st = Warn
			}
			status = Worse(status, st)
			parts = append(parts, fmt.Sprintf("%s free for %s", timing.FormatBytes(fi.free), strings.Join(fi.paths, ", ")))
		}
		msg := strings.Join(parts, "; ")
		switch status {
		case Fail:
			return Failf("%s (below %d MB)", msg, failMB)
		case Warn:
			return Warnf("%s (below %d MB)", msg, warnMB)
		}
		return Okf("%s", msg)
	}}
}

// Dirs checks that each directory exists (creating it) and is writable.
func Dirs(dirs map[string]string) Check {
	return Check{Name: "directories", Run: func(ctx context.Context) Result {
		names := make([]string, 0, len(dirs))
		for n := range dirs {
			names = append(names, n)
		}
		sort.Strings(names)
		var ok []string
		for _, n := range names {
			d := dirs[n]
			if err := writable(d); err != nil {
				return Failf("%s %s: %v", n, d, err)
			}
			ok = append(ok, fmt.Sprintf("%s %s", n, d))
		}
		return Okf("writable: %s", strings.Join(ok, ", "))
	}}
}

func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".nbasim-health-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, werr := f.WriteString("probe")
	cerr := f.Close()
	rerr := os.Remove(name)
	return errors.Join(werr, cerr, rerr)
}

func nearestExisting(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(abs); err == nil {
			return abs, nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", fmt.Errorf("no existing parent directory")
		}
		abs = parent
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}
