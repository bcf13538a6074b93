package kernel

// peakSink keeps peakFMAGeneric's result alive: written, never read, so
// that the compiler keeps the loop.
//
//lint:ignore U1000 a sink is written only.
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
