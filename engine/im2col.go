package engine

import "github.com/edgeconv/edgeconv/engine/kernel"

// The convolutions run as matrix products over an im2col matrix: row r is
// output pixel (n, oy, ox) with r = (n·OH + oy)·OW + ox, and its K =
// KH·KW·Cin values are the input patch under the kernel in (ky, kx, c) order,
// zero where the patch hangs over the padding. That order matches the (KH,
// KW, Cin, Cout) weight layout, so the convolution is cols · weights.
//
// Building that matrix straight from the image costs a bounds decision and a
// short copy per kernel row, which on the seed99 network took longer than the
// matrix products themselves. So each sample is first copied once into a
// zero-bordered image of padH × padW pixels that every kernel window fits
// inside; a kernel row of the patch is then KW·Cin consecutive values of that
// image, and kernel.CopyWindows moves them in whole vector registers, with
// no test, an output row at a time. A block may run past the end of its
// kernel row: it writes into the next row of the patch, which is written
// after it, and reads past the end of the image into copyBlock floats of
// slack. The buffers are allocated with that slack.
//
// The adjoint, col2im, adds the patch rows into a zero-bordered gradient
// image with kernel.AddWindows and copies its interior out once per sample.

// copyBlock is the slack, in float32 values, that kernel.CopyWindows needs
// past the end of its buffers.
const copyBlock = kernel.WindowBlock

// padGeometry returns the size of the zero-bordered image of a convolution:
// just large enough for every kernel window of the output.
func padGeometry(l *layer) (padH, padW int) {
	return (l.out.H-1)*l.Stride + l.KH, (l.out.W-1)*l.Stride + l.KW
}

// paddedLen returns the length of a layer's padded image buffer, slack
// included.
func paddedLen(l *layer) int {
	h, w := padGeometry(l)
	return h*w*l.in.C + copyBlock
}

// padImage copies one input sample img, (H, W, C), into the interior of
// pad, (padH, padW, C), a layer's zero-bordered image: the layer's padding
// is the border, which stays zero because nothing else writes to it. Input
// rows and columns that no kernel window reaches (VALID padding) are left
// out.
func padImage(l *layer, img, pad []float32) {
	H, W, C := l.in.H, l.in.W, l.in.C
	padH, padW := padGeometry(l)
	rowLen := padW * C
	width := min(W, padW-l.padL) * C
	for iy := range min(H, padH-l.padT) {
		start := (iy+l.padT)*rowLen + l.padL*C
		copy(pad[start:start+width], img[iy*W*C:])
	}
}

// im2col writes the im2col rows of output pixels r0..r1 into cols, one row
// per g pixels (r0, r1 and the output width multiples of g), which must hold
// copyBlock floats of slack past the rows. pad is the worker's padded image
// of this layer (border zero); *padded is the sample it holds (-1 for none),
// kept across calls so that a sample split between two chunks is padded
// once.
func im2col(l *layer, g int, in []float32, r0, r1 int, cols, pad []float32, padded *int) {
	w := newWindows(l, g)
	size := l.in.Size()
	off := 0 // where pixel r's row starts in cols
	for r := r0; r < r1; {
		n, oy, ox := w.pixel(r)
		if *padded != n {
			padImage(l, in[n*size:(n+1)*size], pad)
			*padded = n
		}
		count := min(r1-r, w.ow-ox) // pixels left in this output row
		kernel.CopyWindows(cols[off:], pad[w.start(oy, ox):], count/g, w.colStep, l.KH, w.rowStep, w.seg)
		off += count / g * w.k
		r += count
	}
}

// col2im is the adjoint of im2col: it adds rows r0..r1 of cols back into the
// input-shaped gradient din, each value to the input pixel it was copied
// from; values that came from padding are dropped. It accumulates a sample in
// the padded buffer pad, and writes the sample's gradient to din (replacing
// what was there) when it moves on to the next sample or when flushed with
// col2imFlush. *padded is the sample pad holds (-1 for none).
func col2im(l *layer, cols []float32, r0, r1 int, din, pad []float32, padded *int) {
	w := newWindows(l, 1)
	off := 0
	for r := r0; r < r1; {
		n, oy, ox := w.pixel(r)
		if *padded != n {
			col2imFlush(l, din, pad, padded)
			clear(pad[:paddedLen(l)-copyBlock])
			*padded = n
		}
		count := min(r1-r, w.ow-ox)
		kernel.AddWindows(pad[w.start(oy, ox):], cols[off:off+count*w.k], count, w.colStep, l.KH, w.rowStep, w.seg)
		off += count * w.k
		r += count
	}
}

