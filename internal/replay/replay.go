// Package replay is a local HTTP server that answers with recorded provider
// responses at their real URL paths and query strings, for tests and demos.
//
// It reads a directory laid out like ../shared/data: nba_stats/index.tsv and
// URLS.tsv map each recorded file to the URL it answers. One server answers
// for every host: a request names its host either by a path prefix
// (http://127.0.0.1:8080/stats.nba.com/stats/playbyplayv2?GameID=...) or by
// its Host header. Collectors point their base URLs at the prefix form:
//
//	nba_stats  http://ADDR/stats.nba.com/stats/
//	nba_live   http://ADDR/cdn.nba.com/
//	espn       http://ADDR/site.api.espn.com/apis/site/v2/sports/basketball/nba/
//	bbref      http://ADDR/www.basketball-reference.com/
//
// Matching, in order: the exact path and query (parameters sorted); then a
// recording on the same path whose parameters are all in the request with
// equal values (ESPN: "match on path + the listed parameters"); then, for
// stats.nba.com, the same endpoint (case-insensitive) and GameID, the
// recording agreeing on most parameters. Gzipped recordings (.html.gz) are
// sent with Content-Encoding: gzip to clients that accept it and decoded
// otherwise; Recording returns the decoded bytes.
//
// Every request is logged with its time (Log, and optionally a file), and
// faults are injected on demand (Inject) or at a rate (SetFaults): 429 with
// Retry-After, 500, hangs, slow bodies, truncated bodies, HTML error pages
// with status 200, and connection resets.
package replay

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/archive"
)

// Entry is one recorded response.
type Entry struct {
	Host  string     // stats.nba.com, cdn.nba.com, ...
	Path  string     // URL path, e.g. /stats/playbyplayv2
	Query url.Values // recorded query
	File  string     // path relative to the data directory ("" for archive members)
	// Member is the archive and member name of an entry read from a tar.gz.
	Member string

	gz   []byte // gzip of the body, for archive members and .gz files
	size int64
}

// URL is the real URL the entry answers.
func (e *Entry) URL() string {
	u := url.URL{Scheme: "https", Host: e.Host, Path: e.Path, RawQuery: e.Query.Encode()}
	return u.String()
}

// Name is how the entry is named in logs: its file or archive member.
func (e *Entry) Name() string {
	if e.File != "" {
		return e.File
	}
	return e.Member
}

// Fault is a kind of injected failure.
type Fault string

// Fault kinds.
const (
	Fault429       Fault = "429"       // 429 Too Many Requests with Retry-After
	Fault500       Fault = "500"       // 500 Internal Server Error
	Fault403       Fault = "403"       // 403 Forbidden (how stats.nba.com refuses)
	FaultHang      Fault = "hang"      // no response until the client gives up (or HangFor)
	FaultSlow      Fault = "slow"      // the right body, trickled over SlowFor
	FaultTruncate  Fault = "truncate"  // the body cut short, with a Content-Length that matches the cut
	FaultErrorPage Fault = "errorpage" // an HTML error page with status 200
	FaultReset     Fault = "reset"     // the connection closed without a response
	// FaultGarble is a 200 answer that passes a collector's checks but
	// fails to parse, the same bytes every time (a poison object): each of
	// a stats.nba.com body's result sets keeps its name with one header
	// "GARBLED" and no rows (the parameters stay); any other JSON body is
	// "{}", any other body an empty HTML page. Only on demand (Stick), never
	// drawn at random.
	FaultGarble Fault = "garble"
)

// AllFaults lists every fault kind.
var AllFaults = []Fault{Fault429, Fault500, FaultHang, FaultSlow, FaultTruncate, FaultErrorPage, FaultReset}

// ParseFaults parses a comma-separated list of fault kinds ("all" for every one).
func ParseFaults(s string) ([]Fault, error) {
	if s == "" || s == "all" {
		return AllFaults, nil
	}
	var out []Fault
	for _, k := range strings.Split(s, ",") {
		f := Fault(strings.TrimSpace(k))
		ok := false
		for _, a := range append(AllFaults, Fault403, FaultGarble) {
			ok = ok || a == f
		}
		if !ok {
			return nil, fmt.Errorf("replay: unknown fault %q (want %v)", f, AllFaults)
		}
		out = append(out, f)
	}
	return out, nil
}

