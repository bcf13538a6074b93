package engine

// Panic values for programming errors: a method called with buffers that do
// not fit the plan. Errors in user input (a spec string, a model file) are
// returned as error values instead.
const (
	errBatchTooLarge = "engine: batch larger than the plan's"
	errInputLen      = "engine: input slice shorter than batch × input size"
	errLabelsLen     = "engine: fewer labels than samples"
	errNotTraining   = "engine: plan was not made for training"
	errNoForward     = "engine: Backward before Forward"
	errBadWorkers    = "engine: worker count must be at least 1"
	errLabelRange    = "engine: label outside the output classes"
	errNoActivation  = "engine: layer output not kept (PlanOptions.KeepActivations)"
)
