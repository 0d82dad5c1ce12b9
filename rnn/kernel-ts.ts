/**
 * The TypeScript training kernel: forward pass and backpropagation through time by hand over
 * Float64Array, for any transition/readout depth, head and encoding.
 *
 * Samples are processed BLOCK (8) at a time: a block runs forward through every step, keeping each
 * layer's input, then backward through time, adding its weight gradients into `grad`. Within a block
 * activations are stored feature-major, a[i * BLOCK + k] for feature i of sample k, so one weight load
 * serves eight samples held in eight accumulators (measured: 8 beats 4 by ~1.3× at hidden 4–16). A
 * short last block is padded with zero loss weight, so padding adds nothing to loss or gradient.
 *
 * The last transition layer writes h_t straight into step t+1's first-layer input [h_t; x_{t+1}], so
 * nothing is copied between steps. Raw and narrow one-hot inputs go through the dense product with h.
 * Wide one-hot inputs (at least SPARSE_MIN_WIDTH columns) are taken as a list of their nonzero entries
 * (sample, column, value), gathered once per step: one column per component instead of the whole
 * width, and no data-dependent branches in the inner loops. Both are exact for any input values.
 *
 * Tested against rnn/reference.ts (forward), finite differences and tfjs autodiff (gradients).
 */
import { headWidth as headWidthOf, paramLayout } from "./params.js";
import type { Batch, Kernel, KernelName, RnnConfig } from "./types.js";

const BLOCK = 8;
/** One-hot encodings at least this wide use the nonzero-entry list; narrower ones are cheaper dense (measured at hidden 4: dense wins at 6 columns, the list at 10). */
const SPARSE_MIN_WIDTH = 8;

export function createTypeScriptKernel(config: RnnConfig): Kernel {
  return new TypeScriptKernel(config);
}

/** The head's loss, as a small integer for the hot loop. */
const HEAD_LOG = 0;
const HEAD_MSE = 1;
const HEAD_CLASSIFICATION = 2;
type HeadKind = typeof HEAD_LOG | typeof HEAD_MSE | typeof HEAD_CLASSIFICATION;

class TypeScriptKernel implements Kernel {
  readonly name: KernelName = "typescript";

  private readonly hidden: number;
  private readonly encWidth: number;
  private readonly headWidth: number;
  private readonly outputDim: number;
  private readonly headKind: HeadKind;
  /** Classification: per output component its first logit, number of logits and minimum value. */
  private readonly classStart: Int32Array;
  private readonly classSize: Int32Array;
  private readonly classMin: Float64Array;

  // Layer tables: sizes and parameter offsets.
  private readonly tIn: Int32Array;
  private readonly tOut: Int32Array;
  private readonly tW: Int32Array;
  private readonly tB: Int32Array;
  private readonly rIn: Int32Array;
  private readonly rOut: Int32Array;
  private readonly rW: Int32Array;
  private readonly rB: Int32Array;

  /**
   * Block activations: one stride per step t at t * stride (T + 1 of them), holding the input of each
   * transition layer (tAct[l]; tAct[0] = [h_{t-1}; x_t], with x_t only when `sparse` is false), of
   * each readout layer but the first (rAct[l], l >= 1; the first reads h_t at step t + 1's tAct[0]),
   * the head output and dLoss/dOutput. Step 0's h_{-1} is never written, so it stays 0.
   */
  private readonly tAct: Int32Array;
  private readonly rAct: Int32Array;
  private readonly outAct: number;
  private readonly dOutAct: number;
  private readonly stride: number;
  private acts = new Float64Array(0);
  /** Whether the encoded input goes through the nonzero-entry list, and the dense columns of layer 0. */
  private readonly sparse: boolean;
  private readonly denseColumns0: number;

  /** Nonzero encoded inputs of the block: entries nzStart[t]..nzStart[t+1]-1 belong to step t. */
  private nzStart = new Int32Array(1);
  private nzSample = new Int32Array(0);
  private nzColumn = new Int32Array(0);
  private nzValue = new Float64Array(0);

