package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/jsonx"
)

// The stdio fast path (docs/mcp.md, "stdio fast path").
//
// The SDK's stdio server decodes every request several times (the
// JSON-RPC message, then its params for _meta twice, then the params
// themselves) with a JSON decoder that allocates a fresh 32 KB buffer each
// time, and marshals the result twice over: ~220 KB of garbage per
// box_score call, and the garbage collections it drives are the tail of a
// session's latencies. So `nbasim mcp` reads stdin itself: a line that is
// a box_score tools/call the fast path can answer exactly as the SDK
// would is answered here (the same argument check and handler as the
// SDK's, jsonTool, the same audit record, writeAudit, and the response
// bytes the SDK writes, TestFastPathBytesEqualSDK); every other line goes
// to the SDK unchanged, through a pipe into the SDK's own newline-delimited
// transport (mcp.IOTransport), which decodes and answers it as it would
// on stdin. Both write stdout under one mutex, a line at a time.

// FastPathStats counts what the stdio fast path did.
type FastPathStats struct {
	Answered int64 // box_score calls answered by the fast path
	PassedOn int64 // lines handed to the SDK (fallbacks included)
	Fallback int64 // box_score calls the fast path tried and handed to the SDK (a tool error: the SDK answers and audits it)
}

// FastPathStats returns the stdio fast path's counters (all sessions).
func (s *Server) FastPathStats() FastPathStats {
	return FastPathStats{Answered: s.fast.answered.Load(), PassedOn: s.fast.passedOn.Load(), Fallback: s.fast.fallback.Load()}
}

type fastCounters struct{ answered, passedOn, fallback atomic.Int64 }

// maxFastLine bounds the lines the fast path reads whole; a longer line
// (no box_score call is near it) is handed to the SDK in pieces.
const maxFastLine = 64 << 10

// protocolVersion20260728 is the first protocol version whose requests
// carry their _meta (SEP-2575): their results carry the server's info.
const protocolVersion20260728 = "2026-07-28"

// ServeIO serves one client over r and w as RunStdio does over stdin and
// stdout (newline-delimited JSON-RPC), until r ends, the session closes or
// ctx ends; r is closed when it returns. Unless Options.NoFastPath, it
// answers box_score calls itself (the stdio fast path).
func (s *Server) ServeIO(ctx context.Context, r io.ReadCloser, w io.Writer) error {
	if s.opts.NoFastPath {
		return s.srv.Run(ctx, &mcp.IOTransport{Reader: r, Writer: nopCloser{w}})
	}
	pr, pw := io.Pipe()
	fp := &fastPath{s: s, ctx: ctx, out: w, toSDK: pw, versions: mcp.SupportedProtocolVersions(), serverInfo: s.serverInfo}
	ss, err := s.srv.Connect(ctx, &mcp.IOTransport{Reader: pr, Writer: sdkWriter{fp}}, nil)
	if err != nil {
		pw.Close()
		r.Close()
		return fmt.Errorf("mcp: %w", err)
	}
	fp.ss = ss
	go fp.read(r)
	done := make(chan error, 1)
	go func() { done <- ss.Wait() }()
	select {
	case <-ctx.Done():
		ss.Close()
		<-done
		err = ctx.Err()
	case err = <-done:
	}
	r.Close() // unblocks the reader (as the SDK closes stdin)
	fp.stop()
	st := s.FastPathStats()
	s.log.Info("mcp: stdio session ended", "fast_path_answered", st.Answered, "passed_to_sdk", st.PassedOn, "fast_path_fallbacks", st.Fallback)
	return err
}

// fastPath is one stdio session's reader: the fast path's answers and the
// pipe of every other line to the SDK.
type fastPath struct {
	s          *Server
	ctx        context.Context
	ss         *mcp.ServerSession
	versions   []string // the protocol versions the SDK serves
	serverInfo []byte   // the server's mcp.Implementation as the SDK writes it in a result's _meta

	wmu sync.Mutex // one line at a time on out: the SDK's writes and the fast path's
	out io.Writer

	pmu   sync.Mutex // one line at a time into the SDK's pipe
	toSDK *io.PipeWriter

	// broken: a line handed to the SDK was not one whole JSON value (a
	// message over several lines, or several on one): the SDK's decoder
	// frames the stream by values, not lines, so from then on it gets
	// every line.
	broken bool
	// the _meta last checked (the go-sdk client sends the same one on
	// every request) and the protocol version it names, "" if the fast
	// path does not answer requests with it
	meta        []byte
	metaVersion string

	mu       sync.Mutex
	stopped  bool
	inFlight sync.WaitGroup
	calls    sync.Pool // *fastCall, reused from call to call
}

