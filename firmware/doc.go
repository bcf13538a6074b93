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
// symbols, smudges, the sheet's edge, are dropped there) and goes through
// a Smoother, which reports a reading once the same text was read in K
// consecutive frames, with each digit's mean confidence and the digits
// under the reader's minimum confidence marked Low. Then every Output sees
// the frame. In steady state an iteration, capture to outputs, allocates
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
//     (CheckHost, against DNS rebinding) and sends headers that forbid
//     framing and sniffing.
//   - LED: a GPIO line lit while a confident reading is shown.
//   - DisplayOutput: a SevenSegment (HT16K33 backpack) or OLED (SSD1306)
//     I2C display, written from its own goroutine.
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
// given --model.
package firmware
