//go:build !amd64 || purego

package kernel

func interleaveInt8(dst, a, b []int8) { interleaveInt8Generic(dst, a, b) }
