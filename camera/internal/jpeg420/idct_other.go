//go:build purego || !amd64

package jpeg420

// idct is idctGo: the AVX2 form is for amd64.
func idct(b *block, px *[blockSize]uint8) { idctGo(b, px) }
