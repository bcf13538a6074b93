package scenegen

import (
	"fmt"
	"image"
	"io"
	"math"
	"math/rand/v2"

	"golang.org/x/image/draw"
	"periph.io/x/conn/v3/physic"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/atomicfile"
)

// RecordParams describes a recording of a sheet by a hand-held camera.
type RecordParams struct {
	// Width and Height are the frame size (default 640x480).
	Width, Height int
	// Frames is the recording's length (default 90, 3 s at 30 fps).
	Frames int
	// JPEG, when set, compresses every frame at this quality, as an
	// MJPEG webcam does.
	JPEG int
}

// FrameInfo says what happens in a frame of a recording.
type FrameInfo struct {
	Index int
	// Entering: the sheet slides into view. Moving: the camera pans,
	// zooms, turns and tilts (with motion blur). Occluded: a finger
	// covers part of the sheet. Still: only the hand's shake is left,
	// from here to the end.
	Entering, Moving, Occluded, Still bool
}

// The phases of a recording, as fractions of its frames.
const (
	enterEnd     = 0.15
	occludeStart = 0.45
	occludeEnd   = 0.6
	stillStart   = 0.6
)

// Phase says what happens in frame i of a recording of n frames.
func Phase(i, n int) FrameInfo {
	u := float64(i) / float64(n)
	return FrameInfo{Index: i, Entering: u < enterEnd, Moving: u >= enterEnd && u < stillStart,
		Occluded: u >= occludeStart && u < occludeEnd, Still: u >= stillStart}
}

// pose is where the camera sees the sheet in a frame.
type pose struct {
	x, y         float64 // the sheet's centre in the frame
	zoom, rot    float64 // scale (1: fitted) and rotation in radians
	tiltX, tiltY float64 // perspective, as a fraction across the frame
	exposure     float64
	wb           float64 // warm (+) or cold (-) cast
}

