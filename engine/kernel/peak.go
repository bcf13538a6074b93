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
