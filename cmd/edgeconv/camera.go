package main

import (
	"context"
	"flag"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/camera/camerasmoketest"
)

func init() {
	commands = append(commands, &Command{
		Name:      "camera",
		UsageLine: "edgeconv camera [--source SPEC] [--frames N] [--record FILE.y4m]",
		Short:     "check a camera: capture frames and time them",
		Long: `
Camera opens a frame source, captures --frames frames and prints how long the
camera took to start, the time per frame (min, mean, max), the frame rate,
the brightness and contrast of the picture, and how long a halt and restart
take. With --record it writes the frames to a Y4M file, which replays through
--source FILE.y4m anywhere (tests use such recordings).

--source takes the camera package's source spec:

	rpicam[:WxH][@FPS]       the Pi camera through rpicam-vid (libcamera)
	/dev/videoN[:WxH][@FPS]  a USB webcam (V4L2, YUYV or MJPEG)
	FILE.y4m | FILE.i420:WxH | FILE.png | FOLDER   a recording
	options after commas: loop, fps=RATE, stride=N, format=yuyv|mjpeg

An empty spec opens the Pi camera if rpicam-vid is installed, else the first
webcam. The command exits with status 1 if the camera cannot be opened or
a capture fails.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &cameraOptions{}
			fs.StringVar(&o.source, "source", "", "frame source spec (default: the Pi camera, else the first webcam)")
			fs.IntVar(&o.frames, "frames", 30, "frames to capture and time")
			fs.StringVar(&o.record, "record", "", "write the captured frames to this Y4M file")
			return o.run
		},
	})
}

type cameraOptions struct {
	source, record string
	frames         int
}

func (o *cameraOptions) run(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if o.frames < 1 {
		return usagef("--frames must be at least 1")
	}
	src, err := camera.Open(o.source)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = camerasmoketest.Run(ctx, src, &camerasmoketest.Opts{Frames: o.frames, Record: o.record}, env.Stdout)
	return err
}
