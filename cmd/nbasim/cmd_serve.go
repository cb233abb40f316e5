package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/storeopen"
	"github.com/nbasim/nbasim/internal/web"
)

// webFlags are the flags of the web server, shared by `serve` and
// `run --http`.
type webFlags struct {
	token, dbURL, overrides string
	preload                 string
	cacheGames              int
	secureCookie, priv      bool
}

func (o *webFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.token, "token", "", "require this token (bearer, or the cookie of the one-time login URL); required off loopback (env NBASIM_WEB_TOKEN)")
	f.StringVar(&o.dbURL, "readonly-db", "", "PostgreSQL URL of a SELECT-only role (default mcp.database_url, then the database URL)")
	f.StringVar(&o.overrides, "overrides", "", "user overrides file (YAML), on top of the embedded one")
	f.IntVar(&o.cacheGames, "cache-games", gamecache.DefaultCapacity, "compiled games kept in memory (LRU)")
	f.StringVar(&o.preload, "preload", "", `compile this season's games into the cache at start, in the background ("latest": the newest season with play-by-play)`)
	f.BoolVar(&o.secureCookie, "secure-cookie", false, "mark the login cookie Secure (when a TLS proxy fronts the server)")
	f.BoolVar(&o.priv, "allow-privileged-role", false, "allow a PostgreSQL superuser for the read-only pool (not recommended)")
}

// openReadOnly opens the configured database read-only (the MCP server's
// and the web server's handle): PostgreSQL through url when it is one,
// else the SQLite file of the configuration.
func openReadOnly(ctx context.Context, a *app, url string, opts readonly.Options) (*readonly.DB, error) {
	cfg := a.Config()
	if u := firstSet(url, cfg.MCP.DatabaseURL, cfg.Database.URL); storeopen.IsPostgresURL(u) {
		return readonly.OpenPostgres(ctx, u, opts)
	}
	path := firstSet(cfg.Database.SQLitePath, storeopen.DefaultSQLitePath)
	if p, ok := storeopen.SQLiteURLPath(cfg.Database.URL); ok {
		path = p
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s: nothing is loaded yet (nbasim import, then nbasim load)", path)
	}
	return readonly.OpenSQLite(ctx, path, opts)
}

// webServer opens the read-only database and builds the web handler; the
// caller closes the returned database. It prints the one-time login URL
// when a token protects the server.
func webServer(ctx context.Context, a *app, o *webFlags, addr string) (*web.Server, *readonly.DB, *web.Auth, error) {
	token := firstSet(o.token, os.Getenv("NBASIM_WEB_TOKEN"))
	if err := web.CheckListenAddr(addr, token); err != nil {
		return nil, nil, nil, withExit(2, err)
	}
	ov, err := pbp.LoadOverrides(o.overrides)
	if err != nil {
		return nil, nil, nil, withExit(2, fmt.Errorf("serve: %w", err))
	}
	db, err := openReadOnly(ctx, a, o.dbURL, readonly.Options{Timeout: 30 * time.Second, MaxConns: 8, AllowPrivileged: o.priv})
	if err != nil {
		return nil, nil, nil, err
	}
	var auth *web.Auth
	if token != "" {
		auth = web.NewAuth(token, 0, o.secureCookie)
	}
	srv, err := web.New(web.Options{DB: db, Cache: gamecache.New(o.cacheGames), Overrides: ov, Auth: auth, Logger: a.Logger(), Version: version})
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return srv, db, auth, nil
}

