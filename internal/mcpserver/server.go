// Package mcpserver is nbasim's MCP server: AI assistants query the
// database read-only, browse the lake, check health, coverage and box
// scores. It is built on the official Go SDK (modelcontextprotocol/go-sdk)
// and serves stdio and streamable HTTP.
//
// The server holds no writable handle: SQL runs through package readonly
// (the database enforces read-only), the lake is only listed and read,
// confined to its bucket and prefix, and every tool call is written to an
// audit log.
package mcpserver

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/httpserve"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/readonly"
)

// Check is one health check result.
type Check struct {
	Name   string `json:"name"`
	Status string `json:"status"` // ok, warn, fail
	Detail string `json:"detail,omitempty"`
}

// Options configure a Server.
type Options struct {
	DB *readonly.DB // required
	// Lake is the lake to browse (nil: the lake tools say none is
	// configured). LakeRoot is its local directory (file:// lakes, prefix
	// included) for the symlink check; empty for other schemes.
	Lake     *lake.Lake
	LakeRoot string
	Audit    *Audit // nil: no audit log
	Logger   *slog.Logger
	Version  string
	// Checks, when set, adds the doctor's checks to the health tool.
	Checks func(ctx context.Context) []Check
	// LakeCountCap bounds the objects the health tool counts (default 100,000).
	LakeCountCap int
	// Cache keeps compiled games for box_score at a moment (nil: an LRU of
	// DefaultCacheGames games for this server).
	Cache *gamecache.Cache
	// NoFastPath serves every stdio request through the SDK (RunStdio,
	// ServeIO): no stdio fast path for box_score calls (fastpath.go).
	NoFastPath bool
}

// DefaultCacheGames is the number of compiled games box_score keeps by
// default: more than half of the 2014-15 to 2024-25 archive (14,061
// games). They keep no events (gamecache.SourceOptions.FoldOnly): ~35 kB
// each when decoded from a fold pack (~50 kB compiled), nearly all of it
// without pointers: about 300 MB when full, less than the 1,500 games with
// their events it held before (~570 MB), and next to nothing for the
// garbage collector to mark.
const DefaultCacheGames = 8000

// Server is an MCP server over one database and lake.
type Server struct {
	opts  Options
	srv   *mcp.Server
	log   *slog.Logger
	games *gamecache.Source // compiled games (embedded overrides, names from boxes)
	meta  metaCache         // box_score's id resolution and sources per compiled game
	// scratch holds box_score's *boxScratch between calls
	scratch sync.Pool
	box     *jsonTool[BoxIn] // box_score as registered, for the stdio fast path
	fast    fastCounters     // the stdio fast path's counters
	// serverInfo is the server's mcp.Implementation as the SDK writes it
	// in a result's _meta (json.Marshal), for the stdio fast path
	serverInfo []byte
}

// New builds the server and registers its tools.
func New(opts Options) (*Server, error) {
	if opts.DB == nil {
		return nil, errors.New("mcpserver: no database")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.LakeCountCap <= 0 {
		opts.LakeCountCap = 100_000
	}
	if opts.Cache == nil {
		opts.Cache = gamecache.New(DefaultCacheGames)
	}
	// box_score's games carry names from stored boxes (the web's do not):
	// gamecache.BoxScoreOptions, the variant the loader stores fold packs
	// of (gamecache.WriteFoldPacks), so that the misses are served from them
	games, err := gamecache.NewSource(gamecache.BoxScoreOptions(readonly.Querier(opts.DB), opts.Cache))
	if err != nil {
		return nil, fmt.Errorf("mcpserver: %w", err)
	}
	s := &Server{opts: opts, log: opts.Logger, games: games}
	impl := &mcp.Implementation{Name: "nbasim", Title: "nbasim NBA data (read-only)", Version: opts.Version}
	if s.serverInfo, err = json.Marshal(impl); err != nil {
		return nil, fmt.Errorf("mcpserver: %w", err)
	}
	s.srv = mcp.NewServer(impl,
		&mcp.ServerOptions{
			Instructions: "Read-only access to nbasim's NBA database (" + string(opts.DB.Dialect()) + ") and raw-data lake. " +
				"Query the canonical views player_games and team_games (one row per player-game and team-game, " +
				"advanced stats), not player_box/team_box (every source's line); read the resource " + GuideURI +
				" or the prompt how_to_query first. describe_table documents every column; query runs one SELECT per call.",
			Capabilities: &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}, Resources: &mcp.ResourceCapabilities{}, Prompts: &mcp.PromptCapabilities{}},
			SchemaCache:  mcp.NewSchemaCache(),
		})
	s.srv.AddReceivingMiddleware(s.auditMiddleware)
	s.addTools()
	s.addGuide()
	return s, nil
}

// Watch drops reloaded games from the compiled-game cache until ctx ends
// (gamecache.Source.Watch; every 0 is gamecache.DefaultRevalidate).
func (s *Server) Watch(ctx context.Context, every time.Duration) {
	s.games.Watch(ctx, every, s.log)
}

// MCP returns the underlying SDK server.
func (s *Server) MCP() *mcp.Server { return s.srv }

// RunStdio serves one client over stdin/stdout until it disconnects or ctx
// ends (ServeIO).
func (s *Server) RunStdio(ctx context.Context) error {
	return s.ServeIO(ctx, os.Stdin, os.Stdout)
}

// HTTPOptions configure the streamable HTTP transport.
type HTTPOptions struct {
	// Token, when set, is required as "Authorization: Bearer <token>".
	Token string
	// Stateful keeps sessions (Mcp-Session-Id); the default is stateless:
	// every request stands alone, so any number of clients and server
	// replicas work without affinity.
	Stateful bool
}

// Handler returns the streamable HTTP handler (with bearer-token check).
func (s *Server) Handler(o HTTPOptions) http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.srv }, &mcp.StreamableHTTPOptions{
		Stateless:    !o.Stateful,
		JSONResponse: true,
		Logger:       s.log,
	})
	if o.Token == "" {
		return h
	}
	want := []byte("Bearer " + o.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="nbasim"`)
			http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// CheckListenAddr refuses a non-loopback address unless allowRemote, and
// a remote one without a token.
func CheckListenAddr(addr string, allowRemote bool, token string) error {
	loopback, err := httpserve.IsLoopback(addr)
	if err != nil {
		return fmt.Errorf("mcp: %w", err)
	}
	if loopback {
		return nil
	}
	if !allowRemote {
		return fmt.Errorf("mcp: %q is not a loopback address; the server listens on 127.0.0.1/::1/localhost unless --allow-remote", addr)
	}
	if token == "" {
		return fmt.Errorf("mcp: --allow-remote requires a bearer token (--token or NBASIM_MCP_TOKEN)")
	}
	return nil
}

// ServeHTTP listens on addr and serves until ctx ends. ready, when not
// nil, receives the bound address (useful with port 0).
func (s *Server) ServeHTTP(ctx context.Context, addr string, o HTTPOptions, ready func(net.Addr)) error {
	mux := http.NewServeMux()
	mux.Handle("/mcp", s.Handler(o))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	// no write timeout: a stateful session streams server-sent events
	if err := httpserve.ListenAndServe(ctx, addr, mux, httpserve.Options{}, ready); err != nil {
		return fmt.Errorf("mcp: %w", err)
	}
	return nil
}
