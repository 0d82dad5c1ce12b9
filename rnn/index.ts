/**
 * rnn/: train the network. Input: a config and integer example sequences. Output: an Rnn (plain
 * JSON data: config, dense layers, training record). The reference model (reference.ts) defines what
 * the network computes; kernels compute the same thing fast, with gradients, over a flat parameter
 * vector (params.ts). Expected failures: loading a model file returns RnnJsonFailure
 * (invalid_json | invalid_rnn | shape_mismatch); training reports why it stopped in
 * TrainingRecord.stopReason (perfect | step_limit | time_limit | diverged).
 */

// The model and its data types.
export type { Batch, DenseLayer, InputEncoding, Kernel, KernelName, MlpShape, OutputHead, Rnn, RnnConfig, TrainingRecord } from "./types.js";
export type { LayerSlot, ParamLayout } from "./params.js";
export { encodedWidth, flattenLayers, headWidth, paramLayout, parameterCount, unflattenLayers } from "./params.js";

// The reference model: what a network computes, step by step, over plain arrays.
export type { SequenceRun } from "./reference.js";
export { dense, encodeStep, headOutputs, mlp, nextHidden, nextHiddenEncoded, predict, referenceLoss, relu, roundPrediction, runSequence, stepLoss } from "./reference.js";

// Kernels: forward and backpropagation through time over the flat parameter vector.
export { createTypeScriptKernel } from "./kernel-ts.js";

// Data into batches.
export type { BatchSampler, SequenceGroup } from "./batch.js";
export { checkExamples, checkTargetsInRange, createBatchSampler, flattenGroup, groupByLength, makeBatches } from "./batch.js";

// Parameters, optimiser, accuracy, training.
export { initParams, paramsOf, rnnFromParams } from "./init.js";
export type { AdamWOptions } from "./adamw.js";
export { AdamW, clipGradientNorm, gradientNorm } from "./adamw.js";
export type { Accuracy, AccuracyMeter } from "./accuracy.js";
export { batchesAccuracy, createAccuracyMeter, measureAccuracy } from "./accuracy.js";
export type { KernelFactory, TrainingData, TrainOptions } from "./train.js";
export { learningRateAt, trainRnn } from "./train.js";

// Saving and loading models.
export type { RnnJsonFailure, RnnJsonFailureCode } from "./serialize.js";
export { rnnFromJson, rnnToJson } from "./serialize.js";

// Choosing a kernel, and the architecture search for the smallest perfect network.
export type { KernelChoice } from "./kernels.js";
export { availableKernels, createKernel, preferredKernel } from "./kernels.js";
export type { Candidate, FamilyName, SearchSpace, StepBudget } from "./candidates.js";
export { defaultSearchSpace, searchCandidates } from "./candidates.js";
export type { Attempt, SearchOptions, SearchResult, SearchStopReason } from "./search.js";
export { DEFAULT_TRAINING_BUDGET, formatSearch, probeSizes, searchArchitecture, trainingWork } from "./search.js";

// Normalizers: function-preserving simplifications of a trained network, each gated on held-out accuracy.
export type { NormalizeOptions, NormalizeResult, NormalizerName, NormalizerStep } from "./normalize.js";
export { formatNormalizeSteps, normalize } from "./normalize.js";