// Faults configures random fault injection.
type Faults struct {
	Rate       float64       // probability that a request gets a fault
	Kinds      []Fault       // drawn uniformly; empty means all
	RetryAfter time.Duration // sent with 429 (whole seconds, at least 1)
	HangFor    time.Duration // a hang ends after this (default 2 min) or when the client leaves
	SlowFor    time.Duration // a slow body takes this long (default 200 ms)
	Seed       uint64        // random seed (0: fixed default)
}

// LogEntry is one request the server received.
type LogEntry struct {
	Time       time.Time     `json:"time"` // when the request arrived
	Host       string        `json:"host"`
	Method     string        `json:"method"`
	Path       string        `json:"path"`
	Query      string        `json:"query"`
	Status     int           `json:"status"`          // status sent (0: none: reset or hang)
	Fault      Fault         `json:"fault,omitempty"` // injected fault
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	File       string        `json:"file,omitempty"` // recording served
	Duration   time.Duration `json:"duration"`
}

// Server serves recordings. Create it with Load.
type Server struct {
	dir     string
	entries []*Entry
	exact   map[string]*Entry   // host + path + "?" + sorted query
	byPath  map[string][]*Entry // host + lower(path)

	scheduleUntil string // ScheduleUntil

	mu      sync.Mutex
	log     []LogEntry
	logW    io.Writer
	faults  Faults
	rng     *rand.Rand
	pending map[string][]Fault // host ("" = any) -> faults to inject next
	sticky  []sticky           // faults of every request to matching URLs
}

// sticky is a fault every request whose host, path and query contain
// match gets (Stick).
type sticky struct {
	match string
	fault Fault
}

// Options configures Load.
type Options struct {
	// Archives also serves the members of seasons/*/playbyplayv2.tar.gz as
	// stats.nba.com playbyplayv2 responses (1,204 games of 2018-19).
	Archives bool
	// LogFile, when set, receives one JSON line per request.
	LogFile io.Writer
	// ScheduleUntil, a date "2006-01-02", makes stats.nba.com leaguegamelog
	// answers (the schedule of record) list only the games played up to
	// that date, so that a season's loop has a small schedule to complete
	// (tests and campaigns at a reduced size). The answer is the recording
	// re-encoded as JSON (keys sorted) with the later rows removed.
	ScheduleUntil string
}

// Hosts the server knows, for path-prefix routing.
var knownHosts = map[string]bool{
	"stats.nba.com": true, "stats.gleague.nba.com": true, "cdn.nba.com": true, "data.nba.com": true,
	"data.wnba.com": true, "site.api.espn.com": true, "sports.core.api.espn.com": true,
	"www.basketball-reference.com": true, "www.nba.com": true,
}

