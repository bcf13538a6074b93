package firmware

import (
	"image"
	"math"
	"math/bits"
	"slices"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// The fusion's constants. Times are in frames, so that a recording fuses
// the same way however fast it is processed.
const (
	// maxTracks bounds the tracks; a frame with more candidates than free
	// slots leaves the rest untracked.
	maxTracks = 256
	// classes is the largest number of classes a model has: ten digits
	// and model.NotDigit.
	classes = model.NotDigit + 1

	// evDecay is the weight a track's class evidence keeps at each new
	// sighting: about the last ten sightings count.
	evDecay = 0.9
	// blurSpeed: a track moving this many of its heights from one frame
	// to the next counts half in its class evidence.
	blurSpeed = 0.25
	// switchMargin: a track's class changes only to a class with this
	// much more evidence, so that a digit read half as one class and half
	// as another does not flicker between them.
	switchMargin = 1.25
	// A track joins the reading once seen in confirmSeen of the last
	// confirmWindow frames.
	confirmSeen   = 3
	confirmWindow = 5
	// confirmWeight is the evidence a track needs to join the reading:
	// 1.5 sharp frames; more blurred ones.
	confirmWeight = 1.5
	// A tentative (unconfirmed) track unseen for tentativeMisses frames
	// is dropped: it was spurious.
	tentativeMisses = 3
	// A confirmed track is held, unseen, for twice as many frames as it
	// was firmly seen in (track.firm), between minHold and maxHold (a
	// digit under a finger stays in the reading for a second and a half),
	// and for at most outHold frames once it is out of view. A track never
	// read firmly is not held.
	minHold = 3
	maxHold = 45
	outHold = 10
	// A confirmed track unseen for displacedMisses frames while another
	// digit is seen where it is goes at once (Fuser.displaced).
	displacedMisses = 2
	// lineAlpha and spaceAlpha are the weights of one frame in the line
	// affinities and a track's word break.
	lineAlpha  = 0.2
	spaceAlpha = 0.3
	// lineSpread: two tracks whose centres lie further apart across the
	// text than this many digit heights are never on one line.
	lineSpread = 0.7
	// switchFrames frames in a row that see another track before a track
	// make it the track's neighbour.
	switchFrames = 3
	// resetFrames frames in a row that look like a new sheet (most of the
	// reading's tracks lost while unknown candidates are in view) reset
	// the tracks.
	resetFrames = 2
	// minSupport: the pairs that a frame's motion explains must be alike in
	// class, as much as this fraction of the tracks or the candidates
	// (whichever are fewer) all alike.
	minSupport = 0.3
	// recentMisses: the confirmed tracks and the tentative ones seen in
	// the last recentMisses+1 frames estimate the motion.
	recentMisses = 2
	// localRadius: the matched tracks within so many heights of a track
	// correct its predicted position (Fuser.shiftLocally).
	localRadius = 4
	localRounds = 3
)

// Fuser fuses the readings of consecutive frames into one steady reading:
// it tracks each candidate across frames and accumulates its class
// evidence, so that a digit misread or lost in a few frames, or a
// spurious one in a frame, does not change the reading.
//
// Each frame, Update estimates the frame-to-frame motion of the sheet (a
// similarity transform: pan, zoom, rotation) from the candidates' box
// centres: the displacements between the recent tracks and the
// candidates are voted into a histogram, weighted by how alike their
// classes are, and the peak is refined by least squares on the pairs it
// explains. Every track is moved by it, and the candidates are associated
// to tracks by predicted position, size and class. A track sums its
// candidates' class probabilities (model.NotDigit too), decayed by evDecay
// at each sighting; it joins the reading once seen in 3 of the last 5
// frames, and leaves it when unseen for twice as many frames as it was
// firmly seen in (read as its class with at least MinConfidence; 3 to 45
// frames, a second and a half at 30 fps: a finger over a digit does not
// remove it), sooner out of view, and at once if never read firmly. Two frames in a row that lose most of the reading while
// unknown candidates appear mean a new sheet: the old tracks are dropped.
//
// The reading orders the tracks into lines by the frames' own lines:
// tracks read on one line in recent frames (an affinity averaged over
// frames) form a line, lines are ordered across the text's direction and
// digits along it, the direction being measured from the frames' lines.
// A word break before a track is averaged over the frames that saw the
// same neighbour before it; a track read as not a digit between two
// digits is a break too, as in a frame's reading.
//
// A Fuser allocates nothing per frame once its buffers have grown. The
// zero value is ready to use.
type Fuser struct {
	// MinConfidence marks a fused digit Low when its mean probability is
	// lower.
	MinConfidence float32

	tracks [maxTracks]track
	nextID uint64
	// aff[a*maxTracks+b] is how often tracks a and b were read on one
	// line when both were seen: 1 always, 0 never.
	aff      []float32
	dirX     float32 // the text's direction, a unit vector
	dirY     float32
	dirKnown bool // dirX, dirY were measured
	frames   uint64
	suspect  int // frames in a row that look like a new sheet
	lastMove similarity

	det   []detection
	pairs []pair
	links []pair
	hist  []float32
	tmp   []float32
	idx   []int32
	comp  []int32
	key   []float32
	out   reading.Reading
}

// track is a candidate followed across frames.
type track struct {
	alive      bool
	confirmed  bool
	id         uint64 // creation order: breaks ties
	born       uint64 // the frame it was created in
	x, y       float32
	w, h       float32
	ev         [classes]float32 // decayed sum of class probabilities
	weight     float32          // decayed sum of the sightings' weights
	dist       [classes]float32 // ev normalised
	class      int
	hits       int     // sightings
	firm       float32 // sightings read as its class with at least MinConfidence, weighted as in weight
	misses     int     // frames unseen since the latest sighting
	seen       uint32  // bit i: seen i frames ago
	space      float32
	left       int32 // the track before it on its line, or -1
	alt        int32 // another track the frames saw before it
	altN       int   // in so many frames in a row
	det        int32 // this frame's candidate, or -1
	suppressed bool
	speed      float32 // how far it moved since the last frame
	px, py     float32 // where the motion puts it in this frame
}

// detection is one candidate of the frame.
type detection struct {
	x, y, w, h float32
	line       int
	space      bool
	p          [classes]float32
	track      int32
}

// pair links track i to candidate j: a displacement (dx, dy) and a weight
// for the motion, or a cost for the association.
type pair struct {
	i, j   int32
	dx, dy float32
	w      float32
}

// similarity maps (x, y) to (a·x − b·y + tx, b·x + a·y + ty).
type similarity struct{ a, b, tx, ty float32 }

var identity = similarity{a: 1}

func (s similarity) apply(x, y float32) (float32, float32) {
	return s.a*x - s.b*y + s.tx, s.b*x + s.a*y + s.ty
}

func (s similarity) scale() float32 { return float32(math.Hypot(float64(s.a), float64(s.b))) }

// Reset forgets every track.
func (f *Fuser) Reset() {
	for i := range f.tracks {
		f.tracks[i].alive = false
	}
	f.suspect = 0
	f.lastMove = identity
	f.dirKnown = false
}

// Update fuses one frame's reading (rd, of a frame with the given bounds)
// into the tracks and returns the fused reading, valid until the next
// Update. Its digits are in reading order with their fused class, mean
// probability, box (where the track is in this frame), line and break;
// its Candidates, Results and Probs are empty.
func (f *Fuser) Update(rd *reading.Reading, bounds image.Rectangle) *reading.Reading {
	if f.aff == nil {
		f.aff = make([]float32, maxTracks*maxTracks)
		f.dirX = 1
		f.lastMove = identity
	}
	f.frames++
	f.load(rd)
	m, _ := f.motion(bounds)
	f.lastMove = m
	f.move(m, bounds)
	matched := f.associate()
	// Tracks matched in a round pass their correction on to their
	// neighbours in the next.
	for range localRounds {
		if !f.shiftLocally() {
			break
		}
		n := f.associate()
		if n == matched {
			break
		}
		matched = n
	}
	f.update(bounds)
	f.checkReset(bounds)
	f.measureDirection()
	f.suppress()
	return f.compose()
}

// load copies the frame's candidates into f.det.
func (f *Fuser) load(rd *reading.Reading) {
	f.det = f.det[:0]
	k := rd.Classes
	for i := range rd.Candidates {
		c := &rd.Candidates[i]
		d := detection{
			x: float32(c.Box.Min.X+c.Box.Max.X) / 2, y: float32(c.Box.Min.Y+c.Box.Max.Y) / 2,
			w: float32(max(1, c.Box.Dx())), h: float32(max(1, c.Box.Dy())),
			line: c.Line, space: c.Space, track: -1,
		}
		if k > 0 && len(rd.Probs) >= (i+1)*k {
			copy(d.p[:min(k, classes)], rd.Probs[i*k:(i+1)*k])
		} else if i < len(rd.Results) {
			d.p[min(rd.Results[i].Class, classes-1)] = 1
		}
		f.det = append(f.det, d)
	}
}

// classSim is how alike two class distributions are: the sum of their
// smaller probabilities, 0 to 1.
func classSim(p, q *[classes]float32) float32 {
	var s float32
	for c := range p {
		s += min(p[c], q[c])
	}
	return s
}

// motion estimates how the sheet moved since the last frame: a
// similarity transform from the recent tracks' positions to this frame's
// candidates. ok is false when nothing ties them (the identity is
// returned then).
func (f *Fuser) motion(bounds image.Rectangle) (similarity, bool) {
	if len(f.det) == 0 {
		return identity, false
	}
	// The typical candidate height sets the histogram's bin.
	f.tmp = f.tmp[:0]
	for j := range f.det {
		f.tmp = append(f.tmp, f.det[j].h)
	}
	slices.Sort(f.tmp)
	typH := f.tmp[len(f.tmp)/2]
	r := 0.3 * float32(max(bounds.Dx(), bounds.Dy()))
	bin := max(2, typH/2)
	g := int(2*r/bin) + 1
	if g > 160 {
		g = 160
		bin = 2 * r / float32(g-1)
	}
	if cap(f.hist) < g*g {
		f.hist = make([]float32, g*g)
	}
	f.hist = f.hist[:g*g]
	clear(f.hist)
	f.pairs = f.pairs[:0]
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive || !t.confirmed && t.misses > recentMisses {
			continue
		}
		for j := range f.det {
			d := &f.det[j]
			dx, dy := d.x-t.x, d.y-t.y
			if dx <= -r || dx >= r || dy <= -r || dy >= r {
				continue
			}
			if q := d.h / t.h; q < 0.6 || q > 1.67 {
				continue
			}
			w := 0.2 + classSim(&t.dist, &d.p)
			f.pairs = append(f.pairs, pair{i: int32(i), j: int32(j), dx: dx, dy: dy, w: w})
			bx, by := int((dx+r)/bin), int((dy+r)/bin)
			f.hist[min(by, g-1)*g+min(bx, g-1)] += w
		}
	}
	if len(f.pairs) == 0 {
		return identity, false
	}
	// The peak: the 3x3 window of bins with the most weight.
	best, bx, by := float32(-1), 0, 0
	for y := 0; y < g; y++ {
		for x := 0; x < g; x++ {
			if f.hist[y*g+x] == 0 {
				continue
			}
			var s float32
			for yy := max(0, y-1); yy <= min(g-1, y+1); yy++ {
				for xx := max(0, x-1); xx <= min(g-1, x+1); xx++ {
					s += f.hist[yy*g+xx]
				}
			}
			if s > best {
				best, bx, by = s, x, y
			}
		}
	}
	cx, cy := (float32(bx)+0.5)*bin-r, (float32(by)+0.5)*bin-r
	var sw, sx, sy float32
	for _, p := range f.pairs {
		if abs32(p.dx-cx) <= 1.5*bin && abs32(p.dy-cy) <= 1.5*bin {
			sw += p.w
			sx += p.w * p.dx
			sy += p.w * p.dy
		}
	}
	if sw == 0 {
		return identity, false
	}
	m := similarity{a: 1, tx: sx / sw, ty: sy / sw}
	// Refine: match each track to its nearest candidate under m, fit a
	// similarity to the matches, twice, the second time closer.
	for iter, radius := range [2]float32{0.5, 0.3} {
		n, fit := f.fit(m, radius)
		if n == 0 {
			if iter == 0 {
				return identity, false
			}
			break
		}
		m = fit
	}
	// The motion must explain a good part of what was there and what is:
	// between two unrelated frames (a new sheet) a few chance pairs of
	// like classes make a peak too.
	var tracked int
	for i := range f.tracks {
		if t := &f.tracks[i]; t.alive && (t.confirmed || t.misses <= recentMisses) {
			tracked++
		}
	}
	var support float32
	for _, l := range f.links {
		support += l.w - 0.2 // the class likeness of the inliers
	}
	if support < minSupport*float32(min(tracked, len(f.det))) {
		return identity, false
	}
	return m, true
}

