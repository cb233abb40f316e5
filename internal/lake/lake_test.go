package lake_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/logging"
	"github.com/nbasim/nbasim/internal/testutil"
)

// backend is one place the suite runs: a URL and a fresh prefix per test,
// so tests of several packages can share the S3 bucket.
type backend struct {
	name string
	url  func(t testing.TB) string
}

func backends() []backend {
	return []backend{
		{"file", func(t testing.TB) string { return "file://" + filepath.ToSlash(t.TempDir()) }},
		{"mem", func(testing.TB) string { return "mem://" }},
		{"s3", func(t testing.TB) string { return testutil.S3URL(t) }},
	}
}

func openLake(t testing.TB, b backend) (*lake.Lake, string) {
	t.Helper()
	u := b.url(t)
	prefix := "test-" + logging.NewRunID() + logging.NewRunID()
	l, err := lake.Open(context.Background(), u, prefix)
	if err != nil {
		t.Fatalf("open %s: %v", lake.Redact(u), err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		_ = l.Walk(ctx, "", func(o lake.Object) error { return l.Delete(ctx, o.Key) })
		l.Close()
	})
	return l, u
}

// TestLake runs one suite unchanged against file://, mem:// and the S3
// server .ci/run starts (skipped without it, failed under CI=true).
func TestLake(t *testing.T) {
	t.Parallel()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range suite {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					l, u := openLake(t, b)
					tc.run(t, l, u)
				})
			}
		})
	}
}

var suite = []struct {
	name string
	run  func(t *testing.T, l *lake.Lake, url string)
}{
	{"PutReadStatMetadata", testPutReadStat},
	{"ReadRange", testReadRange},
	{"NotFound", testNotFound},
	{"BadKeys", testBadKeys},
	{"StoreDedupAndHistory", testStore},
	{"ListPagination", testList},
	{"WalkAndDirs", testWalkDirs},
	{"AtomicOverwrite", testAtomic},
	{"PrefixConfines", testPrefix},
}

