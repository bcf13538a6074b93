package scenegen

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// look is how a scene is lit and what it is drawn on: everything render
// needs besides the ink on the page.
type look struct {
	paper, ink, table [3]float64
	tableTex          int     // 0: plain table colour; tableWood, tableCloth
	texSeed           uint64  // the table's texture
	edgeShadow        float64 // width of the sheet's shadow on the table
	pageR             image.Rectangle

	base, grad, gdir, vig          float64 // light
	shDepth, shSoft, shA, shB, shC float64 // a soft shadow's edge
	noise                          float64
	wb                             [3]float64 // white balance gains, zero for none
	rules                          []float64  // ruled lines' y on the page
	ruleCol                        [3]float64
	ruleW, ruleA                   float64
	gridPitch, gridOX, gridOY      float64 // squared paper, pitch 0 for none
	gridCol                        [3]float64
	gridW, gridA                   float64
	marginX                        float64 // a margin line's x on the page, 0 for none
	marginCol                      [3]float64
	marginW, marginA               float64
	fingers                        []finger
}

const (
	tableWood = 1 + iota
	tableCloth
)

// drawFeatures draws the optional features of family p: each draws from
// rng only when p asks for it.
func (lk *look) drawFeatures(rng *rand.Rand, p Params, dh float64, area [4]float64) {
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	if p.Vignette[1] > 0 {
		lk.vig = uni(p.Vignette[0], p.Vignette[1])
	}
	if p.WhiteBalance > 0 {
		c := uni(0.3, 1) * p.WhiteBalance
		if rng.IntN(2) == 0 {
			c = -c // cold
		}
		lk.wb = [3]float64{1 + c, 1 + c/4, 1 - c}
	}
	if p.Grid {
		lk.gridPitch = dh * uni(0.55, 1.0)
		lk.gridOX, lk.gridOY = uni(0, lk.gridPitch), uni(0, lk.gridPitch)
		if rng.IntN(2) == 0 {
			lk.gridCol = [3]float64{uni(140, 190), uni(175, 210), uni(215, 245)} // blue
		} else {
			g := uni(150, 200)
			lk.gridCol = [3]float64{g, g, g + uni(0, 10)}
		}
		lk.gridW, lk.gridA = uni(0.8, 1.8), uni(0.35, 0.8)
	}
	if p.Margin && (p.Grid || len(lk.rules) > 0) && rng.IntN(2) == 0 {
		aw := area[2] - area[0]
		lk.marginX = area[0] + uni(0.3, 0.7)*(0.06*aw+0.3*dh)
		lk.marginCol = [3]float64{uni(200, 235), uni(70, 120), uni(90, 130)}
		lk.marginW, lk.marginA = uni(1, 2), uni(0.5, 0.85)
	}
}

// tableTexture draws the table under a sheet: dark and plain, wood or
// cloth.
func (lk *look) tableTexture(rng *rand.Rand) {
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	lk.tableTex = rng.IntN(3)
	lk.texSeed = rng.Uint64()
	lk.edgeShadow = uni(1, 6)
	switch lk.tableTex {
	case 0:
		g := uni(15, 60)
		lk.table = [3]float64{g * uni(0.9, 1.2), g, g * uni(0.8, 1.1)}
	case tableWood:
		lk.table = [3]float64{uni(110, 170), uni(70, 110), uni(35, 65)}
	case tableCloth:
		lk.table = [3]float64{uni(30, 140), uni(30, 140), uni(30, 140)}
	}
}

// tableAt returns the table's colour at page point (x, y).
func (lk *look) tableAt(x, y float64) [3]float64 {
	c := lk.table
	var f float64
	switch lk.tableTex {
	case tableWood:
		// Grain: stripes along x, bent by low-frequency noise.
		w := valueNoise(lk.texSeed, x/60, y/12)
		f = 0.8 + 0.2*math.Sin(y*0.35+8*w) + 0.08*(hash2(lk.texSeed+1, int(x), int(y))-0.5)
	case tableCloth:
		// Weave: a fine checker of threads, and fluff.
		t := math.Sin(x*1.3) * math.Sin(y*1.3)
		f = 0.9 + 0.08*t + 0.15*(valueNoise(lk.texSeed, x/3, y/3)-0.5)
	default:
		return c
	}
	return [3]float64{c[0] * f, c[1] * f, c[2] * f}
}

