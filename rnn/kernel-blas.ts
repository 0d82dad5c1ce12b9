/**
 * The OpenBLAS training kernel: the same forward pass and backpropagation through time as the
 * TypeScript kernel (rnn/kernel-ts.ts), with the matrix products done by `cblas_dgemm` (double
 * precision) through the FFI package koffi. Detected at run time: without koffi or without
 * libopenblas, `createBlasKernel` returns null and callers use the TypeScript kernel.
 *
 * Layout of the work (B sequences, T steps, all buffers time-major, row = (t, b)):
 *   forward   Z0[all t] = [x_t, 1] · [W0x | b0]ᵀ          one GEMM over T·B rows (input projection + bias)
 *             Z0[t]    += h_{t-1} · W0hᵀ                    one GEMM per step t ≥ 1 (h_{-1} = 0)
 *             deeper transition layers: bias broadcast once over T·B rows, one GEMM per step
 *             readout on all T·B hidden states at once, one GEMM per layer
 *   backward  readout gradients over all T·B rows, one GEMM per layer (dgemv for biases)
 *             dh_{t-1} += dZ0[t] · W0h                      one GEMM per step, accumulated in place
 *             weight gradients of every transition layer: one GEMM over all T·B rows each
 * ReLU, the loss and the bias/scatter bookkeeping are plain loops. Buffers are Float64Arrays passed
 * to C as pointers (koffi hands a typed array's storage to `double *` without copying); per-step
 * row views are made once per batch shape. OpenBLAS runs on one thread: two trainings share two cores.
 */
import { createRequire } from "node:module";
import { paramLayout, type LayerSlot, type ParamLayout } from "./params.js";
import type { Batch, Kernel, RnnConfig } from "./types.js";

export type BlasAvailability = { ok: true } | { ok: false; reason: string };

/** The two BLAS routines used, with CBLAS's argument order; arrays are passed without copying. */
interface Blas {
  dgemm(
    order: number, transA: number, transB: number, m: number, n: number, k: number,
    alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number,
    beta: number, c: Float64Array, ldc: number,
  ): void;
  dgemv(
    order: number, trans: number, m: number, n: number,
    alpha: number, a: Float64Array, lda: number, x: Float64Array, incx: number,
    beta: number, y: Float64Array, incy: number,
  ): void;
}

/** The part of koffi's API used here (koffi is an optional dependency, so it is required lazily). */
interface Koffi {
  load(path: string): { func(definition: string): (...args: unknown[]) => unknown };
}

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** Where to look for OpenBLAS: the dynamic loader's search path first, then Debian's multiarch directories. */
const LIBRARY_CANDIDATES = [
  "libopenblas.so.0",
  "/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "libopenblas.so",
  "libopenblas.dylib",
];

let loaded: { ok: true; blas: Blas } | { ok: false; reason: string } | undefined;

function loadBlas(): { ok: true; blas: Blas } | { ok: false; reason: string } {
  if (loaded !== undefined) return loaded;
  loaded = tryLoadBlas();
  return loaded;
}

