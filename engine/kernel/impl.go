package kernel

// Implementations, after crypto/internal/impl.
//
// Every SIMD implementation registers here with its family, its name and
// its dispatch switch, a package variable that the family's entry points
// test on every call and that starts true only where the CPU runs it. The
// tests and benchmarks list a family's implementations and select each in
// turn (selectImpl), then the Generic code, and run the public entry
// points through the dispatch as users do; resetImpls restores the
// switches. Nothing else writes them.
//
// The families are the dispatch switches' scope:
//
//	float32  Sgemm, SgemmPacked, SgemmPackedWindows, SgemvPackedSparse,
//	         SconvC1x6S1, CopyWindows, CopyWindowsInt8, AddWindows, Relu,
//	         ReluGrad, AddBias, Adam, PeakFMA
//	int8     GemmInt8, GemmInt8Windows (with RequantInt8)
const (
	familyFloat32 = "float32"
	familyInt8    = "int8"
)

// implementation is one registered SIMD implementation.
type implementation struct {
	family, name string
	available    bool  // the CPU and the build run it
	toggle       *bool // its dispatch switch
}

var implementations []implementation

// register records the implementation name of family, whose dispatch switch
// is toggle: its value now, at package initialisation, says whether the
// implementation is available. Architecture files call it from init.
func register(family, name string, toggle *bool) {
	implementations = append(implementations, implementation{family: family, name: name, available: *toggle, toggle: toggle})
}

// implNames returns the names of family's registered implementations, in
// the order of registration: none with the purego tag or on architectures
// without assembly.
func implNames(family string) []string {
	var names []string
	for _, im := range implementations {
		if im.family == family {
			names = append(names, im.name)
		}
	}
	return names
}

// implAvailable reports whether implementation name of family is
// registered and available on this CPU.
func implAvailable(family, name string) bool {
	for _, im := range implementations {
		if im.family == family && im.name == name {
			return im.available
		}
	}
	return false
}

// selectImpl makes the dispatch of family take implementation name, and
// none of the family's others; the empty name selects the Generic code. It
// reports false, and selects the Generic code, when name is not registered
// or not available on this CPU.
func selectImpl(family, name string) bool {
	ok := name == ""
	for _, im := range implementations {
		if im.family == family {
			on := im.name == name && im.available
			*im.toggle = on
			ok = ok || on
		}
	}
	return ok
}

// resetImpls turns family's dispatch back to what it was at start-up:
// every available implementation on.
func resetImpls(family string) {
	for _, im := range implementations {
		if im.family == family {
			*im.toggle = im.available
		}
	}
}
