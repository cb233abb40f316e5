// Package web is nbasim's read-only web dashboard and JSON API: `nbasim
// serve`, and the same handler inside `nbasim run --http`.
//
// The JSON API lives under /api/v1 (documented by the OpenAPI 3 file at
// /api/v1/openapi.json); the pages (overview, games, a game, a player, data
// quality) are HTML shells with embedded JavaScript, CSS and no third-party
// code that call that API. Every database read goes through package
// readonly, so the server holds no writable handle and has no write path.
// Compiled games are kept in a gamecache.Cache: a box at a moment costs a
// fold, not a database read plus a compile.
//
// Security: the handler sets a strict Content-Security-Policy (no inline
// scripts, frame-ancestors 'none'), nosniff, no CORS headers for any
// origin; with a token it requires "Authorization: Bearer TOKEN" or the
// session cookie a one-time login URL sets (see Auth).
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/httpserve"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/store"
)

// Options configure a server.
type Options struct {
	DB *readonly.DB // required: the database, opened read-only
	// Games is where compiled games come from; nil makes a Source on DB
	// with Cache and Overrides.
	Games *gamecache.Source
	// Cache holds compiled games when Games is nil; nil makes a private
	// one of gamecache.DefaultCapacity games.
	Cache *gamecache.Cache
	// Overrides are the play-by-play corrections games are compiled with
	// when Games is nil (nil: the embedded defaults).
	Overrides *pbp.Overrides
	// Auth, when not nil, protects every route (see Auth).
	Auth    *Auth
	Logger  *slog.Logger
	Version string
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// Server is the dashboard and API.
type Server struct {
	db    *readonly.DB
	q     store.Querier
	games *gamecache.Source
	// folds is where a box at a moment, at the end or over a window gets
	// its game: only folded, compiled without its events
	// (gamecache.SourceOptions.FoldOnly), ~50 kB and nearly free of
	// pointers instead of ~230 kB, so that a cache full of the slider's
	// games costs the garbage collector next to nothing to mark. It
	// shares games' cache (and its revalidation); games serves what reads
	// the events (a box after an event number, the score flow, a game's
	// page).
	folds   *gamecache.Source
	cache   *gamecache.Cache
	auth    *Auth
	log     *slog.Logger
	version string
	now     func() time.Time
	mux     *http.ServeMux
	players *playerIndex
	headers fixedHeaders
}

// headerValue is a response header whose value is the same on every
// response: set by assigning the one slice (never modified; net/http copies
// a response's headers when it writes them), not by a Header.Set that
// allocates a slice per response.
type headerValue struct {
	key   string // canonical
	value []string
}

// fixedHeaders are the headers every response, and every JSON answer, gets.
type fixedHeaders struct {
	security []headerValue
	json     []headerValue
}

func newFixedHeaders() fixedHeaders {
	kv := func(pairs ...string) []headerValue {
		var out []headerValue
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, headerValue{key: http.CanonicalHeaderKey(pairs[i]), value: []string{pairs[i+1]}})
		}
		return out
	}
	return fixedHeaders{
		security: kv(
			"Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
			"X-Content-Type-Options", "nosniff",
			"X-Frame-Options", "DENY",
			"Referrer-Policy", "no-referrer",
			"Cross-Origin-Opener-Policy", "same-origin",
			"Cross-Origin-Resource-Policy", "same-origin",
			"Vary", "Origin"),
		json: kv("Content-Type", "application/json", "Cache-Control", "no-store"),
	}
}

// NewServer returns the dashboard and API as one http.Handler. The
// handler is safe for concurrent use; mount it at "/" (it owns /api/v1/,
// /static/, the page paths, /healthz and /login).
//
// `nbasim run --http ADDR` mounts it the same way `nbasim serve` does:
//
//	h, err := web.NewServer(web.Options{DB: roDB, Cache: cache, Auth: auth, Logger: log})
//	...
//	err = web.ListenAndServe(ctx, addr, h, ready)
func NewServer(o Options) (http.Handler, error) {
	s, err := New(o)
	if err != nil {
		return nil, err
	}
	return s.Handler(), nil
}

