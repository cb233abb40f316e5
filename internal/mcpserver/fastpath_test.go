package mcpserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/mcpserver"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
)

// The stdio fast path's tests: its answers are the SDK's, byte for byte;
// what it does not answer the SDK does; a go-sdk client's box_score calls
// go through it; its writes and the SDK's never share a line; it leaves
// a few kB of garbage per call where the SDK leaves ~270 kB.

// fastPair is two servers over one database holding a real game: one with
// the stdio fast path, one without (every request through the SDK).
type fastPair struct {
	fast, sdk           *mcpserver.Server
	fastAudit, sdkAudit *syncBuf
	gameID              string // 0021600270, OKC 126 WAS 115 in overtime (plays), and readonlytest.GameID (a stored box)
}

func newFastPair(t testing.TB) *fastPair {
	t.Helper()
	h, _, gameID := realGameHarness(t)
	db, err := readonly.OpenSQLite(context.Background(), h.fix.SQLitePath, readonly.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := &fastPair{fastAudit: &syncBuf{}, sdkAudit: &syncBuf{}, gameID: gameID}
	if p.fast, err = mcpserver.New(mcpserver.Options{DB: db, Audit: mcpserver.NewAudit(p.fastAudit, nil), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if p.sdk, err = mcpserver.New(mcpserver.Options{DB: db, Audit: mcpserver.NewAudit(p.sdkAudit, nil), Version: "test", NoFastPath: true}); err != nil {
		t.Fatal(err)
	}
	return p
}

// rawSession is a stdio session with a server driven line by line.
type rawSession struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func serveRaw(t testing.TB, srv *mcpserver.Server, w func(io.Writer) io.Writer) *rawSession {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &rawSession{in: inW, out: bufio.NewReaderSize(outR, 1<<20), done: make(chan error, 1)}
	var sw io.Writer = outW
	if w != nil {
		sw = w(outW)
	}
	go func() {
		s.done <- srv.ServeIO(context.Background(), inR, sw)
		outW.Close()
	}()
	t.Cleanup(func() { s.close(t) })
	return s
}

// send writes a line; want says whether a response line follows, which
// send returns.
func (s *rawSession) send(t testing.TB, line string, want bool) string {
	t.Helper()
	if _, err := io.WriteString(s.in, line+"\n"); err != nil {
		t.Fatalf("write %s: %v", line, err)
	}
	if !want {
		return ""
	}
	got, err := s.out.ReadString('\n')
	if err != nil {
		t.Fatalf("read the response to %s: %v", line, err)
	}
	return got
}

func (s *rawSession) close(t testing.TB) {
	if s.in == nil {
		return
	}
	s.in.Close()
	s.in = nil
	go io.Copy(io.Discard, s.out)
	if err := <-s.done; err != nil {
		t.Logf("session: %v", err)
	}
}

const (
	newMeta   = `{"io.modelcontextprotocol/clientCapabilities":{"roots":{"listChanged":true}},"io.modelcontextprotocol/clientInfo":{"name":"raw","version":"2"},"io.modelcontextprotocol/protocolVersion":"2026-07-28"}`
	discover  = `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":` + newMeta + `}}`
	initLine  = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"legacy","version":"3"}}}`
	initdLine = `{"jsonrpc":"2.0","method":"notifications/initialized","params":{}}`
)

// boxCall is a box_score tools/call line: meta "" for none.
func boxCall(id, meta, args string) string {
	if meta != "" {
		return `{"jsonrpc":"2.0","id":` + id + `,"method":"tools/call","params":{"_meta":` + meta + `,"name":"box_score","arguments":` + args + `}}`
	}
	return `{"jsonrpc":"2.0","id":` + id + `,"method":"tools/call","params":{"name":"box_score","arguments":` + args + `}}`
}

// exchange is a session's lines and whether each has a response.
type exchange struct {
	line     string
	response bool
	fast     bool // the fast path answers it
}

// compareSessions plays the lines on a session of each server and
// requires the same response bytes; it returns the fast server's counts.
func (p *fastPair) compareSessions(t *testing.T, name string, lines []exchange) {
	t.Helper()
	before := p.fast.FastPathStats()
	fs, ss := serveRaw(t, p.fast, nil), serveRaw(t, p.sdk, nil)
	wantFast := int64(0)
	for i, x := range lines {
		got, want := fs.send(t, x.line, x.response), ss.send(t, x.line, x.response)
		if got != want {
			t.Errorf("%s: line %d %s:\nfast path %s\n      SDK %s", name, i, x.line, got, want)
		}
		if x.fast {
			wantFast++
		}
		if x.response && !strings.Contains(want, `"id"`) {
			t.Errorf("%s: line %d: no answer: %s", name, i, want)
		}
	}
	fs.close(t)
	ss.close(t)
	st := p.fast.FastPathStats()
	if d := st.Answered - before.Answered; d != wantFast {
		t.Errorf("%s: the fast path answered %d calls, want %d (%+v)", name, d, wantFast, st)
	}
	if d := st.PassedOn - before.PassedOn; d != int64(len(lines))-wantFast {
		t.Errorf("%s: %d lines went to the SDK, want %d", name, d, int64(len(lines))-wantFast)
	}
}

// auditWithoutTimes is an audit log's records without their times.
func auditWithoutTimes(t testing.TB, b *syncBuf) []mcpserver.AuditRecord {
	t.Helper()
	var recs []mcpserver.AuditRecord
	for _, l := range b.Lines() {
		if l == "" {
			continue
		}
		var r mcpserver.AuditRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("audit line %s: %v", l, err)
		}
		if r.Time == "" || r.DurationMS < 0 {
			t.Errorf("audit record without a time: %s", l)
		}
		r.Time, r.DurationMS = "", 0
		recs = append(recs, r)
	}
	return recs
}

// successCalls are box_score calls the fast path answers, with their
// meta ("" for none): games and moments of every kind, numeric and string
// ids.
func (p *fastPair) successCalls(meta string) []exchange {
	g := p.gameID
	var xs []exchange
	for i, args := range []string{
		`{"elapsed_seconds":2633,"game_id":"` + g + `"}`,
		`{"elapsed_seconds":0,"game_id":"` + g + `"}`,
		`{"elapsed_seconds":720.5,"game_id":"` + g + `"}`,
		`{"game_id":"` + g + `","elapsed_seconds":3100}`, // overtime
		`{"game_id":"` + g + `","moment":"Q3 7:02.4"}`,
		`{"game_id":"` + g + `","period":2,"clock":"0:00"}`,
		`{"game_id":"21600270","moment":"OT1 0:00"}`, // a short id
		`{"game_id":"` + readonlytest.GameID + `"}`,  // the stored final box
		`{"game_id":"` + readonlytest.GameID + `","period":1,"clock":"6:00"}`,
		`{"game_id":"` + g + `","moment":"Q2 1:00","source":""}`,
	} {
		id := []string{"2", `"a"`, "0", "-7", "123456789012345", `"x<&>y z"`, `"id-7"`, "99", `""`, "100"}[i]
		xs = append(xs, exchange{boxCall(id, meta, args), true, true})
	}
	return xs
}

// TestFastPathBytesEqualSDK: for box_score calls of several games and
// moments, numeric and string ids, in a session of the 2026-07-28
// protocol (the go-sdk client's: server/discover, _meta on every request)
// and in a legacy one (initialize; no _meta), the fast path's response
// line is byte for byte the SDK's, and the audit log gets the same
// records.
func TestFastPathBytesEqualSDK(t *testing.T) {
	p := newFastPair(t)
	newSession := append([]exchange{{discover, true, false}}, p.successCalls(newMeta)...)
	// a request without _meta in a 2026-07-28 session: the result says
	// "resultType":"complete" but has no server info
	newSession = append(newSession, exchange{boxCall("500", "", `{"game_id":"`+p.gameID+`","elapsed_seconds":42}`), true, true})
	p.compareSessions(t, "2026-07-28", newSession)
	legacy := append([]exchange{{initLine, true, false}, {initdLine, false, false}}, p.successCalls("")...)
	p.compareSessions(t, "2025-06-18", legacy)
	// the TypeScript SDK's client: its key order, protocol 2025-11-25
	ts := []exchange{
		{`{"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"nbasim-ts-test","version":"1.0.0"}},"jsonrpc":"2.0","id":0}`, true, false},
		{`{"method":"notifications/initialized","jsonrpc":"2.0"}`, false, false},
	}
	for i, args := range []string{`{"game_id":"` + readonlytest.GameID + `"}`, `{"game_id":"` + readonlytest.GameID + `","period":2,"clock":"7:00"}`, `{"game_id":"` + p.gameID + `","moment":"Q4 0:00"}`} {
		ts = append(ts, exchange{fmt.Sprintf(`{"method":"tools/call","params":{"name":"box_score","arguments":%s},"jsonrpc":"2.0","id":%d}`, args, 8+i), true, true})
	}
	p.compareSessions(t, "TypeScript client", ts)
	// answered after initialize, before notifications/initialized: the SDK does too
	p.compareSessions(t, "2025-06-18 before initialized", append([]exchange{{initLine, true, false}}, p.successCalls("")[:2]...))
	fast, sdk := auditWithoutTimes(t, p.fastAudit), auditWithoutTimes(t, p.sdkAudit)
	if len(fast) != 2*10+1+3+2 || len(fast) != len(sdk) {
		t.Fatalf("audit: %d records on the fast path, %d on the SDK", len(fast), len(sdk))
	}
	for i := range fast {
		if fast[i] != sdk[i] {
			t.Errorf("audit record %d:\nfast path %+v\n      SDK %+v", i, fast[i], sdk[i])
		}
		if fast[i].Client == "" || fast[i].ArgsSHA256 == "" || fast[i].Rows == 0 || fast[i].Error != "" {
			t.Errorf("audit record %d: %+v", i, fast[i])
		}
	}
}