// Load indexes the recordings of dir.
func Load(dir string, opts Options) (*Server, error) {
	if opts.ScheduleUntil != "" {
		if _, err := time.Parse(time.DateOnly, opts.ScheduleUntil); err != nil {
			return nil, fmt.Errorf("replay: schedule-until %q: want a date YYYY-MM-DD", opts.ScheduleUntil)
		}
	}
	s := &Server{dir: dir, exact: map[string]*Entry{}, byPath: map[string][]*Entry{}, logW: opts.LogFile,
		rng: rand.New(rand.NewPCG(1, 2)), pending: map[string][]Fault{}, scheduleUntil: opts.ScheduleUntil}
	n := 0
	for _, idx := range []string{"nba_stats/index.tsv", "URLS.tsv"} {
		c, err := s.readIndex(idx)
		if err != nil {
			return nil, err
		}
		n += c
	}
	if n == 0 {
		return nil, fmt.Errorf("replay: no recordings indexed in %s (want nba_stats/index.tsv and URLS.tsv)", dir)
	}
	if opts.Archives {
		archives, _ := filepath.Glob(filepath.Join(dir, "seasons", "*", "playbyplayv2.tar.gz"))
		for _, a := range archives {
			if err := s.loadArchive(a); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

func normQuery(q url.Values) string { return q.Encode() }

func (s *Server) readIndex(name string) (int, error) {
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return 0, fmt.Errorf("replay: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line, n := 0, 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue // header
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			return n, fmt.Errorf("replay: %s line %d: want path, method, uri", name, line)
		}
		if cols[1] != http.MethodGet {
			continue
		}
		u, err := url.Parse(cols[2])
		if err != nil {
			return n, fmt.Errorf("replay: %s line %d: uri %q: %w", name, line, cols[2], err)
		}
		e := &Entry{Host: u.Host, Path: u.Path, Query: u.Query(), File: cols[0]}
		s.add(e)
		n++
	}
	return n, sc.Err()
}

// add indexes e. When several recordings answer the same URL, the one with
// the plainest file name wins (0021600270.json over
// 0021600270.original.json, NBA_2019_games-april.html over its .fullpage.html).
func (s *Server) add(e *Entry) {
	s.entries = append(s.entries, e)
	k := e.Host + e.Path + "?" + normQuery(e.Query)
	if old, ok := s.exact[k]; !ok || plainer(e, old) {
		s.exact[k] = e
	}
	pk := e.Host + strings.ToLower(e.Path)
	s.byPath[pk] = append(s.byPath[pk], e)
	sort.SliceStable(s.byPath[pk], func(i, j int) bool { return plainer(s.byPath[pk][i], s.byPath[pk][j]) })
}

func plainer(a, b *Entry) bool {
	da, db := strings.Count(filepath.Base(a.Name()), "."), strings.Count(filepath.Base(b.Name()), ".")
	if da != db {
		return da < db
	}
	if a.File != "" && b.File == "" { // files over archive members
		return true
	}
	return len(a.Name()) < len(b.Name())
}

func (s *Server) loadArchive(path string) error {
	rel, _ := filepath.Rel(s.dir, path)
	err := archive.Walk(context.Background(), path, archive.Options{}, func(m *archive.Member) error {
		id, ok := strings.CutSuffix(filepath.Base(m.Name), ".json")
		if !ok || m.GameID != id {
			return nil
		}
		q := url.Values{"GameID": {id}, "StartPeriod": {"0"}, "EndPeriod": {"10"}}
		k := "stats.nba.com/stats/playbyplayv2?" + normQuery(q)
		if _, dup := s.exact[k]; dup {
			return nil // the file in nba_stats/playbyplayv2 wins
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		if _, err := zw.Write(m.Data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		s.add(&Entry{Host: "stats.nba.com", Path: "/stats/playbyplayv2", Query: q, Member: rel + ":" + m.Name, gz: buf.Bytes(), size: int64(len(m.Data))})
		return nil
	})
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	return nil
}

// Entries returns every indexed recording.
func (s *Server) Entries() []*Entry { return append([]*Entry(nil), s.entries...) }

// Lookup returns the recording that answers host, path and query.
func (s *Server) Lookup(host, path string, q url.Values) (*Entry, bool) {
	if e, ok := s.exact[host+path+"?"+normQuery(q)]; ok {
		return e, true
	}
	cands := s.byPath[host+strings.ToLower(path)]
	// Recorded parameters all present in the request with equal values.
	var best *Entry
	bestN := -1
	for _, e := range cands {
		ok := true
		for k, vs := range e.Query {
			if q.Get(k) != vs[0] {
				ok = false
				break
			}
		}
		if ok && len(e.Query) > bestN {
			best, bestN = e, len(e.Query)
		}
	}
	if best != nil {
		return best, true
	}
	// stats.nba.com per-game endpoints: endpoint + GameID.
	if gid := q.Get("GameID"); gid != "" && strings.HasPrefix(host, "stats.") {
		bestScore := -1 << 30
		for _, e := range cands {
			if e.Query.Get("GameID") != gid {
				continue
			}
			score := 0
			// A full-game request gets the game's main recording
			// (<endpoint>/<GameID>.json), not a time-window one.
			if sr := q.Get("StartRange"); (sr == "" || sr == "0") && filepath.Base(e.Name()) == gid+".json" {
				score += 100
			}
			for k := range q {
				if e.Query.Get(k) == q.Get(k) {
					score++
				} else {
					score--
				}
			}
			if score > bestScore {
				best, bestScore = e, score
			}
		}
		if best != nil {
			return best, true
		}
	}
	return nil, false
}

// LookupURL returns the recording answering a real URL.
func (s *Server) LookupURL(raw string) (*Entry, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, false
	}
	return s.Lookup(u.Host, u.Path, u.Query())
}

// Body returns the decoded bytes of e (a schedule cut at ScheduleUntil).
func (s *Server) Body(e *Entry) ([]byte, error) {
	b, err := s.rawBody(e)
	if err != nil || !s.cutsSchedule(e) {
		return b, err
	}
	return cutSchedule(b, s.scheduleUntil, e.Name())
}

func (s *Server) rawBody(e *Entry) ([]byte, error) {
	if e.gz != nil {
		return gunzip(e.gz)
	}
	b, err := os.ReadFile(filepath.Join(s.dir, e.File))
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if strings.HasSuffix(e.File, ".gz") {
		return gunzip(b)
	}
	return b, nil
}

// cutsSchedule says whether e is a schedule that ScheduleUntil cuts.
func (s *Server) cutsSchedule(e *Entry) bool {
	return s.scheduleUntil != "" && strings.HasPrefix(e.Host, "stats.") && strings.EqualFold(e.Path, "/stats/leaguegamelog")
}

// cutSchedule keeps the rows of every result set of a stats.nba.com
// payload whose GAME_DATE is on or before until.
func cutSchedule(b []byte, until, name string) ([]byte, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("replay: cut schedule %s: %w", name, err)
	}
	sets, _ := doc["resultSets"].([]any)
	for _, set := range sets {
		m, _ := set.(map[string]any)
		hdr, _ := m["headers"].([]any)
		col := -1
		for i, h := range hdr {
			if h == "GAME_DATE" {
				col = i
			}
		}
		if col < 0 {
			continue
		}
		rows, _ := m["rowSet"].([]any)
		keep := []any{}
		for _, row := range rows {
			cells, _ := row.([]any)
			if col < len(cells) {
				if d, _ := cells[col].(string); d != "" && d[:min(len(d), 10)] <= until {
					keep = append(keep, row)
				}
			}
		}
		m["rowSet"] = keep
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("replay: cut schedule %s: %w", name, err)
	}
	return out, nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("replay: gunzip: %w", err)
	}
	return io.ReadAll(zr)
}

// gzBody returns the gzip bytes of e when it is stored gzipped.
func (s *Server) gzBody(e *Entry) ([]byte, bool, error) {
	if s.cutsSchedule(e) {
		return nil, false, nil
	}
	if e.gz != nil {
		return e.gz, true, nil
	}
	if strings.HasSuffix(e.File, ".gz") {
		b, err := os.ReadFile(filepath.Join(s.dir, e.File))
		return b, err == nil, err
	}
	return nil, false, nil
}

// Recording returns the decoded recording answering a real URL.
func (s *Server) Recording(raw string) ([]byte, *Entry, error) {
	e, ok := s.LookupURL(raw)
	if !ok {
		return nil, nil, fmt.Errorf("replay: no recording answers %s", raw)
	}
	b, err := s.Body(e)
	return b, e, err
}

// withDefaults fills the durations f leaves unset: Retry-After 1 s at
// least, hangs of 2 min, slow bodies of 200 ms.
func (f Faults) withDefaults() Faults {
	if f.RetryAfter < time.Second {
		f.RetryAfter = time.Second
	}
	if f.HangFor <= 0 {
		f.HangFor = 2 * time.Minute
	}
	if f.SlowFor <= 0 {
		f.SlowFor = 200 * time.Millisecond
	}
	return f
}

// SetFaults sets random fault injection (Rate 0 turns it off).
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(f.Kinds) == 0 {
		f.Kinds = AllFaults
	}
	f = f.withDefaults()
	seed := f.Seed
	if seed == 0 {
		seed = 42
	}
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s.faults = f
}

