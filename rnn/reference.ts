/**
 * The reference model: the RNN over plain number arrays, written to be checked by reading.
 *
 *   h_{-1} = 0,   h_t = f([h_{t-1}; enc(x_t)]),   ŷ_t = g(h_t)
 *
 * f and g are MLPs: affine layers with ReLU between them and none after the last, so a depth-1
 * transition is linear. The fast kernels (rnn/kernel-ts.ts, …) are tested against this file, and
 * the extraction stages call it to run a trained network step by step.
 */
import type { Example, IntRange, Sequence, Step } from "../task/types.js";
import type { DenseLayer, InputEncoding, OutputHead, Rnn } from "./types.js";

/** Everything a network computes on one input sequence. */
export interface SequenceRun {
  /** T + 1 hidden states: h_{-1} = 0 first, then h_0 … h_{T-1}. */
  readonly hidden: number[][];
  /** Head outputs per step: outputDim reals (regression) or the logits of every range (classification). */
  readonly outputs: number[][];
  /** Integer predictions per step (outputDim each): round(ŷ), or min + argmax of each component's logits. */
  readonly predictions: number[][];
}

/**
 * One input step as the network sees it. Raw: the integers as floats. One-hot: per component a
 * block of (max − min + 1) entries with a 1 at x − min; a value outside its range encodes as all zeros.
 */
export function encodeStep(encoding: InputEncoding, step: Step): number[] {
  if (encoding.kind === "raw") return step.map((v) => v);
  const out: number[] = [];
  encoding.ranges.forEach((range, i) => {
    const v = step[i]!;
    for (let k = range.min; k <= range.max; k++) out.push(k === v ? 1 : 0);
  });
  return out;
}

/** y = W x + b. */
export function dense(layer: DenseLayer, x: readonly number[]): number[] {
  const y: number[] = [];
  for (let o = 0; o < layer.outSize; o++) {
    let s = layer.bias[o]!;
    for (let i = 0; i < layer.inSize; i++) s += layer.weight[o * layer.inSize + i]! * x[i]!;
    y.push(s);
  }
  return y;
}

export function relu(x: readonly number[]): number[] {
  return x.map((v) => (v > 0 ? v : 0));
}

/** An MLP: the layers in order, ReLU between them, none after the last. */
export function mlp(layers: readonly DenseLayer[], x: readonly number[]): number[] {
  let a = x.slice();
  layers.forEach((layer, l) => {
    a = dense(layer, a);
    if (l < layers.length - 1) a = relu(a);
  });
  return a;
}

/** h_t = f([h_{t-1}; enc(x_t)]), with x_t given as integers. */
export function nextHidden(rnn: Rnn, h: readonly number[], x: Step): number[] {
  return nextHiddenEncoded(rnn, h, encodeStep(rnn.config.encoding, x));
}

/** h_t = f([h_{t-1}; e]) for an already encoded input e. */
export function nextHiddenEncoded(rnn: Rnn, h: readonly number[], encodedInput: readonly number[]): number[] {
  return mlp(rnn.transition, [...h, ...encodedInput]);
}

/** The head outputs g(h). */
export function headOutputs(rnn: Rnn, h: readonly number[]): number[] {
  return mlp(rnn.readout, h);
}

/** Round half up (as Math.round), with −0 normalised to 0. */
export function roundPrediction(v: number): number {
  return Math.round(v) + 0;
}

/** Integer predictions from head outputs. Classification ties go to the smallest value. */
export function predict(head: OutputHead, outputs: readonly number[]): number[] {
  if (head.kind === "regression") return outputs.map(roundPrediction);
  const out: number[] = [];
  let start = 0;
  for (const range of head.ranges) {
    const size = range.max - range.min + 1;
    let best = 0;
    for (let k = 1; k < size; k++) if (outputs[start + k]! > outputs[start + best]!) best = k;
    out.push(range.min + best);
    start += size;
  }
  return out;
}

/** Run the network over one input sequence from h_{-1} = 0. */
export function runSequence(rnn: Rnn, xs: Sequence): SequenceRun {
  const hidden: number[][] = [new Array<number>(rnn.config.hiddenSize).fill(0)];
  const outputs: number[][] = [];
  const predictions: number[][] = [];
  for (const x of xs) {
    const h = nextHidden(rnn, hidden[hidden.length - 1]!, x);
    const y = headOutputs(rnn, h);
    hidden.push(h);
    outputs.push(y);
    predictions.push(predict(rnn.config.head, y));
  }
  return { hidden, outputs, predictions };
}

/**
 * The training loss of one step, summed over output components (the kernels divide the sum over
 * steps, sequences and components by their count).
 *   regression "log": ½·ln(1 + (ŷ − y)²)   regression "mse": (ŷ − y)²
 *   classification: −log softmax(logits of component j)[y_j − min_j]
 */
export function stepLoss(head: OutputHead, outputs: readonly number[], target: Step): number {
  if (head.kind === "regression") {
    let sum = 0;
    target.forEach((y, j) => {
      const e = outputs[j]! - y;
      sum += head.loss === "log" ? 0.5 * Math.log1p(e * e) : e * e;
    });
    return sum;
  }
  let sum = 0;
  let start = 0;
  head.ranges.forEach((range: IntRange, j) => {
    const logits = outputs.slice(start, start + range.max - range.min + 1);
    const max = Math.max(...logits);
    const logSumExp = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
    sum += logSumExp - logits[target[j]! - range.min]!;
    start += logits.length;
  });
  return sum;
}

/** Mean loss over every (step, sequence, output component) of the examples, as the kernels compute it. */
export function referenceLoss(rnn: Rnn, examples: readonly Example[]): number {
  let sum = 0;
  let count = 0;
  for (const ex of examples) {
    const run = runSequence(rnn, ex.x);
    ex.y.forEach((y, t) => {
      sum += stepLoss(rnn.config.head, run.outputs[t]!, y);
      count += y.length;
    });
  }
  return sum / count;
}
