/**
 * The tiled TypeScript kernel: forward pass and backpropagation through time over Float64Array for
 * any config, with loops shared by all configs (no per-config compilation).
 *
 * Samples go through CHUNK at a time. Every activation of the chunk is kept as rows (row t·n + b for
 * step t and sample b, features contiguous), so each layer at each step is one small matrix product
 * over the chunk's n rows, done in register tiles of 4 rows × 2 outputs (6 loads per 8 multiply-adds,
 * against 9 per 8 for one weight times eight samples). Backward through time only propagates deltas
 * (W^T·d, masked by the ReLU), storing each layer's delta rows; the weight gradients are then one
 * product per layer over all T·n rows of the chunk (dW += D^T·X), tiled the same way.
 *
 * The first transition layer reads rows [h_{t-1}; x_t] of `in0`, and the last one writes h_t straight
 * into the next step's row, so nothing is copied between steps. Wide one-hot inputs (at least
 * SPARSE_MIN_WIDTH columns) are taken as a list of their nonzero entries (column, value) per row,
 * gathered once per chunk, with the layer's input columns read from a transposed copy: one column per
 * component instead of the whole width, exact for any input values.
 *
 * Accumulation order depends only on the config and the batch: deterministic.
 */
import { headWidth as headWidthOf, paramLayout } from "./params.js";
import type { Batch, Kernel, KernelName, RnnConfig } from "./types.js";

/** Samples per chunk: the chunk's activations stay in L1/L2 at small sizes. */
const CHUNK = 64;
/** One-hot encodings at least this wide use the nonzero-entry list; narrower ones are dense columns. */
const SPARSE_MIN_WIDTH = 8;

const HEAD_LOG = 0;
const HEAD_MSE = 1;
const HEAD_CLASSIFICATION = 2;

export function createTiledKernel(config: RnnConfig): Kernel {
  return new TiledKernel(config);
}

class TiledKernel implements Kernel {
  readonly name: KernelName = "typescript";

  private readonly H: number;
  private readonly E: number;
  private readonly D: number;
  private readonly HW: number;
  private readonly headKind: number;
  private readonly classStart: Int32Array;
  private readonly classSize: Int32Array;
  private readonly classMin: Float64Array;

  private readonly tIn: Int32Array;
  private readonly tOut: Int32Array;
  private readonly tW: Int32Array;
  private readonly tB: Int32Array;
  private readonly rIn: Int32Array;
  private readonly rOut: Int32Array;
  private readonly rW: Int32Array;
  private readonly rB: Int32Array;

  /** Whether the encoded input goes through the nonzero-entry list; the dense columns of in0 rows. */
  private readonly sparse: boolean;
  private readonly W0: number;

  /** Rows [h_{t-1}; x_t] for t = 0..T (T + 1 blocks of n rows; block 0's h is zero). */
  private in0 = new Float64Array(0);
  /** Inputs of transition layers l >= 1 and readout layers l >= 1 (after ReLU), T·n rows each. */
  private tAct: Float64Array[] = [];
  private rAct: Float64Array[] = [];
  /** Head outputs and dLoss/dOutput (scaled), T·n rows. */
  private out = new Float64Array(0);
  private dOut = new Float64Array(0);
  /** Deltas (dLoss/d pre-activation) of every transition layer and of readout layers 0..dR-2, T·n rows. */
  private tDelta: Float64Array[] = [];
  private rDelta: Float64Array[] = [];
  /** dLoss/dh_{t-1} from step t, n rows of H. */
  private readonly dh: Float64Array;
  private readonly zeros: Float64Array;
  private rowCapacity = 0;

  private nzStart = new Int32Array(1);
  private nzColumn = new Int32Array(0);
  private nzValue = new Float64Array(0);
  /** Sparse input columns of the first transition layer transposed, wt[e * out + o], and their gradient. */
  private readonly wt: Float64Array;
  private readonly gwt: Float64Array;

