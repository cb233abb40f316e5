package httpserve

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// Corking: net/http writes a response through a 4 KiB connection buffer,
// so an answer of ~10 KB (a box at a moment) leaves in two or three write
// calls, each a trip through the TCP stack (on loopback the receiver's
// side too, in the writer's time) and often a second wakeup of the
// client: a third of the server's CPU per request in the web load
// (docs/benchmarks.md "Web"). A handler that knows its whole answer can
// cork the connection (Conn.Cork), write it, and uncork it (Conn.Uncork):
// what net/http writes in between is held in memory and leaves in one
// write. The bytes on the wire are the same; only the segments differ.
// A connection that is never corked writes straight through.

// maxCorked bounds what a corked connection holds; more is written out
// (in pieces of at most this size) as it comes.
const maxCorked = 256 << 10

// Conn is a served connection whose writes can be held back (Cork) and
// sent as one (Uncork). ConnOf returns a request's. Cork, Uncork and the
// writes they hold come from the goroutine serving the request: net/http
// writes an HTTP/1 connection's answers from it, and a handler uncorks
// before it returns. Close is the connection's own: it interrupts a
// blocked write, and what a cork still holds is dropped with the
// connection.
type Conn struct {
	net.Conn
	held *[]byte // while corked: what was written since Cork
	err  error   // the first failed write of held bytes, returned by every later Write
}

// corkedBufs are the buffers of corked connections (a box is ~10 KB).
var corkedBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// Cork holds back what is written to the connection until Uncork. It is
// a no-op on a nil Conn (a request that did not come through a listener
// of Corkable).
func (c *Conn) Cork() {
	if c != nil && c.held == nil {
		c.held = corkedBufs.Get().(*[]byte)
	}
}

// Uncork writes what was held since Cork in one write and lets later
// writes through. It returns that write's error (also returned by every
// later Write: the connection is then broken). No-op on a nil Conn, and
// on one that is not corked.
func (c *Conn) Uncork() error {
	if c == nil || c.held == nil {
		return nil
	}
	held := c.held
	c.held = nil
	err := c.writeHeld(held)
	if cap(*held) <= 2*maxCorked {
		*held = (*held)[:0]
		corkedBufs.Put(held)
	}
	return err
}

// writeHeld writes the held bytes out and empties them, remembering a
// failure.
func (c *Conn) writeHeld(held *[]byte) error {
	if c.err == nil && len(*held) > 0 {
		if _, err := c.Conn.Write(*held); err != nil {
			c.err = err
		}
	}
	*held = (*held)[:0]
	return c.err
}

// Write writes p, or holds it while the connection is corked (past
// maxCorked held bytes, what is held is written out first).
func (c *Conn) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.held == nil {
		return c.Conn.Write(p)
	}
	if len(*c.held)+len(p) > maxCorked {
		if err := c.writeHeld(c.held); err != nil {
			return 0, err
		}
		if len(p) > maxCorked {
			return c.Conn.Write(p)
		}
	}
	*c.held = append(*c.held, p...)
	return len(p), nil
}

// closeWriter is a connection that can shut down its writing side
// (*net.TCPConn); net/http uses it to close a connection politely.
type closeWriter interface{ CloseWrite() error }

// CloseWrite shuts down the writing side of the connection.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(closeWriter); ok {
		return cw.CloseWrite()
	}
	return nil
}

type corkListener struct{ net.Listener }

func (l corkListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &Conn{Conn: c}, nil
}

type connKey struct{}

// Corkable makes the connections hs serves from ln corkable: it returns
// the listener to serve (its connections are Conns) and sets
// hs.ConnContext so that ConnOf finds a request's connection.
// ListenAndServe does it; a test server does it with
//
//	ts := httptest.NewUnstartedServer(h)
//	ts.Listener = httpserve.Corkable(ts.Config, ts.Listener)
//	ts.Start()
func Corkable(hs *http.Server, ln net.Listener) net.Listener {
	prev := hs.ConnContext
	hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prev != nil {
			ctx = prev(ctx, c)
		}
		if cc, ok := c.(*Conn); ok {
			ctx = context.WithValue(ctx, connKey{}, cc)
		}
		return ctx
	}
	return corkListener{ln}
}

// ConnOf returns the corkable connection a request came on (its
// context's), or nil when the server did not go through Corkable; Cork
// and Uncork of nil do nothing.
func ConnOf(ctx context.Context) *Conn {
	c, _ := ctx.Value(connKey{}).(*Conn)
	return c
}
