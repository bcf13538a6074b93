// Package camera reads grey frames from cameras and recordings, and turns
// them into 28x28 MNIST-style digit images.
//
// # Sources
//
// A Source delivers frames; it is a small interface in periph's style
// (periph.io/x/conn/v3): conn.Resource (String, Halt) plus Bounds and
// Capture. The implementations are:
//
//   - RPiCam: a Raspberry Pi camera (CSI), read by running rpicam-vid
//     (libcamera-vid on older systems) and parsing the I420 frames it writes
//     to a pipe.
//   - Webcam: a USB webcam through V4L2 (Linux only), in YUYV or MJPEG.
//   - Replay: recordings: frames in memory, PNG and JPEG files, a folder of
//     them, raw I420 streams and YUV4MPEG2 (Y4M) files, once or looping, at
//     a chosen frame rate.
//
// Open turns a user's string (a command-line flag) into any of them; see its
// documentation for the syntax. Fakes for tests live in camera/cameratest,
// and the hardware smoke test run by "edgeconv camera --smoketest" in
// camera/camerasmoketest.
//
// Constructors return a concrete type; whoever opened a source holds it as
// a SourceCloser and closes it, while the code that consumes frames takes a
// Source. Optional capabilities are small interfaces found by type assertion:
// FrameRater reports the rate at which a source delivers frames.
//
// # The frame contract
//
// A frame is an *image.Gray owned by the caller: make it once with NewFrame
// (or any *image.Gray, sub-images included, whose size equals
// Bounds().Size()) and pass it to every Capture, which overwrites it. Pixels
// are 8-bit luma, the Y plane of the camera's YUV output: 0 is black, 255
// white. Frames are never scaled; a destination of another size is an error
// matching ErrSize. Capture allocates nothing in steady state (tests prove it
// with testing.AllocsPerRun for the replay sources and the rpicam-vid pipe;
// the MJPEG webcam path is the documented exception).
//
// Errors are prefixed "camera: ". The ones callers test are ErrClosed (after
// Close), ErrHalted (a Capture interrupted by Halt), ErrDisconnected (the
// camera went away: the camera program died or stalled, the device was
// unplugged; the next Capture tries again) and io.EOF (the end of a
// recording that does not loop).
//
// # The stride rule
//
// rpicam-vid writes each frame as it sits in the ISP's buffer: a Y plane of H
// rows of S bytes, then U and V planes of (H+1)/2 rows of S/2 bytes, where
// S = RPiCamStride(W) is the width rounded up to a multiple of 64. Only the
// first W bytes of a Y row are the image; the rest is padding. A 640x480
// frame has no padding, a 780x360 one has rows of 832 bytes. RPiCamOpts.Stride
// (stride= in Open) overrides the rule for camera stacks that pad otherwise.
//
// # Recording formats
//
// Y4M (YUV4MPEG2) is the recording format: a text header
// "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg", then per frame a "FRAME" line
// and the planes. Y4MWriter and WriteY4M write it with neutral chroma (128)
// so that ffmpeg and mpv play it; the reader accepts 8-bit 420 (all
// variants), 422, 444 and mono, and FRAME lines with parameters. Raw I420
// (I420Writer, WriteI420, NewI420) is the same planes without headers, so its
// size must be given, and may carry the rpicam stride. PNG and JPEG files are
// read to grey once, when opened.
//
// # Digit extraction
//
// Extraction turns a frame into 28x28 MNIST-style digit images.
package camera
