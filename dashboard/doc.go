// Package dashboard shows a training run as the codelab's window does:
// the accuracy and cross-entropy curves of the training batches and of the
// test set, each layer's weights and biases over time as percentile bands,
// the learning rate, images per second, and a grid of test digits with
// the misrecognised ones in red beside their label and the guess.
//
// # Recording
//
// A Recorder takes the trainer's hooks (train.Hooks: Step, Eval,
// Checkpoint) and builds a History: a TrainPoint every few steps (the
// batches' mean loss and accuracy since the last one), a TestPoint and the
// distributions (Dist: the boundaries of 7 equal-count slices, as the
// codelab's tensorflowvisu.py cuts them) at every evaluation, and the
// latest Grid of test digits. Its Step hook allocates nothing between
// points, so the training step stays free of allocations. At each
// checkpoint the history is written beside it (HistoryPath), atomically,
// and a resumed run reads it back and continues the curves.
//
// # Live
//
// Server serves the page, with uPlot (MIT, vendored in uplot/ with its
// licence, embedded: the page works offline) drawing the charts, and
// streams the history as server-sent events: a page opened at any time
// gets the history so far in its first message, then what is added, at
// most five messages a second. The training never waits for a browser:
// its hooks only append under a lock, and each client's goroutine copies
// what it has not been sent and writes it within the bounds of
// internal/webguard (the Pi preview's: connection and stream caps, time
// bounds, Host check, headers).
//
// # Report
//
// WriteReport draws the same pictures with gonum.org/v1/plot as PNG files
// and writes the history as JSON and CSV, for runs on machines without a
// browser; Compare draws several runs' curves on one chart.
package dashboard