// fit matches each track of f.pairs to its nearest candidate under m
// (within radius times its height) and returns the number of matches and
// the similarity that fits them best in least squares (a translation for
// fewer than three matches, or when the similarity turns or scales more
// than a hand does in a frame).
func (f *Fuser) fit(m similarity, radius float32) (int, similarity) {
	var n int
	var sw, spx, spy, sqx, sqy float32
	// First pass: the weighted centroids of the matches.
	f.links = f.links[:0]
	for k := 0; k < len(f.pairs); {
		i := f.pairs[k].i
		t := &f.tracks[i]
		px, py := m.apply(t.x, t.y)
		bestD, bestJ, bestW := radius*radius*t.h*t.h, int32(-1), float32(0)
		for ; k < len(f.pairs) && f.pairs[k].i == i; k++ {
			d := &f.det[f.pairs[k].j]
			if dx, dy := d.x-px, d.y-py; dx*dx+dy*dy < bestD {
				bestD, bestJ, bestW = dx*dx+dy*dy, f.pairs[k].j, f.pairs[k].w
			}
		}
		if bestJ < 0 {
			continue
		}
		d := &f.det[bestJ]
		f.links = append(f.links, pair{i: i, j: bestJ, w: bestW})
		n++
		sw += bestW
		spx += bestW * t.x
		spy += bestW * t.y
		sqx += bestW * d.x
		sqy += bestW * d.y
	}
	if n == 0 {
		return 0, m
	}
	px, py, qx, qy := spx/sw, spy/sw, sqx/sw, sqy/sw
	tr := similarity{a: 1, tx: qx - px, ty: qy - py}
	if n < 3 {
		return n, tr
	}
	var s, sa, sb float32
	for _, l := range f.links {
		t, d := &f.tracks[l.i], &f.det[l.j]
		ux, uy := t.x-px, t.y-py
		vx, vy := d.x-qx, d.y-qy
		s += l.w * (ux*ux + uy*uy)
		sa += l.w * (ux*vx + uy*vy)
		sb += l.w * (ux*vy - uy*vx)
	}
	if s < 1 {
		return n, tr
	}
	a, b := sa/s, sb/s
	sim := similarity{a: a, b: b}
	if sc := sim.scale(); sc < 0.85 || sc > 1.18 || abs32(b) > 0.15*sc {
		return n, tr
	}
	sim.tx, sim.ty = qx-(a*px-b*py), qy-(b*px+a*py)
	return n, sim
}