// sdkWriter is the SDK transport's writer: stdout under the write mutex
// (the SDK writes each message with one Write).
type sdkWriter struct{ fp *fastPath }

func (w sdkWriter) Write(p []byte) (int, error) {
	w.fp.wmu.Lock()
	defer w.fp.wmu.Unlock()
	return w.fp.out.Write(p)
}

func (sdkWriter) Close() error { return nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// read reads r's lines until it ends: a box_score call the fast path takes
// runs on its own goroutine (the SDK too answers calls concurrently);
// every other line goes to the SDK. At the end of r the SDK's pipe ends
// too.
func (fp *fastPath) read(r io.Reader) {
	br := bufio.NewReaderSize(r, maxFastLine)
	var long []byte // a line longer than the reader's buffer, bounded by the SDK's frame limit
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(line) > mcp.DefaultMaxLineLength {
				// the SDK refuses the frame: hand it over as it comes
				fp.broken = true
				if err := fp.passLine(long, line); err != nil {
					return
				}
				long = long[:0]
				continue
			}
			long = append(long, line...)
			continue
		}
		whole := len(long) > 0
		if whole {
			long = append(long, line...)
			line, long = long, long[:0]
		}
		if len(line) > 0 {
			if err := fp.handle(line); err != nil {
				return
			}
		}
		if whole && cap(long) > 1<<20 {
			long = nil // keep no huge buffer after a huge line
		}
		if err != nil {
			// the calls in flight may yet hand theirs to the SDK
			fp.inFlight.Wait()
			fp.toSDK.CloseWithError(err)
			return
		}
	}
}

// handle takes a line (with its newline, if it had one): the fast path's
// call or the SDK's.
func (fp *fastPath) handle(line []byte) error {
	if !fp.broken && line[len(line)-1] == '\n' {
		if c, ok := fp.candidate(line); ok {
			fp.mu.Lock()
			stopped := fp.stopped
			if !stopped {
				fp.inFlight.Add(1)
			}
			fp.mu.Unlock()
			if !stopped {
				req := fp.newCall(line, c)
				go fp.answer(req)
				return nil
			}
		}
	}
	if !fp.broken && !wholeValue(line) {
		fp.broken = true
	}
	return fp.passLine(nil, line)
}

// passLine hands a line (head and tail) to the SDK.
func (fp *fastPath) passLine(head, tail []byte) error {
	fp.s.fast.passedOn.Add(1)
	fp.pmu.Lock()
	defer fp.pmu.Unlock()
	if len(head) > 0 {
		if _, err := fp.toSDK.Write(head); err != nil {
			return err
		}
	}
	_, err := fp.toSDK.Write(tail)
	return err
}

// stop waits for the fast path's calls in flight; none starts after it.
func (fp *fastPath) stop() {
	fp.mu.Lock()
	fp.stopped = true
	fp.mu.Unlock()
	fp.inFlight.Wait()
	fp.toSDK.Close()
}

// wholeValue says whether a line handed to the SDK leaves its decoder
// between two values: blank, or one JSON value and its newline.
func wholeValue(line []byte) bool {
	return len(bytes.TrimSpace(line)) == 0 || json.Valid(line)
}

// callLine is where a box_score call's parts are in its line.
type callLine struct {
	id, args []byte // the raw id (a number or a string) and arguments (an object)
	annotate bool   // the request is of the 2026-07-28 protocol: the result carries the server's info
	complete bool   // the session's protocol version is 2026-07-28 or later: the result says "resultType":"complete"
}