  constructor(config: RnnConfig) {
    const layout = paramLayout(config);
    this.H = config.hiddenSize;
    this.E = layout.encodedWidth;
    this.D = config.outputDim;
    this.HW = headWidthOf(config.outputDim, config.head);
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
    this.sparse = config.encoding.kind === "one-hot" && this.E >= SPARSE_MIN_WIDTH;
    this.W0 = this.sparse ? this.H : this.H + this.E;
    this.dh = new Float64Array(CHUNK * this.H);
    let widest = this.HW;
    for (let l = 0; l < this.tIn.length; l++) widest = Math.max(widest, this.tIn[l]!, this.tOut[l]!);
    for (let l = 0; l < this.rIn.length; l++) widest = Math.max(widest, this.rIn[l]!, this.rOut[l]!);
    this.zeros = new Float64Array(widest);
    const sparseCells = this.sparse ? this.E * this.tOut[0]! : 0;
    this.wt = new Float64Array(sparseCells);
    this.gwt = new Float64Array(sparseCells);
  }

  private prepare(batch: Batch): void {
    const T = batch.seqLen;
    const cells = T * batch.size;
    if (batch.inputs.length < cells * this.E || batch.targets.length < cells * this.D) {
      throw new Error(`batch buffers too small for ${batch.size} sequences of length ${T}`);
    }
    const rows = T * CHUNK;
    if (rows <= this.rowCapacity) return;
    this.in0 = new Float64Array((rows + CHUNK) * this.W0);
    this.tAct = Array.from(this.tIn, (w, l) => new Float64Array(l === 0 ? 0 : rows * w));
    this.rAct = Array.from(this.rIn, (w, l) => new Float64Array(l === 0 ? 0 : rows * w));
    this.out = new Float64Array(rows * this.HW);
    this.dOut = new Float64Array(rows * this.HW);
    this.tDelta = Array.from(this.tOut, (w) => new Float64Array(rows * w));
    this.rDelta = Array.from(this.rOut, (w, l) => new Float64Array(l === this.rOut.length - 1 ? 0 : rows * w));
    this.nzStart = new Int32Array(rows + 1);
    if (this.sparse) {
      this.nzColumn = new Int32Array(rows * this.E);
      this.nzValue = new Float64Array(rows * this.E);
    }
    this.rowCapacity = rows;
  }

  lossAndGradient(params: Float64Array, batch: Batch, grad: Float64Array): number {
    this.prepare(batch);
    grad.fill(0);
    const { seqLen: T, size } = batch;
    if (this.sparse) {
      this.transposeSparseColumns(params);
      this.gwt.fill(0);
    }
    const scale = 1 / (T * size * this.D);
    let lossSum = 0;
    for (let b0 = 0; b0 < size; b0 += CHUNK) {
      const n = Math.min(CHUNK, size - b0);
      this.loadInputs(batch, b0, n);
      lossSum += this.forwardChunk(params, batch, b0, n, true, scale);
      this.backwardChunk(params, grad, T, n);
    }
    if (this.sparse) {
      const H = this.H;
      const O = this.tOut[0]!;
      const rowLen = this.tIn[0]!;
      const w0 = this.tW[0]!;
      for (let e = 0; e < this.E; e++) for (let o = 0; o < O; o++) grad[w0 + o * rowLen + H + e] = this.gwt[e * O + o]!;
    }
    return lossSum * scale;
  }

  forward(params: Float64Array, batch: Batch): Float64Array {
    this.prepare(batch);
    const { seqLen: T, size } = batch;
    const HW = this.HW;
    const result = new Float64Array(T * size * HW);
    if (this.sparse) this.transposeSparseColumns(params);
    const out = this.out;
    for (let b0 = 0; b0 < size; b0 += CHUNK) {
      const n = Math.min(CHUNK, size - b0);
      this.loadInputs(batch, b0, n);
      this.forwardChunk(params, batch, b0, n, false, 0);
      for (let t = 0; t < T; t++) result.set(out.subarray(t * n * HW, (t + 1) * n * HW), (t * size + b0) * HW);
    }
    return result;
  }

  private transposeSparseColumns(p: Float64Array): void {
    const H = this.H;
    const O = this.tOut[0]!;
    const rowLen = this.tIn[0]!;
    const w0 = this.tW[0]!;
    for (let e = 0; e < this.E; e++) for (let o = 0; o < O; o++) this.wt[e * O + o] = p[w0 + o * rowLen + H + e]!;
  }

