// Package enginetest builds the networks that the tests of engine's users
// (quant, model, the command line) run: a spec's text in, a network with
// random weights out, the test failed on a spec that engine refuses.
package enginetest

import (
	"testing"

	"github.com/edgeconv/edgeconv/engine"
)

// Net returns a network of spec, in engine.ParseSpec's text, its weights
// drawn with the codelab's initialisation (Network.Init) from seed.
func Net(tb testing.TB, spec string, seed uint64) *engine.Network {
	tb.Helper()
	s, err := engine.ParseSpec(spec)
	if err != nil {
		tb.Fatal(err)
	}
	net, err := engine.New(s)
	if err != nil {
		tb.Fatal(err)
	}
	net.Init(seed)
	return net
}
