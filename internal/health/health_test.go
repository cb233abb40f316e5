package health_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/health"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/logging"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/testutil"
	"github.com/nbasim/nbasim/internal/timing"
)

func fixed(name string, st health.Status) health.Check {
	return health.Check{Name: name, Run: func(context.Context) health.Result { return health.Result{Status: st, Message: name} }}
}

func TestRunner(t *testing.T) {
	t.Parallel()
	blocked := make(chan struct{})
	t.Cleanup(func() { close(blocked) })
	tests := []struct {
		name     string
		checks   []health.Check
		failFast bool
		want     []health.Status
		status   health.Status
		exit     int
	}{
		{"all ok", []health.Check{fixed("a", health.OK), fixed("b", health.OK)}, false, []health.Status{health.OK, health.OK}, health.OK, 0},
		{"a warning", []health.Check{fixed("a", health.OK), fixed("b", health.Warn)}, false, []health.Status{health.OK, health.Warn}, health.Warn, 1},
		{"a failure wins", []health.Check{fixed("a", health.Fail), fixed("b", health.Warn)}, false, []health.Status{health.Fail, health.Warn}, health.Fail, 2},
		{"fail-fast skips the rest", []health.Check{fixed("a", health.Fail), fixed("b", health.OK)}, true, []health.Status{health.Fail, health.Skip}, health.Fail, 2},
		{"empty status is ok", []health.Check{{Name: "x", Run: func(context.Context) health.Result { return health.Result{} }}}, false, []health.Status{health.OK}, health.OK, 0},
		{"panic is a failure", []health.Check{{Name: "p", Run: func(context.Context) health.Result { panic("boom") }}}, false, []health.Status{health.Fail}, health.Fail, 2},
		{"a check that ignores its context times out", []health.Check{{Name: "hang", Run: func(context.Context) health.Result { <-blocked; return health.Result{} }}, fixed("after", health.OK)}, false, []health.Status{health.Fail, health.OK}, health.Fail, 2},
		{"a check that honours its context reports its error", []health.Check{{Name: "ctx", Run: func(ctx context.Context) health.Result {
			<-ctx.Done()
			return health.Failf("dial: %v", ctx.Err())
		}}}, false, []health.Status{health.Fail}, health.Fail, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tm := timing.New("doctor")
			rep := health.Runner{Timeout: 100 * time.Millisecond, FailFast: tt.failFast, Timer: tm}.Run(context.Background(), tt.checks)
			if rep.Status != tt.status || rep.ExitCode() != tt.exit {
				t.Errorf("status %s exit %d, want %s %d", rep.Status, rep.ExitCode(), tt.status, tt.exit)
			}
			for i, c := range rep.Checks {
				if c.Status != tt.want[i] {
					t.Errorf("check %s: %s (%s), want %s", c.Name, c.Status, c.Message, tt.want[i])
				}
				if c.Status != health.Skip && c.Duration <= 0 {
					t.Errorf("check %s: no duration", c.Name)
				}
			}
			if strings.Contains(tt.name, "times out") && !strings.Contains(rep.Checks[0].Message, "timed out after 100ms") {
				t.Errorf("message %q", rep.Checks[0].Message)
			}
			if strings.Contains(tt.name, "honours") && !strings.Contains(rep.Checks[0].Message, "timed out after 100ms: dial: context deadline exceeded") {
				t.Errorf("message %q", rep.Checks[0].Message)
			}
			ran := 0
			for _, c := range rep.Checks {
				if c.Status != health.Skip {
					ran++
				}
			}
			if n := len(tm.Stop().Steps); n != ran {
				t.Errorf("%d timing steps, want %d", n, ran)
			}
		})
	}
}

func TestMultiLineMessagesAreJoined(t *testing.T) {
	t.Parallel()
	c := health.Check{Name: "m", Run: func(context.Context) health.Result { return health.Failf("a:\n  b\n  c") }}
	rep := health.Runner{}.Run(context.Background(), []health.Check{c})
	if got := rep.Checks[0].Message; got != "a; b; c" {
		t.Errorf("message %q", got)
	}
}

