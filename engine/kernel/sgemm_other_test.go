//go:build (!amd64 && !arm64) || purego

package kernel

// forceGeneric is a no-op: the Generic path is the only one here.
func forceGeneric() (restore func()) { return func() {} }
