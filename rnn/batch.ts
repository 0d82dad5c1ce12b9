/**
 * From Examples to Batches: inputs encoded per the config (as rnn/reference.ts encodeStep does),
 * sequences grouped by length (a Batch holds sequences of one length), and a seeded minibatch
 * sampler that reuses its buffers.
 */
import type { Random } from "../common/random.js";
import type { Example } from "../task/types.js";
import { encodedWidth } from "./params.js";
import type { Batch, InputEncoding, RnnConfig } from "./types.js";

/**
 * Examples of one sequence length as flat integers, example-major: inputs[(n * seqLen + t) * inputDim + i],
 * targets[(n * seqLen + t) * outputDim + j], so gathering an example reads a few adjacent cache
 * lines (time-major, every step of every drawn example was a cache miss: measured 2.5× slower
 * sampling, a quarter of a training step at hidden 1). Inputs are kept unencoded: one-hot vectors
 * would make the group (and the sampler's random reads) width times larger. Each array is of the
 * narrowest type that holds its values exactly (Int8 for a binary task): a training set of 10,000
 * sequences then fits the core's cache, and the sampler's random reads stopped missing it.
 */
export interface SequenceGroup {
  readonly seqLen: number;
  readonly count: number;
  readonly inputs: IntegerArray;
  readonly targets: IntegerArray;
}

/** Integers stored exactly in the narrowest type that holds them (Float64Array beyond 32 bits, or for non-integers). */
export type IntegerArray = Int8Array | Int16Array | Int32Array | Float64Array;

/** An array for `length` values between `min` and `max` (integers unless `integral` is false). */
function integerArray(length: number, min: number, max: number, integral: boolean): IntegerArray {
  if (!integral) return new Float64Array(length);
  if (min >= -128 && max <= 127) return new Int8Array(length);
  if (min >= -32768 && max <= 32767) return new Int16Array(length);
  if (min >= -2147483648 && max <= 2147483647) return new Int32Array(length);
  return new Float64Array(length);
}

/**
 * Draws a minibatch; the returned Batch (and its buffers) is overwritten by the next call. Callers
 * only read it: with one-hot inputs the next call clears just the entries it set.
 */
export type BatchSampler = (rng: Random, batchSize: number) => Batch;

/**
 * Throws if an example breaks the Dataset invariants for this config (a bug upstream: datasets are
 * validated when loaded): x.length === y.length >= 1, inputDim / outputDim integers per step.
 */
export function checkExamples(config: RnnConfig, examples: readonly Example[], label = "examples"): void {
  examples.forEach((ex, n) => {
    if (ex.x.length === 0 || ex.x.length !== ex.y.length) {
      throw new Error(`${label}[${n}]: x has ${ex.x.length} steps and y ${ex.y.length}; need equal lengths >= 1`);
    }
    for (let t = 0; t < ex.x.length; t++) {
      if (ex.x[t]!.length !== config.inputDim) throw new Error(`${label}[${n}].x[${t}] has ${ex.x[t]!.length} components, expected ${config.inputDim}`);
      if (ex.y[t]!.length !== config.outputDim) throw new Error(`${label}[${n}].y[${t}] has ${ex.y[t]!.length} components, expected ${config.outputDim}`);
    }
  });
}

/** Throws if a classification head cannot represent a training target (the config was built from other data). */
export function checkTargetsInRange(config: RnnConfig, examples: readonly Example[], label = "train"): void {
  const head = config.head;
  if (head.kind !== "classification") return;
  examples.forEach((ex, n) =>
    ex.y.forEach((step, t) =>
      step.forEach((v, j) => {
        const r = head.ranges[j]!;
        if (!(v >= r.min && v <= r.max)) throw new Error(`${label}[${n}].y[${t}][${j}] = ${v} is outside the head's range ${r.min}..${r.max}`);
      }),
    ),
  );
}