// move carries every track by m into this frame.
func (f *Fuser) move(m similarity, bounds image.Rectangle) {
	sc := m.scale()
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive {
			continue
		}
		x, y := m.apply(t.x, t.y)
		t.speed = float32(math.Hypot(float64(x-t.x), float64(y-t.y)))
		t.x, t.y = x, y
		t.px, t.py = x, y
		t.w *= sc
		t.h *= sc
		t.det = -1
	}
	// The text's direction turns with the sheet.
	dx, dy := m.a*f.dirX-m.b*f.dirY, m.b*f.dirX+m.a*f.dirY
	if l := float32(math.Hypot(float64(dx), float64(dy))); l > 0 {
		f.dirX, f.dirY = dx/l, dy/l
	}
}

// associate links candidates to tracks: the nearest pairs first, by
// distance in track heights and class likeness; then the tracks left
// over, over a wider gate, to candidates of a like class. It returns the
// number of tracks linked.
func (f *Fuser) associate() int {
	for pass, gate := range [2]float32{0.6, 1.2} {
		f.links = f.links[:0]
		for i := range f.tracks {
			t := &f.tracks[i]
			if !t.alive || t.det >= 0 {
				continue
			}
			for j := range f.det {
				d := &f.det[j]
				if d.track >= 0 {
					continue
				}
				g := gate * max(t.h, d.h)
				dx, dy := d.x-t.x, d.y-t.y
				if abs32(dx) >= g || abs32(dy) >= g {
					continue
				}
				if !sameSize(t, d) {
					continue
				}
				dist := float32(math.Hypot(float64(dx), float64(dy)))
				if dist >= g {
					continue
				}
				// A confident reading that contradicts a track sure of its
				// class is something else: a new sheet where the old one was.
				sim := classSim(&t.dist, &d.p)
				if pass == 1 && sim < 0.5 || sim < 0.2 && t.confirmed && t.dist[t.class] > 0.7 && d.p[d.class()] > 0.7 {
					continue
				}
				cost := dist/t.h + 0.5*(1-sim) + abs32(d.h-t.h)/max(d.h, t.h) + abs32(d.w-t.w)/max(d.w, t.w, d.h, t.h)
				f.links = append(f.links, pair{i: int32(i), j: int32(j), w: cost})
			}
		}
		slices.SortFunc(f.links, func(a, b pair) int {
			switch {
			case a.w < b.w:
				return -1
			case a.w > b.w:
				return 1
			case a.i != b.i:
				return int(a.i - b.i)
			}
			return int(a.j - b.j)
		})
		for _, l := range f.links {
			t, d := &f.tracks[l.i], &f.det[l.j]
			if t.det >= 0 || d.track >= 0 {
				continue
			}
			t.det, d.track = l.j, l.i
		}
	}
	n := 0
	for i := range f.tracks {
		if f.tracks[i].alive && f.tracks[i].det >= 0 {
			n++
		}
	}
	return n
}

