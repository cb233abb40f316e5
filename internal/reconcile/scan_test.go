package reconcile

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/testutil"
)

var scanKeys = map[string]string{
	"nba_stats/playbyplayv3/2023-24/0022300001.json": `{"a":1}`,
	"nba_stats/playbyplayv3/2023-24/0022300002.json": "",
	"nba_stats/leaguegamelog/2023-24/regular_T.json": `{}`,
	"espn/summary/2023-24/401584800.json":            `{}`,
	"bbref/boxscores/2023-24/202310240DEN.html":      `<html></html>`,
	"espn_play_by_play/401584800.json":               `{}`, // legacy layout
	"nba_stats/playbyplayv3/2023-24/notagame.json":   `{}`,
	"nba_stats/playbyplayv3/23-24/0022300003.json":   `{}`,
	"README.txt": `hello`,
	"_history/espn/summary/2023-24/401584800.json@abc": `{}`,
}

func writeLake(t *testing.T, l *lake.Lake, keys map[string]string) {
	t.Helper()
	for k, v := range keys {
		if err := l.Put(context.Background(), k, []byte(v), lake.Meta{Source: "test"}); err != nil {
			t.Fatal(err)
		}
	}
}

func checkScan(t *testing.T, res *ScanResult) {
	t.Helper()
	if res.Listed != int64(len(scanKeys)) {
		t.Errorf("listed %d, want %d", res.Listed, len(scanKeys))
	}
	if res.History != 1 {
		t.Errorf("history %d, want 1", res.History)
	}
	if res.UnknownCount != 4 {
		t.Errorf("unknown %d, want 4: %+v", res.UnknownCount, res.Unknown)
	}
	var reasons []string
	for _, u := range res.Unknown {
		reasons = append(reasons, u.Key+": "+u.Reason)
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{`notagame.json: item "notagame" does not match`, `23-24/0022300003.json: season "23-24"`, "README.txt: want source/dataset/season/item.ext", "espn_play_by_play/401584800.json"} {
		if !strings.Contains(joined, want) {
			t.Errorf("unknown keys lack %q:\n%s", want, joined)
		}
	}
	g := res.Groups["nba_stats/playbyplayv3/2023-24"]
	if g == nil || len(g.Items) != 2 {
		t.Fatalf("playbyplayv3 group: %+v", g)
	}
	if e := g.Items["0022300002"]; e.Size != 0 || e.ModTime == 0 {
		t.Errorf("zero-byte entry %+v", e)
	}
	if e := g.Items["0022300001"]; e.Size != 7 {
		t.Errorf("entry %+v, want size 7", e)
	}
	if len(res.Groups) != 4 {
		var ks []string
		for k := range res.Groups {
			ks = append(ks, k)
		}
		t.Errorf("groups %v", ks)
	}
}

func TestScanListers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	fl, err := lake.Open(ctx, "file://"+dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	writeLake(t, fl, scanKeys)
	ml, err := lake.Open(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	defer ml.Close()
	writeLake(t, ml, scanKeys)
	for _, tc := range []struct {
		name string
		l    Lister
	}{
		{"dir walk", fl},
		{"fileblob pages", fl.PagedBy(3)},
		{"memblob", ml.PagedBy(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Scan(ctx, tc.l, ScanOptions{Concurrency: 3})
			if err != nil {
				t.Fatal(err)
			}
			checkScan(t, res)
		})
	}
}

func TestScanSampleIsDeterministic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for i := 0; i < 2000; i++ {
		p := filepath.Join(dir, "nba_stats", "playbyplayv3", "2023-24", fmt.Sprintf("00223%05d.json", i+1))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("{}"), 0o644)
	}
	a, err := Scan(ctx, FolderLake(t, dir), ScanOptions{SampleRate: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Scan(ctx, FolderLake(t, dir), ScanOptions{SampleRate: 0.1})
	if a.Mode != "sample" || a.Kept != b.Kept || a.Listed != 2000 {
		t.Fatalf("mode %s kept %d/%d listed %d", a.Mode, a.Kept, b.Kept, a.Listed)
	}
	if est := float64(a.Kept) * a.Scale(); est < 1500 || est > 2500 {
		t.Errorf("scaled estimate %v far from 2000", est)
	}
}

func TestCacheRoundTripAndProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := &ScanResult{Schema: ScanSchema, Lake: "file:///x", Mode: "full", SampleRate: 1, Listed: 3, Groups: map[string]*Group{
		"espn/summary/2023-24": {Source: "espn", Dataset: "summary", Season: "2023-24", Items: map[string]Entry{"401584800": {Size: 5, ModTime: 99}}, ETags: map[string]string{"401584800": "abc"}},
	}}
	path := CachePath(dir, "file:///x")
	if err := WriteCache(path, res); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	got, err := ReadCache(path, "file:///x", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if !got.FromCache || got.Groups["espn/summary/2023-24"].Items["401584800"].Size != 5 || got.Groups["espn/summary/2023-24"].ETags["401584800"] != "abc" {
		t.Fatalf("round trip: %+v", got)
	}
	problem := func(p, lakeURL string, ttl time.Duration, at time.Time, want string) {
		t.Helper()
		_, err := ReadCache(p, lakeURL, ttl, at)
		var cp *CacheProblem
		if !errors.As(err, &cp) || !strings.Contains(cp.Reason, want) {
			t.Errorf("ReadCache(%s) = %v, want a %q problem", filepath.Base(p), err, want)
		}
	}
	problem(path, "file:///x", time.Hour, now.Add(2*time.Hour), "expired")
	problem(path, "file:///other", time.Hour, now, "another lake")
	problem(filepath.Join(dir, "none.gob.gz"), "", 0, now, "missing")

	// corrupt: garbage, truncated gzip, random bytes
	bad := filepath.Join(dir, "bad.gob.gz")
	os.WriteFile(bad, []byte("not a cache at all"), 0o644)
	problem(bad, "", 0, now, "corrupt")
	full, _ := os.ReadFile(path)
	os.WriteFile(bad, full[:len(full)/2], 0o644)
	problem(bad, "", 0, now, "corrupt")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		b := append([]byte(nil), full...)
		for j := 0; j < 5; j++ {
			b[rng.IntN(len(b))] ^= byte(rng.IntN(255) + 1)
		}
		os.WriteFile(bad, b, 0o644)
		if _, err := ReadCache(bad, "", 0, now); err != nil {
			var cp *CacheProblem
			if !errors.As(err, &cp) {
				t.Fatalf("flipped bytes: %v is not a CacheProblem", err)
			}
		}
	}

	// an older schema
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	writeOld(t, gz)
	gz.Close()
	old := filepath.Join(dir, "old.gob.gz")
	os.WriteFile(old, buf.Bytes(), 0o644)
	problem(old, "", 0, now, fmt.Sprintf("old schema 1 (this nbasim writes %d)", ScanSchema))
}

func TestInventoryManifest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	// Real inventory CSVs have no header; columns follow fileSchema; keys are URL-encoded.
	csv := strings.Join([]string{
		`"bucket","lake/nba_stats/playbyplayv3/2023-24/0022300001.json","120","2026-11-01T10:00:00.000Z","abc","STANDARD"`,
		`"bucket","lake/nba_stats/playbyplayv3/2023-24/0022300002.json","0","2026-11-01T10:00:00.000Z","def","STANDARD"`,
		`"bucket","lake/misc/a%20file.txt","3","2026-11-01T10:00:00.000Z","x","STANDARD"`,
		`"bucket","other/nba_stats/playbyplayv3/2023-24/0022300009.json","3","2026-11-01T10:00:00.000Z","x","STANDARD"`,
	}, "\n") + "\n"
	var gzbuf bytes.Buffer
	zw := gzip.NewWriter(&gzbuf)
	zw.Write([]byte(csv))
	zw.Close()
	os.WriteFile(filepath.Join(data, "part-1.csv.gz"), gzbuf.Bytes(), 0o644)
	m := map[string]any{
		"sourceBucket": "bucket", "fileFormat": "CSV",
		"fileSchema": "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass",
		"files":      []map[string]any{{"key": "inventory-reports/bucket/daily/data/part-1.csv.gz", "size": 1}},
	}
	mb, _ := json.Marshal(m)
	mp := filepath.Join(dir, "manifest.json")
	os.WriteFile(mp, mb, 0o644)
	res, err := ScanInventory(context.Background(), mp, "lake", ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "inventory" || res.Listed != 3 || res.UnknownCount != 1 {
		t.Fatalf("inventory scan: mode %s listed %d unknown %d", res.Mode, res.Listed, res.UnknownCount)
	}
	g := res.Groups["nba_stats/playbyplayv3/2023-24"]
	if g == nil || g.Items["0022300001"].Size != 120 || g.ETags["0022300001"] != "abc" || g.Items["0022300002"].Size != 0 {
		t.Fatalf("group %+v", g)
	}
	if res.Unknown[0].Key != "misc/a file.txt" {
		t.Errorf("unknown %+v", res.Unknown)
	}

	// Parquet and a missing data file are errors, not crashes.
	m["fileFormat"] = "Parquet"
	mb, _ = json.Marshal(m)
	os.WriteFile(mp, mb, 0o644)
	if _, err := ScanInventory(context.Background(), mp, "", ScanOptions{}); err == nil || !strings.Contains(err.Error(), "Parquet") {
		t.Errorf("parquet: %v", err)
	}
	m["fileFormat"] = "CSV"
	m["files"] = []map[string]any{{"key": "nowhere/part-9.csv.gz"}}
	mb, _ = json.Marshal(m)
	os.WriteFile(mp, mb, 0o644)
	if _, err := ScanInventory(context.Background(), mp, "", ScanOptions{}); err == nil || !strings.Contains(err.Error(), "part-9.csv.gz") {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(mp, []byte("{truncated"), 0o644)
	if _, err := ScanInventory(context.Background(), mp, "", ScanOptions{}); err == nil || !IsPermanent(err) {
		t.Errorf("corrupt manifest: %v", err)
	}
}

// TestScanS3 lists a real S3 server (versitygw in CI) page by page.
func TestScanS3(t *testing.T) {
	u := testutil.S3URL(t)
	t.Parallel()
	ctx := context.Background()
	prefix := fmt.Sprintf("reconcile-scan-test-%d", time.Now().UnixNano())
	l, err := lake.Open(ctx, u, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	writeLake(t, l, scanKeys)
	t.Cleanup(func() {
		for k := range scanKeys {
			l.Delete(context.Background(), k)
		}
	})
	res, err := Scan(ctx, l.PagedBy(2), ScanOptions{Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	checkScan(t, res)
	if g := res.Groups["nba_stats/playbyplayv3/2023-24"]; g == nil || g.ETags["0022300001"] == "" {
		t.Errorf("S3 listing kept no etag: %+v", g)
	}
}

// FolderLake opens the folder lake at dir (a directory walk lists it),
// closed when the test ends; the external tests of the package use it too.
func FolderLake(tb testing.TB, dir string) *lake.Lake {
	tb.Helper()
	l, err := lake.Open(context.Background(), "file://"+dir, "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	return l
}
