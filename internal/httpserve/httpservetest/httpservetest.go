// Package httpservetest helps test what a server writes to its
// connections.
package httpservetest

import (
	"net"
	"sync/atomic"
)

// CountWrites returns ln with connections that add one to writes for
// every Write: how many writes an answer took to reach the network.
func CountWrites(ln net.Listener, writes *atomic.Int64) net.Listener {
	return countingListener{ln, writes}
}

type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}
