package scenegen

import (
	"fmt"
	"image"
	"image/color"
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

	// The stresses, for testing how a live reading holds up; the zero
	// value of each films as a steady hand does.

	// Shake multiplies the hand's shake, and with it the motion blur of
	// the still frames; 0 means 1.
	Shake float64
	// Turn is the largest angle, in degrees, that the sheet turns to
	// while the camera moves; the still pose is turned by up to half of
	// it. 0 means 4.
	Turn float64
	// Noise multiplies the sensor's noise (a dim room, a cheap webcam); 0
	// means 1.
	Noise float64
	// Zoom scales the sheet in the frame, as a camera held further away
	// (under 1) or closer; 0 means 1.
	Zoom float64
	// Cover keeps the finger still over the sheet for a second (30
	// frames), covering digits, a quarter of the way into the still
	// frames, instead of passing over the sheet while the camera moves.
	Cover bool
	// Next, when set, is a second sheet that replaces the first while the
	// camera moves: the first slides out of view, the second in, and the
	// camera holds still over the second.
	Next image.Image
	// Table, when set (its alpha not 0), is the colour of the table the
	// sheet lies on, lit as the sheet is (a grey desk about as bright as
	// a shadow on the paper, seen from above with the sheet small in the
	// frame); by default a dark textured one.
	Table color.RGBA
}

// FrameInfo says what happens in a frame of a recording.
type FrameInfo struct {
	Index int
	// Entering: the sheet slides into view. Moving: the camera pans,
	// zooms, turns and tilts (with motion blur). Occluded: a finger
	// covers part of the sheet. Still: only the hand's shake is left,
	// from here to the end.
	Entering, Moving, Occluded, Still bool
	// Sheet is the sheet in view: 0, or 1 once RecordParams.Next has
	// started to slide in.
	Sheet int
}

// The phases of a recording, as fractions of its frames.
const (
	enterEnd     = 0.15
	occludeStart = 0.45
	occludeEnd   = 0.6
	stillStart   = 0.6
	// With a second sheet: the first leaves from swapStart to swapMid,
	// the second enters from swapMid to swapEnd.
	swapStart = 0.3
	swapMid   = 0.375
	swapEnd   = 0.45
	// coverFrames is how long RecordParams.Cover holds the finger still,
	// coverReach the frames it takes to reach in and to leave.
	coverFrames = 30
	coverReach  = 4
)

// Phase says what happens in frame i of a recording of n frames with the
// default parameters.
func Phase(i, n int) FrameInfo { return RecordParams{Frames: n}.Phase(i) }

// Phase says what happens in frame i of a recording with parameters p.
func (p RecordParams) Phase(i int) FrameInfo {
	n := p.frames()
	u := float64(i) / float64(n)
	fi := FrameInfo{Index: i, Entering: u < enterEnd, Moving: u >= enterEnd && u < stillStart,
		Occluded: u >= occludeStart && u < occludeEnd, Still: u >= stillStart}
	if p.Cover {
		c0 := p.coverStart()
		fi.Occluded = i >= c0 && i < c0+coverFrames
	}
	if p.Next != nil && u >= swapMid {
		fi.Sheet = 1
	}
	return fi
}

func (p RecordParams) frames() int {
	if p.Frames <= 0 {
		return 90
	}
	return p.Frames
}

