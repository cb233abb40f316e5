package web

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
)

// The box's own JSON writer gives exactly encoding/json's bytes: for every
// 7th second of a real game, windows, events and the final box.
func TestBoxJSONIsEncodingJSON(t *testing.T) {
	f := newFixture(t, store.SQLite)
	end := int(f.game.FinalState().Elapsed.Seconds())
	var queries []string
	for at := 0; at <= end; at += 7 {
		queries = append(queries, "elapsed="+strconv.Itoa(at))
	}
	for i := 0; i < len(f.game.Events); i += 37 {
		queries = append(queries, "event="+strconv.Itoa(f.game.Events[i].EventNum))
	}
	queries = append(queries, "", "at=Q3+7:02", "from=Q2+12:00&to=Q2+0:00", "from=0&to=100.5", "elapsed=1738.5")
	for _, q := range queries {
		req := httptest.NewRequest("GET", "/api/v1/games/"+fixtureGame+"/box?"+q, nil)
		req.SetPathValue("game_id", fixtureGame)
		v, err := f.srv.apiBox(req)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		box := v.(*BoxOut)
		want, err := json.Marshal(box)
		if err != nil {
			t.Fatal(err)
		}
		if got := box.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("%s: AppendJSON differs from encoding/json:\n got %s\nwant %s", q, got, want)
		}
		// and the server sends them, with encoding/json's newline
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		if !bytes.Equal(rec.Body.Bytes(), append(want, '\n')) {
			t.Fatalf("%s: response body differs from encoding/json", q)
		}
	}
	// nil slices, optional fields, degraded reasons
	ev, from, to := 12, 0.05, 1e21
	box := &BoxOut{Moment: MomentOut{EventNum: &ev, FromElapsedSeconds: &from, ToElapsedSeconds: &to, ElapsedSeconds: 1e-7}, Degraded: true,
		DegradedReasons: []string{"a <b> & \"c\"", "\u2028\u2029\x01\t\n\r\b\f\\"}}
	want, _ := json.Marshal(box)
	if got := box.AppendJSON(nil); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs:\n got %s\nwant %s", got, want)
	}
}

// A box answer (its headers and 7-11 KB of JSON) leaves in one write to the
// connection, not net/http's 4 KiB pieces (httpserve.Conn.Cork); the next
// answer on the same keep-alive connection too.
func TestBoxAnswerInOneWrite(t *testing.T) {
	f := newFixture(t, store.SQLite)
	conn, err := newLoadConn("raw", f.ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.close()
	for _, q := range []string{"elapsed=1738", "", "at=Q1+0:01", "from=0&to=2000"} {
		w0 := f.writes.Load()
		status, n, err := conn.get("/api/v1/games/" + fixtureGame + "/box?" + q)
		if err != nil || status != 200 || n < 5<<10 { // more than net/http's 4 KiB buffer
			t.Fatalf("%s: status %d, %d bytes, err %v", q, status, n, err)
		}
		if w := f.writes.Load() - w0; w != 1 {
			t.Errorf("%s: %d bytes in %d writes to the connection, want 1", q, n, w)
		}
	}
}

// BenchmarkBoxJSON is the box answer's JSON alone (AppendJSON of the box
// at Q3 7:02 of the fixture game into a reused buffer).
//
//	go test -run '^$' -bench BoxJSON -benchmem ./internal/web
func BenchmarkBoxJSON(b *testing.B) {
	f := newFixture(b, store.SQLite)
	req := httptest.NewRequest("GET", "/api/v1/games/"+fixtureGame+"/box?at=Q3+7:02", nil)
	req.SetPathValue("game_id", fixtureGame)
	v, err := f.srv.apiBox(req)
	if err != nil {
		b.Fatal(err)
	}
	box := v.(*BoxOut)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = box.AppendJSON(buf[:0])
	}
	b.SetBytes(int64(len(buf)))
}

// A box at a moment, at the end or over a window, and the stints, take
// the game compiled without its events (the fold-only variant, small and
// nearly pointer-free in the cache); a box after an event number and the
// score flow, which read the events, the whole game.
func TestBoxFoldsOnly(t *testing.T) {
	f := newFixture(t, store.SQLite)
	for _, tc := range []struct {
		path        string
		fold, whole bool // cached afterwards
	}{
		{"/box?elapsed=1738", true, false},
		{"/box", true, false},
		{"/box?from=0&to=100", true, false},
		{"/stints", true, false},
		{"/box?event=" + strconv.Itoa(f.game.Events[50].EventNum), true, true},
		{"/scoreflow", true, true},
	} {
		if status, _ := getJSON(t, f.ts.URL, "/api/v1/games/"+fixtureGame+tc.path, nil); status != 200 {
			t.Fatalf("%s: %d", tc.path, status)
		}
		c, fold := f.srv.folds.Lookup(fixtureGame, "")
		_, whole := f.srv.games.Lookup(fixtureGame, "")
		if fold != tc.fold || whole != tc.whole {
			t.Errorf("after %s: fold-only game cached %v, whole game %v; want %v, %v", tc.path, fold, whole, tc.fold, tc.whole)
		}
		if fold && c.Events != nil {
			t.Errorf("after %s: the fold-only game has its events", tc.path)
		}
	}
}
