package load

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
)

// TestListFolderLakeAsWalk: the loader lists a folder lake from its
// directory tree (Lake.Scan) rather than page by page through the blob
// driver (Lake.Walk re-walks the tree for every page and decodes every
// object's .attrs sidecar: 31 s of CPU for the 29,414 objects of the bulk
// archive). The objects it selects, their sizes and times (raw_objects'
// fetched_at) and their order are the ones Walk gives, for the whole lake
// and for a season.
func TestListFolderLakeAsWalk(t *testing.T) {
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Close()
	keys := []string{"notes/readme.txt", "archive/game_info/2018-19/0021800002.json"}
	for _, s := range []string{"2014-15", "2018-19"} {
		for i := 1; i <= 30; i++ {
			keys = append(keys, fmt.Sprintf("archive/playbyplayv2/%s/00%s%s%05d.csv", s, "2", s[2:4], i))
		}
	}
	for i, k := range keys {
		if err := lk.Put(ctx, k, []byte(k), lake.Meta{FetchedAt: time.Unix(int64(i), 0)}); err != nil {
			t.Fatal(err)
		}
	}
	l := &Loader{Lake: lk}
	for _, opt := range []Options{{}, {Season: "2018-19"}} {
		var sum Summary
		got, err := l.list(ctx, opt, &sum)
		if err != nil {
			t.Fatal(err)
		}
		prefix := ""
		if opt.Season != "" {
			prefix = "archive/"
		}
		var want []lake.Object
		if err := lk.Walk(ctx, prefix, func(o lake.Object) error {
			if opt.Season == "" || strings.Contains(o.Key, "/"+opt.Season+"/") {
				want = append(want, o)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var wantLayout []lake.Object
		for _, o := range want {
			if o.Key != "notes/readme.txt" {
				wantLayout = append(wantLayout, o)
			}
		}
		if len(got) != len(wantLayout) || len(got) == 0 {
			t.Fatalf("season %q: listed %d objects, Walk %d", opt.Season, len(got), len(wantLayout))
		}
		for i, o := range got {
			w := wantLayout[i]
			if o.raw != w.Key || o.size != w.Size || !o.mod.Equal(w.ModTime) {
				t.Errorf("season %q object %d: %s %d %s, Walk %s %d %s", opt.Season, i, o.raw, o.size, o.mod, w.Key, w.Size, w.ModTime)
			}
		}
		if wantScanned := len(want); sum.Scanned != wantScanned || sum.Ignored != wantScanned-len(wantLayout) {
			t.Errorf("season %q: scanned %d ignored %d, want %d and %d", opt.Season, sum.Scanned, sum.Ignored, wantScanned, wantScanned-len(wantLayout))
		}
	}
}
