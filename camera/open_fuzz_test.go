package camera

import "testing"

// FuzzParseSpec feeds arbitrary --source specs to the parser of Open
// (without opening anything): errors are fine, panics are not, and what
// it accepts is within range.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		"", "rpicam:640x480@30", "rpicam:1280x720@15,stride=1280,exe=/bin/cat", "/dev/video0:640x480,format=mjpeg",
		"testdata/frames.y4m,loop,fps=10", "rec.i420:780x360,stride=832", "frames/,loop", "-", "webcam:@7.5",
		"rpicam:99999999999x1@1e300", "x.y4m,fps=-1", "a.png:1x1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := parseSpec(spec)
		if err != nil {
			return
		}
		if s.w < 0 || s.h < 0 || s.w > maxDim || s.h > maxDim || s.rate < 0 || s.stride < 0 || s.stride > 2*maxDim {
			t.Fatalf("%q: %+v", spec, s)
		}
	})
}