  private readonly deltaA: Float64Array;
  private readonly deltaB: Float64Array;
  private readonly zeros: Float64Array;
  private readonly dhNext: Float64Array;
  private readonly dhTotal: Float64Array;

  constructor(config: RnnConfig) {
    const layout = paramLayout(config);
    this.hidden = config.hiddenSize;
    this.encWidth = layout.encodedWidth;
    this.headWidth = headWidthOf(config.outputDim, config.head);
    this.outputDim = config.outputDim;
    const head = config.head;
    this.headKind = head.kind === "classification" ? HEAD_CLASSIFICATION : head.loss === "log" ? HEAD_LOG : HEAD_MSE;
    const ranges = head.kind === "classification" ? head.ranges : [];
    this.classStart = new Int32Array(ranges.length);
    this.classSize = new Int32Array(ranges.length);
    this.classMin = new Float64Array(ranges.length);
    let start = 0;
    ranges.forEach((r, j) => {
      this.classStart[j] = start;
      this.classSize[j] = r.max - r.min + 1;
      this.classMin[j] = r.min;
      start += r.max - r.min + 1;
    });

    this.tIn = Int32Array.from(layout.transition, (s) => s.inSize);
    this.tOut = Int32Array.from(layout.transition, (s) => s.outSize);
    this.tW = Int32Array.from(layout.transition, (s) => s.weightOffset);
    this.tB = Int32Array.from(layout.transition, (s) => s.biasOffset);
    this.rIn = Int32Array.from(layout.readout, (s) => s.inSize);
    this.rOut = Int32Array.from(layout.readout, (s) => s.outSize);
    this.rW = Int32Array.from(layout.readout, (s) => s.weightOffset);
    this.rB = Int32Array.from(layout.readout, (s) => s.biasOffset);

    this.sparse = config.encoding.kind === "one-hot" && this.encWidth >= SPARSE_MIN_WIDTH;
    this.denseColumns0 = this.sparse ? this.hidden : this.hidden + this.encWidth;
    let offset = 0;
    this.tAct = new Int32Array(this.tIn.length);
    for (let l = 0; l < this.tIn.length; l++) {
      this.tAct[l] = offset;
      offset += (l === 0 ? this.denseColumns0 : this.tIn[l]!) * BLOCK;
    }
    this.rAct = new Int32Array(this.rIn.length);
    for (let l = 1; l < this.rIn.length; l++) {
      this.rAct[l] = offset;
      offset += this.rIn[l]! * BLOCK;
    }
    this.outAct = offset;
    offset += this.headWidth * BLOCK;
    this.dOutAct = offset;
    offset += this.headWidth * BLOCK;
    this.stride = offset;

    let widest = this.headWidth;
    for (let l = 0; l < this.tIn.length; l++) widest = Math.max(widest, this.tIn[l]!, this.tOut[l]!);
    for (let l = 0; l < this.rIn.length; l++) widest = Math.max(widest, this.rIn[l]!, this.rOut[l]!);
    this.deltaA = new Float64Array(widest * BLOCK);
    this.deltaB = new Float64Array(widest * BLOCK);
    this.zeros = new Float64Array(widest * BLOCK);
    this.dhNext = new Float64Array(this.hidden * BLOCK);
    this.dhTotal = new Float64Array(this.hidden * BLOCK);
  }

  lossAndGradient(params: Float64Array, batch: Batch, grad: Float64Array): number {
    this.checkBatch(batch);
    grad.fill(0);
    const T = batch.seqLen;
    const size = batch.size;
    const scale = 1 / (T * size * this.outputDim);
    let lossSum = 0;
    for (let b0 = 0; b0 < size; b0 += BLOCK) {
      lossSum += this.forwardBlock(params, batch, b0, true, scale);
      this.backwardBlock(params, batch, grad, b0);
    }
    return lossSum * scale;
  }