// New returns the server; Handler is what to serve.
func New(o Options) (*Server, error) {
	if o.DB == nil {
		return nil, errors.New("web: no database")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	q := readonly.Querier(o.DB)
	folds := o.Games
	if o.Games == nil {
		g, err := gamecache.NewSource(gamecache.SourceOptions{Querier: q, Cache: o.Cache, Overrides: o.Overrides})
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		o.Games = g
		if folds, err = gamecache.NewSource(gamecache.SourceOptions{Querier: q, Cache: g.Cache(), Overrides: g.Overrides(), FoldOnly: true}); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	s := &Server{db: o.DB, q: q, games: o.Games, folds: folds, cache: o.Games.Cache(), auth: o.Auth,
		log: o.Logger, version: o.Version, now: o.Now, mux: http.NewServeMux(), headers: newFixedHeaders()}
	s.players = &playerIndex{}
	s.routes()
	return s, nil
}

// Watch drops reloaded games from the compiled-game cache until ctx ends
// (gamecache.Source.Watch every interval; 0 is gamecache.DefaultRevalidate).
func (s *Server) Watch(ctx context.Context, every time.Duration) {
	s.games.Watch(ctx, every, s.log)
}

// Preload compiles the games of season ("latest": the newest season with
// play-by-play) into the cache, newest first, with workers goroutines,
// so that the season's boxes are hits from the first request; it returns
// the season and how many games it cached (gamecache.Source.Preload).
func (s *Server) Preload(ctx context.Context, season string, workers int) (string, int, error) {
	if season == "latest" {
		var latest *string
		if err := s.q.QueryRow(ctx, `SELECT MAX(g.season) FROM games g WHERE EXISTS (SELECT 1 FROM plays p WHERE p.game_id = g.game_id)`).Scan(&latest); err != nil {
			return season, 0, fmt.Errorf("web: preload: latest season: %w", err)
		}
		if latest == nil {
			return season, 0, nil
		}
		season = *latest
	}
	rows, err := s.rowsOf(ctx, 100_000, `SELECT g.game_id FROM games g WHERE g.season = $1
AND EXISTS (SELECT 1 FROM plays p WHERE p.game_id = g.game_id) ORDER BY g.game_date DESC, g.game_id DESC`, season)
	if err != nil {
		return season, 0, fmt.Errorf("web: preload %s: %w", season, err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = asString(r[0])
	}
	n, err := s.folds.Preload(ctx, ids, workers) // the slider's boxes
	if err != nil {
		return season, n, fmt.Errorf("web: preload %s: %w", season, err)
	}
	return season, n, nil
}

// Handler returns the server wrapped in its middleware: recovery, logging,
// security headers, CORS refusal and authentication.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	if s.auth != nil {
		h = s.auth.wrap(h)
	}
	h = s.guard(h)
	return s.recoverer(h)
}

// guard sets the security headers of every response and refuses what a
// read-only, same-origin server never accepts: other methods than GET and
// HEAD, and cross-origin reads (no Access-Control-Allow-Origin is ever set;
// a preflight gets 403).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range s.headers.security {
			h[kv.key] = kv.value
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodOptions:
			problem(w, r, http.StatusForbidden, "cross-origin requests are not allowed", "this server answers its own pages only; it sets no CORS headers", "")
			return
		default:
			h.Set("Allow", "GET, HEAD")
			problem(w, r, http.StatusMethodNotAllowed, "read-only server", "the API has no write path: only GET and HEAD are allowed", "")
			return
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap is the response writer it wraps (for http.ResponseController).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush sends what the response writer buffers, if it can.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// recoverer turns a handler panic into a 500 problem (never a dropped
// connection) and logs every request at debug (errors at warn).
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("web: handler panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					problem(sw, r, http.StatusInternalServerError, "internal error", fmt.Sprint(p), "")
				}
			}
			lvl := slog.LevelDebug
			if sw.status >= 500 {
				lvl = slog.LevelWarn
			}
			if s.log.Enabled(r.Context(), lvl) { // the arguments cost allocations even when the level is off
				s.log.Log(r.Context(), lvl, "web: request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
					"bytes", sw.bytes, "ms", float64(time.Since(start).Microseconds())/1000)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// IsLoopback says whether a listen address (HOST:PORT) is on the loopback
// interface only.
func IsLoopback(addr string) (bool, error) { return httpserve.IsLoopback(addr) }

// CheckListenAddr refuses a non-loopback address without a token.
func CheckListenAddr(addr, token string) error {
	lo, err := IsLoopback(addr)
	if err != nil {
		return err
	}
	if !lo && token == "" {
		return fmt.Errorf("serve: %s is not a loopback address: serving other hosts needs --token (or NBASIM_WEB_TOKEN)", addr)
	}
	return nil
}

// ListenAndServe listens on addr and serves h until ctx ends, then shuts
// down gracefully (httpserve.ListenAndServe; a response must be written
// within 60 s). ready, when not nil, receives the bound address.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, ready func(net.Addr)) error {
	if err := httpserve.ListenAndServe(ctx, addr, h, httpserve.Options{WriteTimeout: 60 * time.Second}, ready); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
