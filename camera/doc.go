// Package camera reads colour frames from cameras, recordings and image
// files. Package extract finds the digits in them.
//
// # Sources
//
// A Source delivers frames. It is a small interface in periph's style
// (periph.io/x/conn/v3): conn.Resource (String, Halt) plus Bounds and
// Capture. The implementations are:
//
//   - RPiCam: a Raspberry Pi camera (CSI), read by running rpicam-vid
//     (libcamera-vid on older systems) and parsing the I420 frames it writes
//     to a pipe. A program that dies or stalls is reported (ExitError) and
//     restarted by the next Capture, at once (the caller paces retries);
//     it is always reaped.
//   - Webcam: a USB webcam through V4L2 (Linux only; elsewhere NewWebcam
//     returns an error), in YUYV or MJPEG.
//   - Replay: recordings: frames in memory (NewFrames), PNG and JPEG files
//     and folders of them (OpenImages, OpenDir), raw I420 streams (NewI420,
//     OpenI420) and YUV4MPEG2 files (NewY4M, OpenY4M), once or looping,
//     paced by a timer at a chosen frame rate or as fast as asked.
//   - Video: video files (MP4, MOV, MKV, WebM, ...) decoded by an ffmpeg
//     subprocess into a Y4M stream that a Replay reads (OpenVideo).
//
// Open turns a user's string, such as a command-line flag, into any of them:
// "rpicam:640x480@30", "/dev/video0,format=mjpeg", "digits.y4m,loop,fps=10",
// "rec.i420:640x480", "frames/"; its documentation has the full syntax. The
// empty string opens the first camera found.
//
// Constructors return a concrete type. Whoever opened a source holds it as a
// SourceCloser and closes it; the code that consumes frames takes a Source.
// Optional capabilities are small interfaces found by type assertion:
// FrameRater reports the rate at which a source delivers frames.
//
// Fakes for tests live in camera/cameratest (Playback, Record), and the
// hardware smoke test that "edgeconv camera" runs in
// camera/camerasmoketest.
//
// # The frame contract
//
// A frame is an *image.YCbCr with 4:2:0 subsampling, owned by the caller:
// make it once with NewFrame (or use any 4:2:0 *image.YCbCr, sub-images
// included, whose size equals Bounds().Size() and whose origin has even
// coordinates) and pass it to every Capture, which overwrites it. It is the
// camera's own picture, the I420 planes of rpicam-vid and of recordings
// without any conversion: a Y plane of W×H samples (8-bit luma, 0 black,
// 255 white) and Cb and Cr planes of (W+1)/2 × (H+1)/2 samples, each the
// colour of 2x2 pixels (128 is neutral, grey). Sources with other chroma
// bring it to 4:2:0 as they read it: 4:2:2 (YUYV webcams, Y4M) and 4:4:4
// (Y4M, JPEG) by averaging the samples of each 2x2 pixels; grey sources
// (mono Y4M, grey JPEG and PNG) give 128. Frames are never scaled: a
// destination of another size is an error matching ErrSize, and so is a
// recording whose frames change size; one that is not a 4:2:0 frame is an
// error too. Code that reads grey levels only, digit extraction for one,
// reads the Y plane in place.
//
// Capture allocates nothing in steady state: tests prove it with
// testing.AllocsPerRun for every replay source, for the rpicam-vid pipe
// and for the decoding of MJPEG webcam frames (YUYV conversion does not
// allocate either). The one exception is an MJPEG frame coded as RGB, which
// no webcam sends: it goes through image/jpeg.
//
// Capture is for one consumer goroutine. Halt and Close may be called from
// any goroutine, also while Capture blocks: a Capture interrupted by Halt
// returns ErrHalted and the next one resumes; after Close it returns
// ErrClosed. Errors are prefixed "camera: ". The ones callers test are
// ErrClosed, ErrHalted, ErrDisconnected (the camera went away: the camera
// program died or stalled, the device was unplugged; the next Capture tries
// again), ErrSize and io.EOF (the end of a recording that does not loop).
//
// # The stride rule
//
// rpicam-vid writes each frame as it sits in the ISP's buffer: a Y plane of
// H rows of S bytes, then U and V planes of (H+1)/2 rows of (S+1)/2 bytes,
// where S = RPiCamStride(W) is the width rounded up to a multiple of 64. Only
// the first W bytes of a Y row, and the first (W+1)/2 of a U or V row, are
// the image; the rest is padding. A 640x480 frame has no padding, so a frame
// is 640*480*3/2 = 460,800 bytes; a 780x360 frame has Y rows of 832 bytes
// and chroma rows of 416, of which 390 are the image. Widths that are multiples of 64 are the safe
// choice. RPiCamOpts.Stride, or stride= in Open, overrides the rule for a
// camera stack that pads otherwise; an I420 recording of rpicam-vid's output
// replays with the same stride (OpenI420, "rec.i420:780x360,stride=832").
//
// # Recording formats
//
// Y4M (YUV4MPEG2) is the recording format: a text header such as
// "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg", then for each frame a
// "FRAME" line and the Y, Cb and Cr planes. Y4MWriter and WriteY4M write a
// frame's three planes as they are, so recordings keep their colour and
// ffmpeg and mpv play them. The reader takes the size from the header and
// accepts 8-bit 420 (all variants), 422, 444, 444alpha (the alpha plane is
// skipped) and mono, and FRAME lines with parameters.
//
// Raw I420 (I420Writer, WriteI420, NewI420) is the same planes without any
// header, so its size must be given, and it may carry the rpicam stride;
// it is ffmpeg's rawvideo yuv420p when packed.
//
// # Image files
//
// ReadFrame decodes a JPEG or PNG file into a frame, and OpenImages and
// OpenDir replay them, decoded once when opened and held in memory. JPEG
// files are decoded straight into the frame's planes by
// camera/internal/jpeg420, a reworked image/jpeg about twice as fast, and
// turned upright by their EXIF orientation, as phones write it; other
// images are converted by ToFrame. A file whose header claims more than
// 100 megapixels is refused before anything of its size is allocated.
package camera