// render draws the frame: the page (inv maps frame to page coordinates)
// with its ink alpha, paper, lines, table and fingers, lit and with
// sensor noise. The noise is drawn from rng pixel by pixel, in order.
func (lk *look) render(rng *rand.Rand, page *image.Alpha, inv homography, W, H int, shadows bool, pen penStyle) *image.RGBA {
	rgb := image.NewRGBA(image.Rect(0, 0, W, H))
	cxf, cyf := float64(W)/2, float64(H)/2
	diag := math.Hypot(cxf, cyf)
	pageR := lk.pageR
	for fy := 0; fy < H; fy++ {
		for fx := 0; fx < W; fx++ {
			xf, yf := float64(fx)+0.5, float64(fy)+0.5
			px, py := inv.apply(xf, yf)
			var col [3]float64
			if px < float64(pageR.Min.X) || py < float64(pageR.Min.Y) || px >= float64(pageR.Max.X) || py >= float64(pageR.Max.Y) {
				col = lk.tableAt(px, py)
				if lk.edgeShadow > 0 {
					// The sheet's shadow on the table, a few pixels wide.
					dx := math.Max(0, math.Max(float64(pageR.Min.X)-px, px-float64(pageR.Max.X)))
					dy := math.Max(0, math.Max(float64(pageR.Min.Y)-py, py-float64(pageR.Max.Y)))
					if d := math.Hypot(dx, dy); d < lk.edgeShadow {
						k := 1 - 0.5*(1-d/lk.edgeShadow)
						col = [3]float64{col[0] * k, col[1] * k, col[2] * k}
					}
				}
			} else {
				c := sample(page, px-0.5, py-0.5)
				col = lk.paper
				if lk.rules != nil {
					d := math.Inf(1)
					for _, ry := range lk.rules {
						d = math.Min(d, math.Abs(py-ry))
					}
					blend(&col, lk.ruleCol, math.Max(0, math.Min(1, lk.ruleW/2+0.5-d))*lk.ruleA)
				}
				if lk.gridPitch > 0 {
					dx := math.Abs(math.Remainder(px-lk.gridOX, lk.gridPitch))
					dy := math.Abs(math.Remainder(py-lk.gridOY, lk.gridPitch))
					blend(&col, lk.gridCol, math.Max(0, math.Min(1, lk.gridW/2+0.5-math.Min(dx, dy)))*lk.gridA)
				}
				if lk.marginX > 0 {
					blend(&col, lk.marginCol, math.Max(0, math.Min(1, lk.marginW/2+0.5-math.Abs(px-lk.marginX)))*lk.marginA)
				}
				if c > 0 && pen.grain > 0 {
					c *= pen.grainAt(px, py)
				}
				for i := range 3 {
					col[i] += (lk.ink[i] - col[i]) * c
				}
			}
			for i := range lk.fingers {
				lk.fingers[i].paint(&col, xf, yf)
			}
			l := lk.base
			if shadows {
				dx, dy := xf-cxf, yf-cyf
				l *= 1 + lk.grad*(dx*math.Cos(lk.gdir)+dy*math.Sin(lk.gdir))/(2*diag)
			}
			if lk.vig > 0 {
				dx, dy := xf-cxf, yf-cyf
				r := math.Hypot(dx, dy) / diag
				l *= 1 - lk.vig*r*r
			}
			if lk.shDepth > 0 {
				t := (lk.shA*xf + lk.shB*yf + lk.shC) / lk.shSoft
				l *= 1 - lk.shDepth/(1+math.Exp(-t))
			}
			o := rgb.PixOffset(fx, fy)
			for i := range 3 {
				v := col[i] * l
				if lk.wb[i] != 0 {
					v *= lk.wb[i]
				}
				v += rng.NormFloat64() * lk.noise
				rgb.Pix[o+i] = uint8(math.Max(0, math.Min(255, v+0.5)))
			}
			rgb.Pix[o+3] = 255
		}
	}
	return rgb
}

// blend moves col towards c by a (0..1).
func blend(col *[3]float64, c [3]float64, a float64) {
	if a <= 0 {
		return
	}
	for i := range 3 {
		col[i] += (c[i] - col[i]) * a
	}
}

// grainAt is the share of a pencil stroke's ink left at page point (x, y):
// graphite catches on the paper's fibres, finely and in patches.
func (ps penStyle) grainAt(x, y float64) float64 {
	n := 0.55*hash2(ps.seed, int(math.Floor(x)), int(math.Floor(y))) + 0.45*valueNoise(ps.seed+7, x/3, y/3)
	return 1 - ps.grain*(1-n)
}

