package reconcile

import (
	"encoding/gob"
	"io"
	"testing"
	"time"
)

// writeOld writes a cache as schema 1 wrote it (a header, then a body of
// another shape).
func writeOld(t *testing.T, w io.Writer) {
	t.Helper()
	enc := gob.NewEncoder(w)
	if err := enc.Encode(cacheHeader{Magic: cacheMagic, Schema: 1, Written: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(struct{ Files []string }{[]string{"a"}}); err != nil {
		t.Fatal(err)
	}
}