// TestFastPathFallback: what the fast path does not answer (a tool error:
// unknown game, bad moment, arguments the schema refuses; an unknown
// tool; _meta with other keys or another version; a request the SDK
// reads differently: whitespace, a fractional id; a call before the
// session is initialized) the SDK answers, exactly as without the fast
// path, and audits once.
func TestFastPathFallback(t *testing.T) {
	p := newFastPair(t)
	g := p.gameID
	tried := func(id, meta, args string) exchange { return exchange{boxCall(id, meta, args), true, false} }
	errors := func(meta string) []exchange {
		return []exchange{
			tried("10", meta, `{"game_id":"0029900001","moment":"Q1 1:00"}`),  // unknown game
			tried("11", meta, `{"game_id":"`+g+`","moment":"Q3 7:02:30"}`),    // bad clock
			tried("12", meta, `{"game_id":"`+g+`","elapsed_seconds":100000}`), // past the end
			tried("13", meta, `{"game_id":"`+g+`","moment":"OT2 1:00"}`),      // an overtime it did not have
			tried("14", meta, `{"game_id":21600270}`),                         // the schema refuses
			tried("15", meta, `{"game_id":"`+g+`","minute":3}`),
			tried("16", meta, `{}`),
			tried("17", meta, `{"game_id":"`+g+`","elapsed_seconds":-5}`),
		}
	}
	withMeta := func(extra string) string { return strings.Replace(newMeta, `{`, `{`+extra+`,`, 1) }
	newSession := append([]exchange{{discover, true, false}}, errors(newMeta)...)
	newSession = append(newSession,
		exchange{`{"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"box_scores","arguments":{"game_id":"` + g + `"}}}`, true, false},
		exchange{`{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"box_score","arguments":[]}}`, true, false},
		exchange{`{"jsonrpc":"2.0","id":22,"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"box_score"}}`, true, false},
		exchange{boxCall("23", withMeta(`"progressToken":"p1"`), `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{boxCall("24", withMeta(`"io.modelcontextprotocol/logLevel":"debug"`), `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{boxCall("25", strings.Replace(newMeta, "2026-07-28", "2099-01-01", 1), `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{boxCall("26", strings.Replace(newMeta, `{"name":"raw","version":"2"}`, `null`, 1), `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{boxCall("27", `{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}`, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{`{"jsonrpc": "2.0", "id": 28, "method": "tools/call", "params": {"_meta":` + newMeta + `,"name":"box_score","arguments":{"game_id":"` + g + `","elapsed_seconds":60}}}`, true, false},
		exchange{boxCall("29.5", newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{boxCall("1e2", newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{boxCall(`"q\"uote"`, newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		exchange{`{"jsonrpc":"2.0","id":31,"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"box_score","arguments":{"game_id":"` + g + `","elapsed_seconds":60},"requestState":"x"}}`, true, false},
		exchange{`{"jsonrpc":"2.0","id":32,"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"box_score","name":"box_score","arguments":{"game_id":"` + g + `","elapsed_seconds":60}}}`, true, false},
		// lines longer than the reader's buffer (64 kB): one the SDK answers, one the fast path does
		exchange{`{"jsonrpc":"2.0","id":34,"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"describe_table","arguments":{"table":"` + strings.Repeat("x", 100_000) + `"}}}`, true, false},
		exchange{boxCall("35", newMeta, `{"game_id":"`+g+`","moment":"Q2 1:00","source":"`+strings.Repeat("y", 150_000)+`"}`), true, true},
		// and the fast path still answers after all that
		exchange{boxCall("33", newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, true},
	)
	p.compareSessions(t, "2026-07-28", newSession)
	legacy := append([]exchange{{initLine, true, false}, {initdLine, false, false}}, errors("")...)
	legacy = append(legacy,
		exchange{boxCall("40", newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false}, // a 2026-07-28 request in a legacy session
		exchange{boxCall("41", "", `{"game_id":"`+g+`","elapsed_seconds":60}`), true, true},
	)
	p.compareSessions(t, "2025-06-18", legacy)
	// before initialize: the SDK refuses the call (legacy) or takes the
	// session's protocol from it (2026-07-28)
	p.compareSessions(t, "legacy call before initialize", []exchange{
		{boxCall("50", "", `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		{initLine, true, false},
		{boxCall("51", "", `{"game_id":"`+g+`","elapsed_seconds":60}`), true, true},
	})
	p.compareSessions(t, "2026-07-28 call first", []exchange{
		{boxCall("52", newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
		{boxCall("53", newMeta, `{"game_id":"`+g+`","elapsed_seconds":61}`), true, true},
	})
	// a message over two lines: the SDK's decoder frames by values, so
	// the rest of the session is the SDK's
	p.compareSessions(t, "split message", []exchange{
		{discover, true, false},
		{`{"jsonrpc":"2.0","id":60,`, false, false},
		{`"method":"tools/call","params":{"_meta":` + newMeta + `,"name":"box_score","arguments":{"game_id":"` + g + `","elapsed_seconds":60}}}`, true, false},
		{boxCall("61", newMeta, `{"game_id":"`+g+`","elapsed_seconds":60}`), true, false},
	})
	st := p.fast.FastPathStats()
	if st.Fallback != 2*8 { // the tool errors of both sessions
		t.Errorf("fallbacks %d, want %d (%+v)", st.Fallback, 2*8, st)
	}
	fast, sdk := auditWithoutTimes(t, p.fastAudit), auditWithoutTimes(t, p.sdkAudit)
	if len(fast) != len(sdk) || len(fast) < 30 {
		t.Fatalf("audit: %d records on the fast path, %d on the SDK", len(fast), len(sdk))
	}
	for i := range fast {
		if fast[i] != sdk[i] {
			t.Errorf("audit record %d:\nfast path %+v\n      SDK %+v", i, fast[i], sdk[i])
		}
	}
}

// goClient connects the go-sdk client to srv over OS pipes, the server's
// output through w (if set).
func goClient(t *testing.T, srv *mcpserver.Server, w func(io.Writer) io.Writer) *mcp.ClientSession {
	t.Helper()
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var sw io.Writer = outW
	if w != nil {
		sw = w(outW)
	}
	done := make(chan error, 1)
	go func() {
		done <- srv.ServeIO(context.Background(), inR, sw)
		outW.Close()
	}()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "nbasim-test", Version: "1"}, nil).
		Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		if err := <-done; err != nil {
			t.Logf("session: %v", err)
		}
	})
	return cs
}

// TestFastPathGoClient: a go-sdk client session's box_score calls go
// through the fast path (and its other requests through the SDK), with
// the right boxes and an audit record each naming the client.
func TestFastPathGoClient(t *testing.T) {
	p := newFastPair(t)
	cs := goClient(t, p.fast, nil)
	checkTools(t, cs)
	const n = 30
	for i := range n {
		out, r := call(t, cs, "box_score", map[string]any{"game_id": p.gameID, "elapsed_seconds": 100 * i})
		if r.IsError || out["game_id"] != p.gameID || len(out["players"].([]any)) < 10 {
			t.Fatalf("call %d: %s %v", i, errText(r), out)
		}
	}
	// the final buzzer of regulation: tied at 113 (overtime followed)
	out, _ := call(t, cs, "box_score", map[string]any{"game_id": p.gameID, "elapsed_seconds": 2880})
	if out["home"].([]any)[5] != out["away"].([]any)[5] {
		t.Errorf("end of regulation: %v %v", out["home"], out["away"])
	}
	_, r := call(t, cs, "box_score", map[string]any{"game_id": "0029900001", "moment": "Q1 1:00"})
	if !r.IsError || !strings.Contains(errText(r), "not found") {
		t.Errorf("unknown game: %v %s", r.IsError, errText(r))
	}
	st := p.fast.FastPathStats()
	if st.Answered != n+1 || st.Fallback != 1 || st.PassedOn < 3 {
		t.Errorf("fast path: %+v; want %d answered, 1 fallback, discover, tools/list and the unknown game passed on", st, n+1)
	}
	recs := auditWithoutTimes(t, p.fastAudit)
	if len(recs) != n+2 {
		t.Fatalf("%d audit records, want %d", len(recs), n+2)
	}
	for i, rec := range recs {
		if rec.Tool != "box_score" || rec.Client != "nbasim-test/1" || rec.ArgsBytes == 0 || (i < n+1 && (rec.Error != "" || rec.Rows < 10)) {
			t.Errorf("audit record %d: %+v", i, rec)
		}
	}
}

// lineWriter fails the test when two writes overlap or a write is not
// exactly one JSON-RPC message line.
type lineWriter struct {
	w       io.Writer
	busy    atomic.Int32
	lines   atomic.Int64
	mu      sync.Mutex
	problem string
}

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.busy.Add(1) != 1 {
		l.fail("two writes at once")
	}
	defer l.busy.Add(-1)
	if len(p) == 0 || p[len(p)-1] != '\n' || bytes.IndexByte(p, '\n') != len(p)-1 || !json.Valid(p) {
		l.fail(fmt.Sprintf("a write that is not one message line: %.200q", p))
	}
	l.lines.Add(1)
	return l.w.Write(p)
}

func (l *lineWriter) fail(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.problem == "" {
		l.problem = s
	}
}

// TestFastPathConcurrentWrites: concurrent box_score calls (the fast
// path's writes) among tools/list and failing calls (the SDK's) never
// share a line of stdout: every write is one whole message, none overlaps
// another (run with -race).
func TestFastPathConcurrentWrites(t *testing.T) {
	p := newFastPair(t)
	lw := &lineWriter{}
	cs := goClient(t, p.fast, func(w io.Writer) io.Writer { lw.w = w; return lw })
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 8 {
		wg.Go(func() {
			for i := range 15 {
				var err error
				switch i % 5 {
				case 3:
					_, err = cs.ListTools(ctx, nil)
				case 4:
					var r *mcp.CallToolResult
					r, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "box_score", Arguments: map[string]any{"game_id": p.gameID, "moment": "Q9 1:00"}})
					if err == nil && !r.IsError {
						err = fmt.Errorf("Q9: no error")
					}
				default:
					var r *mcp.CallToolResult
					r, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "box_score", Arguments: map[string]any{"game_id": p.gameID, "elapsed_seconds": 37*g + i}})
					if err == nil && r.IsError {
						err = fmt.Errorf("%s", errText(r))
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.problem != "" {
		t.Fatal(lw.problem)
	}
	if st := p.fast.FastPathStats(); st.Answered != 8*9 || lw.lines.Load() < 8*15 {
		t.Errorf("fast path %+v, %d lines written; want %d answered of %d", st, lw.lines.Load(), 8*9, 8*15)
	}
}

// allocsPerCall is the heap bytes allocated per box_score call of a raw
// session with srv (the client reads lines into a reused buffer).
func allocsPerCall(t testing.TB, srv *mcpserver.Server, gameID string, calls int) float64 {
	s := serveRaw(t, srv, nil)
	s.send(t, discover, true)
	line := func(i int) string {
		return boxCall(fmt.Sprint(i+2), newMeta, fmt.Sprintf(`{"elapsed_seconds":%d,"game_id":"%s"}`, i%2880, gameID))
	}
	for i := range 20 { // warm: the compiled game, the pools
		s.send(t, line(i), true)
	}
	lines := make([][]byte, calls)
	for i := range lines {
		lines[i] = []byte(line(i) + "\n")
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for _, l := range lines {
		if _, err := s.in.Write(l); err != nil {
			t.Fatal(err)
		}
		if _, err := s.out.ReadSlice('\n'); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&m1)
	return float64(m1.TotalAlloc-m0.TotalAlloc) / float64(calls)
}

// TestFastPathAllocates: a box_score call through the fast path allocates
// a few kB, an eighth at most of what it does through the SDK (whose
// decoder takes a fresh 32 kB buffer each of the several times it reads a
// request).
func TestFastPathAllocates(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	p := newFastPair(t)
	fast := allocsPerCall(t, p.fast, p.gameID, 300)
	sdk := allocsPerCall(t, p.sdk, p.gameID, 300)
	t.Logf("heap per box_score call: fast path %.1f kB, SDK %.1f kB", fast/1000, sdk/1000)
	if fast > sdk/8 || fast > 32_000 {
		t.Errorf("fast path allocates %.1f kB a call (the SDK %.1f kB): want an eighth of the SDK's at most, and under 32 kB", fast/1000, sdk/1000)
	}
}

// BenchmarkFastPathBoxScore: one box_score call (a cached game) over an
// in-process stdio session, with and without the fast path.
func BenchmarkFastPathBoxScore(b *testing.B) {
	for _, mode := range []string{"fast", "sdk"} {
		b.Run(mode, func(b *testing.B) {
			p := newFastPair(b)
			srv := p.fast
			if mode == "sdk" {
				srv = p.sdk
			}
			s := serveRaw(b, srv, nil)
			s.send(b, discover, true)
			lines := make([][]byte, 2880)
			for i := range lines {
				lines[i] = []byte(boxCall(fmt.Sprint(i+2), newMeta, fmt.Sprintf(`{"elapsed_seconds":%d,"game_id":"%s"}`, i, p.gameID)) + "\n")
			}
			s.send(b, string(lines[0][:len(lines[0])-1]), true)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.in.Write(lines[i%len(lines)]); err != nil {
					b.Fatal(err)
				}
				if _, err := s.out.ReadSlice('\n'); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFastPathSessionEnds: a session ends when stdin ends, after the fast
// path's calls in flight are answered (a client may send its last call and
// close stdin at once; the SDK's own answers in flight at that moment may
// be lost, as without the fast path), and when its context ends.
func TestFastPathSessionEnds(t *testing.T) {
	p := newFastPair(t)
	last := boxCall("3", newMeta, `{"game_id":"`+p.gameID+`","elapsed_seconds":1000}`)
	failing := boxCall("4", newMeta, `{"game_id":"`+p.gameID+`","moment":"Q9 1:00"}`)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- p.fast.ServeIO(context.Background(), inR, outW)
		outW.Close()
	}()
	r := bufio.NewReaderSize(outR, 1<<20)
	if _, err := io.WriteString(inW, discover+"\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(inW, last+"\n"+failing+"\n"); err != nil {
		t.Fatal(err)
	}
	inW.Close()
	var got []string
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			break
		}
		got = append(got, l)
	}
	if err := <-done; err != nil {
		t.Fatalf("session: %v", err)
	}
	if all := strings.Join(got, ""); !strings.Contains(all, `"id":3,"result":{"_meta"`) {
		t.Errorf("the fast path's answer is lost when stdin ends: %d lines\n%.2000s", len(got), all)
	}
	if st := p.fast.FastPathStats(); st.Answered != 1 || st.Fallback != 1 {
		t.Errorf("fast path %+v: want the call answered, the failing one handed to the SDK", st)
	}

	ctx, cancel := context.WithCancel(context.Background())
	inR, inW = io.Pipe()
	defer inW.Close()
	go func() { done <- p.fast.ServeIO(ctx, inR, io.Discard) }()
	if _, err := io.WriteString(inW, discover+"\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err == nil {
		t.Error("a cancelled session ended without an error")
	}
}
