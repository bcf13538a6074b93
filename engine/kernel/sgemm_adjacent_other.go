//go:build !amd64 || purego

package kernel

// sgemmTileAdjacent has no kernel to run on this build: the tile runs on
// sgemmTile.
func sgemmTileAdjacent(w, mr, k int, a *float32, rsa, csa int, b *float32, rsb int, c *float32, ldc, nr int, load bool) bool {
	return false
}