// coverStart is the first frame of RecordParams.Cover's finger: a quarter
// of the way into the still frames.
func (p RecordParams) coverStart() int {
	n := p.frames()
	s := 0
	for s < n && float64(s)/float64(n) < stillStart {
		s++
	}
	return s + (n-s)/4
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
// last 40% of the frames. The sheet sits on a textured table, dark unless
// p.Table says otherwise. p's
// stresses make it harder: a shakier hand, a sheet turned further, a
// finger resting over digits, a second sheet replacing the first. emit
// receives each frame in order (4:2:0, full range; it may keep it) with
// what happens in it; an error from emit stops the recording.
func Record(rng *rand.Rand, sheet image.Image, p RecordParams, emit func(*image.YCbCr, FrameInfo) error) error {
	W, H, N := p.Width, p.Height, p.frames()
	if W <= 0 || H <= 0 {
		W, H = 640, 480
	}
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	fw, fh := float64(W), float64(H)
	shake, turn := p.Shake, p.Turn
	if shake <= 0 {
		shake = 1
	}
	if turn <= 0 {
		turn = 4
	}
	zoom := p.Zoom
	if zoom <= 0 {
		zoom = 1
	}

	// The sheets, scaled once to their largest size in the recording.
	const maxZoom = 1.12
	scaled := func(sheet image.Image) *image.RGBA {
		sb := sheet.Bounds()
		fit := zoom * math.Min(0.92*fw/float64(sb.Dx()), 0.92*fh/float64(sb.Dy()))
		sw, sh := max(1, int(float64(sb.Dx())*fit*maxZoom+0.5)), max(1, int(float64(sb.Dy())*fit*maxZoom+0.5))
		src := image.NewRGBA(image.Rect(0, 0, sw, sh))
		draw.CatmullRom.Scale(src, src.Rect, sheet, sb, draw.Src, nil)
		return src
	}
	srcs := []*image.RGBA{scaled(sheet)}
	if p.Next != nil {
		srcs = append(srcs, scaled(p.Next))
	}

	// Keyframes of the slow movement, the hand's shake, the drifts.
	nKeys := 4
	keys := make([]pose, nKeys+1)
	for i := range keys {
		keys[i] = pose{
			x: fw/2 + uni(-0.07, 0.07)*fw, y: fh/2 + uni(-0.07, 0.07)*fh,
			zoom: uni(0.9, 1.1), rot: uni(-turn, turn) * math.Pi / 180,
			tiltX: uni(-0.08, 0.08), tiltY: uni(-0.08, 0.08),
		}
	}
	keys[nKeys] = pose{x: fw/2 + uni(-0.03, 0.03)*fw, y: fh/2 + uni(-0.03, 0.03)*fh,
		zoom: uni(0.95, 1.05), rot: uni(-turn/2, turn/2) * math.Pi / 180, tiltX: uni(-0.04, 0.04), tiltY: uni(-0.04, 0.04)}
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
	if p.Table.A != 0 {
		table = [3]float64{float64(p.Table.R), float64(p.Table.G), float64(p.Table.B)}
	}
	noise := uni(1.5, 3.5)
	if p.Noise > 0 {
		noise *= p.Noise
	}
	vig := uni(0.15, 0.35)

	// slide is how far (in frame coordinates) a sheet is off its place:
	// entering from enterFrom, or, with a second sheet, the first leaving
	// the other way and the second coming in.
	slide := func(e float64) (dx, dy float64) {
		switch enterFrom {
		case 0:
			return -e * fw, 0
		case 1:
			return e * fw, 0
		default:
			return 0, e * fh
		}
	}
	// sheetOff is sheet k's offset from the camera's pose at u.
	sheetOff := func(k int, u float64) (dx, dy float64, visible bool) {
		if p.Next == nil {
			return 0, 0, k == 0
		}
		switch {
		case k == 0 && u < swapStart:
			return 0, 0, true
		case k == 0 && u < swapMid:
			e := (u - swapStart) / (swapMid - swapStart)
			dx, dy = slide(-e * e) // ease in, out the other way
			return dx, dy, true
		case k == 1 && u >= swapMid && u < swapEnd:
			e := 1 - (u-swapMid)/(swapEnd-swapMid)
			dx, dy = slide(e * e * e)
			return dx, dy, true
		case k == 1 && u >= swapEnd:
			return 0, 0, true
		}
		return 0, 0, false
	}
	at := func(t float64) pose {
		// t in frames; the path through the keys, then rest.
		u := t / float64(N)
		var ps pose
		switch {
		case u < enterEnd:
			ps = keys[0]
			e := 1 - u/enterEnd
			e = e * e * e // ease out
			dx, dy := slide(e)
			ps.x += dx
			ps.y += dy
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
	homOf := func(ps pose, src *image.RGBA) homography {
		s := ps.zoom / maxZoom
		sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
		t1 := homography{s, 0, -s * sw / 2, 0, s, -s * sh / 2, 0, 0, 1}
		c, sn := math.Cos(ps.rot), math.Sin(ps.rot)
		r := homography{c, -sn, 0, sn, c, 0, 0, 0, 1}
		pp := homography{1, 0, 0, 0, 1, 0, ps.tiltX / (fw / 2), ps.tiltY / (fh / 2), 1}
		t2 := homography{1, 0, ps.x, 0, 1, ps.y, 0, 0, 1}
		return mul(t2, mul(pp, mul(r, t1)))
	}
	// view is a sheet as one motion-blur sample sees it.
	type view struct {
		inv     homography
		dx, dy  float64
		visible bool
	}
	var views [2]view

	c0 := p.coverStart()
	rgb := image.NewRGBA(image.Rect(0, 0, W, H))
	acc := make([]float64, W*H*3)
	for i := 0; i < N; i++ {
		u := float64(i) / float64(N)
		info := p.Phase(i)
		// Hand shake: a damped random walk, stronger while moving.
		amp := 1.2
		if info.Still {
			amp = 0.5
		}
		amp *= shake
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
			for s := range srcs {
				v := &views[s]
				v.dx, v.dy, v.visible = sheetOff(s, u-0.5*f/float64(N))
				v.inv = homOf(q, srcs[s]).inverse()
			}
			for y := 0; y < H; y++ {
				for x := 0; x < W; x++ {
					var c [3]float64
					drawn := false
					// The later sheet lies on top.
					for s := len(srcs) - 1; s >= 0 && !drawn; s-- {
						v := &views[s]
						if !v.visible {
							continue
						}
						sx, sy := v.inv.apply(float64(x)+0.5-v.dx, float64(y)+0.5-v.dy)
						if sx >= 0 && sy >= 0 && sx < float64(srcs[s].Rect.Dx()) && sy < float64(srcs[s].Rect.Dy()) {
							c = sampleRGBA(srcs[s], sx-0.5, sy-0.5)
							drawn = true
						}
					}
					if !drawn {
						// The table, seen through the first sheet's pose.
						sx, sy := views[0].inv.apply(float64(x)+0.5, float64(y)+0.5)
						n := 0.85 + 0.3*valueNoise(tableSeed, sx/9, sy/9)
						c = [3]float64{table[0] * n, table[1] * n, table[2] * n}
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
			// In, hold, out: passing over while the camera moves, or
			// resting for coverFrames.
			var reach float64
			if p.Cover {
				j := float64(i - c0)
				reach = math.Min(1, math.Min(j+1, coverFrames-j)/coverReach)
			} else {
				v := (u - occludeStart) / (occludeEnd - occludeStart)
				reach = math.Min(1, math.Min(v, 1-v)*3)
			}
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