// Inject queues faults for the next requests to host ("" for any host), in
// order, before any random fault.
func (s *Server) Inject(host string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending[host] = append(s.pending[host], faults...)
}

// Stick makes every request whose host + path + "?" + query contains
// match get fault f, before any queued or random fault: an endpoint that
// never answers (hang), a poison object (garble), a key that is always
// refused (403).
func (s *Server) Stick(match string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sticky = append(s.sticky, sticky{match: match, fault: f})
}

// Log returns a copy of the request log.
func (s *Server) Log() []LogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LogEntry(nil), s.log...)
}

// ResetLog clears the request log.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

func (s *Server) arrive(le LogEntry) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, le)
	return len(s.log) - 1
}

// fill writes what is known of a request (status, file, fault) into its
// arrival entry; entryWriter calls it when the answer starts, so a client
// that has read its answer finds its request complete in Log.
func (s *Server) fill(idx int, le LogEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setEntry(idx, le)
}

// setEntry replaces the entry idx with le (s.mu held), unless ResetLog
// cleared the log meanwhile.
func (s *Server) setEntry(idx int, le LogEntry) {
	if idx < len(s.log) && s.log[idx].Time.Equal(le.Time) && s.log[idx].Path == le.Path {
		s.log[idx] = le
	}
}

