package httpserve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/httpserve/httpservetest"
)

func TestIsLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr string
		lo   bool
		err  bool
	}{
		{"127.0.0.1:8080", true, false}, {"localhost:1", true, false}, {"[::1]:9", true, false}, {"127.3.2.1:0", true, false},
		{"0.0.0.0:8080", false, false}, {":8080", false, false}, {"192.168.1.2:80", false, false}, {"example.com:80", false, false},
		{"127.0.0.1", false, true},
	} {
		lo, err := IsLoopback(tc.addr)
		if lo != tc.lo || (err != nil) != tc.err {
			t.Errorf("IsLoopback(%q) = %v, %v", tc.addr, lo, err)
		}
	}
}

// The server answers on the address it reports, its connections are
// corkable, and it stops when the context ends.
func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- ListenAndServe(ctx, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ConnOf(r.Context()) == nil {
				io.WriteString(w, "not corkable")
				return
			}
			io.WriteString(w, "hi")
		}), Options{}, func(a net.Addr) { addrc <- a })
	}()
	resp, err := http.Get("http://" + (<-addrc).String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "hi" {
		t.Fatalf("body %q", b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := ListenAndServe(context.Background(), "127.0.0.1", nil, Options{}, nil); err == nil {
		t.Error("an address without a port was accepted")
	}
}

// A corked answer leaves in one write to the connection, whatever its
// size up to maxCorked; the same answer not corked takes net/http's
// several (its 4 KiB connection buffer); past maxCorked the answer is
// written out in pieces; every answer arrives whole, on one keep-alive
// connection.
func TestCorkOneWrite(t *testing.T) {
	var writes atomic.Int64
	body := func(n int) []byte { return bytes.Repeat([]byte("0123456789abcdef"), n/16) }
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		b := body(n)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		c := ConnOf(r.Context())
		if c == nil {
			t.Error("ConnOf: nil on a corkable server")
		}
		if r.URL.Path == "/corked" {
			c.Cork()
			defer func() {
				if err := c.Uncork(); err != nil {
					t.Error(err)
				}
			}()
		}
		if _, err := w.Write(b); err != nil {
			t.Error(err)
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Error(err)
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(Corkable(hs, httpservetest.CountWrites(ln, &writes))) }()
	defer hs.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for _, tc := range []struct {
		path       string
		n          int
		minW, maxW int64
	}{
		{"/corked", 10 << 10, 1, 1},
		{"/plain", 10 << 10, 2, 10},
		{"/corked", 6 << 10, 1, 1},
		{"/plain", 6 << 10, 2, 10},
		{"/corked", 100, 1, 1},
		{"/corked", 600 << 10, 2, 4}, // past maxCorked: written out as it comes
		{"/corked", 10 << 10, 1, 1},
	} {
		w0 := writes.Load()
		if _, err := fmt.Fprintf(conn, "GET %s?n=%d HTTP/1.1\r\nHost: x\r\n\r\n", tc.path, tc.n); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, body(tc.n)) {
			t.Fatalf("%s n=%d: %d bytes, err %v", tc.path, tc.n, len(got), err)
		}
		if w := writes.Load() - w0; w < tc.minW || w > tc.maxW {
			t.Errorf("%s n=%d: %d writes to the connection, want %d to %d", tc.path, tc.n, w, tc.minW, tc.maxW)
		}
	}
}

// Closing the server interrupts a write blocked on a client that does not
// read, corked or not (no lock of the cork is held across a write).
func TestCloseInterruptsBlockedWrite(t *testing.T) {
	for _, corked := range []bool{false, true} {
		started, done := make(chan struct{}), make(chan error, 1)
		hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := ConnOf(r.Context())
			if corked {
				c.Cork()
				defer c.Uncork()
			}
			close(started)
			chunk := make([]byte, 1<<20)
			var err error
			for i := 0; i < 256 && err == nil; i++ { // far more than the sockets' buffers and maxCorked
				_, err = w.Write(chunk)
			}
			done <- err
		})}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = hs.Serve(Corkable(hs, ln)) }()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read the answer
		<-started
		time.Sleep(100 * time.Millisecond) // the write blocks
		go hs.Close()                      // (it would block too, were the cork locked across the write)
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("corked %v: the write did not fail", corked)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("corked %v: the write is still blocked 10 s after Close", corked)
		}
		conn.Close()
	}
}
