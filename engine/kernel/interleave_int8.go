package kernel

const errInterleaveLen = "kernel: InterleaveInt8: dst shorter than twice a, or b shorter than a"

// InterleaveInt8 interleaves a and b into dst: dst[2i], dst[2i+1] = a[i],
// b[i] for every i < len(a). dst must hold 2·len(a) values and b len(a);
// dst must not overlap a or b. quant reads a one-channel image as pairs of
// rows this way, so that a group of 4 bytes is a 2x2 patch. It never
// allocates.
func InterleaveInt8(dst, a, b []int8) {
	if len(dst) < 2*len(a) || len(b) < len(a) {
		panic(errInterleaveLen)
	}
	interleaveInt8(dst, a, b[:len(a)])
}

// interleaveInt8Generic is the reference InterleaveInt8 and the tail of
// the SIMD one.
func interleaveInt8Generic(dst, a, b []int8) {
	dst = dst[:2*len(a)]
	b = b[:len(a)]
	for i, v := range a {
		dst[2*i], dst[2*i+1] = v, b[i]
	}
}