// shiftLocally moves each track left without a candidate from where the
// motion put it by the mean error of the motion at its matched neighbours (within localRadius of
// its heights, nearer ones weighing more), and reports whether any moved.
// The motion is one similarity for the whole frame; a sheet seen at a
// slant, or bent, moves differently in its corners, by more than a small
// digit's association gate.
func (f *Fuser) shiftLocally() bool {
	moved := false
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive || t.det >= 0 {
			continue
		}
		var sw, sx, sy float32
		n := 0
		r2 := localRadius * localRadius * t.h * t.h
		for k := range f.tracks {
			o := &f.tracks[k]
			if !o.alive || o.det < 0 {
				continue
			}
			dx, dy := o.px-t.px, o.py-t.py
			d2 := dx*dx + dy*dy
			if d2 > r2 {
				continue
			}
			d := &f.det[o.det]
			w := 1 / (1 + d2/(t.h*t.h))
			sw += w
			sx += w * (d.x - o.px)
			sy += w * (d.y - o.py)
			n++
		}
		if n >= 2 {
			t.x, t.y = t.px+sx/sw, t.py+sy/sw
			moved = true
		}
	}
	return moved
}

// class is the candidate's most probable class.
func (d *detection) class() int {
	best := 0
	for c := range d.p {
		if d.p[c] > d.p[best] {
			best = c
		}
	}
	return best
}

