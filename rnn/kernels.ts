/**
 * Picking a training kernel. Both compute the same loss and gradient (test/rnn/kernel-blas.test.ts
 * checks them against each other to ~1e-10); they differ only in speed. The TypeScript kernel has
 * no per-call overhead and wins on the smallest networks; the OpenBLAS kernel wins once the matrix
 * products dominate. The crossover below is measured by `npm run bench:train`.
 */
import { blasAvailable, createBlasKernel } from "./kernel-blas.js";
import { createTypeScriptKernel } from "./kernel-ts.js";
import type { Kernel, KernelName, RnnConfig } from "./types.js";

/** A kernel by name, or "auto": the faster one for this config and batch size. */
export type KernelChoice = KernelName | "auto";

/** The kernels that can run in this process (the OpenBLAS one needs koffi and libopenblas). */
export function availableKernels(): KernelName[] {
  return blasAvailable().ok ? ["typescript", "openblas"] : ["typescript"];
}

/**
 * The faster kernel for one config and batch size. The OpenBLAS kernel pays ~2 µs per FFI call and
 * makes roughly (transition depth + 1) calls per time step; the TypeScript kernel's cost grows with
 * the multiply-adds per sample. Below the crossover (about hidden 4 for a depth-1 transition, less
 * for deeper ones) the TypeScript kernel is as fast or faster.
 */
export function preferredKernel(config: RnnConfig, batchSize: number): KernelName {
  if (!blasAvailable().ok) return "typescript";
  return multiplyAddsPerSampleStep(config) * batchSize >= BLAS_CROSSOVER_MACS_PER_STEP ? "openblas" : "typescript";
}

/**
 * Multiply-adds per (sample, time step) through the transition and readout, the dense-equivalent work.
 * Measured crossover: see benchmarks/results/train-speed.json.
 */
const BLAS_CROSSOVER_MACS_PER_STEP = 16 * 256;

function multiplyAddsPerSampleStep(config: RnnConfig): number {
  const h = config.hiddenSize;
  let macs = 0;
  let inSize = h;
  for (let l = 0; l < config.transition.depth; l++) {
    const out = l === config.transition.depth - 1 ? h : config.transition.width;
    macs += inSize * out;
    inSize = out;
  }
  inSize = h;
  for (let l = 0; l < config.readout.depth; l++) {
    const out = l === config.readout.depth - 1 ? config.outputDim : config.readout.width;
    macs += inSize * out;
    inSize = out;
  }
  return macs;
}

/**
 * A kernel for `config`. "auto" picks by `preferredKernel`; "openblas" falls back to the TypeScript
 * kernel when OpenBLAS cannot be loaded (the returned kernel's `name` says which one runs, and the
 * training record keeps it).
 */
export function createKernel(choice: KernelChoice, config: RnnConfig, batchSize = 256): Kernel {
  const name = choice === "auto" ? preferredKernel(config, batchSize) : choice;
  if (name === "openblas") {
    const kernel = createBlasKernel(config);
    if (kernel !== null) return kernel;
  }
  return createTypeScriptKernel(config);
}