func (s *Server) complete(idx int, le LogEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setEntry(idx, le)
	if s.logW != nil {
		b, _ := json.Marshal(le)
		_, _ = s.logW.Write(append(b, '\n'))
	}
}

// pickFault returns the fault for a request to host, or "".
func (s *Server) pickFault(host, target string) (Fault, Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := Fault("")
	for _, st := range s.sticky {
		if strings.Contains(target, st.match) {
			next = st.fault
			break
		}
	}
	for _, h := range []string{host, ""} {
		if next != "" {
			break
		}
		if q := s.pending[h]; len(q) > 0 {
			s.pending[h] = q[1:]
			next = q[0]
		}
	}
	if next != "" {
		return next, s.faults.withDefaults()
	}
	if s.faults.Rate > 0 && s.rng.Float64() < s.faults.Rate {
		return s.faults.Kinds[s.rng.IntN(len(s.faults.Kinds))], s.faults
	}
	return "", s.faults
}

// route splits a request into host and path: a first path segment naming a
// known host wins, else the Host header.
func route(r *http.Request) (host, path string) {
	p := r.URL.Path
	seg, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if knownHosts[seg] {
		return seg, "/" + rest
	}
	h := r.Host
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return h, p
}

const errorPage = `<!DOCTYPE html>
<html><head><title>503 Service Temporarily Unavailable</title></head>
<body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>
`

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	host, path := route(r)
	le := LogEntry{Time: start, Host: host, Method: r.Method, Path: path, Query: r.URL.RawQuery}
	idx := s.arrive(le) // logged on arrival, filled when the answer starts, completed when the handler returns
	defer func() {
		le.Duration = time.Since(start)
		s.complete(idx, le)
	}()
	w = &entryWriter{ResponseWriter: w, fill: func() { s.fill(idx, le) }}
	if strings.HasPrefix(path, "/_replay/") && !knownHosts[host] {
		le.Status = s.control(w, r, path)
		return
	}
	e, ok := s.Lookup(host, path, r.URL.Query())
	if !ok {
		le.Status = http.StatusNotFound
		http.Error(w, "no recording for "+host+path+"?"+r.URL.RawQuery, http.StatusNotFound)
		return
	}
	le.File = e.Name()
	fault, fc := s.pickFault(host, host+path+"?"+r.URL.RawQuery)
	le.Fault = fault
	ct := "application/json; charset=utf-8"
	if strings.Contains(e.Name(), ".html") {
		ct = "text/html; charset=utf-8"
	}
	switch fault {
	case Fault429:
		secs := int((fc.RetryAfter + time.Second - 1) / time.Second)
		le.RetryAfter = time.Duration(secs) * time.Second
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		le.Status = http.StatusTooManyRequests
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
		return
	case Fault403:
		le.Status = http.StatusForbidden
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	case Fault500:
		le.Status = http.StatusInternalServerError
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	case FaultHang:
		t := time.NewTimer(fc.HangFor)
		defer t.Stop()
		select {
		case <-r.Context().Done():
		case <-t.C:
		}
		hijackClose(w)
		return
	case FaultReset:
		hijackClose(w)
		return
	case FaultErrorPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		le.Status = http.StatusOK
		_, _ = io.WriteString(w, errorPage)
		return
	}
	body, err := s.Body(e)
	if err != nil {
		le.Status = http.StatusInternalServerError
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ct)
	if fault == FaultGarble {
		body = garble(body)
	}
	if fault == FaultTruncate {
		body = body[:len(body)*6/10]
	} else if fault == "" && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if gz, ok, err := s.gzBody(e); err == nil && ok {
			w.Header().Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	le.Status = http.StatusOK
	if fault == FaultSlow {
		w.WriteHeader(http.StatusOK)
		const chunks = 8
		step := (len(body) + chunks - 1) / chunks
		for i := 0; i < len(body); i += step {
			j := min(i+step, len(body))
			if _, err := w.Write(body[i:j]); err != nil {
				return
			}
			_ = http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(fc.SlowFor / chunks):
			}
		}
		return
	}
	_, _ = w.Write(body)
}