// sameSize reports whether candidate d may be track t by its size: a
// candidate of two digits read as one, or of a piece of one, is not.
func sameSize(t *track, d *detection) bool {
	return abs32(d.h-t.h) <= 0.35*max(d.h, t.h) && abs32(d.w-t.w) <= 0.35*max(d.w, t.w)+0.15*max(d.h, t.h)
}

// update takes each candidate into its track (or a new one) and ages the
// tracks not seen.
func (f *Fuser) update(bounds image.Rectangle) {
	for j := range f.det {
		d := &f.det[j]
		if d.track >= 0 {
			continue
		}
		i := f.newTrack()
		if i < 0 {
			continue
		}
		t := &f.tracks[i]
		*t = track{alive: true, id: f.nextID, born: f.frames, x: d.x, y: d.y, w: d.w, h: d.h, det: int32(j), left: -1}
		f.nextID++
		d.track = int32(i)
		row := f.aff[i*maxTracks : (i+1)*maxTracks]
		clear(row)
		for k := range f.tracks {
			f.aff[k*maxTracks+i] = 0
		}
	}
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive {
			continue
		}
		t.seen <<= 1
		if t.det < 0 {
			t.misses++
			continue
		}
		d := &f.det[t.det]
		if t.hits > 0 {
			t.x += 0.7 * (d.x - t.x)
			t.y += 0.7 * (d.y - t.y)
			t.w += 0.5 * (d.w - t.w)
			t.h += 0.5 * (d.h - t.h)
		}
		t.hits++
		t.misses = 0
		t.seen |= 1
		// A frame taken while the sheet moved fast is blurred: its
		// reading counts less, and takes less from the older ones.
		v := t.speed / (blurSpeed * t.h)
		w := max(0.1, 1/(1+v*v))
		keep := 1 - (1-evDecay)*w
		var sum float32
		best := 0
		for c := range t.ev {
			t.ev[c] = keep*t.ev[c] + w*d.p[c]
			sum += t.ev[c]
			if t.ev[c] > t.ev[best] {
				best = c
			}
		}
		if sum > 0 {
			for c := range t.ev {
				t.dist[c] = t.ev[c] / sum
			}
		}
		if t.hits == 1 || t.ev[best] > switchMargin*t.ev[t.class] {
			t.class = best
		}
		t.weight = keep*t.weight + w
		// What holds a track unseen is the frames that read it firmly:
		// a shape read half as a 7 and half as not a digit in a few
		// frames while the camera moved is not held as a digit under a
		// finger would be.
		if d.p[t.class] >= f.MinConfidence {
			t.firm += w
		}
		if !t.confirmed && bits.OnesCount32(t.seen&(1<<confirmWindow-1)) >= confirmSeen && t.weight >= confirmWeight {
			t.confirmed = true
		}
	}
	// Lines and breaks, from the frame's own lines: the candidates of a
	// frame line are consecutive, in reading order.
	for j := range f.det {
		d := &f.det[j]
		if d.track < 0 {
			continue
		}
		t := &f.tracks[d.track]
		left := int32(-1)
		if j > 0 && f.det[j-1].line == d.line {
			left = f.det[j-1].track
		}
		// A break is measured against the neighbour the track had before
		// it. While that one is unseen (under a finger) the frames'
		// neighbour is not the track's; another neighbour seen with it
		// (the frames' lines changed) replaces it once the frames agree
		// on it for switchFrames in a row.
		obs := float32(0)
		if d.space && left >= 0 {
			obs = 1
		}
		hidden := t.left >= 0 && f.tracks[t.left].alive && f.tracks[t.left].det < 0
		switch {
		case t.hits == 1, t.left >= 0 && !f.tracks[t.left].alive:
			t.left, t.space, t.altN = left, obs, 0
		case left == t.left:
			t.space += spaceAlpha * (obs - t.space)
			t.altN = 0
		case hidden:
		case left == t.alt && t.altN+1 >= switchFrames:
			t.left, t.space, t.altN = left, obs, 0
		case left == t.alt:
			t.altN++
		default:
			t.alt, t.altN = left, 1
		}
		for k := j + 1; k < len(f.det) && f.det[k].line == d.line; k++ {
			f.setAff(d.track, f.det[k].track, 1)
		}
		for k := j + 1; k < len(f.det); k++ {
			if f.det[k].line != d.line {
				f.setAff(d.track, f.det[k].track, 0)
			}
		}
	}
	// Age and drop.
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive || t.misses == 0 {
			continue
		}
		switch {
		case !t.confirmed:
			if t.misses >= tentativeMisses {
				t.alive = false
			}
			continue
		case float32(t.misses) > t.hold():
			t.alive = false
		case t.misses >= displacedMisses && f.displaced(i):
			t.alive = false
		case t.misses > outHold && !inView(t, bounds):
			t.alive = false
		}
	}
}