// hash2 returns a uniform number in [0, 1) for the lattice point (x, y),
// from SplitMix64.
func hash2(seed uint64, x, y int) float64 {
	z := seed + uint64(int64(x))*0x9e3779b97f4a7c15 + uint64(int64(y))*0xc2b2ae3d27d4eb4f
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// valueNoise interpolates hash2's lattice smoothly at (x, y).
func valueNoise(seed uint64, x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	fx, fy = fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	ix, iy := int(x0), int(y0)
	a := hash2(seed, ix, iy)*(1-fx) + hash2(seed, ix+1, iy)*fx
	b := hash2(seed, ix, iy+1)*(1-fx) + hash2(seed, ix+1, iy+1)*fx
	return a*(1-fy) + b*fy
}

// unsharp sharpens img as cameras do: each channel moves away from its
// Gaussian blur of sigma by amount times the difference.
func unsharp(img *image.RGBA, sigma, amount float64) {
	blurred := image.NewRGBA(img.Rect)
	copy(blurred.Pix, img.Pix)
	gaussBlur(blurred, sigma)
	for i := range img.Pix {
		if i%4 == 3 {
			continue // alpha
		}
		v, b := float64(img.Pix[i]), float64(blurred.Pix[i])
		img.Pix[i] = uint8(min(max(math.Round(v+amount*(v-b)), 0), 255))
	}
}

// gaussBlur blurs the colour channels of img with a Gaussian of standard
// deviation sigma pixels, in place (edges repeat).
func gaussBlur(img *image.RGBA, sigma float64) {
	if sigma <= 0 {
		return
	}
	rad := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	W, H := img.Rect.Dx(), img.Rect.Dy()
	buf := make([]float32, W*H*3)
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			var acc [3]float32
			for i, kv := range k {
				xx := min(W-1, max(0, x+i-rad))
				o := y*img.Stride + xx*4
				acc[0] += kv * float32(img.Pix[o])
				acc[1] += kv * float32(img.Pix[o+1])
				acc[2] += kv * float32(img.Pix[o+2])
			}
			copy(buf[(y*W+x)*3:], acc[:])
		}
	}
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			var acc [3]float32
			for i, kv := range k {
				yy := min(H-1, max(0, y+i-rad))
				b := buf[(yy*W+x)*3:]
				acc[0] += kv * b[0]
				acc[1] += kv * b[1]
				acc[2] += kv * b[2]
			}
			o := y*img.Stride + x*4
			for c := range 3 {
				img.Pix[o+c] = uint8(min(255, max(0, acc[c]+0.5)))
			}
		}
	}
}

// jpegRoundTrip compresses img at quality q and decodes it: the frame a
// JPEG file or an MJPEG webcam gives (4:2:0); nil if that fails.
func jpegRoundTrip(img *image.RGBA, q int) *image.YCbCr {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		return nil
	}
	yc, _ := dec.(*image.YCbCr)
	return yc
}

// yPlane copies the Y plane of a frame.
func yPlane(yc *image.YCbCr) *image.Gray {
	r := yc.Rect
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		o := yc.YOffset(r.Min.X, r.Min.Y+y)
		copy(g.Pix[y*g.Stride:y*g.Stride+r.Dx()], yc.Y[o:o+r.Dx()])
	}
	return g
}

// ToYCbCr converts an RGB image to a 4:2:0 frame, full range (JFIF): Y
// with BT.601's weights as Luma computes it, each chroma sample the mean
// of its 2x2 pixels.
func ToYCbCr(img *image.RGBA) *image.YCbCr {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	yc := image.NewYCbCr(image.Rect(0, 0, W, H), image.YCbCrSubsampleRatio420)
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			yc.Y[y*yc.YStride+x] = luma(img.Pix[o], img.Pix[o+1], img.Pix[o+2])
		}
	}
	for cy := 0; cy < (H+1)/2; cy++ {
		for cx := 0; cx < (W+1)/2; cx++ {
			var r, g, b, n float64
			for y := 2 * cy; y < min(H, 2*cy+2); y++ {
				for x := 2 * cx; x < min(W, 2*cx+2); x++ {
					o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
					r, g, b = r+float64(img.Pix[o]), g+float64(img.Pix[o+1]), b+float64(img.Pix[o+2])
					n++
				}
			}
			r, g, b = r/n, g/n, b/n
			cb := 128 - 0.168736*r - 0.331264*g + 0.5*b
			cr := 128 + 0.5*r - 0.418688*g - 0.081312*b
			i := cy*yc.CStride + cx
			yc.Cb[i] = uint8(math.Max(0, math.Min(255, cb+0.5)))
			yc.Cr[i] = uint8(math.Max(0, math.Min(255, cr+0.5)))
		}
	}
	return yc
}