  forward(params: Float64Array, batch: Batch): Float64Array {
    this.checkBatch(batch);
    const T = batch.seqLen;
    const size = batch.size;
    const hw = this.headWidth;
    const out = new Float64Array(T * size * hw);
    const acts = this.acts;
    for (let b0 = 0; b0 < size; b0 += BLOCK) {
      this.forwardBlock(params, batch, b0, false, 0);
      const valid = Math.min(BLOCK, size - b0);
      for (let t = 0; t < T; t++) {
        const src = t * this.stride + this.outAct;
        for (let k = 0; k < valid; k++) {
          const dst = (t * size + b0 + k) * hw;
          for (let j = 0; j < hw; j++) out[dst + j] = acts[src + j * BLOCK + k]!;
        }
      }
    }
    return out;
  }

  private checkBatch(batch: Batch): void {
    const T = batch.seqLen;
    const n = T * batch.size;
    if (batch.inputs.length < n * this.encWidth || batch.targets.length < n * this.outputDim) {
      throw new Error(`batch buffers too small for ${batch.size} sequences of length ${T}`);
    }
    if (this.acts.length < (T + 1) * this.stride) this.acts = new Float64Array((T + 1) * this.stride);
    if (this.nzStart.length < T + 1) this.nzStart = new Int32Array(T + 1);
    if (this.sparse && this.nzValue.length < T * BLOCK * this.encWidth) {
      this.nzSample = new Int32Array(T * BLOCK * this.encWidth);
      this.nzColumn = new Int32Array(T * BLOCK * this.encWidth);
      this.nzValue = new Float64Array(T * BLOCK * this.encWidth);
    }
  }

  /** Forward through every step for samples b0..b0+BLOCK-1; with `withLoss`, stores dLoss/dOutput and returns the block's loss sum. */
  private forwardBlock(p: Float64Array, batch: Batch, b0: number, withLoss: boolean, scale: number): number {
    const acts = this.acts;
    const inputs = batch.inputs;
    const H = this.hidden;
    const E = this.encWidth;
    const T = batch.seqLen;
    const size = batch.size;
    const stride = this.stride;
    const dT = this.tIn.length;
    const dR = this.rIn.length;
    const valid = size - b0 < BLOCK ? size - b0 : BLOCK;
    const nzStart = this.nzStart;
    const nzSample = this.nzSample;
    const nzColumn = this.nzColumn;
    const nzValue = this.nzValue;
    const sparse = this.sparse;
    const z0 = this.tAct[0]!;
    let lossSum = 0;
    let nz = 0;
    nzStart[0] = 0;
    for (let t = 0; t < T; t++) {
      const base = t * stride;
      if (sparse) {
        // The nonzero entries of x_t (branch-free: every entry is written, only nonzero ones are kept).
        for (let k = 0; k < valid; k++) {
          const src = (t * size + b0 + k) * E;
          for (let e = 0; e < E; e++) {
            const v = inputs[src + e]!;
            nzSample[nz] = k;
            nzColumn[nz] = e;
            nzValue[nz] = v;
            nz += v !== 0 ? 1 : 0;
          }
        }
        nzStart[t + 1] = nz;
      } else {
        // x_t beside h_{t-1}; padding samples get zeros.
        const x = base + z0 + H * BLOCK;
        for (let k = 0; k < BLOCK; k++) {
          const src = (t * size + b0 + k) * E;
          for (let e = 0; e < E; e++) acts[x + e * BLOCK + k] = k < valid ? inputs[src + e]! : 0;
        }
      }
      // Transition layers; the last writes h_t into step t + 1's first-layer input.
      const hOut = base + stride + z0;
      for (let l = 0; l < dT; l++) {
        const inSize = this.tIn[l]!;
        const outSize = this.tOut[l]!;
        const yOff = l === dT - 1 ? hOut : base + this.tAct[l + 1]!;
        if (l === 0) {
          denseForward(p, this.tW[0]!, this.tB[0]!, inSize, this.denseColumns0, outSize, acts, base + z0, yOff);
          if (sparse) sparseForward(p, this.tW[0]! + H, inSize, outSize, acts, yOff, nzSample, nzColumn, nzValue, nzStart[t]!, nz);
        } else {
          denseForward(p, this.tW[l]!, this.tB[l]!, inSize, inSize, outSize, acts, base + this.tAct[l]!, yOff);
        }
        if (l < dT - 1) reluInPlace(acts, yOff, outSize * BLOCK);
      }
      // Readout layers.
      for (let l = 0; l < dR; l++) {
        const inSize = this.rIn[l]!;
        const outSize = this.rOut[l]!;
        const yOff = l === dR - 1 ? base + this.outAct : base + this.rAct[l + 1]!;
        const xOff = l === 0 ? hOut : base + this.rAct[l]!;
        denseForward(p, this.rW[l]!, this.rB[l]!, inSize, inSize, outSize, acts, xOff, yOff);
        if (l < dR - 1) reluInPlace(acts, yOff, outSize * BLOCK);
      }
      if (withLoss) lossSum += this.headLoss(batch.targets, t, size, b0, valid, base, scale);
    }
    return lossSum;
  }

