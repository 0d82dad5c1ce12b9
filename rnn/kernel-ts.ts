/**
 * The TypeScript training kernel: forward pass and backpropagation through time by hand over
 * Float64Array, for any transition/readout depth, head and encoding. Two implementations compute the
 * same loss and gradient (tested against each other, rnn/reference.ts, finite differences and tfjs
 * autodiff):
 *
 * - generated (rnn/kernel-ts-gen.ts): JavaScript written for one config, every matrix-vector product
 *   unrolled with the parameters in local variables, one sample step at a time. Per-operation
 *   overhead decides speed for tiny networks, and this removes it (2.5–3× the loops at hidden 2–8 with
 *   a linear transition). Compilation grows faster than linearly with the unrolled size (V8 took
 *   0.3–2 s for width-16 MLPs), so it is used only up to MAX_UNROLLED_MACS multiply-adds per step.
 * - tiled (rnn/kernel-ts-tiled.ts): loops shared by every config; each layer at each step is a small
 *   matrix product over a chunk of samples in register tiles, and weight gradients are one product
 *   per layer over the whole chunk after backpropagation.
 *
 * Both process samples in chunks (64) whose activations stay in cache, use branch-free ReLUs, and
 * take wide one-hot inputs as lists of their nonzero entries. Results are deterministic: the order of
 * floating-point accumulation depends only on the config and the batch.
 */
import { createGeneratedKernel, generatedKernelFits } from "./kernel-ts-gen.js";
import { createTiledKernel } from "./kernel-ts-tiled.js";
import type { Kernel, RnnConfig } from "./types.js";

export interface TypeScriptKernelOptions {
  /** "auto" (default): generated when the config is small enough to unroll, else tiled. The others force one (for tests and benchmarks). */
  readonly path?: "auto" | "generated" | "tiled";
}

/** The TypeScript kernel for `config`. */
export function createTypeScriptKernel(config: RnnConfig, options: TypeScriptKernelOptions = {}): Kernel {
  const path = options.path ?? "auto";
  if (path === "generated" || (path === "auto" && generatedKernelFits(config))) return createGeneratedKernel(config);
  return createTiledKernel(config);
}
