//go:build !purego

package kernel

// useWindowSIMD reports whether the dispatch takes the assembly in
// window_amd64.s.
func useWindowSIMD() bool { return useAVX2 }
