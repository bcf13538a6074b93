package kernel

// gemmInt8Generic is the reference GemmInt8: plain Go over the packed
// layout, eight accumulators per panel. Every other implementation must
// match it bit for bit.
func gemmInt8Generic(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	kp := roundUp4(k)
	for i := range m {
		arow := a[i*lda : i*lda+kp]
		crow := c[i*ldc : i*ldc+n]
		for p := 0; p*8 < n; p++ {
			panel := b[p*8*kp : (p+1)*8*kp]
			var acc [8]int32
			for g := 0; g < kp; g += 4 {
				a0, a1, a2, a3 := int32(arow[g]), int32(arow[g+1]), int32(arow[g+2]), int32(arow[g+3])
				w := panel[g*8 : g*8+32]
				for j := range 8 {
					acc[j] += a0*int32(w[4*j]) + a1*int32(w[4*j+1]) + a2*int32(w[4*j+2]) + a3*int32(w[4*j+3])
				}
			}
			copy(crow[p*8:], acc[:min(8, n-p*8)])
		}
	}
}
