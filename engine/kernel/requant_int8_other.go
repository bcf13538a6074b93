//go:build (!amd64 && !arm64) || purego

package kernel

func requantInt8(r *RequantInt8, dst []int8, acc []int32) { requantInt8Generic(r, dst, acc) }
