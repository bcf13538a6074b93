package extract

import "image"

// The sheet. A webcam sees the sheet and what is around it: the table, a
// sweater, the hand holding it. The paper grid tells them apart: paper is
// bright, even in a shadow or a vignetted corner (half as bright as the
// rest, and its brightness changes by at most that much from block to
// block), while what lies around a sheet is much darker, or steps down at
// the sheet's edge. The sheet is the largest region of bright blocks joined
// by such changes; digits are looked for on it only.

// Thresholds of the sheet, as fractions of the paper's brightness.
const (
	sheetStep  = 0.45 // neighbouring blocks of one sheet differ by less than this factor (a shadow's edge)
	sheetFloor = 0.3  // of the brightest paper: darker blocks are not paper
	sheetMin   = 0.15 // of the frame: a smaller region is no sheet (all of the frame is kept)
	sheetOut   = 0.3  // of a component's blocks: more of them off the sheet and it is not on it
)

// findSheet marks in e.onSheet the blocks of the paper grid that belong to
// the sheet: the largest region of blocks at least sheetFloor of the
// brightest paper, joined to their neighbours where the brightness changes
// by a factor above sheetStep. When no region covers sheetMin of the frame
// the whole frame counts as sheet.
func (e *Extractor) findSheet() {
	bw, bh := e.bgw, e.bgh
	n := bw * bh
	e.onSheet = grow(e.onSheet, n)
	e.sheetUF = grow(e.sheetUF, n)
	bg, uf := e.bg[:n], e.sheetUF[:n]
	// The brightest paper, leaving out the brightest 5% of the blocks (a
	// lamp or a window in view).
	e.tmpF = append(e.tmpF[:0], bg...)
	floor := sheetFloor * quantile(e.tmpF, 0.95)
	for i := range uf {
		uf[i] = int32(i)
	}
	near := func(a, b float32) bool { return a >= floor && b >= floor && min(a, b) >= sheetStep*max(a, b) }
	for j := 0; j < bh; j++ {
		for i := 0; i < bw; i++ {
			k := j*bw + i
			if i+1 < bw && near(bg[k], bg[k+1]) {
				unionBlocks(uf, int32(k), int32(k+1))
			}
			if j+1 < bh && near(bg[k], bg[k+bw]) {
				unionBlocks(uf, int32(k), int32(k+bw))
			}
		}
	}
	// The largest region: count blocks per root in the scratch of
	// onSheet's complement, reusing tmpF.
	e.tmpF = grow(e.tmpF, n)
	size := e.tmpF[:n]
	clear(size)
	best, bestN := int32(-1), float32(0)
	for k := range uf {
		r := findBlock(uf, int32(k))
		size[r]++
		if size[r] > bestN {
			best, bestN = r, size[r]
		}
	}
	whole := bestN < sheetMin*float32(n)
	e.sheetAll = true
	for k := range uf {
		on := whole || findBlock(uf, int32(k)) == best
		e.onSheet[k] = on
		e.sheetAll = e.sheetAll && on
	}
	// The rim of the sheet: its blocks beside a block off it.
	e.sheetRim = grow(e.sheetRim, n)
	for j := 0; j < bh; j++ {
		for i := 0; i < bw; i++ {
			rim := false
			if e.onSheet[j*bw+i] && !e.sheetAll {
				for dj := -1; dj <= 1 && !rim; dj++ {
					for di := -1; di <= 1; di++ {
						y, x := j+dj, i+di
						if x >= 0 && y >= 0 && x < bw && y < bh && !e.onSheet[y*bw+x] {
							rim = true
							break
						}
					}
				}
			}
			e.sheetRim[j*bw+i] = rim
		}
	}
}

// markSheetEdges counts, for each component, its pixels off the sheet or
// on its rim (comp.edge): the edge of a sheet against the table, which
// the paper grid sees as ink, lies there.
func (e *Extractor) markSheetEdges() {
	if e.sheetAll {
		return
	}
	blk, bw := e.blk, e.bgw
	for i := range e.runs {
		r := &e.runs[i]
		k := int(r.y)/blk*bw + int(r.x0+r.x1)/2/blk
		if !e.onSheet[k] || e.sheetRim[k] {
			e.comps[e.compOf[i]].edge += r.x1 - r.x0
		}
	}
}

// offSheet reports whether more than sheetOut of the blocks under box lie
// off the sheet.
func (e *Extractor) offSheet(box image.Rectangle) bool {
	if e.sheetAll {
		return false
	}
	blk := e.blk
	i0, i1 := box.Min.X/blk, min((box.Max.X-1)/blk, e.bgw-1)
	j0, j1 := box.Min.Y/blk, min((box.Max.Y-1)/blk, e.bgh-1)
	off, all := 0, 0
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			all++
			if !e.onSheet[j*e.bgw+i] {
				off++
			}
		}
	}
	return float32(off) > sheetOut*float32(all)
}

func findBlock(uf []int32, i int32) int32 {
	for uf[i] != i {
		uf[i] = uf[uf[i]]
		i = uf[i]
	}
	return i
}

func unionBlocks(uf []int32, a, b int32) {
	ra, rb := findBlock(uf, a), findBlock(uf, b)
	if ra < rb {
		uf[rb] = ra
	} else if rb < ra {
		uf[ra] = rb
	}
}