  /** h_{-1} = 0 and the inputs x_t into in0 rows (dense), or the nonzero-entry lists (sparse). */
  private loadInputs(batch: Batch, b0: number, n: number): void {
    const { seqLen: T, size, inputs } = batch;
    const H = this.H;
    const E = this.E;
    const W0 = this.W0;
    const in0 = this.in0;
    for (let b = 0; b < n; b++) for (let i = 0; i < H; i++) in0[b * W0 + i] = 0;
    if (!this.sparse) {
      for (let t = 0; t < T; t++) {
        let src = (t * size + b0) * E;
        let dst = t * n * W0 + H;
        for (let b = 0; b < n; b++) {
          for (let e = 0; e < E; e++) in0[dst + e] = inputs[src + e]!;
          src += E;
          dst += W0;
        }
      }
      return;
    }
    // Branch-free: every entry is written, only nonzero ones are kept. Columns pre-multiplied by the layer width.
    const nzStart = this.nzStart;
    const nzColumn = this.nzColumn;
    const nzValue = this.nzValue;
    const O = this.tOut[0]!;
    let q = 0;
    for (let t = 0; t < T; t++) {
      let src = (t * size + b0) * E;
      for (let b = 0; b < n; b++) {
        nzStart[t * n + b] = q;
        for (let e = 0; e < E; e++) {
          const v = inputs[src + e]!;
          nzColumn[q] = e * O;
          nzValue[q] = v;
          q += v !== 0 ? 1 : 0;
        }
        src += E;
      }
    }
    nzStart[T * n] = q;
  }