  /** Loss of one step of the block; writes dLoss/dOutput (already scaled) beside the outputs. */
  private headLoss(targets: Float64Array, t: number, size: number, b0: number, valid: number, base: number, scale: number): number {
    const acts = this.acts;
    const out = base + this.outAct;
    const dOut = base + this.dOutAct;
    const D = this.outputDim;
    let loss = 0;
    if (this.headKind !== HEAD_CLASSIFICATION) {
      const isLog = this.headKind === HEAD_LOG;
      for (let j = 0; j < D; j++) {
        // Σ_k ½·ln(1 + e_k²) as ½·ln Π_k (1 + e_k²): one logarithm per block instead of eight (the
        // logarithm was a sixth of the time at hidden 4); per-sample log1p if the product could overflow.
        let product = 1;
        let squares = 0;
        for (let k = 0; k < BLOCK; k++) {
          const idx = j * BLOCK + k;
          if (k >= valid) {
            acts[dOut + idx] = 0;
            continue;
          }
          const e = acts[out + idx]! - targets[(t * size + b0 + k) * D + j]!;
          const e2 = e * e;
          squares += e2;
          if (isLog) {
            product *= 1 + e2;
            acts[dOut + idx] = (e / (1 + e2)) * scale;
          } else {
            acts[dOut + idx] = 2 * e * scale;
          }
        }
        if (!isLog) loss += squares;
        else if (product < 1e300) loss += 0.5 * Math.log(product);
        else for (let k = 0; k < valid; k++) loss += 0.5 * Math.log1p((acts[out + j * BLOCK + k]! - targets[(t * size + b0 + k) * D + j]!) ** 2);
      }
      return loss;
    }
    for (let j = 0; j < D; j++) {
      const start = this.classStart[j]!;
      const n = this.classSize[j]!;
      for (let k = 0; k < BLOCK; k++) {
        if (k >= valid) {
          for (let c = 0; c < n; c++) acts[dOut + (start + c) * BLOCK + k] = 0;
          continue;
        }
        const target = targets[(t * size + b0 + k) * D + j]! - this.classMin[j]!;
        if (!(target >= 0 && target < n)) throw new Error(`classification target ${target + this.classMin[j]!} outside the head's range for output ${j}`);
        let max = -Infinity;
        for (let c = 0; c < n; c++) {
          const v = acts[out + (start + c) * BLOCK + k]!;
          if (v > max) max = v;
        }
        // exp(logit − max) goes into the gradient slot first, then becomes softmax − one-hot.
        let sum = 0;
        for (let c = 0; c < n; c++) {
          const idx = (start + c) * BLOCK + k;
          const ex = Math.exp(acts[out + idx]! - max);
          acts[dOut + idx] = ex;
          sum += ex;
        }
        loss += Math.log(sum) + max - acts[out + (start + target) * BLOCK + k]!;
        const inv = scale / sum;
        for (let c = 0; c < n; c++) {
          const idx = (start + c) * BLOCK + k;
          acts[dOut + idx] = acts[dOut + idx]! * inv - (c === target ? scale : 0);
        }
      }
    }
    return loss;
  }

