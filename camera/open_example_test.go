package camera_test

import (
	"errors"
	"fmt"
	"io"
	"log"

	"github.com/edgeconv/edgeconv/camera"
)

// Open a recording and read its frames until the end; a camera spec such as
// "rpicam:640x480@30" works the same way.
func ExampleOpen() {
	src, err := camera.Open("testdata/frames.y4m")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	frame := camera.NewFrame(src) // Allocated once, filled by every Capture.
	n := 0
	for {
		err := src.Capture(frame)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(src, "gave", n, "frames")
	// Output: testdata/frames.y4m 80x60 gave 5 frames
}
