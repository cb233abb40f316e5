package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/httpserve"
)

// apiFunc answers one API request with a JSON-encodable value or an error.
type apiFunc func(r *http.Request) (any, error)

// releaser is an answer that holds pooled memory: release hands it back
// once the answer is written.
type releaser interface{ release() }

// apiRoute is one JSON endpoint.
type apiRoute struct {
	pattern string
	fn      apiFunc
}

// apiTable lists the JSON endpoints (all GET); openapi.json documents each.
func (s *Server) apiTable() []apiRoute {
	return []apiRoute{
		{"/api/v1/status", s.apiStatus},
		{"/api/v1/games", s.apiGames},
		{"/api/v1/games/{game_id}", s.apiGame},
		{"/api/v1/games/{game_id}/box", s.apiBox},
		{"/api/v1/games/{game_id}/stints", s.apiStints},
		{"/api/v1/games/{game_id}/scoreflow", s.apiScoreFlow},
		{"/api/v1/games/{game_id}/verification", s.apiGameVerification},
		{"/api/v1/games/{game_id}/simulate", s.apiSimulate},
		{"/api/v1/games/{game_id}/winprob", s.apiWinProb},
		{"/api/v1/players", s.apiPlayers},
		{"/api/v1/players/{player_id}", s.apiPlayer},
		{"/api/v1/coverage", s.apiCoverage},
		{"/api/v1/coverage/history", s.apiCoverageHistory},
		{"/api/v1/reconcile", s.apiReconcile},
		{"/api/v1/fetches", s.apiFetches},
		{"/api/v1/queue", s.apiQueue},
		{"/api/v1/verification", s.apiVerification},
		{"/api/v1/quarantine", s.apiQuarantine},
	}
}

// apiRoutes returns the patterns of the JSON endpoints.
func apiRoutes() []string {
	var out []string
	for _, r := range (&Server{}).apiTable() {
		out = append(out, r.pattern)
	}
	return out
}

func (s *Server) routes() {
	m := s.mux
	for _, r := range s.apiTable() {
		m.Handle("GET "+r.pattern, s.api(r.fn))
	}
	m.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, r, http.StatusNotFound, "no such endpoint", "see /api/v1/openapi.json for the endpoints", "")
	})
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	s.pageRoutes()
}

// api adapts an apiFunc: JSON on success, problem+json on error.
func (s *Server) api(fn apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if rel, ok := v.(releaser); ok {
			defer rel.release()
		}
		h := w.Header()
		for _, kv := range s.headers.json {
			h[kv.key] = kv.value
		}
		pretty := strings.Contains(r.URL.RawQuery, "pretty") && r.URL.Query().Has("pretty")
		if a, ok := v.(jsonAppender); ok && !pretty {
			bp := bufPool.Get().(*[]byte)
			buf := append(a.AppendJSON((*bp)[:0]), '\n')
			h["Content-Length"] = []string{strconv.Itoa(len(buf))}
			// the headers and the whole answer in one write to the
			// connection, not net/http's 4 KiB pieces: held while
			// net/http writes and flushes them (httpserve.Conn.Cork)
			c := httpserve.ConnOf(r.Context())
			c.Cork()
			defer c.Uncork() // if the write panicked (a no-op after the Uncork below)
			_, err := w.Write(buf)
			if f, ok := w.(http.Flusher); ok && err == nil {
				f.Flush() // what net/http still buffers, into the cork
			}
			if uerr := c.Uncork(); err == nil {
				err = uerr
			}
			if err != nil {
				s.log.Debug("web: write response", "path", r.URL.Path, "err", err)
			}
			if cap(buf) <= 1<<20 {
				*bp = buf[:0]
				bufPool.Put(bp)
			}
			return
		}
		enc := json.NewEncoder(w)
		if pretty {
			enc.SetIndent("", "  ")
		}
		if err := enc.Encode(v); err != nil {
			s.log.Warn("web: encode response", "path", r.URL.Path, "err", err)
		}
	})
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *paramError
	switch {
	case errors.As(err, &pe):
		if pe.notFound {
			problem(w, r, http.StatusNotFound, "not found", pe.Error(), pe.param)
			return
		}
		problem(w, r, http.StatusBadRequest, "invalid parameter", pe.Error(), pe.param)
	case errors.Is(err, errGameNotFound):
		problem(w, r, http.StatusNotFound, "game not found", err.Error(), "game_id")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		problem(w, r, http.StatusServiceUnavailable, "request cancelled or timed out", err.Error(), "")
	default:
		s.log.Warn("web: request failed", "path", r.URL.Path, "err", err)
		problem(w, r, http.StatusInternalServerError, "internal error", err.Error(), "")
	}
}

// tableSet returns the names of the database's tables.
func (s *Server) tableSet(ctx context.Context) (map[string]bool, error) {
	ts, err := s.db.Tables(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ts))
	for _, t := range ts {
		out[t.Name] = true
	}
	return out, nil
}

// rowsOf runs one of the server's own queries through the read-only
// handle and returns at most capRows rows. It reads through the trusted
// adapter (readonly.Querier: bounded far above any page, and an error
// rather than a silent cut when a result is larger), never with the row
// and byte caps of untrusted MCP queries.
func (s *Server) rowsOf(ctx context.Context, capRows int, query string, args ...any) ([][]any, error) {
	rows, err := s.q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		if len(out) == capRows {
			break
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// Status is the server's summary (GET /api/v1/status).
type Status struct {
	Version   string          `json:"version"`
	Dialect   string          `json:"dialect"`
	Database  string          `json:"database"`
	Tables    map[string]int  `json:"row_counts"`
	Cache     json.RawMessage `json:"game_cache"`
	ReadOnly  bool            `json:"read_only"`
	Overrides string          `json:"overrides_version"`
}

func (s *Server) apiStatus(r *http.Request) (any, error) {
	p := newParams(r, "pretty")
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	ts, err := s.tableSet(ctx)
	if err != nil {
		return nil, err
	}
	out := Status{Version: s.version, Dialect: string(s.db.Dialect()), Database: s.db.Info().Location, Tables: map[string]int{},
		ReadOnly: true, Overrides: s.games.Variant()}
	for _, t := range []string{"games", "plays", "players", "player_box", "raw_objects", "quarantine", "verify_games", "reconcile_runs"} {
		if !ts[t] {
			continue
		}
		var n int64
		if err := s.q.QueryRow(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, err
		}
		out.Tables[t] = int(n)
	}
	b, _ := json.Marshal(s.cache.Stats())
	out.Cache = b
	return out, nil
}

// scan helpers over readonly rows ([]any of JSON-able values)

func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float64:
		return int64(x)
	case float32:
		return int64(x)
	case bool:
		if x {
			return 1
		}
	case string:
		var n int64
		_, _ = fmt.Sscan(x, &n)
		return n
	case json.Number:
		n, _ := x.Int64()
		return n
	}
	return 0
}

func asFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case string:
		var f float64
		_, _ = fmt.Sscan(x, &f)
		return f
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return 0
}

// placeholders returns "$start, $start+1, ..." for n values.
func placeholders(start, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", start+i)
	}
	return b.String()
}