func testPutReadStat(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	data := []byte(`{"resultSets":[{"name":"PlayByPlay"}]}`)
	fetched := time.Date(2024, 3, 1, 12, 30, 45, 123000000, time.UTC)
	m := lake.Meta{
		Source:      "nba_stats",
		Endpoint:    "playbyplayv2",
		URL:         "https://stats.nba.com/stats/playbyplayv2?GameID=0022300001&StartPeriod=0",
		FetchedAt:   fetched,
		ContentType: "application/json",
	}
	key := "nba_stats/playbyplayv2/2023-24/0022300001.json"
	if err := l.Put(ctx, key, data, m); err != nil {
		t.Fatal(err)
	}
	got, err := l.Read(ctx, key)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read = %q, %v", got, err)
	}
	o, err := l.Stat(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	want := m
	want.SHA256 = lake.SHA256(data)
	if o.Size != int64(len(data)) || o.Key != key {
		t.Errorf("stat size %d key %q", o.Size, o.Key)
	}
	if o.Meta.Source != want.Source || o.Meta.Endpoint != want.Endpoint || o.Meta.URL != want.URL ||
		o.Meta.SHA256 != want.SHA256 || o.Meta.ContentType != want.ContentType || !o.Meta.FetchedAt.Equal(fetched) {
		t.Errorf("meta = %+v\nwant %+v", o.Meta, want)
	}
	if ok, err := l.Exists(ctx, key); !ok || err != nil {
		t.Errorf("exists = %v, %v", ok, err)
	}
	if ok, err := l.Exists(ctx, key+".missing"); ok || err != nil {
		t.Errorf("exists(missing) = %v, %v", ok, err)
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if ok, _ := l.Exists(ctx, key); ok {
		t.Error("object still exists after Delete")
	}
}

func testReadRange(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	data := []byte("0123456789abcdef")
	if err := l.Put(ctx, "r/obj.bin", data, lake.Meta{Source: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		off, n int64
		want   string
	}{
		{0, 4, "0123"}, {10, 3, "abc"}, {12, -1, "cdef"}, {14, 100, "ef"}, {0, -1, string(data)},
	} {
		got, err := l.ReadRange(ctx, "r/obj.bin", tt.off, tt.n)
		if err != nil || string(got) != tt.want {
			t.Errorf("ReadRange(%d, %d) = %q, %v; want %q", tt.off, tt.n, got, err, tt.want)
		}
	}
}

func testNotFound(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	_, err := l.Read(ctx, "no/such.json")
	if !errors.Is(err, lake.ErrNotFound) || !strings.Contains(err.Error(), "no/such.json") {
		t.Errorf("Read missing: %v", err)
	}
	if _, err := l.Stat(ctx, "no/such.json"); !errors.Is(err, lake.ErrNotFound) {
		t.Errorf("Stat missing: %v", err)
	}
	if _, err := l.ReadRange(ctx, "no/such.json", 0, 1); !errors.Is(err, lake.ErrNotFound) {
		t.Errorf("ReadRange missing: %v", err)
	}
}

func testBadKeys(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	for _, k := range []string{"", "/abs", "a//b", "a/../b", "./a", `a\b`, "a/"} {
		if err := l.Put(ctx, k, []byte("x"), lake.Meta{}); err == nil {
			t.Errorf("Put(%q) succeeded", k)
		}
	}
}

func testStore(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	key := "espn/summary/2023-24/401584689.json"
	v1, v2 := []byte(`{"v":1}`), []byte(`{"v":2}`)
	r, err := l.Store(ctx, key, v1, lake.Meta{Source: "espn"})
	if err != nil || !r.Written || r.Unchanged || r.Archived != "" {
		t.Fatalf("first store = %+v, %v", r, err)
	}
	r, err = l.Store(ctx, key, v1, lake.Meta{Source: "espn"})
	if err != nil || r.Written || !r.Unchanged {
		t.Fatalf("identical store = %+v, %v", r, err)
	}
	r, err = l.Store(ctx, key, v2, lake.Meta{Source: "espn"})
	if err != nil || !r.Written || r.Archived != lake.HistoryKey(key, lake.SHA256(v1)) {
		t.Fatalf("changed store = %+v, %v", r, err)
	}
	if got, _ := l.Read(ctx, key); !bytes.Equal(got, v2) {
		t.Errorf("current = %q", got)
	}
	if got, _ := l.Read(ctx, r.Archived); !bytes.Equal(got, v1) {
		t.Errorf("archived = %q", got)
	}
}

func testList(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	var want []string
	for i := 0; i < 25; i++ {
		k := fmt.Sprintf("nba_live/boxscore/2023-24/00223%05d.json", i)
		want = append(want, k)
		if err := l.Put(ctx, k, []byte(fmt.Sprint(i)), lake.Meta{Source: "nba_live"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Put(ctx, "nba_live/playbyplay/2023-24/0022300001.json", []byte("x"), lake.Meta{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	pages, tok := 0, ""
	for {
		p, err := l.List(ctx, "nba_live/boxscore/", tok, 10)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(p.Objects) > 10 {
			t.Errorf("page of %d objects, want <= 10", len(p.Objects))
		}
		for _, o := range p.Objects {
			got = append(got, o.Key)
			if o.Size <= 0 {
				t.Errorf("%s: size %d", o.Key, o.Size)
			}
		}
		if p.Next == "" {
			break
		}
		tok = p.Next
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("listed %d keys in %d pages:\n%v\nwant %v", len(got), pages, got, want)
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
	if _, err := l.List(ctx, "", "zz-not-hex", 10); err == nil {
		t.Error("bad page token accepted")
	}
}

func testWalkDirs(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	for _, k := range []string{"a/x/1.json", "a/y/2.json", "a/y/3.json", "b/z/4.json"} {
		if err := l.Put(ctx, k, []byte(k), lake.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	if err := l.Walk(ctx, "a/", func(o lake.Object) error { n++; return nil }); err != nil || n != 3 {
		t.Errorf("walk a/ = %d, %v", n, err)
	}
	stop := errors.New("stop")
	if err := l.Walk(ctx, "", func(lake.Object) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("walk error = %v", err)
	}
	dirs, _, err := l.ListDirs(ctx, "a/")
	if err != nil || strings.Join(dirs, ",") != "a/x/,a/y/" {
		t.Errorf("dirs = %v, %v", dirs, err)
	}
	top, _, err := l.ListDirs(ctx, "")
	if err != nil || strings.Join(top, ",") != "a/,b/" {
		t.Errorf("top dirs = %v, %v", top, err)
	}
}

// testAtomic overwrites an object with payloads of different sizes while
// readers read it: a reader sees one whole payload, never a mix or a part.
func testAtomic(t *testing.T, l *lake.Lake, _ string) {
	ctx := context.Background()
	key := "atomic/obj.bin"
	payloads := [][]byte{bytes.Repeat([]byte("a"), 256<<10), bytes.Repeat([]byte("b"), 512<<10), bytes.Repeat([]byte("c"), 64<<10)}
	if err := l.Put(ctx, key, payloads[0], lake.Meta{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	for r := 0; r < 2; r++ {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				b, err := l.Read(ctx, key)
				if err != nil {
					mu.Lock()
					bad = append(bad, err.Error())
					mu.Unlock()
					continue
				}
				ok := false
				for _, p := range payloads {
					ok = ok || bytes.Equal(b, p)
				}
				if !ok {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("read %d bytes that are no whole payload", len(b)))
					mu.Unlock()
				}
			}
		})
	}
	for i := 0; i < 30; i++ {
		if err := l.Put(ctx, key, payloads[i%len(payloads)], lake.Meta{}); err != nil {
			t.Error(err)
		}
	}
	close(done)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d bad reads, first: %s", len(bad), bad[0])
	}
}

func testPrefix(t *testing.T, l *lake.Lake, u string) {
	ctx := context.Background()
	if strings.HasPrefix(u, "mem://") {
		t.Skip("each mem:// open is a new empty bucket; the prefix is covered on file:// and s3://")
	}
	if err := l.Put(ctx, "k/one.json", []byte("1"), lake.Meta{}); err != nil {
		t.Fatal(err)
	}
	sub, err := lake.Open(ctx, u, "")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	found := 0
	err = sub.Walk(ctx, "", func(o lake.Object) error {
		if strings.HasSuffix(o.Key, "/k/one.json") && strings.HasPrefix(o.Key, "test-") {
			found++
		}
		return nil
	})
	if err != nil || found != 1 {
		t.Errorf("unprefixed view found %d copies of the prefixed object (%v)", found, err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, u := range []string{"", "nothing", "gs2://x"} {
		if _, err := lake.Open(ctx, u, ""); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
	// A file:// lake under a regular file cannot be created.
	f := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := lake.Open(ctx, "file://"+f+"/lake", ""); err == nil {
		t.Error("Open under a regular file succeeded")
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"s3://b?region=us-east-1", "s3://b?region=us-east-1"},
		{"s3://b?secret_key=abc&region=x", "s3://b?region=x&secret_key=REDACTED"},
		{"file:///tmp/x", "file:///tmp/x"},
	} {
		if got := lake.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFileRelativeURL(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	l, err := lake.Open(context.Background(), "file://./data/lake", "")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Put(context.Background(), "x/y.json", []byte("{}"), lake.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "lake", "x", "y.json")); err != nil {
		t.Errorf("object not under ./data/lake: %v", err)
	}
}

// TestWalkAll: every object, top-level ones included, exactly once; an
// error from fn stops the walk and is returned.
func TestWalkAll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := map[string]bool{}
	for i := 0; i < 40; i++ {
		k := fmt.Sprintf("p%d/sub/%03d.json", i%5, i)
		if i%10 == 0 {
			k = fmt.Sprintf("top-%d.json", i)
		}
		want[k] = true
		if err := l.Put(ctx, k, []byte("x"), lake.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	if err := l.WalkAll(ctx, 3, func(o lake.Object) error { got[o.Key]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("walked %d keys, want %d", len(got), len(want))
	}
	for k, n := range got {
		if !want[k] || n != 1 {
			t.Errorf("%s walked %d times", k, n)
		}
	}
	stop := errors.New("stop")
	if err := l.WalkAll(ctx, 3, func(lake.Object) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("WalkAll error = %v, want stop", err)
	}
}

// TestScanFolderMatchesThePagedListing: a folder lake's Scan (the
// directory walk reconciliation uses) yields the objects, sizes and
// directories the bucket API lists, without the .attrs sidecars fileblob
// keeps beside them; a memory lake's Scan is its paged listing.
func TestScanFolderMatchesThePagedListing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	fl, err := lake.Open(ctx, "file://"+dir, "pre")
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	ml, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	defer ml.Close()
	keys := []string{"a/1.json", "a/b/2.json", "a/b/c/3.json", "z.json", "a/b/4.json"}
	for i, k := range keys {
		for _, l := range []*lake.Lake{fl, ml} {
			if _, err := l.Store(ctx, k, bytes.Repeat([]byte("x"), i+1), lake.Meta{Source: "t"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !fl.Folder() || ml.Folder() || fl.PagedBy(2).Folder() {
		t.Fatalf("Folder: file %v mem %v file paged %v", fl.Folder(), ml.Folder(), fl.PagedBy(2).Folder())
	}
	if !strings.HasPrefix(fl.Describe(), "directory walk of ") || !strings.HasSuffix(fl.Describe(), "pre") {
		t.Errorf("describe %q", fl.Describe())
	}
	list := func(l lake.Lister, prefix string) string {
		var out []string
		if err := l.Scan(ctx, prefix, func(o lake.Object) error {
			out = append(out, fmt.Sprintf("%s:%d", o.Key, o.Size))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	want := list(fl.PagedBy(2), "")
	if strings.Contains(want, ".attrs") || strings.Count(want, ":") != len(keys) {
		t.Fatalf("paged listing %q", want)
	}
	for name, l := range map[string]lake.Lister{"folder": fl, "mem": ml} {
		if got := list(l, ""); got != want {
			t.Errorf("%s Scan:\n got %s\nwant %s", name, got, want)
		}
		if got, w := list(l, "a/b/"), list(fl.PagedBy(2), "a/b/"); got != w {
			t.Errorf("%s Scan a/b/: %s, want %s", name, got, w)
		}
		dirs, objs, err := l.ListDirs(ctx, "a/")
		if err != nil || strings.Join(dirs, ",") != "a/b/" || len(objs) != 1 || objs[0].Key != "a/1.json" {
			t.Errorf("%s ListDirs a/: %v %v %v", name, dirs, objs, err)
		}
	}
}