// windows is the geometry of a layer's kernel windows in its padded image,
// in float32 values, for im2col rows of g output pixels (see groupedWeights).
type windows struct {
	ow, perSample int // output pixels per row and per sample
	g             int // output pixels per im2col row
	k             int // im2col row length: KH·seg
	seg           int // one kernel row of a patch: ((g-1)·stride + KW)·Cin
	rowStep       int // one row of the padded image
	colStep       int // one im2col row: g·stride·Cin
	oyStep        int // one output row: stride rows of the padded image
	pxStep        int // one output pixel: stride·Cin
}

func newWindows(l *layer, g int) windows {
	_, padW := padGeometry(l)
	C := l.in.C
	seg := ((g-1)*l.Stride + l.KW) * C
	return windows{
		ow: l.out.W, perSample: l.out.H * l.out.W, g: g, k: l.KH * seg,
		seg: seg, rowStep: padW * C, colStep: g * l.Stride * C, oyStep: l.Stride * padW * C, pxStep: l.Stride * C,
	}
}

// convWindows is how a convolution's forward pass reads the im2col matrix
// of its bordered image in place (kernel.SgemmPackedWindows), when ok: when a
// row, with the bias row packed after it, fits kernel.SgemmWindowsMaxK. It
// then builds no im2col matrix at all, which at batch 1 on seed99 saved the
// 3 µs of window copies out of 33.
type convWindows struct {
	win kernel.Windows
	ok  bool
}

// newConvWindows returns the windows of layer l's forward pass with g output
// pixels per row of the matrix.
func newConvWindows(l *layer, g int) convWindows {
	w := newWindows(l, g)
	win := kernel.Windows{
		Run: w.ow / g, RunStep: w.oyStep, Step: w.colStep,
		Segs: l.KH, Seg: w.seg, SegStep: w.rowStep,
	}
	return convWindows{win: win, ok: win.K()+1 <= kernel.SgemmWindowsMaxK}
}

// groupedK returns the im2col row length of a layer whose rows hold g output
// pixels.
func groupedK(l *layer, g int) int { return newWindows(l, g).k }

// groupedWeights writes into dst, (K', g·Cout) with K' = groupedK(l, g), the
// weights that compute g adjacent output pixels of a row from one im2col row
// of g pixels: entry ((ky, x, c), (p, co)) is w[ky, x − p·stride, c, co] where
// that kernel column exists, else zero. With g = 1 it is w itself.
//
// Why: a convolution with few output channels (seed99's conv1 has 6, conv2
// 12) makes a matrix product with as few columns, which runs on narrow
// microkernels at about half the speed of the widest. Grouping g pixels
// fills the widest tile (g·Cout = 24 on AVX2) for some zero products: conv1's
// K' is 54 for 4 pixels instead of 4·36, 1.5 times the useful work, and its
// im2col matrix shrinks by as much (measured in docs/DESIGN.md).
func groupedWeights(l *layer, g int, w, dst []float32) {
	C, Cout := l.in.C, l.out.C
	width := (g-1)*l.Stride + l.KW
	n := g * Cout
	clear(dst[:groupedK(l, g)*n])
	for ky := range l.KH {
		for x := range width {
			for p := range g {
				kx := x - p*l.Stride
				if kx < 0 || kx >= l.KW {
					continue
				}
				for c := range C {
					row := ((ky*width+x)*C + c) * n
					src := w[((ky*l.KW+kx)*C+c)*Cout:][:Cout]
					copy(dst[row+p*Cout:row+(p+1)*Cout], src)
				}
			}
		}
	}
}

// pixel returns the sample and output pixel of im2col row r.
func (w windows) pixel(r int) (n, oy, ox int) {
	n = r / w.perSample
	p := r - n*w.perSample
	return n, p / w.ow, p % w.ow
}

// start returns where the window of output pixel (oy, ox) starts in the
// padded image.
func (w windows) start(oy, ox int) int { return oy*w.oyStep + ox*w.pxStep }

// col2imFlush writes the gradient accumulated in pad for sample *padded into
// din and marks pad empty. Input pixels that no kernel window reaches get a
// zero gradient.
func col2imFlush(l *layer, din, pad []float32, padded *int) {
	n := *padded
	if n < 0 {
		return
	}
	*padded = -1
	H, W, C := l.in.H, l.in.W, l.in.C
	_, padW := padGeometry(l)
	rowStep := padW * C
	img := din[n*H*W*C : (n+1)*H*W*C]
	width := min(W, padW-l.padL) * C
	padH, _ := padGeometry(l)
	for iy := range H {
		row := img[iy*W*C : (iy+1)*W*C]
		py := iy + l.padT
		if py >= padH {
			clear(row)
			continue
		}
		copy(row[:width], pad[py*rowStep+l.padL*C:])
		clear(row[width:])
	}
}