  /** Backpropagation through time for the block whose forward pass is in `acts` (and the nonzero-input lists). */
  private backwardBlock(p: Float64Array, batch: Batch, g: Float64Array, b0: number): void {
    const acts = this.acts;
    const H = this.hidden;
    const T = batch.seqLen;
    const stride = this.stride;
    const dT = this.tIn.length;
    const dR = this.rIn.length;
    const dhNext = this.dhNext;
    const dhTotal = this.dhTotal;
    const zeros = this.zeros;
    const z0 = this.tAct[0]!;
    dhNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const base = t * stride;
      // Readout: from dLoss/dOutput down to dLoss/dh_t, which also gets step t + 1's share (dhNext).
      let d: Float64Array = acts;
      let dOff = base + this.dOutAct;
      for (let l = dR - 1; l >= 0; l--) {
        const inSize = this.rIn[l]!;
        const outSize = this.rOut[l]!;
        const xOff = l === 0 ? base + stride + z0 : base + this.rAct[l]!;
        accumulateDense(g, this.rW[l]!, this.rB[l]!, inSize, inSize, outSize, d, dOff, acts, xOff);
        const dx = l === 0 ? dhTotal : d === this.deltaA ? this.deltaB : this.deltaA;
        backpropDense(p, this.rW[l]!, inSize, inSize, outSize, d, dOff, dx, l === 0 ? dhNext : zeros);
        if (l > 0) reluMask(dx, acts, xOff, inSize * BLOCK);
        d = dx;
        dOff = 0;
      }
      // Transition: from dLoss/dh_t down to dLoss/dh_{t-1}.
      for (let l = dT - 1; l >= 0; l--) {
        const inSize = this.tIn[l]!;
        const outSize = this.tOut[l]!;
        if (l > 0) {
          const xOff = base + this.tAct[l]!;
          accumulateDense(g, this.tW[l]!, this.tB[l]!, inSize, inSize, outSize, d, 0, acts, xOff);
          const dx = d === this.deltaA ? this.deltaB : this.deltaA;
          backpropDense(p, this.tW[l]!, inSize, inSize, outSize, d, 0, dx, zeros);
          reluMask(dx, acts, xOff, inSize * BLOCK);
          d = dx;
        } else {
          accumulateDense(g, this.tW[0]!, this.tB[0]!, inSize, this.denseColumns0, outSize, d, 0, acts, base + z0);
          if (this.sparse) accumulateSparse(g, this.tW[0]! + H, inSize, outSize, d, this.nzSample, this.nzColumn, this.nzValue, this.nzStart[t]!, this.nzStart[t + 1]!);
          if (t > 0) backpropDense(p, this.tW[0]!, inSize, H, outSize, d, 0, dhNext, zeros);
        }
      }
    }
  }
}

/**
 * y[o] = b[o] + Σ_{i<cols} W[o, i] x[i] for a block, W rows `rowLen` long (cols ≤ rowLen: the
 * first transition layer does its hidden columns here and its input columns in sparseForward).
 */
function denseForward(p: Float64Array, wOff: number, bOff: number, rowLen: number, cols: number, outSize: number, a: Float64Array, xOff: number, yOff: number): void {
  for (let o = 0; o < outSize; o++) {
    const bias = p[bOff + o]!;
    let s0 = bias;
    let s1 = bias;
    let s2 = bias;
    let s3 = bias;
    let s4 = bias;
    let s5 = bias;
    let s6 = bias;
    let s7 = bias;
    const row = wOff + o * rowLen;
    for (let i = 0; i < cols; i++) {
      const w = p[row + i]!;
      const x = xOff + i * BLOCK;
      s0 += w * a[x]!;
      s1 += w * a[x + 1]!;
      s2 += w * a[x + 2]!;
      s3 += w * a[x + 3]!;
      s4 += w * a[x + 4]!;
      s5 += w * a[x + 5]!;
      s6 += w * a[x + 6]!;
      s7 += w * a[x + 7]!;
    }
    const y = yOff + o * BLOCK;
    a[y] = s0;
    a[y + 1] = s1;
    a[y + 2] = s2;
    a[y + 3] = s3;
    a[y + 4] = s4;
    a[y + 5] = s5;
    a[y + 6] = s6;
    a[y + 7] = s7;
  }
}