  /** Forward through every step for the chunk; with `withLoss`, writes dOut and returns the loss sum. */
  private forwardChunk(p: Float64Array, batch: Batch, b0: number, n: number, withLoss: boolean, scale: number): number {
    const T = batch.seqLen;
    const W0 = this.W0;
    const dT = this.tIn.length;
    const dR = this.rIn.length;
    const in0 = this.in0;
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const r0 = t * n;
      // Transition: layer 0 reads [h_{t-1}; x_t] at in0 block t; the last layer writes h_t into block t + 1.
      for (let l = 0; l < dT; l++) {
        const last = l === dT - 1;
        const O = this.tOut[l]!;
        const rowLen = this.tIn[l]!;
        const y = last ? in0 : this.tAct[l + 1]!;
        const yOff = last ? (r0 + n) * W0 : r0 * O;
        const yStride = last ? W0 : O;
        if (l === 0) {
          if (this.sparse) {
            // Bias plus the nonzero inputs' columns first, then the hidden columns on top.
            sparseInit(p, this.tB[0]!, this.wt, O, y, yOff, yStride, this.nzStart, this.nzColumn, this.nzValue, r0, n);
            gemmRows(p, this.tW[0]!, rowLen, 1, W0, O, in0, r0 * W0, W0, y, yOff, yStride, n, y, yOff, yStride, last ? ACT_NONE : ACT_RELU, y, 0, 0);
          } else {
            gemmRows(p, this.tW[0]!, rowLen, 1, W0, O, in0, r0 * W0, W0, y, yOff, yStride, n, p, this.tB[0]!, 0, last ? ACT_NONE : ACT_RELU, y, 0, 0);
          }
        } else {
          gemmRows(p, this.tW[l]!, rowLen, 1, rowLen, O, this.tAct[l]!, r0 * rowLen, rowLen, y, yOff, yStride, n, p, this.tB[l]!, 0, last ? ACT_NONE : ACT_RELU, y, 0, 0);
        }
      }
      // Readout: layer 0 reads h_t in in0 block t + 1.
      for (let l = 0; l < dR; l++) {
        const last = l === dR - 1;
        const O = this.rOut[l]!;
        const K = this.rIn[l]!;
        const x = l === 0 ? in0 : this.rAct[l]!;
        const xOff = l === 0 ? (r0 + n) * W0 : r0 * K;
        const xStride = l === 0 ? W0 : K;
        const y = last ? this.out : this.rAct[l + 1]!;
        gemmRows(p, this.rW[l]!, K, 1, K, O, x, xOff, xStride, y, r0 * O, O, n, p, this.rB[l]!, 0, last ? ACT_NONE : ACT_RELU, y, 0, 0);
      }
      if (withLoss) loss += this.headLoss(batch, b0, t, n, scale);
    }
    return loss;
  }

  /** Loss of step t's rows; writes dLoss/dOutput (scaled). */
  private headLoss(batch: Batch, b0: number, t: number, n: number, scale: number): number {
    const D = this.D;
    const HW = this.HW;
    const targets = batch.targets;
    const out = this.out;
    const dOut = this.dOut;
    const r0 = t * n;
    const tgt0 = (t * batch.size + b0) * D;
    let loss = 0;
    if (this.headKind === HEAD_MSE) {
      for (let b = 0; b < n; b++) {
        for (let j = 0; j < D; j++) {
          const idx = (r0 + b) * HW + j;
          const e = out[idx]! - targets[tgt0 + b * D + j]!;
          loss += e * e;
          dOut[idx] = 2 * e * scale;
        }
      }
      return loss;
    }
    if (this.headKind === HEAD_LOG) {
      // Σ ½·ln(1 + e²) as ½·ln Π (1 + e²): one logarithm per many entries; factors stay below 1e100 each.
      let product = 1;
      let logs = 0;
      for (let b = 0; b < n; b++) {
        for (let j = 0; j < D; j++) {
          const idx = (r0 + b) * HW + j;
          const e = out[idx]! - targets[tgt0 + b * D + j]!;
          const q = 1 + e * e;
          if (q > 1e100 || product > 1e100) {
            logs += Math.log(product);
            product = q;
          } else {
            product *= q;
          }
          dOut[idx] = (e / q) * scale;
        }
      }
      return 0.5 * (logs + Math.log(product));
    }
    return classificationRows(out, r0 * HW, dOut, r0 * HW, targets, tgt0, n, D, HW, this.classStart, this.classSize, this.classMin, scale);
  }

  /** Backpropagation through time over the chunk's stored rows, then every layer's weight gradient. */
  private backwardChunk(p: Float64Array, g: Float64Array, T: number, n: number): void {
    const H = this.H;
    const W0 = this.W0;
    const HW = this.HW;
    const dT = this.tIn.length;
    const dR = this.rIn.length;
    const in0 = this.in0;
    const dh = this.dh;
    const zeros = this.zeros;
    dh.fill(0, 0, n * H);
    for (let t = T - 1; t >= 0; t--) {
      const r0 = t * n;
      // Readout, top down, to the last transition layer's delta (dLoss/dh_t, plus step t + 1's share).
      let d: Float64Array = this.dOut;
      let dStride = HW;
      for (let l = dR - 1; l >= 0; l--) {
        const O = this.rOut[l]!;
        const K = this.rIn[l]!;
        if (l > 0) {
          const dx = this.rDelta[l - 1]!;
          gemmRows(p, this.rW[l]!, 1, K, O, K, d, r0 * dStride, dStride, dx, r0 * K, K, n, zeros, 0, 0, ACT_MASK, this.rAct[l]!, r0 * K, K);
          d = dx;
          dStride = K;
        } else {
          gemmRows(p, this.rW[0]!, 1, K, O, H, d, r0 * dStride, dStride, this.tDelta[dT - 1]!, r0 * H, H, n, dh, 0, H, ACT_NONE, dh, 0, 0);
        }
      }
      // Transition, top down, to dLoss/dh_{t-1}.
      for (let l = dT - 1; l >= 0; l--) {
        const O = this.tOut[l]!;
        const rowLen = this.tIn[l]!;
        const dl = this.tDelta[l]!;
        if (l > 0) {
          const dx = this.tDelta[l - 1]!;
          gemmRows(p, this.tW[l]!, 1, rowLen, O, rowLen, dl, r0 * O, O, dx, r0 * rowLen, rowLen, n, zeros, 0, 0, ACT_MASK, this.tAct[l]!, r0 * rowLen, rowLen);
        } else if (t > 0) {
          gemmRows(p, this.tW[0]!, 1, rowLen, O, H, dl, r0 * O, O, dh, 0, H, n, zeros, 0, 0, ACT_NONE, dh, 0, 0);
        }
      }
    }
    // Weight gradients: one product per layer over all T·n rows.
    const rows = T * n;
    for (let l = 0; l < dT; l++) {
      const O = this.tOut[l]!;
      const rowLen = this.tIn[l]!;
      const dl = this.tDelta[l]!;
      if (l === 0) {
        accumulateGrad(g, this.tW[0]!, rowLen, this.tB[0]!, O, W0, dl, 0, O, in0, 0, W0, rows);
        if (this.sparse) sparseGrad(this.gwt, O, dl, 0, O, this.nzStart, this.nzColumn, this.nzValue, rows);
      } else {
        accumulateGrad(g, this.tW[l]!, rowLen, this.tB[l]!, O, rowLen, dl, 0, O, this.tAct[l]!, 0, rowLen, rows);
      }
    }
    for (let l = 0; l < dR; l++) {
      const O = this.rOut[l]!;
      const K = this.rIn[l]!;
      const d = l === dR - 1 ? this.dOut : this.rDelta[l]!;
      const x = l === 0 ? in0 : this.rAct[l]!;
      accumulateGrad(g, this.rW[l]!, K, this.rB[l]!, O, K, d, 0, O, x, l === 0 ? n * W0 : 0, l === 0 ? W0 : K, rows);
    }
  }
}

