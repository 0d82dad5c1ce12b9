import { describe, expect, it } from "vitest";
import { Random } from "../../common/random.js";
import { createBlasKernel, blasAvailable } from "../../rnn/kernel-blas.js";
import { createTypeScriptKernel } from "../../rnn/kernel-ts.js";
import { createKernel, preferredKernel } from "../../rnn/kernels.js";
import { paramLayout } from "../../rnn/params.js";
import { encodeStep } from "../../rnn/reference.js";
import type { Batch, Kernel, OutputHead, RnnConfig } from "../../rnn/types.js";

const availability = blasAvailable();
const skip = !availability.ok;
if (!availability.ok) console.log(`kernel-blas tests skipped: ${availability.reason}`);

const INPUT_RANGE = { min: -2, max: 3 };

const heads: Record<string, OutputHead> = {
  log: { kind: "regression", loss: "log" },
  mse: { kind: "regression", loss: "mse" },
  classification: { kind: "classification", ranges: [{ min: 0, max: 2 }, { min: -1, max: 2 }] },
};
const OUTPUT_DIM = 2;

function makeConfig(head: string, oneHot: boolean, transitionDepth: number, readoutDepth: number, hiddenSize = 3, outputDim = 2): RnnConfig {
  return {
    inputDim: 2,
    outputDim,
    hiddenSize,
    transition: { depth: transitionDepth, width: 4 },
    readout: { depth: readoutDepth, width: 5 },
    encoding: oneHot ? { kind: "one-hot", ranges: [INPUT_RANGE, INPUT_RANGE] } : { kind: "raw" },
    head: heads[head]!,
  };
}

/** A random encoded batch: integer inputs in INPUT_RANGE, integer targets in the head's ranges. */
function makeBatch(config: RnnConfig, size: number, seqLen: number, rng: Random): Batch {
  const width = paramLayout(config).encodedWidth;
  const inputs = new Float64Array(seqLen * size * width);
  const targets = new Float64Array(seqLen * size * config.outputDim);
  for (let r = 0; r < seqLen * size; r++) {
    const step = Array.from({ length: config.inputDim }, () => rng.int(INPUT_RANGE.min, INPUT_RANGE.max));
    inputs.set(encodeStep(config.encoding, step), r * width);
    for (let j = 0; j < config.outputDim; j++) {
      const range = config.head.kind === "classification" ? config.head.ranges[j]! : { min: -3, max: 3 };
      targets[r * config.outputDim + j] = rng.int(range.min, range.max);
    }
  }
  return { size, seqLen, inputs, targets };
}

function makeParams(config: RnnConfig, rng: Random): Float64Array {
  const params = new Float64Array(paramLayout(config).size);
  for (let i = 0; i < params.length; i++) params[i] = rng.normal() * 0.5;
  return params;
}

/** Central differences of the loss, one parameter at a time. */
function numericGradient(kernel: Kernel, params: Float64Array, batch: Batch, step = 1e-5): Float64Array {
  const scratch = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  const p = params.slice();
  for (let i = 0; i < p.length; i++) {
    const saved = p[i]!;
    p[i] = saved + step;
    const plus = kernel.lossAndGradient(p, batch, scratch);
    p[i] = saved - step;
    const minus = kernel.lossAndGradient(p, batch, scratch);
    p[i] = saved;
    grad[i] = (plus - minus) / (2 * step);
  }
  return grad;
}

/** max_i |a_i − b_i| / max(|b_i|, 1e-3 · max_j |b_j|): relative per entry, with a floor for entries near 0. */
function maxRelativeError(a: Float64Array, b: Float64Array): number {
  const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-3 * scale, 1e-300));
  }
  return worst;
}

function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const cases: Array<[string, boolean, number, number]> = [];
for (const head of Object.keys(heads)) {
  for (const oneHot of [false, true]) {
    for (const [transitionDepth, readoutDepth] of [[1, 1], [2, 1], [1, 2], [3, 3], [2, 2]] as const) {
      cases.push([head, oneHot, transitionDepth, readoutDepth]);
    }
  }
}

