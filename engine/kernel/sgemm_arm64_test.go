//go:build !purego

package kernel

// forceGeneric makes the public API take the Generic path until the
// returned function restores the dispatch: defer forceGeneric()().
func forceGeneric() (restore func()) {
	old := useNEON
	useNEON = false
	return func() { useNEON = old }
}