/**
 * Softmax cross-entropy of n rows of logits (row b at lOff + b·HW, targets at tOff + b·D): returns the
 * summed loss and writes dLoss/dLogits · scale at dOff + b·HW. The logits may be overwritten (dOut may
 * be the logits' own array and offset: each logit is read before its slot is written).
 */
export function classificationRows(
  logits: Float64Array, lOff: number, dOut: Float64Array, dOff: number, targets: Float64Array, tOff: number, n: number,
  D: number, HW: number, classStart: Int32Array, classSize: Int32Array, classMin: Float64Array, scale: number,
): number {
  let loss = 0;
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < D; j++) {
      const src = lOff + b * HW + classStart[j]!;
      const dst = dOff + b * HW + classStart[j]!;
      const size = classSize[j]!;
      const target = targets[tOff + b * D + j]! - classMin[j]!;
      if (!(target >= 0 && target < size && Math.floor(target) === target)) {
        throw new Error(`classification target ${target + classMin[j]!} outside the head's range for output ${j}`);
      }
      let max = -Infinity;
      for (let c = 0; c < size; c++) {
        const v = logits[src + c]!;
        if (v > max) max = v;
      }
      loss += max - logits[src + target]!;
      let sum = 0;
      for (let c = 0; c < size; c++) {
        const v = logits[src + c]! - max;
        const ex = v === 0 ? 1 : Math.exp(v); // exp(0) = 1 exactly: the largest logit needs no call
        dOut[dst + c] = ex;
        sum += ex;
      }
      loss += Math.log(sum);
      const inv = scale / sum;
      for (let c = 0; c < size; c++) dOut[dst + c] = dOut[dst + c]! * inv;
      dOut[dst + target] = dOut[dst + target]! - scale;
    }
  }
  return loss;
}

/** What gemmRows applies to each result: nothing, ReLU, or the ReLU's derivative at A (multiply by A > 0). */
const ACT_NONE = 0;
const ACT_RELU = 1;
const ACT_MASK = 2;

/** (z + |z|) / 2: ReLU without a data-dependent branch (exact below 8.9e307). */
function relu(z: number): number {
  return (z + Math.abs(z)) * 0.5;
}

/**
 * Y[b, j] = act(I[b, j] + Σ_{k<K} W[j, k] · X[b, k]) for rows b < n, with W[j, k] at wOff + j·wJ + k·wK
 * (forward: wJ = row length, wK = 1; backward through W^T: wJ = 1, wK = row length). Row b of
 * X, Y, I and A starts at off + b·stride (I with stride 0 is a bias; I may be Y itself). act is
 * ACT_NONE, ACT_RELU, or ACT_MASK: multiply by (A[b, j] > 0). Tiles: 4 rows × 2 outputs.
 */