/** Examples grouped by sequence length, shortest first, each group in the examples' order. */
export function groupByLength(examples: readonly Example[]): Array<{ seqLen: number; examples: Example[] }> {
  const groups = new Map<number, Example[]>();
  for (const ex of examples) {
    const group = groups.get(ex.x.length);
    if (group) group.push(ex);
    else groups.set(ex.x.length, [ex]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([seqLen, exs]) => ({ seqLen, examples: exs }));
}

/** Flatten examples of one length. */
export function flattenGroup(config: RnnConfig, seqLen: number, examples: readonly Example[]): SequenceGroup {
  const I = config.inputDim;
  const D = config.outputDim;
  const span = (key: "x" | "y"): { min: number; max: number; integral: boolean } => {
    let min = 0;
    let max = 0;
    let integral = true;
    for (const ex of examples) {
      for (const step of ex[key]) {
        for (const v of step) {
          if (v < min) min = v;
          if (v > max) max = v;
          if (!Number.isInteger(v)) integral = false;
        }
      }
    }
    return { min, max, integral };
  };
  const x = span("x");
  const y = span("y");
  const inputs = integerArray(examples.length * seqLen * I, x.min, x.max, x.integral);
  const targets = integerArray(examples.length * seqLen * D, y.min, y.max, y.integral);
  examples.forEach((ex, n) => {
    for (let t = 0; t < seqLen; t++) {
      const row = n * seqLen + t;
      inputs.set(ex.x[t]!, row * I);
      targets.set(ex.y[t]!, row * D);
    }
  });
  return { seqLen, count: examples.length, inputs, targets };
}

/**
 * How to write one input step into a batch: per input component the offset of its block in the
 * encoded vector, its minimum and its size (one-hot), or nothing (raw: the value itself).
 */
interface Encoder {
  readonly oneHot: boolean;
  readonly inputDim: number;
  readonly width: number;
  readonly offset: Int32Array;
  readonly min: Float64Array;
  readonly size: Int32Array;
}

function makeEncoder(inputDim: number, encoding: InputEncoding): Encoder {
  const ranges = encoding.kind === "one-hot" ? encoding.ranges : [];
  const offset = new Int32Array(ranges.length);
  let width = 0;
  ranges.forEach((r, i) => {
    offset[i] = width;
    width += r.max - r.min + 1;
  });
  return {
    oneHot: encoding.kind === "one-hot",
    inputDim,
    width: encodedWidth(inputDim, encoding),
    offset,
    min: Float64Array.from(ranges, (r) => r.min),
    size: Int32Array.from(ranges, (r) => r.max - r.min + 1),
  };
}

/**
 * Write examples `order[0..size)` of a group into a batch's buffers, encoding the inputs as
 * encodeStep does (one-hot: a 1 at value − min, all zeros for a value outside the range). Step by
 * step, so that writes are sequential (one example at a time strides by the batch width and thrashes
 * the cache). Inputs and targets are separate passes with the common one-component case unrolled:
 * at small hidden sizes the sampler costs as much as a training step's arithmetic.
 */
function fillBatch(enc: Encoder, group: SequenceGroup, order: Int32Array, size: number, D: number, inputs: Float64Array, targets: Float64Array, ones: OnesList | null): void {
  const T = group.seqLen;
  const srcInputs = group.inputs;
  const I = enc.inputDim;
  const E = enc.width;
  if (enc.oneHot) {
    // Zero only the ones the previous fill set (a reused buffer), not the whole width-times-larger buffer.
    if (ones !== null) {
      const at = ones.at;
      for (let c = 0; c < ones.count; c++) inputs[at[c]!] = 0;
    }
    const at = ones === null ? null : ones.at;
    let c = 0;
    const offset = enc.offset;
    const min = enc.min;
    const blockSize = enc.size;
    const rowStride = size * E;
    for (let b = 0; b < size; b++) {
      let src = order[b]! * T * I;
      let dst = b * E;
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < I; i++) {
          const k = srcInputs[src + i]! - min[i]!;
          if (k >= 0 && k < blockSize[i]!) {
            const pos = dst + offset[i]! + k;
            inputs[pos] = 1;
            if (at !== null) at[c++] = pos;
          }
        }
        src += I;
        dst += rowStride;
      }
    }
    if (ones !== null) ones.count = c;
  } else {
    gatherRows(srcInputs, inputs, size, T, I, order);
  }
  gatherRows(group.targets, targets, size, T, D, order);
}

/** Where a reused one-hot buffer holds its ones. */
interface OnesList {
  readonly at: Int32Array;
  count: number;
}

/** dst[(t * size + b) * w + i] = src[(order[b] * T + t) * w + i]: example-major group rows into a time-major batch. */
function gatherRows(src: IntegerArray, dst: Float64Array, size: number, T: number, w: number, order: Int32Array): void {
  if (w === 1) {
    for (let b = 0; b < size; b++) {
      const s = order[b]! * T;
      for (let t = 0; t < T; t++) dst[t * size + b] = src[s + t]!;
    }
    return;
  }
  for (let b = 0; b < size; b++) {
    let s = order[b]! * T * w;
    for (let t = 0; t < T; t++) {
      const d = (t * size + b) * w;
      for (let i = 0; i < w; i++) dst[d + i] = src[s + i]!;
      s += w;
    }
  }
}

/**
 * Every example in batches of at most `maxBatchSize`, grouped by length (shortest first, then in
 * the examples' order). For evaluation: each call builds fresh buffers.
 */
