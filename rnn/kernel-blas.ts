/**
 * The OpenBLAS training kernel: the same forward pass and backpropagation through time as the
 * TypeScript kernel (rnn/kernel-ts.ts), with the matrix products done by OpenBLAS in double
 * precision (`cblas_dgemm`, and `cblas_dgemv` for products with one output row or column) through
 * the FFI package koffi. Detected at run time: without koffi or without libopenblas,
 * `createBlasKernel` returns null and callers use the TypeScript kernel.
 *
 * B sequences, T steps; every buffer is time-major (row t·B + b). Biases ride along as a column of
 * ones in each layer's input, so no product needs a separate bias pass:
 *   S[t] = [h_{t-1}, 1, x_t]                 (T+1 blocks; block 0 has h_{-1} = 0)
 *   forward   h_t   = S[t] · [W0h | b0 | W0x]ᵀ  one GEMM per step and transition layer, written
 *                                              straight into the h columns of S[t+1]
 *             ŷ     = [h, 1] · [Wr | br]ᵀ      the readout on all T·B rows at once, per layer
 *   backward  P[t]  = [dZ0[t], dZr0[t-1]]      (T+1 blocks; dZ0[T] = 0; dZr0 = readout layer 0's
 *                                              pre-activation gradient)
 *             dh_t  = P[t+1] · [W0h; Wr0]      one GEMM per step: recurrence and readout in one product
 *             dW    = dZᵀ · [input, 1]         one GEMM per layer over all T·B rows: weights and bias
 * ReLU and its mask run in WebAssembly SIMD on the workspace's own memory (rnn/kernel-loops.ts); the
 * loss and copying weights into the stacked/augmented layouts are plain loops.
 *
 * Every operand of a BLAS call is a buffer this kernel owns (weights are copied in, gradients
 * copied out): weights as Float64Arrays over their own ArrayBuffers, a batch shape's workspace in one
 * WebAssembly memory that is never grown. C gets each buffer's address as a number, taken once at
 * allocation: marshalling a typed array costs koffi ~0.4 µs per argument per call, a third of a
 * small product. This is safe because V8 never moves an ArrayBuffer's backing store (a memory's
 * moves only when it grows), and the buffers live as long as the kernel that uses them.
 * OpenBLAS runs on one thread: two trainings share two cores, and more threads never helped.
 */
import { createRequire } from "node:module";
import { createArena, type ArenaArray, type KernelLoops } from "./kernel-loops.js";
import { paramLayout, type LayerSlot } from "./params.js";
import type { Batch, Kernel, RnnConfig } from "./types.js";

export type BlasAvailability = { ok: true } | { ok: false; reason: string };

/**
 * The BLAS routines used, with CBLAS's argument order. Matrices are passed by address (see the
 * file comment); `addressOf` reads a typed array's address (through memmove(p, p, 0), which
 * returns its first argument).
 */
interface Blas {
  dgemm(
    order: number, transA: number, transB: number, m: number, n: number, k: number,
    alpha: number, a: number, lda: number, b: number, ldb: number,
    beta: number, c: number, ldc: number,
  ): void;
  dgemv(
    order: number, trans: number, m: number, n: number,
    alpha: number, a: number, lda: number, x: number, incx: number,
    beta: number, y: number, incy: number,
  ): void;
  addressOf(array: Float64Array): number;
}

/** A buffer handed to C: a Float64Array over its own ArrayBuffer, and the address of element 0. */
interface NativeArray {
  readonly data: Float64Array;
  readonly address: number;
}

function nativeArray(blas: Blas, length: number): NativeArray {
  const data = new Float64Array(new ArrayBuffer(Math.max(1, length) * 8));
  return { data, address: blas.addressOf(data) };
}

/** Address of element `index` of a native array. */
function at(array: NativeArray, index: number): number {
  return array.address + index * 8;
}

