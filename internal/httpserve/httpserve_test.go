package httpserve

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
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

// The server answers on the address it reports and stops when the
// context ends.
func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- ListenAndServe(ctx, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") }),
			Options{}, func(a net.Addr) { addrc <- a })
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
