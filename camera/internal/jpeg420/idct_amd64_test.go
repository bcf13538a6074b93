//go:build !purego

package jpeg420

func init() {
	if useAVX2 {
		idcts["avx2"] = func(b *block, px *[blockSize]uint8) { idctAVX2((*[blockSize]int32)(b), px, &idctK) }
	}
}