// Record films sheet, an image of a whole sheet of paper (a photo or a
// rendered scene), with a hand-held camera: the sheet slides into view,
// the camera pans, zooms, turns and tilts (slowly, with hand shake and
// motion blur), exposure and white balance drift, a finger passes over
// the sheet, and the camera then holds still, shaking a little, for the
// last 40% of the frames. The sheet sits on a dark textured table. emit
// receives each frame in order (4:2:0, full range; it may keep it) with
// what happens in it; an error from emit stops the recording.
func Record(rng *rand.Rand, sheet image.Image, p RecordParams, emit func(*image.YCbCr, FrameInfo) error) error {
	W, H, N := p.Width, p.Height, p.Frames
	if W <= 0 || H <= 0 {
		W, H = 640, 480
	}
	if N <= 0 {
		N = 90
	}
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	fw, fh := float64(W), float64(H)

	// The sheet, scaled once to its largest size in the recording.
	const maxZoom = 1.12
	sb := sheet.Bounds()
	fit := math.Min(0.92*fw/float64(sb.Dx()), 0.92*fh/float64(sb.Dy()))
	sw, sh := max(1, int(float64(sb.Dx())*fit*maxZoom+0.5)), max(1, int(float64(sb.Dy())*fit*maxZoom+0.5))
	src := image.NewRGBA(image.Rect(0, 0, sw, sh))
	draw.CatmullRom.Scale(src, src.Rect, sheet, sb, draw.Src, nil)

	// Keyframes of the slow movement, the hand's shake, the drifts.
	nKeys := 4
	keys := make([]pose, nKeys+1)
	for i := range keys {
		keys[i] = pose{
			x: fw/2 + uni(-0.07, 0.07)*fw, y: fh/2 + uni(-0.07, 0.07)*fh,
			zoom: uni(0.9, 1.1), rot: uni(-4, 4) * math.Pi / 180,
			tiltX: uni(-0.08, 0.08), tiltY: uni(-0.08, 0.08),
		}
	}
	keys[nKeys] = pose{x: fw/2 + uni(-0.03, 0.03)*fw, y: fh/2 + uni(-0.03, 0.03)*fh,
		zoom: uni(0.95, 1.05), rot: uni(-2, 2) * math.Pi / 180, tiltX: uni(-0.04, 0.04), tiltY: uni(-0.04, 0.04)}
	rest := keys[nKeys]
	enterFrom := rng.IntN(3) // left, right, bottom
	expPhase, wbPhase := uni(0, 2*math.Pi), uni(0, 2*math.Pi)
	expAmp, wbAmp := uni(0.08, 0.18), uni(0.04, 0.1)
	var shakeX, shakeY, shakeR float64

	// The finger that passes over the sheet, from one border.
	skin := skins[rng.IntN(len(skins))]
	fr := uni(0.045, 0.065) * fh
	side := rng.IntN(4)
	var baseX, baseY float64
	switch side {
	case 0:
		baseX, baseY = -fr*3, uni(0.3, 0.7)*fh
	case 1:
		baseX, baseY = fw+fr*3, uni(0.3, 0.7)*fh
	case 2:
		baseX, baseY = uni(0.3, 0.7)*fw, -fr*3
	default:
		baseX, baseY = uni(0.3, 0.7)*fw, fh+fr*3
	}
	tipX, tipY := uni(0.3, 0.7)*fw, uni(0.3, 0.7)*fh

	tableSeed := rng.Uint64()
	table := [3]float64{uni(35, 70), uni(30, 60), uni(25, 50)}
	noise := uni(1.5, 3.5)
	vig := uni(0.15, 0.35)

	at := func(t float64) pose {
		// t in frames; the path through the keys, then rest.
		u := t / float64(N)
		var ps pose
		switch {
		case u < enterEnd:
			ps = keys[0]
			e := 1 - u/enterEnd
			e = e * e * e // ease out
			switch enterFrom {
			case 0:
				ps.x -= e * fw
			case 1:
				ps.x += e * fw
			default:
				ps.y += e * fh
			}
		case u < stillStart:
			k := (u - enterEnd) / (stillStart - enterEnd) * float64(nKeys)
			i := min(int(k), nKeys-1)
			f := k - float64(i)
			f = f * f * (3 - 2*f)
			a, b := keys[i], keys[i+1]
			ps = pose{x: a.x + (b.x-a.x)*f, y: a.y + (b.y-a.y)*f, zoom: a.zoom + (b.zoom-a.zoom)*f,
				rot: a.rot + (b.rot-a.rot)*f, tiltX: a.tiltX + (b.tiltX-a.tiltX)*f, tiltY: a.tiltY + (b.tiltY-a.tiltY)*f}
		default:
			ps = rest
		}
		ps.exposure = 1 + expAmp*math.Sin(2*math.Pi*1.3*u+expPhase)
		ps.wb = wbAmp * math.Sin(2*math.Pi*0.9*u+wbPhase)
		return ps
	}
	homOf := func(ps pose) homography {
		s := ps.zoom / maxZoom
		t1 := homography{s, 0, -s * float64(sw) / 2, 0, s, -s * float64(sh) / 2, 0, 0, 1}
		c, sn := math.Cos(ps.rot), math.Sin(ps.rot)
		r := homography{c, -sn, 0, sn, c, 0, 0, 0, 1}
		pp := homography{1, 0, 0, 0, 1, 0, ps.tiltX / (fw / 2), ps.tiltY / (fh / 2), 1}
		t2 := homography{1, 0, ps.x, 0, 1, ps.y, 0, 0, 1}
		return mul(t2, mul(pp, mul(r, t1)))
	}

	rgb := image.NewRGBA(image.Rect(0, 0, W, H))
	acc := make([]float64, W*H*3)
	for i := 0; i < N; i++ {
		u := float64(i) / float64(N)
		info := Phase(i, N)
		// Hand shake: a damped random walk, stronger while moving.
		amp := 1.2
		if info.Still {
			amp = 0.5
		}
		shakeX = 0.7*shakeX + rng.NormFloat64()*amp
		shakeY = 0.7*shakeY + rng.NormFloat64()*amp
		shakeR = 0.7*shakeR + rng.NormFloat64()*amp*0.0008
		ps := at(float64(i))
		ps.x, ps.y, ps.rot = ps.x+shakeX, ps.y+shakeY, ps.rot+shakeR
		// Motion blur: the exposure spans half a frame; enough samples
		// that each moves at most 1.5 pixels.
		prev := at(float64(i) - 0.5)
		prev.x, prev.y, prev.rot = prev.x+shakeX*0.8, prev.y+shakeY*0.8, prev.rot+shakeR
		move := math.Hypot(ps.x-prev.x, ps.y-prev.y) + math.Abs(ps.zoom-prev.zoom)*fw/2 + math.Abs(ps.rot-prev.rot)*fw/2
		K := min(6, max(1, int(math.Ceil(move/1.5))))
		for j := range acc {
			acc[j] = 0
		}
		for k := 0; k < K; k++ {
			f := 0.0
			if K > 1 {
				f = float64(k) / float64(K-1)
			}
			q := ps
			q.x, q.y = ps.x+(prev.x-ps.x)*f, ps.y+(prev.y-ps.y)*f
			q.zoom, q.rot = ps.zoom+(prev.zoom-ps.zoom)*f, ps.rot+(prev.rot-ps.rot)*f
			inv := homOf(q).inverse()
			for y := 0; y < H; y++ {
				for x := 0; x < W; x++ {
					sx, sy := inv.apply(float64(x)+0.5, float64(y)+0.5)
					var c [3]float64
					if sx < 0 || sy < 0 || sx >= float64(sw) || sy >= float64(sh) {
						n := 0.85 + 0.3*valueNoise(tableSeed, sx/9, sy/9)
						c = [3]float64{table[0] * n, table[1] * n, table[2] * n}
					} else {
						c = sampleRGBA(src, sx-0.5, sy-0.5)
					}
					o := (y*W + x) * 3
					acc[o] += c[0]
					acc[o+1] += c[1]
					acc[o+2] += c[2]
				}
			}
		}
		var fing *finger
		if info.Occluded {
			v := (u - occludeStart) / (occludeEnd - occludeStart)
			reach := math.Min(1, math.Min(v, 1-v)*3) // in, hold, out
			f := finger{ax: baseX, ay: baseY, bx: baseX + (tipX-baseX)*reach, by: baseY + (tipY-baseY)*reach, r: fr,
				skin: skin, sx: 0.3 * fr, sy: 0.5 * fr}
			pad := fr*1.6 + 2
			f.box = image.Rect(int(math.Min(f.ax, f.bx)-pad), int(math.Min(f.ay, f.by)-pad),
				int(math.Max(f.ax, f.bx)+pad)+1, int(math.Max(f.ay, f.by)+pad)+1)
			if reach > 0.05 {
				fing = &f
			}
		}
		cx, cy, diag := fw/2, fh/2, math.Hypot(fw/2, fh/2)
		wb := [3]float64{1 + ps.wb, 1 + ps.wb/4, 1 - ps.wb}
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				o := (y*W + x) * 3
				c := [3]float64{acc[o] / float64(K), acc[o+1] / float64(K), acc[o+2] / float64(K)}
				xf, yf := float64(x)+0.5, float64(y)+0.5
				if fing != nil {
					fing.paint(&c, xf, yf)
				}
				r := math.Hypot(xf-cx, yf-cy) / diag
				l := ps.exposure * (1 - vig*r*r)
				po := rgb.PixOffset(x, y)
				for ch := range 3 {
					v := c[ch]*l*wb[ch] + rng.NormFloat64()*noise
					rgb.Pix[po+ch] = uint8(math.Max(0, math.Min(255, v+0.5)))
				}
				rgb.Pix[po+3] = 255
			}
		}
		var yc *image.YCbCr
		if p.JPEG > 0 {
			yc = jpegRoundTrip(rgb, p.JPEG)
		}
		if yc == nil {
			yc = ToYCbCr(rgb)
		}
		if err := emit(yc, info); err != nil {
			return err
		}
	}
	return nil
}