function gemmRows(
  W: Float64Array, wOff: number, wJ: number, wK: number, K: number, J: number,
  X: Float64Array, xOff: number, xStride: number,
  Y: Float64Array, yOff: number, yStride: number, n: number,
  I: Float64Array, iOff: number, iStride: number,
  act: number, A: Float64Array, aOff: number, aStride: number,
): void {
  let b = 0;
  for (; b + 4 <= n; b += 4) {
    const x0 = xOff + b * xStride;
    const x1 = x0 + xStride;
    const x2 = x1 + xStride;
    const x3 = x2 + xStride;
    const i0 = iOff + b * iStride;
    const i1 = i0 + iStride;
    const i2 = i1 + iStride;
    const i3 = i2 + iStride;
    const y0 = yOff + b * yStride;
    const y1 = y0 + yStride;
    const y2 = y1 + yStride;
    const y3 = y2 + yStride;
    const m0 = aOff + b * aStride;
    const m1 = m0 + aStride;
    const m2 = m1 + aStride;
    const m3 = m2 + aStride;
    let j = 0;
    for (; j + 2 <= J; j += 2) {
      let a00 = I[i0 + j]!;
      let a01 = I[i0 + j + 1]!;
      let a10 = I[i1 + j]!;
      let a11 = I[i1 + j + 1]!;
      let a20 = I[i2 + j]!;
      let a21 = I[i2 + j + 1]!;
      let a30 = I[i3 + j]!;
      let a31 = I[i3 + j + 1]!;
      let w = wOff + j * wJ;
      for (let k = 0; k < K; k++) {
        const w0 = W[w]!;
        const w1 = W[w + wJ]!;
        const v0 = X[x0 + k]!;
        a00 += w0 * v0;
        a01 += w1 * v0;
        const v1 = X[x1 + k]!;
        a10 += w0 * v1;
        a11 += w1 * v1;
        const v2 = X[x2 + k]!;
        a20 += w0 * v2;
        a21 += w1 * v2;
        const v3 = X[x3 + k]!;
        a30 += w0 * v3;
        a31 += w1 * v3;
        w += wK;
      }
      if (act === ACT_RELU) {
        a00 = relu(a00);
        a01 = relu(a01);
        a10 = relu(a10);
        a11 = relu(a11);
        a20 = relu(a20);
        a21 = relu(a21);
        a30 = relu(a30);
        a31 = relu(a31);
      } else if (act === ACT_MASK) {
        a00 *= +(A[m0 + j]! > 0);
        a01 *= +(A[m0 + j + 1]! > 0);
        a10 *= +(A[m1 + j]! > 0);
        a11 *= +(A[m1 + j + 1]! > 0);
        a20 *= +(A[m2 + j]! > 0);
        a21 *= +(A[m2 + j + 1]! > 0);
        a30 *= +(A[m3 + j]! > 0);
        a31 *= +(A[m3 + j + 1]! > 0);
      }
      Y[y0 + j] = a00;
      Y[y0 + j + 1] = a01;
      Y[y1 + j] = a10;
      Y[y1 + j + 1] = a11;
      Y[y2 + j] = a20;
      Y[y2 + j + 1] = a21;
      Y[y3 + j] = a30;
      Y[y3 + j + 1] = a31;
    }
    if (j < J) {
      let a0 = I[i0 + j]!;
      let a1 = I[i1 + j]!;
      let a2 = I[i2 + j]!;
      let a3 = I[i3 + j]!;
      let w = wOff + j * wJ;
      for (let k = 0; k < K; k++) {
        const w0 = W[w]!;
        a0 += w0 * X[x0 + k]!;
        a1 += w0 * X[x1 + k]!;
        a2 += w0 * X[x2 + k]!;
        a3 += w0 * X[x3 + k]!;
        w += wK;
      }
      if (act === ACT_RELU) {
        a0 = relu(a0);
        a1 = relu(a1);
        a2 = relu(a2);
        a3 = relu(a3);
      } else if (act === ACT_MASK) {
        a0 *= +(A[m0 + j]! > 0);
        a1 *= +(A[m1 + j]! > 0);
        a2 *= +(A[m2 + j]! > 0);
        a3 *= +(A[m3 + j]! > 0);
      }
      Y[y0 + j] = a0;
      Y[y1 + j] = a1;
      Y[y2 + j] = a2;
      Y[y3 + j] = a3;
    }
  }
  for (; b < n; b++) {
    const x0 = xOff + b * xStride;
    const i0 = iOff + b * iStride;
    const y0 = yOff + b * yStride;
    const m0 = aOff + b * aStride;
    for (let j = 0; j < J; j++) {
      let a = I[i0 + j]!;
      let w = wOff + j * wJ;
      for (let k = 0; k < K; k++) {
        a += W[w]! * X[x0 + k]!;
        w += wK;
      }
      if (act === ACT_RELU) a = relu(a);
      else if (act === ACT_MASK) a *= +(A[m0 + j]! > 0);
      Y[y0 + j] = a;
    }
  }
}