/** The part of koffi's API used here (koffi is an optional dependency, so it is required lazily). */
interface Koffi {
  load(path: string): { func(definition: string): (...args: unknown[]) => unknown };
}

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** Batch shapes kept at once: the training minibatch, the held-out slice, and the full held-out set's batches. */
const MAX_WORKSPACES = 4;

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
        "void cblas_dgemm(int, int, int, int, int, int, double, uintptr_t, int, uintptr_t, int, double, uintptr_t, int)",
      ) as Blas["dgemm"];
      const dgemv = lib.func(
        "void cblas_dgemv(int, int, int, int, double, uintptr_t, int, uintptr_t, int, double, uintptr_t, int)",
      ) as Blas["dgemv"];
      // memmove comes from the C library OpenBLAS links against (dlsym searches its dependencies).
      const memmove = lib.func("uintptr_t memmove(double *dest, const double *src, size_t n)") as (
        dest: Float64Array, src: Float64Array, n: number,
      ) => number;
      const addressOf = (array: Float64Array): number => memmove(array, array, 0);
      try {
        (lib.func("void openblas_set_num_threads(int)") as (n: number) => void)(1);
      } catch {
        // Not OpenBLAS's own build of the symbol table; the environment variable above still applies.
      }
      const blas: Blas = { dgemm, dgemv, addressOf };
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

/** One tiny product through each routine, at offsets inside one buffer, checked against hand-computed values. */
function selfTest(blas: Blas): string | null {
  const buffer = nativeArray(blas, 24);
  if (blas.addressOf(buffer.data.subarray(3)) !== at(buffer, 3)) return "typed array addresses are not what they seem";
  buffer.data.set([1, 2, 3, 4, 5, 6], 1); // A, 2×3 at 1
  buffer.data.set([1, 0, 0, 1, 1, 1], 7); // B, 3×2 at 7
  buffer.data.set([1, 1], 18); // x at 18
  blas.dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, 2, 2, 3, 1, at(buffer, 1), 3, at(buffer, 7), 2, 0, at(buffer, 13), 2); // A·B at 13
  blas.dgemv(ROW_MAJOR, TRANS, 2, 3, 1, at(buffer, 1), 3, at(buffer, 18), 1, 0, at(buffer, 20), 1); // Aᵀx at 20
  const expected = [4, 5, 10, 11, 0, 1, 1, 5, 7, 9, 0];
  const got = Array.from(buffer.data.subarray(13, 24));
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

/** One layer's copies in C-facing buffers. */
interface LayerBuffers {
  readonly slot: LayerSlot;
  /** [W | b], out × (in + 1), for an input with a trailing column of ones (layer 0: [W0h | b0 | W0x]). */
  readonly augmented: NativeArray;
  /** W alone, out × in: propagates gradients to the layer's input (unused for transition layer 0). */
  readonly weights: NativeArray;
  /** dLoss/d(augmented), scattered into the flat gradient after each product. */
  readonly gradient: NativeArray;
}

/**
 * Scratch buffers for one batch shape (see the file comment for S and P), in one arena so that the
 * ReLU loops run in WebAssembly on the same bytes BLAS reads.
 */
class Workspace {
  readonly loops: KernelLoops;
  /** (T+1)·B rows of [h_{t-1}, 1, x_t], width H + 1 + E. */
  readonly states: ArenaArray;
  /** Hidden transition layers 0..d−2 over all steps: T·B rows of [ReLU output, 1]. */
  readonly transitionHidden: ArenaArray[];
  /** Hidden readout layers 0..d−2: T·B rows of [ReLU output, 1]. */
  readonly readoutHidden: ArenaArray[];
  /** Head outputs, T·B × headWidth. */
  readonly outputs: ArenaArray;
  /** (T+1)·B rows of [dZ0[t], dZr0[t−1]], width out0 + readout out0; zero where never written. */
  readonly stacked: ArenaArray;
  /** Gradients of transition layers 1..d−1 (index l; 0 unused), T·B × out_l; the last is dh. */
  readonly transitionGrad: ArenaArray[];
  /** Gradients of readout layers 1..d−1 (index l; 0 unused; layer 0's lives in `stacked`). */
  readonly readoutGrad: ArenaArray[];