export function makeBatches(config: RnnConfig, examples: readonly Example[], maxBatchSize = 1024): Batch[] {
  checkExamples(config, examples);
  const enc = makeEncoder(config.inputDim, config.encoding);
  const E = enc.width;
  const D = config.outputDim;
  const batches: Batch[] = [];
  for (const { seqLen, examples: exs } of groupByLength(examples)) {
    const group = flattenGroup(config, seqLen, exs);
    for (let start = 0; start < group.count; start += maxBatchSize) {
      const size = Math.min(maxBatchSize, group.count - start);
      const order = new Int32Array(size);
      for (let b = 0; b < size; b++) order[b] = start + b;
      const inputs = new Float64Array(seqLen * size * E);
      const targets = new Float64Array(seqLen * size * D);
      fillBatch(enc, group, order, size, D, inputs, targets, null);
      batches.push({ size, seqLen, inputs, targets });
    }
  }
  return batches;
}

/**
 * A seeded minibatch sampler over a training set. Each draw picks a length group with probability
 * proportional to its number of examples, then min(batchSize, group size) distinct examples of it
 * (a partial Fisher–Yates shuffle). All randomness comes from `rng`; buffers are reused.
 */
export function createBatchSampler(config: RnnConfig, examples: readonly Example[]): BatchSampler {
  checkExamples(config, examples, "train");
  if (examples.length === 0) throw new Error("cannot sample batches from an empty training set");
  checkTargetsInRange(config, examples);
  const enc = makeEncoder(config.inputDim, config.encoding);
  const E = enc.width;
  const D = config.outputDim;
  const groups = groupByLength(examples).map(({ seqLen, examples: exs }) => {
    const group = flattenGroup(config, seqLen, exs);
    const order = Int32Array.from({ length: group.count }, (_, i) => i);
    return { group, order, mark: new Uint8Array(group.count), batch: null as SampledBatch | null };
  });
  const total = examples.length;
  return (rng, batchSize) => {
    let pick = 0;
    if (groups.length > 1) {
      let r = rng.int(0, total - 1);
      while (r >= groups[pick]!.group.count) r -= groups[pick++]!.group.count;
    }
    const g = groups[pick]!;
    const n = g.group.count;
    const size = Math.min(batchSize, n);
    const order = g.order;
    // The shuffle's indices come from xoshiro128** (rng's own algorithm) seeded with 128 bits of rng,
    // run in local variables: rng.nextUint32 costs ~35 ns a call (its state lives in object fields
    // holding doubles), which was a third of the sampler at batch 1,024.
    let s0 = rng.nextUint32() | 0;
    let s1 = rng.nextUint32() | 0;
    let s2 = rng.nextUint32() | 0;
    let s3 = rng.nextUint32() | 0;
    if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
    for (let b = 0; b < size; b++) {
      const x = Math.imul(s1, 5);
      const u = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const sh = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= sh;
      s3 = (s3 << 11) | (s3 >>> 21);
      // Uniform in b..n-1 from one 32-bit draw (the bias, below n/2³², is immaterial).
      const j = b + Math.floor((u / 4294967296) * (n - b));
      const tmp = order[b]!;
      order[b] = order[j]!;
      order[j] = tmp;
    }
    if (!g.batch || g.batch.size !== size) {
      const T = g.group.seqLen;
      g.batch = {
        size,
        seqLen: T,
        inputs: new Float64Array(T * size * E),
        targets: new Float64Array(T * size * D),
        chosen: new Int32Array(size),
        ones: { at: new Int32Array(enc.oneHot ? T * size * config.inputDim : 0), count: 0 },
      };
    }
    // The drawn examples in increasing order (a batch's order decides the gradient's rounding, and
    // the order before the example-major layout was this one, so trained networks did not change).
    const chosen = g.batch.chosen;
    if (n <= 64 * size) {
      // Sorting by marking: a pass over the group is cheaper than sorting (measured 4 µs against 48 µs
      // for 1,024 of 2,000); branch-free, every index is written and only the marked ones are kept.
      const mark = g.mark;
      for (let b = 0; b < size; b++) mark[order[b]!] = 1;
      let k = 0;
      for (let i = 0; i < n && k < size; i++) {
        chosen[k] = i;
        k += mark[i]!;
        mark[i] = 0;
      }
    } else {
      chosen.set(order.subarray(0, size));
      // Insertion sort: a typed array's sort() costs ~20 µs for 128 entries, this ~3 µs.
      if (size <= 256) insertionSort(chosen, size);
      else chosen.sort();
    }
    fillBatch(enc, g.group, chosen, size, D, g.batch.inputs, g.batch.targets, g.batch.ones);
    return g.batch;
  };
}

function insertionSort(a: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/** A sampler's reused batch, with its scratch. */
interface SampledBatch extends Batch {
  readonly chosen: Int32Array;
  readonly ones: OnesList;
}