/** y[o, k] += W[o, column] · value for each listed nonzero input (k, column, value); W starts at its first input column. */
function sparseForward(p: Float64Array, wOff: number, rowLen: number, outSize: number, a: Float64Array, yOff: number, sample: Int32Array, column: Int32Array, value: Float64Array, from: number, to: number): void {
  for (let n = from; n < to; n++) {
    const y = yOff + sample[n]!;
    const col = wOff + column[n]!;
    const v = value[n]!;
    for (let o = 0; o < outSize; o++) a[y + o * BLOCK] += p[col + o * rowLen]! * v;
  }
}

function reluInPlace(a: Float64Array, off: number, n: number): void {
  for (let i = off; i < off + n; i++) if (!(a[i]! > 0)) a[i] = 0;
}

/** dx[i] = 0 where the layer input x[i] = relu(·) was not positive. */
function reluMask(dx: Float64Array, a: Float64Array, xOff: number, n: number): void {
  for (let i = 0; i < n; i++) if (!(a[xOff + i]! > 0)) dx[i] = 0;
}

/** dW[o, i] += Σ_k d[o, k] x[i, k] for i < cols, and db[o] += Σ_k d[o, k]. */
function accumulateDense(g: Float64Array, wOff: number, bOff: number, rowLen: number, cols: number, outSize: number, d: Float64Array, dOff: number, a: Float64Array, xOff: number): void {
  for (let o = 0; o < outSize; o++) {
    const dd = dOff + o * BLOCK;
    const d0 = d[dd]!;
    const d1 = d[dd + 1]!;
    const d2 = d[dd + 2]!;
    const d3 = d[dd + 3]!;
    const d4 = d[dd + 4]!;
    const d5 = d[dd + 5]!;
    const d6 = d[dd + 6]!;
    const d7 = d[dd + 7]!;
    g[bOff + o] += d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7;
    const row = wOff + o * rowLen;
    for (let i = 0; i < cols; i++) {
      const x = xOff + i * BLOCK;
      g[row + i] += d0 * a[x]! + d1 * a[x + 1]! + d2 * a[x + 2]! + d3 * a[x + 3]! + d4 * a[x + 4]! + d5 * a[x + 5]! + d6 * a[x + 6]! + d7 * a[x + 7]!;
    }
  }
}

/** dW[o, column] += d[o, k] · value for each listed nonzero input (k, column, value). */
function accumulateSparse(g: Float64Array, wOff: number, rowLen: number, outSize: number, d: Float64Array, sample: Int32Array, column: Int32Array, value: Float64Array, from: number, to: number): void {
  for (let n = from; n < to; n++) {
    const k = sample[n]!;
    const col = wOff + column[n]!;
    const v = value[n]!;
    for (let o = 0; o < outSize; o++) g[col + o * rowLen] += d[o * BLOCK + k]! * v;
  }
}

/** dx[i, k] = init[i, k] + Σ_o W[o, i] d[o, k] for i < cols. */
function backpropDense(p: Float64Array, wOff: number, rowLen: number, cols: number, outSize: number, d: Float64Array, dOff: number, dx: Float64Array, init: Float64Array): void {
  for (let i = 0; i < cols; i++) {
    const x = i * BLOCK;
    let s0 = init[x]!;
    let s1 = init[x + 1]!;
    let s2 = init[x + 2]!;
    let s3 = init[x + 3]!;
    let s4 = init[x + 4]!;
    let s5 = init[x + 5]!;
    let s6 = init[x + 6]!;
    let s7 = init[x + 7]!;
    for (let o = 0; o < outSize; o++) {
      const w = p[wOff + o * rowLen + i]!;
      const dd = dOff + o * BLOCK;
      s0 += w * d[dd]!;
      s1 += w * d[dd + 1]!;
      s2 += w * d[dd + 2]!;
      s3 += w * d[dd + 3]!;
      s4 += w * d[dd + 4]!;
      s5 += w * d[dd + 5]!;
      s6 += w * d[dd + 6]!;
      s7 += w * d[dd + 7]!;
    }
    dx[x] = s0;
    dx[x + 1] = s1;
    dx[x + 2] = s2;
    dx[x + 3] = s3;
    dx[x + 4] = s4;
    dx[x + 5] = s5;
    dx[x + 6] = s6;
    dx[x + 7] = s7;
  }
}