// garble returns a body of the recording's shape that fails to parse
// (FaultGarble).
func garble(body []byte) []byte {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return []byte("<!DOCTYPE html>\n<html><head><title>garbled</title></head><body></body></html>\n")
	}
	type set struct {
		Name    string   `json:"name"`
		Headers []string `json:"headers"`
		RowSet  [][]any  `json:"rowSet"`
	}
	out := map[string]any{}
	for _, k := range []string{"resultSets", "resultSet"} {
		raw, ok := top[k]
		if !ok {
			continue
		}
		var sets []set
		if json.Unmarshal(raw, &sets) != nil {
			var one set
			if json.Unmarshal(raw, &one) != nil {
				continue
			}
			sets = []set{one}
		}
		for i := range sets {
			sets[i].Headers, sets[i].RowSet = []string{"GARBLED"}, [][]any{}
		}
		out[k] = sets
	}
	if len(out) == 0 {
		return []byte("{}")
	}
	for _, k := range []string{"resource", "parameters"} {
		if v, ok := top[k]; ok {
			out[k] = v
		}
	}
	b, _ := json.Marshal(out)
	return b
}

// entryWriter calls fill once, when the handler starts its answer (before
// the status line or the first byte), so that the request's log entry
// holds its status and file by the time the client can read the answer;
// the handler sets them before it writes. Unwrap lets
// http.ResponseController reach Flush and Hijack.
type entryWriter struct {
	http.ResponseWriter
	fill    func()
	started bool
}

func (w *entryWriter) start() {
	if !w.started {
		w.started = true
		w.fill()
	}
}

// WriteHeader fills the entry, then writes the status line.
func (w *entryWriter) WriteHeader(code int) { w.start(); w.ResponseWriter.WriteHeader(code) }

// Write fills the entry, then writes b.
func (w *entryWriter) Write(b []byte) (int, error) { w.start(); return w.ResponseWriter.Write(b) }

// Unwrap returns the server's writer.
func (w *entryWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// hijackClose closes the client connection without a response.
func hijackClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// control serves /_replay/log (GET: the request log as JSON lines) and
// /_replay/fault (POST kind=...&host=...&count=N: inject; kind=...&path=SUBSTR:
// every request to a matching URL, Stick; rate=0.2: random).
func (s *Server) control(w http.ResponseWriter, r *http.Request, path string) int {
	switch path {
	case "/_replay/log":
		w.Header().Set("Content-Type", "application/x-ndjson")
		for _, le := range s.Log() {
			b, _ := json.Marshal(le)
			_, _ = w.Write(append(b, '\n'))
		}
		return http.StatusOK
	case "/_replay/fault":
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return http.StatusMethodNotAllowed
		}
		q := r.URL.Query()
		if rs := q.Get("rate"); rs != "" {
			rate, err := strconv.ParseFloat(rs, 64)
			kinds, kerr := ParseFaults(q.Get("kinds"))
			if err != nil || kerr != nil || rate < 0 || rate > 1 {
				http.Error(w, "bad rate or kinds", http.StatusBadRequest)
				return http.StatusBadRequest
			}
			s.SetFaults(Faults{Rate: rate, Kinds: kinds})
		}
		if k := q.Get("kind"); k != "" {
			kinds, err := ParseFaults(k)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return http.StatusBadRequest
			}
			if m := q.Get("path"); m != "" {
				for _, k := range kinds {
					s.Stick(m, k)
				}
			} else {
				n, _ := strconv.Atoi(q.Get("count"))
				for i := 0; i < max(n, 1); i++ {
					s.Inject(q.Get("host"), kinds...)
				}
			}
		}
		_, _ = io.WriteString(w, "ok\n")
		return http.StatusOK
	}
	http.NotFound(w, r)
	return http.StatusNotFound
}

