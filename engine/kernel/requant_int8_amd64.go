//go:build !purego

package kernel

func requantInt8(r *RequantInt8, dst []int8, acc []int32) {
	if useInt8AVX2 {
		requantInt8AVX2(r, dst, acc)
		return
	}
	requantInt8Generic(r, dst, acc)
}

// requantInt8AVX2 runs the assembly over whole periods of P values and the
// Generic code over the rest.
func requantInt8AVX2(r *RequantInt8, dst []int8, acc []int32) {
	P := r.P
	full := len(acc) / P * P
	if full > 0 {
		requantInt8x8AVX2(&dst[0], &acc[0], full/P, P/8, &r.Bias[0], &r.Mult[0], &r.Shift[0], &r.Mask[0], &r.Half[0], r.Zero, r.Lo, r.Hi)
	}
	if full < len(acc) {
		requantInt8Generic(r, dst[full:], acc[full:])
	}
}

// requantInt8x8AVX2 is requantInt8Generic over periods·P values, 8 at a
// time (Reference: requant_int8.go). Requires AVX2.
//
//	for i := range periods * vecs * 8 {
//		j := i % (vecs * 8)
//		x := int32((int64(acc[i]+bias[j])*int64(mult[j]) + 1<<30) >> 31)
//		y := x>>shift[j] - (half[j] - x>>31 - x&mask[j])>>31
//		dst[i] = int8(max(lo, min(hi, y+zero)))
//	}
//
//go:noescape
func requantInt8x8AVX2(dst *int8, acc *int32, periods, vecs int, bias, mult, shift, mask, half *int32, zero, lo, hi int32)