// hold is how many frames track t stays in the reading unseen.
func (t *track) hold() float32 {
	if t.firm == 0 {
		return 0
	}
	return min(maxHold, max(minHold, 2*t.firm))
}

// displaced reports whether exactly one other confirmed track of a digit,
// of about the same height, was seen in this frame where unseen track i
// is: nothing hides track i, which is a copy of that digit left behind
// when the motion was misjudged, or a digit written over (held, it would
// be read beside the digit there). Two or more there are the same ink read
// as two digits in some frames and as one in others, which Fuser.suppress
// decides by the frames.
func (f *Fuser) displaced(i int) bool {
	t := &f.tracks[i]
	n := 0
	for k := range f.tracks {
		o := &f.tracks[k]
		if k == i || !o.alive || !o.confirmed || o.det < 0 || o.class >= model.Digits || abs32(o.h-t.h) > 0.35*max(o.h, t.h) {
			continue
		}
		if abs32(o.x-t.x) < 0.5*max(o.w, t.w) && abs32(o.y-t.y) < 0.5*max(o.h, t.h) {
			n++
		}
	}
	return n == 1
}

// setAff moves the line affinity of tracks a and b towards v (1: one
// line, 0: two); a new track takes the frame's word.
func (f *Fuser) setAff(a, b int32, v float32) {
	if a < 0 || b < 0 || a == b {
		return
	}
	p, q := &f.aff[int(a)*maxTracks+int(b)], &f.aff[int(b)*maxTracks+int(a)]
	if f.tracks[a].hits == 1 || f.tracks[b].hits == 1 {
		*p = v
	} else {
		*p += lineAlpha * (v - *p)
	}
	*q = *p
}

func inView(t *track, bounds image.Rectangle) bool {
	return t.x >= float32(bounds.Min.X) && t.x < float32(bounds.Max.X) &&
		t.y >= float32(bounds.Min.Y) && t.y < float32(bounds.Max.Y)
}

// newTrack returns a free slot, or the weakest tentative track's, or -1.
func (f *Fuser) newTrack() int {
	weak, weakHits := -1, math.MaxInt
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive {
			return i
		}
		if !t.confirmed && t.det < 0 && t.hits < weakHits {
			weak, weakHits = i, t.hits
		}
	}
	return weak
}

