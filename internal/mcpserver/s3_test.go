package mcpserver_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestLakeS3Confinement: on an S3 lake (versitygw) configured with a
// prefix, browsing stays inside it: a sibling prefix's objects are never
// listed or read.
func TestLakeS3Confinement(t *testing.T) {
	t.Parallel()
	u := testutil.S3URL(t)
	ctx := context.Background()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	base := "mcp-" + hex.EncodeToString(b[:])
	whole, err := lake.Open(ctx, u, "")
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	t.Cleanup(func() {
		_ = whole.Walk(context.Background(), base+"/", func(o lake.Object) error { return whole.Delete(context.Background(), o.Key) })
	})
	for key, body := range map[string]string{
		base + "/lake/" + pbpKey:                 `{"resultSets":[]}`,
		base + "/lake-evil/secret.json":          `{"secret":true}`,
		base + "/lake-evil/nba_stats/other.json": `{"secret":true}`,
	} {
		if err := whole.Put(ctx, key, []byte(body), lake.Meta{Source: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := lake.Open(ctx, u, base+"/lake")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fix := readonlytest.SQLite(t)
	db, err := readonly.OpenSQLite(ctx, fix.SQLitePath, readonly.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := mcpserver.New(mcpserver.Options{DB: db, Lake: l, LakeRoot: mcpserver.FileRoot(u, base+"/lake")})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{srv: srv}
	hs := newHTTP(t, srv)
	h.url, h.token = hs, "s3cret"
	cs := h.connect(t)
	out, r := call(t, cs, "lake_list", map[string]any{})
	if r.IsError || mustJSON(out["objects"]) == "" || !strings.Contains(mustJSON(out["objects"]), pbpKey) || strings.Contains(mustJSON(out), "secret") || strings.Contains(mustJSON(out), "other.json") {
		t.Errorf("lake_list: %s %v", errText(r), out)
	}
	out, r = call(t, cs, "lake_list", map[string]any{"prefix": "lake-evil/"})
	if r.IsError || len(out["objects"].([]any)) != 0 {
		t.Errorf("lake_list lake-evil/: %s %v", errText(r), out)
	}
	for _, key := range []string{"../lake-evil/secret.json", "%2e%2e/lake-evil/secret.json", "/" + base + "/lake-evil/secret.json", "lake-evil/secret.json"} {
		_, r := call(t, cs, "lake_read", map[string]any{"key": key})
		if !r.IsError || strings.Contains(errText(r), `{"secret":true}`) {
			t.Errorf("lake_read %q: %s", key, errText(r))
		}
	}
	if out, r := call(t, cs, "lake_read", map[string]any{"key": pbpKey}); r.IsError || out["content"] != `{"resultSets":[]}` {
		t.Errorf("lake_read inside: %s %v", errText(r), out)
	}
}
