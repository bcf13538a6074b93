//go:build !purego

package kernel

// useWindowSIMD reports whether the dispatch takes the assembly in
// window_arm64.s.
func useWindowSIMD() bool { return useNEON }