// checkReset drops the old tracks when two frames in a row look like a
// new sheet: under a third of the confirmed tracks in view found, and
// digits new in these frames, most of the frame's candidates, at least
// half as many as the tracks lost.
func (f *Fuser) checkReset(bounds image.Rectangle) {
	var inv, found, fresh int
	for i := range f.tracks {
		t := &f.tracks[i]
		if !t.alive {
			continue
		}
		if t.born+resetFrames > f.frames && t.det >= 0 && t.class < model.Digits {
			fresh++
		}
		if t.confirmed && inView(t, bounds) {
			inv++
			if t.det >= 0 {
				found++
			}
		}
	}
	if inv >= 2 && 3*found < inv && fresh >= max(2, (inv-found)/2) && 2*fresh > len(f.det) {
		f.suspect++
	} else {
		f.suspect = 0
	}
	if f.suspect < resetFrames {
		return
	}
	// Keep what was born in the suspect frames, or seen in each of them:
	// the new sheet.
	const all = 1<<resetFrames - 1
	for i := range f.tracks {
		if t := &f.tracks[i]; t.alive && t.born+resetFrames <= f.frames && t.seen&all != all {
			t.alive = false
		}
	}
	f.suspect = 0
}

// measureDirection blends the text direction the frame's lines show (the
// vectors from each line's first candidate to its last, summed) into the
// fused one.
func (f *Fuser) measureDirection() {
	var sx, sy float32
	for j := 0; j < len(f.det); {
		k := j
		for k+1 < len(f.det) && f.det[k+1].line == f.det[j].line {
			k++
		}
		if k > j {
			sx += f.det[k].x - f.det[j].x
			sy += f.det[k].y - f.det[j].y
		}
		j = k + 1
	}
	l := float32(math.Hypot(float64(sx), float64(sy)))
	if l == 0 {
		return
	}
	if !f.dirKnown {
		f.dirX, f.dirY, f.dirKnown = sx/l, sy/l, true
		return
	}
	dx, dy := f.dirX+0.3*(sx/l-f.dirX), f.dirY+0.3*(sy/l-f.dirY)
	if l := float32(math.Hypot(float64(dx), float64(dy))); l > 0 {
		f.dirX, f.dirY = dx/l, dy/l
	}
}

// suppress resolves the reading's tracks that overlap: the extractor may
// read two digits as one candidate in some frames and as two in others
// (or one digit as two pieces), and each reading becomes a track. Of two
// tracks whose boxes overlap by more than half the smaller one, the one
// seen in fewer of the last eight frames is left out, if the other is a
// digit: a digit found again under a new track after the motion was lost
// goes too. What is no digit (a finger resting over digits) hides nothing.
func (f *Fuser) suppress() {
	f.idx = f.idx[:0]
	for i := range f.tracks {
		t := &f.tracks[i]
		t.suppressed = false
		if t.alive && t.confirmed {
			f.idx = append(f.idx, int32(i))
		}
	}
	score := func(t *track) int { return bits.OnesCount32(t.seen&0xff)<<16 + min(t.hits, 0xffff) }
	slices.SortFunc(f.idx, func(a, b int32) int {
		ta, tb := &f.tracks[a], &f.tracks[b]
		if sa, sb := score(ta), score(tb); sa != sb {
			return sb - sa
		}
		return cmpID(ta.id, tb.id)
	})
	for k, i := range f.idx {
		t := &f.tracks[i]
		if t.suppressed || t.class >= model.Digits {
			continue
		}
		for _, j := range f.idx[k+1:] {
			o := &f.tracks[j]
			if !o.suppressed && overlap(t, o) > 0.5 {
				o.suppressed = true
			}
		}
	}
}

// overlap is the area two tracks' boxes share over the smaller box's.
func overlap(a, b *track) float32 {
	w := min(a.x+a.w/2, b.x+b.w/2) - max(a.x-a.w/2, b.x-b.w/2)
	h := min(a.y+a.h/2, b.y+b.h/2) - max(a.y-a.h/2, b.y-b.h/2)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h / min(a.w*a.h, b.w*b.h)
}

