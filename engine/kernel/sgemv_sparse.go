package kernel

import "math/bits"

// SgemvPackedSparse is SgemmPacked for a single row of A that skips the
// steps of k where the row is zero:
//
//	c = a·B         (accumulate == false)
//	c = c + a·B     (accumulate == true)
//
// with a of k elements, B packed by PackB(…, k, n, …) and c of n. Its
// results are bit for bit those of SgemmPacked(false, 1, n, k, a, k,
// packedB, c, n, accumulate) as long as B holds no infinity or NaN (a
// skipped step adds 0·b, which is ±0 for a finite b and NaN otherwise) and
// no partial sum underflows to −0 (a skipped 0·b can turn −0 into +0, so the
// sign of a zero may differ, never a value). That holds because the SIMD
// one-row tiles it uses keep the accumulator sets of SgemmPacked's: each
// nonzero step goes to the set and the place in it that the dense tile
// gives it, and adding ±0 to a nonzero sum leaves it unchanged.
//
// A layer after a ReLU has many zero inputs (seed99's first dense layer,
// reading 940 KB of weights per image at batch 1, sees about three
// quarters zeros on MNIST), and the product is bound by reading B: the rows
// of the zero steps are not read at all. Tiles without a sparse twin
// (see sgemvSparseSets), and every tile where the SIMD kernels are off,
// run dense, as SgemmPacked does. It never allocates and panics if a slice
// is too short for its shape.
func SgemvPackedSparse(n, k int, a, packedB, c []float32, accumulate bool) {
	if n < 0 || k < 0 {
		panic(errNegativeDim)
	}
	if n == 0 {
		return
	}
	if len(a) < k || len(c) < n {
		panic(errShortSlice)
	}
	if len(packedB) < PackedBLen(k, n) {
		panic(errShortPacked)
	}
	if k == 0 {
		if !accumulate {
			clear(c[:n])
		}
		return
	}
	sgemvSparse(n, k, a, packedB, c, accumulate)
}

// sparseListLen bounds the entries of one slice's step lists: with s sets,
// the longest list has at most ⌊kc/s⌋ + s − 1 steps (set 0 takes the kc mod
// s steps past the last full round), and all s lists are padded to it.
const sparseListLen = sgemmKC + 8*7

// sgemvSparse is SgemvPackedSparse's driver: sgemmBlocked's loops over
// blocks, slices of k and panels for one row, with the sparse twin of each
// one-row tile that has one.
func sgemvSparse(n, k int, a, packed, c []float32, accumulate bool) {
	var mask [sgemmKC / 8]uint8 // bit j of mask[i]: step 8i+j of the slice is not zero
	var xs [sparseListLen]float32
	var offs [sparseListLen]int64
	wide := sgemmShapes[0]
	poff := 0
	for jc := 0; jc < n; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		nWide, rem, tail := sgemmSplit(nc)
		for pc := 0; pc < k; pc += sgemmKC {
			kc := min(sgemmKC, k-pc)
			load := accumulate || pc > 0
			row := a[pc : pc+kc]
			masked := false
			listed, steps := 0, 0 // the width the lists are made for, and their length
			for q := range panels(nWide, rem) {
				w, nr := panelWidth(q, nWide, rem, tail)
				panel := packed[poff : poff+kc*w]
				poff += kc * w
				cp := &c[jc+q*wide.w]
				sets := sparseSets(w)
				if sets == 0 {
					sgemmTile(w, 1, kc, 1, &row[0], kc, 1, 0, &panel[0], w, cp, n, nr, load, 0)
					continue
				}
				if !masked {
					nonzeroMask(row, mask[:])
					masked = true
				}
				if listed != w {
					steps = sparseLists(row, mask[:], sets, w, xs[:], offs[:])
					listed = w
				}
				sgemvSparseTile(w, steps, &xs[0], &offs[0], &panel[0], cp, nr, load)
			}
		}
	}
}

// nonzeroMaskGo sets bit j of mask[i] when row[8i+j] is not zero (NaN is
// not zero), for every element of row.
func nonzeroMaskGo(row []float32, mask []uint8) {
	mask = mask[:(len(row)+7)/8]
	clear(mask)
	for p, v := range row {
		if v != 0 {
			mask[p/8] |= 1 << (p % 8)
		}
	}
}

// sparseLists lists the nonzero elements of row, marked in mask as by
// nonzeroMaskGo, for a one-row tile of width w with sets accumulator sets:
// step p goes to set p mod sets, or to set 0 when p is past the last full
// round of sets, as in the dense tile. Entry t·sets+u of xs is the t-th
// element of set u, and the same entry of offs the byte offset of its row
// in a w-wide panel. Shorter lists are padded with zero elements on row 0
// (adding 0·b, as the dense tile does for every zero), and their common
// length, the tile's steps, is returned.
func sparseLists(row []float32, mask []uint8, sets, w int, xs []float32, offs []int64) int {
	full := len(row) / sets * sets
	pow2 := sets&(sets-1) == 0
	rowBytes := int64(w * 4)
	var next [8]int // the next entry of each set
	for set := range sets {
		next[set] = set
	}
	for i, m := range mask[:(len(row)+7)/8] {
		for m != 0 {
			p := 8*i + bits.TrailingZeros8(m)
			m &= m - 1
			set := 0
			switch {
			case p >= full:
			case pow2:
				set = p & (sets - 1)
			default:
				set = p % sets
			}
			e := next[set&7]
			next[set&7] = e + sets
			xs[e], offs[e] = row[p], int64(p)*rowBytes
		}
	}
	steps := 0
	for set := range sets {
		steps = max(steps, (next[set]-set)/sets)
	}
	for set := range sets {
		for e := next[set]; e < steps*sets; e += sets {
			xs[e], offs[e] = 0, 0
		}
	}
	return steps
}
