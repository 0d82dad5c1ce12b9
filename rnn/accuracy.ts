/**
 * Accuracy on held-out examples, computed with a kernel's forward pass in batches. A position is one
 * (step, sequence, output component); its prediction is round(ŷ) (regression) or min + argmax of the
 * component's logits (classification), exactly as rnn/reference.ts `predict`.
 */
import type { Example } from "../task/types.js";
import { makeBatches } from "./batch.js";
import { paramsOf } from "./init.js";
import { headWidth } from "./params.js";
import { createTypeScriptKernel } from "./kernel-ts.js";
import type { Batch, Kernel, OutputHead, Rnn, RnnConfig } from "./types.js";

export interface Accuracy {
  /** correctPositions / positions (1 when there are no positions). */
  readonly accuracy: number;
  readonly positions: number;
  readonly correctPositions: number;
  readonly sequences: number;
  /** Sequences whose every position is right. */
  readonly correctSequences: number;
}

/** Scores a parameter vector on a fixed set of examples (encoded once). */
export type AccuracyMeter = (params: Float64Array) => Accuracy;

/** Encode `examples` once and return a function that scores parameter vectors on them. */
export function createAccuracyMeter(config: RnnConfig, kernel: Kernel, examples: readonly Example[], maxBatchSize = 1024): AccuracyMeter {
  const batches = makeBatches(config, examples, maxBatchSize);
  return (params) => batchesAccuracy(config.head, config.outputDim, kernel, params, batches);
}

/** Accuracy of a trained network on examples (TypeScript kernel unless another is given). */
export function measureAccuracy(rnn: Rnn, examples: readonly Example[], kernel: Kernel = createTypeScriptKernel(rnn.config)): Accuracy {
  return createAccuracyMeter(rnn.config, kernel, examples)(paramsOf(rnn));
}

/** Accuracy over pre-built batches. */
export function batchesAccuracy(head: OutputHead, outputDim: number, kernel: Kernel, params: Float64Array, batches: readonly Batch[]): Accuracy {
  let positions = 0;
  let correctPositions = 0;
  let sequences = 0;
  let correctSequences = 0;
  const hw = headWidth(outputDim, head);
  const wrong = new Uint8Array(batches.reduce((m, b) => Math.max(m, b.size), 0));
  for (const batch of batches) {
    const out = kernel.forward(params, batch);
    const { size, seqLen, targets } = batch;
    wrong.fill(0, 0, size);
    let correct = 0;
    for (let t = 0; t < seqLen; t++) {
      for (let b = 0; b < size; b++) {
        const row = t * size + b;
        const right = countCorrect(head, outputDim, hw, out, targets, row);
        correct += right;
        if (right !== outputDim) wrong[b] = 1;
      }
    }
    positions += seqLen * size * outputDim;
    correctPositions += correct;
    sequences += size;
    for (let b = 0; b < size; b++) if (wrong[b] === 0) correctSequences++;
  }
  return { accuracy: positions === 0 ? 1 : correctPositions / positions, positions, correctPositions, sequences, correctSequences };
}

/** How many of the outputDim predictions of one (step, sequence) row equal their targets. */
function countCorrect(head: OutputHead, outputDim: number, headWidth: number, out: Float64Array, targets: Float64Array, row: number): number {
  let right = 0;
  if (head.kind === "regression") {
    const o = row * outputDim;
    for (let j = 0; j < outputDim; j++) if (Math.round(out[o + j]!) === targets[o + j]) right++;
    return right;
  }
  let start = row * headWidth;
  for (let j = 0; j < outputDim; j++) {
    const range = head.ranges[j]!;
    const n = range.max - range.min + 1;
    let best = 0;
    for (let c = 1; c < n; c++) if (out[start + c]! > out[start + best]!) best = c;
    if (range.min + best === targets[row * outputDim + j]) right++;
    start += n;
  }
  return right;
}