func cmpID(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compose builds the fused reading from the tracks in it.
func (f *Fuser) compose() *reading.Reading {
	rd := &f.out
	rd.Digits, rd.Text, rd.Confident = rd.Digits[:0], rd.Text[:0], false
	rd.Candidates, rd.Results, rd.Probs = nil, nil, nil
	// The tracks in the reading, digits and not.
	f.idx = f.idx[:0]
	for i := range f.tracks {
		t := &f.tracks[i]
		if t.alive && t.confirmed && !t.suppressed {
			f.idx = append(f.idx, int32(i))
		}
	}
	if len(f.idx) == 0 {
		return rd
	}
	// Lines: the components of the affinity graph over them.
	if cap(f.comp) < maxTracks {
		f.comp = make([]int32, maxTracks)
		f.key = make([]float32, maxTracks)
	}
	comp := f.comp[:maxTracks]
	for _, i := range f.idx {
		comp[i] = i
	}
	for a, i := range f.idx {
		ti := &f.tracks[i]
		ui, vi := f.along(ti)
		for _, j := range f.idx[a+1:] {
			tj := &f.tracks[j]
			uj, vj := f.along(tj)
			h := max(ti.h, tj.h)
			// Two tracks are on one line if the frames said so and they
			// stand side by side along the text: a few frames whose lines
			// were mixed up must not join two lines. Neighbours well in
			// line with each other stay on one line unless the frames
			// firmly said not, so that a few such frames do not split a
			// line either.
			dv, aff := abs32(vj-vi), f.aff[int(i)*maxTracks+int(j)]
			if dv < lineSpread*h && (aff > 0.5 || aff > 0.2 && dv < 0.3*h && abs32(uj-ui) < 2*h) {
				ri, rj := root(comp, i), root(comp, j)
				if ri != rj {
					comp[max(ri, rj)] = min(ri, rj)
				}
			}
		}
	}
	// Each line's key: its members' mean position across the text.
	key := f.key[:maxTracks]
	var cnt [maxTracks]uint16
	for _, i := range f.idx {
		key[i] = 0
		cnt[i] = 0
	}
	for _, i := range f.idx {
		r := root(comp, i)
		comp[i] = r
		_, v := f.along(&f.tracks[i])
		key[r] += v
		cnt[r]++
	}
	for _, i := range f.idx {
		if comp[i] == i {
			key[i] /= float32(cnt[i])
		}
	}
	slices.SortFunc(f.idx, func(a, b int32) int {
		ra, rb := comp[a], comp[b]
		if ra != rb {
			if ka, kb := key[ra], key[rb]; ka != kb {
				return cmp32(ka, kb)
			}
			return int(ra - rb)
		}
		ua, _ := f.along(&f.tracks[a])
		ub, _ := f.along(&f.tracks[b])
		if ua != ub {
			return cmp32(ua, ub)
		}
		return int(a - b)
	})
	line, cur := -1, int32(-1)
	started, gap, low := false, false, false
	for _, i := range f.idx {
		t := &f.tracks[i]
		if comp[i] != cur {
			cur, started, gap = comp[i], false, false
		}
		if t.class >= model.Digits {
			gap = true // a break before the next digit of the line
			continue
		}
		d := reading.Digit{Digit: t.class, Confidence: t.dist[t.class], Box: t.box()}
		d.Low = d.Confidence < f.MinConfidence
		switch {
		case !started:
			started = true
			line++
			if line > 0 {
				rd.Text = append(rd.Text, '\n')
			}
		case t.space > 0.5 || gap:
			d.Space = true
			rd.Text = append(rd.Text, ' ')
		}
		d.Line = line
		rd.Text = append(rd.Text, byte('0'+d.Digit))
		rd.Digits = append(rd.Digits, d)
		low = low || d.Low
		gap = false
	}
	rd.Confident = len(rd.Digits) > 0 && !low
	return rd
}

// along returns where t is along the text's direction (u) and across it
// (v, downwards).
func (f *Fuser) along(t *track) (u, v float32) {
	return f.dirX*t.x + f.dirY*t.y, -f.dirY*t.x + f.dirX*t.y
}

// box is the track's box in this frame.
func (t *track) box() image.Rectangle {
	x0, y0 := int(math.Round(float64(t.x-t.w/2))), int(math.Round(float64(t.y-t.h/2)))
	return image.Rect(x0, y0, x0+max(1, int(math.Round(float64(t.w)))), y0+max(1, int(math.Round(float64(t.h)))))
}

func root(comp []int32, i int32) int32 {
	for comp[i] != i {
		comp[i] = comp[comp[i]]
		i = comp[i]
	}
	return i
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

func cmp32(a, b float32) int {
	if a < b {
		return -1
	}
	return 1
}
