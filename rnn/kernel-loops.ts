/**
 * The OpenBLAS kernel's elementwise loops in WebAssembly SIMD (source: rnn/kernel-loops.wat), run on
 * an arena: one WebAssembly memory that holds a workspace's buffers, so that BLAS and the loops work
 * on the same bytes with no copying. The memory is never grown, so its buffer (and the address C
 * was given) stays put for the arena's life.
 */
import { KERNEL_LOOPS_WASM } from "./kernel-loops-wasm.js";

/** The exported loops; pointers and strides in bytes from the start of the arena's memory. */
export interface KernelLoops {
  /** values ·= (values > 0) over `n` doubles from byte `at`. */
  relu(at: number, n: number): void;
  /** grad ·= (activation > 0) over a rows × cols block of each. */
  reluBackward(grad: number, gradStride: number, activation: number, activationStride: number, rows: number, cols: number): void;
}

/** A run of doubles in an arena: the view, the address C uses, and the byte offset the loops use. */
export interface ArenaArray {
  readonly data: Float64Array;
  readonly address: number;
  readonly offset: number;
}

export interface Arena {
  readonly loops: KernelLoops;
  /** One array per requested length, in order, each starting on a 16-byte boundary. */
  readonly arrays: ArenaArray[];
}

const PAGE_BYTES = 65536;
let compiled: WebAssembly.Module | undefined;

/**
 * An arena holding arrays of the given lengths. `addressOf` gives the address of a typed array's
 * first element (the kernel reads it through its FFI).
 */
export function createArena(lengths: readonly number[], addressOf: (array: Float64Array) => number): Arena {
  const offsets: number[] = [];
  let bytes = 0;
  for (const length of lengths) {
    offsets.push(bytes);
    bytes += Math.ceil((Math.max(1, length) * 8) / 16) * 16;
  }
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
  compiled ??= new WebAssembly.Module(Buffer.from(KERNEL_LOOPS_WASM, "base64"));
  const instance = new WebAssembly.Instance(compiled, { kernel: { memory } });
  const base = addressOf(new Float64Array(memory.buffer, 0, 1));
  const arrays = lengths.map((length, i) => ({
    data: new Float64Array(memory.buffer, offsets[i]!, length),
    address: base + offsets[i]!,
    offset: offsets[i]!,
  }));
  return { loops: instance.exports as unknown as KernelLoops, arrays };
}