  constructor(
    readonly size: number,
    readonly seqLen: number,
    blas: Blas,
    shape: { transition: readonly LayerSlot[]; readout: readonly LayerSlot[]; stateWidth: number; stackedWidth: number; hidden: number },
  ) {
    const rows = size * seqLen;
    const { transition, readout, stateWidth, stackedWidth, hidden } = shape;
    const hiddenLengths = (slots: readonly LayerSlot[]): number[] => slots.slice(0, -1).map((s) => rows * (s.outSize + 1));
    const gradLengths = (slots: readonly LayerSlot[]): number[] => slots.map((s, l) => (l === 0 ? 0 : rows * s.outSize));
    const lengths = [
      (seqLen + 1) * size * stateWidth,
      rows * readout[readout.length - 1]!.outSize,
      (seqLen + 1) * size * stackedWidth,
      ...hiddenLengths(transition),
      ...hiddenLengths(readout),
      ...gradLengths(transition),
      ...gradLengths(readout),
    ];
    const { loops, arrays } = createArena(lengths, blas.addressOf);
    this.loops = loops;
    const take = (n: number): ArenaArray[] => arrays.splice(0, n);
    [this.states, this.outputs, this.stacked] = take(3) as [ArenaArray, ArenaArray, ArenaArray];
    this.transitionHidden = take(transition.length - 1);
    this.readoutHidden = take(readout.length - 1);
    this.transitionGrad = take(transition.length);
    this.readoutGrad = take(readout.length);
    // The column of ones after each hidden layer's outputs and after h in S.
    for (let r = 0; r < (seqLen + 1) * size; r++) this.states.data[r * stateWidth + hidden] = 1;
    const ones = (buffers: readonly ArenaArray[], slots: readonly LayerSlot[]): void =>
      buffers.forEach((buffer, l) => {
        const width = slots[l]!.outSize + 1;
        for (let r = 0; r < rows; r++) buffer.data[r * width + width - 1] = 1;
      });
    ones(this.transitionHidden, transition);
    ones(this.readoutHidden, readout);
  }
}

class BlasKernel implements Kernel {
  readonly name = "openblas" as const;
  private readonly hidden: number;
  private readonly encoded: number;
  private readonly headWidth: number;
  /** Width of a row of S: H + 1 + E. */
  private readonly stateWidth: number;
  /** Width of a row of P: out0 + readout out0. */
  private readonly stackedWidth: number;
  private readonly transition: LayerBuffers[];
  private readonly readout: LayerBuffers[];
  /** [W0h; Wr0], stackedWidth × H: maps a row of P to dh. */
  private readonly stackedWeights: NativeArray;
  /** Length of the flat parameter vector. */
  private readonly size: number;
  /**
   * Workspaces by batch shape, most recent last. Training alternates between its minibatch shape and
   * the held-out check's shapes; rebuilding on every switch was a tenth of a step at hidden 1.
   */
  private readonly workspaces: Workspace[] = [];

  constructor(
    private readonly config: RnnConfig,
    private readonly blas: Blas,
  ) {
    const layout = paramLayout(config);
    this.hidden = config.hiddenSize;
    this.encoded = layout.encodedWidth;
    this.headWidth = layout.headWidth;
    this.stateWidth = this.hidden + 1 + this.encoded;
    this.stackedWidth = layout.transition[0]!.outSize + layout.readout[0]!.outSize;
    const buffers = (slot: LayerSlot): LayerBuffers => ({
      slot,
      augmented: nativeArray(blas, slot.outSize * (slot.inSize + 1)),
      weights: nativeArray(blas, slot.outSize * slot.inSize),
      gradient: nativeArray(blas, slot.outSize * (slot.inSize + 1)),
    });
    this.transition = layout.transition.map(buffers);
    this.readout = layout.readout.map(buffers);
    this.stackedWeights = nativeArray(blas, this.stackedWidth * this.hidden);
    this.size = layout.size;
  }