// candidate says whether the fast path answers this line: a box_score
// tools/call in the form the SDK's clients write it (no whitespace, each
// known key once, no other), an id the SDK writes back unchanged, a
// session the SDK initialized, and a _meta, if any, of the session's
// protocol version with nothing but the protocol version, client info
// and client capabilities. Anything else the SDK answers.
func (fp *fastPath) candidate(line []byte) (c callLine, ok bool) {
	b := line[:len(line)-1]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	if len(b) < 2 || b[0] != '{' || !bytes.Contains(b, []byte(`"box_score"`)) {
		return c, false
	}
	ip := fp.ss.InitializeParams()
	if ip == nil {
		return c, false // the SDK initializes the session (or refuses the call)
	}
	var (
		meta            []byte
		seen, paramSeen uint8
	)
	ok = eachMember(b, func(key, val []byte) bool {
		switch string(key) {
		case "jsonrpc":
			seen |= 1
			return string(val) == `"2.0"`
		case "id":
			seen |= 2
			c.id = val
			return plainID(val)
		case "method":
			seen |= 4
			return string(val) == `"tools/call"`
		case "params":
			seen |= 8
			return eachMember(val, func(key, val []byte) bool {
				switch string(key) {
				case "_meta":
					paramSeen |= 1
					meta = val
					return len(val) > 0 && val[0] == '{'
				case "name":
					paramSeen |= 2
					return string(val) == `"box_score"`
				case "arguments":
					paramSeen |= 4
					c.args = val
					return len(val) > 0 && val[0] == '{'
				}
				return false
			})
		}
		return false
	})
	if !ok || seen != 15 || paramSeen&6 != 6 || !utf8.Valid(b) || !json.Valid(b) {
		return c, false
	}
	c.complete = ip.ProtocolVersion >= protocolVersion20260728
	if meta == nil {
		return c, true
	}
	v := fp.metaVersion
	if !bytes.Equal(meta, fp.meta) {
		v = fp.checkMeta(meta)
		fp.meta, fp.metaVersion = append(fp.meta[:0], meta...), v
	}
	if v == "" || v != ip.ProtocolVersion {
		return c, false
	}
	c.annotate = true
	return c, true
}

// checkMeta returns the protocol version of a request's _meta if the SDK
// takes the request as one of that version with no other effect: the
// protocol version (2026-07-28 or later, one the SDK serves), client
// capabilities and, optionally, client info, which decode into the SDK's
// types, and no other key (a progress token, a log level: the SDK's).
func (fp *fastPath) checkMeta(meta []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(meta, &m) != nil {
		return ""
	}
	var version string
	for k, v := range m {
		var err error
		switch k {
		case "io.modelcontextprotocol/protocolVersion":
			err = json.Unmarshal(v, &version)
		case "io.modelcontextprotocol/clientInfo":
			var info mcp.Implementation
			err = decodeObject(v, &info)
		case "io.modelcontextprotocol/clientCapabilities":
			// the SDK's clientCapabilitiesV2
			var caps struct {
				mcp.ClientCapabilities
				//lint:ignore SA1019 the SDK's own type has it (roots are deprecated, not gone)
				Roots *mcp.RootCapabilities `json:"roots,omitempty"`
			}
			err = decodeObject(v, &caps)
		default:
			return ""
		}
		if err != nil {
			return ""
		}
	}
	if _, ok := m["io.modelcontextprotocol/clientCapabilities"]; !ok ||
		version < protocolVersion20260728 || !slices.Contains(fp.versions, version) {
		return ""
	}
	return version
}

// decodeObject decodes a JSON object (not null) into v.
func decodeObject(raw json.RawMessage, v any) error {
	if len(raw) == 0 || raw[0] != '{' {
		return errors.New("not an object")
	}
	return json.Unmarshal(raw, v)
}

// plainID says whether the SDK writes the id back as it came: an integer
// it reads exactly (it reads numbers as float64 and writes them as
// int64), or a string of printable ASCII without escapes.
func plainID(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	if v[0] == '"' {
		if len(v) < 2 || v[len(v)-1] != '"' {
			return false
		}
		for _, ch := range v[1 : len(v)-1] {
			if ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\' {
				return false
			}
		}
		return true
	}
	d := v
	if d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 15 || (d[0] == '0' && len(v) > 1) {
		return false // "-0" reads as 0
	}
	for _, ch := range d {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}

// eachMember calls f with each member of the JSON object b (no whitespace
// outside strings, keys without escapes) until it returns false; false if
// b is not such an object, a key repeats or f said no. Values are not
// checked (the caller checks the line with json.Valid).
func eachMember(b []byte, f func(key, val []byte) bool) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	if len(b) == 2 {
		return true
	}
	var keys [8][]byte
	n := 0
	i := 1
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		end := bytes.IndexByte(b[i+1:], '"')
		if end < 0 {
			return false
		}
		key := b[i+1 : i+1+end]
		if bytes.IndexByte(key, '\\') >= 0 || n == len(keys) {
			return false
		}
		for _, k := range keys[:n] {
			if bytes.Equal(k, key) {
				return false
			}
		}
		keys[n] = key
		n++
		i += end + 2
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i++
		j, ok := skipValue(b, i)
		if !ok || !f(key, b[i:j]) {
			return false
		}
		i = j
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			return i == len(b)-1
		default:
			return false
		}
	}
}

