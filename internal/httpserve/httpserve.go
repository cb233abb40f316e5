// Package httpserve runs nbasim's HTTP servers (the web dashboard and API,
// the MCP server over streamable HTTP) one way: listen, report the bound
// address, serve with timeouts, shut down gracefully when the context
// ends; and says whether a listen address reaches only this machine.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// IsLoopback says whether a listen address (HOST:PORT) is on the loopback
// interface only (localhost, 127.0.0.0/8, ::1).
func IsLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("listen address %q: %w (want HOST:PORT, e.g. 127.0.0.1:8080)", addr, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// Options tune a server; zero values take the defaults.
type Options struct {
	// WriteTimeout bounds writing one response (0: none, for streams such
	// as an MCP session's server-sent events).
	WriteTimeout time.Duration
}

// ListenAndServe listens on addr and serves h until ctx ends, then shuts
// down gracefully (requests in flight get 5 seconds). ready, when not nil,
// receives the bound address (port 0 picks a free one). Headers must come
// within 10 s, a request body within 30 s; idle connections close after
// 2 minutes; headers are capped at 64 KiB. Its connections are corkable
// (Corkable, ConnOf).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, o Options, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: o.WriteTimeout, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	cln := Corkable(hs, ln)
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(cln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		return nil
	}
}
