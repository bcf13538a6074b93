//go:build (!amd64 && !arm64) || purego

package kernel

func useReluSIMD() bool { return false }

func reluSIMD(x []float32) { reluGeneric(x) }

func reluGradSIMD(d, out []float32) { reluGradGeneric(d, out) }

func addBiasSIMD(x, bias []float32, relu bool) { addBiasGeneric(x, bias, relu) }
