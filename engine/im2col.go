package engine

// im2col writes rows r0..r1 of the layer's im2col matrix into cols. Row r is
// output pixel (n, oy, ox) with r = (n·OH + oy)·OW + ox; its K = KH·KW·Cin
// values are the input patch under the kernel in (ky, kx, c) order, zero where
// the patch hangs over the padding. That order matches the (KH, KW, Cin,
// Cout) weight layout, so the convolution is cols · weights.
func im2col(l *layer, in []float32, r0, r1 int, cols []float32) {
	H, W, C := l.in.H, l.in.W, l.in.C
	OH, OW := l.out.H, l.out.W
	KH, KW, S := l.KH, l.KW, l.Stride
	K := KH * KW * C
	rowLen := KW * C
	n, oy, ox := r0/(OH*OW), (r0/OW)%OH, r0%OW
	for r := r0; r < r1; r++ {
		dst := cols[(r-r0)*K : (r-r0+1)*K]
		img := in[n*H*W*C : (n+1)*H*W*C]
		iy0, ix0 := oy*S-l.padT, ox*S-l.padL
		// The kernel columns that fall inside the image: kx in [kx0, kx1).
		kx0, kx1 := max(0, -ix0), min(KW, W-ix0)
		for ky := range KH {
			row := dst[ky*rowLen : (ky+1)*rowLen]
			iy := iy0 + ky
			if iy < 0 || iy >= H || kx0 >= kx1 {
				clear(row)
				continue
			}
			clear(row[:kx0*C])
			src := img[(iy*W+ix0+kx0)*C : (iy*W+ix0+kx1)*C]
			copy(row[kx0*C:kx1*C], src)
			clear(row[kx1*C:])
		}
		if ox++; ox == OW {
			ox = 0
			if oy++; oy == OH {
				oy = 0
				n++
			}
		}
	}
}

// col2im is the adjoint of im2col: it adds rows r0..r1 of cols back into the
// input-shaped gradient din, each value to the input pixel it was copied from.
// Values that came from padding are dropped.
func col2im(l *layer, cols []float32, r0, r1 int, din []float32) {
	H, W, C := l.in.H, l.in.W, l.in.C
	OH, OW := l.out.H, l.out.W
	KH, KW, S := l.KH, l.KW, l.Stride
	K := KH * KW * C
	rowLen := KW * C
	n, oy, ox := r0/(OH*OW), (r0/OW)%OH, r0%OW
	for r := r0; r < r1; r++ {
		src := cols[(r-r0)*K : (r-r0+1)*K]
		img := din[n*H*W*C : (n+1)*H*W*C]
		iy0, ix0 := oy*S-l.padT, ox*S-l.padL
		kx0, kx1 := max(0, -ix0), min(KW, W-ix0)
		if kx0 < kx1 {
			for ky := range KH {
				iy := iy0 + ky
				if iy < 0 || iy >= H {
					continue
				}
				s := src[ky*rowLen+kx0*C : ky*rowLen+kx1*C]
				d := img[(iy*W+ix0+kx0)*C : (iy*W+ix0+kx1)*C]
				for j, v := range s {
					d[j] += v
				}
			}
		}
		if ox++; ox == OW {
			ox = 0
			if oy++; oy == OH {
				oy = 0
				n++
			}
		}
	}
}
