/**
 * Picking a training kernel. Both compute the same loss and gradient (test/rnn/kernel-blas.test.ts
 * checks them against each other to ~1e-10); they differ only in speed. The TypeScript kernel has
 * no per-call overhead and wins on the smallest networks at small batches; the OpenBLAS kernel wins
 * everywhere else (`npm run bench:train` measures both).
 */
import { blasAvailable, createBlasKernel } from "./kernel-blas.js";
import { createTypeScriptKernel } from "./kernel-ts.js";
import { paramLayout } from "./params.js";
import type { Kernel, KernelName, RnnConfig } from "./types.js";

/** A kernel by name, or "auto": the faster one for this config and batch size. */
export type KernelChoice = KernelName | "auto";

/** The kernels that can run in this process (the OpenBLAS one needs koffi and libopenblas). */
export function availableKernels(): KernelName[] {
  return blasAvailable().ok ? ["typescript", "openblas"] : ["typescript"];
}

/**
 * The faster kernel for one config and batch size. The OpenBLAS kernel pays a fixed ~1–2 µs per BLAS
 * call and makes about one call per transition layer per time step; the TypeScript kernel pays per
 * sample, roughly in proportion to the multiply-adds it does plus a constant. Measured crossover
 * (CPU time of both kernels, seq length 10, hidden 1–8, batch 32–512, transition depth 1–2 with
 * width = hidden, raw and one-hot input): OpenBLAS wins once
 *   batchSize · (6 + multiply-adds per sample step) ≥ 450 · transition depth,
 * i.e. from batch ~50 at hidden 1 with a linear transition, ~90 at hidden 1 with an MLP transition,
 * and below 32 from hidden 4 on. Picks near the line are within ~20% of each other either way.
 */
export function preferredKernel(config: RnnConfig, batchSize: number): KernelName {
  if (!blasAvailable().ok) return "typescript";
  const work = batchSize * (PER_SAMPLE_OVERHEAD_MACS + multiplyAddsPerSampleStep(config));
  return work >= BLAS_CALL_COST_MACS * config.transition.depth ? "openblas" : "typescript";
}

/** The TypeScript kernel's per-sample cost that does not scale with the layers, in multiply-adds. */
const PER_SAMPLE_OVERHEAD_MACS = 6;
/** The OpenBLAS kernel's fixed cost per transition layer, in (samples × TypeScript multiply-adds). */
const BLAS_CALL_COST_MACS = 450;

/**
 * Multiply-adds per (sample, time step) the TypeScript kernel does through transition and readout.
 * It skips zero inputs, so a one-hot input counts one column per component, not its whole width.
 */
function multiplyAddsPerSampleStep(config: RnnConfig): number {
  const layout = paramLayout(config);
  const inputColumns = config.encoding.kind === "one-hot" ? config.inputDim : layout.encodedWidth;
  const first = layout.transition[0]!;
  const rest = [...layout.transition.slice(1), ...layout.readout];
  return first.outSize * (config.hiddenSize + inputColumns) + rest.reduce((sum, slot) => sum + slot.inSize * slot.outSize, 0);
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
