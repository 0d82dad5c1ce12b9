/**
 * The recurrent network of MIPS (Michaud et al. 2024):
 *   h_t = f([h_{t-1}; enc(x_t)]),  y_t = g(h_t),  h_{-1} = 0
 * where f (transition) and g (readout) are MLPs whose depth counts linear layers
 * (depth 1 = one affine map), ReLU between layers and none after the last.
 */
import type { IntRange } from "../task/types.js";

/** How integer inputs are fed to the network; recorded in the model. */
export type InputEncoding =
  /** x as real numbers, as the paper did. Width = inputDim. */
  | { readonly kind: "raw" }
  /** Each input component one-hot over its range. Width = sum of range sizes. */
  | { readonly kind: "one-hot"; readonly ranges: readonly IntRange[] };

/** What the readout produces and how it is trained. */
export type OutputHead =
  /** outputDim real outputs, prediction = round(ŷ). loss "log" is the paper's ½·ln(1+(ŷ−y)²). */
  | { readonly kind: "regression"; readonly loss: "log" | "mse" }
  /** Per output component a softmax over its range; prediction = min + argmax. Width = sum of range sizes. */
  | { readonly kind: "classification"; readonly ranges: readonly IntRange[] };

/** An MLP shape: `depth` linear layers; hidden layers (depth >= 2) have `width` units. */
export interface MlpShape {
  readonly depth: number;
  readonly width: number;
}

export interface RnnConfig {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly hiddenSize: number;
  readonly transition: MlpShape;
  readonly readout: MlpShape;
  readonly encoding: InputEncoding;
  readonly head: OutputHead;
}

/** y = W x + b with W row-major, `outSize` rows of `inSize` columns. */
export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  readonly weight: readonly number[];
  readonly bias: readonly number[];
}

/** How a model was trained: enough to reproduce it and to judge it. */
export interface TrainingRecord {
  readonly seed: number;
  readonly kernel: KernelName;
  readonly steps: number;
  readonly seconds: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly finalLoss: number;
  /** Accuracy on held-out sequences, and on how many. */
  readonly heldOutAccuracy: number;
  readonly heldOutSequences: number;
  readonly perfect: boolean;
  readonly stopReason: "perfect" | "step_limit" | "time_limit" | "diverged" | "plateau";
}

/**
 * A trained network, serialisable as JSON. Invariant: transition has config.transition.depth layers
 * mapping hiddenSize + encodedWidth → hiddenSize, readout has config.readout.depth layers mapping
 * hiddenSize → headWidth.
 */
export interface Rnn {
  readonly kind: "rnn";
  readonly version: 1;
  readonly config: RnnConfig;
  readonly transition: readonly DenseLayer[];
  readonly readout: readonly DenseLayer[];
  readonly training: TrainingRecord | null;
}

export type KernelName = "typescript" | "openblas";

/**
 * A batch of equal-length sequences, time-major and already encoded:
 * inputs[(t * size + b) * encodedWidth + i], targets[(t * size + b) * outputDim + j] (integers).
 */
export interface Batch {
  readonly size: number;
  readonly seqLen: number;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

/**
 * A training kernel: forward pass and backpropagation through time over a flat parameter vector
 * (layout from rnn/params.ts: transition layers then readout layers, each weight then bias).
 * Kernels keep scratch buffers between calls; one kernel instance serves one config.
 */
export interface Kernel {
  readonly name: KernelName;
  /** Mean loss over all (step, sequence, output component) entries; overwrites `grad` with dLoss/dParams. */
  lossAndGradient(params: Float64Array, batch: Batch, grad: Float64Array): number;
  /** Head outputs for every step, time-major: [seqLen][size][headWidth]. */
  forward(params: Float64Array, batch: Batch): Float64Array;
}
