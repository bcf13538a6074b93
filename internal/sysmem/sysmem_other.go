//go:build !linux

package sysmem

// limit is unknown here: Check lets everything through.
func limit() (int64, string) { return 0, "" }