func newServeCmd(a *app) *cobra.Command {
	var (
		o    webFlags
		addr string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the read-only web dashboard and JSON API (/api/v1)",
		Long: `Serve the dashboard (overview, games, a game with a timeline slider, players,
data quality) and its JSON API under /api/v1 (OpenAPI 3 at
/api/v1/openapi.json). The database is opened read-only (the database
enforces it, as for nbasim mcp); the API has no write path.

It listens on loopback (127.0.0.1:8080) by default. Any other address needs
--token (or NBASIM_WEB_TOKEN): API clients send "Authorization: Bearer
TOKEN"; a person opens the one-time login URL printed at start, which sets
a session cookie. docs/web.md has the pages and the API.`,
		Example: `  nbasim serve
  nbasim serve --addr 127.0.0.1:9000
  NBASIM_WEB_TOKEN=$(openssl rand -hex 16) nbasim serve --addr 0.0.0.0:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srv, db, auth, err := webServer(ctx, a, &o, addr)
			if err != nil {
				return err
			}
			defer db.Close()
			info := db.Info()
			a.Logger().Info("serve: database opened read-only", "dialect", info.Dialect, "location", info.Location)
			go srv.Watch(ctx, 0) // a reloaded game leaves the cache within a second
			if o.preload != "" {
				go func() {
					start := time.Now()
					season, n, err := srv.Preload(ctx, o.preload, 1)
					if err != nil {
						a.Logger().Warn("serve: preload", "season", season, "games", n, "err", err)
						return
					}
					a.Logger().Info("serve: preloaded the season's compiled games", "season", season, "games", n, "seconds", time.Since(start).Seconds())
				}()
			}
			return web.ListenAndServe(ctx, addr, srv.Handler(), func(ad net.Addr) {
				base := "http://" + ad.String()
				fmt.Fprintf(cmd.ErrOrStderr(), "nbasim serve: listening on %s/ (API %s/api/v1/, read-only %s)\n", base, base, info.Dialect)
				if auth != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "nbasim serve: one-time login URL: %s%s\n", base, auth.LoginPath())
				}
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "listen address HOST:PORT (non-loopback needs --token)")
	o.register(cmd)
	return cmd
}

// serveRunHTTP serves `nbasim run --http`: the loop's /metrics, /healthz
// and /readyz (probes) and, on the same address, the web dashboard and API
// (read-only, as `nbasim serve`). Off loopback the dashboard needs
// NBASIM_WEB_TOKEN; without it only the probes are served (Prometheus
// scrapes them from other hosts), and the log says so. stop shuts the
// server down.
func serveRunHTTP(ctx context.Context, a *app, addr string, probes http.Handler) (stop func(), err error) {
	mux := http.NewServeMux()
	for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
		mux.Handle(p, probes)
	}
	log := a.Logger()
	var closeDB func()
	var watch func(context.Context)
	o := webFlags{cacheGames: gamecache.DefaultCapacity}
	token := os.Getenv("NBASIM_WEB_TOKEN")
	if lo, _ := web.IsLoopback(addr); lo || token != "" {
		srv, db, auth, err := webServer(ctx, a, &o, addr)
		if err != nil {
			log.Warn("run: web dashboard not served", "err", err)
		} else {
			closeDB = func() { db.Close() }
			watch = func(ctx context.Context) { srv.Watch(ctx, 0) } // the loop's loads reach the dashboard within a second
			mux.Handle("/", srv.Handler())
			if auth != nil {
				log.Info("run: web dashboard login", "path", auth.LoginPath())
			}
		}
	} else {
		log.Info("run: web dashboard not served on a non-loopback address without NBASIM_WEB_TOKEN; /metrics, /healthz, /readyz only", "addr", addr)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if watch != nil {
		go watch(sctx)
	}
	ready := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- web.ListenAndServe(sctx, addr, mux, func(ad net.Addr) { ready <- ad })
	}()
	select {
	case ad := <-ready:
		log.Info("run: serving /metrics, /healthz, /readyz and the dashboard", "url", "http://"+ad.String()+"/")
	case err := <-errc:
		cancel()
		if closeDB != nil {
			closeDB()
		}
		return nil, err
	}
	return func() {
		cancel()
		<-errc
		if closeDB != nil {
			closeDB()
		}
	}, nil
}