// skipValue returns the end of the JSON value at b[i:]: a string with its
// escapes, an object or an array to its closing bracket, any other value
// to the next ',', '}' or ']'; whitespace outside strings is refused.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		j := skipString(b, i)
		return j, j > 0
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				j := skipString(b, i)
				if j < 0 {
					return 0, false
				}
				i = j
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			case ' ', '\t', '\r', '\n':
				return 0, false
			}
			i++
		}
		return 0, false
	}
	for j := i; j < len(b); j++ {
		switch b[j] {
		case ',', '}', ']':
			return j, j > i
		case ' ', '\t', '\r', '\n':
			return 0, false
		}
	}
	return len(b), true
}

// skipString returns the end of the JSON string at b[i] (its opening
// quote), -1 if it has none.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// fastCall is a call the fast path took: its line, copied out of the
// reader's buffer, and where its parts are.
type fastCall struct {
	line []byte
	c    callLine
	out  []byte // the response
}

// newCall copies a call's line out of the reader's buffer, into a
// fastCall of the session's pool.
func (fp *fastPath) newCall(line []byte, c callLine) *fastCall {
	fc, _ := fp.calls.Get().(*fastCall)
	if fc == nil {
		fc = new(fastCall)
	}
	fc.line = append(fc.line[:0], line...)
	rebase := func(p []byte) []byte {
		off := cap(line) - cap(p) // p is line[off:off+len(p)]
		return fc.line[off : off+len(p)]
	}
	c.id, c.args = rebase(c.id), rebase(c.args)
	fc.c = c
	return fc
}

// answer answers a call the fast path took, or hands it to the SDK: the
// arguments the input schema refuses, the handler's errors and a box with
// what the SDK would escape differently are the SDK's to answer (and
// audit).
func (fp *fastPath) answer(fc *fastCall) {
	defer fp.inFlight.Done()
	defer fp.calls.Put(fc)
	ctx := fp.ctx
	in, err := fp.s.box.input(fc.c.args)
	if err != nil {
		fp.fallback(fc)
		return
	}
	req := &mcp.CallToolRequest{Session: fp.ss, Params: &mcp.CallToolParamsRaw{Name: "box_score", Arguments: fc.c.args}}
	var a auditCall
	if fp.s.opts.Audit != nil {
		ctx, a = startAudit(ctx)
	}
	b, err := fp.s.box.h(ctx, req, in)
	if err != nil || escapedDifferently(b) {
		fp.fallback(fc)
		return
	}
	if fp.s.opts.Audit != nil {
		fp.s.writeAudit(a, req, nil, nil)
	}
	fc.out = appendResponse(fc.out[:0], fc.c, fp.serverInfo, b)
	fp.s.fast.answered.Add(1)
	fp.wmu.Lock()
	_, err = fp.out.Write(fc.out)
	fp.wmu.Unlock()
	if err != nil {
		fp.s.log.Debug("mcp: stdio fast path: write", "err", err)
	}
}

// fallback hands a call the fast path took to the SDK.
func (fp *fastPath) fallback(fc *fastCall) {
	fp.s.fast.fallback.Add(1)
	if err := fp.passLine(nil, fc.line); err != nil {
		fp.s.log.Debug("mcp: stdio fast path: hand to the SDK", "err", err)
	}
}

// escapedDifferently says whether the box holds what encoding/json would
// escape (its writer already escapes all of it: never, in practice).
func escapedDifferently(b []byte) bool {
	return bytes.ContainsAny(b, "<>&\u2028\u2029")
}

// appendResponse appends the JSON-RPC response line the SDK writes for a
// box_score call answered with the box b: the SDK's jsonrpc2 envelope, and
// the mcp.CallToolResult its tool handler (jsonTool.call) makes, marshaled
// by CallToolResult.MarshalJSON (HTML escaping: jsonx.AppendString): the
// server's info in _meta for a 2026-07-28 request, the box as the text
// content and as the structured content, "resultType":"complete" for a
// 2026-07-28 session (TestFastPathBytesEqualSDK).
func appendResponse(dst []byte, c callLine, serverInfo, b []byte) []byte {
	dst = append(dst, `{"jsonrpc":"2.0","id":`...)
	dst = append(dst, c.id...)
	dst = append(dst, `,"result":{`...)
	if c.annotate {
		dst = append(dst, `"_meta":{"io.modelcontextprotocol/serverInfo":`...)
		dst = append(dst, serverInfo...)
		dst = append(dst, "},"...)
	}
	dst = append(dst, `"content":[{"type":"text","text":`...)
	// b as a string without a copy: it does not change while it is read
	dst = jsonx.AppendString(dst, unsafe.String(unsafe.SliceData(b), len(b)))
	dst = append(dst, `}],"structuredContent":`...)
	dst = append(dst, b...)
	if c.complete {
		dst = append(dst, `,"resultType":"complete"`...)
	}
	return append(dst, "}}\n"...)
}
