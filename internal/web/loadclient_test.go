package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// A load client's connection: get sends one GET of path and reads the
// whole answer, returning its status and body length.
type loadConn interface {
	get(path string) (status int, n int64, err error)
	close()
}

// newLoadConn returns one client's connection to base of the kind
// NBASIM_WEB_LOAD_CLIENT names: "raw" (the default) is a minimal HTTP/1.1
// keep-alive client on one TCP connection, like wrk: it costs the machine
// a few µs a request, so that on a 2-core machine shared by the clients and
// the server the figure measures the server; "net/http" is Go's
// http.Client (about 90 µs of CPU a request, spent on the same cores).
func newLoadConn(kind, base string, shared *http.Client) (loadConn, error) {
	switch kind {
	case "", "raw":
		u, err := url.Parse(base)
		if err != nil {
			return nil, err
		}
		return &rawConn{host: u.Host}, nil
	case "net/http":
		return &netHTTPConn{base: base, hc: shared}, nil
	}
	return nil, fmt.Errorf("NBASIM_WEB_LOAD_CLIENT=%q: want raw or net/http", kind)
}

type netHTTPConn struct {
	base string
	hc   *http.Client
}

func (c *netHTTPConn) get(path string) (int, int64, error) {
	resp, err := c.hc.Get(c.base + path)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, n, err
}

func (c *netHTTPConn) close() {}

// rawConn speaks just enough HTTP/1.1 for the load: a GET with keep-alive,
// an answer with a status line, headers and a Content-Length body (the
// server sets it on every box; an answer without one is an error). It
// reconnects after an error or "Connection: close".
type rawConn struct {
	host string
	conn net.Conn
	r    *bufio.Reader
	req  []byte
}

var errNoLength = errors.New("answer without Content-Length")

func (c *rawConn) get(path string) (int, int64, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.host, 10*time.Second)
		if err != nil {
			return 0, 0, err
		}
		c.conn, c.r = conn, bufio.NewReaderSize(conn, 32<<10)
	}
	status, n, keep, err := c.roundTrip(path)
	if err != nil || !keep {
		c.close()
	}
	return status, n, err
}

func (c *rawConn) roundTrip(path string) (status int, n int64, keep bool, err error) {
	if err := c.conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return 0, 0, false, err
	}
	c.req = append(append(append(append(c.req[:0], "GET "...), path...), " HTTP/1.1\r\nHost: "...), c.host...)
	c.req = append(c.req, "\r\nUser-Agent: nbasim-web-load\r\n\r\n"...)
	if _, err := c.conn.Write(c.req); err != nil {
		return 0, 0, false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, 0, false, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, keep := int64(-1), true
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return status, 0, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		k, v, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return status, 0, false, fmt.Errorf("bad header %q", h)
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(v), 10, 64); err != nil {
				return status, 0, false, fmt.Errorf("bad Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Connection")) && bytes.EqualFold(v, []byte("close")):
			keep = false
		}
	}
	if length < 0 {
		return status, 0, false, errNoLength
	}
	d, err := c.r.Discard(int(length))
	return status, int64(d), keep, err
}

func (c *rawConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn, c.r = nil, nil
	}
}