// BaseURLs returns the base URL of each source (nba_stats, nba_live, espn,
// bbref) on a replay server reached at root (e.g. http://127.0.0.1:8080).
func BaseURLs(root string) map[string]string {
	root = strings.TrimSuffix(root, "/")
	return map[string]string{
		"nba_stats": root + "/stats.nba.com/stats/",
		"nba_live":  root + "/cdn.nba.com/",
		"espn":      root + "/site.api.espn.com/apis/site/v2/sports/basketball/nba/",
		"bbref":     root + "/www.basketball-reference.com/",
	}
}

// RealURL turns a URL on the replay server at root back into the real URL
// it stands for (http://127.0.0.1:8080/cdn.nba.com/x -> https://cdn.nba.com/x).
func RealURL(root, u string) string {
	root = strings.TrimSuffix(root, "/") + "/"
	if rest, ok := strings.CutPrefix(u, root); ok {
		return "https://" + rest
	}
	return u
}

// ReadLog reads a request log written with Options.LogFile (one JSON
// object per line), naming the line of a bad entry.
func ReadLog(r io.Reader) ([]LogEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []LogEntry
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var le LogEntry
		if err := json.Unmarshal(sc.Bytes(), &le); err != nil {
			return nil, fmt.Errorf("replay: request log line %d: %w", line, err)
		}
		out = append(out, le)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("replay: request log: %w", err)
	}
	return out, nil
}

// HostRate is how hard one host was asked, from a request log.
type HostRate struct {
	Host     string `json:"host"`
	Requests int    `json:"requests"`
	// MaxPerWindow is the most requests in any window [t, t+window)
	// (sliding), starting at WindowStart.
	MaxPerWindow int       `json:"max_per_window"`
	WindowStart  time.Time `json:"window_start"`
	// MaxPerSecond is the most requests in one calendar second (UTC).
	MaxPerSecond int `json:"max_per_second"`
	// Faults counts the injected faults by kind.
	Faults map[Fault]int `json:"faults,omitempty"`
}

// Rates measures each host's request rate in log (arrival times), sorted
// by host. Control requests (/_replay/...) are left out.
func Rates(log []LogEntry, window time.Duration) []HostRate {
	by := map[string][]LogEntry{}
	for _, le := range log {
		if !knownHosts[le.Host] && strings.HasPrefix(le.Path, "/_replay/") {
			continue
		}
		by[le.Host] = append(by[le.Host], le)
	}
	out := make([]HostRate, 0, len(by))
	for host, es := range by {
		sort.Slice(es, func(i, j int) bool { return es[i].Time.Before(es[j].Time) })
		hr := HostRate{Host: host, Requests: len(es), Faults: map[Fault]int{}}
		j := 0
		perSec := map[int64]int{}
		for i, le := range es {
			for j < len(es) && es[j].Time.Sub(le.Time) < window {
				j++
			}
			if j-i > hr.MaxPerWindow {
				hr.MaxPerWindow, hr.WindowStart = j-i, le.Time
			}
			sec := le.Time.Unix()
			perSec[sec]++
			hr.MaxPerSecond = max(hr.MaxPerSecond, perSec[sec])
			if le.Fault != "" {
				hr.Faults[le.Fault]++
			}
		}
		if len(hr.Faults) == 0 {
			hr.Faults = nil
		}
		out = append(out, hr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}