function tryLoadBlas(): { ok: true; blas: Blas } | { ok: false; reason: string } {
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)("koffi") as Koffi;
  } catch (error) {
    return { ok: false, reason: `koffi (optional dependency) is not installed: ${String(error)}` };
  }
  // Read by OpenBLAS when it initialises (keeps it from starting a thread pool); set_num_threads below
  // covers a library that was already loaded.
  process.env["OPENBLAS_NUM_THREADS"] ??= "1";
  const failures: string[] = [];
  for (const path of LIBRARY_CANDIDATES) {
    let lib: ReturnType<Koffi["load"]>;
    try {
      lib = koffi.load(path);
    } catch (error) {
      failures.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    try {
      const dgemm = lib.func(
        "void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int)",
      ) as Blas["dgemm"];
      const dgemv = lib.func(
        "void cblas_dgemv(int, int, int, int, double, const double *, int, const double *, int, double, double *, int)",
      ) as Blas["dgemv"];
      try {
        (lib.func("void openblas_set_num_threads(int)") as (n: number) => void)(1);
      } catch {
        // Not OpenBLAS's own build of the symbol table; the environment variable above still applies.
      }
      const blas: Blas = { dgemm, dgemv };
      const problem = selfTest(blas);
      if (problem !== null) {
        failures.push(`${path}: ${problem}`);
        continue;
      }
      return { ok: true, blas };
    } catch (error) {
      failures.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ok: false, reason: `OpenBLAS not found (libopenblas0-pthread on Debian): ${failures.join("; ")}` };
}

/** One tiny product through each routine, including views at an offset, checked against hand-computed values. */
function selfTest(blas: Blas): string | null {
  const buffer = new Float64Array(16);
  const a = buffer.subarray(1, 7);
  a.set([1, 2, 3, 4, 5, 6]); // 2×3
  const b = buffer.subarray(7, 13);
  b.set([1, 0, 0, 1, 1, 1]); // 3×2
  const c = buffer.subarray(13, 16);
  const out = new Float64Array(4);
  blas.dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, 2, 2, 3, 1, a, 3, b, 2, 0, out, 2);
  const ones = new Float64Array([1, 1]);
  blas.dgemv(ROW_MAJOR, TRANS, 2, 3, 1, a, 3, ones, 1, 0, c, 1);
  const expected = [4, 5, 10, 11, 5, 7, 9];
  const got = [...out, ...c];
  return got.every((v, i) => v === expected[i]) ? null : `self-test gave [${got.join(", ")}], expected [${expected.join(", ")}]`;
}