  forward(params: Float64Array, batch: Batch): Float64Array {
    return this.run(params, batch).outputs.data.slice();
  }

  lossAndGradient(params: Float64Array, batch: Batch, grad: Float64Array): number {
    if (grad.length !== this.size) throw new Error(`gradient vector has ${grad.length} entries, layout needs ${this.size}`);
    const ws = this.run(params, batch);
    const loss = this.lossAndHeadGradient(ws, batch);
    this.backward(ws, grad);
    return loss;
  }

  /**
   * C = op(A)·op(B), row-major, overwriting C (arguments are addresses). A product with a single
   * output column or row goes to dgemv: OpenBLAS's dgemm is several times slower on those shapes
   * (e.g. the readout of a 1-dim head).
   */
  private gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
  ): void {
    const { dgemm, dgemv } = this.blas;
    if (n === 1) {
      // c[i] = Σ_j op(A)[i, j] · op(B)[j]; op(B)'s column is b with stride 1 (transposed) or ldb.
      if (transA) dgemv(ROW_MAJOR, TRANS, k, m, 1, a, lda, b, transB ? 1 : ldb, 0, c, ldc);
      else dgemv(ROW_MAJOR, NO_TRANS, m, k, 1, a, lda, b, transB ? 1 : ldb, 0, c, ldc);
    } else if (m === 1) {
      // c = op(B)ᵀ · x, with x = op(A)'s single row: a with stride lda (transposed) or 1.
      if (transB) dgemv(ROW_MAJOR, NO_TRANS, n, k, 1, b, ldb, a, transA ? lda : 1, 0, c, 1);
      else dgemv(ROW_MAJOR, TRANS, k, n, 1, b, ldb, a, transA ? lda : 1, 0, c, 1);
    } else {
      dgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1, a, lda, b, ldb, 0, c, ldc);
    }
  }

  /** Copy the parameters into the C-facing layouts: [W0h | b0 | W0x], [W | b], W, and [W0h; Wr0]. */
  private loadWeights(params: Float64Array): void {
    if (params.length !== this.size) throw new Error(`parameter vector has ${params.length} entries, layout needs ${this.size}`);
    const H = this.hidden;
    const E = this.encoded;
    const first = this.transition[0]!;
    const augmented0 = first.augmented.data;
    const stacked = this.stackedWeights.data;
    const { weightOffset, biasOffset, outSize: out0 } = first.slot;
    for (let o = 0; o < out0; o++) {
      const row = o * (H + 1 + E);
      const from = weightOffset + o * (H + E);
      for (let j = 0; j < H; j++) augmented0[row + j] = params[from + j]!;
      augmented0[row + H] = params[biasOffset + o]!;
      for (let e = 0; e < E; e++) augmented0[row + H + 1 + e] = params[from + H + e]!;
      for (let j = 0; j < H; j++) stacked[o * H + j] = params[from + j]!;
    }
    const plain = (layer: LayerBuffers): void => {
      const { weightOffset: w, biasOffset: b, inSize, outSize } = layer.slot;
      const augmented = layer.augmented.data;
      for (let o = 0; o < outSize; o++) {
        for (let i = 0; i < inSize; i++) augmented[o * (inSize + 1) + i] = params[w + o * inSize + i]!;
        augmented[o * (inSize + 1) + inSize] = params[b + o]!;
      }
      layer.weights.data.set(params.subarray(w, w + outSize * inSize));
    };
    this.transition.slice(1).forEach(plain);
    this.readout.forEach(plain);
    stacked.set(this.readout[0]!.weights.data, out0 * H);
  }

  /** Scatter a layer's [W | b] gradient (layer 0's [W0h | b0 | W0x]) into the flat vector. */
  private storeGradient(layer: LayerBuffers, grad: Float64Array, first: boolean): void {
    const { weightOffset: w, biasOffset: b, inSize, outSize } = layer.slot;
    const g = layer.gradient.data;
    const H = this.hidden;
    for (let o = 0; o < outSize; o++) {
      const row = o * (inSize + 1);
      if (first) {
        for (let j = 0; j < H; j++) grad[w + o * inSize + j] = g[row + j]!;
        grad[b + o] = g[row + H]!;
        for (let e = H; e < inSize; e++) grad[w + o * inSize + e] = g[row + e + 1]!;
      } else {
        for (let i = 0; i < inSize; i++) grad[w + o * inSize + i] = g[row + i]!;
        grad[b + o] = g[row + inSize]!;
      }
    }
  }

  private prepare(batch: Batch): Workspace {
    const { size, seqLen } = batch;
    const rows = size * seqLen;
    if (batch.inputs.length !== rows * this.encoded || batch.targets.length !== rows * this.config.outputDim) {
      throw new Error(`batch arrays do not match size ${size} × seqLen ${seqLen}`);
    }
    const cached = this.workspaces.findIndex((w) => w.size === size && w.seqLen === seqLen);
    const ws =
      cached >= 0
        ? this.workspaces.splice(cached, 1)[0]!
        : new Workspace(size, seqLen, this.blas, {
            transition: this.transition.map((l) => l.slot),
            readout: this.readout.map((l) => l.slot),
            stateWidth: this.stateWidth,
            stackedWidth: this.stackedWidth,
            hidden: this.hidden,
          });
    this.workspaces.push(ws);
    if (this.workspaces.length > MAX_WORKSPACES) this.workspaces.shift();
    return ws;
  }

  /** Forward pass over the whole batch; leaves every layer's output in the workspace. */
  private run(params: Float64Array, batch: Batch): Workspace {
    const ws = this.prepare(batch);
    this.loadWeights(params);
    const { size, seqLen } = batch;
    const rows = size * seqLen;
    const H = this.hidden;
    const E = this.encoded;
    const SW = this.stateWidth;
    const states = ws.states.data;
    const inputs = batch.inputs;
    const n = rows * E;
    for (let i = 0, e = 0, o = H + 1; i < n; i++) {
      states[o] = inputs[i]!;
      if (++e === E) {
        e = 0;
        o += SW - E + 1;
      } else o++;
    }

    const depth = this.transition.length;
    for (let t = 0; t < seqLen; t++) {
      let input = at(ws.states, t * size * SW);
      let inputWidth = SW;
      for (let l = 0; l < depth; l++) {
        const { slot, augmented } = this.transition[l]!;
        const last = l === depth - 1;
        const outWidth = last ? SW : slot.outSize + 1;
        const outStart = last ? (t + 1) * size * SW : t * size * outWidth;
        const out = last ? ws.states : ws.transitionHidden[l]!;
        this.gemm(false, true, size, slot.outSize, slot.inSize + 1, input, inputWidth, augmented.address, slot.inSize + 1, at(out, outStart), outWidth);
        if (!last) ws.loops.relu(out.offset + outStart * 8, size * outWidth);
        input = at(out, outStart);
        inputWidth = outWidth;
      }
    }

    // Readout on all T·B hidden states at once: rows B.. of S, columns [h, 1].
    let input = at(ws.states, size * SW);
    let inputWidth = SW;
    this.readout.forEach(({ slot, augmented }, l) => {
      const last = l === this.readout.length - 1;
      const out = last ? ws.outputs : ws.readoutHidden[l]!;
      const outWidth = last ? slot.outSize : slot.outSize + 1;
      this.gemm(false, true, rows, slot.outSize, slot.inSize + 1, input, inputWidth, augmented.address, slot.inSize + 1, out.address, outWidth);
      if (!last) ws.loops.relu(out.offset, rows * outWidth);
      input = out.address;
      inputWidth = outWidth;
    });
    return ws;
  }

  /** Mean loss; writes dLoss/d(head output) where the readout backward reads it. */
  private lossAndHeadGradient(ws: Workspace, batch: Batch): number {
    const rows = batch.size * batch.seqLen;
    const out = ws.outputs.data;
    const K = this.headWidth;
    // With one readout layer the head gradient is dZr0, which lives in P (rows B.., after dZ0's columns).
    const single = this.readout.length === 1;
    const dOut = single ? ws.stacked.data : ws.readoutGrad[this.readout.length - 1]!.data;
    const dStride = single ? this.stackedWidth : K;
    const dStart = single ? batch.size * this.stackedWidth + this.transition[0]!.slot.outSize : 0;
    const targets = batch.targets;
    const outputDim = this.config.outputDim;
    const scale = 1 / (rows * outputDim);
    const head = this.config.head;
    // Regression: one flat loop over the T·B·K entries, with a column counter for the strided gradient
    // (V8 runs a nested loop whose inner trip count is 1 several times slower).
    const n = rows * K;
    const skip = dStride - K + 1;
    if (head.kind === "regression" && head.loss === "log") {
      // Σ ½·ln(1 + d²) as ½·ln of a running product, logged only before it could overflow (every
      // factor is ≥ 1): a logarithm per entry was half of a step at small hidden sizes.
      let product = 1;
      let logs = 0;
      for (let i = 0, j = 0, o = dStart; i < n; i++) {
        const d = out[i]! - targets[i]!;
        const factor = 1 + d * d;
        dOut[o] = (scale * d) / factor;
        if (factor > 1e100) logs += Math.log(factor);
        else {
          product *= factor; // NaN stays NaN through to the result
          if (product > 1e200) {
            logs += Math.log(product);
            product = 1;
          }
        }
        if (++j === K) {
          j = 0;
          o += skip;
        } else o++;
      }
      return 0.5 * (logs + Math.log(product)) * scale;
    }
    if (head.kind === "regression") {
      let squares = 0;
      for (let i = 0, j = 0, o = dStart; i < n; i++) {
        const d = out[i]! - targets[i]!;
        squares += d * d;
        dOut[o] = 2 * scale * d;
        if (++j === K) {
          j = 0;
          o += skip;
        } else o++;
      }
      return squares * scale;
    }
    const ranges = head.ranges;
    let product = 1; // of the softmax denominators, each in [1, classes]: ln Π = Σ ln, as above
    let logs = 0;
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      let offset = r * K;
      let d0 = dStart + r * dStride;
      for (let j = 0; j < outputDim; j++) {
        const range = ranges[j]!;
        const classes = range.max - range.min + 1;
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, out[offset + c]!);
        let sum = 0;
        for (let c = 0; c < classes; c++) {
          // The largest logit's term is exp(0) = 1 exactly: no call needed (same bits).
          const v = out[offset + c]! - max;
          const e = v === 0 ? 1 : Math.exp(v);
          dOut[d0 + c] = e;
          sum += e;
        }
        const target = targets[r * outputDim + j]! - range.min;
        product *= sum; // sum ≥ 1: it includes exp(max − max)
        if (product > 1e200) {
          logs += Math.log(product);
          product = 1;
        }
        loss += max - out[offset + target]!;
        const norm = scale / sum;
        for (let c = 0; c < classes; c++) dOut[d0 + c] = dOut[d0 + c]! * norm;
        dOut[d0 + target] = dOut[d0 + target]! - scale;
        offset += classes;
        d0 += classes;
      }
    }
    return (loss + logs + Math.log(product)) * scale;
  }

  /** Backpropagation through time from the head gradient in the workspace; overwrites `grad`. */
  private backward(ws: Workspace, grad: Float64Array): void {
    const { size, seqLen } = ws;
    const rows = size * seqLen;
    const H = this.hidden;
    const SW = this.stateWidth;
    const PW = this.stackedWidth;
    const out0 = this.transition[0]!.slot.outSize;
    const tDepth = this.transition.length;
    const rDepth = this.readout.length;
    // Readout layer 0's gradient: P's columns after dZ0, shifted one block (dZr0[t] sits in P[t + 1]).
    const readout0Start = size * PW + out0;

    // Readout, all T·B rows at once.
    for (let l = rDepth - 1; l >= 0; l--) {
      const layer = this.readout[l]!;
      const { slot } = layer;
      const dZ = l === 0 ? at(ws.stacked, readout0Start) : ws.readoutGrad[l]!.address;
      const dZWidth = l === 0 ? PW : slot.outSize;
      const input = l === 0 ? at(ws.states, size * SW) : ws.readoutHidden[l - 1]!.address;
      const inputWidth = l === 0 ? SW : slot.inSize + 1;
      this.gemm(true, false, slot.outSize, slot.inSize + 1, rows, dZ, dZWidth, input, inputWidth, layer.gradient.address, slot.inSize + 1);
      this.storeGradient(layer, grad, false);
      if (l > 0) {
        const toFirst = l - 1 === 0;
        const dPrev = toFirst ? ws.stacked : ws.readoutGrad[l - 1]!;
        const dPrevStart = toFirst ? readout0Start : 0;
        const dPrevWidth = toFirst ? PW : slot.inSize;
        this.gemm(false, false, rows, slot.inSize, slot.outSize, dZ, dZWidth, layer.weights.address, slot.inSize, at(dPrev, dPrevStart), dPrevWidth);
        ws.loops.reluBackward(dPrev.offset + dPrevStart * 8, dPrevWidth * 8, ws.readoutHidden[l - 1]!.offset, (slot.inSize + 1) * 8, rows, slot.inSize);
      }
    }

    // Through time: dh_t = P[t+1] · [W0h; Wr0], then down the transition layers to dZ0[t] in P[t].
    for (let t = seqLen - 1; t >= 0; t--) {
      const dh = tDepth === 1 ? at(ws.stacked, t * size * PW) : at(ws.transitionGrad[tDepth - 1]!, t * size * H);
      this.gemm(false, false, size, H, PW, at(ws.stacked, (t + 1) * size * PW), PW, this.stackedWeights.address, H, dh, tDepth === 1 ? PW : H);
      for (let l = tDepth - 1; l >= 1; l--) {
        const { slot, weights } = this.transition[l]!;
        const toFirst = l - 1 === 0;
        const dPrev = toFirst ? ws.stacked : ws.transitionGrad[l - 1]!;
        const dPrevWidth = toFirst ? PW : slot.inSize;
        const dPrevStart = t * size * dPrevWidth;
        const dZ = at(ws.transitionGrad[l]!, t * size * slot.outSize);
        this.gemm(false, false, size, slot.inSize, slot.outSize, dZ, slot.outSize, weights.address, slot.inSize, at(dPrev, dPrevStart), dPrevWidth);
        ws.loops.reluBackward(dPrev.offset + dPrevStart * 8, dPrevWidth * 8, ws.transitionHidden[l - 1]!.offset + t * size * (slot.inSize + 1) * 8, (slot.inSize + 1) * 8, size, slot.inSize);
      }
    }

    // Transition weights and biases, one product over all steps per layer.
    const first = this.transition[0]!;
    this.gemm(true, false, out0, SW, rows, ws.stacked.address, PW, ws.states.address, SW, first.gradient.address, SW);
    this.storeGradient(first, grad, true);
    for (let l = 1; l < tDepth; l++) {
      const layer = this.transition[l]!;
      const { slot } = layer;
      this.gemm(
        true, false, slot.outSize, slot.inSize + 1, rows,
        ws.transitionGrad[l]!.address, slot.outSize, ws.transitionHidden[l - 1]!.address, slot.inSize + 1, layer.gradient.address, slot.inSize + 1,
      );
      this.storeGradient(layer, grad, false);
    }
  }
}