func TestConfigCheck(t *testing.T) {
	t.Parallel()
	good := config.Default()
	bad := config.Default()
	bad.Log.Level = "loud"
	run := func(c health.Check) health.Result { return c.Run(context.Background()) }
	if r := run(health.Config(good, nil)); r.Status != health.OK {
		t.Errorf("valid config: %+v", r)
	}
	if r := run(health.Config(bad, nil)); r.Status != health.Fail || !strings.Contains(r.Message, "log.level") {
		t.Errorf("invalid config: %+v", r)
	}
	if r := run(health.Config(nil, nil)); r.Status != health.Fail {
		t.Errorf("nil config: %+v", r)
	}
	_, o, err := config.Load(config.Options{Dir: t.TempDir(), LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	o.Warnings = append(o.Warnings, "env: NBASIM_X is not a configuration variable")
	if r := run(health.Config(good, o)); r.Status != health.Warn || !strings.Contains(r.Message, "NBASIM_X") {
		t.Errorf("config with warnings: %+v", r)
	}
}

func openLake(u string) func(context.Context) (*lake.Lake, error) {
	return func(ctx context.Context) (*lake.Lake, error) { return lake.Open(ctx, u, "") }
}

func TestLakeCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	r := health.Lake(openLake("file://"+filepath.ToSlash(dir)), "run1").Run(ctx)
	if r.Status != health.OK {
		t.Fatalf("file lake: %+v", r)
	}
	// The probe is gone: nothing left under _health/.
	l, _ := lake.Open(ctx, "file://"+filepath.ToSlash(dir), "")
	defer l.Close()
	p, err := l.List(ctx, health.ProbePrefix, "", 10)
	if err != nil || len(p.Objects) != 0 {
		t.Errorf("probe left behind: %+v %v", p.Objects, err)
	}
	if r := health.Lake(openLake("mem://"), "run1").Run(ctx); r.Status != health.OK {
		t.Errorf("mem lake: %+v", r)
	}
	if r := health.Lake(func(context.Context) (*lake.Lake, error) { return nil, errors.New("no such bucket") }, "x").Run(ctx); r.Status != health.Fail || !strings.Contains(r.Message, "no such bucket") {
		t.Errorf("open error: %+v", r)
	}
}

// TestLakeCheckS3 proves the check on the real S3 server: the right bucket
// passes, a missing bucket and wrong credentials fail.
func TestLakeCheckS3(t *testing.T) {
	u := testutil.S3URL(t)
	ctx := context.Background()
	if r := health.Lake(openLake(u), "s3").Run(ctx); r.Status != health.OK {
		t.Fatalf("s3 lake: %+v", r)
	}
	base, query, _ := strings.Cut(strings.TrimPrefix(u, "s3://"), "?")
	missing := "s3://" + base + "-missing-" + logging.NewRunID() + "?" + query
	if r := health.Lake(openLake(missing), "s3").Run(ctx); r.Status != health.Fail {
		t.Errorf("missing bucket: %+v", r)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
	if r := health.Lake(openLake(u), "s3").Run(ctx); r.Status != health.Fail {
		t.Errorf("wrong credentials: %+v", r)
	}
}

func TestDatabaseCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := config.Default().Database
	db.SQLitePath = filepath.Join(t.TempDir(), "nbasim.db")
	var opened []store.Store
	t.Cleanup(func() {
		for _, s := range opened {
			s.Close()
		}
	})
	open := func(migrate bool) func(context.Context) (store.Store, error) {
		return func(ctx context.Context) (store.Store, error) {
			var s store.Store
			var err error
			if migrate {
				s, err = storeopen.Open(ctx, db, logging.Discard())
			} else {
				s, err = storeopen.Connect(ctx, db, logging.Discard())
			}
			if s != nil {
				opened = append(opened, s)
			}
			return s, err
		}
	}
	if r := health.Database(open(false), db.SQLitePath).Run(ctx); r.Status != health.Fail || !strings.Contains(r.Message, "nbasim db migrate") {
		t.Errorf("unmigrated: %+v", r)
	}
	if r := health.Database(open(true), db.SQLitePath).Run(ctx); r.Status != health.OK || !strings.Contains(r.Message, "latest") {
		t.Errorf("migrated: %+v", r)
	}
	pg := config.Default().Database
	pg.URL = "postgres://postgres@127.0.0.1:1/test"
	pg.ConnectTimeout = 2 * time.Second
	r := health.Database(func(ctx context.Context) (store.Store, error) { return storeopen.Open(ctx, pg, nil) }, storeopen.Location(pg)).Run(ctx)
	if r.Status != health.Fail || !strings.Contains(r.Message, "127.0.0.1:1") {
		t.Errorf("unreachable: %+v", r)
	}
}

func TestDatabaseCheckPostgres(t *testing.T) {
	u := testutil.PostgresURL(t)
	ctx := context.Background()
	db := config.Default().Database
	db.URL = u
	s, err := storeopen.Connect(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := health.Database(func(context.Context) (store.Store, error) { return s, nil }, storeopen.Location(db)).Run(ctx)
	// The shared test database may or may not be migrated by other
	// packages' tests; either way the check must name the version.
	if !strings.Contains(r.Message, "version") {
		t.Errorf("postgres: %+v", r)
	}
}

func TestDiskCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notYet := filepath.Join(dir, "not", "created", "yet")
	run := func(warn, fail int64) health.Result {
		return health.Disk([]string{dir, notYet, ""}, warn, fail).Run(context.Background())
	}
	if r := run(0, 0); r.Status != health.OK || !strings.Contains(r.Message, "free for") {
		t.Errorf("plenty: %+v", r)
	}
	if r := run(1<<40, 0); r.Status != health.Warn || !strings.Contains(r.Message, "below") {
		t.Errorf("warn threshold: %+v", r)
	}
	if r := run(1<<40, 1<<40); r.Status != health.Fail {
		t.Errorf("fail threshold: %+v", r)
	}
	if _, err := os.Stat(notYet); err == nil {
		t.Error("disk check created a directory")
	}
}

func TestDirsCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ok := health.Dirs(map[string]string{"work_dir": filepath.Join(dir, "work"), "cache_dir": filepath.Join(dir, "cache")}).Run(context.Background())
	if ok.Status != health.OK {
		t.Errorf("dirs: %+v", ok)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := health.Dirs(map[string]string{"work_dir": filepath.Join(file, "work")}).Run(context.Background())
	if bad.Status != health.Fail || !strings.Contains(bad.Message, "work_dir") {
		t.Errorf("dir under a file: %+v", bad)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "work"))
	if len(entries) != 0 {
		t.Errorf("probe files left: %v", entries)
	}
}