describe.skipIf(skip)("OpenBLAS kernel", () => {
  it.each(cases)("gradient matches central differences: head %s, one-hot %s, depths %i/%i", (head, oneHot, transitionDepth, readoutDepth) => {
    const config = makeConfig(head, oneHot, transitionDepth, readoutDepth);
    const rng = new Random(1000 + cases.findIndex((c) => c[0] === head && c[1] === oneHot && c[2] === transitionDepth && c[3] === readoutDepth));
    const kernel = createBlasKernel(config)!;
    const params = makeParams(config, rng);
    const batch = makeBatch(config, 5, 4, rng);
    const grad = new Float64Array(params.length).fill(Number.NaN);
    const loss = kernel.lossAndGradient(params, batch, grad);
    expect(Number.isFinite(loss)).toBe(true);
    const numeric = numericGradient(kernel, params, batch);
    const error = maxRelativeError(grad, numeric);
    console.log(`gradient check ${head}, ${oneHot ? "one-hot" : "raw"}, depths ${transitionDepth}/${readoutDepth}: ${params.length} params, max relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
  });

  it.each(cases)("equals the TypeScript kernel: head %s, one-hot %s, depths %i/%i", (head, oneHot, transitionDepth, readoutDepth) => {
    const config = makeConfig(head, oneHot, transitionDepth, readoutDepth, 6);
    const rng = new Random(2000 + transitionDepth * 10 + readoutDepth);
    const blas = createBlasKernel(config)!;
    const ts = createTypeScriptKernel(config);
    // Two batch shapes through the same kernels: scratch buffers must follow the shape.
    for (const [size, seqLen] of [[7, 5], [13, 1], [7, 5]] as const) {
      const params = makeParams(config, rng);
      const batch = makeBatch(config, size, seqLen, rng);
      const gradBlas = new Float64Array(params.length).fill(Number.NaN);
      const gradTs = new Float64Array(params.length);
      const lossBlas = blas.lossAndGradient(params, batch, gradBlas);
      const lossTs = ts.lossAndGradient(params, batch, gradTs);
      expect(Math.abs(lossBlas - lossTs)).toBeLessThan(1e-10 * Math.max(1, Math.abs(lossTs)));
      const gradScale = Math.max(1, ...Array.from(gradTs, Math.abs));
      expect(maxAbsDifference(gradBlas, gradTs)).toBeLessThan(1e-10 * gradScale);
      const outBlas = blas.forward(params, batch);
      const outTs = ts.forward(params, batch);
      expect(outBlas.length).toBe(outTs.length);
      expect(maxAbsDifference(outBlas, outTs)).toBeLessThan(1e-10);
    }
  });

  // One-unit shapes: a 1-dim head and hidden size 1 send products to dgemv instead of dgemm.
  const thin: Array<[string, number, number, number, number]> = [
    ["log", 1, 1, 1, 1],
    ["mse", 1, 2, 2, 1],
    ["log", 2, 1, 1, 1],
    ["classification", 1, 2, 2, 2],
    ["log", 1, 3, 2, 2],
  ];
  it.each(thin)("thin shapes: head %s, hidden %i, depths %i/%i, outputDim %i", (head, hiddenSize, transitionDepth, readoutDepth, outputDim) => {
    const config = makeConfig(head, false, transitionDepth, readoutDepth, hiddenSize, head === "classification" ? OUTPUT_DIM : outputDim);
    const rng = new Random(3000 + hiddenSize * 100 + transitionDepth * 10 + readoutDepth);
    const kernel = createBlasKernel(config)!;
    const params = makeParams(config, rng);
    const batch = makeBatch(config, 6, 3, rng);
    const grad = new Float64Array(params.length);
    const gradTs = new Float64Array(params.length);
    const loss = kernel.lossAndGradient(params, batch, grad);
    const lossTs = createTypeScriptKernel(config).lossAndGradient(params, batch, gradTs);
    const error = maxRelativeError(grad, numericGradient(kernel, params, batch));
    console.log(`gradient check thin ${head}, hidden ${hiddenSize}, depths ${transitionDepth}/${readoutDepth}, outputDim ${config.outputDim}: max relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
    expect(Math.abs(loss - lossTs)).toBeLessThan(1e-10);
    expect(maxAbsDifference(grad, gradTs)).toBeLessThan(1e-10);
  });

  it("equals the TypeScript kernel at benchmark size (hidden 32, batch 256, seq 10)", () => {
    const config: RnnConfig = {
      inputDim: 1,
      outputDim: 1,
      hiddenSize: 32,
      transition: { depth: 2, width: 32 },
      readout: { depth: 1, width: 32 },
      encoding: { kind: "raw" },
      head: { kind: "regression", loss: "log" },
    };
    const rng = new Random(7);
    const params = makeParams(config, rng).map((v) => v * 0.3);
    const batch = makeBatch(config, 256, 10, rng);
    const gradBlas = new Float64Array(params.length);
    const gradTs = new Float64Array(params.length);
    const lossBlas = createBlasKernel(config)!.lossAndGradient(params, batch, gradBlas);
    const lossTs = createTypeScriptKernel(config).lossAndGradient(params, batch, gradTs);
    expect(Math.abs(lossBlas - lossTs)).toBeLessThan(1e-10 * Math.max(1, lossTs));
    expect(maxAbsDifference(gradBlas, gradTs)).toBeLessThan(1e-10 * Math.max(1, ...Array.from(gradTs, Math.abs)));
  });

  it("leaves the inputs alone and overwrites every gradient entry", () => {
    const config = makeConfig("log", true, 2, 2);
    const rng = new Random(3);
    const params = makeParams(config, rng);
    const batch = makeBatch(config, 4, 3, rng);
    const before = { params: params.slice(), inputs: batch.inputs.slice(), targets: batch.targets.slice() };
    const grad = new Float64Array(params.length).fill(Number.NaN);
    createBlasKernel(config)!.lossAndGradient(params, batch, grad);
    expect(grad.every(Number.isFinite)).toBe(true);
    expect(params).toEqual(before.params);
    expect(batch.inputs).toEqual(before.inputs);
    expect(batch.targets).toEqual(before.targets);
  });

  it("gives a fresh kernel's results bit for bit when batch shapes alternate (one workspace per shape)", () => {
    const config = makeConfig("classification", true, 2, 2);
    const rng = new Random(5);
    const params = makeParams(config, rng);
    // More shapes than the kernel keeps, revisited, so that workspaces are reused and rebuilt.
    const batches = [[4, 3], [7, 3], [4, 5], [2, 2], [9, 1], [4, 3], [7, 3], [2, 2]].map(([size, seqLen]) => makeBatch(config, size!, seqLen!, rng));
    const shared = createBlasKernel(config)!;
    for (const batch of batches) {
      const grad = new Float64Array(params.length);
      const freshGrad = new Float64Array(params.length);
      const loss = shared.lossAndGradient(params, batch, grad);
      const fresh = createBlasKernel(config)!;
      expect(loss).toBe(fresh.lossAndGradient(params, batch, freshGrad));
      expect(grad).toEqual(freshGrad);
      expect(shared.forward(params, batch)).toEqual(fresh.forward(params, batch));
    }
  });

  it("createKernel honours the choice, and auto picks a kernel that exists", () => {
    const config = makeConfig("log", false, 1, 1, 32);
    expect(createKernel("openblas", config).name).toBe("openblas");
    expect(createKernel("typescript", config).name).toBe("typescript");
    expect(createKernel("auto", config, 1024).name).toBe(preferredKernel(config, 1024));
    expect(preferredKernel(config, 1024)).toBe("openblas");
  });

  it("auto picks TypeScript only for the smallest networks at small batches (measured crossover)", () => {
    const linear = (hiddenSize: number): RnnConfig => ({ ...makeConfig("log", false, 1, 1, hiddenSize, 1), inputDim: 1 });
    expect(preferredKernel(linear(1), 32)).toBe("typescript");
    expect(preferredKernel(linear(1), 64)).toBe("openblas");
    expect(preferredKernel(linear(2), 32)).toBe("typescript");
    expect(preferredKernel(linear(2), 256)).toBe("openblas");
    expect(preferredKernel(linear(8), 16)).toBe("openblas");
    expect(preferredKernel(makeConfig("log", false, 2, 1, 1, 1), 32)).toBe("typescript");
    expect(preferredKernel(makeConfig("log", false, 2, 1, 1, 1), 64)).toBe("openblas");
  });
});

describe("OpenBLAS detection", () => {
  it("reports availability as a value", () => {
    const result = blasAvailable();
    if (result.ok) expect(createBlasKernel(makeConfig("log", false, 1, 1))).not.toBeNull();
    else {
      expect(result.reason.length).toBeGreaterThan(0);
      expect(createBlasKernel(makeConfig("log", false, 1, 1))).toBeNull();
    }
  });
});
