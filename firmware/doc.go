// Package firmware is the program that runs on the Raspberry Pi: it reads
// handwritten digits live from a camera and shows them.
//
// # The loop
//
// A Loop captures frames on one goroutine into a ring of three frames and
// processes them on another, always the newest: a frame that the loop has
// not started on when a newer one arrives is dropped, never queued (with
// Options.EveryFrame, for recordings, the capture waits instead). Each
// frame is read by a reading.Reader (extraction and the network, int8 by
// default or float32 on request: the same code as `edgeconv read`; the
// candidates that a model with an 11th class calls not a digit, letters,
// symbols, smudges, the sheet's edge, are dropped there), fused with the
// frames before it by a Fuser (Options.NoFusion leaves it alone), and goes
// through a Smoother, which reports the reading once the same text came out
// of K consecutive frames, with each digit's mean confidence and the
// digits under the reader's minimum confidence marked Low. Then every
// Output sees the frame. In steady state an iteration, capture to outputs, allocates
// nothing.
//
// # Fusing frames
//
// A Fuser turns the readings of consecutive frames into one steady
// reading. It tracks each candidate across frames (the sheet's motion
// from frame to frame, a similarity transform, is estimated from the
// candidates' boxes and their classes, so that a hand-held camera that
// moves a digit's pitch between frames does not swap neighbours), sums
// each track's class probabilities with a decay, counting the frames
// blurred by motion less, and puts a track in the reading once seen in 3
// of 5 frames. A digit misread or missed in a few frames, or hidden by a
// finger for up to a second and a half, stays; a candidate of one or two
// frames never shows; a new sheet replacing the old one resets the tracks
// within a few frames. The fused reading orders the tracks by the lines
// the frames read, along the text's measured direction. Update allocates
// nothing.
//
// The loop times each stage (Stats: median and 95th percentile over the
// last 128 frames, frame rate, dropped frames).
//
// # Outputs
//
//   - Printer: a line (text or JSON) on stdout whenever the reading changes.
//   - Web: the live preview over HTTP (the annotated frame, in colour, as
//     JPEG and MJPEG, the digit crops, server-sent events of the state).
//     Frames are encoded once, on the web's own goroutine, whatever the
//     number of clients: at most Web.MaxFPS a second while someone
//     watches, one a second otherwise. Its server bounds connections,
//     streams and each client's time (idle and stalled clients make room
//     for new ones), answers only a Host that names its address
//     (webguard.CheckHost, against DNS rebinding) and sends headers that forbid
//     framing and sniffing.
//   - LED: a GPIO line lit while a confident reading is shown.
//   - DisplayOutput: a SevenSegment (HT16K33 backpack) or OLED (SSD1306)
//     I2C display, written from its own goroutine.
//   - mqtt.Publisher (package firmware/mqtt): the readings, availability,
//     model and statistics to an MQTT broker, from a bounded queue on its
//     own goroutine.
//   - metrics.Metrics (package firmware/metrics): Prometheus's /metrics,
//     served by the preview; as an Observer it also gets each frame's
//     Timings.
//
// Hardware is reached through periph: OpenLED and OpenDisplay initialise
// periph.io/x/host/v3 (the GPIO character-device driver, /dev/i2c-*), and
// the drivers take periph's interfaces, so tests use gpiotest and i2ctest.
//
// # Faults
//
// A camera that goes away (camera.ErrDisconnected: rpicam-vid died or
// stalled, a webcam was unplugged) is reported to the outputs (the preview
// shows it), captured again after a back-off that doubles up to
// Options.MaxBackoff, and the loop resumes when frames come back. The end
// of a recording ends Run; any other capture error (a malformed stream)
// ends it with that error.
//
// # The model
//
// The default model is compiled into package model (model.Default), which
// `make firmware` writes (see docs/pi.md); `edgeconv run` uses it unless
// given --model. A Reloader watches a model file (and SIGHUP) and, once a
// new version is whole and valid, hands a reader of it to
// Loop.SwapReader, which the loop takes between two frames; a file that
// fails leaves the old model running. Each event is a ModelEvent.
package firmware
