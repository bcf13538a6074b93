package kernel

// PeakFMA runs a register-only loop of independent float32 fused
// multiply-adds, the fastest arithmetic this core can do, for the given
// number of iterations, and returns the number of floating-point operations
// it performed (a multiply-add counts as two). A caller times it to measure
// one core's float32 peak in FLOP/s, the yardstick of kernel efficiency:
//
//	start := time.Now()
//	flops := kernel.PeakFMA(10_000_000)
//	gflops := flops / time.Since(start).Seconds() / 1e9
//
// On amd64 with AVX2 and FMA the loop issues 12 independent 8-lane
// VFMADD231PS per iteration (192 FLOPs), enough to keep both FMA pipes busy;
// on arm64, 16 independent 4-lane FMLA (128 FLOPs); elsewhere, and with the
// purego tag, a plain Go loop (16 FLOPs per iteration, not fused on every
// architecture). A non-positive count does nothing and returns 0.
func PeakFMA(iterations int) (flops float64) {
	if iterations <= 0 {
		return 0
	}
	return peakFMA(iterations)
}

// peakSink keeps peakFMAGeneric's result alive.
var peakSink float32

// peakFMAGeneric is the plain Go loop: 8 independent multiply-add chains per
// iteration, 16 FLOPs. It returns the FLOP count.
func peakFMAGeneric(n int) float64 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	x, y := float32(0.5), float32(0.25)
	for i := 0; i < n; i++ {
		s0 = s0*x + y
		s1 = s1*x + y
		s2 = s2*x + y
		s3 = s3*x + y
		s4 = s4*x + y
		s5 = s5*x + y
		s6 = s6*x + y
		s7 = s7*x + y
	}
	peakSink = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
	return 16 * float64(n)
}