// sampleRGBA interpolates img's colour bilinearly at pixel-index
// coordinates (x, y), clamped at the edges.
func sampleRGBA(img *image.RGBA, x, y float64) [3]float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x = math.Max(0, math.Min(float64(w-1), x))
	y = math.Max(0, math.Min(float64(h-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	var c [3]float64
	for ch := range 3 {
		a := float64(img.Pix[y0*img.Stride+x0*4+ch])*(1-fx) + float64(img.Pix[y0*img.Stride+x1*4+ch])*fx
		b := float64(img.Pix[y1*img.Stride+x0*4+ch])*(1-fx) + float64(img.Pix[y1*img.Stride+x1*4+ch])*fx
		c[ch] = a*(1-fy) + b*fy
	}
	return c
}

// WriteRecording records sheet as Record does and writes the frames to
// path as a Y4M stream (4:2:0 with its chroma, 30 frames per second),
// through a temporary file renamed at the end.
func WriteRecording(path string, rng *rand.Rand, sheet image.Image, p RecordParams) error {
	if p.Width <= 0 || p.Height <= 0 {
		p.Width, p.Height = 640, 480
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		yw, err := camera.NewY4MWriter(w, p.Width, p.Height, 30*physic.Hertz)
		if err != nil {
			return err
		}
		return Record(rng, sheet, p, func(yc *image.YCbCr, _ FrameInfo) error { return yw.WriteFrame(yc) })
	})
	if err != nil {
		return fmt.Errorf("scenegen: %s: %w", path, err)
	}
	return nil
}