/** Whether the OpenBLAS kernel can run here, and if not, why. */
export function blasAvailable(): BlasAvailability {
  const result = loadBlas();
  return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

/** The OpenBLAS kernel for one config, or null when koffi or OpenBLAS is missing (use the TypeScript kernel). */
export function createBlasKernel(config: RnnConfig): Kernel | null {
  const result = loadBlas();
  if (!result.ok) return null;
  return new BlasKernel(config, result.blas);
}

/** Scratch buffers for one batch shape; `rows(buffer)[t]` is the B-row block of step t. */
class Workspace {
  /** [x_t, 1] for every row: the input projection folds the bias in. T·B × (E + 1). */
  readonly inputsWithOne: Float64Array;
  /** Transition layer outputs over all steps (T·B × out_l), ReLU applied in place except the last, which is h. */
  readonly transition: Float64Array[];
  /** Readout layer outputs over all T·B rows; the last is the head output. */
  readonly readout: Float64Array[];
  /** Gradients with respect to the transition layers' pre-activations; the last is dLoss/dh. */
  readonly transitionGrad: Float64Array[];
  readonly readoutGrad: Float64Array[];
  readonly transitionRows: Float64Array[][];
  readonly transitionGradRows: Float64Array[][];
  /** T·B ones: broadcasts biases (rank-1 GEMM) and sums bias gradients (GEMV). */
  readonly ones: Float64Array;

  constructor(
    readonly size: number,
    readonly seqLen: number,
    layout: ParamLayout,
  ) {
    const rows = size * seqLen;
    const steps = (buffer: Float64Array, width: number): Float64Array[] =>
      Array.from({ length: seqLen }, (_, t) => buffer.subarray(t * size * width, (t + 1) * size * width));
    this.inputsWithOne = new Float64Array(rows * (layout.encodedWidth + 1));
    this.transition = layout.transition.map((s) => new Float64Array(rows * s.outSize));
    this.readout = layout.readout.map((s) => new Float64Array(rows * s.outSize));
    this.transitionGrad = layout.transition.map((s) => new Float64Array(rows * s.outSize));
    this.readoutGrad = layout.readout.map((s) => new Float64Array(rows * s.outSize));
    this.transitionRows = this.transition.map((buffer, l) => steps(buffer, layout.transition[l]!.outSize));
    this.transitionGradRows = this.transitionGrad.map((buffer, l) => steps(buffer, layout.transition[l]!.outSize));
    this.ones = new Float64Array(rows).fill(1);
  }
}

/** Views of one layer's weight and bias inside a flat vector (params or grad). */
interface LayerViews {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

function layerViews(vector: Float64Array, slots: readonly LayerSlot[]): LayerViews[] {
  return slots.map((s) => ({
    weight: vector.subarray(s.weightOffset, s.weightOffset + s.inSize * s.outSize),
    bias: vector.subarray(s.biasOffset, s.biasOffset + s.outSize),
  }));
}

class BlasKernel implements Kernel {
  readonly name = "openblas" as const;
  private readonly layout: ParamLayout;
  private readonly hidden: number;
  private readonly encoded: number;
  /** [W0x | b0]: the input columns of the first transition layer with its bias, out0 × (E + 1). */
  private readonly inputWeights: Float64Array;
  private readonly inputWeightsGrad: Float64Array;
  private workspace: Workspace | null = null;
  private paramViews: { vector: Float64Array; transition: LayerViews[]; readout: LayerViews[] } | null = null;
  private gradViews: { vector: Float64Array; transition: LayerViews[]; readout: LayerViews[] } | null = null;

  constructor(
    private readonly config: RnnConfig,
    private readonly blas: Blas,
  ) {
    this.layout = paramLayout(config);
    this.hidden = config.hiddenSize;
    this.encoded = this.layout.encodedWidth;
    const out0 = this.layout.transition[0]!.outSize;
    this.inputWeights = new Float64Array(out0 * (this.encoded + 1));
    this.inputWeightsGrad = new Float64Array(out0 * (this.encoded + 1));
  }

  forward(params: Float64Array, batch: Batch): Float64Array {
    const ws = this.run(params, batch);
    return ws.readout[ws.readout.length - 1]!.slice();
  }

  lossAndGradient(params: Float64Array, batch: Batch, grad: Float64Array): number {
    const ws = this.run(params, batch);
    const loss = this.lossAndHeadGradient(ws, batch);
    this.backward(ws, grad);
    return loss;
  }

  private views(vector: Float64Array, cached: BlasKernel["paramViews"]): NonNullable<BlasKernel["paramViews"]> {
    if (cached !== null && cached.vector === vector) return cached;
    if (vector.length !== this.layout.size) {
      throw new Error(`parameter vector has ${vector.length} entries, layout needs ${this.layout.size}`);
    }
    return { vector, transition: layerViews(vector, this.layout.transition), readout: layerViews(vector, this.layout.readout) };
  }

  private prepare(params: Float64Array, batch: Batch): Workspace {
    const { size, seqLen } = batch;
    const rows = size * seqLen;
    if (batch.inputs.length !== rows * this.encoded || batch.targets.length !== rows * this.config.outputDim) {
      throw new Error(`batch arrays do not match size ${size} × seqLen ${seqLen}`);
    }
    this.paramViews = this.views(params, this.paramViews);
    let ws = this.workspace;
    if (ws === null || ws.size !== size || ws.seqLen !== seqLen) {
      ws = new Workspace(size, seqLen, this.layout);
      this.workspace = ws;
    }
    return ws;
  }

  /** Forward pass over the whole batch; leaves every layer's output in the workspace. */
  private run(params: Float64Array, batch: Batch): Workspace {
    const ws = this.prepare(params, batch);
    const { dgemm } = this.blas;
    const { size, seqLen } = batch;
    const rows = size * seqLen;
    const H = this.hidden;
    const E = this.encoded;
    const slots = this.layout.transition;
    const p = this.paramViews!;
    const depth = slots.length;

    // Input projection for every step at once: Z0 = [x, 1] · [W0x | b0]ᵀ.
    const out0 = slots[0]!.outSize;
    const w0 = p.transition[0]!.weight;
    const b0 = p.transition[0]!.bias;
    const xw = this.inputWeights;
    for (let o = 0; o < out0; o++) {
      for (let e = 0; e < E; e++) xw[o * (E + 1) + e] = w0[o * (H + E) + H + e]!;
      xw[o * (E + 1) + E] = b0[o]!;
    }
    const x1 = ws.inputsWithOne;
    const inputs = batch.inputs;
    for (let r = 0; r < rows; r++) {
      for (let e = 0; e < E; e++) x1[r * (E + 1) + e] = inputs[r * E + e]!;
      x1[r * (E + 1) + E] = 1;
    }
    dgemm(ROW_MAJOR, NO_TRANS, TRANS, rows, out0, E + 1, 1, x1, E + 1, xw, E + 1, 0, ws.transition[0]!, out0);
    // Deeper layers: biases broadcast over all rows now, products added step by step below.
    for (let l = 1; l < depth; l++) {
      const out = slots[l]!.outSize;
      dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, rows, out, 1, 1, ws.ones, 1, p.transition[l]!.bias, out, 0, ws.transition[l]!, out);
    }

    const hRows = ws.transitionRows[depth - 1]!;
    for (let t = 0; t < seqLen; t++) {
      if (t > 0) {
        // Z0[t] += h_{t-1} · W0hᵀ (W0h = the first H columns of W0, leading dimension H + E).
        dgemm(ROW_MAJOR, NO_TRANS, TRANS, size, out0, H, 1, hRows[t - 1]!, H, w0, H + E, 1, ws.transitionRows[0]![t]!, out0);
      }
      for (let l = 1; l < depth; l++) {
        const prev = ws.transitionRows[l - 1]![t]!;
        relu(prev);
        const slot = slots[l]!;
        dgemm(
          ROW_MAJOR, NO_TRANS, TRANS, size, slot.outSize, slot.inSize,
          1, prev, slot.inSize, p.transition[l]!.weight, slot.inSize, 1, ws.transitionRows[l]![t]!, slot.outSize,
        );
      }
    }

    // Readout on all T·B hidden states at once.
    let input = ws.transition[depth - 1]!;
    this.layout.readout.forEach((slot, l) => {
      const out = ws.readout[l]!;
      const views = p.readout[l]!;
      dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, rows, slot.outSize, 1, 1, ws.ones, 1, views.bias, slot.outSize, 0, out, slot.outSize);
      dgemm(ROW_MAJOR, NO_TRANS, TRANS, rows, slot.outSize, slot.inSize, 1, input, slot.inSize, views.weight, slot.inSize, 1, out, slot.outSize);
      if (l < this.layout.readout.length - 1) relu(out);
      input = out;
    });
    return ws;
  }

  /** Mean loss; writes dLoss/d(head output) into the last readout gradient buffer. */
  private lossAndHeadGradient(ws: Workspace, batch: Batch): number {
    const rows = batch.size * batch.seqLen;
    const out = ws.readout[ws.readout.length - 1]!;
    const dOut = ws.readoutGrad[ws.readoutGrad.length - 1]!;
    const targets = batch.targets;
    const outputDim = this.config.outputDim;
    const scale = 1 / (rows * outputDim);
    const head = this.config.head;
    let loss = 0;
    if (head.kind === "regression") {
      const n = rows * outputDim;
      if (head.loss === "log") {
        for (let i = 0; i < n; i++) {
          const d = out[i]! - targets[i]!;
          const d2 = d * d;
          loss += 0.5 * Math.log1p(d2);
          dOut[i] = (scale * d) / (1 + d2);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const d = out[i]! - targets[i]!;
          loss += d * d;
          dOut[i] = 2 * scale * d;
        }
      }
      return loss * scale;
    }
    const width = this.layout.headWidth;
    const ranges = head.ranges;
    for (let r = 0; r < rows; r++) {
      let offset = r * width;
      for (let j = 0; j < outputDim; j++) {
        const range = ranges[j]!;
        const classes = range.max - range.min + 1;
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, out[offset + c]!);
        let sum = 0;
        for (let c = 0; c < classes; c++) {
          const e = Math.exp(out[offset + c]! - max);
          dOut[offset + c] = e;
          sum += e;
        }
        const target = targets[r * outputDim + j]! - range.min;
        loss += Math.log(sum) + max - out[offset + target]!;
        const norm = scale / sum;
        for (let c = 0; c < classes; c++) dOut[offset + c] = dOut[offset + c]! * norm;
        dOut[offset + target] = dOut[offset + target]! - scale;
        offset += classes;
      }
    }
    return loss * scale;
  }

  /** Backpropagation through time from the head gradient in the workspace; overwrites `grad`. */
  private backward(ws: Workspace, grad: Float64Array): void {
    const { dgemm, dgemv } = this.blas;
    const { size, seqLen } = ws;
    const rows = size * seqLen;
    const H = this.hidden;
    const E = this.encoded;
    const p = this.paramViews!;
    this.gradViews = this.views(grad, this.gradViews);
    const g = this.gradViews;
    const tSlots = this.layout.transition;
    const rSlots = this.layout.readout;
    const depth = tSlots.length;

    // Readout, all rows at once; ends with dLoss/dh for every step in transitionGrad[depth - 1].
    for (let l = rSlots.length - 1; l >= 0; l--) {
      const slot = rSlots[l]!;
      const dOut = ws.readoutGrad[l]!;
      const input = l > 0 ? ws.readout[l - 1]! : ws.transition[depth - 1]!;
      dgemm(ROW_MAJOR, TRANS, NO_TRANS, slot.outSize, slot.inSize, rows, 1, dOut, slot.outSize, input, slot.inSize, 0, g.readout[l]!.weight, slot.inSize);
      dgemv(ROW_MAJOR, TRANS, rows, slot.outSize, 1, dOut, slot.outSize, ws.ones, 1, 0, g.readout[l]!.bias, 1);
      const dInput = l > 0 ? ws.readoutGrad[l - 1]! : ws.transitionGrad[depth - 1]!;
      dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, rows, slot.inSize, slot.outSize, 1, dOut, slot.outSize, p.readout[l]!.weight, slot.inSize, 0, dInput, slot.inSize);
      if (l > 0) reluBackward(dInput, input);
    }

    // Through time: each step's dh is complete once step t + 1 has added its share.
    const out0 = tSlots[0]!.outSize;
    const w0 = p.transition[0]!.weight;
    const hGradRows = ws.transitionGradRows[depth - 1]!;
    for (let t = seqLen - 1; t >= 0; t--) {
      for (let l = depth - 1; l >= 1; l--) {
        const slot = tSlots[l]!;
        const dPrev = ws.transitionGradRows[l - 1]![t]!;
        dgemm(
          ROW_MAJOR, NO_TRANS, NO_TRANS, size, slot.inSize, slot.outSize,
          1, ws.transitionGradRows[l]![t]!, slot.outSize, p.transition[l]!.weight, slot.inSize, 0, dPrev, slot.inSize,
        );
        reluBackward(dPrev, ws.transitionRows[l - 1]![t]!);
      }
      if (t > 0) {
        // dh_{t-1} += dZ0[t] · W0h
        dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, size, H, out0, 1, ws.transitionGradRows[0]![t]!, out0, w0, H + E, 1, hGradRows[t - 1]!, H);
      }
    }

    // Weight gradients of the transition, one product over all steps per layer.
    const dZ0 = ws.transitionGrad[0]!;
    const gw0 = g.transition[0]!.weight;
    if (seqLen > 1) {
      // dW0h = Σ_{t≥1} dZ0[t]ᵀ · h_{t-1}: rows B.. of dZ0 against rows ..(T-1)B of h.
      dgemm(
        ROW_MAJOR, TRANS, NO_TRANS, out0, H, rows - size,
        1, dZ0.subarray(size * out0), out0, ws.transition[depth - 1]!, H, 0, gw0, H + E,
      );
    } else {
      for (let o = 0; o < out0; o++) gw0.fill(0, o * (H + E), o * (H + E) + H);
    }
    const gxw = this.inputWeightsGrad;
    dgemm(ROW_MAJOR, TRANS, NO_TRANS, out0, E + 1, rows, 1, dZ0, out0, ws.inputsWithOne, E + 1, 0, gxw, E + 1);
    const gb0 = g.transition[0]!.bias;
    for (let o = 0; o < out0; o++) {
      for (let e = 0; e < E; e++) gw0[o * (H + E) + H + e] = gxw[o * (E + 1) + e]!;
      gb0[o] = gxw[o * (E + 1) + E]!;
    }
    for (let l = 1; l < depth; l++) {
      const slot = tSlots[l]!;
      const dZ = ws.transitionGrad[l]!;
      dgemm(ROW_MAJOR, TRANS, NO_TRANS, slot.outSize, slot.inSize, rows, 1, dZ, slot.outSize, ws.transition[l - 1]!, slot.inSize, 0, g.transition[l]!.weight, slot.inSize);
      dgemv(ROW_MAJOR, TRANS, rows, slot.outSize, 1, dZ, slot.outSize, ws.ones, 1, 0, g.transition[l]!.bias, 1);
    }
  }
}

function relu(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
}

/** grad *= (activation > 0), where activation is the ReLU output. */
function reluBackward(grad: Float64Array, activation: Float64Array): void {
  for (let i = 0; i < grad.length; i++) if (!(activation[i]! > 0)) grad[i] = 0;
}
