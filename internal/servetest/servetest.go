// Package servetest runs the web servers of our tests (the preview's, the
// dashboard's) on a loopback port for the length of a test.
package servetest

import (
	"context"
	"net"
	"testing"
)

// Loopback runs serve on a new listener on a free loopback port until the
// test ends, then cancels ctx with cancel and fails t if serve returned an
// error; it returns the listener's address.
func Loopback(t *testing.T, ctx context.Context, cancel context.CancelFunc, serve func(context.Context, net.Listener) error) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	})
	return l.Addr().String()
}