/** Y[r0 + b, o] = bias[o] + Σ wt[column + o] · value over the nonzero inputs (column, value) of row r0 + b. */
function sparseInit(p: Float64Array, bOff: number, wt: Float64Array, O: number, Y: Float64Array, yOff: number, yStride: number, nzStart: Int32Array, nzColumn: Int32Array, nzValue: Float64Array, r0: number, n: number): void {
  for (let b = 0; b < n; b++) {
    const y = yOff + b * yStride;
    for (let o = 0; o < O; o++) Y[y + o] = p[bOff + o]!;
    const end = nzStart[r0 + b + 1]!;
    for (let q = nzStart[r0 + b]!; q < end; q++) {
      const c = nzColumn[q]!;
      const v = nzValue[q]!;
      for (let o = 0; o < O; o++) Y[y + o] += wt[c + o]! * v;
    }
  }
}

/**
 * G[wOff + o·rowLen + k] += Σ_r Dl[r, o] · X[r, k] for k < K, and G[bOff + o] += Σ_r Dl[r, o], over
 * `rows` rows (row r of Dl at dOff + r·dStride, of X at xOff + r·xStride). Tiles: 2 outputs × 4 columns.
 */
export function accumulateGrad(G: Float64Array, wOff: number, rowLen: number, bOff: number, O: number, K: number, Dl: Float64Array, dOff: number, dStride: number, X: Float64Array, xOff: number, xStride: number, rows: number): void {
  for (let o = 0; o < O; o++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += Dl[dOff + r * dStride + o]!;
    G[bOff + o] += s;
  }
  let o = 0;
  for (; o + 2 <= O; o += 2) {
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      let d = dOff + o;
      let x = xOff + k;
      for (let r = 0; r < rows; r++) {
        const d0 = Dl[d]!;
        const d1 = Dl[d + 1]!;
        const v0 = X[x]!;
        const v1 = X[x + 1]!;
        const v2 = X[x + 2]!;
        const v3 = X[x + 3]!;
        a00 += d0 * v0;
        a01 += d0 * v1;
        a02 += d0 * v2;
        a03 += d0 * v3;
        a10 += d1 * v0;
        a11 += d1 * v1;
        a12 += d1 * v2;
        a13 += d1 * v3;
        d += dStride;
        x += xStride;
      }
      const g0 = wOff + o * rowLen + k;
      const g1 = g0 + rowLen;
      G[g0] += a00;
      G[g0 + 1] += a01;
      G[g0 + 2] += a02;
      G[g0 + 3] += a03;
      G[g1] += a10;
      G[g1 + 1] += a11;
      G[g1 + 2] += a12;
      G[g1 + 3] += a13;
    }
    for (; k < K; k++) {
      let a0 = 0;
      let a1 = 0;
      let d = dOff + o;
      let x = xOff + k;
      for (let r = 0; r < rows; r++) {
        const v = X[x]!;
        a0 += Dl[d]! * v;
        a1 += Dl[d + 1]! * v;
        d += dStride;
        x += xStride;
      }
      G[wOff + o * rowLen + k] += a0;
      G[wOff + (o + 1) * rowLen + k] += a1;
    }
  }
  if (o < O) {
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let d = dOff + o;
      let x = xOff + k;
      for (let r = 0; r < rows; r++) {
        const d0 = Dl[d]!;
        a0 += d0 * X[x]!;
        a1 += d0 * X[x + 1]!;
        a2 += d0 * X[x + 2]!;
        a3 += d0 * X[x + 3]!;
        d += dStride;
        x += xStride;
      }
      const g0 = wOff + o * rowLen + k;
      G[g0] += a0;
      G[g0 + 1] += a1;
      G[g0 + 2] += a2;
      G[g0 + 3] += a3;
    }
    for (; k < K; k++) {
      let a = 0;
      let d = dOff + o;
      let x = xOff + k;
      for (let r = 0; r < rows; r++) {
        a += Dl[d]! * X[x]!;
        d += dStride;
        x += xStride;
      }
      G[wOff + o * rowLen + k] += a;
    }
  }
}

/** gwt[column + o] += Dl[r, o] · value for each nonzero input (column, value) of rows 0..rows-1. */
function sparseGrad(gwt: Float64Array, O: number, Dl: Float64Array, dOff: number, dStride: number, nzStart: Int32Array, nzColumn: Int32Array, nzValue: Float64Array, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const d = dOff + r * dStride;
    const end = nzStart[r + 1]!;
    for (let q = nzStart[r]!; q < end; q++) {
      const c = nzColumn[q]!;
      const v = nzValue[q]!;
      for (let o = 0; o < O; o++) gwt[c + o] += Dl[d + o]! * v;
    }
  }
}
